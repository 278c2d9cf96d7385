import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** The extension's one log channel ("SpanLens" in the Output view). */
export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('SpanLens', { log: true });
  return channel;
}

/** An error as one line for a user: the message, never a stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
