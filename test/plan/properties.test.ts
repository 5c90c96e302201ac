import fc from 'fast-check';
import { planRollout } from '../../lib/plan';
import { approximateSplit } from '../../lib/plan/basic-canary';
import { canaryRollout } from './support';

const fencepost = fc.oneof(
  fc.integer({ min: 0, max: 6 }),
  fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`),
  fc.integer({ min: 0, max: 100 }).map((p) => String(p)),
);

/** Strategies that look roughly right, so the fuzzing reaches the step and field readers. */
const strategyLike = fc.oneof(
  fc.anything(),
  fc.record({ canary: fc.record({ steps: fc.array(fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom('setWeight', 'pause', 'analysis', 'experiment', 'setCanaryScale', 'setHeaderRoute', 'plugin'), fc.anything()))), maxSurge: fc.anything(), trafficRouting: fc.anything(), dynamicStableScale: fc.anything() }, { requiredKeys: [] }) }),
  fc.record({ blueGreen: fc.dictionary(fc.constantFrom('previewReplicaCount', 'autoPromotionEnabled', 'autoPromotionSeconds', 'scaleDownDelaySeconds', 'activeService'), fc.anything()) }),
);

describe('basic canary invariants (any replicas, weights and fenceposts)', () => {
  test('every setWeight settles at the approximated split, within replicas + maxSurge pods and replicas − maxUnavailable available', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 25 }),
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 5 }),
        fencepost,
        fencepost,
        (replicas, weights, maxSurge, maxUnavailable) => {
          const plan = planRollout(canaryRollout(replicas, { maxSurge, maxUnavailable, steps: weights.map((w) => ({ setWeight: w })) }));
          if (plan.unsupported !== undefined) {
            // Only validation rule 21 (both explicitly zero) makes a basic canary unplannable.
            expect(plan.unsupported).toMatch(/both 0/);
            return;
          }
          const surge = plan.maxSurge!;
          const unavailable = plan.maxUnavailable!;
          plan.steps.forEach((row, i) => {
            const w = i < weights.length ? weights[i] : 100;
            expect({ canary: row.canaryReplicas, stable: row.stableReplicas }).toEqual(approximateSplit(replicas, w, surge));
            expect(row.maxPods).toBeLessThanOrEqual(replicas + surge);
            expect(row.minAvailable).toBeGreaterThanOrEqual(replicas - unavailable);
          });
          expect(plan.steps[plan.steps.length - 1]).toMatchObject({ canaryReplicas: replicas, stableReplicas: 0, actualWeight: 100 });
        },
      ),
      { numRuns: 400, seed: 20240611 },
    );
  });

  test('planRollout never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), strategyLike, (spec, strategy) => {
        const plan = planRollout({ kind: 'Rollout', metadata: { name: 'x' }, spec: typeof spec === 'object' && spec !== null ? { ...spec, strategy } : spec });
        expect(plan.name).toBe('x');
        expect(plan.unsupported === undefined || typeof plan.unsupported === 'string').toBe(true);
        // Every refusal is a planned one (a PlanError), never a crash caught at the end.
        expect(plan.unsupported ?? '').not.toMatch(/the planner failed/);
      }),
      { numRuns: 1000, seed: 7 },
    );
  });
});
