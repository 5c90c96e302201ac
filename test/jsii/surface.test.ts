/**
 * The public surface (lib/index.ts) as both kinds of users meet it: the jsii class entry points that Python, Java, Go
 * and .NET reach the engines through give what the TypeScript functions give, the names made for jsii do what the
 * TypeScript names do, and the internals are no longer exported.
 */
import { Chart, Duration, Testing } from 'cdk8s';
import * as lib from '../../lib';
import {
  BlueGreenNginxRollout, CanaryNginxRollout, CanaryStep, formatFinding, formatPlanMarkdown, formatPlanTable, KubeRollout,
  planRollout, planWarnings, PropsError, renderPlanSvg, RolloutPlanner, RulesEngine, TrafficRouting, validateObjects,
  validateRollout, validateSchema,
} from '../../lib';
import { CANARY, mutate } from '../rules/fixtures';

const BAD = mutate(CANARY, (o) => { o.spec.strategy.canary.steps[0] = { setWeight: 150 }; });

describe('RulesEngine: the rules engine for every jsii language', () => {
  test('validateObjects, validateRollout and validateSchema give what the functions give, findings and all', () => {
    const findings = RulesEngine.validateRollout(BAD);
    expect(findings.map((f) => [f.severity, f.path, f.message])).toContainEqual(
      ['error', 'spec.strategy.steps[0].setWeight', 'Invalid value: 150: SetWeight needs to be between 0 and 100']);
    expect(findings).toEqual(validateRollout(BAD));
    expect(RulesEngine.validateObjects([BAD])).toEqual(validateObjects([BAD]));
    expect(RulesEngine.validateObjects([BAD], { missingReference: 'warning' })).toEqual(validateObjects([BAD], { missingReference: 'warning' }));
    const unknownField = mutate(CANARY, (o) => { o.spec.color = 'blue'; });
    expect(RulesEngine.validateSchema(unknownField).length).toBeGreaterThan(0);
    expect(RulesEngine.validateSchema(unknownField)).toEqual(validateSchema(unknownField));
    // The references between objects: alone, the Rollout names a ConfigMap that is not in the set.
    expect(RulesEngine.validateObjects([CANARY]).map((f) => f.message)).toEqual(['Invalid value: "web-conf": configmap "web-conf" not found']);
  });

  test('formatFinding is the one-line form', () => {
    const [first] = RulesEngine.validateRollout(BAD);
    expect(RulesEngine.formatFinding(first)).toBe(formatFinding(first));
    expect(RulesEngine.formatFinding(first))
      .toBe('error: Rollout/web: spec.strategy.steps[0].setWeight: Invalid value: 150: SetWeight needs to be between 0 and 100 [setweight-range]');
  });
});

describe('RolloutPlanner: the planner for every jsii language', () => {
  test('plan, warnings and the renderings give what the functions give', () => {
    const plan = RolloutPlanner.plan(CANARY);
    expect(plan).toEqual(planRollout(CANARY));
    expect(plan.steps.map((s: any) => [s.kind, s.canaryReplicas, s.stableReplicas])[0]).toEqual(['setWeight', 1, 4]);
    expect(RolloutPlanner.warnings(CANARY)).toEqual(planWarnings(CANARY));
    expect(RolloutPlanner.formatTable(CANARY, 'web.yaml')).toBe(formatPlanTable(planRollout(CANARY), 'web.yaml'));
    expect(RolloutPlanner.formatMarkdown(CANARY)).toBe(formatPlanMarkdown(planRollout(CANARY)));
    expect(RolloutPlanner.renderSvg([CANARY])).toBe(renderPlanSvg([planRollout(CANARY)]));
  });
});

describe('names made for jsii', () => {
  const synthSteps = (steps: CanaryStep[]) => {
    const chart = new Chart(Testing.app(), 'c', { disableResourceNameHashes: true });
    new CanaryNginxRollout(chart, 'web', { name: 'web', steps, trafficRouting: TrafficRouting.nginxIngress({ stableIngress: 'web' }) });
    return Testing.synth(chart).find((o) => o.kind === 'Rollout').spec.strategy.canary.steps;
  };

  test('CanaryStep.weight / canaryScale are CanaryStep.setWeight / setCanaryScale (a `setXxx` method is a Java setter)', () => {
    const viaJsiiNames = synthSteps([CanaryStep.weight(20), CanaryStep.canaryScale({ replicas: 2 }), CanaryStep.pause()]);
    expect(viaJsiiNames).toEqual([{ setWeight: 20 }, { setCanaryScale: { replicas: 2 } }, { pause: {} }]);
    expect(synthSteps([CanaryStep.setWeight(20), CanaryStep.setCanaryScale({ replicas: 2 }), CanaryStep.pause()])).toEqual(viaJsiiNames);
  });

  test('TrafficRouting keeps its options as nginxOptions / smiOptions (`smi` is the static factory)', () => {
    expect(TrafficRouting.nginxIngress({ maxTrafficWeight: 1000 }).nginxOptions).toEqual({ maxTrafficWeight: 1000 });
    expect(TrafficRouting.smi({ rootService: 'web' }).smiOptions).toEqual({ rootService: 'web' });
    expect(TrafficRouting.smi().nginxOptions).toBeUndefined();
  });

  test('BlueGreenNginxRollout still has both Services, and NginxRollout.rollout is the generated KubeRollout', () => {
    const chart = new Chart(Testing.app(), 'c');
    const bg = new BlueGreenNginxRollout(chart, 'web', { name: 'web' });
    // Typed non-optional for TypeScript (this compiles without `!`); optional in the jsii languages, as on Rollout.
    const names: string[] = [bg.activeService.name, bg.previewService.name];
    expect(names).toEqual(['web-active', 'web-preview']);
    expect(bg.rollout).toBeInstanceOf(KubeRollout);
    expect(bg.rollout).toBeInstanceOf(lib.argoRollouts.Rollout);
  });
});

describe('the package boundary', () => {
  test('internals are not exported', () => {
    const exported = Object.keys(lib);
    for (const internal of [
      'PropsChecker', 'show', 'durationSeconds', 'INT32_MAX', 'nginxPodTemplate', 'isImageReference',
      'CONFIG_CHECKSUM_ANNOTATION', 'CONF_KEY', 'markYamlDocumentStartsOnSynth', 'validatedName', 'PlanError',
    ]) {
      expect([internal, exported.includes(internal)]).toEqual([internal, false]);
    }
  });

  test('PropsError is still exported for TypeScript users: what the constructs throw is an instance of it', () => {
    const chart = new Chart(Testing.app(), 'c');
    let thrown: unknown;
    try {
      new CanaryNginxRollout(chart, 'web', { steps: [CanaryStep.setWeight(150), CanaryStep.pause(Duration.seconds(1))] });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(PropsError);
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as PropsError).problems).toEqual([expect.stringContaining('steps[0].setWeight is 150')]);
    expect((thrown as Error).message).toContain("CanaryNginxRollout 'c/web'");
  });
});
