import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { EXAMPLES } from '../examples';
import { loadManifests } from '../lib/manifests';
import { planWarnings } from '../lib/plan';
import { validateObjects, validateSchema } from '../lib/rules';
import { validateWithSchemaLibrary } from './support/schema';

/** Synthesizes one example into a temp folder, as `npm run examples` does, and reads back what it wrote. */
function synthExample(build: (app: App) => void): any[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-'));
  try {
    const app = new App({ outdir });
    build(app);
    app.synth();
    const { objects, errors } = loadManifests([outdir]);
    expect(errors).toEqual([]);
    return objects.map((o) => o.object);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe.each(Object.entries(EXAMPLES))('example %s', (_, build) => {
  const objects = synthExample(build);

  test('is lint-clean under --strict: no errors, no warnings, every reference present and earlier', () => {
    expect(validateObjects(objects, { missingReference: 'error' })).toEqual([]);
    expect(objects.filter((o) => o.kind === 'Rollout').flatMap((r) => planWarnings(r))).toEqual([]);
  });

  test('passes the strict CRD schema (no unknown fields) and the independent schema library', () => {
    expect(objects.flatMap((o) => validateSchema(o))).toEqual([]);
    expect(validateWithSchemaLibrary(objects).filter((r) => r.error)).toEqual([]);
  });

  test('every object a Rollout names comes before it', () => {
    const index = (kind: string, name: string) => objects.findIndex((o) => o.kind === kind && o.metadata.name === name);
    for (const [i, rollout] of objects.entries()) {
      if (rollout.kind !== 'Rollout') continue;
      const s = rollout.spec.strategy.canary ?? rollout.spec.strategy.blueGreen;
      const services = [s.activeService, s.previewService, s.canaryService, s.stableService].filter(Boolean);
      const templates = JSON.stringify(s).match(/"templateName":"[^"]+"/g)?.map((t) => t.split('"')[3]) ?? [];
      const refs: Array<[string, string]> = [
        ...services.map((n: string): [string, string] => ['Service', n]),
        ...templates.map((n): [string, string] => ['AnalysisTemplate', n]),
      ];
      // The nginx presets mount their ConfigMap; a general Rollout may mount none.
      const configMap = rollout.spec.template.spec.volumes?.[0]?.configMap?.name;
      if (configMap) refs.push(['ConfigMap', configMap]);
      if (s.trafficRouting?.nginx) refs.push(['Ingress', s.trafficRouting.nginx.stableIngress]);
      expect(refs.length).toBeGreaterThan(1);
      for (const [kind, name] of refs) {
        const at = index(kind, name);
        expect({ kind, name, before: at >= 0 && at < i }).toEqual({ kind, name, before: true });
      }
    }
  });
});

test('the examples between them show every feature of the issue', () => {
  const all = Object.values(EXAMPLES).flatMap((build) => synthExample(build));
  const rollouts = all.filter((o) => o.kind === 'Rollout');
  const canaries = rollouts.map((r) => r.spec.strategy.canary).filter(Boolean);
  const blueGreens = rollouts.map((r) => r.spec.strategy.blueGreen).filter(Boolean);
  expect(canaries.some((c) => c.trafficRouting?.nginx)).toBe(true);
  expect(canaries.some((c) => c.trafficRouting?.smi)).toBe(true);
  expect(canaries.some((c) => c.steps.some((s: any) => s.analysis))).toBe(true);
  expect(canaries.some((c) => c.steps.some((s: any) => s.setCanaryScale))).toBe(true);
  expect(canaries.some((c) => c.analysis)).toBe(true);
  expect(canaries.some((c) => c.dynamicStableScale)).toBe(true);
  expect(blueGreens.some((b) => b.prePromotionAnalysis)).toBe(true);
  expect(blueGreens.some((b) => b.postPromotionAnalysis)).toBe(true);
  expect(rollouts.some((r) => /-conf-[0-9a-f]{10}$/.test(r.spec.template.spec.volumes?.[0]?.configMap?.name))).toBe(true);
  // Any workload, not only nginx: a general Rollout with env from a Secret, a ServiceAccount and an autoscaler.
  const api = rollouts.find((r) => r.metadata.name === 'payments-api');
  expect(api.spec.template.spec.serviceAccountName).toBe('payments-api');
  expect(api.spec.template.spec.containers[0].env).toContainEqual(
    { name: 'DATABASE_PASSWORD', valueFrom: { secretKeyRef: { name: 'payments-db', key: 'password' } } });
  expect(api.spec).not.toHaveProperty('replicas');
  expect(all.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.spec.scaleTargetRef))
    .toContainEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'payments-api' });
  expect(all.some((o) => o.kind === 'PodDisruptionBudget')).toBe(true);
  expect(all.some((o) => o.kind === 'Ingress')).toBe(true);
});
