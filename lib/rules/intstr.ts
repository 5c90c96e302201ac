/** Argo's reading of an int-or-string (`getIntOrPercentValue`): `"25%"` is 25, `"3"` is 3, any other string 0. */
export function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  const s = typeof v === 'string' ? v : '';
  const percent = /^([0-9]+)%$/.exec(s);
  if (percent) return Number(percent[1]);
  // strconv.Atoi: an optional sign and digits; anything else is an error, read as 0.
  return /^[+-]?[0-9]+$/.test(s) ? Number(s) : 0;
}
