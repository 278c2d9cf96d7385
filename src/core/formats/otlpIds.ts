// Trace and span IDs as OTLP producers spell them: hex of any case (the spec), or base64 of the bytes
// (Tempo, Jaeger api_v3 before v1.54). This runs several times per span, so it reads char codes instead of
// using regexes or Buffer.

import { normalizeHexId } from '../model/ids';

/**
 * A trace or span ID in either spelling, checked by char codes since this runs for every span. Text made
 * only of hex digits is hex (shorter IDs are left-padded, as Tempo strips leading zeros); anything else must
 * be base64 of exactly `byteLength` bytes, padded or not.
 */
export function readOtlpId(text: string, byteLength: 8 | 16): string | undefined {
  const digits = byteLength === 8 ? 16 : 32;
  let upper = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code >= 48 && code <= 57) || (code >= 97 && code <= 102)) continue;
    if (code >= 65 && code <= 70) {
      upper = true;
      continue;
    }
    return base64IdToHex(text, byteLength);
  }
  if (text.length === digits) return upper ? text.toLowerCase() : text;
  return normalizeHexId(text, digits);
}

const BASE64_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  BASE64_VALUES['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
}
// The URL-safe alphabet too.
BASE64_VALUES[45] = 62;
BASE64_VALUES[95] = 63;

const HEX_CODES = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];
const hexScratch: Record<8 | 16, number[]> = { 8: new Array<number>(16).fill(48), 16: new Array<number>(32).fill(48) };

/** Base64 (padded or not) of exactly `byteLength` bytes to lowercase hex, else undefined. */
function base64IdToHex(text: string, byteLength: 8 | 16): string | undefined {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */) end--;
  const unpadded = Math.ceil((byteLength * 4) / 3);
  if (end !== unpadded || (text.length !== end && text.length !== Math.ceil(byteLength / 3) * 4)) return undefined;
  const out = hexScratch[byteLength];
  let buffer = 0;
  let bits = 0;
  let written = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? BASE64_VALUES[code] : -1;
    if (value < 0) return undefined;
    buffer = ((buffer << 6) | value) & 0xfff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      const byte = (buffer >> bits) & 0xff;
      out[written++] = HEX_CODES[byte >> 4];
      out[written++] = HEX_CODES[byte & 15];
    }
  }
  return written === byteLength * 2 ? String.fromCharCode(...out) : undefined;
}
