// The error text inside a server's error body. Jaeger wraps it in JSON (and sends it as text/plain),
// Tempo and Zipkin send plain text, proxies send HTML pages.

const MAX_ERROR_TEXT = 300;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One line of readable error text from a response body, or undefined when the body says nothing. */
export function serverErrorText(body: string): string | undefined {
  const text = body.trim();
  if (text === '') return undefined;
  const fromJson = text.startsWith('{') ? jsonErrorText(text) : undefined;
  if (fromJson !== undefined) return shorten(fromJson);
  if (/^<(!doctype|html|\?xml|head|body)/i.test(text)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    return title !== undefined && title !== '' ? `(an HTML page titled "${shorten(title)}")` : '(an HTML page)';
  }
  return shorten(text);
}

function jsonErrorText(text: string): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(doc)) return undefined;
  // Jaeger api_v3: {"error":{"httpCode":404,"message":"No traces found"}}
  if (isObject(doc.error) && typeof doc.error.message === 'string') return doc.error.message;
  // Jaeger v1: {"data":null,…,"errors":[{"code":400,"msg":"…"}]}
  if (Array.isArray(doc.errors)) {
    const messages = doc.errors.flatMap((error) => (isObject(error) && typeof error.msg === 'string' ? [error.msg] : []));
    if (messages.length > 0) return messages.join('; ');
  }
  // google.rpc.Status and most others.
  if (typeof doc.message === 'string') return doc.message;
  if (typeof doc.error === 'string') return doc.error;
  return undefined;
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_ERROR_TEXT ? `${line.slice(0, MAX_ERROR_TEXT - 1)}…` : line;
}
