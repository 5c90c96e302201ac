import { Duration } from 'cdk8s';
import { CanaryNginxRollout, CanaryStep } from '../../lib';
import { synthChart } from '../support/synth';

describe('CanaryStep', () => {
  test('setWeight and pause render as Argo steps', () => {
    expect(CanaryStep.setWeight(20).toStep()).toEqual({ setWeight: 20 });
    expect(CanaryStep.pause(Duration.seconds(60)).toStep()).toEqual({ pause: { duration: expect.anything() } });
    expect(CanaryStep.pause().toStep()).toEqual({ pause: {} });
  });

  test('a pause in minutes is written as seconds', () => {
    const [rollout] = synthChart((c) => new CanaryNginxRollout(c, 'web', {
      steps: [CanaryStep.setWeight(50), CanaryStep.pause(Duration.minutes(2))],
    })).filter((o) => o.kind === 'Rollout');
    expect(rollout.spec.strategy.canary.steps).toEqual([{ setWeight: 50 }, { pause: { duration: 120 } }]);
  });

  test('a pause without a duration waits for promotion: `pause: {}`', () => {
    const [rollout] = synthChart((c) => new CanaryNginxRollout(c, 'web', {
      steps: [CanaryStep.setWeight(10), CanaryStep.pause()],
    })).filter((o) => o.kind === 'Rollout');
    expect(rollout.spec.strategy.canary.steps[1]).toEqual({ pause: {} });
  });

  test.each([
    [CanaryStep.setWeight(150), "steps[0].setWeight is 150; it must be an integer in 0..100"],
    [CanaryStep.setWeight(-1), "steps[0].setWeight is -1; it must be an integer in 0..100"],
    [CanaryStep.setWeight(12.5), "steps[0].setWeight is 12.5; it must be an integer in 0..100"],
    [CanaryStep.pause(Duration.millis(1500)), "steps[0].pause.duration is '1.5s'; it must be whole seconds, 0 or more"],
  ])('rejects %p naming the construct, the step, the value and the rule', (step, message) => {
    expect(() => synthChart((c) => new CanaryNginxRollout(c, 'web', { steps: [step] })))
      .toThrow(`CanaryNginxRollout 'test/web': ${message}`);
  });
});
