/**
 * The API server's check of Argo's CRD schemas, made strict like `kubectl argo rollouts lint` (which decodes with
 * unknown fields rejected): every object schema that lists `properties` and neither allows additional properties nor
 * preserves unknown fields gets `additionalProperties: false`. The schemas are generated from the CRDs by
 * `scripts/crd-schema.js` into `imports/schemas/`.
 *
 * Compiling them with ajv takes 0.8-1.9 s, which `nginx-rollouts synth` (it checks everything it writes) would pay on
 * every run. So `npm run build` also generates the validators' code with ajv's standalone code generation
 * (`scripts/compile-schemas.js` -> `build/lib/rules/schema-validator-<id>.js`), and the compiled CLI loads that code
 * (no ajv at all), through V8's code cache of it that the build also writes: about 0.02-0.04 s a schema, against
 * 0.1-0.2 s for the same JavaScript without the cache and 0.8-1.9 s for ajv's compile. The run-time compile remains
 * for the sources (tsx, the tests) and for a build whose generated code is missing or does not match the schemas,
 * the ajv version and this module: each generated module carries a fingerprint of those, checked before use.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { RuleId } from './catalog';
import type { Finding } from './finding';
import { refOf } from './finding';
import { invalid, notSupported, required } from './field';
import { finding } from './report';
import { isArgoKind } from './util';

/** The CRD leaves `metadata` open (`type: object`); the API server knows ObjectMeta, so do we. */
const OBJECT_META = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    generateName: { type: 'string' },
    namespace: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' } },
    ownerReferences: { type: 'array', items: { type: 'object' } },
    managedFields: { type: 'array', items: { type: 'object' } },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    selfLink: { type: 'string' },
    generation: { type: 'integer' },
    creationTimestamp: { type: 'string' },
    deletionTimestamp: { type: 'string' },
    deletionGracePeriodSeconds: { type: 'integer' },
  },
};

/** The schema id (`imports/schemas/<id>.json`) of each kind with a strict schema. ClusterAnalysisTemplate's CRD has
 * the same schema as AnalysisTemplate's. */
const SCHEMA_IDS: Record<string, SchemaId> = {
  Rollout: 'rollout',
  AnalysisTemplate: 'analysistemplate',
  ClusterAnalysisTemplate: 'analysistemplate',
};

/** @internal */
export type SchemaId = 'rollout' | 'analysistemplate';
/** @internal */
export const SCHEMA_ID_LIST: readonly SchemaId[] = ['rollout', 'analysistemplate'];

/** The file the schema is read from (the same relative place in the sources and in build/). */
function schemaFile(id: SchemaId): string {
  return path.join(__dirname, '..', '..', 'imports', 'schemas', `${id}.json`);
}

/** A copy that rejects unknown fields wherever the schema lists its fields and does not say otherwise. */
export function strictSchema(node: any): any {
  if (Array.isArray(node)) return node.map(strictSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, any> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as object).map(([p, s]) => [p, strictSchema(s)]));
    } else if (key !== '$comment') {
      out[key] = strictSchema(value);
    }
  }
  if (node.properties && node.additionalProperties === undefined && node['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

/**
 * The CRD schema of `id`. Literal requires, read only here: parsing the two schemas (0.5 MB) is for the run-time
 * compile and the build, not for every check; and bin/load.js follows literal requires, so a schema regenerated after
 * the build makes the build stale (`scripts/compile-schemas.js` copies them into build/imports/schemas/).
 */
function schemaJson(id: SchemaId): object {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return id === 'rollout' ? require('../../imports/schemas/rollout.json') : require('../../imports/schemas/analysistemplate.json');
}

/** The CRD's schema, strict, with ObjectMeta: what the API server checks. @internal */
export function strictCrdSchema(id: SchemaId): any {
  const strict = strictSchema(schemaJson(id));
  strict.properties.metadata = strictSchema(OBJECT_META);
  return strict;
}

/** The schema ajv compiles: {@link strictCrdSchema} with its repeated parts shared ({@link sharedSchema}). */
function compiledSchema(id: SchemaId): any {
  return sharedSchema(strictCrdSchema(id));
}

/** A subschema smaller than this (as JSON) stays where it is: `{ type: 'string' }` is cheaper inline than called. */
const SHARE_MIN = 100;

/** `node` with `f` applied to each of its direct subschemas (the keywords these CRD schemas use), other keys as they are. */
function mapSubschemas(node: any, f: (sub: any) => any): any {
  const out: Record<string, any> = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'properties' || key === 'patternProperties') && value !== null && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([p, sub]) => [p, f(sub)]));
    } else if ((key === 'anyOf' || key === 'allOf' || key === 'oneOf') && Array.isArray(value)) {
      out[key] = value.map(f);
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && value !== null && typeof value === 'object') {
      out[key] = Array.isArray(value) ? value.map(f) : f(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * The same schema with every subschema that occurs more than once (and is not tiny) written once under `$defs` and
 * referenced (`$ref`) where it occurred. The CRDs repeat whole parts of the pod template (a Rollout's containers and
 * initContainers, the affinity terms, the probes of each container): ajv's generated code inlines each occurrence, 1.3 MB
 * for a Rollout, which synth loads on every run (half its check); with the parts shared (compiled with
 * `inlineRefs: false`: one function per part) it is about a third of that. The verdicts and the errors are the same but
 * for the errors' `schemaPath`, which inside a part is relative to the part (`#/anyOf/0/type`), the same for each of
 * its places; {@link collapseAnyOf} therefore groups by instance path too.
 * Subschemas are only read where the keywords of these schemas hold them (never inside `enum` or `default`).
 * @internal
 */
export function sharedSchema(root: any): any {
  const seen = new Map<string, number>();
  const count = (node: any): void => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    const key = JSON.stringify(node);
    seen.set(key, (seen.get(key) ?? 0) + 1);
    mapSubschemas(node, (sub) => count(sub));
  };
  mapSubschemas(root, (sub) => count(sub));
  const defs: Record<string, any> = {};
  const names = new Map<string, string>();
  const rewrite = (node: any): any => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
    const key = JSON.stringify(node);
    if (key.length < SHARE_MIN || (seen.get(key) ?? 0) < 2) return mapSubschemas(node, rewrite);
    let name = names.get(key);
    if (name === undefined) {
      name = `d${names.size}`; // in the order first met: the same names on every build
      names.set(key, name);
      defs[name] = mapSubschemas(node, rewrite);
    }
    return { $ref: `#/$defs/${name}` };
  };
  const shared = mapSubschemas(root, rewrite);
  if (names.size > 0) shared.$defs = defs;
  return shared;
}

/** One ajv instance for both the run-time compile and the code generation, so both see the same options. */
function newAjv(source: boolean): import('ajv').default {
  // Required here, not at the top: the compiled CLI never loads ajv when the generated validators are there.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ajvModule = require('ajv') as typeof import('ajv');
  const { SCHEMA_FORMATS } = require('./schema-formats') as typeof import('./schema-formats');
  const ajv = new ajvModule.default({
    allErrors: true,
    strict: false,
    logger: false,
    // The shared parts of the schema (sharedSchema) stay functions of their own instead of being copied at each use.
    inlineRefs: false,
    // The generated code requires the formats from the module next to it (see schema-formats.ts).
    ...(source ? { code: { source: true, formats: ajvModule._`require("./schema-formats").SCHEMA_FORMATS` } } : {}),
  });
  for (const [name, format] of Object.entries(SCHEMA_FORMATS)) ajv.addFormat(name, format);
  return ajv;
}

/** @internal The validator compiled at run time by ajv (the sources' path, and the fallback of the build). */
export function compileValidator(id: SchemaId): ValidateFunction {
  return newAjv(false).compile(compiledSchema(id));
}

/** The generated module of a schema id in `dir`. */
export function standaloneFile(dir: string, id: SchemaId): string {
  return path.join(dir, `schema-validator-${id}.js`);
}

/**
 * What a generated validator depends on: ajv's version (the code calls nothing of ajv, but its error objects are
 * ajv's), the schema file, and the code that turns it into the compiled schema (this module and the formats; their
 * compiled text in build/). A generated module whose fingerprint differs is not used.
 * @internal
 */
export function schemaFingerprint(id: SchemaId): string {
  const hash = createHash('sha256');
  hash.update(`ajv ${(require('ajv/package.json') as { version: string }).version}\0`);
  for (const file of [schemaFile(id), __filename, require.resolve('./schema-formats')]) {
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * The JavaScript of the standalone validator of each schema id, as `scripts/compile-schemas.js` writes it: ajv's
 * generated code (CommonJS, `exports.validate`) plus the fingerprint.
 * @internal
 */
export function standaloneValidatorCode(): Record<SchemaId, string> {
  const ajv = newAjv(true);
  for (const id of SCHEMA_ID_LIST) ajv.addSchema(compiledSchema(id), id);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const standaloneCode = (require('ajv/dist/standalone') as typeof import('ajv/dist/standalone')).default;
  const out = {} as Record<SchemaId, string>;
  for (const id of SCHEMA_ID_LIST) {
    out[id] = `// Generated by scripts/compile-schemas.js (ajv standalone code of imports/schemas/${id}.json, strict). Do not edit.\n` +
      `${standaloneCode(ajv, { validate: id })}\nexports.fingerprint = ${JSON.stringify(schemaFingerprint(id))};\n`;
  }
  return out;
}

/** V8's code cache of a generated module, written by the build next to it (see `writeCodeCache`). */
function codeCacheFile(file: string): string {
  return file.replace(/\.js$/, '.v8-cache');
}

/** The code cache file: the sha256 of V8's data, then the data. */
const DIGEST_BYTES = 32;

/**
 * V8's data from a code cache file, or undefined when the file does not hold what the build wrote. V8 checks a
 * cache's header (its version, flags, the source's hash, the length) but, in release builds, not the payload's
 * checksum (`--verify-snapshot-checksum` is on in debug builds only): a payload damaged with its header intact made
 * every `lint` and `synth` abort in V8's deserializer (SIGTRAP). bin/load.js checks its own code cache the same way.
 */
function cacheData(file: string): Buffer | undefined {
  const bytes = fs.readFileSync(file);
  if (bytes.length <= DIGEST_BYTES) return undefined;
  const data = bytes.subarray(DIGEST_BYTES);
  return createHash('sha256').update(data).digest().equals(bytes.subarray(0, DIGEST_BYTES)) ? data : undefined;
}

interface Generated {
  readonly validate?: ValidateFunction;
  readonly fingerprint?: string;
}

/**
 * Runs a generated module as Node's `require` would (same wrapper, `require` relative to the file), through a
 * `vm.Script` that can take V8's code cache: V8 then neither parses the module (445 KB for a Rollout) nor compiles the validator on
 * its first call, about 0.15 s less per schema. V8 checks the cache against the source and its own version and
 * flags, and compiles normally when it does not fit (`cachedDataRejected`).
 */
function runGenerated(file: string, cachedData?: Buffer): { exports: Generated; script: import('vm').Script } {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const vm = require('vm') as typeof import('vm');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const nodeModule = require('module') as typeof import('module');
  const script = new vm.Script(nodeModule.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  const module = { exports: {} as Generated };
  script.runInThisContext()(module.exports, nodeModule.createRequire(file), module, file, path.dirname(file));
  return { exports: module.exports, script };
}

/**
 * Writes V8's code cache of the generated validator of `id` in `dir`, after one call of the validator so that the
 * cache holds its compiled code too (`scripts/compile-schemas.js`, at build time). Returns the file written.
 * @internal
 */
export function writeCodeCache(dir: string, id: SchemaId): string {
  const file = standaloneFile(dir, id);
  const { exports, script } = runGenerated(file);
  if (typeof exports.validate !== 'function') throw new Error(`${file} has no validate function`);
  // An object with every field: each shared part's function (sharedSchema) runs once, so V8 has compiled it when the
  // cache is taken (V8 compiles a function on its first call; the cache holds what is compiled by then).
  exports.validate(everyField(compiledSchema(id)));
  const cache = codeCacheFile(file);
  const data = script.createCachedData();
  // written beside and renamed: a build killed while writing leaves the previous cache or none, never half of one
  const partial = `${cache}.${process.pid}.tmp`;
  fs.writeFileSync(partial, Buffer.concat([createHash('sha256').update(data).digest(), data]));
  fs.renameSync(partial, cache);
  return cache;
}

/** A value of `schema` with every field it lists, nested (each shared part is reached: the schemas do not nest themselves). */
function everyField(schema: any, root: any = schema, depth = 0): any {
  if (schema === null || typeof schema !== 'object' || depth > 64) return {};
  if (typeof schema.$ref === 'string') return everyField(root.$defs[schema.$ref.slice('#/$defs/'.length)], root, depth + 1);
  if (Array.isArray(schema.anyOf)) return 0; // int-or-string
  switch (schema.type) {
    case 'object': {
      const out: Record<string, any> = {};
      for (const [p, sub] of Object.entries(schema.properties ?? {})) out[p] = everyField(sub, root, depth + 1);
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') out.x = everyField(schema.additionalProperties, root, depth + 1);
      return out;
    }
    case 'array': return [everyField(schema.items, root, depth + 1)];
    case 'string': return '';
    case 'integer': case 'number': return 0;
    case 'boolean': return false;
    default: return {};
  }
}

/**
 * The generated validator of `id` in `dir`, or undefined when there is none or its fingerprint is not this build's.
 * With the build's code cache next to it, through V8's cache; otherwise a plain `require`.
 * @internal
 */
export function loadStandaloneValidator(dir: string, id: SchemaId): ValidateFunction | undefined {
  const file = standaloneFile(dir, id);
  if (!fs.existsSync(file)) return undefined;
  let cachedData: Buffer | undefined;
  try {
    cachedData = cacheData(codeCacheFile(file));
  } catch {
    // no cache (a package as published, or a build from before): require the module
  }
  // cachedData undefined (none, or not what the build wrote): the module is required and compiled as usual
  // A computed path, not a literal require: bin/load.js follows literal requires to decide whether build/ is fresh,
  // and the generated module has no TypeScript source to compare with.
  const generated: Generated = cachedData ? runGenerated(file, cachedData).exports : require(file);
  if (typeof generated.validate !== 'function' || generated.fingerprint !== schemaFingerprint(id)) return undefined;
  return generated.validate;
}

/** Where the validator of each id came from in this process (for tests and the bench). @internal */
export const validatorOrigin = new Map<SchemaId, 'standalone' | 'compiled'>();

const validators = new Map<SchemaId, ValidateFunction>();

function validatorFor(id: SchemaId): ValidateFunction {
  let validate = validators.get(id);
  if (!validate) {
    // The generated code sits next to the compiled module; in the sources there is none (a run under tsx compiles).
    validate = loadStandaloneValidator(__dirname, id);
    validatorOrigin.set(id, validate ? 'standalone' : 'compiled');
    validate ??= compileValidator(id);
    validators.set(id, validate);
  }
  return validate;
}

/** The API server prunes `null` from fields that are not nullable, and Go decodes it as the zero value. */
function withoutNulls(value: any): any {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

/** JSON Pointer to `spec.steps[0].setWeight`, telling array indexes from keys by walking the data. */
function fieldPath(pointer: string, data: any): string {
  let path = '';
  let node = data;
  for (const raw of pointer.split('/').slice(1)) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    // Map keys such as `app.kubernetes.io/name` are bracketed so the path stays readable.
    if (Array.isArray(node) || !/^[A-Za-z0-9_$-]+$/.test(token)) path += `[${token}]`;
    else path += path === '' ? token : `.${token}`;
    node = node?.[token];
  }
  return path;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function valueAt(pointer: string, data: any): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce((node, raw) => node?.[raw.replace(/~1/g, '/').replace(/~0/g, '~')], data);
}

const join = (path: string, field: string): string => (path === '' ? field : `${path}.${field}`);

/** One ajv error as the API server would word it. */
function toFinding(e: ErrorObject, data: any): Finding {
  const path = fieldPath(e.instancePath, data);
  const value = valueAt(e.instancePath, data);
  const at = path === '' ? '<root>' : path;
  const make = (rule: RuleId, p: string, message: string) => finding(rule, p, message);
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = join(path, String(e.params.additionalProperty));
      return make('schema-unknown-field', field, `unknown field "${field}"`);
    }
    case 'required':
      return make('schema-required', join(path, String(e.params.missingProperty)), required());
    case 'type':
      return make('schema-type', at, invalid(typeName(value), `${at} in body must be of type ${e.params.type}: "${typeName(value)}"`));
    case 'anyOf':
      // Only int-or-string uses anyOf in these CRDs.
      return make('schema-type', at, invalid(typeName(value), `${at} in body must be of type integer-or-string: "${typeName(value)}"`));
    case 'enum':
      return make('schema-enum', at, notSupported(value, (e.params.allowedValues as unknown[]).map(String)));
    case 'format':
      return make('schema-format', at, invalid(value, `${at} in body must be of format ${e.params.format}`));
    default:
      return make('schema-invalid', at, invalid(value, `${at} in body ${e.message ?? 'is invalid'}`));
  }
}

/**
 * An int-or-string (`anyOf`) failure is one error: the type, or, when the value has a matching type but fails that
 * branch (a resource quantity that does not match its pattern), that branch's own errors. A branch's errors are those
 * under the anyOf's place in the schema and in the data: a part of the schema shared by several places
 * (sharedSchema) has one schema path for all of them.
 */
function collapseAnyOf(errors: ErrorObject[]): ErrorObject[] {
  let out = errors;
  for (const anyOf of errors.filter((e) => e.keyword === 'anyOf')) {
    const prefix = `${anyOf.schemaPath}/`;
    const at = anyOf.instancePath;
    const branch = out.filter((e) => e.schemaPath.startsWith(prefix) && (e.instancePath === at || e.instancePath.startsWith(`${at}/`)));
    const specific = branch.filter((e) => e.keyword !== 'type');
    const drop = new Set<ErrorObject>(specific.length > 0 ? [anyOf, ...branch.filter((e) => e.keyword === 'type')] : branch);
    out = out.filter((e) => !drop.has(e));
  }
  return out;
}

/** Whether `validateSchema` checks this object (a Rollout, AnalysisTemplate or ClusterAnalysisTemplate of Argo). */
export function hasStrictSchema(object: any): boolean {
  return Object.keys(SCHEMA_IDS).some((kind) => isArgoKind(object, kind));
}

/**
 * The object against its CRD schema, strictly: unknown fields, wrong types, missing required fields. Objects of
 * other kinds give no findings. The first call per schema loads its validator (see the top of this file).
 */
export function validateSchema(object: any): Finding[] {
  return validateSchemaWith(object, validatorFor);
}

/** `validateSchema` with the given validators (the tests compare the generated ones with the run-time ones). @internal */
export function validateSchemaWith(object: any, validatorOf: (id: SchemaId) => ValidateFunction): Finding[] {
  const kind = Object.keys(SCHEMA_IDS).find((k) => isArgoKind(object, k));
  if (!kind) return [];
  const data = withoutNulls(object);
  const validate = validatorOf(SCHEMA_IDS[kind]);
  if (validate(data)) return [];
  const ref = refOf(object);
  return collapseAnyOf(validate.errors ?? []).map((e) => ({ ...toFinding(e, data), object: ref }));
}
