import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import {
  BlueGreenNginxRollout, BlueGreenNginxRolloutProps, CanaryNginxRollout, CanaryNginxRolloutProps, CanaryStep,
} from '../lib';
import { validateObjects, validateSchema } from '../lib/rules';
import { synthChart } from './support/synth';

const dnsLabel = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/);
const labelValue = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,20}[A-Za-z0-9])?$/);
const labels = fc.dictionary(fc.stringMatching(/^[a-z]([a-z0-9.-]{0,10}[a-z0-9])?$/), labelValue, { minKeys: 1, maxKeys: 3 });
const image = fc.tuple(fc.constantFrom('nginx', 'registry.example.com:5000/web/nginx', 'ghcr.io/org/nginx'),
  fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,10}$/)).map(([repo, tag]) => `${repo}:${tag}`);
const step = fc.oneof(
  fc.integer({ min: 0, max: 100 }).map((w) => CanaryStep.setWeight(w)),
  fc.option(fc.integer({ min: 0, max: 3600 }), { nil: undefined })
    .map((s) => CanaryStep.pause(s === undefined ? undefined : Duration.seconds(s))),
);
const intOrPercent = fc.oneof(
  fc.integer({ min: 0, max: 5 }).map((n) => kplus.PercentOrAbsolute.absolute(n)),
  fc.integer({ min: 0, max: 100 }).map((p) => kplus.PercentOrAbsolute.percent(p)),
);

const shared = {
  name: dnsLabel,
  replicas: fc.integer({ min: 0, max: 20 }),
  image,
  labels: fc.option(labels, { nil: undefined }),
  hashConfigMapName: fc.boolean(),
  probes: fc.boolean(),
  revisionHistoryLimit: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
};

const validCanary: fc.Arbitrary<CanaryNginxRolloutProps> = fc.record({
  ...shared,
  steps: fc.array(step, { maxLength: 8 }),
  maxSurge: fc.option(intOrPercent, { nil: undefined }),
  maxUnavailable: fc.option(intOrPercent, { nil: undefined }),
}).filter((p) => !(p.maxSurge?.isZero() && p.maxUnavailable?.isZero()));

const validBlueGreen: fc.Arbitrary<BlueGreenNginxRolloutProps> = fc.record({
  ...shared,
  scaleDownDelay: fc.option(fc.integer({ min: 0, max: 600 }).map((s) => Duration.seconds(s)), { nil: undefined }),
  autoPromotionEnabled: fc.option(fc.boolean(), { nil: undefined }),
  previewReplicaCount: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
});

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
