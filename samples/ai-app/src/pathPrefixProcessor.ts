// --path-prefix: report source paths as a container would, e.g. /app/src/retrieval.ts instead of this
// checkout's absolute path, so an editor's path mapping has something to map.

import * as path from 'node:path';
import type { Span, SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { ATTR_CODE_FILE_PATH } from '@opentelemetry/semantic-conventions';
import { CODE_FILEPATH } from './semconv';

const PATH_ATTRIBUTES = [ATTR_CODE_FILE_PATH, CODE_FILEPATH];

/** `filePath` under `sampleRoot`, re-rooted at `prefix` with forward slashes; other paths unchanged. */
export function prefixedPath(filePath: string, sampleRoot: string, prefix: string): string {
  const relative = path.relative(sampleRoot, filePath);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return filePath;
  return path.posix.join(prefix, ...relative.split(path.sep));
}

export class PathPrefixSpanProcessor implements SpanProcessor {
  constructor(
    private readonly sampleRoot: string,
    private readonly prefix: string,
  ) {}

  // Spans are still writable in onStart, after the SDK has applied the attributes given to startSpan.
  onStart(span: Span): void {
    for (const key of PATH_ATTRIBUTES) {
      const value = span.attributes[key];
      if (typeof value === 'string') span.setAttribute(key, prefixedPath(value, this.sampleRoot, this.prefix));
    }
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
