/**
 * Small readers over plain JSON that follow Go's decoding: an absent or `null` field is nil, a nil string is "",
 * a nil bool is false. The rules compare values the way the controller does after `json.Unmarshal`.
 */

/** Whether a pointer-like field is set (Go: `!= nil`). YAML `pause:` (null) is nil, `pause: {}` is not. */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** A string field as Go sees it ("" when absent). */
export function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : String(v);
}

/** A plain object, or undefined. */
export function obj(v: unknown): Record<string, any> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : undefined;
}

/** An array field ([] when absent or not an array). */
export function arr(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

/** A number field, or the default when absent (or not a number: the schema check reports that). */
export function num(v: unknown, dflt: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : dflt;
}

/**
 * The one key {@link strMap} drops: assigning a string to `__proto__` sets no property. A JSON object can still hold
 * it as its own key (`JSON.parse` defines it), so code that reads a map in place skips it to see what `strMap` sees.
 */
export const STR_MAP_DROPS = '__proto__';

/** A string map such as labels ({} when absent). */
export function strMap(v: unknown): Record<string, string> {
  const o = obj(v);
  if (!o) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(o)) out[k] = str(val);
  return out;
}

/** Whether a kind belongs to Argo Rollouts (`argoproj.io/...`), so a foreign `Rollout` kind is not judged. */
export function isArgoKind(o: any, kind: string): boolean {
  if (o?.kind !== kind) return false;
  const apiVersion = str(o?.apiVersion);
  return apiVersion === '' || apiVersion.startsWith('argoproj.io/');
}

/** Whether an object is a core Kubernetes kind (`v1` or `<group>/v..`) with that name. */
export function isKind(o: any, kind: string, groups: readonly string[]): boolean {
  if (o?.kind !== kind) return false;
  const apiVersion = str(o?.apiVersion);
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  return apiVersion === '' || groups.includes(group);
}

/**
 * Recent verdicts of a check, by the string checked, for checks that see the same few strings on every object (an
 * app's images, its label and annotation keys). Bounded whatever the input: emptied when it holds `max` entries, and
 * a string longer than `maxLength` is not kept. `get` gives undefined for a string not kept.
 */
export class VerdictCache<V> {
  private readonly verdicts = new Map<string, V>();

  constructor(private readonly max: number, private readonly maxLength: number) {}

  /** How many verdicts are kept now (the tests of the bound read it). */
  public get size(): number {
    return this.verdicts.size;
  }

  public get(key: string): V | undefined {
    return this.verdicts.get(key);
  }

  public set(key: string, verdict: V): void {
    if (typeof key !== 'string' || key.length > this.maxLength) return;
    if (this.verdicts.size >= this.max) this.verdicts.clear();
    this.verdicts.set(key, verdict);
  }
}
