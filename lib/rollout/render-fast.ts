import { Lazy } from 'cdk8s';

/**
 * render.ts' walk for values that hold no token: what cdk8s' `resolve` and `sanitizeValue`, then the generated
 * `toJson_<Type>`, make of them, without the walk's snapshot of each object's values and its arrays of rendered
 * fields (the walk needs them only for tokens). A value they cannot prove they render the same is refused with
 * {@link RETRY} before anything with an effect happens: a `Lazy` or a value with a `resolve()` method (cdk8s calls
 * them in the order of `Object.entries`, each level read before any of it is resolved: only the walk keeps that
 * order), a `__proto__` or `constructor` key, a function, a `Date`, a null-prototype object or any other non-plain
 * object but an IntOrString-like one (cdk8s' `NumberStringUnionResolver` reads its `value`, with no effect). Without
 * tokens nothing has an effect, so the order in which they visit fields does not matter; render.ts renders a refused
 * value with the walk, from the start.
 *
 * @internal
 */
export const RETRY = Symbol('retry');

/**
 * A renderer of the items of a list or map of structs, called as `map()` calls it, with its shape as `this`.
 *
 * @internal
 */
export type ItemRenderer<S> = (this: S, v: any) => any;

// cdk8s' index exports through getters: read once.
const LAZY = Lazy;

let sortKeys = true;

/**
 * Sets whether plain objects and maps are written with sorted keys (cdk8s sorts unless `CDK8S_DISABLE_SORT` is
 * set) and returns the previous setting. The renderers are synchronous: render.ts sets it around one render.
 *
 * @internal
 */
export function setSortKeys(sort: boolean): boolean {
  const previous = sortKeys;
  sortKeys = sort;
  return previous;
}

/**
 * `Object.keys(x).sort()`, without the sort when the keys are in order already (objects are mostly built in sorted
 * order, or have one key): the default sort compares UTF-16 code units, as `>` compares strings.
 */
function sortedKeys(x: any): string[] {
  const keys = Object.keys(x);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) return keys.sort();
  }
  return keys;
}

/** Whether `v` (not nullish) is a plain object that cdk8s' resolver walks as it is: no token. */
function isPlainObject(v: any): boolean {
  return v.constructor === Object && !Array.isArray(v) && !(v instanceof LAZY) && typeof v.resolve !== 'function';
}

/** Whether `v` (not nullish) is an array that no resolver replaces (not a token, no number or string `value`). */
function isPlainArray(v: any): boolean {
  return !(v instanceof LAZY) && typeof v.resolve !== 'function' && v.value === undefined && Array.isArray(v);
}

/**
 * The start of render.ts' `fastStruct` (a `toJson_<Type>` of a value without tokens): `v` is a plain object (else
 * {@link RETRY}); its own enumerable keys, the ones cdk8s' `resolve` reads with `Object.entries`.
 *
 * @internal
 */
export function keysOf(v: any): string[] {
  if (!isPlainObject(v)) throw RETRY;
  return Object.keys(v);
}

/**
 * A key the `toJson_<Type>` does not write: resolved and sanitized all the same by cdk8s (an error would be cdk8s'
 * error), so refused unless its value is plain.
 *
 * @internal
 */
export function other(v: any, key: string): void {
  if (key === '__proto__') throw RETRY;
  any(v[key]);
}

/**
 * `sanitizeValue(resolve(x), { sortKeys })`: a value written as it is (`obj.prop`). An IntOrString-like object
 * becomes `{ value }` as the `NumberStringUnionResolver` makes it.
 *
 * @internal
 */
export function any(x: any): any {
  if (x == null) return undefined;
  if (typeof x !== 'object') {
    if (typeof x === 'function') throw RETRY;
    return x;
  }
  // the order of cdk8s' resolvers: Lazy, resolve(), then a non-plain object with a number or string value
  if (x instanceof LAZY || typeof x.resolve === 'function') throw RETRY;
  const c = x.constructor;
  if (c !== Object) {
    const w = x.value;
    if (typeof w === 'number' || typeof w === 'string') return { value: w };
  }
  // map(), as cdk8s: holes stay holes
  if (Array.isArray(x)) return x.map(any);
  if (c !== Object) throw RETRY;
  const keys = sortKeys ? sortedKeys(x) : Object.keys(x);
  const out: Record<string, any> = {};
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    // resolve() assigns `result[k]`: a `__proto__` key would set the prototype instead
    if (k === '__proto__') throw RETRY;
    const v = any(x[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * {@link any} with empty arrays and objects dropped, keys always sorted: what the metadata's `toJson` asks
 * (`filterEmptyArrays`, `filterEmptyObjects`).
 *
 * @internal
 */
export function anyFilterEmpty(x: any): any {
  if (x == null) return undefined;
  if (typeof x !== 'object') {
    if (typeof x === 'function') throw RETRY;
    return x;
  }
  if (x instanceof LAZY || typeof x.resolve === 'function') throw RETRY;
  const c = x.constructor;
  if (c !== Object) {
    const w = x.value;
    // `{ value }` is not empty
    if (typeof w === 'number' || typeof w === 'string') return { value: w };
  }
  if (Array.isArray(x)) return x.length === 0 ? undefined : x.map(anyFilterEmpty);
  if (c !== Object) throw RETRY;
  const keys = sortedKeys(x);
  const out: Record<string, any> = {};
  let empty = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === '__proto__') throw RETRY;
    const v = anyFilterEmpty(x[k]);
    if (v !== undefined) {
      out[k] = v;
      empty = false;
    }
  }
  return empty ? undefined : out;
}

/**
 * `toJson_T`'s `obj.prop?.value` of the resolved value (IntOrString, Quantity): a primitive has no `value`.
 *
 * @internal
 */
export function value(x: any): any {
  if (x == null) return undefined;
  if (typeof x !== 'object') {
    if (typeof x === 'function') throw RETRY;
    return undefined;
  }
  if (x instanceof LAZY || typeof x.resolve === 'function') throw RETRY;
  const c = x.constructor;
  if (c !== Object) {
    const w = x.value;
    if (typeof w === 'number' || typeof w === 'string') return w;
    // an array's items would be resolved all the same; anything else is not simple
    throw RETRY;
  }
  if (Array.isArray(x)) throw RETRY;
  return any(x).value;
}

/**
 * `obj.prop?.map(y => y)` of the resolved list.
 *
 * @internal
 */
export function list(x: any): any {
  if (x == null) return undefined;
  if (!isPlainArray(x)) throw RETRY;
  return x.map(any);
}

/**
 * `obj.prop?.map(y => toJson_T(y))` of the resolved list; `render` renders a T of `shape`.
 *
 * @internal
 */
export function listOf<S>(x: any, render: ItemRenderer<S>, shape: S): any {
  if (x == null) return undefined;
  if (!isPlainArray(x)) throw RETRY;
  // map(), as cdk8s and toJson_T: holes stay holes; the renderer does not read map()'s index and array arguments
  return x.map(render, shape);
}

/**
 * The four map forms of `toJson_T` (`{}`, `{.value}`, `{T}`, `{[]}`) of the resolved map: its keys sorted (as cdk8s
 * sorts them), undefined values dropped; `{.value}` writes a key whose value has no `value` (`{ ...r, [k]: v?.value }`).
 *
 * @internal
 */
export function map<S>(x: any, kind: 0 | 1 | 2 | 3, render?: ItemRenderer<S>, shape?: S): any {
  if (x == null) return undefined;
  if (!isPlainObject(x)) throw RETRY;
  const keys = sortKeys ? sortedKeys(x) : Object.keys(x);
  const out: Record<string, any> = {};
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === '__proto__') throw RETRY;
    const v = x[k];
    if (v == null) continue;
    out[k] = kind === 0 ? any(v) : kind === 1 ? value(v) : kind === 2 ? render!.call(shape!, v) : list(v);
  }
  return out;
}

/**
 * `obj.prop?.toISOString()`: cdk8s' sanitize refuses a `Date`, so only an absent value renders.
 *
 * @internal
 */
export function date(x: any): undefined {
  if (x != null) throw RETRY;
  return undefined;
}
