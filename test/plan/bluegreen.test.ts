import { planRollout } from '../../lib/plan';
import { blueGreenRollout, SEED_BLUE_GREEN, splits } from './support';

describe('blue/green', () => {
  test('the seed: 10 pods during the switch, 5 after 30 s', () => {
    const plan = planRollout(SEED_BLUE_GREEN);
    expect(plan).toMatchObject({ strategy: 'blueGreen', replicas: 5, trafficRouting: null });
    expect(plan.steps.map((r) => [r.index, r.kind, r.canaryReplicas, r.stableReplicas, r.actualWeight, r.maxPods, r.minAvailable, r.wait])).toEqual([
      [0, 'preview', 5, 5, 0, 10, 5, null],
      [1, 'switch', 5, 5, 100, 10, 10, 30],
      [2, 'scaleDown', 5, 0, 100, 10, 5, null],
    ]);
    const sw = plan.steps.find((r) => r.kind === 'switch')!;
    expect(sw.canaryReplicas + sw.stableReplicas).toBe(10);
    expect(sw.wait).toBe(30);
    const after = plan.steps[plan.steps.length - 1];
    expect(after.canaryReplicas + after.stableReplicas).toBe(5);
    expect(plan.steps.every((r) => r.setWeight === null)).toBe(true);
  });

  test('previewReplicaCount: the preview runs that many pods, then scales to full before the switch', () => {
    const plan = planRollout(blueGreenRollout(5, { previewReplicaCount: 1 }));
    expect(plan.steps.map((r) => [r.kind, r.action])).toEqual([
      ['preview', 'preview 1 new pod'],
      ['promote', 'scale new to 5'],
      ['switch', 'switch activeService'],
      ['scaleDown', 'scale down old'],
    ]);
    expect(splits(plan)).toEqual([[1, 5], [5, 5], [5, 5], [5, 0]]);
    expect(plan.steps.map((r) => [r.maxPods, r.minAvailable])).toEqual([[6, 5], [10, 6], [10, 10], [10, 5]]);
  });

  test('previewReplicaCount equal to replicas adds no extra phase', () => {
    expect(planRollout(blueGreenRollout(3, { previewReplicaCount: 3 })).steps.map((r) => r.kind)).toEqual(['preview', 'switch', 'scaleDown']);
  });

  test('manual promotion waits "until promoted" at the preview; autoPromotionSeconds waits that long', () => {
    expect(planRollout(blueGreenRollout(2, { autoPromotionEnabled: false })).steps[0].wait).toBe('until promoted');
    expect(planRollout(blueGreenRollout(2, { autoPromotionSeconds: 120 })).steps[0].wait).toBe(120);
    // autoPromotionSeconds is ignored without auto-promotion.
    expect(planRollout(blueGreenRollout(2, { autoPromotionEnabled: false, autoPromotionSeconds: 120 })).steps[0].wait).toBe('until promoted');
  });

  test('scaleDownDelaySeconds sets how long the old pods stay after the switch', () => {
    expect(planRollout(blueGreenRollout(4, { scaleDownDelaySeconds: 600 })).steps[1]).toMatchObject({ kind: 'switch', wait: 600 });
    expect(planRollout(blueGreenRollout(4, { scaleDownDelaySeconds: 0 })).steps[1].wait).toBe(0);
  });

  test('analysis gates are named in the row notes', () => {
    const plan = planRollout(blueGreenRollout(2, { prePromotionAnalysis: { templates: [] }, postPromotionAnalysis: { templates: [] } }));
    expect(plan.steps[0].note).toMatch(/prePromotionAnalysis/);
    expect(plan.steps[1].note).toMatch(/postPromotionAnalysis/);
  });

  test('an unusable previewReplicaCount is a plain unsupported reason', () => {
    const plan = planRollout(blueGreenRollout(2, { previewReplicaCount: 'two' }));
    expect(plan.unsupported).toBe('spec.strategy.blueGreen.previewReplicaCount "two" is not a whole number');
    expect(plan.steps).toEqual([]);
  });
});
