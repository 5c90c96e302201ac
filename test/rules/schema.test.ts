import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatFinding, validateSchema } from '../../lib/rules';
import { strictSchema } from '../../lib/rules/schema';
import { SCHEMA_CASES } from './cases';
import { ALB_CANARY, analysisTemplate, BLUE_GREEN, CANARY, ISTIO_CANARY, mutate, NGINX_CANARY } from './fixtures';

const repoRoot = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(repoRoot, 'scripts', 'crd-schema.js');

describe('validateSchema: invalid objects', () => {
  test.each(SCHEMA_CASES)('$name -> $rule', ({ input, rule, path: field, message }) => {
    expect(validateSchema(input)).toContainEqual({ severity: 'error', rule, path: field, message, object: expect.objectContaining({ kind: input.kind }) });
  });

  it('reports each problem once (an int-or-string failure is one finding)', () => {
    const bad = mutate(CANARY, (o) => (o.spec.strategy.canary.maxSurge = true));
    expect(validateSchema(bad)).toHaveLength(1);
  });
});

describe('validateSchema: valid objects', () => {
  test.each([
    ['canary', CANARY],
    ['nginx canary', NGINX_CANARY],
    ['Istio canary', ISTIO_CANARY],
    ['ALB canary', ALB_CANARY],
    ['blue/green', BLUE_GREEN],
    ['AnalysisTemplate', analysisTemplate('t')],
    ['ClusterAnalysisTemplate', analysisTemplate('t', { count: 1 }, 'ClusterAnalysisTemplate')],
    ['null fields (pruned by the API server)', mutate(CANARY, (o) => Object.assign(o.metadata, { creationTimestamp: null }), (o) => (o.spec.strategy.canary.maxSurge = null))],
    ['plugin configuration (free-form)', mutate(CANARY, (o) => (o.spec.strategy.canary.trafficRouting = { plugins: { 'acme/x': { any: { thing: [1] } } } }))],
    ['int-or-string as a string', mutate(CANARY, (o) => Object.assign(o.spec.strategy.canary, { maxSurge: '25%', maxUnavailable: 1 }))],
    ['resource quantities', mutate(CANARY, (o) => (o.spec.template.spec.containers[0].resources = { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: 1 } }))],
  ])('%s', (_name, object) => {
    expect(validateSchema(object).map(formatFinding)).toEqual([]);
  });

  it('gives no findings for kinds without a schema', () => {
    expect(validateSchema({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { bogus: 1 } })).toEqual([]);
    expect(validateSchema({ apiVersion: 'example.com/v1', kind: 'Rollout', spec: { bogus: 1 } })).toEqual([]);
    expect(validateSchema(null)).toEqual([]);
  });
});

describe('strictSchema', () => {
  it('closes objects that list their properties, and only those', () => {
    const schema = {
      type: 'object',
      properties: {
        closed: { type: 'object', properties: { a: { type: 'string' } } },
        open: { type: 'object', properties: { a: { type: 'string' } }, 'x-kubernetes-preserve-unknown-fields': true },
        map: { type: 'object', additionalProperties: { type: 'string' } },
        explicit: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: true },
        // A field named `properties` is a field, not a keyword.
        withPropertiesField: { type: 'object', properties: { properties: { type: 'string' } } },
      },
    };
    const strict = strictSchema(schema);
    expect(strict.additionalProperties).toBe(false);
    expect(strict.properties.closed.additionalProperties).toBe(false);
    expect(strict.properties.open.additionalProperties).toBeUndefined();
    expect(strict.properties.map.additionalProperties).toEqual({ type: 'string' });
    expect(strict.properties.explicit.additionalProperties).toBe(true);
    expect(strict.properties.withPropertiesField.properties.properties).toEqual({ type: 'string' });
    expect(schema.properties.closed).not.toHaveProperty('additionalProperties'); // the input is not changed
  });
});

describe('scripts/crd-schema.js', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-schema-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const CRD = `# a comment document first
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1beta1
    served: true
    storage: false
    schema: {openAPIV3Schema: {type: object, properties: {old: {type: string}}}}
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {zeta: {type: integer}, alpha: {type: string}}}
          apiVersion: {type: string}
`;

  it('writes the served, stored version with sorted keys, the same every time', () => {
    const input = path.join(tmp, 'widget-crd.yaml');
    fs.writeFileSync(input, CRD);
    const out1 = path.join(tmp, 'a', 'widget.json');
    const out2 = path.join(tmp, 'b.json');
    execFileSync(process.execPath, [SCRIPT, input, out1]);
    execFileSync(process.execPath, [SCRIPT, input, out2]);
    const text = fs.readFileSync(out1, 'utf8');
    expect(fs.readFileSync(out2, 'utf8')).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
    const schema = JSON.parse(text);
    expect(Object.keys(schema)).toEqual(['$comment', 'properties', 'type']);
    expect(Object.keys(schema.properties)).toEqual(['apiVersion', 'spec']);
    expect(Object.keys(schema.properties.spec.properties)).toEqual(['alpha', 'zeta']);
    expect(schema.$comment).toBe('Generated by scripts/crd-schema.js from widget-crd.yaml (example.com/v1 Widget). Do not edit.');
  });

  it('fails with a message when there is no CRD, and on usage errors', () => {
    const input = path.join(tmp, 'not-a-crd.yaml');
    fs.writeFileSync(input, 'apiVersion: v1\nkind: ConfigMap\n');
    const bad = spawnSync(process.execPath, [SCRIPT, input, path.join(tmp, 'x.json')], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('no CustomResourceDefinition found');
    const usage = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage:');
  });

  // Extra check against the upstream CRDs, when this checkout sits next to the shared reference folder.
  const crds = path.resolve(repoRoot, '..', 'shared', 'argo-rollouts', 'crds');
  const haveCrds = fs.existsSync(crds);
  if (!haveCrds) {
    it('matches the committed schemas (skipped: no shared CRDs)', () => {
      console.log(`skipped: ${crds} not found, so the committed imports/schemas/*.json are not compared with the upstream CRDs`);
    });
  }
  (haveCrds ? it : it.skip).each([
    ['rollout-crd.yaml', 'rollout.json'],
    ['analysis-template-crd.yaml', 'analysistemplate.json'],
  ])('regenerating from %s gives the committed imports/schemas/%s', (crd, json) => {
    const out = path.join(tmp, json);
    execFileSync(process.execPath, [SCRIPT, path.join(crds, crd), out]);
    expect(fs.readFileSync(out, 'utf8')).toBe(fs.readFileSync(path.join(repoRoot, 'imports', 'schemas', json), 'utf8'));
  });
});
