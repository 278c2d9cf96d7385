// Says where JSON text is broken, as "line L column C". V8's JSON.parse messages give a character position
// for some errors and none for others, so after a failed parse this scanner finds the spot itself.
// It only runs on the error path; it is iterative, so deep nesting cannot overflow the stack.

export interface JsonSyntaxProblem {
  /** Offset of the offending character in the text (the text length for a premature end). */
  readonly position: number;
  /** What is wrong, without the location. */
  readonly reason: string;
}

const OBJECT = 1;
const ARRAY = 2;

// What the scanner expects next.
const Expect = { Value: 0, ValueOrArrayEnd: 1, Key: 2, KeyOrObjectEnd: 3, AfterValue: 4 } as const;
type Expect = (typeof Expect)[keyof typeof Expect];

/** Describes the first syntax error in `text`, e.g. `Unexpected token 'x' at line 3 column 7`. */
export function describeJsonSyntaxError(text: string, parseError: unknown): string {
  const problem = findJsonSyntaxProblem(text);
  if (problem === undefined) return parseError instanceof Error ? parseError.message : String(parseError);
  const { line, column } = lineAndColumn(text, problem.position);
  return `${problem.reason} at line ${line} column ${column}`;
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(position, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: position - lineStart + 1 };
}

/** The first place where `text` stops being one valid JSON value, or undefined if it is valid. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  const stack: number[] = [];
  let expect: Expect = Expect.Value;
  let i = 0;
  const length = text.length;
  for (;;) {
    i = skipWhitespace(text, i);
    if (i >= length) {
      return expect === Expect.AfterValue && stack.length === 0 ? undefined : { position: length, reason: 'Unexpected end of input' };
    }
    const code = text.charCodeAt(i);
    switch (expect) {
      case Expect.ValueOrArrayEnd:
      case Expect.Value: {
        if (expect === Expect.ValueOrArrayEnd && code === 0x5d /* ] */) {
          stack.pop();
          i++;
          expect = Expect.AfterValue;
          break;
        }
        if (code === 0x7b /* { */) {
          stack.push(OBJECT);
          i++;
          expect = Expect.KeyOrObjectEnd;
          break;
        }
        if (code === 0x5b /* [ */) {
          stack.push(ARRAY);
          i++;
          expect = Expect.ValueOrArrayEnd;
          break;
        }
        const end =
          code === 0x22 ? scanString(text, i) : code === 0x2d || (code >= 48 && code <= 57) ? scanNumber(text, i) : scanLiteral(text, i);
        if (typeof end !== 'number') return end;
        i = end;
        expect = Expect.AfterValue;
        break;
      }
      case Expect.KeyOrObjectEnd:
      case Expect.Key: {
        if (expect === Expect.KeyOrObjectEnd && code === 0x7d /* } */) {
          stack.pop();
          i++;
          expect = Expect.AfterValue;
          break;
        }
        if (code !== 0x22) return unexpected(text, i);
        const end = scanString(text, i);
        if (typeof end !== 'number') return end;
        i = skipWhitespace(text, end);
        if (i >= length) return { position: length, reason: 'Unexpected end of input' };
        if (text.charCodeAt(i) !== 0x3a /* : */) return unexpected(text, i);
        i++;
        expect = Expect.Value;
        break;
      }
      case Expect.AfterValue: {
        const top = stack[stack.length - 1];
        if (top === undefined) return unexpected(text, i);
        if (code === 0x2c /* , */) {
          i++;
          expect = top === OBJECT ? Expect.Key : Expect.Value;
        } else if ((top === OBJECT && code === 0x7d) || (top === ARRAY && code === 0x5d)) {
          stack.pop();
          i++;
        } else {
          return unexpected(text, i);
        }
        break;
      }
    }
  }
}

function skipWhitespace(text: string, start: number): number {
  let i = start;
  for (;;) {
    const code = text.charCodeAt(i);
    if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) i++;
    else return i;
  }
}

function unexpected(text: string, position: number): JsonSyntaxProblem {
  if (position >= text.length) return { position: text.length, reason: 'Unexpected end of input' };
  const code = text.codePointAt(position) ?? 0;
  const token = code < 0x20 ? JSON.stringify(String.fromCharCode(code)).slice(1, -1) : String.fromCodePoint(code);
  return { position, reason: `Unexpected token '${token}'` };
}

function scanString(text: string, start: number): number | JsonSyntaxProblem {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return { position: i, reason: 'Unescaped control character in string' };
    if (code === 0x5c /* \ */) {
      if (++i >= text.length) break;
      if (text.charCodeAt(i) === 0x75 /* u */) {
        for (let k = 1; k <= 4; k++) {
          if (!isHexCode(text.charCodeAt(i + k))) return { position: Math.min(i + k, text.length), reason: 'Bad Unicode escape in string' };
        }
        i += 4;
      } else if (!'"\\/bfnrt'.includes(text.charAt(i))) {
        return { position: i, reason: 'Bad escaped character in string' };
      }
    }
  }
  return { position: text.length, reason: 'Unterminated string' };
}

function isHexCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

function scanDigits(text: string, start: number): number {
  let i = start;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  return i;
}

function scanNumber(text: string, start: number): number | JsonSyntaxProblem {
  let i = start;
  if (text.charCodeAt(i) === 0x2d) i++;
  if (text.charCodeAt(i) === 0x30) i++;
  else {
    const end = scanDigits(text, i);
    if (end === i) return unexpected(text, i);
    i = end;
  }
  if (text.charCodeAt(i) === 0x2e /* . */) {
    const end = scanDigits(text, i + 1);
    if (end === i + 1) return unexpected(text, i + 1);
    i = end;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    const end = scanDigits(text, i);
    if (end === i) return unexpected(text, i);
    i = end;
  }
  return i;
}

function scanLiteral(text: string, start: number): number | JsonSyntaxProblem {
  const first = text.charAt(start);
  const literal = first === 't' ? 'true' : first === 'f' ? 'false' : first === 'n' ? 'null' : undefined;
  if (literal === undefined) return unexpected(text, start);
  for (let k = 1; k < literal.length; k++) {
    if (text.charAt(start + k) !== literal.charAt(k)) return unexpected(text, start + k);
  }
  return start + literal.length;
}
