import * as vscode from 'vscode';
import type { ParsedTraces } from '../../core/model/trace';
import { MAX_TRACE_TEXT_BYTES, parseTraceText } from '../../core/formats/parseTraceText';


/** Why a trace file could not be opened; the message names the file. */
export class TraceFileError extends Error {
  constructor(readonly uri: vscode.Uri, reason: string) {
    super(`${displayName(uri)}: ${reason}`);
    this.name = 'TraceFileError';
  }
}

export function displayName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1) || uri.toString();
}

/** Reads and parses a trace file through the workspace file system, so remote and virtual files work. */
export async function readTraceFile(uri: vscode.Uri): Promise<ParsedTraces> {
  let bytes: Uint8Array;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) throw new TraceFileError(uri, 'is a folder, not a trace file');
    if (stat.size > MAX_TRACE_TEXT_BYTES) {
      throw new TraceFileError(uri, `is ${Math.round(stat.size / 1048576)} MiB; the limit is ${MAX_TRACE_TEXT_BYTES / 1048576} MiB`);
    }
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (error) {
    if (error instanceof TraceFileError) throw error;
    throw new TraceFileError(uri, `cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  try {
    return parseTraceText(text);
  } catch (error) {
    throw new TraceFileError(uri, error instanceof Error ? error.message : String(error));
  }
}
