import { ApiObject, App, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as analysis from '../../imports/argo-analysis-argoproj.io';
import * as rollouts from '../../imports/argo-rollouts-argoproj.io';

/**
 * `ApiObject.prototype.toJson` of cdk8s, byte for byte, in one pass. cdk8s resolves an object with
 * `resolve(key, value, obj)`, which looks the App up from the object (a walk to the root) and allocates a key path and
 * a context for every value of the manifest, and then copies the result once more to sort its keys and drop empty
 * values (`sanitizeValue`). With the App's built-in resolvers only (no `resolvers` prop), what that does is fixed:
 * a `Lazy` is produced, a value with a `resolve()` method is resolved, a non-plain object with a number or string
 * `value` becomes `{ value }` (IntOrString, Quantity, ...), then arrays and plain objects are walked. This does the
 * same in the same order (so `Lazy.produce()` is called in the same order), sorting and dropping as it goes.
 * With any custom resolver, or anything it cannot prove it renders the same (a `__proto__` key), it uses cdk8s' own.
 *
 * @internal
 */
export function renderApiObject(obj: ApiObject): any {
  const app = App.of(obj) as Partial<App>;
  if (!hasBuiltInResolversOnly(app.resolvers)) return ApiObject.prototype.toJson.call(obj);
  try {
    const data = { ...(obj as any).props, metadata: obj.metadata.toJson() };
    const sortKeys = process.env.CDK8S_DISABLE_SORT ? false : true;
    let json: any;
    try {
      json = resolveSanitized(data, sortKeys);
    } catch (e) {
      if (e === UNPROVEN) return ApiObject.prototype.toJson.call(obj);
      throw e;
    }
    const patched = JsonPatch.apply(json, ...((obj as any).patches as JsonPatch[]));
    // apiVersion, kind and metadata first, then the rest (what cdk8s does)
    const result: Record<string, any> = {};
    for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) {
      if (k in patched) result[k] = patched[k];
    }
    return result;
  } catch (e) {
    throw new Error(`Failed serializing construct at path '${obj.node.path}' with name '${obj.name}': ${e}`);
  }
}

/**
 * `obj.toJson()`, rendered with {@link renderApiObject} when the object is a plain `ApiObject` or an instance (not a
 * subclass) of a generated L1 class of the Kubernetes, Rollout or AnalysisTemplate imports whose `toJson` is still
 * the generated one: `{ ...GVK, ...toJson_XProps(super.toJson()) }`, checked against its source text. Anything else
 * (a subclass, a `toJson` replaced on the object) is rendered by its own `toJson()`.
 *
 * @internal
 */
export function renderOwned(obj: ApiObject, isOwnWrapper: (fn: unknown) => boolean = () => false): any {
  const proto = Object.getPrototypeOf(obj);
  // A wrapper of the caller's own that serializes with the class' toJson does not count as a replaced toJson.
  const own = Object.prototype.hasOwnProperty.call(obj, 'toJson') && !isOwnWrapper(obj.toJson);
  if (!own && proto === ApiObject.prototype) return renderApiObject(obj);
  const convert = own ? undefined : generatedConversions().get(proto.constructor);
  return convert ? convert(renderApiObject(obj)) : obj.toJson();
}

let conversions: Map<Function, (resolved: any) => any> | undefined;

/** Each generated L1 class, with the conversion its `toJson` applies to what `ApiObject.toJson` returns. */
function generatedConversions(): Map<Function, (resolved: any) => any> {
  if (conversions) return conversions;
  conversions = new Map();
  for (const mod of [kplus.k8s, rollouts, analysis] as Array<Record<string, any>>) {
    for (const [name, cls] of Object.entries(mod)) {
      const toJsonProps = mod[`toJson_${name}Props`];
      if (typeof cls !== 'function' || typeof toJsonProps !== 'function' || !cls.GVK) continue;
      if (Object.getPrototypeOf(cls) !== ApiObject || !isGeneratedToJson(cls.prototype.toJson, name)) continue;
      conversions.set(cls, (resolved) => ({ ...cls.GVK, ...toJsonProps(resolved) }));
    }
  }
  return conversions;
}

/** Whether `fn` is, token for token, the `toJson` that `cdk8s import` generates for class `name`. */
function isGeneratedToJson(fn: unknown, name: string): boolean {
  if (typeof fn !== 'function') return false;
  const text = fn.toString().replace(/\s+/g, '');
  // tsc keeps the trailing comma, other transpilers (tsx, esbuild) drop it.
  return text === `toJson(){constresolved=super.toJson();return{...${name}.GVK,...toJson_${name}Props(resolved),};}`
    || text === `toJson(){constresolved=super.toJson();return{...${name}.GVK,...toJson_${name}Props(resolved)};}`;
}

const UNPROVEN = Symbol('unproven');
// cdk8s' index exports through getters: read once, not on every value of every manifest.
const LAZY = Lazy;

function hasBuiltInResolversOnly(resolvers: unknown): boolean {
  return Array.isArray(resolvers) && resolvers.length === 3
    && resolvers[0]?.constructor === LazyResolver
    && resolvers[1]?.constructor === ImplicitTokenResolver
    && resolvers[2]?.constructor === NumberStringUnionResolver;
}

/** `sanitizeValue(resolve([], value, obj), { sortKeys })` with the built-in resolvers. */
function resolveSanitized(value: any, sortKeys: boolean): any {
  // The resolvers, in the App's order; each replacement is resolved again from the first one.
  for (;;) {
    if (value == null) return undefined;
    if (value instanceof LAZY) {
      value = value.produce();
    } else if (typeof value.resolve === 'function') {
      value = value.resolve();
    } else if (value.constructor !== Object && (typeof value.value === 'number' || typeof value.value === 'string')) {
      value = { value: value.value };
    } else {
      break;
    }
  }
  // map(), as cdk8s: holes stay holes
  if (Array.isArray(value)) return value.map((x) => resolveSanitized(x, sortKeys));
  // eslint-disable-next-line eqeqeq
  if (value.constructor == Object) {
    const keys = Object.keys(value);
    const resolved: Record<string, any> = {};
    for (const k of keys) {
      // resolve() assigns `result[k]`: a `__proto__` key would set the prototype instead
      if (k === '__proto__') throw UNPROVEN;
      resolved[k] = resolveSanitized(value[k], sortKeys);
    }
    if (!sortKeys) return dropEmpty(resolved, keys);
    return dropEmpty(resolved, keys.sort());
  }
  // Not walked by resolve: sanitized as is.
  return sanitize(value, sortKeys);
}

function dropEmpty(resolved: Record<string, any>, keys: string[]): Record<string, any> {
  const out: Record<string, any> = {};
  for (const k of keys) {
    const v = resolved[k];
    if (v != null) out[k] = v;
  }
  return out;
}

/** cdk8s' `sanitizeValue` (not exported by cdk8s). */
function sanitize(obj: any, sortKeys: boolean): any {
  if (obj == null) return undefined;
  if (typeof obj !== 'object') return obj;
  if (Array.isArray(obj)) return obj.map((x) => sanitize(x, sortKeys));
  if (obj.constructor.name !== 'Object') throw new Error(`can't render non-simple object of type '${obj.constructor.name}'`);
  const out: Record<string, any> = {};
  for (const key of sortKeys ? Object.keys(obj).sort() : Object.keys(obj)) {
    const v = sanitize(obj[key], sortKeys);
    if (v != null) out[key] = v;
  }
  return out;
}
