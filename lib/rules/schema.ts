/**
 * The API server's check of Argo's CRD schemas, made strict like `kubectl argo rollouts lint` (which decodes with
 * unknown fields rejected): every object schema that lists `properties` and neither allows additional properties nor
 * preserves unknown fields gets `additionalProperties: false`. The schemas are generated from the CRDs by
 * `scripts/crd-schema.js` into `imports/schemas/`; the validators are compiled on first use (about a second), so
 * loading the rules engine stays cheap for `cdk8s synth`.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { RuleId } from './catalog';
import type { Finding } from './finding';
import { refOf } from './finding';
import { invalid, notSupported, required } from './field';
import { finding } from './report';
import { isArgoKind } from './util';
// `import = require`, not a default import: jsii compiles without `esModuleInterop`, and this form means the same
// (the JSON object itself) under both compilers.
import analysisTemplateSchema = require('../../imports/schemas/analysistemplate.json');
import rolloutSchema = require('../../imports/schemas/rollout.json');

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

/** The kinds with a strict schema. ClusterAnalysisTemplate's CRD has the same schema as AnalysisTemplate's. */
const SCHEMAS: Record<string, object> = {
  Rollout: rolloutSchema,
  AnalysisTemplate: analysisTemplateSchema,
  ClusterAnalysisTemplate: analysisTemplateSchema,
};

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

const validators = new Map<object, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    // Required here, not at the top: only `lint` pays for loading and compiling.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const Ajv = require('ajv').default as typeof import('ajv').default;
    const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
    ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 });
    ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    ajv.addFormat('date-time', true);
    const strict = strictSchema(schema);
    strict.properties.metadata = strictSchema(OBJECT_META);
    validate = ajv.compile(strict);
    validators.set(schema, validate);
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
 * branch (a resource quantity that does not match its pattern), that branch's own errors.
 */
function collapseAnyOf(errors: ErrorObject[]): ErrorObject[] {
  let out = errors;
  for (const anyOf of errors.filter((e) => e.keyword === 'anyOf')) {
    const prefix = `${anyOf.schemaPath}/`;
    const branch = out.filter((e) => e.schemaPath.startsWith(prefix));
    const specific = branch.filter((e) => e.keyword !== 'type');
    const drop = new Set<ErrorObject>(specific.length > 0 ? [anyOf, ...branch.filter((e) => e.keyword === 'type')] : branch);
    out = out.filter((e) => !drop.has(e));
  }
  return out;
}

/** Whether `validateSchema` checks this object (a Rollout, AnalysisTemplate or ClusterAnalysisTemplate of Argo). */
export function hasStrictSchema(object: any): boolean {
  return Object.keys(SCHEMAS).some((kind) => isArgoKind(object, kind));
}

/**
 * The object against its CRD schema, strictly: unknown fields, wrong types, missing required fields. Objects of
 * other kinds give no findings. The first call compiles the schema (about a second); later calls are fast.
 */
export function validateSchema(object: any): Finding[] {
  const kind = Object.keys(SCHEMAS).find((k) => isArgoKind(object, k));
  if (!kind) return [];
  const data = withoutNulls(object);
  const validate = validatorFor(SCHEMAS[kind]);
  if (validate(data)) return [];
  const ref = refOf(object);
  return collapseAnyOf(validate.errors ?? []).map((e) => ({ ...toFinding(e, data), object: ref }));
}
