import { planRollout } from '../../lib/plan';
import { canaryRollout, splits } from './support';

const nginx = { stableIngress: 'web' };
const routed = (replicas: number, canary: Record<string, unknown>): any =>
  canaryRollout(replicas, { canaryService: 'web-canary', stableService: 'web-stable', trafficRouting: { nginx }, ...canary });

describe('traffic-routed canary', () => {
  test('setWeight is the exact traffic share; canary pods = ceil(R·w/100); the stable keeps all R pods until after promotion', () => {
    const plan = planRollout(routed(5, { steps: [{ setWeight: 20 }, { pause: { duration: 60 } }, { setWeight: 50 }, { pause: {} }] }));
    expect(plan.trafficRouting).toBe('nginx');
    expect([plan.maxSurge, plan.maxUnavailable]).toEqual([null, null]);
    expect(plan.steps.map((r) => [r.index, r.kind, r.canaryReplicas, r.stableReplicas, r.actualWeight, r.maxPods, r.minAvailable, r.wait])).toEqual([
      [0, 'setWeight', 1, 5, 20, 6, 5, null],
      [1, 'pause', 1, 5, 20, 6, 6, 60],
      [2, 'setWeight', 3, 5, 50, 8, 6, null],
      [3, 'pause', 3, 5, 50, 8, 8, 'until promoted'],
      [4, 'promote', 5, 5, 100, 10, 8, 30],
      [5, 'scaleDown', 5, 0, 100, 10, 5, null],
    ]);
  });

  test('setCanaryScale: replicas, weight, then matchTrafficWeight hands the count back to setWeight', () => {
    const plan = planRollout(routed(10, {
      steps: [
        { setCanaryScale: { replicas: 2 } },
        { setWeight: 20 },
        { setCanaryScale: { weight: 60 } },
        { setWeight: 40 },
        { setCanaryScale: { matchTrafficWeight: true } },
        { setWeight: 80 },
      ],
    }));
    expect(plan.steps.map((r) => [r.action, r.canaryReplicas, r.actualWeight])).toEqual([
      ['setCanaryScale replicas 2', 2, 0],
      ['setWeight 20', 2, 20],
      ['setCanaryScale weight 60', 6, 20],
      ['setWeight 40', 6, 40],
      ['setCanaryScale matchTrafficWeight', 4, 40],
      ['setWeight 80', 8, 80],
      ['promote to 100%', 10, 100],
      ['scale down old stable', 10, 100],
    ]);
  });

  test('a step with setWeight and setCanaryScale together uses both', () => {
    const plan = planRollout(routed(4, { steps: [{ setWeight: 50, setCanaryScale: { replicas: 1 } }] }));
    expect(plan.steps[0]).toMatchObject({ action: 'setWeight 50, setCanaryScale replicas 1', canaryReplicas: 1, actualWeight: 50 });
  });

  test('dynamicStableScale: the stable follows its share of traffic and goes at promotion, without a delay', () => {
    const plan = planRollout(routed(5, { dynamicStableScale: true, steps: [{ setWeight: 20 }, { setWeight: 60 }] }));
    expect(splits(plan)).toEqual([[1, 4], [3, 2], [5, 0]]);
    expect(plan.steps.map((r) => [r.maxPods, r.minAvailable, r.wait])).toEqual([[6, 4, null], [7, 3, null], [7, 3, null]]);
  });

  test('maxTrafficWeight: weights are out of that maximum', () => {
    const plan = planRollout(routed(5, { trafficRouting: { nginx, maxTrafficWeight: 1000 }, steps: [{ setWeight: 200 }, { setWeight: 50 }] }));
    expect(plan.steps.map((r) => [r.setWeight, r.actualWeight, r.canaryReplicas])).toEqual([[200, 20, 1], [50, 5, 1], [1000, 100, 5], [1000, 100, 5]]);
    expect(planRollout(routed(5, { trafficRouting: { nginx, maxTrafficWeight: 1000 }, steps: [{ setWeight: 1001 }] })).unsupported)
      .toMatch(/setWeight 1001 is not a whole number from 0 to 1000/);
  });

  test('minPodsPerReplicaSet raises a weight-derived canary', () => {
    const plan = planRollout(routed(5, { minPodsPerReplicaSet: 2, steps: [{ setWeight: 20 }] }));
    expect(plan.steps[0].canaryReplicas).toBe(2);
  });

  test('routers are named; managedRoutes and maxTrafficWeight are settings, not routers', () => {
    const name = (trafficRouting: unknown) => planRollout(routed(2, { trafficRouting, steps: [{ setWeight: 50 }] })).trafficRouting;
    expect(name({ istio: { virtualService: { name: 'vs' } }, managedRoutes: [{ name: 'r' }] })).toBe('istio');
    expect(name({ plugins: { 'argoproj-labs/gatewayAPI': {} } })).toBe('plugins:argoproj-labs/gatewayAPI');
    expect(name({ smi: {} })).toBe('smi');
  });

  test('header and mirror routes change no replica and say so', () => {
    const plan = planRollout(routed(4, {
      trafficRouting: { istio: { virtualService: { name: 'vs' } }, managedRoutes: [{ name: 'h' }, { name: 'm' }] },
      steps: [{ setWeight: 25 }, { setHeaderRoute: { name: 'h', match: [] } }, { setMirrorRoute: { name: 'm', percentage: 50 } }],
    }));
    expect(plan.steps.slice(1, 3).map((r) => [r.kind, r.action, r.canaryReplicas, r.note])).toEqual([
      ['setHeaderRoute', 'setHeaderRoute h', 1, 'no replica change: routes requests with the matching header to the canary'],
      ['setMirrorRoute', 'setMirrorRoute m', 1, 'no replica change: mirrors matching requests to the canary'],
    ]);
  });
});
