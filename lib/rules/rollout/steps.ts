/** Section C, per step (`spec.strategy.steps[i]`, without the `canary` segment, as the controller reports it). */
import type { Finding } from '../finding';
import { pauseDurationSeconds } from '../duration';
import { invalid, required } from '../field';
import { isQualifiedName } from '../k8s-names';
import { finding } from '../report';
import { arr, isSet, num, obj, str } from '../util';
import { hasPlugins } from './canary';
import type { RolloutView } from './view';

const STEP_MESSAGE = 'Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause';
const MATCH_MULTIPLE = 'StringMatch match value must have exactly one of the following: exact, regex, prefix';
const MATCH_MISSED = 'StringMatch value missed, match value must have one of the following: exact, regex, prefix';
const DEFAULT_MAX_TRAFFIC_WEIGHT = 100;

/**
 * What a step check needs: the step, its index, and the Rollout's traffic routing. The step's path
 * ({@link stepPath}) is written only for a finding: these checks run on every step of every canary.
 */
interface StepContext {
  readonly step: Record<string, any>;
  readonly index: number;
  readonly trafficRouting?: Record<string, any>;
  readonly maxTrafficWeight: number;
}
type StepCheck = (ctx: StepContext) => Finding[];

/** `spec.strategy.steps[i]`, without the `canary` segment, as the controller reports it. */
const stepPath = ({ index }: StepContext): string => `spec.strategy.steps[${index}]`;

const STEP_ACTIONS = ['experiment', 'pause', 'setWeight', 'analysis', 'setCanaryScale', 'setHeaderRoute', 'setMirrorRoute', 'plugin'];
const EXCLUSIVE_ACTIONS = ['setWeight', 'pause', 'experiment', 'analysis'];

/** Rule 33: a step with no action at all. The controller's value string prints `== nil`, i.e. inverted booleans. */
const checkStepHasAction: StepCheck = (ctx) => {
  const { step } = ctx;
  for (let i = 0; i < STEP_ACTIONS.length; i++) if (isSet(step[STEP_ACTIONS[i]])) return [];
  const path = stepPath(ctx);
  const nil = (a: string) => !isSet(step[a]);
  const errVal =
    `step.Experiment: ${nil('experiment')} step.Pause: ${nil('pause')} step.SetWeight: ${nil('setWeight')} ` +
    `step.Analysis: ${nil('analysis')} step.SetCanaryScale: ${nil('setCanaryScale')} ` +
    `step.SetHeaderRoute: ${nil('setHeaderRoute')} step.SetMirrorRoutes: ${nil('setMirrorRoute')}`;
  return [finding('step-action-required', path, invalid(errVal, STEP_MESSAGE))];
};

/** Rule 34: only setWeight, pause, experiment and analysis are mutually exclusive (setCanaryScale may join one). */
const checkStepSingleAction: StepCheck = (ctx) => {
  const { step } = ctx;
  let exclusive = 0;
  for (let i = 0; i < EXCLUSIVE_ACTIONS.length; i++) if (isSet(step[EXCLUSIVE_ACTIONS[i]])) exclusive++;
  if (exclusive <= 1) return [];
  const path = stepPath(ctx);
  const set = (a: string) => isSet(step[a]);
  const errVal = `step.Experiment: ${set('experiment')} step.Pause: ${set('pause')} step.SetWeight: ${set('setWeight')} step.Analysis: ${set('analysis')}`;
  return [finding('step-multiple-actions', path, invalid(errVal, STEP_MESSAGE))];
};

/** Rule 35: the upper bound is `trafficRouting.maxTrafficWeight` when set. */
const checkSetWeight: StepCheck = (ctx) => {
  const { step, maxTrafficWeight } = ctx;
  if (!isSet(step.setWeight)) return [];
  const weight = num(step.setWeight, 0);
  if (weight >= 0 && weight <= maxTrafficWeight) return [];
  return [finding('setweight-range', `${stepPath(ctx)}.setWeight`, invalid(weight, `SetWeight needs to be between 0 and ${maxTrafficWeight}`))];
};

/** Rule 36: `0` ends the pause at once and `pause: {}` waits for a promote; both are fine. */
const checkPauseDuration: StepCheck = (ctx) => {
  const { step } = ctx;
  if (!isSet(step.pause)) return [];
  const seconds = pauseDurationSeconds(obj(step.pause)?.duration);
  return seconds < 0 ? [finding('pause-duration', `${stepPath(ctx)}.pause.duration`, invalid(seconds, 'Duration needs to be greater than 0'))] : [];
};

/** Rule 37: reported at the strategy's trafficRouting, not at the step. */
const checkSetCanaryScale: StepCheck = ({ step, trafficRouting }) =>
  isSet(step.setCanaryScale) && !trafficRouting
    ? [finding('set-canary-scale-needs-traffic-routing', 'spec.strategy.trafficRouting', required('SetCanaryScale requires TrafficRouting to be set'))]
    : [];

/** `hasMultipleMatchValues`: exactly one of exact / regex / prefix. */
function checkStringMatch(match: unknown, path: string, rule: 'set-header-route-match' | 'set-mirror-route-match'): Finding[] {
  if (!isSet(match)) return [finding(rule, path, invalid(null, MATCH_MISSED))];
  const m = obj(match) ?? {};
  const count = ['exact', 'regex', 'prefix'].filter((k) => str(m[k]) !== '').length;
  if (count > 1) return [finding(rule, path, invalid(match, MATCH_MULTIPLE))];
  if (count === 0) return [finding(rule, path, invalid(match, MATCH_MISSED))];
  return [];
}

/** `hasALBInvalidValues`: ALB matches headers exactly, nothing else. */
function checkAlbStringMatch(match: unknown, path: string): Finding[] {
  if (!isSet(match)) return [finding('set-header-route-match', path, invalid(null, MATCH_MISSED))];
  const m = obj(match) ?? {};
  if (str(m.exact) === '' || str(m.regex) !== '' || str(m.prefix) !== '') {
    return [finding('set-header-route-match', path, invalid(match, "SetHeaderRoute match value invalid. ALB supports 'exact' value only"))];
  }
  return [];
}

/** Rules 38-40. */
const checkSetHeaderRoute: StepCheck = (ctx) => {
  const { step, trafficRouting: tr } = ctx;
  if (!isSet(step.setHeaderRoute)) return [];
  const path = stepPath(ctx);
  const route = obj(step.setHeaderRoute) ?? {};
  if (!tr || (!isSet(tr.istio) && !isSet(tr.alb) && !isSet(tr.apisix) && !hasPlugins(tr))) {
    return [
      finding('set-header-route-router', `${path}.setHeaderRoute`, invalid(step.setHeaderRoute, 'SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix')),
    ];
  }
  return arr(route.match).flatMap((raw, j) => {
    const matchPath = `${path}.setHeaderRoute.match[${j}]`;
    const headerValue = obj(raw)?.headerValue;
    return isSet(tr.alb) ? checkAlbStringMatch(headerValue, matchPath) : checkStringMatch(headerValue, matchPath, 'set-header-route-match');
  });
};

/** Rules 41-42: only Istio mirrors; method and path matches need exactly one kind (headers are not checked). */
const checkSetMirrorRoute: StepCheck = (ctx) => {
  const { step, trafficRouting: tr } = ctx;
  if (!isSet(step.setMirrorRoute)) return [];
  const path = stepPath(ctx);
  const out: Finding[] = [];
  if (!tr || !isSet(tr.istio)) {
    out.push(finding('set-mirror-route-router', `${path}.setMirrorRoute`, invalid(step.setMirrorRoute, 'SetMirrorRoute requires TrafficRouting, supports Istio only')));
  }
  arr(obj(step.setMirrorRoute)?.match).forEach((raw, j) => {
    const match = obj(raw) ?? {};
    const matchPath = `${path}.setMirrorRoute.match[${j}]`;
    if (isSet(match.method)) out.push(...checkStringMatch(match.method, matchPath, 'set-mirror-route-match'));
    if (isSet(match.path)) out.push(...checkStringMatch(match.path, matchPath, 'set-mirror-route-match'));
  });
  return out;
};

/** Rules 43-44: header and mirror routes are created by name, so the router must know the names up front. */
const checkManagedRoutes: StepCheck = (ctx) => {
  const { step, trafficRouting: tr } = ctx;
  if (!tr || (!isSet(step.setHeaderRoute) && !isSet(step.setMirrorRoute))) return [];
  const path = stepPath(ctx);
  const routes = [
    { field: 'setHeaderRoute', value: step.setHeaderRoute },
    { field: 'setMirrorRoute', value: step.setMirrorRoute },
  ].filter((r) => isSet(r.value));
  if (routes.length === 0) return [];
  if (!isSet(tr.managedRoutes)) {
    return [
      finding(
        'managed-routes-required',
        'spec.strategy.trafficRouting.managedRoutes',
        required("Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes'"),
      ),
    ];
  }
  const managed = new Set(arr(tr.managedRoutes).map((r) => str(obj(r)?.name)));
  return routes
    .map((r) => ({ ...r, name: str(obj(r.value)?.name) }))
    .filter((r) => !managed.has(r.name))
    .map((r) =>
      finding(
        'managed-route-not-found',
        `${path}.${r.field}`,
        invalid(r.name, 'Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes'),
      ),
    );
};

/** Rules 45-46: an experiment can take traffic only through routers that split by weight. */
const checkExperimentWeights: StepCheck = (ctx) => {
  const { step, trafficRouting: tr } = ctx;
  const templates = arr(obj(step.experiment)?.templates);
  if (templates.length === 0) return [];
  const path = stepPath(ctx);
  return templates.flatMap((raw, k) => {
    const weight = obj(raw)?.weight;
    if (!isSet(weight)) return [];
    const p = `${path}.experiment.templates[${k}].weight`;
    if (!tr) return [finding('experiment-weight-needs-traffic-routing', p, invalid(weight, 'Experiment template weight cannot be set unless TrafficRouting is enabled'))];
    if (isSet(tr.alb) || isSet(tr.smi) || isSet(tr.istio) || hasPlugins(tr)) return [];
    return [
      finding('experiment-weight-router', p, invalid(weight, 'Experiment template weight is only available for TrafficRouting with SMI, ALB, Istio and Plugins at this time')),
    ];
  });
};

/** `fieldpath.ExtractFieldPathAsString` on object metadata: the paths the downward API can read. */
export function isDownwardApiMetadataPath(fieldPath: string): boolean {
  const sub = /^(.+)\['(.*)'\]$/s.exec(fieldPath);
  if (sub) {
    if (sub[1] === 'metadata.annotations') return isQualifiedName(sub[2].toLowerCase()).length === 0;
    if (sub[1] === 'metadata.labels') return isQualifiedName(sub[2]).length === 0;
    return false;
  }
  return ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'].includes(fieldPath);
}

/** Rule 47: step analysis and experiment analyses args (background analysis args are not checked by the controller). */
const checkAnalysisArgs: StepCheck = (ctx) => {
  const { step } = ctx;
  if (!isSet(step.analysis) && arr(obj(step.experiment)?.analyses).length === 0) return [];
  const path = stepPath(ctx);
  const args = [
    ...arr(obj(step.experiment)?.analyses).flatMap((a) => arr(obj(a)?.args)),
    ...(isSet(step.analysis) ? arr(obj(step.analysis)?.args) : []),
  ];
  const bad = args.some((arg) => {
    const fieldPath = obj(obj(obj(arg)?.valueFrom)?.fieldRef)?.fieldPath;
    return typeof fieldPath === 'string' && fieldPath.startsWith('metadata') && !isDownwardApiMetadataPath(fieldPath);
  });
  return bad
    ? [finding('analysis-args-field-path', `${path}.analyses`, invalid(args, 'Analyses arguments must refer to valid object metadata supported by downwardAPI'))]
    : [];
};

const STEP_CHECKS: StepCheck[] = [
  checkStepSingleAction,
  checkStepHasAction,
  checkSetWeight,
  checkPauseDuration,
  checkSetCanaryScale,
  checkSetHeaderRoute,
  checkSetMirrorRoute,
  checkManagedRoutes,
  checkExperimentWeights,
  checkAnalysisArgs,
];

/**
 * Whether a step is one that no step rule can report on: only `setWeight`, a number within range, or only `pause`
 * with a duration that parses (the steps most canaries are made of, the presets' included). Any other step takes
 * every rule; this only spares the common ones the ten rules' reads.
 */
function plainStep(step: Record<string, any>, maxTrafficWeight: number): boolean {
  const keys = Object.keys(step);
  if (keys.length !== 1) return false;
  const value = step[keys[0]];
  if (keys[0] === 'setWeight') return typeof value === 'number' && value >= 0 && value <= maxTrafficWeight;
  return keys[0] === 'pause' && isSet(value) && pauseDurationSeconds(obj(value)?.duration) >= 0;
}

/** Every step rule over every step of a canary Rollout. */
export function checkSteps({ canary, trafficRouting }: RolloutView, out: Finding[]): void {
  if (!canary) return;
  const maxTrafficWeight = trafficRouting && isSet(trafficRouting.maxTrafficWeight) ? num(trafficRouting.maxTrafficWeight, DEFAULT_MAX_TRAFFIC_WEIGHT) : DEFAULT_MAX_TRAFFIC_WEIGHT;
  const steps = arr(canary.steps);
  for (let i = 0; i < steps.length; i++) {
    const step = obj(steps[i]);
    if (step && plainStep(step, maxTrafficWeight)) continue;
    const ctx: StepContext = { step: step ?? {}, index: i, trafficRouting, maxTrafficWeight };
    // indexed loops: this runs unoptimized at first, where `for...of` steps an iterator object
    for (let c = 0; c < STEP_CHECKS.length; c++) {
      const found = STEP_CHECKS[c](ctx);
      for (let k = 0; k < found.length; k++) out.push(found[k]);
    }
  }
}
