import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { buildSeedApp, seedOptionsFromEnv } from './main';
import { validateWithSchemaLibrary } from './test/support/schema';
import { subsetDifferences } from './test/support/subset';

/** The app's charts, each as its objects in output order. */
function synthSeed(image?: string): Record<string, any[]> {
  const app = buildSeedApp(Testing.app(), { image });
  const out: Record<string, any[]> = {};
  for (const chart of app.node.children.filter((c): c is Chart => c instanceof Chart)) {
    out[chart.node.id] = Testing.synth(chart);
  }
  return out;
}

function fixture(name: string): any[] {
  const text = fs.readFileSync(path.join(__dirname, 'test', 'fixtures', name), 'utf8');
  return parseAllDocuments(text).map((d) => d.toJS());
}

describe('the seed app', () => {
  const charts = synthSeed();

  test('snapshot', () => {
    expect(charts).toMatchSnapshot();
  });

  test('writes one chart per scenario', () => {
    expect(Object.keys(charts)).toEqual(['canary', 'bluegreen']);
  });

  test.each([
    ['canary', 'seed-canary.yaml'],
    ['bluegreen', 'seed-bluegreen.yaml'],
  ])('the %s chart contains the hand-written seed manifests field for field', (chart, file) => {
    const objects = charts[chart];
    const seed = fixture(file);
    expect(objects).toHaveLength(seed.length);
    seed.forEach((expected) => {
      const actual = objects.find((o) => o.kind === expected.kind && o.metadata.name === expected.metadata.name);
      expect(actual).toBeDefined();
      expect(subsetDifferences(expected, actual)).toEqual([]);
    });
  });

  test('each Rollout comes after its ConfigMap and Services', () => {
    const order = (chart: string) => charts[chart].map((o) => `${o.kind}/${o.metadata.name}`);
    expect(order('canary')).toEqual(['ConfigMap/rollout-test-canary-nginx-conf', 'Rollout/rollout-test-canary-nginx']);
    expect(order('bluegreen')).toEqual([
      'ConfigMap/rollout-test-bluegreen-nginx-conf',
      'Service/rollout-test-bluegreen-active',
      'Service/rollout-test-bluegreen-preview',
      'Rollout/rollout-test-bluegreen-nginx',
    ]);
  });

  test('the only additions to the seed are the blue/green defaults made explicit', () => {
    const bg = charts.bluegreen.find((o) => o.kind === 'Rollout');
    expect(bg.spec.strategy.blueGreen).toEqual({
      activeService: 'rollout-test-bluegreen-active',
      previewService: 'rollout-test-bluegreen-preview',
      scaleDownDelaySeconds: 30,
      autoPromotionEnabled: true,
    });
  });

  test('NGINX_IMAGE changes the nginx image and nothing else', () => {
    const bumped = synthSeed('nginx:1.14.2');
    for (const chart of Object.keys(charts)) {
      const before = charts[chart];
      const after = bumped[chart];
      const rollout = (objs: any[]) => objs.find((o) => o.kind === 'Rollout');
      expect(rollout(before).spec.template.spec.containers[0].image).toBe('nginx:1.14.1');
      expect(rollout(after).spec.template.spec.containers[0].image).toBe('nginx:1.14.2');
      // Put the old image back: then the two outputs are identical.
      rollout(after).spec.template.spec.containers[0].image = 'nginx:1.14.1';
      expect(after).toEqual(before);
    }
  });

  test('NGINX_IMAGE: unset means the default; empty is an error', () => {
    expect(seedOptionsFromEnv({})).toEqual({ image: undefined });
    expect(seedOptionsFromEnv({ NGINX_IMAGE: 'nginx:1.14.2' })).toEqual({ image: 'nginx:1.14.2' });
    expect(() => seedOptionsFromEnv({ NGINX_IMAGE: '' })).toThrow('NGINX_IMAGE is set but empty');
  });

  test('a bad NGINX_IMAGE fails with a message naming the construct, the prop and the value', () => {
    expect(() => synthSeed('not an image'))
      .toThrow("CanaryNginxRollout 'canary/canary': image is 'not an image'; it must be a container image reference");
  });

  test('every object is valid for the independent schema library (kubernetes-models)', () => {
    const all = Object.values(charts).flat();
    const results = validateWithSchemaLibrary(all);
    expect(results.map((r) => r.kind).sort()).toEqual([
      'argoproj.io/v1alpha1/Rollout', 'argoproj.io/v1alpha1/Rollout', 'v1/ConfigMap', 'v1/ConfigMap', 'v1/Service', 'v1/Service',
    ]);
    expect(results.filter((r) => r.error)).toEqual([]);
  });

  test('the schema library does reject a broken Rollout (the check can fail)', () => {
    const rollout = structuredClone(charts.canary.find((o) => o.kind === 'Rollout'));
    rollout.spec.replicas = 'five';
    const [result] = validateWithSchemaLibrary([rollout]);
    expect(result.error).toMatch(/replicas must be integer/);
  });
});
