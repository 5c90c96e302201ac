/**
 * The invalid-case tables: each case breaks one rule of a valid object and names the finding it must produce
 * (rule id, field path as the controller reports it, and the exact message).
 */
import type { RuleId } from '../../lib/rules';
import {
  ALB_CANARY,
  ambassadorRollout,
  appMeshRollout,
  appMeshRoute,
  appMeshVirtualService,
  mapping,
  virtualRouter,
  analysisTemplate,
  BLUE_GREEN,
  CANARY,
  configMap,
  dest,
  ingress,
  ISTIO_CANARY,
  metric,
  mutate,
  NGINX_CANARY,
  service,
  templateWith,
  virtualService,
  VS_HTTP,
  vsRollout,
} from './fixtures';

export interface Case {
  readonly name: string;
  readonly input: any;
  readonly rule: RuleId;
  readonly path: string;
  readonly message: string;
}

const DNS_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QNAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const STEP_MSG = 'Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause';
const SERVICES_MSG = 'Canary service and Stable service must to be set to use Traffic Routing';
const PING_PONG_MSG = 'Ping service and Pong service must to be set to use Ping-Pong feature';
const MATCH_MULTIPLE = 'StringMatch match value must have exactly one of the following: exact, regex, prefix';
const NEGATIVE = 'must be greater than or equal to 0';

const canary = (...m: Array<(c: any) => void>) => mutate(CANARY, ...m.map((f) => (o: any) => f(o.spec.strategy.canary)));
const nginx = (...m: Array<(c: any) => void>) => mutate(NGINX_CANARY, ...m.map((f) => (o: any) => f(o.spec.strategy.canary)));
const istio = (...m: Array<(c: any) => void>) => mutate(ISTIO_CANARY, ...m.map((f) => (o: any) => f(o.spec.strategy.canary)));
const alb = (...m: Array<(c: any) => void>) => mutate(ALB_CANARY, ...m.map((f) => (o: any) => f(o.spec.strategy.canary)));
const blueGreen = (...m: Array<(b: any) => void>) => mutate(BLUE_GREEN, ...m.map((f) => (o: any) => f(o.spec.strategy.blueGreen)));
const pod = (f: (p: any) => void) => mutate(CANARY, (o) => f(o.spec.template.spec));
const spec = (f: (s: any) => void) => mutate(CANARY, (o) => f(o.spec));

/** Rules of `validateRollout` (Argo sections A-C and the Kubernetes rules on a Rollout). */
export const ROLLOUT_CASES: Case[] = [
  // A. general spec
  { name: 'negative replicas', input: spec((s) => (s.replicas = -1)), rule: 'replicas-nonnegative', path: 'spec.replicas', message: `Invalid value: -1: ${NEGATIVE}` },
  {
    name: 'missing selector',
    input: spec((s) => delete s.selector),
    rule: 'selector-required',
    path: 'spec.selector',
    message: "Required value: Rollout has missing field '.spec.selector'",
  },
  {
    name: 'unknown selector operator',
    input: spec((s) => (s.selector.matchExpressions = [{ key: 'app', operator: 'Foo' }])),
    rule: 'selector-invalid',
    path: 'spec.selector.matchExpressions[0].operator',
    message: 'Invalid value: "Foo": not a valid selector operator',
  },
  {
    name: 'In without values',
    input: spec((s) => (s.selector.matchExpressions = [{ key: 'app', operator: 'In' }])),
    rule: 'selector-invalid',
    path: 'spec.selector.matchExpressions[0].values',
    message: "Required value: must be specified when `operator` is 'In' or 'NotIn'",
  },
  {
    name: 'Exists with values',
    input: spec((s) => (s.selector.matchExpressions = [{ key: 'app', operator: 'Exists', values: ['x'] }])),
    rule: 'selector-invalid',
    path: 'spec.selector.matchExpressions[0].values',
    message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
  },
  {
    name: 'selector label value with a space',
    input: spec((s) => {
      s.selector.matchLabels.app = 'a b';
      s.template.metadata.labels.app = 'a b';
    }),
    rule: 'selector-invalid',
    path: 'spec.selector.matchLabels',
    message: `Invalid value: "a b": ${LABEL_VALUE_MSG}`,
  },
  {
    name: 'selector that cannot be converted',
    input: spec((s) => (s.selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'app', operator: 'Foo' }] })),
    rule: 'selector-unparsable',
    path: 'spec.selector',
    message: 'Invalid value: {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"app","operator":"Foo"}]}: invalid label selector',
  },
  { name: 'empty selector', input: spec((s) => (s.selector = {})), rule: 'selector-empty', path: 'spec.selector', message: 'Invalid value: {}: empty selector is invalid for deployment' },
  {
    name: 'workloadRef with template labels',
    input: spec((s) => {
      s.workloadRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
      delete s.selector;
    }),
    rule: 'workload-ref-template',
    path: 'spec.template',
    message: 'Internal error: template must be empty for workload reference rollout',
  },
  {
    name: 'template labels do not match the selector',
    input: spec((s) => (s.template.metadata.labels = { app: 'other' })),
    rule: 'selector-template-mismatch',
    path: 'spec.template.metadata.labels',
    message: 'Invalid value: {"app":"other"}: `selector` does not match template `labels`',
  },
  {
    name: 'matchExpressions NotIn excludes the template',
    input: spec((s) => (s.selector.matchExpressions = [{ key: 'app', operator: 'NotIn', values: ['web'] }])),
    rule: 'selector-template-mismatch',
    path: 'spec.template.metadata.labels',
    message: 'Invalid value: {"app":"web"}: `selector` does not match template `labels`',
  },
  {
    name: 'restartPolicy OnFailure',
    input: pod((p) => (p.restartPolicy = 'OnFailure')),
    rule: 'restart-policy',
    path: 'spec.template.spec.restartPolicy',
    message: 'Unsupported value: "OnFailure": supported values: "Always"',
  },
  {
    name: 'activeDeadlineSeconds',
    input: pod((p) => (p.activeDeadlineSeconds = 10)),
    rule: 'active-deadline-seconds',
    path: 'spec.template.spec.activeDeadlineSeconds',
    message: 'Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
  },
  { name: 'no containers', input: pod((p) => (p.containers = [])), rule: 'containers-required', path: 'spec.template.spec.containers', message: 'Required value' },
  {
    name: 'container name not a DNS label',
    input: pod((p) => (p.containers[0].name = 'Web_1')),
    rule: 'container-name',
    path: 'spec.template.spec.containers[0].name',
    message: `Invalid value: "Web_1": ${DNS_LABEL_MSG}`,
  },
  {
    name: 'container name with dots',
    input: pod((p) => (p.containers[0].name = 'web.1')),
    rule: 'container-name',
    path: 'spec.template.spec.containers[0].name',
    message: 'Invalid value: "web.1": must not contain dots',
  },
  { name: 'container without a name', input: pod((p) => delete p.containers[0].name), rule: 'container-name', path: 'spec.template.spec.containers[0].name', message: 'Required value' },
  {
    name: 'two containers with one name',
    input: pod((p) => (p.containers[1].name = 'nginx')),
    rule: 'container-name-duplicate',
    path: 'spec.template.spec.containers[1].name',
    message: 'Duplicate value: "nginx"',
  },
  {
    name: 'init container named like a container',
    input: pod((p) => (p.initContainers = [{ name: 'nginx', image: 'busybox' }])),
    rule: 'container-name-duplicate',
    path: 'spec.template.spec.initContainers[0].name',
    message: 'Duplicate value: "nginx"',
  },
  {
    name: 'image with spaces',
    input: pod((p) => (p.containers[0].image = 'not an image')),
    rule: 'container-image',
    path: 'spec.template.spec.containers[0].image',
    message: 'Invalid value: "not an image": invalid reference format',
  },
  {
    name: 'image with upper case',
    input: pod((p) => (p.containers[0].image = 'Nginx:1.25')),
    rule: 'container-image',
    path: 'spec.template.spec.containers[0].image',
    message: 'Invalid value: "Nginx:1.25": invalid reference format: repository name must be lowercase',
  },
  {
    name: 'image with a short sha256 digest',
    input: pod((p) => (p.containers[0].image = `nginx@sha256:${'a'.repeat(40)}`)),
    rule: 'container-image',
    path: 'spec.template.spec.containers[0].image',
    message: `Invalid value: "nginx@sha256:${'a'.repeat(40)}": invalid checksum digest length`,
  },
  { name: 'no image', input: pod((p) => delete p.containers[1].image), rule: 'container-image', path: 'spec.template.spec.containers[1].image', message: 'Required value' },
  {
    name: 'image with trailing space',
    input: pod((p) => (p.containers[0].image = 'nginx ')),
    rule: 'container-image',
    path: 'spec.template.spec.containers[0].image',
    message: 'Invalid value: "nginx ": must not have leading or trailing whitespace',
  },
  {
    name: 'container port out of range',
    input: pod((p) => (p.containers[0].ports[0].containerPort = 70000)),
    rule: 'container-port',
    path: 'spec.template.spec.containers[0].ports[0].containerPort',
    message: 'Invalid value: 70000: must be between 1 and 65535, inclusive',
  },
  {
    name: 'container port missing',
    input: pod((p) => delete p.containers[0].ports[0].containerPort),
    rule: 'container-port',
    path: 'spec.template.spec.containers[0].ports[0].containerPort',
    message: 'Required value',
  },
  {
    name: 'port name with underscore',
    input: pod((p) => (p.containers[0].ports[0].name = 'http_1')),
    rule: 'container-port-name',
    path: 'spec.template.spec.containers[0].ports[0].name',
    message: 'Invalid value: "http_1": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
  },
  {
    name: 'port name too long',
    input: pod((p) => (p.containers[0].ports[0].name = 'http-port-number-one')),
    rule: 'container-port-name',
    path: 'spec.template.spec.containers[0].ports[0].name',
    message: 'Invalid value: "http-port-number-one": must be no more than 15 characters',
  },
  {
    name: 'port protocol HTTP',
    input: pod((p) => (p.containers[0].ports[0].protocol = 'HTTP')),
    rule: 'container-port-protocol',
    path: 'spec.template.spec.containers[0].ports[0].protocol',
    message: 'Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
  },
  {
    name: 'two volumes with one name',
    input: pod((p) => p.volumes.push({ name: 'conf', emptyDir: {} })),
    rule: 'volume-name',
    path: 'spec.template.spec.volumes[1].name',
    message: 'Duplicate value: "conf"',
  },
  {
    name: 'volume mount of a missing volume',
    input: pod((p) => (p.volumes = [])),
    rule: 'volume-mount',
    path: 'spec.template.spec.containers[0].volumeMounts[0].name',
    message: 'Not found: "conf"',
  },
  { name: 'negative minReadySeconds', input: spec((s) => (s.minReadySeconds = -1)), rule: 'min-ready-seconds-nonnegative', path: 'spec.minReadySeconds', message: `Invalid value: -1: ${NEGATIVE}` },
  {
    name: 'negative revisionHistoryLimit',
    input: spec((s) => (s.revisionHistoryLimit = -1)),
    rule: 'revision-history-limit-nonnegative',
    path: 'spec.revisionHistoryLimit',
    message: `Invalid value: -1: ${NEGATIVE}`,
  },
  {
    name: 'negative progressDeadlineSeconds',
    input: spec((s) => (s.progressDeadlineSeconds = -5)),
    rule: 'progress-deadline-nonnegative',
    path: 'spec.progressDeadlineSeconds',
    message: `Invalid value: -5: ${NEGATIVE}`,
  },
  {
    name: 'minReadySeconds equal to the default progress deadline',
    input: spec((s) => (s.minReadySeconds = 600)),
    rule: 'progress-deadline-min-ready',
    path: 'spec.progressDeadlineSeconds',
    message: 'Invalid value: 600: must be greater than minReadySeconds',
  },
  {
    name: 'progress deadline equal to minReadySeconds',
    input: spec((s) => {
      s.minReadySeconds = 30;
      s.progressDeadlineSeconds = 30;
    }),
    rule: 'progress-deadline-min-ready',
    path: 'spec.progressDeadlineSeconds',
    message: 'Invalid value: 30: must be greater than minReadySeconds',
  },
  {
    name: 'no strategy',
    input: spec((s) => (s.strategy = {})),
    rule: 'strategy-required',
    path: 'spec.strategy.strategy',
    message: "Required value: Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'",
  },
  {
    name: 'canary: with no value is no strategy',
    input: spec((s) => (s.strategy = { canary: null })),
    rule: 'strategy-required',
    path: 'spec.strategy.strategy',
    message: "Required value: Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'",
  },
  {
    name: 'two strategies',
    input: spec((s) => (s.strategy.blueGreen = { activeService: 'a' })),
    rule: 'strategy-multiple',
    path: 'spec.strategy.strategy',
    message: 'Invalid value: "blueGreen: true canary: true": Multiple Strategies can not be listed',
  },
  // B. blueGreen
  {
    name: 'active and preview are one Service',
    input: blueGreen((b) => (b.previewService = 'web-active')),
    rule: 'bluegreen-same-services',
    path: 'spec.strategy.activeService',
    message: 'Invalid value: "web-active": This rollout uses the same service for the active and preview services, but two different services are required.',
  },
  {
    name: 'active and preview both empty',
    input: blueGreen((b) => {
      b.activeService = '';
      delete b.previewService;
    }),
    rule: 'bluegreen-same-services',
    path: 'spec.strategy.activeService',
    message: 'Invalid value: "": This rollout uses the same service for the active and preview services, but two different services are required.',
  },
  {
    name: 'scaleDownDelayRevisionLimit above revisionHistoryLimit',
    input: mutate(BLUE_GREEN, (o) => {
      o.spec.revisionHistoryLimit = 2;
      o.spec.strategy.blueGreen.scaleDownDelayRevisionLimit = 3;
    }),
    rule: 'bluegreen-scale-down-revision-limit',
    path: 'spec.strategy.scaleDownDelayRevisionLimit',
    message: "Invalid value: 3: This rollout's revision history limit can not be smaller than the rollout's scale down limit",
  },
  {
    name: 'scaleDownDelayRevisionLimit above the default revisionHistoryLimit',
    input: mutate(BLUE_GREEN, (o) => {
      delete o.spec.revisionHistoryLimit;
      o.spec.strategy.blueGreen.scaleDownDelayRevisionLimit = 11;
    }),
    rule: 'bluegreen-scale-down-revision-limit',
    path: 'spec.strategy.scaleDownDelayRevisionLimit',
    message: "Invalid value: 11: This rollout's revision history limit can not be smaller than the rollout's scale down limit",
  },
  {
    name: 'blueGreen antiAffinity with no strategy',
    input: blueGreen((b) => (b.antiAffinity = {})),
    rule: 'anti-affinity-strategy',
    path: 'spec.strategy.antiAffinity',
    message:
      'Invalid value: "antiAffinity.PreferredDuringSchedulingIgnoredDuringExecution: false antiAffinity.RequiredDuringSchedulingIgnoredDuringExecution: false": AntiAffinity must have exactly one strategy listed',
  },
  {
    name: 'blueGreen antiAffinity weight 0',
    input: blueGreen((b) => (b.antiAffinity = { preferredDuringSchedulingIgnoredDuringExecution: { weight: 0 } })),
    rule: 'anti-affinity-weight',
    path: 'spec.strategy.antiAffinity.weight',
    message: 'Invalid value: 0: AntiAffinity weight must be between 1-100',
  },
  // C. canary, strategy level
  {
    name: 'maxSurge and maxUnavailable both 0',
    input: canary((c) => Object.assign(c, { maxSurge: 0, maxUnavailable: 0 })),
    rule: 'max-surge-max-unavailable-zero',
    path: 'spec.strategy.maxSurge',
    message: 'Invalid value: 0: MaxSurge and MaxUnavailable both can not be zero',
  },
  {
    name: 'maxSurge "0" and maxUnavailable "0%"',
    input: canary((c) => Object.assign(c, { maxSurge: '0', maxUnavailable: '0%' })),
    rule: 'max-surge-max-unavailable-zero',
    path: 'spec.strategy.maxSurge',
    message: 'Invalid value: "0": MaxSurge and MaxUnavailable both can not be zero',
  },
  {
    name: 'stable and canary are one Service',
    input: nginx((c) => (c.canaryService = 'web-stable')),
    rule: 'canary-same-services',
    path: 'spec.strategy.stableService',
    message: 'Invalid value: "web-stable": This rollout uses the same service for the stable and canary services, but two different services are required.',
  },
  {
    name: 'ping-pong with nginx',
    input: nginx((c) => (c.pingPong = { pingService: 'ping', pongService: 'pong' })),
    rule: 'ping-pong-router',
    path: 'spec.strategy.trafficRouting.alb',
    message: 'Invalid value: null: Ping-pong feature works with the ALB and Istio traffic routers only',
  },
  {
    name: 'ping-pong without ping',
    input: alb((c) => (c.pingPong = { pongService: 'pong' })),
    rule: 'ping-pong-services-required',
    path: 'spec.strategy.pingPong.pingService',
    message: `Invalid value: "": ${PING_PONG_MSG}`,
  },
  {
    name: 'ping-pong without pong',
    input: alb((c) => (c.pingPong = { pingService: 'ping' })),
    rule: 'ping-pong-services-required',
    path: 'spec.strategy.pingPong.pongService',
    message: `Invalid value: "": ${PING_PONG_MSG}`,
  },
  {
    name: 'ping and pong are one Service',
    input: alb((c) => (c.pingPong = { pingService: 'a', pongService: 'a' })),
    rule: 'ping-pong-same-services',
    path: 'spec.strategy.pingPong.pingService',
    message: 'Invalid value: "a": This rollout uses the same service for the ping and pong services, but two different services are required.',
  },
  {
    name: 'ping-pong with ALB and no root service',
    input: alb((c) => {
      c.pingPong = { pingService: 'ping', pongService: 'pong' };
      delete c.trafficRouting.alb.rootService;
    }),
    rule: 'ping-pong-alb-root-service',
    path: 'spec.strategy.trafficRouting.alb.rootService',
    message: 'Invalid value: "": Root service field is required for the configuration with ALB and ping-pong feature enabled',
  },
  {
    name: 'nginx without a stable Service',
    input: nginx((c) => delete c.stableService),
    rule: 'traffic-routing-services-required',
    path: 'spec.strategy.stableService',
    message: `Invalid value: "": ${SERVICES_MSG}`,
  },
  {
    name: 'Istio host split without a canary Service',
    input: istio((c) => delete c.canaryService),
    rule: 'traffic-routing-services-required',
    path: 'spec.strategy.canaryService',
    message: `Invalid value: "": ${SERVICES_MSG}`,
  },
  {
    name: 'scaleDownDelaySeconds on a basic canary',
    input: canary((c) => (c.scaleDownDelaySeconds = 30)),
    rule: 'scale-down-delay-needs-traffic-routing',
    path: 'spec.strategy.scaleDownDelaySeconds',
    message: 'Invalid value: 30: Canary scaleDownDelaySeconds can only be used with traffic routing',
  },
  {
    name: 'dynamicStableScale on a basic canary',
    input: canary((c) => (c.dynamicStableScale = true)),
    rule: 'dynamic-stable-scale-needs-traffic-routing',
    path: 'spec.strategy.dynamicStableScale',
    message: 'Invalid value: true: Canary dynamicStableScale can only be used with traffic routing',
  },
  {
    name: 'dynamicStableScale with scaleDownDelaySeconds',
    input: nginx((c) => Object.assign(c, { dynamicStableScale: true, scaleDownDelaySeconds: 30 })),
    rule: 'dynamic-stable-scale-scale-down-delay',
    path: 'spec.strategy.dynamicStableScale',
    message: 'Invalid value: true: Canary dynamicStableScale cannot be used with scaleDownDelaySeconds',
  },
  {
    name: 'maxTrafficWeight with Istio',
    input: istio((c) => (c.trafficRouting.maxTrafficWeight = 1000)),
    rule: 'max-traffic-weight-router',
    path: 'spec.strategy.trafficRouting.maxTrafficWeight',
    message: 'Invalid value: 1000: Canary maxTrafficWeight in traffic routing only supported in Nginx and Plugins',
  },
  {
    name: 'canary antiAffinity with both strategies',
    input: canary(
      (c) =>
        (c.antiAffinity = {
          preferredDuringSchedulingIgnoredDuringExecution: { weight: 50 },
          requiredDuringSchedulingIgnoredDuringExecution: {},
        }),
    ),
    rule: 'anti-affinity-strategy',
    path: 'spec.strategy.antiAffinity',
    message:
      'Invalid value: "antiAffinity.PreferredDuringSchedulingIgnoredDuringExecution: true antiAffinity.RequiredDuringSchedulingIgnoredDuringExecution: true": AntiAffinity must have exactly one strategy listed',
  },
  {
    name: 'canary antiAffinity weight 200',
    input: canary((c) => (c.antiAffinity = { preferredDuringSchedulingIgnoredDuringExecution: { weight: 200 } })),
    rule: 'anti-affinity-weight',
    path: 'spec.strategy.antiAffinity.weight',
    message: 'Invalid value: 200: AntiAffinity weight must be between 1-100',
  },
  // C. canary steps
  {
    name: 'empty step',
    input: canary((c) => (c.steps = [{ setWeight: 10 }, {}])),
    rule: 'step-action-required',
    path: 'spec.strategy.steps[1]',
    message: `Invalid value: "step.Experiment: true step.Pause: true step.SetWeight: true step.Analysis: true step.SetCanaryScale: true step.SetHeaderRoute: true step.SetMirrorRoutes: true": ${STEP_MSG}`,
  },
  {
    name: 'pause: with no value is no action',
    input: canary((c) => (c.steps = [{ pause: null }])),
    rule: 'step-action-required',
    path: 'spec.strategy.steps[0]',
    message: `Invalid value: "step.Experiment: true step.Pause: true step.SetWeight: true step.Analysis: true step.SetCanaryScale: true step.SetHeaderRoute: true step.SetMirrorRoutes: true": ${STEP_MSG}`,
  },
  {
    name: 'setWeight and pause in one step',
    input: canary((c) => (c.steps = [{ setWeight: 20, pause: {} }])),
    rule: 'step-multiple-actions',
    path: 'spec.strategy.steps[0]',
    message: `Invalid value: "step.Experiment: false step.Pause: true step.SetWeight: true step.Analysis: false": ${STEP_MSG}`,
  },
  {
    name: 'setWeight 120',
    input: canary((c) => (c.steps[0].setWeight = 120)),
    rule: 'setweight-range',
    path: 'spec.strategy.steps[0].setWeight',
    message: 'Invalid value: 120: SetWeight needs to be between 0 and 100',
  },
  {
    name: 'setWeight -1',
    input: canary((c) => (c.steps[2].setWeight = -1)),
    rule: 'setweight-range',
    path: 'spec.strategy.steps[2].setWeight',
    message: 'Invalid value: -1: SetWeight needs to be between 0 and 100',
  },
  {
    name: 'setWeight above maxTrafficWeight',
    input: nginx((c) => {
      c.trafficRouting.maxTrafficWeight = 1000;
      c.steps[0].setWeight = 1200;
    }),
    rule: 'setweight-range',
    path: 'spec.strategy.steps[0].setWeight',
    message: 'Invalid value: 1200: SetWeight needs to be between 0 and 1000',
  },
  ...['1d', 'abc', '', '10 s', '1.5'].map(
    (duration): Case => ({
      name: `pause duration ${JSON.stringify(duration)}`,
      input: canary((c) => (c.steps[1].pause.duration = duration)),
      rule: 'pause-duration',
      path: 'spec.strategy.steps[1].pause.duration',
      message: 'Invalid value: -1: Duration needs to be greater than 0',
    }),
  ),
  {
    name: 'pause duration -5',
    input: canary((c) => (c.steps[1].pause.duration = -5)),
    rule: 'pause-duration',
    path: 'spec.strategy.steps[1].pause.duration',
    message: 'Invalid value: -5: Duration needs to be greater than 0',
  },
  {
    name: 'pause duration "-5s"',
    input: canary((c) => (c.steps[1].pause.duration = '-5s')),
    rule: 'pause-duration',
    path: 'spec.strategy.steps[1].pause.duration',
    message: 'Invalid value: -5: Duration needs to be greater than 0',
  },
  {
    name: 'setCanaryScale on a basic canary',
    input: canary((c) => c.steps.push({ setCanaryScale: { replicas: 1 } })),
    rule: 'set-canary-scale-needs-traffic-routing',
    path: 'spec.strategy.trafficRouting',
    message: 'Required value: SetCanaryScale requires TrafficRouting to be set',
  },
  {
    name: 'setHeaderRoute with nginx',
    input: nginx((c) => {
      c.trafficRouting.managedRoutes = [{ name: 'hdr' }];
      c.steps.push({ setHeaderRoute: { name: 'hdr' } });
    }),
    rule: 'set-header-route-router',
    path: 'spec.strategy.steps[2].setHeaderRoute',
    message: 'Invalid value: {"name":"hdr"}: SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix',
  },
  {
    name: 'setHeaderRoute with ALB and a prefix match',
    input: alb((c) => {
      c.trafficRouting.managedRoutes = [{ name: 'hdr' }];
      c.steps.push({ setHeaderRoute: { name: 'hdr', match: [{ headerName: 'x', headerValue: { prefix: 'a' } }] } });
    }),
    rule: 'set-header-route-match',
    path: 'spec.strategy.steps[1].setHeaderRoute.match[0]',
    message: 'Invalid value: {"prefix":"a"}: SetHeaderRoute match value invalid. ALB supports \'exact\' value only',
  },
  {
    name: 'setHeaderRoute with ALB and no header value',
    input: alb((c) => {
      c.trafficRouting.managedRoutes = [{ name: 'hdr' }];
      c.steps.push({ setHeaderRoute: { name: 'hdr', match: [{ headerName: 'x' }] } });
    }),
    rule: 'set-header-route-match',
    path: 'spec.strategy.steps[1].setHeaderRoute.match[0]',
    message: 'Invalid value: null: StringMatch value missed, match value must have one of the following: exact, regex, prefix',
  },
  {
    name: 'setHeaderRoute match with exact and prefix',
    input: istio((c) => (c.steps[1].setHeaderRoute.match[0].headerValue = { exact: 'a', prefix: 'b' })),
    rule: 'set-header-route-match',
    path: 'spec.strategy.steps[1].setHeaderRoute.match[0]',
    message: `Invalid value: {"exact":"a","prefix":"b"}: ${MATCH_MULTIPLE}`,
  },
  {
    name: 'setMirrorRoute with nginx',
    input: nginx((c) => {
      c.trafficRouting.managedRoutes = [{ name: 'mirror' }];
      c.steps.push({ setMirrorRoute: { name: 'mirror', percentage: 50 } });
    }),
    rule: 'set-mirror-route-router',
    path: 'spec.strategy.steps[2].setMirrorRoute',
    message: 'Invalid value: {"name":"mirror","percentage":50}: SetMirrorRoute requires TrafficRouting, supports Istio only',
  },
  {
    name: 'setMirrorRoute method with exact and regex',
    input: istio((c) => {
      c.trafficRouting.managedRoutes.push({ name: 'mirror' });
      c.steps.push({ setMirrorRoute: { name: 'mirror', match: [{ method: { exact: 'GET', regex: 'G.*' } }] } });
    }),
    rule: 'set-mirror-route-match',
    path: 'spec.strategy.steps[3].setMirrorRoute.match[0]',
    message: `Invalid value: {"exact":"GET","regex":"G.*"}: ${MATCH_MULTIPLE}`,
  },
  {
    name: 'header route without managedRoutes',
    input: istio((c) => delete c.trafficRouting.managedRoutes),
    rule: 'managed-routes-required',
    path: 'spec.strategy.trafficRouting.managedRoutes',
    message: "Required value: Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes'",
  },
  {
    name: 'header route not in managedRoutes',
    input: istio((c) => (c.steps[1].setHeaderRoute.name = 'other')),
    rule: 'managed-route-not-found',
    path: 'spec.strategy.steps[1].setHeaderRoute',
    message: 'Invalid value: "other": Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes',
  },
  {
    name: 'experiment weight on a basic canary',
    input: canary((c) => c.steps.push({ experiment: { templates: [{ name: 'exp', specRef: 'canary', weight: 10 }] } })),
    rule: 'experiment-weight-needs-traffic-routing',
    path: 'spec.strategy.steps[5].experiment.templates[0].weight',
    message: 'Invalid value: 10: Experiment template weight cannot be set unless TrafficRouting is enabled',
  },
  {
    name: 'experiment weight with nginx',
    input: nginx((c) => c.steps.push({ experiment: { templates: [{ name: 'exp', specRef: 'canary', weight: 10 }] } })),
    rule: 'experiment-weight-router',
    path: 'spec.strategy.steps[2].experiment.templates[0].weight',
    message: 'Invalid value: 10: Experiment template weight is only available for TrafficRouting with SMI, ALB, Istio and Plugins at this time',
  },
  {
    name: 'analysis arg from metadata.foo',
    input: canary((c) =>
      c.steps.push({ analysis: { templates: [{ templateName: 't' }], args: [{ name: 'a', valueFrom: { fieldRef: { fieldPath: 'metadata.foo' } } }] } }),
    ),
    rule: 'analysis-args-field-path',
    path: 'spec.strategy.steps[5].analyses',
    message:
      'Invalid value: [{"name":"a","valueFrom":{"fieldRef":{"fieldPath":"metadata.foo"}}}]: Analyses arguments must refer to valid object metadata supported by downwardAPI',
  },
  {
    name: 'experiment analysis arg with a bad label subscript',
    input: canary((c) =>
      c.steps.push({
        experiment: {
          templates: [{ name: 'exp', specRef: 'canary' }],
          analyses: [{ name: 'a', templateName: 't', args: [{ name: 'a', valueFrom: { fieldRef: { fieldPath: "metadata.labels['a b']" } } }] }],
        },
      }),
    ),
    rule: 'analysis-args-field-path',
    path: 'spec.strategy.steps[5].analyses',
    message:
      'Invalid value: [{"name":"a","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels[\'a b\']"}}}]: Analyses arguments must refer to valid object metadata supported by downwardAPI',
  },
  // Kubernetes rules on the Rollout object
  { name: 'name with upper case', input: mutate(CANARY, (o) => (o.metadata.name = 'Web')), rule: 'metadata-name', path: 'metadata.name', message: `Invalid value: "Web": ${SUBDOMAIN_MSG}` },
  { name: 'no name', input: mutate(CANARY, (o) => delete o.metadata.name), rule: 'metadata-name', path: 'metadata.name', message: 'Required value: name or generateName is required' },
  {
    name: 'namespace with upper case',
    input: mutate(CANARY, (o) => (o.metadata.namespace = 'Prod')),
    rule: 'metadata-namespace',
    path: 'metadata.namespace',
    message: `Invalid value: "Prod": ${DNS_LABEL_MSG}`,
  },
  {
    name: 'metadata label value with a space',
    input: mutate(CANARY, (o) => (o.metadata.labels.team = 'a b')),
    rule: 'label-syntax',
    path: 'metadata.labels',
    message: `Invalid value: "a b": ${LABEL_VALUE_MSG}`,
  },
  {
    name: 'template label key with a space',
    input: mutate(CANARY, (o) => (o.spec.template.metadata.labels['my key'] = 'x')),
    rule: 'label-syntax',
    path: 'spec.template.metadata.labels',
    message: `Invalid value: "my key": ${QNAME_MSG}`,
  },
  {
    name: 'annotation key with a space',
    input: mutate(CANARY, (o) => (o.spec.template.metadata.annotations = { 'bad key': 'x' })),
    rule: 'annotation-syntax',
    path: 'spec.template.metadata.annotations',
    message: `Invalid value: "bad key": ${QNAME_MSG}`,
  },
];

const withSteps = (rollout: any, steps: any[]) => mutate(rollout, (o) => (o.spec.strategy.canary.steps = steps));
export interface ObjectCase {
  readonly name: string;
  readonly objects: any[];
  readonly rule: RuleId;
  readonly path: string;
  readonly message: string;
  readonly kind?: string;
}

/** Rules of `validateObjects` on whole sets (references, duplicates, other kinds). */
export const OBJECT_CASES: ObjectCase[] = [
  {
    name: 'active Service missing',
    objects: [configMap('web-conf'), service('web-preview'), BLUE_GREEN],
    rule: 'service-not-found',
    path: 'spec.strategy.blueGreen.activeService',
    message: 'Invalid value: "web-active": service "web-active" not found',
  },
  {
    name: 'Service in another namespace',
    objects: [configMap('web-conf'), service('web-active', { app: 'web' }, 'a'), service('web-preview', { app: 'web' }, 'a'), mutate(BLUE_GREEN, (o) => (o.metadata.namespace = 'b'))],
    rule: 'service-not-found',
    path: 'spec.strategy.blueGreen.previewService',
    message: 'Invalid value: "web-preview": service "web-preview" not found',
  },
  {
    name: 'Service after the Rollout',
    objects: [configMap('web-conf'), service('web-active'), BLUE_GREEN, service('web-preview')],
    rule: 'service-order',
    path: 'spec.strategy.blueGreen.previewService',
    message: 'Invalid value: "web-preview": service "web-preview" must come before the Rollout that uses it',
  },
  {
    name: 'Service selects a label the pods do not have',
    objects: [configMap('web-conf'), service('web-stable', { app: 'web', tier: 'fe' }), service('web-canary'), ingress('web', 'web-stable'), NGINX_CANARY],
    rule: 'service-selector-mismatch',
    path: 'spec.strategy.canary.stableService',
    message: 'Invalid value: "web-stable": Service "web-stable" has unmatch label "tier" in rollout',
  },
  {
    name: 'two Rollouts on one Service',
    objects: [configMap('web-conf'), service('web-active'), service('web-preview'), BLUE_GREEN, mutate(BLUE_GREEN, (o) => (o.metadata.name = 'web2'))],
    rule: 'service-shared',
    path: 'spec.strategy.blueGreen.activeService',
    message: 'Invalid value: "web-active": Service "web-active" is managed by another Rollout ("web")',
  },
  {
    name: 'ConfigMap volume missing',
    objects: [CANARY],
    rule: 'configmap-not-found',
    path: 'spec.template.spec.volumes[0].configMap.name',
    message: 'Invalid value: "web-conf": configmap "web-conf" not found',
  },
  {
    name: 'envFrom ConfigMap missing',
    objects: [configMap('web-conf'), mutate(CANARY, (o) => (o.spec.template.spec.containers[0].envFrom = [{ configMapRef: { name: 'env' } }]))],
    rule: 'configmap-not-found',
    path: 'spec.template.spec.containers[0].envFrom[0].configMapRef.name',
    message: 'Invalid value: "env": configmap "env" not found',
  },
  {
    name: 'ConfigMap after the Rollout',
    objects: [CANARY, configMap('web-conf')],
    rule: 'configmap-order',
    path: 'spec.template.spec.volumes[0].configMap.name',
    message: 'Invalid value: "web-conf": configmap "web-conf" must come before the Rollout that uses it',
  },
  {
    name: 'step AnalysisTemplate missing',
    objects: [configMap('web-conf'), withSteps(CANARY, [{ setWeight: 20 }, { analysis: { templates: [{ templateName: 'success' }] } }])],
    rule: 'analysis-template-not-found',
    path: 'spec.strategy.canary.steps[1].analysis.templates[0].templateName',
    message: "Invalid value: \"success\": AnalysisTemplate 'success' not found",
  },
  {
    name: 'ClusterAnalysisTemplate missing (an AnalysisTemplate of that name does not count)',
    objects: [configMap('web-conf'), analysisTemplate('success'), withSteps(CANARY, [{ analysis: { templates: [{ templateName: 'success', clusterScope: true }] } }])],
    rule: 'analysis-template-not-found',
    path: 'spec.strategy.canary.steps[0].analysis.templates[0].templateName',
    message: "Invalid value: \"success\": ClusterAnalysisTemplate 'success' not found",
  },
  {
    name: 'background analysis template after the Rollout',
    objects: [configMap('web-conf'), mutate(CANARY, (o) => (o.spec.strategy.canary.analysis = { templates: [{ templateName: 'bg' }] })), analysisTemplate('bg', { interval: '1m' })],
    rule: 'analysis-template-order',
    path: 'spec.strategy.canary.analysis.templates[0].templateName',
    message: "Invalid value: \"bg\": AnalysisTemplate 'bg' must come before the Rollout that uses it",
  },
  {
    name: 'pre-promotion analysis metric runs forever',
    objects: [
      configMap('web-conf'),
      service('web-active'),
      service('web-preview'),
      analysisTemplate('smoke', { interval: '30s' }),
      mutate(BLUE_GREEN, (o) => (o.spec.strategy.blueGreen.prePromotionAnalysis = { templates: [{ templateName: 'smoke' }] })),
    ],
    rule: 'analysis-metric-indefinite',
    path: 'spec.strategy.blueGreen.prePromotionAnalysis.templates[0].templateName',
    message: 'Invalid value: "smoke": AnalysisTemplate smoke has metric success which runs indefinitely. Invalid value for count: <nil>',
  },
  {
    name: 'template arg with value and valueFrom',
    objects: [mutate(analysisTemplate('t'), (o) => (o.spec.args = [{ name: 'a', value: 'x', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }]))],
    rule: 'analysis-arg-value-and-value-from',
    path: 'spec.args[0]',
    message: "Invalid value: \"a\": arg 'a' has both Value and ValueFrom fields",
    kind: 'AnalysisTemplate',
  },
  // The trial AnalysisRun the controller builds from each analysis (ValidateAnalysisTemplatesWithType)
  {
    name: 'step analysis: template arg without value, not passed',
    objects: [configMap('web-conf'), templateWith('rate', { args: [{ name: 'service-name' }] }), withSteps(CANARY, [{ analysis: { templates: [{ templateName: 'rate' }] } }])],
    rule: 'analysis-args-unresolved',
    path: 'spec.strategy.canary.steps[0].analysis.templates',
    message: 'Invalid value: "templateNames: [rate]": args.service-name was not resolved',
  },
  {
    name: 'background analysis: template arg without value, Rollout passes another',
    objects: [
      configMap('web-conf'),
      templateWith('rate', { args: [{ name: 'service-name' }] }),
      mutate(CANARY, (o) => (o.spec.strategy.canary.analysis = { templates: [{ templateName: 'rate' }], args: [{ name: 'other', value: 'x' }] })),
    ],
    rule: 'analysis-args-unresolved',
    path: 'spec.strategy.canary.analysis.templates',
    message: 'Invalid value: "templateNames: [rate]": args.service-name was not resolved',
  },
  {
    name: 'pre-promotion analysis: template arg without value, not passed',
    objects: [
      configMap('web-conf'),
      service('web-active'),
      service('web-preview'),
      templateWith('smoke', { args: [{ name: 'url' }] }),
      mutate(BLUE_GREEN, (o) => (o.spec.strategy.blueGreen.prePromotionAnalysis = { templates: [{ templateName: 'smoke' }] })),
    ],
    rule: 'analysis-args-unresolved',
    path: 'spec.strategy.blueGreen.prePromotionAnalysis.templates',
    message: 'Invalid value: "templateNames: [smoke]": args.url was not resolved',
  },
  {
    name: 'post-promotion analysis: template arg without value, not passed',
    objects: [
      configMap('web-conf'),
      service('web-active'),
      service('web-preview'),
      templateWith('smoke', { args: [{ name: 'url' }] }),
      mutate(BLUE_GREEN, (o) => (o.spec.strategy.blueGreen.postPromotionAnalysis = { templates: [{ templateName: 'smoke' }], args: [{ name: 'uri', value: 'x' }] })),
    ],
    rule: 'analysis-args-unresolved',
    path: 'spec.strategy.blueGreen.postPromotionAnalysis.templates',
    message: 'Invalid value: "templateNames: [smoke]": args.url was not resolved',
  },
  {
    // TestValidateAnalysisTemplatesWithType "failure - invalid argument": AnalysisTemplates come before
    // ClusterAnalysisTemplates in the value, whatever the order of the references.
    name: 'merged AnalysisTemplate and ClusterAnalysisTemplate with an unresolved arg',
    objects: [
      configMap('web-conf'),
      templateWith('cluster-analysis-template-name', { metrics: [metric('metric2-name')] }, 'ClusterAnalysisTemplate'),
      templateWith('analysis-template-name', { metrics: [metric('metric1-name')], args: [{ name: 'invalid' }] }),
      withSteps(CANARY, [
        { analysis: { templates: [{ templateName: 'cluster-analysis-template-name', clusterScope: true }, { templateName: 'analysis-template-name' }] } },
      ]),
    ],
    rule: 'analysis-args-unresolved',
    path: 'spec.strategy.canary.steps[0].analysis.templates',
    message: 'Invalid value: "templateNames: [analysis-template-name cluster-analysis-template-name]": args.invalid was not resolved',
  },
  {
    name: 'nested template (spec.templates) with an unresolved arg',
    objects: [
      configMap('web-conf'),
      templateWith('inner', { metrics: [metric('inner')], args: [{ name: 'host' }] }),
      templateWith('outer', { templates: [{ templateName: 'inner' }] }),
      withSteps(CANARY, [{ analysis: { templates: [{ templateName: 'outer' }] } }]),
    ],
    rule: 'analysis-args-unresolved',
    path: 'spec.strategy.canary.steps[0].analysis.templates',
    message: 'Invalid value: "templateNames: [outer inner]": args.host was not resolved',
  },
  {
    // getReferencedAnalysisTemplatesFromRef: a nested reference is looked up like a direct one, at `spec.templates`
    name: 'nested template (spec.templates) missing',
    objects: [configMap('web-conf'), templateWith('outer', { templates: [{ templateName: 'inner' }] }), withSteps(CANARY, [{ analysis: { templates: [{ templateName: 'outer' }] } }])],
    rule: 'analysis-template-not-found',
    path: 'spec.templates',
    message: "Invalid value: \"inner\": AnalysisTemplate 'inner' not found",
  },
  {
    // TestNewAnalysisRunFromTemplates / TestFlattenTemplates "Merge fail with name collision"
    name: 'two templates of one step with the same metric name',
    objects: [configMap('web-conf'), analysisTemplate('a'), analysisTemplate('b'), withSteps(CANARY, [{ analysis: { templates: [{ templateName: 'a' }, { templateName: 'b' }] } }])],
    rule: 'analysis-metric-duplicate',
    path: 'spec.strategy.canary.steps[0].analysis.templates',
    message: "Invalid value: \"templateNames: [a b]\": two metrics have the same name 'success'",
  },
  {
    // TestFlattenTemplates "Error: merge args with same name and both have values"
    name: 'two background templates give one arg different values',
    objects: [
      configMap('web-conf'),
      templateWith('a', { metrics: [metric('a')], args: [{ name: 'foo', value: 'true' }] }),
      templateWith('b', { metrics: [metric('b')], args: [{ name: 'foo', value: 'false' }] }),
      mutate(CANARY, (o) => (o.spec.strategy.canary.analysis = { templates: [{ templateName: 'a' }, { templateName: 'b' }] })),
    ],
    rule: 'analysis-arg-conflict',
    path: 'spec.strategy.canary.analysis.templates',
    message: "Invalid value: \"templateNames: [a b]\": Argument `foo` specified multiple times with different values: 'true', 'false'",
  },
  {
    // TestFlattenTemplates "Merge fail with dry-run name collision"
    name: 'two templates with a dry-run rule for one metric',
    objects: [
      configMap('web-conf'),
      templateWith('a', { metrics: [metric('foo')], dryRun: [{ metricName: 'foo' }] }),
      templateWith('b', { metrics: [metric('bar')], dryRun: [{ metricName: 'foo' }] }),
      withSteps(CANARY, [{ analysis: { templates: [{ templateName: 'a' }, { templateName: 'b' }] } }]),
    ],
    rule: 'analysis-dry-run-duplicate',
    path: 'spec.strategy.canary.steps[0].analysis.templates',
    message: "Invalid value: \"templateNames: [a b]\": two Dry-Run metric rules have the same name 'foo'",
  },
  {
    name: 'step dry-run rule repeats its template\'s',
    objects: [
      configMap('web-conf'),
      templateWith('a', { dryRun: [{ metricName: 'success' }] }),
      withSteps(CANARY, [{ analysis: { templates: [{ templateName: 'a' }], dryRun: [{ metricName: 'success' }] } }]),
    ],
    rule: 'analysis-dry-run-duplicate',
    path: 'spec.strategy.canary.steps[0].analysis.templates',
    message: "Invalid value: \"templateNames: [a]\": two Dry-Run metric rules have the same name 'success'",
  },
  {
    // TestValidateAnalysisTemplatesWithType "failure - duplicate MeasurementRetention"
    name: 'step measurement retention repeats its template\'s',
    objects: [
      configMap('web-conf'),
      templateWith('analysis-template-name', { metrics: [metric('metric1-name')], measurementRetention: [{ metricName: 'example', limit: 5 }] }),
      withSteps(CANARY, [{ analysis: { templates: [{ templateName: 'analysis-template-name' }], measurementRetention: [{ metricName: 'example', limit: 2 }] } }]),
    ],
    rule: 'analysis-measurement-retention-duplicate',
    path: 'spec.strategy.canary.steps[0].analysis.templates',
    message: "Invalid value: \"templateNames: [analysis-template-name]\": two Measurement Retention metric rules have the same name 'example'",
  },
  {
    // TestFlattenTemplates "Merge fail with measurement retention metrics name collision"
    name: 'two templates with a measurement retention rule for one metric',
    objects: [
      configMap('web-conf'),
      templateWith('a', { metrics: [metric('foo')], measurementRetention: [{ metricName: 'foo', limit: 1 }] }),
      templateWith('b', { metrics: [metric('bar')], measurementRetention: [{ metricName: 'foo', limit: 1 }] }),
      withSteps(CANARY, [{ analysis: { templates: [{ templateName: 'a' }, { templateName: 'b' }] } }]),
    ],
    rule: 'analysis-measurement-retention-duplicate',
    path: 'spec.strategy.canary.steps[0].analysis.templates',
    message: "Invalid value: \"templateNames: [a b]\": two Measurement Retention metric rules have the same name 'foo'",
  },
  {
    // TestValidateAnalysisTemplateWithType "validate background analysisTemplate - failure": no args in the spec.
    // Template b gives `service-name` a value, so the merge succeeds and the per-template check is reached.
    name: 'background template arg without value and no canary.analysis.args',
    objects: [
      configMap('web-conf'),
      templateWith('a', { metrics: [metric('a')], args: [{ name: 'service-name' }] }),
      templateWith('b', { metrics: [metric('b')], args: [{ name: 'service-name', value: 'web' }] }),
      mutate(CANARY, (o) => (o.spec.strategy.canary.analysis = { templates: [{ templateName: 'a' }, { templateName: 'b' }] })),
    ],
    rule: 'analysis-background-args',
    path: 'spec.strategy.canary.analysis.templates',
    message: 'Invalid value: "a": missing analysis arguments in rollout spec',
  },
  {
    // Same test, second half: the Rollout passes args, but not this one; the message is the bare arg name.
    name: 'background template arg without value that canary.analysis.args does not name',
    objects: [
      configMap('web-conf'),
      templateWith('a', { metrics: [metric('a')], args: [{ name: 'service-name' }] }),
      templateWith('b', { metrics: [metric('b')], args: [{ name: 'service-name', value: 'web' }] }),
      mutate(CANARY, (o) => (o.spec.strategy.canary.analysis = { templates: [{ templateName: 'a' }, { templateName: 'b' }], args: [{ name: 'a-different-service-name', value: 'x' }] })),
    ],
    rule: 'analysis-background-args',
    path: 'spec.strategy.canary.analysis.templates',
    message: 'Invalid value: "a": service-name',
  },
  {
    name: 'stable Ingress missing while the set has Ingresses',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), ingress('other', 'web-stable'), NGINX_CANARY],
    rule: 'ingress-not-found',
    path: 'spec.strategy.canary.trafficRouting.nginx.stableIngress',
    message: 'Invalid value: "web": ingress "web" not found',
  },
  {
    name: 'stable Ingress after the Rollout',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), NGINX_CANARY, ingress('web', 'web-stable')],
    rule: 'ingress-order',
    path: 'spec.strategy.canary.trafficRouting.nginx.stableIngress',
    message: 'Invalid value: "web": ingress "web" must come before the Rollout that uses it',
  },
  {
    name: 'stable Ingress does not send to the stable Service',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), ingress('web', 'web'), NGINX_CANARY],
    rule: 'ingress-stable-service',
    path: 'spec.strategy.canary.trafficRouting.nginx.stableIngress',
    message: 'Invalid value: "web": ingress `web` has no rules using service web-stable backend',
  },
  {
    name: 'ALB Ingress does not send to the root Service',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), ingress('web', 'web-stable'), ALB_CANARY],
    rule: 'ingress-stable-service',
    path: 'spec.strategy.canary.trafficRouting.alb.ingress',
    message: 'Invalid value: "web": ingress `web` has no rules using service web-root backend',
  },
  {
    name: 'nginx with stableIngress and stableIngresses',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), mutate(NGINX_CANARY, (o) => (o.spec.strategy.canary.trafficRouting.nginx.stableIngresses = ['b']))],
    rule: 'nginx-stable-ingress',
    path: 'spec.strategy.canary.trafficRouting.nginx',
    // TestValidateRolloutNginxIngressesConfig: a field.InternalError
    message: 'Internal error: Either StableIngress or StableIngresses must be configured. Both are configured.',
  },
  {
    name: 'ALB with neither ingress nor ingresses',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), mutate(ALB_CANARY, (o) => delete o.spec.strategy.canary.trafficRouting.alb.ingress)],
    rule: 'alb-ingress',
    path: 'spec.strategy.canary.trafficRouting.alb',
    message: 'Internal error: Either Ingress or Ingresses must be configured. Neither are configured.',
  },
  {
    name: 'Istio with neither virtualService nor virtualServices',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), mutate(ISTIO_CANARY, (o) => delete o.spec.strategy.canary.trafficRouting.istio.virtualService)],
    rule: 'istio-virtual-service',
    path: 'spec.strategy.canary.trafficRouting.istio',
    // TestValidateRolloutVirtualServicesConfig "validate No virtualService configured - fail"
    message: 'Internal error: either VirtualService or VirtualServices must be configured',
  },
  {
    // TestValidateRolloutVirtualServicesConfig "validate both virtualService configured - fail"
    name: 'Istio with both virtualService and virtualServices',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), mutate(ISTIO_CANARY, (o) => (o.spec.strategy.canary.trafficRouting.istio.virtualServices = [{ name: 'web' }]))],
    rule: 'istio-virtual-service',
    path: 'spec.strategy.canary.trafficRouting.istio',
    message: 'Internal error: either VirtualService or VirtualServices must be configured',
  },
  // Rule 63: the VirtualService in the set (TestValidateVirtualService, with its VirtualServices)
  {
    name: 'VirtualService named by the Rollout missing while the set has others',
    objects: [configMap('web-conf'), service('stable'), service('canary'), virtualService('other', VS_HTTP), vsRollout({ name: 'istio-vsvc', routes: ['primary', 'secondary'] })],
    rule: 'virtual-service-not-found',
    path: 'spec.strategy.canary.trafficRouting.istio.virtualService.name',
    message: 'Invalid value: "istio-vsvc": virtualservices.networking.istio.io "istio-vsvc" not found',
  },
  {
    name: 'VirtualService after the Rollout',
    objects: [configMap('web-conf'), service('stable'), service('canary'), vsRollout({ name: 'istio-vsvc', routes: ['primary', 'secondary'] }), virtualService('istio-vsvc', VS_HTTP)],
    rule: 'virtual-service-order',
    path: 'spec.strategy.canary.trafficRouting.istio.virtualService.name',
    message: 'Invalid value: "istio-vsvc": virtualservices.networking.istio.io "istio-vsvc" must come before the Rollout that uses it',
  },
  {
    // "validate virtualService HTTP routes - failure"
    name: 'VirtualService HTTP route does not send to the stable Service',
    objects: [configMap('web-conf'), service('stable'), service('canary'), virtualService('istio-vsvc', VS_HTTP.map((r) => ({ ...r, route: [dest('not-stable', 100), dest('canary', 0)] }))), vsRollout({ name: 'istio-vsvc', routes: ['primary', 'secondary'] })],
    rule: 'virtual-service-routes',
    path: 'spec.strategy.canary.trafficRouting.istio.virtualService.name',
    message: "Invalid value: \"istio-vsvc\": Istio VirtualService has invalid HTTP routes. Error: Stable Service 'stable' not found in route",
  },
  {
    // TestValidateVirtualServices "validate virtualService - failure": the path has no index
    name: 'virtualServices entry whose HTTP route does not send to the stable Service',
    objects: [configMap('web-conf'), service('stable'), service('canary'), virtualService('istio-vsvc', VS_HTTP.map((r) => ({ ...r, route: [dest('not-stable', 100), dest('canary', 0)] }))), vsRollout(undefined, [{ name: 'istio-vsvc', routes: ['primary', 'secondary'] }])],
    rule: 'virtual-service-routes',
    path: 'spec.strategy.canary.trafficRouting.istio.virtualServices.name',
    message: "Invalid value: \"istio-vsvc\": Istio VirtualService has invalid HTTP routes. Error: Stable Service 'stable' not found in route",
  },
  {
    name: 'route named by the Rollout is not in the VirtualService',
    objects: [configMap('web-conf'), service('stable'), service('canary'), virtualService('istio-vsvc', VS_HTTP), vsRollout({ name: 'istio-vsvc', routes: ['primary', 'tertiary'] })],
    rule: 'virtual-service-routes',
    path: 'spec.strategy.canary.trafficRouting.istio.virtualService.name',
    message: "Invalid value: \"istio-vsvc\": Istio VirtualService has invalid HTTP routes. Error: HTTP Route 'tertiary' is not found in the defined Virtual Service.",
  },
  {
    name: 'no routes named and the VirtualService has two',
    objects: [configMap('web-conf'), service('stable'), service('canary'), virtualService('istio-vsvc', VS_HTTP), vsRollout({ name: 'istio-vsvc' })],
    rule: 'virtual-service-routes',
    path: 'spec.strategy.canary.trafficRouting.istio.virtualService.name',
    message:
      'Invalid value: "istio-vsvc": Istio VirtualService has invalid HTTP routes. Error: spec.http[] should be set in VirtualService and it must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.routes',
  },
  {
    name: 'subset split: route without the canary subset',
    objects: [
      configMap('web-conf'),
      virtualService('istio-vsvc', [{ name: 'primary', route: [dest('web', 100, 'stable'), dest('web', 0, 'v2')] }]),
      mutate(vsRollout({ name: 'istio-vsvc', routes: ['primary'] }), (o) => {
        const c = o.spec.strategy.canary;
        delete c.stableService;
        delete c.canaryService;
        c.trafficRouting.istio.destinationRule = { name: 'web', canarySubsetName: 'canary', stableSubsetName: 'stable' };
      }),
    ],
    rule: 'virtual-service-routes',
    path: 'spec.strategy.canary.trafficRouting.istio.virtualService.name',
    message: "Invalid value: \"istio-vsvc\": Istio VirtualService has invalid HTTP routes. Error: Canary DestinationRule subset 'canary' not found in route",
  },
  {
    // "validate virtualService TLS routes - failure"
    name: 'VirtualService TLS route does not send to the stable Service',
    objects: [configMap('web-conf'), service('stable'), service('canary'), virtualService('istio-vsvc', undefined, { tls: [{ match: [{ port: 443, sniHosts: ['istio-rollout.dev.argoproj.io'] }], route: [dest('not-stable', 100), dest('canary', 0)] }] }), vsRollout({ name: 'istio-vsvc' })],
    rule: 'virtual-service-routes',
    path: 'spec.strategy.canary.trafficRouting.istio.virtualService.name',
    message: "Invalid value: \"istio-vsvc\": Istio VirtualService has invalid TLS routes. Error: Stable Service 'stable' not found in route",
  },
  {
    name: 'TLS route named by port and SNI hosts is not in the VirtualService',
    objects: [configMap('web-conf'), service('stable'), service('canary'), virtualService('istio-vsvc', undefined, { tls: [{ match: [{ port: 443, sniHosts: ['a.example.com'] }], route: [dest('stable', 100), dest('canary', 0)] }] }), vsRollout({ name: 'istio-vsvc', tlsRoutes: [{ port: 443, sniHosts: ['b.example.com'] }] })],
    rule: 'virtual-service-routes',
    path: 'spec.strategy.canary.trafficRouting.istio.virtualService.name',
    message: 'Invalid value: "istio-vsvc": Istio VirtualService has invalid TLS routes. Error: No matching TLS routes found in the defined Virtual Service.',
  },
  {
    // "validate virtualService TCP routes - failure"
    name: 'VirtualService TCP route does not send to the stable Service',
    objects: [configMap('web-conf'), service('stable'), service('canary'), virtualService('istio-vsvc', undefined, { tcp: [{ match: [{ port: 443 }], route: [dest('not-stable', 100), dest('canary', 0)] }] }), vsRollout({ name: 'istio-vsvc' })],
    rule: 'virtual-service-routes',
    path: 'spec.strategy.canary.trafficRouting.istio.virtualService.name',
    message: "Invalid value: \"istio-vsvc\": Istio VirtualService has invalid TCP routes. Error: Stable Service 'stable' not found in route",
  },
  {
    // "validate virtualService no routes - failure"
    name: 'VirtualService with no http, tls or tcp routes',
    objects: [configMap('web-conf'), service('stable'), service('canary'), virtualService('istio-vsvc'), vsRollout({ name: 'istio-vsvc' })],
    rule: 'virtual-service-routes',
    path: 'spec.strategy.canary.trafficRouting.istio.virtualService.name',
    message: 'Invalid value: "istio-vsvc": Unable to get any of the HTTP, TCP or TLS routes for the Istio VirtualService',
  },
  {
    // "validate virtualService invalid http routes - failure"
    name: 'VirtualService http routes that are not route objects',
    objects: [configMap('web-conf'), service('stable'), service('canary'), virtualService('istio-vsvc', ['invalid-structure']), vsRollout({ name: 'istio-vsvc' })],
    rule: 'virtual-service-routes',
    path: 'spec.strategy.canary.trafficRouting.istio.virtualService.name',
    message: 'Invalid value: "istio-vsvc": Unable to get HTTP routes for Istio VirtualService',
  },
  {
    // "validate virtualService invalid tls routes - failure"
    name: 'VirtualService tls routes that are not route objects',
    objects: [configMap('web-conf'), service('stable'), service('canary'), virtualService('istio-vsvc', undefined, { tls: ['invalid-structure'] }), vsRollout({ name: 'istio-vsvc' })],
    rule: 'virtual-service-routes',
    path: 'spec.strategy.canary.trafficRouting.istio.virtualService.name',
    message: 'Invalid value: "istio-vsvc": Unable to get TLS routes for Istio VirtualService',
  },
  // Rule 64: Ambassador Mappings and App Mesh VirtualRouters (TestValidateAmbassadorMapping, TestValidateAppMeshResource)
  {
    name: 'Ambassador without mappings',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), ambassadorRollout([])],
    rule: 'ambassador-mappings-required',
    path: 'spec.strategy.canary.trafficRouting.ambassador.mappings',
    message: 'Invalid value: null: must provide at least one mapping',
  },
  {
    name: 'Ambassador Mapping missing while the set has Mappings',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), mapping('other'), ambassadorRollout(['echo'])],
    rule: 'ambassador-mapping-not-found',
    path: 'spec.strategy.canary.trafficRouting.ambassador.mappings',
    message: 'Invalid value: "echo": mappings.getambassador.io "echo" not found',
  },
  {
    name: 'Ambassador Mapping after the Rollout',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), ambassadorRollout(['echo']), mapping('echo')],
    rule: 'ambassador-mapping-order',
    path: 'spec.strategy.canary.trafficRouting.ambassador.mappings',
    message: 'Invalid value: "echo": mappings.getambassador.io "echo" must come before the Rollout that uses it',
  },
  {
    // TestValidateAmbassadorMapping "will return error if base mapping defines weight"
    name: 'Ambassador Mapping with a weight',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), mapping('echo', { weight: 20 }), ambassadorRollout(['echo'])],
    rule: 'ambassador-mapping-weight',
    path: 'spec.weight',
    message: 'Invalid value: "echo": Ambassador mapping "echo" can not define weight',
  },
  {
    name: 'App Mesh without virtualService',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), appMeshRollout(null)],
    rule: 'appmesh-virtual-service',
    path: 'spec.strategy.canary.trafficRouting.appmesh.virtualService',
    message: 'Invalid value: null: must provide virtual-service',
  },
  {
    name: 'App Mesh VirtualService missing while the set has others',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), appMeshVirtualService('other', 'r'), mutate(appMeshRollout(), (o) => (o.metadata.namespace = 'mesh'))],
    rule: 'appmesh-virtual-service',
    path: 'spec.strategy.canary.trafficRouting.appmesh.virtualService',
    message: 'Invalid value: "my-svc.mesh": virtualservices.appmesh.k8s.aws "my-svc" not found',
  },
  {
    name: 'App Mesh VirtualService without a virtual router',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), appMeshVirtualService('my-svc'), appMeshRollout()],
    rule: 'appmesh-virtual-service',
    path: 'spec.strategy.canary.trafficRouting.appmesh.virtualService',
    message: 'Invalid value: "my-svc.": Virtual-service is not associated with virtual-router',
  },
  {
    name: 'App Mesh VirtualRouter missing',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), appMeshVirtualService('my-svc', 'my-vrouter'), appMeshRollout()],
    rule: 'appmesh-virtual-service',
    path: 'spec.strategy.canary.trafficRouting.appmesh.virtualService',
    message: 'Invalid value: "my-svc.": virtualrouters.appmesh.k8s.aws "my-vrouter" not found',
  },
  {
    // TestValidateAppMeshResource "will return error when appmesh virtual-router has no routes"
    name: 'App Mesh VirtualRouter without routes',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), appMeshVirtualService('my-svc', 'my-vrouter'), virtualRouter('my-vrouter', null), appMeshRollout()],
    rule: 'appmesh-virtual-router-routes',
    path: 'spec.routes',
    message: 'Invalid value: "my-vrouter": No routes defined for AppMesh virtual-router my-vrouter',
  },
  {
    // "will return error with appmesh virtual-router with unsupported route type"
    name: 'App Mesh VirtualRouter route of an unsupported type',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), appMeshVirtualService('my-svc', 'my-vrouter'), virtualRouter('my-vrouter', [appMeshRoute('primary', 'udpRoute', 2)]), appMeshRollout()],
    rule: 'appmesh-virtual-router-routes',
    path: 'spec.routes[0]',
    message: 'Invalid value: "my-vrouter": Error getting route details for AppMesh virtual-router my-vrouter and route primary. Error: Route has unsupported route type',
  },
  {
    // "will return error when appmesh virtual-router has route that is not a struct"
    name: 'App Mesh VirtualRouter route that is not an object',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), appMeshVirtualService('my-svc', 'my-vrouter'), virtualRouter('my-vrouter', ['invalid-route']), appMeshRollout()],
    rule: 'appmesh-virtual-router-routes',
    path: 'spec.routes[0]',
    message: 'Invalid value: "my-vrouter": Invalid route was found for AppMesh virtual-router my-vrouter at index 0',
  },
  {
    // "will return error when appmesh virtual-router has routes with no targets"
    name: 'App Mesh VirtualRouter route without weightedTargets',
    objects: [
      configMap('web-conf'),
      service('web-stable'),
      service('web-canary'),
      appMeshVirtualService('my-svc', 'my-vrouter'),
      virtualRouter('my-vrouter', [{ name: 'primary', httpRoute: { match: { prefix: '/' }, action: {} } }]),
      appMeshRollout(),
    ],
    rule: 'appmesh-virtual-router-routes',
    path: 'spec.routes[0].httpRoute.action.weightedTargets',
    message: 'Invalid value: "my-vrouter": Invalid route action found for AppMesh virtual-router my-vrouter and route primary',
  },
  {
    // "will return error when appmesh virtual-router has routes with 1 target"
    name: 'App Mesh VirtualRouter route with one weighted target',
    objects: [configMap('web-conf'), service('web-stable'), service('web-canary'), appMeshVirtualService('my-svc', 'my-vrouter'), virtualRouter('my-vrouter', [appMeshRoute('primary', 'httpRoute', 1)]), appMeshRollout()],
    rule: 'appmesh-virtual-router-routes',
    path: 'spec.routes[0].httpRoute.action.weightedTargets',
    message: 'Invalid value: "my-vrouter": Invalid number of weightedTargets (1) for AppMesh virtual-router my-vrouter and route primary, expected 2',
  },
  {
    // "will return error when appmesh virtual-router has routes with 3 targets"
    name: 'App Mesh VirtualRouter second route with three weighted targets',
    objects: [
      configMap('web-conf'),
      service('web-stable'),
      service('web-canary'),
      appMeshVirtualService('my-svc', 'my-vrouter'),
      virtualRouter('my-vrouter', [appMeshRoute('primary', 'httpRoute', 2), appMeshRoute('grpc', 'grpcRoute', 3)]),
      appMeshRollout(),
    ],
    rule: 'appmesh-virtual-router-routes',
    path: 'spec.routes[1].grpcRoute.action.weightedTargets',
    message: 'Invalid value: "my-vrouter": Invalid number of weightedTargets (3) for AppMesh virtual-router my-vrouter and route grpc, expected 2',
  },
  {
    name: 'two Services with one name',
    objects: [service('web'), service('web', { app: 'other' })],
    rule: 'duplicate-object',
    path: 'metadata.name',
    message: 'Duplicate value: "web": Service "web" is defined more than once in this set',
    kind: 'Service',
  },
  {
    name: 'Service name not a DNS-1035 label',
    objects: [service('1web')],
    rule: 'metadata-name',
    path: 'metadata.name',
    message:
      "Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    kind: 'Service',
  },
  {
    name: 'Namespace name with upper case',
    objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'Team' } }],
    rule: 'metadata-name',
    path: 'metadata.name',
    message: `Invalid value: "Team": ${DNS_LABEL_MSG}`,
    kind: 'Namespace',
  },
  {
    name: 'Service selector value with a space',
    objects: [service('web', { app: 'a b' })],
    rule: 'label-syntax',
    path: 'spec.selector',
    message:
      "Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    kind: 'Service',
  },
];


/** Rules of the strict CRD schema check. */
export const SCHEMA_CASES: Case[] = [
  {
    name: 'misspelled field',
    input: canary((c) => (c.stepz = [])),
    rule: 'schema-unknown-field',
    path: 'spec.strategy.canary.stepz',
    message: 'unknown field "spec.strategy.canary.stepz"',
  },
  {
    name: 'misspelled metadata field',
    input: mutate(CANARY, (o) => (o.metadata.lables = { a: 'b' })),
    rule: 'schema-unknown-field',
    path: 'metadata.lables',
    message: 'unknown field "metadata.lables"',
  },
  {
    name: 'unknown container field',
    input: pod((p) => (p.containers[0].imagePolicy = 'Always')),
    rule: 'schema-unknown-field',
    path: 'spec.template.spec.containers[0].imagePolicy',
    message: 'unknown field "spec.template.spec.containers[0].imagePolicy"',
  },
  {
    name: 'replicas as a string',
    input: spec((s) => (s.replicas = '3')),
    rule: 'schema-type',
    path: 'spec.replicas',
    message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
  },
  {
    name: 'setWeight as a fraction',
    input: canary((c) => (c.steps[0].setWeight = 12.5)),
    rule: 'schema-type',
    path: 'spec.strategy.canary.steps[0].setWeight',
    message: 'Invalid value: "number": spec.strategy.canary.steps[0].setWeight in body must be of type integer: "number"',
  },
  {
    name: 'maxSurge as a boolean',
    input: canary((c) => (c.maxSurge = true)),
    rule: 'schema-type',
    path: 'spec.strategy.canary.maxSurge',
    message: 'Invalid value: "boolean": spec.strategy.canary.maxSurge in body must be of type integer-or-string: "boolean"',
  },
  {
    name: 'blueGreen without activeService',
    input: blueGreen((b) => delete b.activeService),
    rule: 'schema-required',
    path: 'spec.strategy.blueGreen.activeService',
    message: 'Required value',
  },
  {
    name: 'replicas beyond int32',
    input: spec((s) => (s.replicas = 3000000000)),
    rule: 'schema-format',
    path: 'spec.replicas',
    message: 'Invalid value: 3000000000: spec.replicas in body must be of format int32',
  },
  {
    name: 'resource divisor that is not a quantity',
    input: pod((p) => (p.containers[0].env = [{ name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1 core' } } }])),
    rule: 'schema-invalid',
    path: 'spec.template.spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor',
    message: expect.stringMatching(/^Invalid value: "1 core": spec\.template\.spec\.containers\[0\]\.env\[0\]\.valueFrom\.resourceFieldRef\.divisor in body must match pattern "/) as any,
  },
  {
    name: 'AnalysisTemplate datadog apiVersion v3',
    input: mutate(analysisTemplate('t'), (o) => (o.spec.metrics[0].provider = { datadog: { apiVersion: 'v3', query: 'q' } })),
    rule: 'schema-enum',
    path: 'spec.metrics[0].provider.datadog.apiVersion',
    message: 'Unsupported value: "v3": supported values: "v1", "v2"',
  },
  {
    name: 'annotation value that is not a string',
    input: mutate(analysisTemplate('t'), (o) => (o.metadata.annotations = { 'example.com/x': { y: 1 } })),
    rule: 'schema-type',
    path: 'metadata.annotations[example.com/x]',
    message: 'Invalid value: "object": metadata.annotations[example.com/x] in body must be of type string: "object"',
  },
];
