// Lines the offline web workbench prints on every run that say nothing about SpanLens; hidden so real
// failures stand out (SPANLENS_TEST_VERBOSE=1 shows everything).
const NOISE = [
  /vsda/i, // signing module that only Microsoft's builds ship
  /service[- ]?worker/i,
  /bad HTTP response code \(404\) was received when fetching the script/, // the service worker, again
  /ENOTFOUND/, // marketplace (open-vsx) and telemetry hosts: no network
  /open-vsx\.org/i,
  /\[AgentHost(:remote)?\]/, // Copilot agent host: no GitHub sign-in here
  /\[ChatModelSelection\]/,
  /\[AccountPolicyGate\]/,
  /authentication provider 'github'/,
  /GalleryExtensions/, // marketplace queries failing offline
  /can escape its sandboxing/, // Chromium's warning about the workbench's own webview iframes
  /Failed to load resource: the server responded with a status of 404/,
  /net::ERR_/,
  /Long running operations during shutdown are unsupported in the web/, // the workbench closing after the suite
];

/** @param {string} text one message, possibly several lines (a stack trace belongs to its message) */
export function isNoise(text) {
  return NOISE.some((pattern) => pattern.test(text));
}
