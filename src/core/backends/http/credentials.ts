// A credential belongs to one origin: it is attached only to requests for that origin (never to a
// redirect elsewhere), and its value never appears in a message.

/** A saved credential and the origin (`scheme://host:port`) it was saved for. */
export interface BackendCredential {
  readonly origin: string;
  /**
   * A header line such as `Authorization: Bearer abc` or `X-Api-Key: abc`; text without a header name
   * (`Bearer abc`, `Basic dXNlcjpwYXNz`) is the value of `Authorization`.
   */
  readonly header: string;
}

export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s*(.*)$/s;

/** Splits a credential into header name and value. */
export function credentialHeaderField(header: string): HeaderField {
  const text = header.trim();
  const match = HEADER_LINE.exec(text);
  // "Bearer abc" has a space before any colon, so it is not a header line. A bare `user:pass` would read
  // as one, which is why Basic credentials must come base64-encoded.
  if (match !== null) return { name: match[1].toLowerCase(), value: match[2].trim() };
  return { name: 'authorization', value: text };
}

/** The origin of a URL (`https://host:8443`), or undefined if it is not an absolute http(s) URL. */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

const SENSITIVE_HEADER = /authorization|cookie|token|secret|key|auth|password|session/i;

/** The strings that must never appear in a message: credential values and sensitive header values. */
export function secretsOf(credential: BackendCredential | undefined, headers: Readonly<Record<string, string>>): string[] {
  const secrets: string[] = [];
  const add = (value: string): void => {
    const trimmed = value.trim();
    if (trimmed.length >= 4) secrets.push(trimmed);
    // The token alone, without its scheme ("Bearer …"), may be echoed too.
    const token = /^\S+\s+(\S.*)$/.exec(trimmed)?.[1];
    if (token !== undefined && token.length >= 4) secrets.push(token);
  };
  if (credential !== undefined) add(credentialHeaderField(credential.header).value);
  for (const [name, value] of Object.entries(headers)) {
    if (SENSITIVE_HEADER.test(name)) add(value);
  }
  // Longest first, so a token inside a longer value is not left half-replaced.
  return secrets.sort((a, b) => b.length - a.length);
}

/** Replaces every secret in the text. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join('***');
  return result;
}

/** The URL without user info, query or fragment and without a trailing slash, for messages. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString().replace(/\/+$/, '');
  } catch {
    return '(invalid URL)';
  }
}
