// Go's time.ParseDuration, as Jaeger and Tempo read duration parameters, written independently of the
// client code so the fakes check what the client sends instead of agreeing with it.

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['µs', 1_000n],
  ['μs', 1_000n],
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

/** Nanoseconds, or an Error with Go's wording (`time: invalid duration "x"`, `time: missing unit …`). */
export function parseGoDuration(text: string): bigint {
  const invalid = (): Error => new Error(`time: invalid duration "${text}"`);
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') throw invalid();
  let total = 0n;
  while (rest !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest);
    if (number === null || (number[1] === '' && (number[2] ?? '') === '')) throw invalid();
    rest = rest.slice(number[0].length);
    const unit = /^[^\d.]+/.exec(rest)?.[0];
    if (unit === undefined) throw new Error(`time: missing unit in duration "${text}"`);
    const size = UNITS.get(unit);
    if (size === undefined) throw new Error(`time: unknown unit "${unit}" in duration "${text}"`);
    rest = rest.slice(unit.length);
    total += BigInt(number[1] === '' ? '0' : number[1]) * size;
    const fraction = number[2] ?? '';
    if (fraction !== '') total += (BigInt(fraction) * size) / 10n ** BigInt(fraction.length);
  }
  return negative ? -total : total;
}
