import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { CanaryNginxRollout, CanaryNginxRolloutProps, CanaryStep, DEFAULT_CANARY_REPLICAS, DEFAULT_CANARY_STEPS, RolloutStep } from '../../lib';
import { planRollout, planWarnings } from '../../lib/plan';
import { validateObjects, validateSchema } from '../../lib/rules';
import { one, synthChart } from '../support/synth';

const synth = (props: CanaryNginxRolloutProps) => synthChart((c) => new CanaryNginxRollout(c, 'web', { name: 'web', ...props }));

describe('CanaryNginxRollout', () => {
  test("its defaults pass --strict: 5 replicas, with which the default steps' 20 % and 80 % are whole pods", () => {
    // `new CanaryNginxRollout(chart, 'web', { name: 'web' })`, the README's own first line, gave four plan warnings
    // with 1 replica: setWeight 20 and 80 both ran 1 canary next to 1 stable pod (50 %), one pod above replicas.
    const objects = synthChart((c) => new CanaryNginxRollout(c, 'web', { name: 'web' }));
    const rollout = one(objects, 'Rollout');
    expect(rollout.spec.replicas).toBe(DEFAULT_CANARY_REPLICAS);
    expect(validateObjects(objects, { missingReference: 'error' })).toEqual([]);
    expect(objects.flatMap((o) => validateSchema(o))).toEqual([]);
    expect(planWarnings(rollout)).toEqual([]);
    // What the controller does with them: exactly the weights asked for, never more pods settled than replicas.
    const weights = planRollout(rollout).steps.filter((r) => r.kind === 'setWeight').map((r) => [r.setWeight, r.actualWeight, r.canaryReplicas, r.stableReplicas]);
    expect(weights).toEqual([[20, 20, 1, 4], [80, 80, 4, 1]]);
  });

  test('replicas given are kept, default steps or not', () => {
    expect(one(synth({ replicas: 10 }), 'Rollout').spec.replicas).toBe(10);
    expect(one(synth({ replicas: 0 }), 'Rollout').spec.replicas).toBe(0);
  });

  test('creates exactly a ConfigMap and a Rollout with a canary strategy, in that order', () => {
    const objects = synth({});
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/web-conf', 'Rollout/web']);
    const rollout = objects[1];
    expect(rollout.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(Object.keys(rollout.spec.strategy)).toEqual(['canary']);
  });

  test('each Rollout with the default steps has its own list of them: addStep on one leaves the others as they were', () => {
    const objects = synthChart((c) => {
      const a = new CanaryNginxRollout(c, 'a', { name: 'a' });
      const b = new CanaryNginxRollout(c, 'b', { name: 'b' });
      expect(a.strategy.canaryOptions!.steps).not.toBe(b.strategy.canaryOptions!.steps);
      a.addStep(RolloutStep.weight(90));
    });
    const steps = (name: string) => one(objects, 'Rollout', name).spec.strategy.canary.steps;
    const defaults = [{ setWeight: 20 }, { pause: { duration: 60 } }, { setWeight: 80 }, { pause: { duration: 60 } }];
    expect(steps('a')).toEqual([...defaults, { setWeight: 90 }]);
    expect(steps('b')).toEqual(defaults);
  });

  test("default steps are the seed's: setWeight 20, pause 60s, setWeight 80, pause 60s", () => {
    const rollout = one(synth({}), 'Rollout');
    expect(rollout.spec.strategy.canary).toEqual({
      steps: [{ setWeight: 20 }, { pause: { duration: 60 } }, { setWeight: 80 }, { pause: { duration: 60 } }],
    });
    expect(DEFAULT_CANARY_STEPS.map((s) => s.action)).toEqual(['setWeight', 'pause', 'setWeight', 'pause']);
  });

  test('an empty step list is a plain rolling update', () => {
    expect(one(synth({ steps: [] }), 'Rollout').spec.strategy.canary.steps).toEqual([]);
  });

  test('maxSurge and maxUnavailable: pods as numbers, percents as "N%" strings', () => {
    const rollout = one(synth({
      maxSurge: kplus.PercentOrAbsolute.absolute(1),
      maxUnavailable: kplus.PercentOrAbsolute.percent(0),
    }), 'Rollout');
    expect(rollout.spec.strategy.canary.maxSurge).toBe(1);
    // A bare "0" would also be read as a percent by Argo; "0%" says so.
    expect(rollout.spec.strategy.canary.maxUnavailable).toBe('0%');
  });

  test('maxSurge and maxUnavailable are left to the controller when not given', () => {
    const canary = one(synth({}), 'Rollout').spec.strategy.canary;
    expect(canary).not.toHaveProperty('maxSurge');
    expect(canary).not.toHaveProperty('maxUnavailable');
  });

  test('exposes its steps', () => {
    const chart = new Chart(Testing.app(), 'test');
    const steps = [CanaryStep.setWeight(50), CanaryStep.pause()];
    expect(new CanaryNginxRollout(chart, 'web', { steps }).steps).toEqual(steps);
  });

  test.each<[string, CanaryNginxRolloutProps, string]>([
    ['setWeight above 100', { steps: [CanaryStep.setWeight(20), CanaryStep.pause(), CanaryStep.setWeight(150)] },
      'steps[2].setWeight is 150; it must be an integer in 0..100'],
    ['maxSurge and maxUnavailable both 0',
      { maxSurge: kplus.PercentOrAbsolute.absolute(0), maxUnavailable: kplus.PercentOrAbsolute.percent(0) },
      'maxSurge is 0; maxSurge and maxUnavailable can not both be 0'],
    ['a negative maxSurge', { maxSurge: kplus.PercentOrAbsolute.absolute(-1) }, 'maxSurge is -1; it must be a whole number of pods'],
    ['a percent above 100', { maxUnavailable: kplus.PercentOrAbsolute.percent(150) }, "maxUnavailable is '150%'; it must be a whole percent in 0..100"],
  ])('rejects %s', (_, props, message) => {
    expect(() => synth(props)).toThrow(`CanaryNginxRollout 'test/web': ${message}`);
  });
});
