// CRC-32 (IEEE, as zlib and gzip compute it) for the store's log records. Node has zlib.crc32 since 20.15,
// but VS Code 1.90 runs Node 20.9, so a table version stands in where it is missing.

import * as zlib from 'node:zlib';

type Crc32 = (data: Uint8Array, initial?: number) => number;

const native = (zlib as { crc32?: Crc32 }).crc32;

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table !== undefined) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** The table implementation; exported so tests can check it against zlib's. */
export function crc32Portable(data: Uint8Array, previous = 0): number {
  const t = crcTable();
  let crc = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) crc = t[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32 of `data`, continuing from `previous` (the CRC of the bytes before it). */
export function crc32(data: Uint8Array, previous = 0): number {
  return native !== undefined ? native(data, previous) >>> 0 : crc32Portable(data, previous);
}
