import { planRollout, planWarnings, PLAN_RULES } from '../../lib/plan';
import { blueGreenRollout, canaryRollout, SEED_BLUE_GREEN, SEED_CANARY } from './support';

const rules = (rollout: any): string[] => planWarnings(rollout).map((w) => w.rule);
const messages = (rollout: any, rule: string): string[] => planWarnings(rollout).filter((w) => w.rule === rule).map((w) => w.message);

describe('planWarnings', () => {
  test('are the plan\'s warnings, all severity warning, with stable plan- rule ids and the object', () => {
    const rollout = canaryRollout(5, { steps: [{ setWeight: 10 }, { pause: {} }] });
    const warnings = planWarnings(rollout);
    expect(warnings).toEqual(planRollout(rollout).warnings);
    expect(warnings.length).toBeGreaterThan(0);
    for (const w of warnings) {
      expect(w.severity).toBe('warning');
      expect(PLAN_RULES).toContain(w.rule);
      expect(w.rule).toMatch(/^plan-/);
      expect(w.object).toMatchObject({ kind: 'Rollout', name: 'web' });
    }
  });

  test('a setWeight the replica count cannot honor says what it will be', () => {
    const rollout = canaryRollout(5, { steps: [{ setWeight: 10 }] });
    expect(messages(rollout, 'plan-weight-not-honored')).toEqual(['setWeight 10 with 5 replicas runs 1 canary of 6 pods = 16%']);
    expect(planWarnings(rollout).find((w) => w.rule === 'plan-weight-not-honored')!.path).toBe('spec.strategy.canary.steps[0].setWeight');
    expect(messages(canaryRollout(1, { maxSurge: 0, steps: [{ setWeight: 20 }] }), 'plan-weight-not-honored'))
      .toEqual(['setWeight 20 with 1 replica runs 0 canary of 1 pod = 0%']);
    expect(rules(SEED_CANARY)).not.toContain('plan-weight-not-honored');
  });

  test('a split that settles above replicas (R+1) is named per step', () => {
    expect(messages(canaryRollout(4, { steps: [{ setWeight: 20 }, { setWeight: 75 }] }), 'plan-settles-above-replicas'))
      .toEqual(['setWeight 20 settles at 1 canary + 4 stable = 5 pods, more than the 4 replicas, until the weight changes']);
  });

  test('the peak above replicas is the plan\'s capacity note, not a warning: surge, traffic-routed stable, blue/green', () => {
    expect(planRollout(SEED_CANARY).capacity).toBe(
      'runs up to 7 pods, 2 more than the 5 replicas, at step 2 (setWeight 80): maxSurge 2 lets the controller add pods before it removes old ones; leave room for them (quota, nodes)',
    );
    expect(planRollout(SEED_BLUE_GREEN).capacity).toBe(
      'runs up to 10 pods, 5 more than the 5 replicas, from the preview until the old ReplicaSet is scaled down 30s after the switch: the new ReplicaSet runs next to the old one; leave room for them (quota, nodes)',
    );
    const routed = canaryRollout(4, { canaryService: 'c', stableService: 's', trafficRouting: { nginx: { stableIngress: 'i' } }, steps: [{ setWeight: 50 }] });
    expect(planRollout(routed).capacity).toMatch(/^runs up to 8 pods, 4 more than the 4 replicas, at promote to 100%, scale down old stable: the stable keeps its pods/);
    expect(planRollout(canaryRollout(5, { maxSurge: 0, steps: [{ setWeight: 20 }] })).capacity).toBeNull();
    // What the strategy is configured to do is not a warning: the seed scenarios have none.
    expect(planWarnings(SEED_CANARY)).toEqual([]);
    expect(planWarnings(SEED_BLUE_GREEN)).toEqual([]);
  });

  test('an indefinite pause blocks an unattended pipeline', () => {
    const w = planWarnings(canaryRollout(5, { steps: [{ setWeight: 20 }, { pause: {} }] }), ).find((f) => f.rule === 'plan-indefinite-pause')!;
    expect(w.path).toBe('spec.strategy.canary.steps[1].pause');
    expect(w.message).toBe('pause: {} stops the rollout at step 1 until someone runs `kubectl argo rollouts promote web`; an unattended pipeline waits here forever');
    expect(rules(SEED_CANARY)).not.toContain('plan-indefinite-pause');
  });

  test('blue/green with autoPromotionEnabled false, and autoPromotionSeconds that it ignores', () => {
    const manual = blueGreenRollout(2, { autoPromotionEnabled: false, autoPromotionSeconds: 30 });
    expect(rules(manual)).toEqual(expect.arrayContaining(['plan-manual-promotion', 'plan-autopromotion-seconds-ignored']));
    expect(messages(manual, 'plan-manual-promotion')[0]).toMatch(/stops every update at the preview until someone runs `kubectl argo rollouts promote web`/);
    expect(rules(SEED_BLUE_GREEN)).toEqual([]);
  });

  test('traffic sent to a canary that setCanaryScale keeps at 0 pods', () => {
    const rollout = canaryRollout(5, {
      canaryService: 'c', stableService: 's', trafficRouting: { nginx: { stableIngress: 'i' } },
      steps: [{ setCanaryScale: { replicas: 0 } }, { setWeight: 20 }],
    });
    expect(messages(rollout, 'plan-traffic-without-canary-pods')).toEqual(['step 1 sends 20% of traffic to the canary while setCanaryScale keeps it at 0 pods']);
  });

  test('a moment with no available pod', () => {
    expect(messages(canaryRollout(1, { maxSurge: 0, steps: [{ setWeight: 50 }] }), 'plan-no-available-pods')[0])
      .toMatch(/^no pod is available for a moment at step 0 \(setWeight 50\)/);
    expect(rules(SEED_CANARY)).not.toContain('plan-no-available-pods');
  });

  test('spec.paused', () => {
    const r = canaryRollout(2, { steps: [{ setWeight: 50 }] });
    r.spec.paused = true;
    expect(rules(r)).toContain('plan-paused');
  });

  test('an unplannable Rollout gives a single plan-unsupported warning', () => {
    const r = canaryRollout(2, { steps: [{ pause: { duration: '1d' } }] });
    expect(planWarnings(r)).toEqual([expect.objectContaining({ rule: 'plan-unsupported', severity: 'warning', path: 'spec' })]);
  });
});

describe('unsupported: plain reasons, never a throw', () => {
  test.each<[string, any, RegExp]>([
    ['an invalid pause duration (rule 36)', canaryRollout(2, { steps: [{ pause: { duration: '1d' } }] }),
      /^spec\.strategy\.canary\.steps\[0\]\.pause\.duration "1d" is not a duration the controller accepts/],
    ['a negative pause', canaryRollout(2, { steps: [{ pause: { duration: '-5s' } }] }), /duration "-5s" is not a duration/],
    ['setWeight out of range (rule 35)', canaryRollout(2, { steps: [{ setWeight: 120 }] }), /setWeight 120 is not a whole number from 0 to 100/],
    ['a step with two actions (rule 34)', canaryRollout(2, { steps: [{ setWeight: 20, pause: {} }] }), /sets setWeight and pause in one step/],
    ['an empty step (rule 33)', canaryRollout(2, { steps: [{}] }), /sets none of setWeight/],
    ['setCanaryScale without trafficRouting (rule 37)', canaryRollout(2, { steps: [{ setCanaryScale: { replicas: 1 } }] }), /needs trafficRouting/],
    ['maxSurge and maxUnavailable both 0 (rule 21)', canaryRollout(2, { maxSurge: 0, maxUnavailable: '0%' }), /both 0/],
    ['a maxSurge that is not a percent', canaryRollout(2, { maxSurge: 'lots' }), /^maxSurge "lots" is not an integer or a percent$/],
    ['replicas that are not a number', canaryRollout(2, {}), /^spec\.replicas "many" is not a whole number of pods$/],
    ['both strategies', blueGreenRollout(2, {}), /both canary and blueGreen/],
    ['no strategy', canaryRollout(2, {}), /^spec\.strategy has neither canary nor blueGreen$/],
    ['not a Rollout', { kind: 'Service', metadata: { name: 'web' }, spec: {} }, /^it is a Service, not a Rollout$/],
    ['no spec', { kind: 'Rollout', metadata: { name: 'web' } }, /^it has no spec$/],
    ['steps that are not a list', canaryRollout(2, { steps: { setWeight: 20 } }), /steps is not a list/],
  ])('%s', (_what, rollout, reason) => {
    if (_what === 'replicas that are not a number') rollout.spec.replicas = 'many';
    if (_what === 'both strategies') rollout.spec.strategy.canary = {};
    if (_what === 'no strategy') rollout.spec.strategy = {};
    const plan = planRollout(rollout);
    expect(plan.unsupported).toMatch(reason);
    expect(plan.steps).toEqual([]);
  });

  test('null and garbage', () => {
    expect(planRollout(null).unsupported).toBe('it is not an object');
    expect(planRollout('Rollout').name).toBe('(unnamed)');
  });
});
