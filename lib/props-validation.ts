/**
 * Run-time validation of every construct prop, for plain JavaScript (and the other jsii languages), which pass
 * anything: type, range and shape, each problem naming the prop by its full path (`steps[2].setWeight`) and its value.
 * One function per construct, each self-contained, called in one line from the constructor: a construct rebased onto
 * another base keeps its validation by keeping that call.
 *
 * What is checked here is what one construct can see alone. What needs the whole object set (references between
 * objects, duplicate names) is the rule engine's, at synth.
 */
import { checkTemplates } from './analysis/analysis-reference';
import { AnalysisMetric } from './analysis/analysis-metric';
import { checkAntiAffinity } from './anti-affinity';
import { CanaryStep } from './nginx/canary-step';
import { imageReferenceError } from './rules/image';
import { nameRuleBroken } from './rules/names';
import { PropsChecker } from './props-checker';
import { TrafficRouting } from './nginx/traffic-routing';

/** A ConfigMap's data is limited to 1 MiB by the API server. */
const CONFIG_MAP_MAX_BYTES = 1024 * 1024;
/** `-` and the 10 hex digits that `hashConfigMapName` appends. */
const CONFIG_MAP_HASH_SUFFIX = 11;

/** The props bag itself: undefined is the empty bag; anything else must be an object. */
export function checkPropsObject(check: PropsChecker, props: unknown): props is Record<string, unknown> {
  if (props === undefined) return true;
  return check.object('props', props);
}

/**
 * The props both nginx strategies share (`NginxRolloutProps`); `name` is the resolved Rollout name. Returns whether
 * `name` is usable to derive other names from (`${name}-canary`): given and valid, or generated.
 *
 * Every check of a prop that may be absent runs only when the prop is given (each check passes an absent prop, so
 * this only saves the calls): most apps give a handful of the ~30 props, and this runs once per Rollout.
 */
export function validateNginxRolloutProps(check: PropsChecker, props: Record<string, unknown>, name: string): boolean {
  const p = props;
  // A derived name (`${name}-conf`) is only worth checking when `name` itself is fine: else it repeats that problem.
  const nameOk = p.name === undefined || check.objectName('name', p.name, 'subdomain');
  if (p.namespace !== undefined) check.objectName('namespace', p.namespace, 'namespace');
  if (p.replicas !== undefined) check.integer('replicas', p.replicas, 0);
  if (p.revisionHistoryLimit !== undefined) check.integer('revisionHistoryLimit', p.revisionHistoryLimit, 0);
  if (p.servicePort !== undefined) check.integer('servicePort', p.servicePort, 1, 65535);
  if (p.labels !== undefined) check.labels('labels', p.labels, true);
  if (p.podAnnotations !== undefined) check.annotations('podAnnotations', p.podAnnotations);
  if (p.image !== undefined) checkImage(check, 'image', p.image);
  if (p.exporterImage !== undefined) checkImage(check, 'exporterImage', p.exporterImage);
  if (p.statusPath !== undefined) checkUrlPath(check, 'statusPath', p.statusPath);
  if (p.readinessPath !== undefined) checkUrlPath(check, 'readinessPath', p.readinessPath);
  if (p.nginxConf !== undefined && check.string('nginxConf', p.nginxConf, { nonEmpty: true }) && Buffer.byteLength(p.nginxConf) > CONFIG_MAP_MAX_BYTES) {
    check.fail('nginxConf', `${Buffer.byteLength(p.nginxConf)} bytes`, 'it must be at most 1 MiB, the API server\'s limit for a ConfigMap');
  }
  if (p.hashConfigMapName !== undefined) check.boolean('hashConfigMapName', p.hashConfigMapName);
  if (p.probes !== undefined) check.boolean('probes', p.probes);
  if (p.progressDeadlineAbort !== undefined) check.boolean('progressDeadlineAbort', p.progressDeadlineAbort);

  const hash = p.hashConfigMapName === true;
  if (p.configMapName !== undefined || nameOk) {
    const prefix = p.configMapName ?? `${name}-conf`;
    if (check.objectName('configMapName', prefix, 'subdomain') && hash && prefix.length + CONFIG_MAP_HASH_SUFFIX > 253) {
      check.fail('configMapName (with its hash)', `${prefix}-<hash>`, `it must be at most ${253 - CONFIG_MAP_HASH_SUFFIX} characters, leaving room for the hash`);
    }
  }

  if (p.resources !== undefined) checkResources(check, 'resources', p.resources);
  if (p.exporterResources !== undefined) checkResources(check, 'exporterResources', p.exporterResources);

  if (p.antiAffinity !== undefined) checkAntiAffinity(check, p.antiAffinity);

  if (p.minReady !== undefined || p.progressDeadline !== undefined) {
    const minReady = check.seconds('minReady', p.minReady);
    const progressDeadline = check.seconds('progressDeadline', p.progressDeadline);
    // The controller refuses progressDeadlineSeconds <= minReadySeconds (its default deadline being 600s).
    if (progressDeadline !== undefined && progressDeadline <= (minReady ?? 0)) {
      check.fail('progressDeadline', `${progressDeadline}s`, `it must be longer than minReady (${minReady ?? 0}s)`);
    }
    if (p.progressDeadline === undefined && minReady !== undefined && minReady >= 600) {
      check.fail('minReady', `${minReady}s`, 'it must be shorter than progressDeadline (default 600s)');
    }
  }

  if (p.podDisruptionBudget !== undefined && check.object('podDisruptionBudget', p.podDisruptionBudget)) {
    const pdb = p.podDisruptionBudget;
    if ((pdb.minAvailable === undefined) === (pdb.maxUnavailable === undefined)) {
      check.fail('podDisruptionBudget', Object.keys(pdb), 'give exactly one of minAvailable and maxUnavailable');
    }
    check.percentOrAbsolute('podDisruptionBudget.minAvailable', pdb.minAvailable);
    check.percentOrAbsolute('podDisruptionBudget.maxUnavailable', pdb.maxUnavailable);
  }
  return nameOk;
}

/** A container image prop: a string that is an image reference. */
function checkImage(check: PropsChecker, prop: string, image: unknown): void {
  if (check.string(prop, image) && imageReferenceError(image) !== undefined) {
    check.fail(prop, image, 'it must be a container image reference such as nginx:1.14.2');
  }
}

/** An HTTP path prop: a string starting with `/`, without blanks. */
function checkUrlPath(check: PropsChecker, prop: string, path: unknown): void {
  if (check.string(prop, path) && !/^\/\S*$/.test(path)) check.fail(prop, path, "it must be a URL path starting with '/'");
}

/**
 * The name of a Service the preset creates: `given` when the props give one (then it must be valid), else
 * `${name}-${suffix}` when `create`, the name is usable and the derived name valid; undefined otherwise.
 */
function serviceName(check: PropsChecker, prop: string, given: unknown, create: boolean, nameOk: boolean, name: string, suffix: string): unknown {
  if (given !== undefined) return check.objectName(prop, given, 'service') ? given : undefined;
  if (!create || !nameOk) return undefined;
  const derived = `${name}-${suffix}`;
  // The message's prop name is made only for a message.
  if (nameRuleBroken('service', derived) === undefined) return derived;
  check.objectName(`${prop} (default)`, derived, 'service');
  return undefined;
}

/**
 * `CanaryNginxRolloutProps`, shared props included; `name` is the resolved Rollout name, `defaultSteps` the steps
 * used when the props give none.
 */
export function validateCanaryNginxRolloutProps(
  check: PropsChecker, props: unknown, resolved: { name: string; defaultSteps: readonly CanaryStep[] },
): void {
  if (!checkPropsObject(check, props)) return;
  const p = props ?? {};
  const name = resolved.name;
  const nameOk = validateNginxRolloutProps(check, p, name);

  let routing: TrafficRouting | undefined;
  if (p.trafficRouting !== undefined && check.instance('trafficRouting', p.trafficRouting, TrafficRouting, 'TrafficRouting.nginxIngress() or TrafficRouting.smi()')) {
    routing = p.trafficRouting;
    routing._check(check);
  }

  const steps: Array<[number, CanaryStep]> = [];
  if (p.steps !== undefined && check.array('steps', p.steps)) {
    const maxWeight = routing?.nginxOptions?.maxTrafficWeight;
    const maxSetWeight = typeof maxWeight === 'number' && Number.isInteger(maxWeight) && maxWeight >= 1 ? maxWeight : 100;
    p.steps.forEach((step, i) => {
      if (check.instance(`steps[${i}]`, step, CanaryStep, 'a CanaryStep, such as CanaryStep.setWeight(20) or CanaryStep.pause(Duration.seconds(60))', true) &&
        step._check(check, i, maxSetWeight)) {
        steps.push([i, step]);
      }
    });
  }

  if (p.maxSurge !== undefined || p.maxUnavailable !== undefined) {
    const surgeOk = check.percentOrAbsolute('maxSurge', p.maxSurge);
    const unavailableOk = check.percentOrAbsolute('maxUnavailable', p.maxUnavailable);
    if (surgeOk && unavailableOk && isZero(p.maxSurge) && isZero(p.maxUnavailable)) {
      check.fail('maxSurge', (p.maxSurge as { value: unknown }).value, 'maxSurge and maxUnavailable can not both be 0');
    }
  }

  if (p.canaryServices !== undefined) check.boolean('canaryServices', p.canaryServices);
  const withServices = p.canaryServices === undefined ? p.trafficRouting !== undefined : p.canaryServices === true;
  if (routing && p.canaryServices === false) {
    check.fail('canaryServices', false, 'trafficRouting needs the canary and stable Services');
  }
  const canaryService = serviceName(check, 'canaryServiceName', p.canaryServiceName, withServices, nameOk, name, 'canary');
  const stableService = serviceName(check, 'stableServiceName', p.stableServiceName, withServices, nameOk, name, 'stable');
  // One Service for both (`canaryServiceName: 'web-stable'` meets the default stable name too) would be written twice.
  if (withServices && canaryService !== undefined && canaryService === stableService) {
    check.fail('stableServiceName', stableService, 'the canary and stable Services must differ (canaryServiceName is the same)');
  }

  if (p.dynamicStableScale !== undefined) check.boolean('dynamicStableScale', p.dynamicStableScale);
  const scaleDownDelay = p.scaleDownDelay === undefined ? undefined : check.seconds('scaleDownDelay', p.scaleDownDelay);
  // Argo rejects these without a router: they only make sense when traffic does not follow pod counts.
  if (p.trafficRouting === undefined) {
    const scaleStep = steps.find(([, s]) => s.action === 'setCanaryScale');
    if (scaleStep) check.fail(`steps[${scaleStep[0]}].setCanaryScale`, scaleStep[1].scale, 'it needs trafficRouting');
    if (p.dynamicStableScale !== undefined) check.fail('dynamicStableScale', p.dynamicStableScale, 'it needs trafficRouting');
    if (scaleDownDelay !== undefined) check.fail('scaleDownDelay', `${scaleDownDelay}s`, 'it needs trafficRouting');
  } else if (p.dynamicStableScale === true && scaleDownDelay !== undefined) {
    check.fail('scaleDownDelay', `${scaleDownDelay}s`, 'it can not be used with dynamicStableScale');
  }

  if (p.backgroundAnalysis !== undefined && check.object('backgroundAnalysis', p.backgroundAnalysis)) {
    const background = p.backgroundAnalysis;
    checkTemplates(check, 'backgroundAnalysis.templates', background.templates);
    const stepCount = Array.isArray(p.steps) ? p.steps.length : resolved.defaultSteps.length;
    check.integer('backgroundAnalysis.startingStep', background.startingStep, 0, Math.max(stepCount - 1, 0));
  }
}

/** `BlueGreenNginxRolloutProps`, shared props included; `name` is the resolved Rollout name. */
export function validateBlueGreenNginxRolloutProps(check: PropsChecker, props: unknown, name: string): void {
  if (!checkPropsObject(check, props)) return;
  const p = props ?? {};
  const nameOk = validateNginxRolloutProps(check, p, name);

  const activeService = serviceName(check, 'activeServiceName', p.activeServiceName, true, nameOk, name, 'active');
  const previewService = serviceName(check, 'previewServiceName', p.previewServiceName, true, nameOk, name, 'preview');
  if (activeService !== undefined && activeService === previewService) {
    check.fail('previewServiceName', previewService, 'the active and preview Services must differ (activeServiceName is the same)');
  }

  if (p.scaleDownDelay !== undefined) check.seconds('scaleDownDelay', p.scaleDownDelay);
  if (p.autoPromotionDelay !== undefined) check.seconds('autoPromotionDelay', p.autoPromotionDelay);
  if (p.autoPromotionEnabled !== undefined) check.boolean('autoPromotionEnabled', p.autoPromotionEnabled);
  if (p.previewReplicaCount !== undefined) check.integer('previewReplicaCount', p.previewReplicaCount, 0);
  if (p.prePromotionAnalysis !== undefined) checkTemplates(check, 'prePromotionAnalysis', p.prePromotionAnalysis);
  if (p.postPromotionAnalysis !== undefined) checkTemplates(check, 'postPromotionAnalysis', p.postPromotionAnalysis);
}

/** `NginxAnalysisTemplateProps`: the Prometheus address, the name, and each metric. */
export function validateNginxAnalysisTemplateProps(check: PropsChecker, props: unknown): void {
  if (props === undefined) {
    check.fail('props', undefined, 'it must be an object with at least prometheusAddress');
    return;
  }
  if (!check.object('props', props)) return;
  const p = props;
  if (p.prometheusAddress === undefined || (check.string('prometheusAddress', p.prometheusAddress) && !/^https?:\/\/\S+$/.test(p.prometheusAddress))) {
    check.fail('prometheusAddress', p.prometheusAddress, 'it must be an http:// or https:// URL');
  }
  check.objectName('name', p.name, 'subdomain');
  check.objectName('namespace', p.namespace, 'namespace');
  check.integer('count', p.count, 1);
  check.integer('failureLimit', p.failureLimit, 0);
  check.seconds('interval', p.interval);
  if (check.array('metrics', p.metrics)) {
    if (p.metrics.length === 0) check.fail('metrics', [], 'it needs at least one metric');
    const names: string[] = [];
    p.metrics.forEach((m, i) => {
      if (check.instance(`metrics[${i}]`, m, AnalysisMetric, 'an AnalysisMetric, such as AnalysisMetric.nginxUp()', true) && m._check(check, i)) {
        names.push(m.options.name);
      }
    });
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) check.fail('metrics', names, `metric names must be unique ('${duplicate}' repeats)`);
  }
}

function isZero(v: unknown): boolean {
  const value = (v as { value?: unknown } | undefined)?.value;
  return value === 0 || value === '0%';
}

/** `kplus.ContainerResources`: cpu as `Cpu`, memory and ephemeral storage as `Size`, each request at most its limit. */
function checkResources(check: PropsChecker, prop: string, resources: unknown): void {
  if (!check.object(prop, resources)) return;
  if (check.object(`${prop}.cpu`, resources.cpu)) {
    const cpu = resources.cpu;
    const request = cpuMillis(check, `${prop}.cpu.request`, cpu.request);
    const limit = cpuMillis(check, `${prop}.cpu.limit`, cpu.limit);
    if (request !== undefined && limit !== undefined && request > limit) {
      // The API server: "must be less than or equal to cpu limit".
      check.fail(`${prop}.cpu.request`, `${request}m`, `it must be at most the limit (${limit}m)`);
    }
  }
  for (const kind of ['memory', 'ephemeralStorage'] as const) {
    if (!check.object(`${prop}.${kind}`, resources[kind])) continue;
    const r = resources[kind];
    const request = check.size(`${prop}.${kind}.request`, r.request);
    const limit = check.size(`${prop}.${kind}.limit`, r.limit);
    if (request !== undefined && limit !== undefined && request > limit) {
      check.fail(`${prop}.${kind}.request`, `${request}Ki`, `it must be at most the limit (${limit}Ki)`);
    }
  }
}

/** The millicores of a cdk8s-plus `Cpu` (checked by shape: its `amount` string), whole millicores only. */
function cpuMillis(check: PropsChecker, prop: string, cpu: unknown): number | undefined {
  if (cpu === undefined) return undefined;
  const amount = cpu !== null && typeof cpu === 'object' ? (cpu as { amount?: unknown }).amount : undefined;
  const m = typeof amount === 'string' ? /^(\d+(?:\.\d+)?|\.\d+)(m?)$/.exec(amount) : null;
  if (!m) {
    check.fail(prop, typeof amount === 'string' ? amount : cpu, 'it must be a Cpu of 0 or more, such as Cpu.millis(100)');
    return undefined;
  }
  const millis = Number(m[1]) * (m[2] === 'm' ? 1 : 1000);
  if (!Number.isSafeInteger(Math.round(millis * 1000)) || Math.abs(millis - Math.round(millis)) > 1e-9) {
    check.fail(prop, amount, 'it must be whole millicores (Kubernetes has no finer CPU unit)');
    return undefined;
  }
  return Math.round(millis);
}
