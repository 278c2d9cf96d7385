// The first part of a long value, for the detail pane to show until the user asks for all of it.

/** Values longer than this many characters are cut for display. */
export const PREVIEW_MAX_CHARS = 2000;
/** Values with more lines than this are cut for display. */
export const PREVIEW_MAX_LINES = 20;

/** Undefined when `text` fits; else its first PREVIEW_MAX_LINES lines, at most PREVIEW_MAX_CHARS characters. */
export function previewOf(text: string, maxChars = PREVIEW_MAX_CHARS, maxLines = PREVIEW_MAX_LINES): string | undefined {
  let end = Math.min(text.length, maxChars);
  let lines = 1;
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10 /* \n */ && ++lines > maxLines) {
      end = i;
      break;
    }
  }
  if (end >= text.length) return undefined;
  // Never split a surrogate pair.
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end);
}

/** Bytes `text` takes as UTF-8, without encoding it. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** `812 B`, `12.3 KB`, `4.5 MB` (powers of 1024). */
export function formatByteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : Number(value.toFixed(1))} ${units[unit]}`;
}
