import * as vscode from 'vscode';
import { describeError } from '../output';
import type { CodeInsights } from './codeInsights';
import { ErrorMessages } from './errorMessages';
import type { ErrorMessageState } from './hoverMarkdown';
import { hoverMarkdown } from './hoverMarkdown';

/** The hover waits this long for the latest error's trace; after that it shows without the message. */
const ERROR_FETCH_TIMEOUT_MILLIS = 3000;

/** A hover over the name of a function with data. */
export class InsightHoverProvider implements vscode.HoverProvider {
  private readonly errorMessages = new ErrorMessages();

  constructor(private readonly insights: CodeInsights) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const insight = this.insights.functionAt(document, position.line);
    const snapshot = this.insights.snapshot();
    const origin = this.insights.origin();
    if (insight === undefined || snapshot === undefined || origin === undefined) return undefined;
    let latestError: ErrorMessageState | undefined;
    const ref = insight.summary.latestError;
    if (ref !== undefined) {
      const timeout = AbortSignal.timeout(ERROR_FETCH_TIMEOUT_MILLIS);
      const cancelled = new AbortController();
      const listener = token.onCancellationRequested(() => cancelled.abort());
      try {
        const backend = this.errorMessages.cached(ref) === undefined ? (await this.insights.statsBackend())?.backend : undefined;
        const message = await this.errorMessages.fetch(backend, ref, AbortSignal.any([timeout, cancelled.signal]));
        latestError = message === undefined ? { kind: 'none' } : { kind: 'message', text: message };
      } catch (error) {
        if (token.isCancellationRequested) return undefined;
        latestError = { kind: 'unavailable', reason: timeout.aborted ? 'the backend did not answer in time' : describeError(error) };
      } finally {
        listener.dispose();
      }
    }
    const line = document.lineAt(insight.nameLine).range;
    return new vscode.Hover(hoverMarkdown(insight, snapshot.provenance, origin.active.config.name, latestError), line);
  }
}
