import * as fs from 'fs';
import * as path from 'path';
import { loadManifests } from '../../lib/manifests';
import { planRollout } from '../../lib/plan';
import { approximateSplit, settleBasicCanary } from '../../lib/plan/basic-canary';
import { canaryRollout, SEED_CANARY, splits, weightSteps } from './support';

const repoRoot = path.resolve(__dirname, '..', '..');

describe('basic canary: the seed', () => {
  const plan = planRollout(SEED_CANARY);

  test('gives 1/4, 4/1, 5/0 with actual weights 20, 80, 100', () => {
    expect(plan.strategy).toBe('canary');
    expect(plan.replicas).toBe(5);
    expect(plan.trafficRouting).toBeNull();
    expect(plan.unsupported).toBeUndefined();
    expect(plan.steps.map((r) => [r.index, r.action, r.setWeight, r.canaryReplicas, r.stableReplicas, r.actualWeight, r.wait])).toEqual([
      [0, 'setWeight 20', 20, 1, 4, 20, null],
      [1, 'pause 60s', 20, 1, 4, 20, 60],
      [2, 'setWeight 80', 80, 4, 1, 80, null],
      [3, 'pause 60s', 80, 4, 1, 80, 60],
      [4, 'promote to 100%', 100, 5, 0, 100, null],
    ]);
  });

  test('defaults resolve to maxSurge 2 / maxUnavailable 1 pods: peaks stay within 7 pods and 4 available', () => {
    expect([plan.maxSurge, plan.maxUnavailable]).toEqual([2, 1]);
    expect(plan.steps.map((r) => [r.maxPods, r.minAvailable])).toEqual([[5, 4], [5, 5], [7, 4], [5, 5], [5, 4]]);
  });

  test('setWeight 80 scales the stable first and the canary on the next reconcile (reconcileCanaryReplicaSets)', () => {
    const t = settleBasicCanary(5, 80, 2, 1, { canary: { spec: 1, available: 1 }, stable: { spec: 4, available: 4 } });
    expect(t.path).toEqual([{ canary: 1, stable: 3 }, { canary: 4, stable: 3 }, { canary: 4, stable: 1 }]);
  });

  test("the project's seed fixture plans the same", () => {
    const file = path.join(repoRoot, 'test', 'fixtures', 'seed-canary.yaml');
    if (!fs.existsSync(file)) {
      console.log(`skipped: ${file} is absent`);
      return;
    }
    const rollout = loadManifests([file]).objects.find((o) => o.object.kind === 'Rollout')!.object;
    expect(planRollout(rollout).steps).toEqual(plan.steps);
  });
});

describe('approximateSplit (approximateWeightedCanaryStableReplicaCounts)', () => {
  test.each([
    // replicas, weight, surge, canary, stable, why
    [5, 20, 2, 1, 4, 'exact'],
    [5, 80, 2, 4, 1, 'exact'],
    [4, 20, 1, 1, 4, 'R+1 is closer: 1 of 5 = 20 %'],
    [5, 10, 2, 1, 5, 'tied at R (0.5): floor dropped; (1, R+1) = 16.7 % beats (1, R) = 20 %'],
    [3, 50, 1, 2, 2, 'tied at R: (2, 4) = 50 %'],
    [5, 50, 0, 3, 2, 'tied, no surge: only (ceil, R)'],
    [1, 50, 0, 1, 0, 'R=1 without surge: zero allowed, tie keeps ceil'],
    [1, 20, 0, 0, 1, 'R=1 without surge: floor 0 is closer'],
    [1, 20, 1, 1, 1, 'R=1 with surge: never 0 canary'],
    [1, 80, 1, 1, 1, 'R=1 with surge: never 0 stable'],
    [10, 5, 3, 1, 10, 'tied at R (0.5): (1, 11) = 9.1 % beats (1, 10) = 10 %'],
    [0, 50, 0, 0, 0, 'no replicas, nothing to split'],
    [5, 0, 2, 0, 5, 'weight 0'],
    [5, 100, 2, 5, 0, 'weight 100'],
    [3, 33, 1, 1, 2, '1 of 3 = 33.3 %'],
  ])('R=%i w=%i surge=%i → %i canary + %i stable (%s)', (replicas, weight, surge, canary, stable) => {
    expect(approximateSplit(replicas, weight, surge)).toEqual({ canary, stable });
  });
});

describe('basic canary: edge cases derived from the algorithm', () => {
  test('replicas 0: nothing runs; kubectl shows 0 % until the steps are done, then 100', () => {
    const plan = planRollout(canaryRollout(0, { steps: [{ setWeight: 50 }] }));
    expect(plan.steps.map((r) => [r.canaryReplicas, r.stableReplicas, r.actualWeight, r.maxPods, r.minAvailable])).toEqual([
      [0, 0, 0, 0, 0],
      [0, 0, 100, 0, 0],
    ]);
  });

  test('replicas 1 (defaults: surge 1, unavailable 0): every 1–99 weight runs 1 + 1 pods = 50 %', () => {
    const plan = planRollout(canaryRollout(1, { steps: [{ setWeight: 20 }, { setWeight: 80 }] }));
    expect([plan.maxSurge, plan.maxUnavailable]).toEqual([1, 0]);
    expect(splits(plan)).toEqual([[1, 1], [1, 1], [1, 0]]);
    expect(plan.steps.map((r) => r.actualWeight)).toEqual([50, 50, 100]);
    expect(plan.steps.map((r) => r.minAvailable)).toEqual([1, 2, 1]);
  });

  test('replicas 1 with maxSurge 0: both fenceposts 0, so unavailable is forced to 1 and the only pod goes away first', () => {
    const plan = planRollout(canaryRollout(1, { maxSurge: 0, steps: [{ setWeight: 20 }, { setWeight: 50 }] }));
    expect([plan.maxSurge, plan.maxUnavailable]).toEqual([0, 1]);
    expect(splits(plan)).toEqual([[0, 1], [1, 0], [1, 0]]);
    expect(plan.steps.map((r) => r.actualWeight)).toEqual([0, 100, 100]);
    expect(plan.steps[1].minAvailable).toBe(0);
    expect(plan.steps[1].maxPods).toBe(1);
  });

  test('maxSurge 0 (R=5): never more than 5 pods; each weight moves one pod down then one up', () => {
    const plan = planRollout(canaryRollout(5, { maxSurge: 0, steps: weightSteps(20, 80) }));
    expect([plan.maxSurge, plan.maxUnavailable]).toEqual([0, 1]);
    expect(splits(plan)).toEqual([[1, 4], [1, 4], [4, 1], [4, 1], [5, 0]]);
    expect(Math.max(...plan.steps.map((r) => r.maxPods))).toBe(5);
    expect(Math.min(...plan.steps.map((r) => r.minAvailable))).toBe(4);
  });

  test('maxSurge 1 / maxUnavailable 0 (ints), R=5: the slow path of the math doc', () => {
    const steps = weightSteps(20, 80);
    const plan = planRollout(canaryRollout(5, { maxSurge: 1, maxUnavailable: 0, steps }));
    expect([plan.maxSurge, plan.maxUnavailable]).toEqual([1, 0]);
    expect(splits(plan)).toEqual([[1, 4], [1, 4], [4, 1], [4, 1], [5, 0]]);
    expect(plan.steps.map((r) => [r.maxPods, r.minAvailable])).toEqual([[6, 5], [5, 5], [6, 5], [5, 5], [6, 5]]);
    const start = (c: number, s: number) => ({ canary: { spec: c, available: c }, stable: { spec: s, available: s } });
    expect(settleBasicCanary(5, 20, 1, 0, start(0, 5)).path).toEqual([{ canary: 1, stable: 5 }, { canary: 1, stable: 4 }]);
    expect(settleBasicCanary(5, 80, 1, 0, start(1, 4)).path.map((s) => `${s.canary}/${s.stable}`))
      .toEqual(['2/4', '2/3', '3/3', '3/2', '4/2', '4/1']);
    expect(settleBasicCanary(5, 100, 1, 0, start(4, 1)).path.map((s) => `${s.canary}/${s.stable}`)).toEqual(['5/1', '5/0']);
  });

  test('percent strings: "1" means 1 %, not 1 pod — so "1"/"1" is surge 1 (ceil) / unavailable 0 (floor), the same slow path', () => {
    const steps = weightSteps(20, 80);
    const strings = planRollout(canaryRollout(5, { maxSurge: '1', maxUnavailable: '1', steps }));
    const ints = planRollout(canaryRollout(5, { maxSurge: 1, maxUnavailable: 0, steps }));
    expect([strings.maxSurge, strings.maxUnavailable]).toEqual([1, 0]);
    expect(strings.steps).toEqual(ints.steps);
    const pct = planRollout(canaryRollout(5, { maxSurge: '40%', maxUnavailable: '40%', steps }));
    expect([pct.maxSurge, pct.maxUnavailable]).toEqual([2, 2]);
  });

  test('ties at .5: R=5 w=10 settles at 1 + 5 = 6 pods (16 %); R=3 w=50 at 2 + 2 (50 %)', () => {
    const five = planRollout(canaryRollout(5, { steps: [{ setWeight: 10 }] }));
    expect(splits(five)[0]).toEqual([1, 5]);
    expect(five.steps[0].actualWeight).toBe(16);
    const three = planRollout(canaryRollout(3, { steps: [{ setWeight: 50 }] }));
    expect(splits(three)[0]).toEqual([2, 2]);
    expect(three.steps[0].actualWeight).toBe(50);
  });

  test('R=4 w=20 settles at 1 + 4 = 5 pods; w=80 at 4 + 1', () => {
    const plan = planRollout(canaryRollout(4, { steps: weightSteps(20, 80) }));
    expect(splits(plan)).toEqual([[1, 4], [1, 4], [4, 1], [4, 1], [4, 0]]);
    expect(plan.steps.map((r) => r.actualWeight)).toEqual([20, 20, 80, 80, 100]);
  });

  test('R=10 (defaults surge 3 / unavailable 2): 2/8, 8/2, 10/0', () => {
    const plan = planRollout(canaryRollout(10, { steps: weightSteps(20, 80) }));
    expect([plan.maxSurge, plan.maxUnavailable]).toEqual([3, 2]);
    expect(splits(plan)).toEqual([[2, 8], [2, 8], [8, 2], [8, 2], [10, 0]]);
    expect(Math.max(...plan.steps.map((r) => r.maxPods))).toBeLessThanOrEqual(13);
    expect(Math.min(...plan.steps.map((r) => r.minAvailable))).toBeGreaterThanOrEqual(8);
  });

  test('R=3 (defaults surge 1 / unavailable 0): 1/3, 3/1, 3/0 — R+1 pods during the steps', () => {
    const plan = planRollout(canaryRollout(3, { steps: weightSteps(20, 80) }));
    expect(splits(plan)).toEqual([[1, 3], [1, 3], [3, 1], [3, 1], [3, 0]]);
    expect(plan.steps.map((r) => r.actualWeight)).toEqual([25, 25, 75, 75, 100]);
  });

  test('kubectl actual weight truncates: 1 of 3 → 33', () => {
    const plan = planRollout(canaryRollout(3, { maxSurge: 0, steps: [{ setWeight: 33 }] }));
    expect(splits(plan)[0]).toEqual([1, 2]);
    expect(plan.steps[0].actualWeight).toBe(33);
  });

  test('a decreasing weight drains the canary', () => {
    const plan = planRollout(canaryRollout(10, { steps: [{ setWeight: 80 }, { setWeight: 20 }] }));
    expect(splits(plan)).toEqual([[8, 2], [2, 8], [10, 0]]);
    expect(plan.steps[1].minAvailable).toBeGreaterThanOrEqual(8);
  });

  test('no steps: a rolling update within maxSurge/maxUnavailable (examples/rollout-rolling-update.yaml)', () => {
    const plan = planRollout(canaryRollout(5, { maxSurge: 1, maxUnavailable: 1 }));
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]).toMatchObject({ index: 0, kind: 'promote', canaryReplicas: 5, stableReplicas: 0, maxPods: 6, minAvailable: 4, actualWeight: 100 });
  });

  test('steps before the first setWeight run at weight 0; analysis and experiment steps change no replica and say so', () => {
    const plan = planRollout(canaryRollout(4, {
      steps: [
        { pause: {} },
        { setWeight: 25 },
        { analysis: { templates: [{ templateName: 'success-rate' }] } },
        { experiment: { duration: '5m', templates: [{ name: 'baseline', specRef: 'stable' }, { name: 'canary', specRef: 'canary', replicas: 2 }] } },
      ],
    }));
    expect(plan.steps.map((r) => [r.kind, r.action, r.setWeight, r.canaryReplicas, r.stableReplicas, r.wait])).toEqual([
      ['pause', 'pause (until promoted)', 0, 0, 4, 'until promoted'],
      ['setWeight', 'setWeight 25', 25, 1, 3, null],
      ['analysis', 'analysis success-rate', 25, 1, 3, null],
      ['experiment', 'experiment baseline, canary for 5m', 25, 1, 3, 300],
      ['promote', 'promote to 100%', 100, 4, 0, null],
    ]);
    expect(plan.steps[2].note).toMatch(/no replica change/);
    expect(plan.steps[3].note).toMatch(/3 pods of its own, not counted/);
  });

  test('pause durations parse like the controller: int, digit string, Go durations', () => {
    const plan = planRollout(canaryRollout(2, {
      steps: [{ pause: { duration: 5 } }, { pause: { duration: '90' } }, { pause: { duration: '30s' } }, { pause: { duration: '1m' } },
        { pause: { duration: '1h30m' } }, { pause: { duration: '1.5s' } }, { pause: { duration: 0 } }, { pause: {} }],
    }));
    expect(plan.steps.slice(0, -1).map((r) => r.wait)).toEqual([5, 90, 30, 60, 5400, 1, 0, 'until promoted']);
    expect(plan.steps.slice(0, -1).map((r) => r.action)).toEqual([
      'pause 5s', 'pause 90s', 'pause 30s', 'pause 60s', 'pause 1h30m', 'pause 1s', 'pause 0s', 'pause (until promoted)',
    ]);
  });

  test('spec.replicas omitted plans with the default 1 and says so; workloadRef plans from spec.replicas', () => {
    const noReplicas = planRollout(canaryRollout(undefined, { steps: [{ setWeight: 50 }] }));
    expect(noReplicas.replicas).toBe(1);
    expect(noReplicas.notes.join('\n')).toMatch(/default 1/);
    const ref = canaryRollout(5, { steps: [{ setWeight: 20 }, { pause: { duration: '10s' } }] });
    delete ref.spec.template;
    delete ref.spec.selector;
    ref.spec.workloadRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
    const plan = planRollout(ref);
    expect(splits(plan)).toEqual([[1, 4], [1, 4], [5, 0]]);
    expect(plan.notes.join('\n')).toMatch(/workloadRef Deployment\/web/);
  });
});
