/**
 * The strict CRD schema validators that `npm run build` generates with ajv's standalone code generation
 * (scripts/compile-schemas.js) against the ones ajv compiles at run time: the same verdicts, the same ajv errors and
 * the same findings, on every case of the rule tables, on property-generated damage to valid Rollouts and on Argo's
 * published examples (when the shared reference folder is there). And the generated module is used only when its
 * fingerprint matches.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import Ajv, { _, type ValidateFunction } from 'ajv';
import { loadManifests } from '../../lib/manifests';
import {
  compileValidator, loadStandaloneValidator, SCHEMA_ID_LIST, type SchemaId, sharedSchema, standaloneFile, standaloneValidatorCode,
  strictCrdSchema, validateSchemaWith, writeCodeCache,
} from '../../lib/rules/schema';
import { SCHEMA_FORMATS } from '../../lib/rules/schema-formats';
import { OBJECT_CASES, ROLLOUT_CASES, SCHEMA_CASES } from './cases';
import { ALB_CANARY, analysisTemplate, BLUE_GREEN, CANARY, ISTIO_CANARY, mutate, NGINX_CANARY } from './fixtures';

const EXAMPLES = process.env.ARGO_EXAMPLES_DIR ?? path.resolve(__dirname, '../..', '..', 'shared', 'argo-rollouts', 'examples');
const SHARED_EXAMPLES = '/work/shared/argo-rollouts/examples';
const examplesDir = fs.existsSync(EXAMPLES) ? EXAMPLES : fs.existsSync(SHARED_EXAMPLES) ? SHARED_EXAMPLES : undefined;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-standalone-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// The generated code requires `./schema-formats` from its own folder, as build/lib/rules/schema-formats.js sits next
// to it in the build; here the folder gets the source's formats as plain JavaScript (the module run through V8's code
// cache is required by Node itself, which does not read TypeScript).
const formatsJs = Object.entries(SCHEMA_FORMATS)
  .map(([name, f]) => `${JSON.stringify(name)}: ${f === true ? 'true' : `{ type: ${JSON.stringify(f.type)}, validate: ${f.validate.toString()} }`}`)
  .join(',\n  ');
fs.writeFileSync(path.join(tmp, 'schema-formats.js'), `exports.SCHEMA_FORMATS = {\n  ${formatsJs},\n};\n`);
const code = standaloneValidatorCode();
for (const id of SCHEMA_ID_LIST) fs.writeFileSync(standaloneFile(tmp, id), code[id]);
// The same modules with V8's code cache next to them, as `npm run build` leaves them.
const cachedDir = fs.mkdtempSync(path.join(tmp, 'cached-'));
fs.copyFileSync(path.join(tmp, 'schema-formats.js'), path.join(cachedDir, 'schema-formats.js'));
const cacheFiles = SCHEMA_ID_LIST.map((id) => {
  fs.writeFileSync(standaloneFile(cachedDir, id), code[id]);
  return writeCodeCache(cachedDir, id);
});

const compiled = new Map<SchemaId, ValidateFunction>(SCHEMA_ID_LIST.map((id) => [id, compileValidator(id)]));
const standalone = new Map<SchemaId, ValidateFunction>(SCHEMA_ID_LIST.map((id) => {
  const validate = loadStandaloneValidator(tmp, id);
  if (!validate) throw new Error(`the generated validator of ${id} was not accepted`);
  return [id, validate];
}));

const cached = new Map<SchemaId, ValidateFunction>(SCHEMA_ID_LIST.map((id) => {
  const validate = loadStandaloneValidator(cachedDir, id);
  if (!validate) throw new Error(`the generated validator of ${id} with its code cache was not accepted`);
  return [id, validate];
}));

/**
 * The CRD's strict schema as it is, each repeated part at each of its places (no $refs): what the validators checked
 * before the parts were shared (sharedSchema), compiled by ajv with the options it had then.
 */
const unshared = new Map<SchemaId, ValidateFunction>(SCHEMA_ID_LIST.map((id) => {
  const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
  for (const [name, format] of Object.entries(SCHEMA_FORMATS)) ajv.addFormat(name, format);
  return [id, ajv.compile(strictCrdSchema(id))];
}));

/** ajv's errors without `schemaPath`, the one field that names the shared part (`#/$defs/...`) instead of the place. */
const withoutSchemaPath = (errors: unknown) => JSON.parse(JSON.stringify(errors ?? null, (k, v) => (k === 'schemaPath' ? undefined : v)));

/**
 * The same object through all three validators: findings, and ajv's own verdict and error objects; and the same
 * findings, verdict and errors (but for schemaPath) as the unshared schema.
 */
function expectSameVerdict(object: any): void {
  const viaCompiled = validateSchemaWith(object, (id) => compiled.get(id)!);
  expect(validateSchemaWith(object, (id) => standalone.get(id)!)).toEqual(viaCompiled);
  expect(validateSchemaWith(object, (id) => cached.get(id)!)).toEqual(viaCompiled);
  expect(validateSchemaWith(object, (id) => unshared.get(id)!)).toEqual(viaCompiled);
  for (const id of SCHEMA_ID_LIST) {
    const a = compiled.get(id)!;
    const data = JSON.parse(JSON.stringify(object ?? null));
    const verdict = a(data);
    for (const b of [standalone.get(id)!, cached.get(id)!]) {
      expect(b(data)).toBe(verdict);
      expect(JSON.parse(JSON.stringify(b.errors ?? null))).toEqual(JSON.parse(JSON.stringify(a.errors ?? null)));
    }
    const u = unshared.get(id)!;
    expect(u(data)).toBe(verdict);
    expect(withoutSchemaPath(u.errors)).toEqual(withoutSchemaPath(a.errors));
  }
}

describe('generated standalone validators', () => {
  it('are plain code: no ajv at run time, only the formats module next to them', () => {
    for (const id of SCHEMA_ID_LIST) {
      const requires = [...code[id].matchAll(/require\(("[^"]*")\)/g)].map((m) => JSON.parse(m[1]));
      expect([...new Set(requires)]).toEqual(['./schema-formats']);
      expect(standalone.get(id)).not.toBe(compiled.get(id));
    }
  });

  it('are loaded through V8\'s code cache when the build wrote one', () => {
    for (const file of cacheFiles) expect(fs.statSync(file).size).toBeGreaterThan(100_000);
    // A module run through the cache is not in require's cache; a required one is.
    expect(require.cache[standaloneFile(cachedDir, 'rollout')]).toBeUndefined();
    expect(cached.get('rollout')).not.toBe(standalone.get('rollout'));
  });

  it('share the repeated parts of the schema: one function each, a third of the code', () => {
    const unsharedCode = (id: SchemaId) => {
      const ajv = new Ajv({ allErrors: true, strict: false, logger: false, code: { source: true, formats: _`require("./schema-formats").SCHEMA_FORMATS` } });
      for (const [name, format] of Object.entries(SCHEMA_FORMATS)) ajv.addFormat(name, format);
      ajv.addSchema(strictCrdSchema(id), id);
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      return (require('ajv/dist/standalone').default as (a: Ajv, refs: Record<string, string>) => string)(ajv, { validate: id });
    };
    for (const id of SCHEMA_ID_LIST) {
      const shared = sharedSchema(strictCrdSchema(id));
      expect(Object.keys(shared.$defs).length).toBeGreaterThan(10);
      expect(code[id].length).toBeLessThan(unsharedCode(id).length / 2);
    }
    // A Rollout's containers and initContainers are one part
    const pod = sharedSchema(strictCrdSchema('rollout')).properties.spec.properties.template.properties.spec.properties;
    expect(pod.containers.$ref ?? pod.containers.items.$ref).toBeDefined();
    expect(pod.initContainers).toEqual(pod.containers);
  });

  it('keep each int-or-string error of a shared part to its own place (two containers, two bad quantities)', () => {
    // containers and initContainers are one shared part: each divisor's anyOf has the same schemaPath
    const divisor = (d: unknown) => [{ name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: d } } }];
    const object = mutate(CANARY, (o: any) => {
      const c = o.spec.template.spec.containers[0];
      o.spec.template.spec.containers = [
        { ...c, name: 'a', env: divisor('1 core') }, // a string that is no quantity: the pattern's error
        { ...c, name: 'b', env: divisor(true) }, // neither type: the type's error
      ];
      o.spec.template.spec.initContainers = [{ ...c, name: 'i', env: divisor('2 cores') }];
    });
    const findings = validateSchemaWith(object, (id) => standalone.get(id)!);
    const at = (where: string) => `spec.template.spec.${where}.env[0].valueFrom.resourceFieldRef.divisor`;
    expect(findings.map((f) => `${f.rule} ${f.path}`)).toEqual([
      `schema-invalid ${at('containers[0]')}`,
      `schema-type ${at('containers[1]')}`,
      `schema-invalid ${at('initContainers[0]')}`,
    ]);
    expectSameVerdict(object);
  });

  it('collapse an int-or-string failure with its own branch errors only, where shared parts give several the same schemaPath', () => {
    // A shared part's errors carry schemaPaths relative to the part (`#/anyOf/1/pattern`): two places in the data,
    // one a string that fails its branch's pattern, the other neither type. Each keeps its own finding.
    const p = '/spec/template/spec/containers/0/env/0/valueFrom/resourceFieldRef/divisor';
    const q = '/spec/template/spec/containers/1/env/0/valueFrom/resourceFieldRef/divisor';
    const error = (keyword: string, instancePath: string, schemaPath: string, params: object = {}) => ({ keyword, instancePath, schemaPath, params, message: 'm' });
    const fake = Object.assign(() => false, {
      errors: [
        error('type', p, '#/anyOf/0/type', { type: 'integer' }), error('pattern', p, '#/anyOf/1/pattern', { pattern: '^x$' }), error('anyOf', p, '#/anyOf'),
        error('type', q, '#/anyOf/0/type', { type: 'integer' }), error('type', q, '#/anyOf/1/type', { type: 'string' }), error('anyOf', q, '#/anyOf'),
      ],
    }) as unknown as ValidateFunction;
    const object = mutate(CANARY, (o: any) => {
      const c = o.spec.template.spec.containers[0];
      o.spec.template.spec.containers = [0, 1].map((i) => ({ ...c, name: `c${i}`, env: [{ name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: i === 0 ? 'y' : true } } }] }));
    });
    expect(validateSchemaWith(object, () => fake).map((f) => `${f.rule} ${f.path}`)).toEqual([
      'schema-invalid spec.template.spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor',
      'schema-type spec.template.spec.containers[1].env[0].valueFrom.resourceFieldRef.divisor',
    ]);
  });

  test.each(SCHEMA_CASES.map((c) => [c.name, c]))('schema case: %s', (_name, c) => {
    const findings = validateSchemaWith(c.input, (id) => standalone.get(id)!);
    // Not a comparison of two empty lists: the case's own finding is there.
    expect(findings).toContainEqual(expect.objectContaining({ rule: c.rule, path: c.path, message: c.message }));
    expectSameVerdict(c.input);
  });

  it('agrees on every object of the Rollout and object rule tables', () => {
    const objects = [...ROLLOUT_CASES.map((c) => c.input), ...OBJECT_CASES.flatMap((c) => c.objects)];
    expect(objects.length).toBeGreaterThan(100);
    for (const object of objects) expectSameVerdict(object);
  });

  test.each([
    ['canary', CANARY],
    ['nginx canary', NGINX_CANARY],
    ['Istio canary', ISTIO_CANARY],
    ['ALB canary', ALB_CANARY],
    ['blue/green', BLUE_GREEN],
    ['AnalysisTemplate', analysisTemplate('t')],
    ['ClusterAnalysisTemplate', analysisTemplate('t', { count: 1 }, 'ClusterAnalysisTemplate')],
  ])('valid %s: no findings either way', (_name, object) => {
    expect(validateSchemaWith(object, (id) => standalone.get(id)!)).toEqual([]);
    expectSameVerdict(object);
  });

  it('agree on damaged Rollouts and AnalysisTemplates (a value of another type, or a new field, anywhere)', () => {
    // A seeded generator (the run is the same every time): replace a value found by a random walk, or add a field.
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const values = [null, true, 0, -1, 1.5, 2 ** 40, '', 'x', '25%', '500m', 'Always', [], [1], {}, { a: 1 }];
    const bases = [CANARY, NGINX_CANARY, ISTIO_CANARY, ALB_CANARY, BLUE_GREEN, analysisTemplate('t'), analysisTemplate('c', { count: 2 }, 'ClusterAnalysisTemplate')];
    let withFindings = 0;
    for (let i = 0; i < 600; i++) {
      const object = mutate(pick(bases), (o) => {
        let node = o;
        for (let depth = 0; depth < 12; depth++) {
          const keys = Object.keys(node);
          const key = pick(keys);
          const child = node[key];
          if (child === null || typeof child !== 'object' || Object.keys(child).length === 0 || random() < 0.15) {
            if (random() < 0.2 && !Array.isArray(node)) node[`${key}X`] = pick(values);
            else node[key] = pick(values);
            return;
          }
          node = child;
        }
      });
      if (validateSchemaWith(object, (id) => standalone.get(id)!).length > 0) withFindings++;
      expectSameVerdict(object);
    }
    // About half the damage is caught (295 of 600): the comparison is between real error lists, not between empty ones.
    expect(withFindings).toBeGreaterThan(200);
  });
});

describe('Argo Rollouts examples, both validators', () => {
  if (!examplesDir) {
    it('agree (skipped: no shared examples)', () => {
      console.log(`skipped: ${EXAMPLES} not found, so the validators are not compared on Argo's published examples`);
    });
    return;
  }
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) files.push(p);
    }
  };
  walk(examplesDir);

  it('agree on every object of every example', () => {
    const { objects } = loadManifests(files.sort());
    const checked = objects.filter((o) => ['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate'].includes(o.object?.kind));
    expect(checked.length).toBeGreaterThanOrEqual(25);
    for (const { object } of objects) expectSameVerdict(object);
  });
});

describe('loadStandaloneValidator', () => {
  it('uses nothing when there is no generated module (the sources, or a build without the step)', () => {
    const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
    expect(loadStandaloneValidator(empty, 'rollout')).toBeUndefined();
  });

  it('ignores a code cache V8 cannot use (another Node version, a damaged file): the module compiles normally', () => {
    const damaged = fs.mkdtempSync(path.join(tmp, 'damaged-'));
    fs.copyFileSync(path.join(tmp, 'schema-formats.js'), path.join(damaged, 'schema-formats.js'));
    fs.writeFileSync(standaloneFile(damaged, 'rollout'), code.rollout);
    fs.writeFileSync(standaloneFile(damaged, 'rollout').replace(/\.js$/, '.v8-cache'), Buffer.alloc(4096, 7));
    const validate = loadStandaloneValidator(damaged, 'rollout');
    expect(validate).toBeDefined();
    const bad = SCHEMA_CASES.find((c) => c.input.kind === 'Rollout')!.input;
    expect(validateSchemaWith(bad, () => validate!)).toEqual(validateSchemaWith(bad, () => compiled.get('rollout')!));
    expect(validateSchemaWith(bad, () => validate!).length).toBeGreaterThan(0);
  });

  it('writes each cache with the sha256 of its data, and nothing half-written beside it', () => {
    for (const file of cacheFiles) {
      const bytes = fs.readFileSync(file);
      expect(createHash('sha256').update(bytes.subarray(32)).digest().equals(bytes.subarray(0, 32))).toBe(true);
    }
    expect(fs.readdirSync(cachedDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('ignores a cache whose data is damaged behind an intact header (V8 would abort on it): the module compiles normally', () => {
    // V8 checks a cache's header, not its payload's checksum (release builds): bytes flipped in the middle of what the
    // build wrote pass V8's checks and crashed the process in V8's deserializer. Run in a child, so that a crash is a
    // failed expectation here and not a dead test worker.
    const damaged = fs.mkdtempSync(path.join(tmp, 'payload-'));
    fs.copyFileSync(path.join(tmp, 'schema-formats.js'), path.join(damaged, 'schema-formats.js'));
    fs.writeFileSync(standaloneFile(damaged, 'rollout'), code.rollout);
    const cache = fs.readFileSync(cacheFiles[SCHEMA_ID_LIST.indexOf('rollout')]);
    for (let i = 0; i < 64; i++) {
      const at = 32 + 256 + Math.floor(((i * 7919) % 1000) / 1000 * (cache.length - 32 - 512));
      cache[at] ^= 0xff;
    }
    fs.writeFileSync(standaloneFile(damaged, 'rollout').replace(/\.js$/, '.v8-cache'), cache);
    const bad = SCHEMA_CASES.find((c) => c.input.kind === 'Rollout')!.input;
    const script = `
      const { loadStandaloneValidator, validateSchemaWith } = require(${JSON.stringify(path.join(__dirname, '../../lib/rules/schema'))});
      const validate = loadStandaloneValidator(${JSON.stringify(damaged)}, 'rollout');
      process.stdout.write(JSON.stringify(validateSchemaWith(${JSON.stringify(bad)}, () => validate)));`;
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, '-e', script], { encoding: 'utf8' });
    expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
    const expected = validateSchemaWith(bad, () => compiled.get('rollout')!);
    expect(expected.length).toBeGreaterThan(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it('rejects a module generated from something else (its fingerprint does not match)', () => {
    const stale = fs.mkdtempSync(path.join(tmp, 'stale-'));
    fs.copyFileSync(path.join(tmp, 'schema-formats.js'), path.join(stale, 'schema-formats.js'));
    const edited = code.rollout.replace(/exports\.fingerprint = "([0-9a-f]+)";/, (_m, fp: string) => `exports.fingerprint = "${fp.replace(/^./, (c) => (c === '0' ? '1' : '0'))}";`);
    expect(edited).not.toBe(code.rollout);
    fs.writeFileSync(standaloneFile(stale, 'rollout'), edited);
    expect(loadStandaloneValidator(stale, 'rollout')).toBeUndefined();
    // The analysistemplate module carries its own schema's fingerprint: under the rollout name it is refused too.
    fs.writeFileSync(standaloneFile(stale, 'analysistemplate'), code.rollout);
    expect(loadStandaloneValidator(stale, 'analysistemplate')).toBeUndefined();
  });
});
