/**
 * Argo's pause duration (`RolloutPause.DurationSeconds`): an integer is seconds, a string is first tried as an
 * integer (`strconv.ParseInt(s, 10, 32)`) and then as a Go duration (`time.ParseDuration`); anything unparsable is -1.
 */

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  '\u00b5s': 1000n, // micro sign
  '\u03bcs': 1000n, // Greek mu
  ms: 1000000n,
  s: 1000000000n,
  m: 60000000000n,
  h: 3600000000000n,
};
const MAX_NS = 1n << 63n;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Go's `time.ParseDuration`, in nanoseconds; undefined when Go returns an error. */
export function parseGoDuration(input: string): bigint | undefined {
  let s = input;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  while (s !== '') {
    const m = /^([0-9]*)(?:\.([0-9]*))?/.exec(s);
    const intPart = m?.[1] ?? '';
    const fracPart = m?.[2];
    if (intPart === '' && (fracPart === undefined || fracPart === '')) return undefined; // no digits
    s = s.slice(m![0].length);
    const unitMatch = /^[^0-9.]+/.exec(s);
    if (!unitMatch) return undefined; // missing unit
    const unit = UNIT_NS[unitMatch[0]];
    if (unit === undefined) return undefined; // unknown unit
    s = s.slice(unitMatch[0].length);
    let v = intPart === '' ? 0n : BigInt(intPart);
    if (v > MAX_NS / unit) return undefined; // overflow
    v *= unit;
    if (fracPart) {
      // Go adds the fraction in float64, truncated to whole nanoseconds.
      v += BigInt(Math.trunc(Number(`0.${fracPart}`) * Number(unit)));
      if (v > MAX_NS) return undefined;
    }
    total += v;
    if (total > MAX_NS) return undefined;
  }
  if (neg) return -total;
  if (total > MAX_NS - 1n) return undefined;
  return total;
}

/** Seconds as `int32(d.Seconds())`: truncated toward zero; out of int32 range is what amd64 yields (MinInt32). */
function durationToInt32Seconds(ns: bigint): number {
  const seconds = Math.trunc(Number(ns) / 1e9) || 0; // no -0
  return seconds < INT32_MIN || seconds > INT32_MAX ? INT32_MIN : seconds;
}

/** `RolloutPause.DurationSeconds()`: 0 when no duration, -1 when unparsable. */
export function pauseDurationSeconds(duration: unknown): number {
  if (duration === undefined || duration === null) return 0;
  // The field is an int32-or-string: a fractional number is not one (the API server rejects it).
  if (typeof duration === 'number') return Number.isInteger(duration) && duration >= INT32_MIN && duration <= INT32_MAX ? duration : -1;
  const s = String(duration);
  if (/^[+-]?[0-9]+$/.test(s)) {
    const n = Number(s);
    if (n >= INT32_MIN && n <= INT32_MAX) return n;
  }
  const ns = parseGoDuration(s);
  return ns === undefined ? -1 : durationToInt32Seconds(ns);
}
