import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import { BlueGreenNginxRolloutProps, CanaryNginxRolloutProps, CanaryStep } from '../../lib';

/**
 * Valid props of the nginx presets, for property tests (test/properties.test.ts checks they synthesize lint-clean;
 * test/rollout/render.test.ts that they render byte-identically).
 */
export const dnsLabel = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/);
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

export const validCanary: fc.Arbitrary<CanaryNginxRolloutProps> = fc.record({
  ...shared,
  steps: fc.array(step, { maxLength: 8 }),
  maxSurge: fc.option(intOrPercent, { nil: undefined }),
  maxUnavailable: fc.option(intOrPercent, { nil: undefined }),
}).filter((p) => !(p.maxSurge?.isZero() && p.maxUnavailable?.isZero()));

export const validBlueGreen: fc.Arbitrary<BlueGreenNginxRolloutProps> = fc.record({
  ...shared,
  scaleDownDelay: fc.option(fc.integer({ min: 0, max: 600 }).map((s) => Duration.seconds(s)), { nil: undefined }),
  autoPromotionEnabled: fc.option(fc.boolean(), { nil: undefined }),
  previewReplicaCount: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
});
