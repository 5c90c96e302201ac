/**
 * Pause durations, parsed the way the controller does (`RolloutPause.DurationSeconds`, validation rule 36):
 * an integer is seconds; a string that `strconv.ParseInt` accepts is seconds; otherwise Go's `time.ParseDuration`,
 * truncated to whole seconds; anything else is -1 (which the controller rejects as InvalidSpec).
 */

const INT32_MAX = 2147483647;
const MAX_DURATION_NS = 9223372036854775807n; // Go's time.Duration is an int64 of nanoseconds

/** Nanoseconds per unit, as in Go's time package (both micro signs are accepted). */
const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n, // U+00B5
  'μs': 1000n, // U+03BC
  ms: 1000000n,
  s: 1000000000n,
  m: 60000000000n,
  h: 3600000000000n,
};

/** `pause.duration` in seconds, or -1 when the controller could not parse it. */
export function pauseDurationSeconds(duration: unknown): number {
  if (typeof duration === 'number') {
    return Number.isInteger(duration) && Math.abs(duration) <= INT32_MAX ? duration : -1;
  }
  if (typeof duration !== 'string') return -1;
  // strconv.ParseInt(s, 10, 32): optional sign, decimal digits, within int32.
  if (/^[+-]?[0-9]+$/.test(duration)) {
    const n = Number(duration);
    return Math.abs(n) <= INT32_MAX ? n : -1;
  }
  const ns = parseGoDuration(duration);
  if (ns === null) return -1;
  // int32(d.Seconds()): truncation toward zero.
  const seconds = Number(ns / 1000000000n);
  return Math.abs(seconds) <= INT32_MAX ? seconds : -1;
}

/** Go's `time.ParseDuration`: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, or "0"; nanoseconds, or null when invalid. */
export function parseGoDuration(s: string): bigint | null {
  let rest = s;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') return null;
  let total = 0n;
  const part = /^([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h)/;
  while (rest !== '') {
    const m = part.exec(rest);
    if (!m) return null;
    const [whole, intDigits, fracDigits = ''] = m;
    if (intDigits === '' && fracDigits === '') return null; // "." alone or a bare unit
    const unit = UNIT_NS[m[3]];
    const intPart = intDigits === '' ? 0n : BigInt(intDigits);
    let value = intPart * unit;
    if (fracDigits !== '') {
      // Go keeps the fraction exactly down to the nanosecond and truncates the rest.
      value += (BigInt(fracDigits) * unit) / 10n ** BigInt(fracDigits.length);
    }
    total += value;
    if (total > MAX_DURATION_NS) return null;
    rest = rest.slice(whole.length);
  }
  return negative ? -total : total;
}

/** Seconds as people write them: `60s`, `90s`, `10m`, `2m30s`, `1h`, `2h5m` (under 100 s, plain seconds). */
export function formatSeconds(seconds: number): string {
  if (seconds < 100) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}
