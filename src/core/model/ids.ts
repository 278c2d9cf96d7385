// Trace and span IDs arrive as hex of any case and length, or as base64 bytes. The model keeps
// lowercase hex: 32 digits for trace IDs, 16 for span IDs.

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

export function isHex(text: string): boolean {
  return HEX.test(text);
}

function padHex(hex: string, digits: number): string {
  const lower = hex.toLowerCase();
  return lower.length >= digits ? lower : '0'.repeat(digits - lower.length) + lower;
}

/** Hex ID (any case) to lowercase, left-padded to `digits`. Undefined if not hex or too long. */
export function normalizeHexId(text: string, digits: 16 | 32): string | undefined {
  if (text.length === 0 || text.length > digits || !HEX.test(text)) return undefined;
  return padHex(text, digits);
}

/** Base64 (standard or URL alphabet, padded or not) to lowercase hex, or undefined. */
export function base64ToHex(text: string): string | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === 0 ? undefined : bytes.toString('hex');
}

/**
 * An ID that may be hex or base64, as OTLP JSON producers disagree (the spec says hex, Tempo and old
 * Jaeger api_v3 send base64). `byteLength` is 16 for trace IDs and 8 for span IDs.
 */
export function normalizeOtlpId(text: string, byteLength: 8 | 16): string | undefined {
  const digits = (byteLength * 2) as 16 | 32;
  if (text.length === digits && HEX.test(text)) return text.toLowerCase();
  const base64Length = Math.ceil(byteLength / 3) * 4;
  if (text.length === base64Length || text.length === Math.ceil((byteLength * 4) / 3)) {
    const hex = base64ToHex(text);
    if (hex !== undefined && hex.length === digits) return hex;
  }
  return normalizeHexId(text, digits);
}

/** True for IDs that are all zeros, which OTLP defines as invalid (no parent, no trace). */
export function isZeroId(hex: string): boolean {
  for (let i = 0; i < hex.length; i++) if (hex.charCodeAt(i) !== 48) return false;
  return true;
}
