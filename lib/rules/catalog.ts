/**
 * Every rule the engine reports: its id (stable, for filtering), where the rule comes from, the message it produces
 * and a minimal example that triggers it. `docs/rules.md` is checked against this table by the tests.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export interface RuleInfo {
  /** Who enforces it for real: the Argo Rollouts controller, Kubernetes, the API server's CRD schema, or us. */
  readonly origin: 'argo-spec' | 'argo-references' | 'kubernetes' | 'crd-schema' | 'nginx-rollouts';
  /** The message, with `<...>` for the variable parts. */
  readonly message: string;
  /** A minimal invalid example. */
  readonly example: string;
}

function rule(origin: RuleInfo['origin'], message: string, example: string): RuleInfo {
  return { origin, message, example };
}

/** Every rule of the engine by id: where it comes from, its message, and an example that breaks it (see docs/rules.md). */
export const RULES = {
  // A. General spec (Argo `ValidateRolloutSpec`)
  'replicas-nonnegative': rule('argo-spec', 'spec.replicas: Invalid value: <n>: must be greater than or equal to 0', 'replicas: -1'),
  'selector-required': rule(
    'argo-spec',
    "spec.selector: Required value: Rollout has missing field '.spec.selector'",
    'no spec.selector (and no workloadRef)',
  ),
  'selector-invalid': rule(
    'kubernetes',
    'spec.selector.matchExpressions[i].operator: Invalid value: "Foo": not a valid selector operator (and the other label selector messages)',
    'matchExpressions: [{key: app, operator: Foo}]',
  ),
  'selector-unparsable': rule('argo-spec', 'spec.selector: Invalid value: <selector>: invalid label selector', 'matchExpressions: [{key: app, operator: Foo}]'),
  'selector-empty': rule('argo-spec', 'spec.selector: Invalid value: {}: empty selector is invalid for deployment', 'selector: {}'),
  'workload-ref-template': rule(
    'argo-spec',
    'spec.template: Internal error: template must be empty for workload reference rollout',
    'workloadRef: {...} and template.metadata.labels',
  ),
  'selector-template-mismatch': rule(
    'kubernetes',
    'spec.template.metadata.labels: Invalid value: <labels>: `selector` does not match template `labels`',
    'selector app: a, template label app: b',
  ),
  'restart-policy': rule(
    'kubernetes',
    'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
    'restartPolicy: OnFailure',
  ),
  'active-deadline-seconds': rule(
    'kubernetes',
    'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
    'activeDeadlineSeconds: 10',
  ),
  'containers-required': rule('kubernetes', 'spec.template.spec.containers: Required value', 'containers: []'),
  'container-name': rule(
    'kubernetes',
    'spec.template.spec.containers[i].name: Invalid value: "Web_1": a lowercase RFC 1123 label must consist of ...',
    'name: Web_1',
  ),
  'container-name-duplicate': rule('kubernetes', 'spec.template.spec.containers[i].name: Duplicate value: "web"', 'two containers named web'),
  'container-image': rule(
    'nginx-rollouts',
    'spec.template.spec.containers[i].image: Invalid value: "not an image": invalid reference format',
    'image: not an image',
  ),
  'container-port': rule(
    'kubernetes',
    'spec.template.spec.containers[i].ports[j].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    'containerPort: 70000',
  ),
  'container-port-name': rule(
    'kubernetes',
    'spec.template.spec.containers[i].ports[j].name: Invalid value: "http_1": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    'ports: [{name: http_1, containerPort: 80}]',
  ),
  'container-port-protocol': rule(
    'kubernetes',
    'spec.template.spec.containers[i].ports[j].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    'protocol: HTTP',
  ),
  'volume-name': rule('kubernetes', 'spec.template.spec.volumes[i].name: Duplicate value: "conf"', 'two volumes named conf'),
  'volume-mount': rule(
    'kubernetes',
    'spec.template.spec.containers[i].volumeMounts[j].name: Not found: "conf"',
    'volumeMounts: [{name: conf, mountPath: /etc/nginx}] with no volume conf',
  ),
  'min-ready-seconds-nonnegative': rule('argo-spec', 'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0', 'minReadySeconds: -1'),
  'revision-history-limit-nonnegative': rule(
    'argo-spec',
    'spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0',
    'revisionHistoryLimit: -1',
  ),
  'progress-deadline-nonnegative': rule(
    'argo-spec',
    'spec.progressDeadlineSeconds: Invalid value: -5: must be greater than or equal to 0',
    'progressDeadlineSeconds: -5',
  ),
  'progress-deadline-min-ready': rule(
    'argo-spec',
    'spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds',
    'minReadySeconds: 600 (progressDeadlineSeconds defaults to 600)',
  ),
  'strategy-required': rule(
    'argo-spec',
    "spec.strategy.strategy: Required value: Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'",
    'strategy: {}',
  ),
  'strategy-multiple': rule(
    'argo-spec',
    'spec.strategy.strategy: Invalid value: "blueGreen: true canary: true": Multiple Strategies can not be listed',
    'strategy: {canary: {}, blueGreen: {...}}',
  ),
  // B. blueGreen
  'bluegreen-same-services': rule(
    'argo-spec',
    'spec.strategy.activeService: Invalid value: "web": This rollout uses the same service for the active and preview services, but two different services are required.',
    'activeService: web, previewService: web',
  ),
  'bluegreen-scale-down-revision-limit': rule(
    'argo-spec',
    "spec.strategy.scaleDownDelayRevisionLimit: Invalid value: 3: This rollout's revision history limit can not be smaller than the rollout's scale down limit",
    'revisionHistoryLimit: 2, blueGreen.scaleDownDelayRevisionLimit: 3',
  ),
  'anti-affinity-strategy': rule(
    'argo-spec',
    'spec.strategy.antiAffinity: Invalid value: "...": AntiAffinity must have exactly one strategy listed',
    'antiAffinity: {}',
  ),
  'anti-affinity-weight': rule(
    'argo-spec',
    'spec.strategy.antiAffinity.weight: Invalid value: 0: AntiAffinity weight must be between 1-100',
    'antiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: {weight: 0}}',
  ),
  // C. canary
  'max-surge-max-unavailable-zero': rule(
    'argo-spec',
    'spec.strategy.maxSurge: Invalid value: 0: MaxSurge and MaxUnavailable both can not be zero',
    'maxSurge: 0, maxUnavailable: "0%"',
  ),
  'canary-same-services': rule(
    'argo-spec',
    'spec.strategy.stableService: Invalid value: "web": This rollout uses the same service for the stable and canary services, but two different services are required.',
    'canaryService: web, stableService: web',
  ),
  'ping-pong-router': rule(
    'argo-spec',
    'spec.strategy.trafficRouting.alb: Invalid value: null: Ping-pong feature works with the ALB and Istio traffic routers only',
    'pingPong with trafficRouting.nginx',
  ),
  'ping-pong-services-required': rule(
    'argo-spec',
    'spec.strategy.pingPong.pingService: Invalid value: "": Ping service and Pong service must to be set to use Ping-Pong feature',
    'pingPong: {pongService: b}',
  ),
  'ping-pong-same-services': rule(
    'argo-spec',
    'spec.strategy.pingPong.pingService: Invalid value: "a": This rollout uses the same service for the ping and pong services, but two different services are required.',
    'pingPong: {pingService: a, pongService: a}',
  ),
  'ping-pong-alb-root-service': rule(
    'argo-spec',
    'spec.strategy.trafficRouting.alb.rootService: Invalid value: "": Root service field is required for the configuration with ALB and ping-pong feature enabled',
    'pingPong with trafficRouting.alb and no rootService',
  ),
  'traffic-routing-services-required': rule(
    'argo-spec',
    'spec.strategy.stableService: Invalid value: "": Canary service and Stable service must to be set to use Traffic Routing',
    'trafficRouting: {nginx: {stableIngress: web}} with no services',
  ),
  'scale-down-delay-needs-traffic-routing': rule(
    'argo-spec',
    'spec.strategy.scaleDownDelaySeconds: Invalid value: 30: Canary scaleDownDelaySeconds can only be used with traffic routing',
    'basic canary with scaleDownDelaySeconds: 30',
  ),
  'dynamic-stable-scale-needs-traffic-routing': rule(
    'argo-spec',
    'spec.strategy.dynamicStableScale: Invalid value: true: Canary dynamicStableScale can only be used with traffic routing',
    'basic canary with dynamicStableScale: true',
  ),
  'dynamic-stable-scale-scale-down-delay': rule(
    'argo-spec',
    'spec.strategy.dynamicStableScale: Invalid value: true: Canary dynamicStableScale cannot be used with scaleDownDelaySeconds',
    'trafficRouting with dynamicStableScale: true and scaleDownDelaySeconds: 30',
  ),
  'max-traffic-weight-router': rule(
    'argo-spec',
    'spec.strategy.trafficRouting.maxTrafficWeight: Invalid value: 1000: Canary maxTrafficWeight in traffic routing only supported in Nginx and Plugins',
    'trafficRouting: {istio: {...}, maxTrafficWeight: 1000}',
  ),
  'step-action-required': rule(
    'argo-spec',
    'spec.strategy.steps[i]: Invalid value: "step.Experiment: true ...": Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause',
    'steps: [{}]',
  ),
  'step-multiple-actions': rule(
    'argo-spec',
    'spec.strategy.steps[i]: Invalid value: "step.Experiment: false step.Pause: true step.SetWeight: true step.Analysis: false": Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause',
    '- {setWeight: 20, pause: {}}',
  ),
  'setweight-range': rule(
    'argo-spec',
    'spec.strategy.steps[i].setWeight: Invalid value: 120: SetWeight needs to be between 0 and 100',
    'setWeight: 120',
  ),
  'pause-duration': rule(
    'argo-spec',
    'spec.strategy.steps[i].pause.duration: Invalid value: -1: Duration needs to be greater than 0',
    'pause: {duration: 1d}',
  ),
  'set-canary-scale-needs-traffic-routing': rule(
    'argo-spec',
    'spec.strategy.trafficRouting: Required value: SetCanaryScale requires TrafficRouting to be set',
    'basic canary with - setCanaryScale: {replicas: 1}',
  ),
  'set-header-route-router': rule(
    'argo-spec',
    'spec.strategy.steps[i].setHeaderRoute: Invalid value: {...}: SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix',
    'nginx trafficRouting with a setHeaderRoute step',
  ),
  'set-header-route-match': rule(
    'argo-spec',
    'spec.strategy.steps[i].setHeaderRoute.match[j]: Invalid value: {...}: StringMatch match value must have exactly one of the following: exact, regex, prefix',
    'headerValue: {exact: a, prefix: b}',
  ),
  'set-mirror-route-router': rule(
    'argo-spec',
    'spec.strategy.steps[i].setMirrorRoute: Invalid value: {...}: SetMirrorRoute requires TrafficRouting, supports Istio only',
    'nginx trafficRouting with a setMirrorRoute step',
  ),
  'set-mirror-route-match': rule(
    'argo-spec',
    'spec.strategy.steps[i].setMirrorRoute.match[j]: Invalid value: {...}: StringMatch match value must have exactly one of the following: exact, regex, prefix',
    'method: {exact: GET, regex: G.*}',
  ),
  'managed-routes-required': rule(
    'argo-spec',
    "spec.strategy.trafficRouting.managedRoutes: Required value: Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes'",
    'istio trafficRouting with a setHeaderRoute step and no managedRoutes',
  ),
  'managed-route-not-found': rule(
    'argo-spec',
    'spec.strategy.steps[i].setHeaderRoute: Invalid value: "b": Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes',
    'managedRoutes: [{name: a}], setHeaderRoute: {name: b}',
  ),
  'experiment-weight-needs-traffic-routing': rule(
    'argo-spec',
    'spec.strategy.steps[i].experiment.templates[k].weight: Invalid value: 10: Experiment template weight cannot be set unless TrafficRouting is enabled',
    'basic canary experiment template with weight: 10',
  ),
  'experiment-weight-router': rule(
    'argo-spec',
    'spec.strategy.steps[i].experiment.templates[k].weight: Invalid value: 10: Experiment template weight is only available for TrafficRouting with SMI, ALB, Istio and Plugins at this time',
    'nginx trafficRouting, experiment template with weight: 10',
  ),
  'analysis-args-field-path': rule(
    'argo-spec',
    'spec.strategy.steps[i].analyses: Invalid value: [...]: Analyses arguments must refer to valid object metadata supported by downwardAPI',
    'args: [{name: a, valueFrom: {fieldRef: {fieldPath: metadata.foo}}}]',
  ),
  // Kubernetes object rules
  'metadata-name': rule(
    'kubernetes',
    'metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of ... (Services: a DNS-1035 label; Namespaces: a DNS-1123 label)',
    'metadata: {name: Web}',
  ),
  'metadata-namespace': rule(
    'kubernetes',
    'metadata.namespace: Invalid value: "Prod": a lowercase RFC 1123 label must consist of ...',
    'metadata: {namespace: Prod}',
  ),
  'label-syntax': rule(
    'kubernetes',
    'metadata.labels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters ...',
    'labels: {app: "a b"}',
  ),
  'annotation-syntax': rule(
    'kubernetes',
    'metadata.annotations: Invalid value: "bad key": name part must consist of alphanumeric characters ...',
    'annotations: {"bad key": x}',
  ),
  'duplicate-object': rule(
    'nginx-rollouts',
    'metadata.name: Duplicate value: "web": Service "web" is defined more than once in this set',
    'two Services named web in the same namespace',
  ),
  // E. References between objects (checked by the controller against the cluster; here against the object set)
  'service-not-found': rule(
    'argo-references',
    'spec.strategy.blueGreen.activeService: Invalid value: "web": service "web" not found',
    'activeService: web with no Service web',
  ),
  'service-order': rule(
    'nginx-rollouts',
    'spec.strategy.blueGreen.activeService: Invalid value: "web": service "web" must come before the Rollout that uses it',
    'the Service web after the Rollout',
  ),
  'service-selector-mismatch': rule(
    'argo-references',
    'spec.strategy.canary.stableService: Invalid value: "web": Service "web" has unmatch label "tier" in rollout',
    'Service selector {app: web, tier: fe}, template labels {app: web}',
  ),
  'service-shared': rule(
    'argo-references',
    'spec.strategy.canary.stableService: Invalid value: "web": Service "web" is managed by another Rollout ("<other>")',
    'two Rollouts with stableService: web',
  ),
  'configmap-not-found': rule(
    'nginx-rollouts',
    'spec.template.spec.volumes[i].configMap.name: Invalid value: "conf": configmap "conf" not found',
    'volume configMap conf with no ConfigMap conf',
  ),
  'configmap-order': rule(
    'nginx-rollouts',
    'spec.template.spec.volumes[i].configMap.name: Invalid value: "conf": configmap "conf" must come before the Rollout that uses it',
    'the ConfigMap after the Rollout',
  ),
  'analysis-template-not-found': rule(
    'argo-references',
    "spec.strategy.canary.steps[i].analysis.templates[j].templateName: Invalid value: \"x\": AnalysisTemplate 'x' not found",
    'analysis: {templates: [{templateName: x}]} with no AnalysisTemplate x',
  ),
  'analysis-template-order': rule(
    'nginx-rollouts',
    "spec.strategy.canary.steps[i].analysis.templates[j].templateName: Invalid value: \"x\": AnalysisTemplate 'x' must come before the Rollout that uses it",
    'the AnalysisTemplate after the Rollout',
  ),
  'analysis-metric-indefinite': rule(
    'argo-references',
    'spec.strategy.canary.steps[i].analysis.templates[j].templateName: Invalid value: "x": AnalysisTemplate x has metric m which runs indefinitely. Invalid value for count: <nil>',
    'a step analysis whose template metric has interval: 5s and no count',
  ),
  'analysis-arg-value-and-value-from': rule(
    'argo-references',
    "spec.args[i]: Invalid value: \"a\": arg 'a' has both Value and ValueFrom fields",
    'args: [{name: a, value: x, valueFrom: {...}}]',
  ),
  'analysis-args-unresolved': rule(
    'argo-references',
    'spec.strategy.canary.steps[i].analysis.templates: Invalid value: "templateNames: [a b]": args.<arg> was not resolved',
    'a template arg with no value and no valueFrom that the Rollout does not pass (steps, background, pre/post-promotion)',
  ),
  'analysis-metric-duplicate': rule(
    'argo-references',
    "spec.strategy.canary.steps[i].analysis.templates: Invalid value: \"templateNames: [a b]\": two metrics have the same name '<metric>'",
    'two templates of one analysis with a metric of the same name',
  ),
  'analysis-arg-conflict': rule(
    'argo-references',
    "spec.strategy.canary.analysis.templates: Invalid value: \"templateNames: [a b]\": Argument `<arg>` specified multiple times with different values: '<x>', '<y>'",
    'two templates of one analysis that give one arg different values',
  ),
  'analysis-dry-run-duplicate': rule(
    'argo-references',
    "spec.strategy.canary.steps[i].analysis.templates: Invalid value: \"templateNames: [a]\": two Dry-Run metric rules have the same name '<metric>'",
    'dryRun: [{metricName: m}] in a step analysis and in its template',
  ),
  'analysis-measurement-retention-duplicate': rule(
    'argo-references',
    "spec.strategy.canary.steps[i].analysis.templates: Invalid value: \"templateNames: [a]\": two Measurement Retention metric rules have the same name '<metric>'",
    'measurementRetention: [{metricName: m, limit: 2}] in a step analysis and in its template',
  ),
  'analysis-background-args': rule(
    'argo-references',
    'spec.strategy.canary.analysis.templates: Invalid value: "<template>": missing analysis arguments in rollout spec (or the bare arg name when canary.analysis.args does not name it)',
    'background templates a (arg x, no value) and b (arg x: 1), and no canary.analysis.args',
  ),
  'ingress-not-found': rule(
    'argo-references',
    'spec.strategy.canary.trafficRouting.nginx.stableIngress: Invalid value: "web": ingress "web" not found',
    'nginx stableIngress web with no Ingress web',
  ),
  'ingress-order': rule(
    'nginx-rollouts',
    'spec.strategy.canary.trafficRouting.nginx.stableIngress: Invalid value: "web": ingress "web" must come before the Rollout that uses it',
    'the Ingress after the Rollout',
  ),
  'ingress-stable-service': rule(
    'argo-references',
    'spec.strategy.canary.trafficRouting.nginx.stableIngress: Invalid value: "web": ingress `web` has no rules using service web-stable backend',
    'an Ingress whose rules do not send to the stableService',
  ),
  'nginx-stable-ingress': rule(
    'argo-references',
    'spec.strategy.canary.trafficRouting.nginx: Internal error: Either StableIngress or StableIngresses must be configured. Both are configured.',
    'nginx: {stableIngress: a, stableIngresses: [b]}',
  ),
  'alb-ingress': rule(
    'argo-references',
    'spec.strategy.canary.trafficRouting.alb: Internal error: Either Ingress or Ingresses must be configured. Neither are configured.',
    'alb: {servicePort: 80}',
  ),
  'istio-virtual-service': rule(
    'argo-references',
    'spec.strategy.canary.trafficRouting.istio: Internal error: either VirtualService or VirtualServices must be configured',
    'istio: {}',
  ),
  'virtual-service-not-found': rule(
    'argo-references',
    'spec.strategy.canary.trafficRouting.istio.virtualService.name: Invalid value: "web": virtualservices.networking.istio.io "web" not found',
    'istio virtualService web while the set has VirtualServices, none named web',
  ),
  'virtual-service-order': rule(
    'nginx-rollouts',
    'spec.strategy.canary.trafficRouting.istio.virtualService.name: Invalid value: "web": virtualservices.networking.istio.io "web" must come before the Rollout that uses it',
    'the VirtualService after the Rollout',
  ),
  'virtual-service-routes': rule(
    'argo-references',
    "spec.strategy.canary.trafficRouting.istio.virtualService.name: Invalid value: \"web\": Istio VirtualService has invalid HTTP routes. Error: HTTP Route 'primary' is not found in the defined Virtual Service. (and the other route messages)",
    'istio virtualService {name: web, routes: [primary]} and a VirtualService web without an http route named primary',
  ),
  'ambassador-mappings-required': rule(
    'argo-references',
    'spec.strategy.canary.trafficRouting.ambassador.mappings: Invalid value: null: must provide at least one mapping',
    'trafficRouting: {ambassador: {mappings: []}}',
  ),
  'ambassador-mapping-not-found': rule(
    'argo-references',
    'spec.strategy.canary.trafficRouting.ambassador.mappings: Invalid value: "echo": mappings.getambassador.io "echo" not found',
    'ambassador mappings [echo] while the set has Mappings, none named echo',
  ),
  'ambassador-mapping-order': rule(
    'nginx-rollouts',
    'spec.strategy.canary.trafficRouting.ambassador.mappings: Invalid value: "echo": mappings.getambassador.io "echo" must come before the Rollout that uses it',
    'the Mapping after the Rollout',
  ),
  'ambassador-mapping-weight': rule(
    'argo-references',
    'spec.weight: Invalid value: "echo": Ambassador mapping "echo" can not define weight',
    'a Mapping echo with spec.weight: 20, named by the Rollout',
  ),
  'appmesh-virtual-service': rule(
    'argo-references',
    'spec.strategy.canary.trafficRouting.appmesh.virtualService: Invalid value: null: must provide virtual-service (or: virtualservices.appmesh.k8s.aws "<n>" not found, Virtual-service is not associated with virtual-router, virtualrouters.appmesh.k8s.aws "<r>" not found)',
    'trafficRouting: {appMesh: {}}',
  ),
  'appmesh-virtual-router-routes': rule(
    'argo-references',
    'spec.routes[i].httpRoute.action.weightedTargets: Invalid value: "<router>": Invalid number of weightedTargets (1) for AppMesh virtual-router <router> and route <route>, expected 2 (and the other route messages)',
    'a VirtualRouter route with one weightedTarget',
  ),
  // D. The CRD schema (API server) made strict like `kubectl argo rollouts lint`
  'schema-unknown-field': rule('crd-schema', 'spec.strategy.canary.stepz: unknown field "spec.strategy.canary.stepz"', 'canary: {stepz: []} (a typo)'),
  'schema-type': rule(
    'crd-schema',
    'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    'replicas: "3"',
  ),
  'schema-required': rule('crd-schema', 'spec.strategy.blueGreen.activeService: Required value', 'blueGreen: {previewService: p}'),
  'schema-enum': rule('crd-schema', 'spec.x: Unsupported value: "a": supported values: "b", "c"', 'a value outside an enum'),
  'schema-format': rule('crd-schema', 'spec.replicas: Invalid value: 3000000000: spec.replicas in body must be of format int32', 'replicas: 3000000000'),
  'schema-invalid': rule('crd-schema', '<path>: Invalid value: <v>: <path> in body <what the schema requires>', 'anything else the CRD schema rejects'),
} as const satisfies Record<string, RuleInfo>;

/** A rule id the engine reports. */
export type RuleId = keyof typeof RULES;

const ORIGINS: Record<RuleInfo['origin'], string> = {
  'argo-spec': 'Argo controller (spec)',
  'argo-references': 'Argo controller (references)',
  kubernetes: 'Kubernetes',
  'crd-schema': 'CRD schema (strict)',
  'nginx-rollouts': 'nginx-rollouts',
};

/** A Markdown code span that survives backticks and table pipes in the text. */
function code(text: string): string {
  return `\`\` ${text.replace(/\|/g, '\\|')} \`\``;
}

/** The rules as a Markdown table (what `docs/rules.md` shows; the tests keep the two in step). */
export function renderRulesTable(): string {
  const rows = (Object.entries(RULES) as Array<[RuleId, RuleInfo]>).map(
    ([id, info]) => `| \`${id}\` | ${ORIGINS[info.origin]} | ${code(info.message)} | ${code(info.example)} |`,
  );
  return ['| Rule | From | Message | Example that triggers it |', '|---|---|---|---|', ...rows].join('\n');
}
