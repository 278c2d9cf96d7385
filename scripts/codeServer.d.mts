// Types for the parts of codeServer.mjs that TypeScript code (the benchmarks) imports.

/** Installs (once, cached in .vscode-test/) the Node that runs the VS Code server's extension host. */
export function ensureExtensionHostNode(): Promise<{ nodeBinary: string; nodeVersion: string }>;
