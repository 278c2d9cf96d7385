// Trace IDs as users paste them: 16 or 32 hex digits, or a whole W3C traceparent header.

const HEX_ID = /^(?:[0-9a-f]{16}|[0-9a-f]{32})$/;
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;

export type TraceIdInputResult = { readonly ok: true; readonly traceId: string } | { readonly ok: false; readonly message: string };

/** True for 16 or 32 hex digits (any case). */
export function isTraceIdText(text: string): boolean {
  return HEX_ID.test(text.toLowerCase());
}

/**
 * The trace ID in a W3C traceparent (`00-<32 hex>-<16 hex>-<2 hex>`), lowercase, or undefined when the text is
 * not one. Version ff and all-zero IDs are invalid per the spec; later versions may append fields.
 */
export function traceIdFromTraceparent(text: string): string | undefined {
  const match = TRACEPARENT.exec(text.trim().toLowerCase());
  if (match === null) return undefined;
  const [, version, traceId, parentId] = match;
  if (version === 'ff' || /^0+$/.test(traceId) || /^0+$/.test(parentId)) return undefined;
  if (version === '00' && match[0].length !== 55) return undefined;
  return traceId;
}

/**
 * Reads what a user typed or pasted as a trace ID: hex (16 or 32 digits, surrounding whitespace and a `0x`
 * prefix tolerated) or a traceparent header value, optionally with its `traceparent:` name. The result is
 * 32 lowercase hex digits (64-bit IDs are left-padded), as the backends accept it.
 */
export function parseTraceIdInput(text: string): TraceIdInputResult {
  let input = text.trim();
  input = input.replace(/^traceparent\s*:\s*/i, '');
  const fromHeader = traceIdFromTraceparent(input);
  if (fromHeader !== undefined) return { ok: true, traceId: fromHeader };
  const hex = input.replace(/^0x/i, '').toLowerCase();
  if (HEX_ID.test(hex)) {
    if (/^0+$/.test(hex)) return { ok: false, message: 'A trace ID of all zeros is not valid' };
    return { ok: true, traceId: hex.padStart(32, '0') };
  }
  if (input === '') return { ok: false, message: 'Enter a trace ID (16 or 32 hex digits) or a traceparent header' };
  if (/^[0-9a-f]+$/i.test(hex)) {
    return { ok: false, message: `A trace ID has 16 or 32 hex digits; this one has ${hex.length}` };
  }
  return {
    ok: false,
    message:
      'Not a trace ID: expected 16 or 32 hex digits, or a traceparent such as ' +
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  };
}
