/**
 * Extra check against Argo's published examples (a copy kept next to the repository, not part of it): every Rollout
 * is planned, or refused with a plain reason, never a throw. Skips, saying so, when the examples are absent.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadManifests } from '../../lib/manifests';
import { planRollout, RolloutPlan } from '../../lib/plan';

const repoRoot = path.resolve(__dirname, '..', '..');
const examples = path.resolve(repoRoot, '..', 'shared', 'argo-rollouts', 'examples');
const present = fs.existsSync(examples);

describe("Argo Rollouts' published examples", () => {
  if (!present) {
    test('skipped', () => {
      console.log(`skipped: ${examples} is absent (the examples are an extra check outside the repository)`);
    });
    return;
  }

  const loaded = loadManifests([examples]);
  const rollouts = loaded.objects.filter((o) => o.object?.kind === 'Rollout');
  const plans = new Map<string, RolloutPlan>(rollouts.map((o) => [`${path.relative(examples, o.file)}#${o.index}`, planRollout(o.object)]));

  test('are read', () => {
    // The one document kubectl cannot read either (an unquoted {{...}} template: see test/rules/examples.test.ts).
    expect(loaded.errors.map((e) => `${path.relative(examples, e.file)}#${e.document}`)).toEqual(['traffic-management/rollout-linkerd.yaml#4']);
    expect(rollouts.length).toBeGreaterThanOrEqual(15);
  });

  test('every Rollout is planned, or refused with a plain reason (never a crash)', () => {
    const summary: string[] = [];
    for (const [where, plan] of plans) {
      if (plan.unsupported !== undefined) {
        expect(plan.unsupported).not.toMatch(/the planner failed/);
        expect(plan.steps).toEqual([]);
        summary.push(`${where}: cannot plan: ${plan.unsupported}`);
      } else {
        expect(plan.steps.length).toBeGreaterThan(0);
        const last = plan.steps[plan.steps.length - 1];
        expect(last.actualWeight).toBe(100);
        expect(last.stableReplicas).toBe(0);
        summary.push(`${where}: ${plan.strategy}${plan.trafficRouting ? `/${plan.trafficRouting}` : ''} R=${plan.replicas} ` +
          plan.steps.map((r) => `${r.canaryReplicas}/${r.stableReplicas}@${r.actualWeight}`).join(' ') +
          (plan.warnings.length ? `  [${plan.warnings.map((w) => w.rule).join(', ')}]` : ''));
      }
    }
    console.log(summary.join('\n'));
  });

  test('rollout-canary.yaml: 20/40/60/80 of 5 pods, an indefinite pause at step 1', () => {
    const plan = [...plans.entries()].find(([k]) => k.startsWith('rollout-canary.yaml'))![1];
    expect(plan.steps.filter((r) => r.kind === 'setWeight').map((r) => [r.canaryReplicas, r.stableReplicas, r.actualWeight]))
      .toEqual([[1, 4], [2, 3], [3, 2], [4, 1]].map(([c, s]) => [c, s, c * 20]));
    expect(plan.warnings.map((w) => w.rule)).toContain('plan-indefinite-pause');
  });

  test('rollout-bluegreen.yaml: manual promotion, 2 + 2 pods during the switch', () => {
    const plan = [...plans.entries()].find(([k]) => k.startsWith('rollout-bluegreen.yaml'))![1];
    expect(plan.steps[0].wait).toBe('until promoted');
    expect(plan.steps.find((r) => r.kind === 'switch')).toMatchObject({ canaryReplicas: 2, stableReplicas: 2, maxPods: 4 });
    expect(plan.warnings.map((w) => w.rule)).toContain('plan-manual-promotion');
  });
});
