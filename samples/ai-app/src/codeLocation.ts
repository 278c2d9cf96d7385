// Where each traced function is declared, and the code.* attributes that point at it. Lines are read from the
// source file itself when the module loads, so editing a file can never leave a span pointing at a stale line.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Attributes } from '@opentelemetry/api';
import { ATTR_CODE_FILE_PATH, ATTR_CODE_FUNCTION_NAME, ATTR_CODE_LINE_NUMBER } from '@opentelemetry/semantic-conventions';
import { CODE_FILEPATH, CODE_FUNCTION, CODE_LINENO, CODE_NAMESPACE } from './semconv';

/**
 * Which code.* attributes a span carries, so that every mapping path SpanLens supports gets exercised:
 * - `stable`: code.function.name (`module.function`), code.file.path, code.line.number;
 * - `deprecated`: code.namespace (`module`) + code.function, code.filepath, code.lineno;
 * - `function-name-only`: code.function.name alone, which an editor must resolve through its symbols.
 */
export type CodeAttributeStyle = 'stable' | 'deprecated' | 'function-name-only';

export interface CodeSite {
  /** The module: the source file's name without its extension, e.g. `retrieval`. */
  readonly namespace: string;
  readonly functionName: string;
  /** Absolute path of the source file as it runs. */
  readonly filePath: string;
  /** 1-based line of the `function` declaration. */
  readonly lineNumber: number;
  readonly style: CodeAttributeStyle;
}

const FUNCTION_DECLARATION = /^\s*(?:export\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*[(<]/;

const declarationLinesByFile = new Map<string, ReadonlyMap<string, number>>();

/** The site of `functionName`, declared with `function` in `filePath`; throws if the file does not declare it. */
export function codeSite(filePath: string, functionName: string, style: CodeAttributeStyle): CodeSite {
  const lineNumber = declarationLines(filePath).get(functionName);
  if (lineNumber === undefined) {
    throw new Error(`${filePath} declares no function named ${functionName}`);
  }
  const namespace = path.basename(filePath, path.extname(filePath));
  return { namespace, functionName, filePath, lineNumber, style };
}

/** `module.function`, the fully qualified name this sample reports in code.function.name. */
export function qualifiedFunctionName(site: CodeSite): string {
  return `${site.namespace}.${site.functionName}`;
}

export function codeAttributes(site: CodeSite): Attributes {
  switch (site.style) {
    case 'stable':
      return {
        [ATTR_CODE_FUNCTION_NAME]: qualifiedFunctionName(site),
        [ATTR_CODE_FILE_PATH]: site.filePath,
        [ATTR_CODE_LINE_NUMBER]: site.lineNumber,
      };
    case 'deprecated':
      return {
        [CODE_NAMESPACE]: site.namespace,
        [CODE_FUNCTION]: site.functionName,
        [CODE_FILEPATH]: site.filePath,
        [CODE_LINENO]: site.lineNumber,
      };
    case 'function-name-only':
      return { [ATTR_CODE_FUNCTION_NAME]: qualifiedFunctionName(site) };
  }
}

function declarationLines(filePath: string): ReadonlyMap<string, number> {
  const cached = declarationLinesByFile.get(filePath);
  if (cached !== undefined) return cached;
  const lines = new Map<string, number>();
  readFileSync(filePath, 'utf8')
    .split(/\r?\n/)
    .forEach((line, index) => {
      const name = FUNCTION_DECLARATION.exec(line)?.[1];
      if (name !== undefined && !lines.has(name)) lines.set(name, index + 1);
    });
  declarationLinesByFile.set(filePath, lines);
  return lines;
}
