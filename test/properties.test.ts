import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import {
  BlueGreenNginxRollout, CanaryNginxRollout, CanaryNginxRolloutProps, CanaryStep,
} from '../lib';
import { validateObjects, validateSchema } from '../lib/rules';
import { dnsLabel, validBlueGreen, validCanary } from './support/preset-props';
import { synthChart } from './support/synth';

/** Every error the engine and the strict schema find in what the props synthesize. */
function problems(objects: any[]): unknown[] {
  return [
    ...validateObjects(objects, { missingReference: 'error' }).filter((f) => f.severity === 'error'),
    ...objects.flatMap((o) => validateSchema(o)),
  ];
}

describe('random valid props', () => {
  test('a canary always synthesizes schema-valid, lint-clean objects', () => {
    fc.assert(fc.property(validCanary, (props) => {
      const objects = synthChart((c) => new CanaryNginxRollout(c, 'web', props));
      expect(problems(objects)).toEqual([]);
    }), { numRuns: 150 });
  });

  test('a blue/green always synthesizes schema-valid, lint-clean objects', () => {
    fc.assert(fc.property(validBlueGreen, (props) => {
      const objects = synthChart((c) => new BlueGreenNginxRollout(c, 'web', props));
      expect(problems(objects)).toEqual([]);
    }), { numRuns: 150 });
  });
});

describe('random invalid props', () => {
  /** One mutation that breaks a rule, with the prop the message must name. */
  type Mutation = [Partial<CanaryNginxRolloutProps>, RegExp];
  const breakCanary: fc.Arbitrary<Mutation> = fc.oneof<fc.Arbitrary<Mutation>[]>(
    fc.integer({ min: 101, max: 10_000 }).map((w): Mutation => [{ steps: [CanaryStep.setWeight(w)] }, /steps\[0\]\.setWeight is \d+; it must be an integer in 0\.\.100/]),
    fc.integer({ min: -1000, max: -1 }).map((w): Mutation => [{ steps: [CanaryStep.setWeight(w)] }, /steps\[0\]\.setWeight is -\d+/]),
    fc.integer({ min: -100, max: -1 }).map((r): Mutation => [{ replicas: r }, /replicas is -\d+; it must be an integer >= 0/]),
    fc.stringMatching(/^[A-Z_][A-Za-z_ ]{0,10}$/).map((n): Mutation => [{ name: n }, /name is '.*'; it must be a DNS-1123 subdomain/]),
    fc.stringMatching(/^[A-Za-z ]{1,5} [A-Za-z]{1,5}$/).map((i): Mutation => [{ image: i }, /image is '.*'; it must be a container image reference/]),
    fc.constant<Mutation>([{ maxSurge: kplus.PercentOrAbsolute.absolute(0), maxUnavailable: kplus.PercentOrAbsolute.percent(0) }, /maxSurge is 0; maxSurge and maxUnavailable can not both be 0/]),
  );

  test('a canary always throws, naming the construct and the prop', () => {
    fc.assert(fc.property(validCanary, breakCanary, (props, [mutation, message]) => {
      expect(() => synthChart((c) => new CanaryNginxRollout(c, 'web', { ...props, ...mutation })))
        .toThrow(new RegExp(`^CanaryNginxRollout 'test/web': ${message.source}`));
    }), { numRuns: 150 });
  });

  test('a blue/green with the same active and preview Service always throws', () => {
    fc.assert(fc.property(validBlueGreen, dnsLabel, (props, service) => {
      expect(() => synthChart((c) => new BlueGreenNginxRollout(c, 'web', { ...props, activeServiceName: service, previewServiceName: service })))
        .toThrow(`BlueGreenNginxRollout 'test/web': previewServiceName is '${service}'; the active and preview Services must differ`);
    }), { numRuns: 100 });
  });
});
