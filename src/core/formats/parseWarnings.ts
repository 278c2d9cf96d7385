// Parsers report repairs as warnings. A file with a million bad values must not produce a million
// messages, so the list stops growing at a cap and says that it did.

export const MAX_PARSE_WARNINGS = 100;

export const WARNINGS_LEFT_OUT = 'further warnings were left out';

export function addParseWarning(warnings: string[], message: string): void {
  if (warnings.length < MAX_PARSE_WARNINGS) warnings.push(message);
  else if (warnings.length === MAX_PARSE_WARNINGS) warnings.push(WARNINGS_LEFT_OUT);
}

/** "1 span has" / "3 spans have", for warnings that count occurrences. */
export function countPhrase(count: number, singular: string, plural: string): string {
  return count === 1 ? `1 ${singular}` : `${count} ${plural}`;
}
