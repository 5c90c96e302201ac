import {
  ApiObject, ApiObjectMetadataDefinition, App, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver, NumberStringUnionResolver,
} from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as analysis from '../../imports/argo-analysis-argoproj.io';
import * as rollouts from '../../imports/argo-rollouts-argoproj.io';
import { directEmitterInUse, shareJson } from '../gitops/yaml';
import { ANALYSIS, K8S, KubeConversions, ROLLOUTS } from './kube-conversions';
import * as fast from './render-fast';

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
    const sortKeys = process.env.CDK8S_DISABLE_SORT ? false : true;
    let json: any;
    try {
      const data = { ...(obj as any).props, metadata: metadataJson(obj) };
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
 * `obj.toJson()`, in one walk when the object is a plain `ApiObject` ({@link renderApiObject}) or an instance (not a
 * subclass) of a generated L1 class of the Kubernetes, Rollout or AnalysisTemplate imports whose `toJson` is still
 * the generated one, `{ ...GVK, ...toJson_XProps(super.toJson()) }` (checked against its source text). For those,
 * cdk8s resolves and sanitizes the props (one copy) and `toJson_XProps` copies the result again to write each field
 * under its JSON key (`hostIP` for `hostIp`, `$ref`, `x-kubernetes-...`), in its own order, and IntOrString or
 * Quantity as their `value`. {@link renderTyped} does both in the same walk, with the table of what every
 * `toJson_*` does (`./kube-conversions`, generated from the bindings). Without a proven table (cdk8s-plus-27 of
 * another version whose functions differ), the object is resolved in one walk and converted by its own `toJson_*`.
 * Anything else (a subclass, a `toJson` replaced on the object) is rendered by its own `toJson()`.
 *
 * With `share`, the caller promises that the JSON goes to `Yaml.stringify` at once and nowhere else (synth's
 * validation, writing YAML, not handing JSON to cdk8s or the app): then the part rendered from a deep-frozen value
 * without tokens (the presets' constant probes, ports, mounts, resources, security context) is rendered once and the
 * same frozen JSON is returned for every object ({@link sharedValue}), and the direct YAML emitter writes it from the
 * text it kept ({@link shareJson}). Without it (the default), every object gets fresh, mutable JSON, as cdk8s gives
 * it: JSON that reaches the app (`toJson()`, `Testing.synth`, a chart's overridden `toJson`) must not be shared.
 *
 * @internal
 */
export function renderOwned(obj: ApiObject, isOwnWrapper: (fn: unknown) => boolean = () => false, share = false): any {
  const route = renderRoute(obj, isOwnWrapper);
  switch (route.via) {
    case 'walk': return renderTyped(obj, route.generated.cls, route.generated.shape!, share && directEmitterInUse());
    case 'resolve-then-convert': return { ...route.generated.cls.GVK, ...route.generated.toJsonProps(renderApiObject(obj)) };
    case 'resolve': return renderApiObject(obj);
    default: return obj.toJson();
  }
}

/**
 * How {@link renderOwned} renders `obj`: `walk` (the table of its generated L1 class, one walk), `resolve-then-convert`
 * (a generated L1 class without a proven table: resolved in one walk, then its `toJson_*`), `resolve` (a plain
 * `ApiObject`, one walk) or `toJson` (its own). `walk` and `resolve` still fall back to cdk8s' own `toJson` for what
 * they cannot prove, which is known during the walk only (custom resolvers, a value not of its field's type, ...).
 *
 * @internal
 */
export function renderRoute(obj: ApiObject, isOwnWrapper: (fn: unknown) => boolean = () => false):
  { via: 'walk' | 'resolve-then-convert'; generated: Generated } | { via: 'resolve' | 'toJson' } {
  const proto = Object.getPrototypeOf(obj);
  // A wrapper of the caller's own that serializes with the class' toJson does not count as a replaced toJson.
  const own = Object.prototype.hasOwnProperty.call(obj, 'toJson') && !isOwnWrapper(obj.toJson);
  if (own) return { via: 'toJson' };
  if (proto === ApiObject.prototype) return { via: 'resolve' };
  const generated = generatedClass(proto.constructor);
  if (!generated) return { via: 'toJson' };
  if (generated.shape === undefined) generated.shape = generated.prove() ?? null;
  return { via: generated.shape ? 'walk' : 'resolve-then-convert', generated };
}

/** @internal */
export interface Generated {
  readonly cls: any;
  /** The binding's `toJson_<Kind>Props`. */
  readonly toJsonProps: (resolved: any) => any;
  /** The table of `toJson_<Kind>Props`, when it is proven for the loaded bindings. */
  readonly prove: () => Shape | undefined;
  /** prove(), once: null when unproven. */
  shape?: Shape | null;
}

// The bindings whose generated L1 classes are rendered through their table, each with the table's shapes.
let bindings: Array<{ readonly mod: Record<string, any>; readonly shapes: Shapes }> | undefined;
/** Each class renderRoute has met: its generated L1 entry, or null when it is none. */
const generated = new Map<Function, Generated | null>();

/**
 * `cls` when it is a generated L1 class whose `toJson` is the generated one, with its props' conversion. Looked up
 * per class when first rendered, not for all of them at once: checking the source text of every class of
 * cdk8s-plus-27's k8s imports (559 entries) cost about 5 ms of the first synthesis, for the two or three classes an
 * app renders. Same answer as a table of all of them: the last binding that exports `cls` under a name passing the
 * checks wins.
 */
function generatedClass(cls: Function): Generated | undefined {
  if (typeof cls !== 'function') return undefined;
  let entry = generated.get(cls);
  if (entry === undefined) {
    entry = null;
    bindings ??= [[kplus.k8s, K8S], [rollouts, ROLLOUTS], [analysis, ANALYSIS]]
      .map(([mod, table]) => ({ mod: mod as Record<string, any>, shapes: new Shapes(mod as Record<string, any>, table as KubeConversions) }));
    for (const { mod, shapes } of bindings) {
      for (const name of Object.keys(mod)) {
        if (mod[name] !== cls) continue; // an identity test per export; the text check only for the class itself
        const toJsonProps = mod[`toJson_${name}Props`];
        if (typeof toJsonProps !== 'function' || !(cls as any).GVK) continue;
        if (Object.getPrototypeOf(cls) !== ApiObject || !isGeneratedToJson(cls.prototype.toJson, name)) continue;
        entry = { cls, toJsonProps, prove: () => shapes.proven(`${name}Props`) };
      }
    }
    generated.set(cls, entry);
  }
  return entry ?? undefined;
}

/** Whether `fn` is, token for token, the `toJson` that `cdk8s import` generates for class `name`. */
function isGeneratedToJson(fn: unknown, name: string): boolean {
  if (typeof fn !== 'function') return false;
  const text = fn.toString().replace(/\s+/g, '');
  // tsc keeps the trailing comma, other transpilers (tsx, esbuild) drop it.
  return text === `toJson(){constresolved=super.toJson();return{...${name}.GVK,...toJson_${name}Props(resolved),};}`
    || text === `toJson(){constresolved=super.toJson();return{...${name}.GVK,...toJson_${name}Props(resolved)};}`;
}

// What a generated `toJson_<Type>` does to one field (see KubeConversions): the value as it is, `toJson_T(v)`,
// `v?.map(y => y)`, `v?.map(y => toJson_T(y))`, `v?.value`, `v?.toISOString()`, and the four map forms.
const ANY = 0;
const STRUCT = 1;
const ARRAY = 2;
const ARRAY_STRUCT = 3;
const VALUE = 4;
const DATE = 5;
const MAP = 6;
const MAP_VALUE = 7;
const MAP_STRUCT = 8;
const MAP_ARRAY = 9;

/** @internal */
export interface Field {
  readonly prop: string;
  readonly json: string;
  readonly kind: number;
  /** For STRUCT, ARRAY_STRUCT and MAP_STRUCT: the nested type, its table, and its shape once decoded. */
  readonly type?: string;
  readonly shapes?: Shapes;
  shape?: Shape;
}

/** The shape of a field's nested type, decoded when a value first reaches it (most of a type's closure never is). */
function nestedShape(field: Field): Shape {
  return field.shape ??= field.shapes!.shape(field.type!);
}

/**
 * One `toJson_<Type>`: its fields in the order it writes them, and the index of each by prop.
 *
 * @internal
 */
export interface Shape {
  readonly fields: Field[];
  readonly index: Map<string, number>;
  /** The remove patches translated for this type, by path (null: not translatable). */
  removes?: Map<string, string[] | JsonPatch | null>;
  /** {@link planOf}'s plans for the key lists met (a few: most types are built by one constructor, in one order). */
  plans?: Plan[];
}

/**
 * How {@link fastStruct} renders a plain object with a given list of own keys: the table's fields among them, in the
 * table's order (the order `toJson_T` writes them), and the keys no field has (resolved all the same by cdk8s).
 *
 * @internal
 */
export interface Plan {
  readonly keys: string[];
  readonly fields: Field[];
  readonly others: string[];
}

const KINDS: Record<string, number> = { '': ANY, '[]': ARRAY, '.value': VALUE, 'date': DATE, '{}': MAP, '{.value}': MAP_VALUE, '{[]}': MAP_ARRAY };

/**
 * The shapes of one binding's table, decoded on first use; `proven` checks them against the loaded functions.
 *
 * @internal
 */
export class Shapes {
  private readonly decoded = new Map<string, Shape>();
  private readonly checked = new Map<string, boolean>();
  private readonly lines = new Map<string, { hash?: number; fields: string[] }>();
  /** Whether the lines carry the hash of their function (a package the library does not ship). */
  private hashed?: boolean;

  constructor(private readonly mod: Record<string, any>, private readonly conversions: KubeConversions) {}

  /** The shape of `type` when the table and every type it reaches match the loaded bindings, else undefined. */
  public proven(type: string): Shape | undefined {
    if (!this.line(type)) return undefined;
    // the library's own bindings are compiled with it, and their table is checked against them by its tests
    if (!this.hashed) return this.shape(type);
    // every type toJson_<type> reaches, each once (types nest themselves: JSONSchemaProps)
    const reached = new Set<string>([type]);
    for (const t of reached) {
      if (!this.matches(t)) return undefined;
      for (const spec of this.line(t)!.fields) {
        const nested = /:[[{]?([A-Z]\w*)/.exec(spec);
        if (nested) reached.add(nested[1]);
      }
    }
    return this.shape(type);
  }

  /** A type's line of the table: `Type[@hash] field field ...`, read when first asked for. */
  private line(type: string): { hash?: number; fields: string[] } | undefined {
    const table = this.conversions.table;
    // a line of a hashed table starts `Type@`; found with indexOf, not by splitting the table (the CLI's start-up)
    this.hashed ??= /^\n\w+@/.test(table);
    let line = this.lines.get(type);
    if (!line) {
      const start = table.indexOf(`\n${type}${this.hashed ? '@' : ' '}`) + 1;
      if (start === 0) return undefined;
      const [name, ...fields] = table.slice(start, table.indexOf('\n', start)).split(' ');
      const at = name.indexOf('@');
      line = { hash: at < 0 ? undefined : Number(name.slice(at + 1)), fields: fields.filter((f) => f) };
      this.lines.set(type, line);
    }
    return line;
  }

  /** Whether the table has `type` and, for a package the library does not ship, its function is the one read. */
  private matches(type: string): boolean {
    let ok = this.checked.get(type);
    if (ok === undefined) {
      const line = this.line(type);
      const fn = this.mod[`toJson_${type}`];
      ok = line !== undefined && typeof fn === 'function' && (line.hash === undefined || line.hash === textHash(fn.toString()));
      this.checked.set(type, ok);
    }
    return ok;
  }

  /** The decoded line of `type`; its nested types are decoded when first reached ({@link nestedShape}). */
  public shape(type: string): Shape {
    let shape = this.decoded.get(type);
    if (shape) return shape;
    shape = { fields: [], index: new Map() };
    this.decoded.set(type, shape);
    for (const spec of this.line(type)!.fields) {
      const colon = spec.indexOf(':');
      const name = colon < 0 ? spec : spec.slice(0, colon);
      const kind = colon < 0 ? '' : spec.slice(colon + 1);
      const eq = name.indexOf('=');
      const prop = eq < 0 ? name : name.slice(0, eq);
      const json = eq < 0 ? name : name.slice(eq + 1);
      const nested = /^[[{]?([A-Z]\w*)[\]}]?$/.exec(kind);
      const field: Field = nested
        ? { prop, json, kind: kind[0] === '[' ? ARRAY_STRUCT : kind[0] === '{' ? MAP_STRUCT : STRUCT, type: nested[1], shapes: this, shape: undefined }
        : { prop, json, kind: KINDS[kind] };
      shape.index.set(prop, shape.fields.length);
      shape.fields.push(field);
    }
    return shape;
  }
}

/** FNV-1a of a text: the hash scripts/kube-conversions.js records for each function of cdk8s-plus-27. */
function textHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * `{ ...cls.GVK, ...toJson_XProps(ApiObject.prototype.toJson.call(obj)) }` in one walk of the props: each value is
 * resolved as cdk8s resolves it (same order of `Lazy.produce()` calls), sorted and dropped as `sanitizeValue` does,
 * and written as the table says. JSON patches apply to the resolved props, before `toJson_XProps`: a `remove` whose
 * path the table translates to the written keys is applied after the walk (cdk8s-plus removes `/immutable` from a
 * ConfigMap and `/spec/externalIPs` from a Service that way). What the walk cannot prove it writes the same (another
 * patch, custom resolvers, a value that is not of its field's type) is rendered by the class' own `toJson`, and so
 * is any error, so that it is cdk8s' own error. A value that is not of its field's type, like an error, is only
 * known once the walk reaches it: the `Lazy`s before it are then produced once more by `toJson` (TypeScript's types
 * rule such values out; `Lazy.produce()` is meant to be repeatable, cdk8s itself calls it for validation and synth).
 */
function renderTyped(obj: ApiObject, cls: any, shape: Shape, share: boolean): any {
  const app = App.of(obj) as Partial<App>;
  if (!hasBuiltInResolversOnly(app.resolvers)) return cls.prototype.toJson.call(obj);
  const patches = (obj as any).patches as JsonPatch[];
  const removes = patches.length > 0 ? translateRemoves(patches, shape) : undefined;
  if (removes === null) return cls.prototype.toJson.call(obj);
  const sortKeys = process.env.CDK8S_DISABLE_SORT ? false : true;
  const sorted = fast.setSortKeys(sortKeys);
  const outerSharing = sharing;
  // removes change the rendered JSON in place: none may reach a shared part (nor may the unsorted renders' keys)
  sharing = share && sortKeys && removes === undefined;
  try {
    const props = (obj as any).props;
    let metadata = fastMetadataJson(obj);
    let json: any;
    if (metadata !== UNPROVEN) {
      // nothing with an effect has run (the metadata held no token): the props are read in place
      json = walkProps(props, metadata, shape, sortKeys, gvkOf(cls.GVK));
    } else {
      // cdk8s' order: the props copied, then the metadata resolved (a Lazy of it may change the props)
      const copy = { ...props };
      metadata = metadataJson(obj);
      json = walkProps(copy, metadata, shape, sortKeys, gvkOf(cls.GVK));
    }
    if (removes !== undefined) json = applyRemoves(json, removes);
    return json;
  } catch (e) {
    // cdk8s' path, for the same result or the same error
    return cls.prototype.toJson.call(obj);
  } finally {
    fast.setSortKeys(sorted);
    sharing = outerSharing;
  }
}

/**
 * `{ ...gvk }`, the start of what a generated `toJson` returns, as an object literal when it is the generated
 * `{ apiVersion, kind }` (own enumerable string keys, as for-in lists them here: symbol keys, which no writer of JSON
 * or YAML reads, are left out). V8 adds properties to a copy made by a spread slowly (about ten times the cost of
 * adding them to a literal), and the rendered fields are added to this one.
 */
function gvkOf(gvk: any): Record<string, any> {
  let n = 0;
  for (const k in gvk) {
    if (k !== (n === 0 ? 'apiVersion' : 'kind')) return { ...gvk };
    n++;
  }
  return n === 2 && Object.prototype.hasOwnProperty.call(gvk, 'apiVersion') && Object.prototype.hasOwnProperty.call(gvk, 'kind')
    ? { apiVersion: gvk.apiVersion, kind: gvk.kind } : { ...gvk };
}

/** Each patch as {@link translateRemove} translates it, or null when one is not translatable. */
function translateRemoves(patches: JsonPatch[], shape: Shape): Array<string[] | JsonPatch> | null {
  const removes: Array<string[] | JsonPatch> = [];
  for (const p of patches) {
    const r = translateRemove(p, shape);
    if (!r) return null;
    removes.push(r);
  }
  return removes;
}

/** The translated removes applied to the rendered JSON, in order. */
function applyRemoves(json: any, removes: Array<string[] | JsonPatch>): any {
  for (const r of removes) {
    if (!Array.isArray(r)) {
      json = JsonPatch.apply(json, r);
      continue;
    }
    // fast-json-patch's remove on objects: each key read in turn (a missing parent throws), the last deleted
    let grandparent: any;
    let parent = json;
    for (let i = 0; i < r.length - 1; i++) {
      grandparent = parent;
      parent = parent[r[i]];
    }
    const copy = without(parent, r[r.length - 1]);
    if (copy === parent) continue;
    if (grandparent === undefined) json = copy;
    else grandparent[r[r.length - 2]] = copy;
  }
  return json;
}

/**
 * `delete parent[key]` of an object the render made, as a copy without the key (the same keys in the same order):
 * V8 turns an object whose property other than the last added is deleted into a dictionary, slower to read for the
 * rules and the YAML emitter after it (cdk8s-plus removes `/spec/externalIPs` from every Service). `parent` itself
 * when it has no such own key (a delete that does nothing).
 */
function without(parent: any, key: string): any {
  if (!Object.prototype.hasOwnProperty.call(parent, key)) {
    // a delete of an inherited or absent key changes nothing; one of a primitive's is what delete does to it
    if (parent === null || typeof parent !== 'object') delete parent[key];
    return parent;
  }
  const copy: Record<string, any> = {};
  for (const k of Object.keys(parent)) if (k !== key) copy[k] = parent[k];
  return copy;
}

/**
 * A `remove` patch of the resolved props, as the same remove of the written JSON: each key of its path that is a
 * field of a `toJson_T` becomes the field's JSON key; below a field written as it is, the path is the same. A field
 * present in the resolved props is present in the written JSON and the other way round (a `T` as an object, a list
 * as a list), so the remove fails (a missing parent) or succeeds alike on both. A path of fields of `toJson_T`s only
 * is returned as its JSON keys (every parent on it is an object: a plain delete); one that goes on below a field
 * written as it is, as a patch; any other patch is undefined.
 */
function translateRemove(patch: JsonPatch, shape: Shape): string[] | JsonPatch | undefined {
  const op = (patch as any)._toJson();
  if (op?.op !== 'remove' || typeof op.path !== 'string' || Object.keys(op).length !== 2) return undefined;
  // the same few paths on every object of a kind (cdk8s-plus' ConfigMap and Service): translated once
  const translated = shape.removes ??= new Map();
  let r = translated.get(op.path);
  if (r === undefined) {
    r = translatePath(op.path, shape) ?? null;
    translated.set(op.path, r);
  }
  // read only by renderTyped: shared by the objects
  return r ?? undefined;
}

/** {@link translateRemove} of the path of a remove. */
function translatePath(path: string, shape: Shape): string[] | JsonPatch | undefined {
  const segments: string[] = path.split('/');
  if (segments[0] !== '' || segments.length < 2) return undefined;
  const keys: string[] = [];
  let current: Shape | undefined = shape;
  for (let i = 1; i < segments.length; i++) {
    if (!current) {
      // below a field written as it is: the rest of the path as it is
      return JsonPatch.remove([...keys.map((k) => k.replace(/~/g, '~0').replace(/\//g, '~1')), ...segments.slice(i)]
        .reduce((path, k) => `${path}/${k}`, ''));
    }
    // JSON pointer escapes, as fast-json-patch reads them
    const index = current.index.get(segments[i].replace(/~1/g, '/').replace(/~0/g, '~'));
    if (index === undefined) return undefined;
    const field: Field = current.fields[index];
    keys.push(field.json);
    if (field.kind === STRUCT) current = nestedShape(field);
    else if (field.kind === ANY || field.kind === ARRAY || field.kind === MAP || i === segments.length - 1) current = undefined;
    else return undefined;
  }
  return keys;
}

/**
 * {@link walkStruct} of the props of an object with its rendered metadata, `{ ...props, metadata }` (what cdk8s
 * resolves), without the copy: the keys of `props` in their order, `metadata` standing for the props' own (in its
 * place, or last when the props have none). The metadata is already rendered as cdk8s renders it (sorted, sanitized,
 * a new object): a field written as it is would be a copy of it, so it is used as it is. cdk8s resolves a copy, which
 * a Lazy that changes the props does not see: the props' values are read into a snapshot before the first value that
 * may run the app's code (a token, anything the fast renderers refuse) is resolved; until then nothing with an effect
 * has run, and each value is read in place.
 */
function walkProps(props: Record<string, any>, metadata: any, shape: Shape, sortKeys: boolean, out: Record<string, any>): Record<string, any> {
  const keys = Object.keys(props);
  let values: any[] | undefined;
  const base = top;
  top += keys.length + 1;
  try {
    let end = base;
    let ownMetadata = false;
    for (let i = 0; i <= keys.length; i++) {
      let k: string;
      let v: any;
      if (i < keys.length) {
        k = keys[i];
        // resolve() assigns `result[k]`: a `__proto__` key (own, from JSON.parse) would set the prototype instead
        if (k === '__proto__') throw UNPROVEN;
        if (k === 'metadata') {
          ownMetadata = true;
          v = metadata;
        } else {
          v = values !== undefined ? values[i] : props[k];
        }
      } else {
        if (ownMetadata) break;
        k = 'metadata';
        v = metadata;
      }
      const index = shape.index.get(k);
      const field = index === undefined ? undefined : shape.fields[index];
      let r: any = UNPROVEN;
      if (field !== undefined && k === 'metadata' && field.kind === ANY) {
        r = v;
      } else {
        // a token (cdk8s-plus and the Rollout L1 give their spec as a Lazy) goes to the walk straight away, whose
        // fast renderers render its value; anything else first to the fast renderers, then, if refused, to the walk
        const token = v != null && (v instanceof LAZY || typeof v.resolve === 'function');
        if (!token) {
          try {
            r = field !== undefined ? fastValue(v, field) : fast.any(v);
          } catch (e) {
            if (e !== fast.RETRY) throw e;
          }
        }
        if (r === UNPROVEN) {
          values ??= snapshot(props, keys);
          // a key no toJson_T writes is resolved and sanitized by cdk8s all the same (Lazy calls, errors)
          r = field === undefined ? resolveSanitized(v, sortKeys) : walkField(v, field, sortKeys, !token);
        }
      }
      if (field === undefined || r === undefined) continue;
      putSlot(base, end++, index!, r);
    }
    return takeSlots(base, end, shape, out);
  } catch (e) {
    // the slots a failed render left (takeSlots empties them otherwise)
    VALUES.fill(undefined, base, top);
    throw e;
  } finally {
    top = base;
  }
}

/**
 * `toJson_T(sanitize(resolve(value)))` for a plain object, written into `out`. Unless `slow`, each field's value is
 * first given to the fast renderers ({@link fastValue}); `slow` is set below a value they refused.
 */
function walkStruct(value: any, shape: Shape, sortKeys: boolean, slow: boolean, out: Record<string, any> = {}): Record<string, any> {
  // resolve() walks only plain objects; anything else would be toJson_T of a value that is not a T
  // eslint-disable-next-line eqeqeq
  if (value.constructor != Object || Array.isArray(value)) throw UNPROVEN;
  const keys = Object.keys(value);
  const values = snapshot(value, keys);
  // the fields that are set, by their index in the table, each with its value
  const at: number[] = [];
  const rendered: any[] = [];
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === '__proto__') throw UNPROVEN;
    const index = shape.index.get(k);
    if (index === undefined) {
      // not written by toJson_T, but resolved and sanitized by cdk8s all the same (Lazy calls, errors)
      resolveSanitized(values[i], sortKeys);
      continue;
    }
    const v = walkField(values[i], shape.fields[index], sortKeys, slow);
    if (v === undefined) continue;
    // insertion sort by index: a handful of fields are set
    let j = at.length;
    for (; j > 0 && at[j - 1] > index; j--) {
      at[j] = at[j - 1];
      rendered[j] = rendered[j - 1];
    }
    at[j] = index;
    rendered[j] = v;
  }
  for (let j = 0; j < at.length; j++) out[shape.fields[at[j]].json] = rendered[j];
  return out;
}

/** The written value of one field, or undefined when the field is not written. */
function walkField(value: any, field: Field, sortKeys: boolean, slow: boolean): any {
  value = resolveTokens(value);
  if (value === undefined) return undefined;
  if (!slow) {
    // the resolved value is rendered by the fast renderers (./render-fast, fastStruct) unless it holds a token (or
    // anything else they refuse before any effect): then by this walk, from the same value, without them below it
    try {
      return fastValue(value, field);
    } catch (e) {
      if (e !== fast.RETRY) throw e;
    }
    slow = true;
  }
  switch (field.kind) {
    case ANY:
      return resolveSanitizedValue(value, sortKeys);
    case STRUCT:
      return walkStruct(value, nestedShape(field), sortKeys, slow);
    case ARRAY:
    case ARRAY_STRUCT:
      // anything else has no map(): toJson_T would throw
      if (!Array.isArray(value)) throw UNPROVEN;
      // map(), as cdk8s and toJson_T: holes stay holes
      return field.kind === ARRAY
        ? value.map((x) => resolveSanitized(x, sortKeys))
        : value.map((x) => {
          const y = resolveTokens(x);
          return y === undefined ? undefined : walkStruct(y, nestedShape(field), sortKeys, slow);
        });
    case VALUE:
      // `{ value }` from the NumberStringUnionResolver, walked, then `?.value`
      return resolveSanitizedValue(value, sortKeys).value;
    case DATE:
      // sanitize refuses a Date, and nothing else has toISOString()
      throw UNPROVEN;
    default:
      return walkMap(value, field, sortKeys, slow);
  }
}

/**
 * {@link walkField} of a value without tokens, by the renderers of ./render-fast and {@link fastStruct}: they throw
 * RETRY, before anything with an effect, for a value they cannot prove they render the same.
 */
function fastValue(value: any, field: Field): any {
  if (sharing && typeof value === 'object' && value !== null && Object.isFrozen(value)) return sharedValue(value, field);
  return freshValue(value, field);
}

/** Whether the render under way may return shared JSON (renderOwned's `share`); set by renderTyped around one render. */
let sharing = false;

/**
 * The JSON rendered from frozen values without tokens, by value: `[field, json, field, json, ...]` (one value may be
 * rendered as the types of several fields). Weak: an entry lives as long as its value, and only constant values
 * rendered more than once have one (the presets' shared pod parts: a dozen whatever the number of Rollouts).
 */
const SHARED_RENDERS = new WeakMap<object, any[]>();
/** The frozen values rendered once so far, without their JSON (see {@link sharedValue}). */
const METONCE = new WeakSet<object>();

/**
 * {@link fastValue} of a frozen value, when the render may share: the JSON rendered for it before, or rendered now
 * and kept when the value can never render differently ({@link isConstant}): frozen all the way down, data properties
 * only (a getter could answer differently each time), no token (the fast renderers refuse one: RETRY, nothing kept).
 * The kept JSON is frozen too (shareJson), so that nothing after the render can change what every object writes.
 */
function sharedValue(value: object, field: Field): any {
  let known = SHARED_RENDERS.get(value);
  if (known !== undefined) {
    for (let i = 0; i < known.length; i += 2) if (known[i] === field) return known[i + 1];
  } else if (!METONCE.has(value)) {
    // kept from its second render on: a value rendered once (an app's own frozen props, one object's) keeps no JSON
    METONCE.add(value);
    return freshValue(value, field);
  }
  const json = freshValue(value, field);
  if (json !== null && typeof json === 'object' && isConstant(value)) {
    shareJson(json);
    if (known === undefined) SHARED_RENDERS.set(value, known = []);
    known.push(field, json);
  }
  return json;
}

/**
 * Whether `x` renders the same for ever: a primitive, or a frozen object whose own properties are all data
 * properties holding such values. An object of a class (IntOrString, Quantity) is rendered from its own `value`
 * (render-fast reads nothing else of it), which must then be an own data property.
 */
function isConstant(x: any): boolean {
  if (x === null || typeof x !== 'object') return typeof x !== 'function';
  if (!Object.isFrozen(x)) return false;
  const proto = Object.getPrototypeOf(x);
  if (proto !== Object.prototype && proto !== Array.prototype) {
    const own = Object.getOwnPropertyDescriptor(x, 'value');
    if (own === undefined || !('value' in own)) return false;
  }
  const descriptors = Object.getOwnPropertyDescriptors(x);
  for (const k of Object.keys(descriptors)) {
    const d = descriptors[k];
    if (!('value' in d) || !isConstant(d.value)) return false;
  }
  return true;
}

/** {@link fastValue} without sharing: new JSON. */
function freshValue(value: any, field: Field): any {
  switch (field.kind) {
    case ANY: return fast.any(value);
    case STRUCT: return fastStruct(value, nestedShape(field));
    case ARRAY: return fast.list(value);
    case ARRAY_STRUCT: return fast.listOf(value, fastItem, nestedShape(field));
    case VALUE: return fast.value(value);
    case DATE: return fast.date(value);
    case MAP: return fast.map(value, 0);
    case MAP_VALUE: return fast.map(value, 1);
    case MAP_STRUCT: return fast.map(value, 2, fastItem, nestedShape(field));
    default: return fast.map(value, 3);
  }
}

/**
 * The rendered fields of the objects {@link walkProps} is rendering, innermost last: each takes as many slots as
 * its object has keys, from `top`, so that no array is allocated for an object.
 */
const INDEXES: number[] = [];
const VALUES: any[] = [];
let top = 0;

/**
 * {@link walkStruct} of a value without tokens: its own keys, each field rendered and written in the table's order,
 * by the plan of its list of keys ({@link planOf}). Without tokens nothing has an effect: no snapshot of the values
 * is needed, and the order in which the fields are visited does not matter (a refused value throws RETRY before
 * anything with an effect, wherever it is).
 */
function fastStruct(value: any, shape: Shape): any {
  if (value == null) return undefined;
  const keys = fast.keysOf(value);
  const plan = planOf(shape.plans ??= [], shape, keys);
  const others = plan.others;
  for (let i = 0; i < others.length; i++) fast.other(value, others[i]);
  const fields = plan.fields;
  const out: Record<string, any> = {};
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    const v = fastValue(value[field.prop], field);
    if (v !== undefined) out[field.json] = v;
  }
  return out;
}

/** How many plans a type keeps: more key lists than that (objects built in many orders) are planned each time. */
const MAX_PLANS = 8;

/**
 * The plan of an object of `shape` whose own keys are `keys`: which fields are set, in the table's order, and which keys are no field. Objects built by the same
 * code have the same keys in the same order (the same strings): the plan is made once per type and key list, found
 * again by comparing the lists, and no object's fields are sorted.
 */
function planOf(plans: Plan[], shape: Shape, keys: string[]): Plan {
  for (let p = 0; p < plans.length; p++) {
    const known = plans[p].keys;
    if (known.length !== keys.length) continue;
    let i = 0;
    while (i < keys.length && known[i] === keys[i]) i++;
    if (i === keys.length) return plans[p];
  }
  const plan = makePlan(shape, keys);
  if (plans.length < MAX_PLANS) plans.push(plan);
  else plans[MAX_PLANS - 1] = plan;
  return plan;
}

/** {@link planOf} of a key list it has no plan for: a function of its own, so the hot lookup stays small to compile. */
function makePlan(shape: Shape, keys: string[]): Plan {
  const at: number[] = [];
  const others: string[] = [];
  for (const k of keys) {
    const index = shape.index.get(k);
    if (index === undefined) others.push(k);
    else at.push(index);
  }
  at.sort((a, b) => a - b);
  return { keys, fields: at.map((i) => shape.fields[i]), others };
}

/**
 * Puts the rendered value `v` of field `index` among the slots `base` to `end - 1`, which stay in the table's order
 * (an insertion sort: a handful of fields are set).
 */
function putSlot(base: number, end: number, index: number, v: any): void {
  let j = end;
  for (; j > base && INDEXES[j - 1] > index; j--) {
    INDEXES[j] = INDEXES[j - 1];
    VALUES[j] = VALUES[j - 1];
  }
  INDEXES[j] = index;
  VALUES[j] = v;
}

/** Writes the slots `base` to `end - 1` into `out` under their fields' JSON keys, in order, and empties them. */
function takeSlots(base: number, end: number, shape: Shape, out: Record<string, any>): Record<string, any> {
  for (let j = base; j < end; j++) {
    out[shape.fields[INDEXES[j]].json] = VALUES[j];
    VALUES[j] = undefined;
  }
  return out;
}

/** {@link fastStruct} as `map()` calls it, with the shape as `this`. */
function fastItem(this: Shape, value: any): any {
  return fastStruct(value, this);
}

/** `Object.entries(sanitize(resolve(value))).reduce(...)` of the four map forms. */
function walkMap(value: any, field: Field, sortKeys: boolean, slow: boolean): Record<string, any> {
  // eslint-disable-next-line eqeqeq
  if (value.constructor != Object || Array.isArray(value)) throw UNPROVEN;
  const keys = Object.keys(value);
  const values = snapshot(value, keys);
  const resolved: Record<string, any> = {};
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === '__proto__') throw UNPROVEN;
    let v = resolveTokens(values[i]);
    if (v !== undefined) {
      if (field.kind === MAP_STRUCT) v = walkStruct(v, nestedShape(field), sortKeys, slow);
      else if (field.kind !== MAP_ARRAY) v = resolveSanitizedValue(v, sortKeys);
      else if (Array.isArray(v)) v = v.map((x) => resolveSanitized(x, sortKeys));
      else throw UNPROVEN;
    }
    resolved[k] = v;
  }
  const out: Record<string, any> = {};
  for (const k of sortKeys ? keys.sort() : keys) {
    const v = resolved[k];
    if (v === undefined) continue;
    // a key whose value has no `value` is still written, as `{ ...r, [k]: i[1]?.value }` does
    out[k] = field.kind === MAP_VALUE ? v.value : v;
  }
  return out;
}

/**
 * The values of `keys`, read before any is resolved: cdk8s' resolve() iterates `Object.entries(value)`, which reads
 * them all first, so a `Lazy` that assigns a sibling is not seen by either.
 */
function snapshot(value: any, keys: string[]): any[] {
  const values = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) values[i] = value[keys[i]];
  return values;
}

/** `ApiObjectMetadataDefinition.prototype.toJson` of cdk8s, without its blanks. */
const METADATA_TO_JSON = 'toJson(){constsanitize=(x)=>(0,_util_1.sanitizeValue)(x,{filterEmptyArrays:true,filterEmptyObjects:true});'
  + 'returnsanitize((0,resolve_1.resolve)([],{...this._additionalAttributes,name:this.name,namespace:this.namespace,'
  + 'annotations:this.annotations,finalizers:this.finalizers,ownerReferences:this.ownerReferences,labels:this.labels,},'
  + 'this.apiObject));}';
let metadataToJsonKnown: boolean | undefined;

/**
 * `obj.metadata.toJson()`, the first thing `ApiObject.toJson` does: cdk8s resolves the metadata with `resolve()` too
 * (a walk to the App for every value) and sanitizes it with empty arrays and objects dropped and keys always sorted.
 * Done here the same way when the metadata and its `toJson` are cdk8s' own (checked against its source text), with
 * the object's own App; otherwise by its `toJson()`.
 */
function metadataJson(obj: ApiObject): any {
  const json = fastMetadataJson(obj);
  if (json !== UNPROVEN) return json;
  const m = obj.metadata as any;
  if (!isCdk8sMetadata(obj, m)) return m.toJson();
  return resolveSanitized(metadataData(m), true, true);
}

/**
 * {@link metadataJson} when the metadata holds no token (nothing with an effect runs), else UNPROVEN. cdk8s' `toJson`
 * resolves `{ ...this._additionalAttributes, name, namespace, annotations, finalizers, ownerReferences, labels }`;
 * `_additionalAttributes` is the whole `metadata` prop (`ApiObjectMetadata`), whose name, labels, ... the six fields
 * override: when it has no other key (the usual case), the six fields are rendered straight into the output, in their
 * sorted order, with no copy of the metadata and no sort.
 */
function fastMetadataJson(obj: ApiObject): any {
  const m = obj.metadata as any;
  if (!isCdk8sMetadata(obj, m)) return UNPROVEN;
  try {
    const extra = m._additionalAttributes;
    // eslint-disable-next-line eqeqeq
    if (extra == null || extra.constructor != Object || Array.isArray(extra) || !onlyMetadataFields(Object.keys(extra))) {
      return fast.anyFilterEmpty(metadataData(m));
    }
    // the six keys in sorted order, each value as anyFilterEmpty renders it; `undefined` when all are dropped. One call
    // site in a loop, not six: V8's optimizing compiler would inline the recursive renderer at each of them.
    const out: Record<string, any> = {};
    let empty = true;
    for (let i = 0; i < METADATA_FIELDS.length; i++) {
      const k = METADATA_FIELDS[i];
      const v = fast.anyFilterEmpty(m[k]);
      if (v !== undefined) {
        out[k] = v;
        empty = false;
      }
    }
    return empty ? undefined : out;
  } catch (e) {
    if (e !== fast.RETRY) throw e;
  }
  return UNPROVEN;
}

/** The fields cdk8s' metadata `toJson` writes over `_additionalAttributes`, in sorted order. */
const METADATA_FIELDS = ['annotations', 'finalizers', 'labels', 'name', 'namespace', 'ownerReferences'];

/** Whether every key is one of the six fields cdk8s' metadata `toJson` writes over `_additionalAttributes`. */
function onlyMetadataFields(keys: string[]): boolean {
  for (let i = 0; i < keys.length; i++) {
    switch (keys[i]) {
      case 'name': case 'namespace': case 'annotations': case 'finalizers': case 'ownerReferences': case 'labels':
        continue;
      default:
        return false;
    }
  }
  return true;
}

/** What cdk8s' metadata `toJson` resolves. */
function metadataData(m: any): Record<string, any> {
  return {
    ...m._additionalAttributes,
    name: m.name,
    namespace: m.namespace,
    annotations: m.annotations,
    finalizers: m.finalizers,
    ownerReferences: m.ownerReferences,
    labels: m.labels,
  };
}

/** Whether `m`, the metadata of `obj`, is cdk8s' own, with cdk8s' own `toJson` (checked against its source text). */
function isCdk8sMetadata(obj: ApiObject, m: any): boolean {
  metadataToJsonKnown ??= METADATA.prototype.toJson.toString().replace(/\s+/g, '') === METADATA_TO_JSON;
  return metadataToJsonKnown && Object.getPrototypeOf(m) === METADATA.prototype
    && !Object.prototype.hasOwnProperty.call(m, 'toJson') && m.apiObject === obj;
}

const UNPROVEN = Symbol('unproven');
// cdk8s' index exports through getters: read once, not on every value of every manifest.
const LAZY = Lazy;
const METADATA = ApiObjectMetadataDefinition;

function hasBuiltInResolversOnly(resolvers: unknown): boolean {
  return Array.isArray(resolvers) && resolvers.length === 3
    && resolvers[0]?.constructor === LazyResolver
    && resolvers[1]?.constructor === ImplicitTokenResolver
    && resolvers[2]?.constructor === NumberStringUnionResolver;
}

/**
 * `sanitizeValue(resolve([], value, obj), { sortKeys })` with the built-in resolvers; with `filterEmpty`, also
 * `filterEmptyArrays` and `filterEmptyObjects` (what the metadata's toJson asks).
 */
function resolveSanitized(value: any, sortKeys: boolean, filterEmpty = false): any {
  value = resolveTokens(value);
  return value === undefined ? undefined : resolveSanitizedValue(value, sortKeys, filterEmpty);
}

/** The App's resolvers, in its order, until none replaces the value; each replacement is resolved from the first. */
function resolveTokens(value: any): any {
  for (;;) {
    if (value == null) return undefined;
    if (value instanceof LAZY) {
      value = value.produce();
    } else if (typeof value.resolve === 'function') {
      value = value.resolve();
    } else if (value.constructor !== Object && (typeof value.value === 'number' || typeof value.value === 'string')) {
      value = { value: value.value };
    } else {
      return value;
    }
  }
}

/** {@link resolveSanitized} of a value that no resolver replaces. */
function resolveSanitizedValue(value: any, sortKeys: boolean, filterEmpty = false): any {
  if (Array.isArray(value)) {
    // sanitize drops an empty array before it maps it
    if (filterEmpty && value.length === 0) return undefined;
    // map(), as cdk8s: holes stay holes
    return value.map((x) => resolveSanitized(x, sortKeys, filterEmpty));
  }
  // eslint-disable-next-line eqeqeq
  if (value.constructor == Object) {
    const keys = Object.keys(value);
    const values = snapshot(value, keys);
    const resolved: Record<string, any> = {};
    for (let i = 0; i < keys.length; i++) {
      // resolve() assigns `result[k]`: a `__proto__` key would set the prototype instead
      if (keys[i] === '__proto__') throw UNPROVEN;
      resolved[keys[i]] = resolveSanitized(values[i], sortKeys, filterEmpty);
    }
    const out = dropEmpty(resolved, sortKeys ? keys.sort() : keys);
    return filterEmpty && isEmpty(out) ? undefined : out;
  }
  // Not walked by resolve: sanitized as is.
  return sanitize(value, sortKeys, filterEmpty);
}

function dropEmpty(resolved: Record<string, any>, keys: string[]): Record<string, any> {
  const out: Record<string, any> = {};
  for (const k of keys) {
    const v = resolved[k];
    if (v != null) out[k] = v;
  }
  return out;
}

function isEmpty(o: Record<string, any>): boolean {
  return Object.keys(o).length === 0;
}

/** cdk8s' `sanitizeValue` (not exported by cdk8s). */
function sanitize(obj: any, sortKeys: boolean, filterEmpty: boolean): any {
  if (obj == null) return undefined;
  if (typeof obj !== 'object') return obj;
  if (Array.isArray(obj)) {
    if (filterEmpty && obj.length === 0) return undefined;
    return obj.map((x) => sanitize(x, sortKeys, filterEmpty));
  }
  if (obj.constructor.name !== 'Object') throw new Error(`can't render non-simple object of type '${obj.constructor.name}'`);
  const out: Record<string, any> = {};
  for (const key of sortKeys ? Object.keys(obj).sort() : Object.keys(obj)) {
    const v = sanitize(obj[key], sortKeys, filterEmpty);
    if (v != null) out[key] = v;
  }
  return filterEmpty && isEmpty(out) ? undefined : out;
}
