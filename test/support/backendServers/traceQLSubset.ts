// The part of TraceQL the fake Tempo evaluates (tempo:docs/sources/tempo/traceql): one spanset filter of
// comparisons joined by && and || with parentheses, `| select(…)`, and the metrics functions
// count_over_time, rate, and {quantile,avg,min,max,sum}_over_time over span duration, with `by (…)`.
// Strings follow Go escaping, regexes are fully anchored, comparisons are typed. Anything else is a
// parse error, reported the way Tempo words it.

import { parseGoDuration } from './goDuration';
import type { IndexedSpan, Scalar } from './spanIndex';

export type Operand =
  | { readonly kind: 'attribute'; readonly scope: 'span' | 'resource' | 'any'; readonly name: string; readonly text: string }
  | { readonly kind: 'intrinsic'; readonly name: string; readonly text: string }
  | { readonly kind: 'literal'; readonly value: Scalar | null; readonly duration?: bigint; readonly keyword?: string };

export type Condition =
  | { readonly kind: 'compare'; readonly left: Operand; readonly op: string; readonly right: Operand }
  | { readonly kind: 'and' | 'or'; readonly parts: readonly Condition[] }
  | { readonly kind: 'true' };

export interface MetricsCall {
  readonly name: string;
  /** quantile_over_time's quantiles. */
  readonly quantiles: readonly number[];
  readonly by: readonly Operand[];
}

export interface ParsedTraceQL {
  readonly filter: Condition;
  readonly selects: readonly Operand[];
  readonly metrics: MetricsCall | undefined;
  /** Attribute operands the filter mentions, whose values the search shows. */
  readonly mentioned: readonly Operand[];
}

export class TraceQLError extends Error {}

type Token = { readonly type: 'punct' | 'string' | 'word' | 'number'; readonly text: string; readonly value?: string; readonly column: number };

const PUNCT = ['&&', '||', '!=', '>=', '<=', '=~', '!~', '{', '}', '(', ')', '=', '>', '<', '|', ','];

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const char = query[i];
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    const column = i + 1;
    if (char === '"') {
      let j = i + 1;
      let raw = '"';
      while (j < query.length && query[j] !== '"') {
        if (query[j] === '\\') raw += query[j++];
        raw += query[j++];
      }
      if (j >= query.length) throw parseError(column, 'unterminated string');
      raw += '"';
      tokens.push({ type: 'string', text: raw, value: unquote(raw, column), column });
      i = j + 1;
      continue;
    }
    if (char === '`') {
      const end = query.indexOf('`', i + 1);
      if (end === -1) throw parseError(column, 'unterminated raw string');
      tokens.push({ type: 'string', text: query.slice(i, end + 1), value: query.slice(i + 1, end), column });
      i = end + 1;
      continue;
    }
    const punct = PUNCT.find((item) => query.startsWith(item, i));
    if (punct !== undefined) {
      tokens.push({ type: 'punct', text: punct, column });
      i += punct.length;
      continue;
    }
    if (/^-?(?:\d|\.\d)/.test(query.slice(i, i + 3))) {
      const match = /^-?\d*\.?\d+(?:ns|us|µs|ms|s|m|h)?/.exec(query.slice(i));
      if (match !== null) {
        tokens.push({ type: 'number', text: match[0], column });
        i += match[0].length;
        continue;
      }
    }
    // Attribute names run until whitespace or an operator character (lexer isAttributeRune).
    let j = i;
    while (j < query.length && !/[\s{}()=~!<>&|^,]/.test(query[j])) {
      if (query[j] === '"' && j > i && query[j - 1] === '.') {
        const close = query.indexOf('"', j + 1);
        if (close === -1) throw parseError(j + 1, 'unterminated quoted attribute');
        j = close + 1;
        continue;
      }
      j++;
    }
    if (j === i) throw parseError(column, `unexpected character ${JSON.stringify(char)}`);
    tokens.push({ type: 'word', text: query.slice(i, j), column });
    i = j;
  }
  return tokens;
}

function parseError(column: number, message: string): TraceQLError {
  return new TraceQLError(`parse error at line 1, col ${column}: syntax error: ${message}`);
}

function unquote(raw: string, column: number): string {
  try {
    // Go and JSON escapes agree on \" \\ \n \t \r \uXXXX; \xNN is rewritten for JSON.
    return JSON.parse(raw.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) as string;
  } catch {
    throw parseError(column, `invalid string ${raw}`);
  }
}

const INTRINSICS = new Map([
  ['name', 'name'],
  ['span:name', 'name'],
  ['duration', 'duration'],
  ['span:duration', 'duration'],
  ['status', 'status'],
  ['span:status', 'status'],
  ['kind', 'kind'],
  ['span:kind', 'kind'],
  ['rootName', 'rootName'],
  ['trace:rootName', 'rootName'],
  ['rootServiceName', 'rootServiceName'],
  ['trace:rootService', 'rootServiceName'],
  ['traceDuration', 'traceDuration'],
  ['trace:duration', 'traceDuration'],
]);

const KEYWORDS = new Set(['error', 'ok', 'unset', 'server', 'client', 'producer', 'consumer', 'internal', 'unspecified']);

function attributeName(text: string): string {
  return text.startsWith('"') ? unquote(text, 0) : text;
}

function operandFromWord(token: Token): Operand {
  const { text } = token;
  const intrinsic = INTRINSICS.get(text);
  if (intrinsic !== undefined) return { kind: 'intrinsic', name: intrinsic, text };
  if (text === 'true' || text === 'false') return { kind: 'literal', value: text === 'true' };
  if (text === 'nil') return { kind: 'literal', value: null };
  if (KEYWORDS.has(text)) return { kind: 'literal', value: text, keyword: text };
  if (text.startsWith('.') && text.length > 1) return { kind: 'attribute', scope: 'any', name: attributeName(text.slice(1)), text };
  for (const scope of ['span', 'resource'] as const) {
    if (text.startsWith(`${scope}.`) && text.length > scope.length + 1) {
      return { kind: 'attribute', scope, name: attributeName(text.slice(scope.length + 1)), text };
    }
  }
  throw parseError(token.column, `unexpected IDENTIFIER ${text}`);
}

function operandFromNumber(token: Token): Operand {
  if (/[a-zµ]$/.test(token.text)) return { kind: 'literal', value: token.text, duration: parseGoDuration(token.text) };
  return { kind: 'literal', value: Number(token.text) };
}

class Parser {
  private position = 0;
  readonly mentioned: Operand[] = [];

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position++];
    if (token === undefined) throw parseError(this.tokens.length === 0 ? 1 : (this.tokens[this.tokens.length - 1].column ?? 1), 'unexpected end of query');
    return token;
  }

  private expect(text: string): void {
    const token = this.next();
    if (token.text !== text) throw parseError(token.column, `unexpected ${token.text}, expecting ${text}`);
  }

  parse(): ParsedTraceQL {
    this.expect('{');
    const filter: Condition = this.peek()?.text === '}' ? { kind: 'true' } : this.parseOr();
    this.expect('}');
    const selects: Operand[] = [];
    let metrics: MetricsCall | undefined;
    while (this.peek()?.text === '|') {
      this.next();
      const name = this.next();
      if (name.text === 'select') {
        this.expect('(');
        for (;;) {
          selects.push(this.parseOperand());
          const separator = this.next();
          if (separator.text === ')') break;
          if (separator.text !== ',') throw parseError(separator.column, `unexpected ${separator.text}`);
        }
      } else if (metrics === undefined && /^(count_over_time|rate|quantile_over_time|avg_over_time|min_over_time|max_over_time|sum_over_time)$/.test(name.text)) {
        metrics = this.parseMetrics(name.text);
      } else {
        throw parseError(name.column, `unexpected ${name.text} (not supported by the fake Tempo)`);
      }
    }
    const rest = this.peek();
    if (rest !== undefined) throw parseError(rest.column, `unexpected ${rest.text}`);
    return { filter, selects, metrics, mentioned: this.mentioned };
  }

  private parseMetrics(name: string): MetricsCall {
    this.expect('(');
    const quantiles: number[] = [];
    if (name === 'count_over_time' || name === 'rate') {
      this.expect(')');
    } else {
      const subject = this.parseOperand();
      if (subject.kind !== 'intrinsic' || subject.name !== 'duration') throw new TraceQLError(`the fake Tempo aggregates span:duration only`);
      while (this.peek()?.text === ',') {
        this.next();
        const number = this.next();
        if (number.type !== 'number') throw parseError(number.column, `unexpected ${number.text}, expecting a number`);
        quantiles.push(Number(number.text));
      }
      this.expect(')');
      if (name === 'quantile_over_time' && quantiles.length === 0) throw new TraceQLError('quantile_over_time requires at least one quantile');
    }
    const by: Operand[] = [];
    if (this.peek()?.text === 'by') {
      this.next();
      this.expect('(');
      for (;;) {
        by.push(this.parseOperand());
        const separator = this.next();
        if (separator.text === ')') break;
        if (separator.text !== ',') throw parseError(separator.column, `unexpected ${separator.text}`);
      }
    }
    return { name, quantiles, by };
  }

  private parseOr(): Condition {
    const parts = [this.parseAnd()];
    while (this.peek()?.text === '||') {
      this.next();
      parts.push(this.parseAnd());
    }
    return parts.length === 1 ? parts[0] : { kind: 'or', parts };
  }

  private parseAnd(): Condition {
    const parts = [this.parseUnary()];
    while (this.peek()?.text === '&&') {
      this.next();
      parts.push(this.parseUnary());
    }
    return parts.length === 1 ? parts[0] : { kind: 'and', parts };
  }

  private parseUnary(): Condition {
    if (this.peek()?.text === '(') {
      this.next();
      const inner = this.parseOr();
      this.expect(')');
      return inner;
    }
    const left = this.parseOperand();
    const op = this.next();
    if (!['=', '!=', '>', '>=', '<', '<=', '=~', '!~'].includes(op.text)) throw parseError(op.column, `unexpected ${op.text}, expecting an operator`);
    const right = this.parseOperand();
    for (const operand of [left, right]) if (operand.kind === 'attribute') this.mentioned.push(operand);
    return { kind: 'compare', left, op: op.text, right };
  }

  private parseOperand(): Operand {
    const token = this.next();
    if (token.type === 'string') return { kind: 'literal', value: token.value ?? '' };
    if (token.type === 'number') return operandFromNumber(token);
    if (token.type === 'word') return operandFromWord(token);
    throw parseError(token.column, `unexpected ${token.text}`);
  }
}

export function parseTraceQL(query: string): ParsedTraceQL {
  return new Parser(tokenize(query)).parse();
}

export interface TraceContext {
  readonly root: IndexedSpan | undefined;
  readonly durationNano: bigint;
}

/** The value an operand has for a span; undefined for a missing attribute. */
export function operandValue(operand: Operand, span: IndexedSpan, trace: TraceContext): Scalar | bigint | null | undefined {
  switch (operand.kind) {
    case 'literal':
      return operand.duration ?? operand.value;
    case 'attribute':
      if (operand.scope === 'span') return span.attributes.get(operand.name);
      if (operand.scope === 'resource') return operand.name === 'service.name' ? span.service : span.resourceAttributes.get(operand.name);
      return span.attributes.get(operand.name) ?? (operand.name === 'service.name' ? span.service : span.resourceAttributes.get(operand.name));
    case 'intrinsic':
      switch (operand.name) {
        case 'name':
          return span.name;
        case 'duration':
          return span.durationNano;
        case 'status':
          return span.isError ? 'error' : 'unset';
        case 'kind':
          return span.kind;
        case 'rootName':
          return trace.root?.name;
        case 'rootServiceName':
          return trace.root?.service;
        case 'traceDuration':
          return trace.durationNano;
      }
  }
  return undefined;
}

function compare(op: string, left: Scalar | bigint | null | undefined, right: Scalar | bigint | null | undefined): boolean {
  if (right === null) return op === '=' ? left === undefined : op === '!=' ? left !== undefined : false;
  if (left === undefined || left === null || right === undefined) return false;
  if (op === '=~' || op === '!~') {
    if (typeof left !== 'string' || typeof right !== 'string') return false;
    const matched = new RegExp(`^(?:${right})$`).test(left);
    return op === '=~' ? matched : !matched;
  }
  const numeric = (value: Scalar | bigint): number | bigint | undefined => (typeof value === 'number' || typeof value === 'bigint' ? value : undefined);
  const l = numeric(left);
  const r = numeric(right);
  if (l !== undefined && r !== undefined) {
    const diff = typeof l === 'bigint' || typeof r === 'bigint' ? Number(BigInt(l) - BigInt(r)) : l - r;
    return op === '=' ? diff === 0 : op === '!=' ? diff !== 0 : op === '>' ? diff > 0 : op === '>=' ? diff >= 0 : op === '<' ? diff < 0 : diff <= 0;
  }
  if (typeof left !== typeof right) return false;
  if (op === '=') return left === right;
  if (op === '!=') return left !== right;
  const a = String(left);
  const b = String(right);
  return op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : a <= b;
}

export function spanMatches(condition: Condition, span: IndexedSpan, trace: TraceContext): boolean {
  switch (condition.kind) {
    case 'true':
      return true;
    case 'and':
      return condition.parts.every((part) => spanMatches(part, span, trace));
    case 'or':
      return condition.parts.some((part) => spanMatches(part, span, trace));
    case 'compare':
      return compare(condition.op, operandValue(condition.left, span, trace), operandValue(condition.right, span, trace));
  }
}

/** Label key of a `by()` operand, as Attribute.String() writes it. */
export function operandLabel(operand: Operand): string {
  return operand.kind === 'literal' ? String(operand.value) : operand.text;
}
