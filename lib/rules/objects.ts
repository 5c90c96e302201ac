/**
 * `validateObjects`: the Rollout rules on every Rollout of a set, plus what can be decided from the set as a whole:
 * the references Argo's controller resolves against the cluster (section E), in the order `kubectl apply` creates
 * them. A reference to an object that is missing, or comes after the Rollout, has the `missingReference` severity.
 */
import type { Finding, Severity } from './finding';
import { refOf } from './finding';
import { duplicate, internalError, invalid } from './field';
import { virtualServiceErrors, virtualServiceNamespaceName } from './istio';
import { ambassadorMappingWeight, appMeshVirtualRouterError, appMeshVirtualRouterRef } from './mesh';
import { validateLabels } from './labels';
import { type NameSyntax, validateMetadata } from './metadata';
import { analysisGroups, checkAnalysisGroups } from './analysis-run';
import { dedupe, finding } from './report';
import type { RuleId } from './catalog';
import { validateRolloutView } from './rollout';
import { type RolloutView, stepsOnlyWeightsAndPauses, viewOf } from './rollout/view';
import { arr, isArgoKind, isKind, isSet, obj, str, STR_MAP_DROPS } from './util';

/** How {@link validateObjects} treats references between objects. */
export interface ValidateObjectsOptions {
  /** Severity of a reference to an object that is not in the set, or comes after the Rollout. @default 'error' */
  readonly missingReference?: Severity;
}

/** A finding with the position of its object in the set, so a caller can tell which file it came from. */
export interface IndexedFinding {
  readonly index: number;
  readonly finding: Finding;
}


/** The kinds the engine knows: how to recognize them and how their names are checked. */
const KINDS: Record<string, { match: (o: any) => boolean; names: NameSyntax }> = {
  Rollout: { match: (o) => isArgoKind(o, 'Rollout'), names: 'dns1123-subdomain' },
  AnalysisTemplate: { match: (o) => isArgoKind(o, 'AnalysisTemplate'), names: 'dns1123-subdomain' },
  ClusterAnalysisTemplate: { match: (o) => isArgoKind(o, 'ClusterAnalysisTemplate'), names: 'dns1123-subdomain' },
  Service: { match: (o) => isKind(o, 'Service', ['']), names: 'dns1035-label' },
  ConfigMap: { match: (o) => isKind(o, 'ConfigMap', ['']), names: 'dns1123-subdomain' },
  Ingress: { match: (o) => isKind(o, 'Ingress', ['networking.k8s.io', 'extensions']), names: 'dns1123-subdomain' },
  // A namespace is a DNS-1123 label (`1team` is fine), not a Service-style DNS-1035 label.
  Namespace: { match: (o) => isKind(o, 'Namespace', ['']), names: 'dns1123-label' },
  // Traffic routers' objects: looked up by the Rollouts that name them, not judged on their own.
  IstioVirtualService: { match: (o) => isKind(o, 'VirtualService', ['networking.istio.io']), names: 'dns1123-subdomain' },
  AmbassadorMapping: {
    match: (o) => isKind(o, 'Mapping', ['getambassador.io']) || isKind(o, 'AmbassadorMapping', ['x.getambassador.io']),
    names: 'dns1123-subdomain',
  },
  AppMeshVirtualService: { match: (o) => isKind(o, 'VirtualService', ['appmesh.k8s.aws']), names: 'dns1123-subdomain' },
  AppMeshVirtualRouter: { match: (o) => isKind(o, 'VirtualRouter', ['appmesh.k8s.aws']), names: 'dns1123-subdomain' },
};

/** Kinds only read through the Rollouts that use them. */
const REFERENCED_ONLY: ReadonlySet<string> = new Set(['IstioVirtualService', 'AmbassadorMapping', 'AppMeshVirtualService', 'AppMeshVirtualRouter']);

type KnownKind = keyof typeof KINDS;

/**
 * One object of the set with its position, its kind (recognized once), its name and namespace (read once: the index,
 * the lookups and the checks across objects all compare them) and a Rollout's view (worked out once).
 */
interface Entry {
  readonly index: number;
  readonly object: any;
  readonly kind?: KnownKind;
  /** `metadata.name` as Go reads it ('' when absent). */
  readonly name: string;
  /** `metadata.namespace` as Go reads it ('' when absent). */
  readonly namespace: string;
  /** A Rollout's view, worked out when its rules run. */
  view?: RolloutView;
  /** A Rollout's {@link serviceReferences}, listed once for its own checks and the check across Rollouts. */
  services?: Reference[];
}

/**
 * The known kinds each `kind` field can be, in {@link KINDS} order (their matchers then decide on the group): an
 * object is tested against those only, not against every kind.
 */
const KINDS_BY_KIND_FIELD = new Map<string, KnownKind[]>([
  ...['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate', 'Service', 'ConfigMap', 'Ingress', 'Namespace', 'AmbassadorMapping']
    .map((k): [string, KnownKind[]] => [k, [k]]),
  ['VirtualService', ['IstioVirtualService', 'AppMeshVirtualService']],
  ['Mapping', ['AmbassadorMapping']],
  ['VirtualRouter', ['AppMeshVirtualRouter']],
]);

/** The first of {@link KINDS} (in their order) that matches, reading only those that can match `o.kind`. */
function kindOf(o: any): KnownKind | undefined {
  const candidates = typeof o?.kind === 'string' ? KINDS_BY_KIND_FIELD.get(o.kind) : undefined;
  if (candidates) for (let i = 0; i < candidates.length; i++) if (KINDS[candidates[i]].match(o)) return candidates[i];
  return undefined;
}

const nameOf = (o: any): string => str(o?.metadata?.name);
const namespaceOf = (o: any): string => str(o?.metadata?.namespace);

/** The `kind` fields each known kind is found under (the inverse of {@link KINDS_BY_KIND_FIELD}). */
const KIND_FIELDS = new Map<KnownKind, string[]>();
for (const [field, kinds] of KINDS_BY_KIND_FIELD) {
  for (const kind of kinds) {
    const fields = KIND_FIELDS.get(kind);
    if (fields) fields.push(field);
    else KIND_FIELDS.set(kind, [field]);
  }
}

/**
 * Namespaces match when equal, or when either is unset: an object without a namespace lands in whatever namespace
 * `kubectl apply -n` (or the Argo CD Application) gives it, which is usually the other's.
 */
function sameNamespace(na: string, nb: string): boolean {
  return na === '' || nb === '' || na === nb;
}

/** `apiVersion`'s group ('' for the core group, and for an apiVersion without a slash). */
function groupOf(o: any): string {
  const apiVersion = str(o?.apiVersion);
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
}

/**
 * The set, indexed once per call (per chart at synth) by `kind` field and by name, in set order. The one pass also
 * finds the objects `kubectl apply` would write over each other (same group, kind, namespace and name): they share
 * kind and name, so only the few objects of a slot already taken are compared, and no key string is made per object.
 * A lookup reads only the objects of that kind and name, so a chart of N Rollouts costs N lookups, not N times the
 * set: the first visible one of those is the first visible one of the kind, as a scan of the kind in set order finds it.
 */
class ObjectSet {
  private readonly kinds = new Set<KnownKind>();
  /** Every object whose `kind` is a string: by `kind`, then by name (one entry, or several in set order). */
  private readonly byKindField = new Map<string, Map<string, Entry | Entry[]>>();
  /** The objects named like an earlier one of the same group, kind and namespace, in set order. */
  readonly duplicates: Entry[] = [];

  constructor(readonly entries: Entry[]) {
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      const field = e.object?.kind;
      if (typeof field !== 'string') continue;
      if (e.kind) this.kinds.add(e.kind);
      let names = this.byKindField.get(field);
      if (!names) this.byKindField.set(field, (names = new Map()));
      const taken = names.get(e.name);
      if (taken === undefined) {
        names.set(e.name, e);
        continue;
      }
      if (e.name !== '' && sameGroupAndNamespace(taken, e)) this.duplicates.push(e);
      if (Array.isArray(taken)) taken.push(e);
      else names.set(e.name, [taken, e]);
    }
  }

  has(kind: KnownKind): boolean {
    return this.kinds.has(kind);
  }

  /**
   * The first object of that kind and name visible from namespace `from` (cluster-scoped kinds ignore namespaces),
   * or in `namespace` when the reference names one.
   */
  find(kind: KnownKind, name: string, from: string, namespace = ''): Entry | undefined {
    const fields = KIND_FIELDS.get(kind)!;
    let found: Entry | undefined;
    // (a kind found under two `kind` fields, Ambassador's Mapping, takes the first in set order of both)
    for (let f = 0; f < fields.length; f++) {
      const slot = this.byKindField.get(fields[f])?.get(name);
      if (slot === undefined) continue;
      const e = Array.isArray(slot) ? firstVisible(slot, kind, from, namespace) : visible(slot, kind, from, namespace) ? slot : undefined;
      if (e && (!found || e.index < found.index)) found = e;
    }
    return found;
  }
}

/** Whether an earlier object of the slot has the entry's group and namespace. */
function sameGroupAndNamespace(taken: Entry | Entry[], e: Entry): boolean {
  const group = groupOf(e.object);
  const list = Array.isArray(taken) ? taken : [taken];
  for (let i = 0; i < list.length; i++) if (list[i].namespace === e.namespace && groupOf(list[i].object) === group) return true;
  return false;
}

function visible(e: Entry, kind: KnownKind, from: string, namespace: string): boolean {
  if (e.kind !== kind) return false;
  if (kind === 'ClusterAnalysisTemplate') return true;
  return namespace !== '' ? e.namespace === '' || e.namespace === namespace : sameNamespace(e.namespace, from);
}

function firstVisible(list: Entry[], kind: KnownKind, from: string, namespace: string): Entry | undefined {
  for (let i = 0; i < list.length; i++) if (visible(list[i], kind, from, namespace)) return list[i];
  return undefined;
}

/** A name a Rollout refers to, with the field path it is set at (full paths, as the controller reports these). */
interface Reference {
  readonly kind: KnownKind;
  readonly name: string;
  readonly path: string;
  /** The namespace the reference names (`name.namespace` for VirtualServices); else the Rollout's. */
  readonly namespace?: string;
}

/** How each kind of reference is reported. */
const REFERENCE_REPORTS: Record<string, { notFound: RuleId; order: RuleId; noun: (name: string) => string }> = {
  Service: { notFound: 'service-not-found', order: 'service-order', noun: (n) => `service "${n}"` },
  ConfigMap: { notFound: 'configmap-not-found', order: 'configmap-order', noun: (n) => `configmap "${n}"` },
  AnalysisTemplate: { notFound: 'analysis-template-not-found', order: 'analysis-template-order', noun: (n) => `AnalysisTemplate '${n}'` },
  ClusterAnalysisTemplate: {
    notFound: 'analysis-template-not-found',
    order: 'analysis-template-order',
    noun: (n) => `ClusterAnalysisTemplate '${n}'`,
  },
  Ingress: { notFound: 'ingress-not-found', order: 'ingress-order', noun: (n) => `ingress "${n}"` },
  // The lister's NotFound error names the resource and group.
  IstioVirtualService: { notFound: 'virtual-service-not-found', order: 'virtual-service-order', noun: (n) => `virtualservices.networking.istio.io "${n}"` },
  AmbassadorMapping: { notFound: 'ambassador-mapping-not-found', order: 'ambassador-mapping-order', noun: (n) => `mappings.getambassador.io "${n}"` },
};

/** Context of the cross-object checks of one Rollout. */
interface RolloutRefs {
  readonly set: ObjectSet;
  readonly entry: Entry;
  readonly view: RolloutView;
  readonly severity: Severity;
}

/**
 * The referenced object, or undefined; a finding in `out` when it is missing or comes too late. (Findings are
 * pushed into the caller's list: this runs for every reference of every Rollout, nearly always finding nothing.)
 */
function resolve(ctx: RolloutRefs, ref: Reference, out: Finding[]): Entry | undefined {
  const target = ctx.set.find(ref.kind, ref.name, ctx.entry.namespace, ref.namespace);
  if (target && target.index <= ctx.entry.index) return target;
  unresolved(ctx, ref.kind, ref.name, ref.path, target, out);
  return target;
}

/** The finding of a reference whose object is missing (`target` undefined) or comes after the Rollout. */
function unresolved(ctx: RolloutRefs, kind: KnownKind, name: string, path: string, target: Entry | undefined, out: Finding[]): void {
  const report = REFERENCE_REPORTS[kind];
  if (!target) {
    out.push(finding(report.notFound, path, invalid(name, `${report.noun(name)} not found`), ctx.severity));
    return;
  }
  const message = invalid(name, `${report.noun(name)} must come before the Rollout that uses it`);
  out.push(finding(report.order, path, message, ctx.severity));
}

/** A Service reference when the name is set. */
function addService(refs: Reference[], path: string, name: unknown): void {
  const s = str(name);
  if (s !== '') refs.push({ kind: 'Service', name: s, path });
}

/** The Services a Rollout names (active/preview, stable/canary, ping/pong). */
export function serviceReferences({ canary, blueGreen }: RolloutView): Reference[] {
  const refs: Reference[] = [];
  if (blueGreen) {
    addService(refs, 'spec.strategy.blueGreen.activeService', blueGreen.activeService);
    addService(refs, 'spec.strategy.blueGreen.previewService', blueGreen.previewService);
  }
  if (canary) {
    addService(refs, 'spec.strategy.canary.stableService', canary.stableService);
    addService(refs, 'spec.strategy.canary.canaryService', canary.canaryService);
    const pingPong = obj(canary.pingPong);
    if (pingPong) {
      addService(refs, 'spec.strategy.canary.pingPong.pingService', pingPong.pingService);
      addService(refs, 'spec.strategy.canary.pingPong.pongService', pingPong.pongService);
    }
  }
  return refs;
}

/** {@link serviceReferences} of a Rollout's entry, listed once. */
function servicesOf(entry: Entry): Reference[] {
  return (entry.services ??= serviceReferences(entry.view ?? viewOf(entry.object)));
}

/** Rule 53: the controller adds only `rollouts-pod-template-hash` to a Service's selector; the rest must match the pods. */
function checkServiceSelector(ctx: RolloutRefs, ref: Reference, service: any, out: Finding[]): void {
  const { spec } = ctx.view;
  if (isSet(spec.workloadRef)) return; // the pod labels come from the referenced workload
  const selector = obj(service?.spec?.selector);
  if (!selector) return;
  // the entries of `strMap(selector)` and of the template's labels, read in place (a key of `strMap(labels)` is an own
  // key of the labels; what the copy inherits is never a string)
  const labels = obj(obj(spec.template)?.metadata)?.labels;
  const map = obj(labels);
  const keys = Object.keys(selector);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key === STR_MAP_DROPS || key === 'rollouts-pod-template-hash') continue;
    if (!map || !Object.prototype.propertyIsEnumerable.call(map, key) || str(map[key]) !== str(selector[key])) {
      out.push(finding('service-selector-mismatch', ref.path, invalid(ref.name, `Service "${ref.name}" has unmatch label "${key}" in rollout`)));
    }
  }
}

function checkServices(ctx: RolloutRefs, out: Finding[]): void {
  const refs = servicesOf(ctx.entry);
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i];
    const target = resolve(ctx, ref, out);
    if (target) checkServiceSelector(ctx, ref, target.object, out);
  }
}

/** The name of a ConfigMap reference that must exist (set and not optional), else ''. */
function requiredConfigMap(ref: unknown): string {
  const r = obj(ref);
  return r && r.optional !== true ? str(r.name) : '';
}

/**
 * The ConfigMaps the pod template reads (volumes, projected volumes, envFrom, env), unless marked optional, each looked
 * up as it is found, in that order. This runs on every pod template: a volume's path is written only for a finding,
 * and projected sources and containers' env, which most pods do not have, are read by functions of their own (V8
 * then compiles this one without them).
 */
function checkConfigMaps(ctx: RolloutRefs, out: Finding[]): void {
  const pod = ctx.view.pod;
  if (!pod) return;
  const volumes = arr(pod.volumes);
  for (let i = 0; i < volumes.length; i++) {
    const v = obj(volumes[i]);
    if (!v) continue;
    const name = requiredConfigMap(v.configMap);
    if (name !== '') {
      const target = ctx.set.find('ConfigMap', name, ctx.entry.namespace);
      if (!target || target.index > ctx.entry.index) unresolved(ctx, 'ConfigMap', name, `spec.template.spec.volumes[${i}].configMap.name`, target, out);
    }
    if (isSet(v.projected)) checkProjectedConfigMaps(ctx, v.projected, i, out);
  }
  if (hasEnv(pod.containers) || hasEnv(pod.initContainers)) {
    for (let f = 0; f < CONTAINER_FIELDS.length; f++) {
      const containers = arr(pod[CONTAINER_FIELDS[f]]);
      for (let i = 0; i < containers.length; i++) {
        const c = obj(containers[i]);
        if (c && (isSet(c.envFrom) || isSet(c.env))) checkEnvConfigMaps(ctx, c, CONTAINER_FIELDS[f], i, out);
      }
    }
  }
}

/** Whether a container of the list has `env` or `envFrom`. */
function hasEnv(containers: unknown): boolean {
  const list = arr(containers);
  for (let i = 0; i < list.length; i++) {
    const c = obj(list[i]);
    if (c && (isSet(c.envFrom) || isSet(c.env))) return true;
  }
  return false;
}

function checkProjectedConfigMaps(ctx: RolloutRefs, projected: unknown, i: number, out: Finding[]): void {
  const sources = arr(obj(projected)?.sources);
  for (let j = 0; j < sources.length; j++) {
    const name = requiredConfigMap(obj(sources[j])?.configMap);
    if (name !== '') resolve(ctx, { kind: 'ConfigMap', name, path: `spec.template.spec.volumes[${i}].projected.sources[${j}].configMap.name` }, out);
  }
}

function checkEnvConfigMaps(ctx: RolloutRefs, c: Record<string, any>, field: string, i: number, out: Finding[]): void {
  const base = `spec.template.spec.${field}[${i}]`;
  const envFrom = arr(c.envFrom);
  for (let j = 0; j < envFrom.length; j++) {
    const name = requiredConfigMap(obj(envFrom[j])?.configMapRef);
    if (name !== '') resolve(ctx, { kind: 'ConfigMap', name, path: `${base}.envFrom[${j}].configMapRef.name` }, out);
  }
  const env = arr(c.env);
  for (let j = 0; j < env.length; j++) {
    const name = requiredConfigMap(obj(obj(env[j])?.valueFrom)?.configMapKeyRef);
    if (name !== '') resolve(ctx, { kind: 'ConfigMap', name, path: `${base}.env[${j}].valueFrom.configMapKeyRef.name` }, out);
  }
}

const CONTAINER_FIELDS = ['containers', 'initContainers'];

/** A template reference, and whether the analysis it runs must terminate (step, pre- and post-promotion analyses). */
interface TemplateReference extends Reference {
  readonly mustTerminate: boolean;
}

/** The references of an analysis' `templates` (or an experiment's `analyses`: `field`), each at `<path>.<field>[j]`. */
function addTemplateRefs(refs: TemplateReference[], list: unknown, path: string, mustTerminate: boolean): void {
  const templates = arr(list);
  for (let j = 0; j < templates.length; j++) {
    const t = obj(templates[j]);
    const name = str(t?.templateName);
    if (name === '') continue;
    const kind: KnownKind = t?.clusterScope === true ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
    refs.push({ kind, name, path: `${path}[${j}].templateName`, mustTerminate });
  }
}

/** Every AnalysisTemplate / ClusterAnalysisTemplate a Rollout names (paths written only for steps that name some). */
export function analysisTemplateReferences(view: RolloutView): TemplateReference[] {
  const { canary, blueGreen } = view;
  const refs: TemplateReference[] = [];
  if (canary) {
    addTemplateRefs(refs, obj(canary.analysis)?.templates, 'spec.strategy.canary.analysis.templates', false);
    const steps = stepsOnlyWeightsAndPauses(view) ? [] : arr(canary.steps);
    for (let i = 0; i < steps.length; i++) {
      const step = obj(steps[i]);
      if (!step) continue;
      const templates = arr(obj(step.analysis)?.templates);
      if (templates.length > 0) addTemplateRefs(refs, templates, `spec.strategy.canary.steps[${i}].analysis.templates`, true);
      const analyses = arr(obj(step.experiment)?.analyses);
      if (analyses.length > 0) addTemplateRefs(refs, analyses, `spec.strategy.canary.steps[${i}].experiment.analyses`, false);
    }
  }
  if (blueGreen) {
    addTemplateRefs(refs, obj(blueGreen.prePromotionAnalysis)?.templates, 'spec.strategy.blueGreen.prePromotionAnalysis.templates', true);
    addTemplateRefs(refs, obj(blueGreen.postPromotionAnalysis)?.templates, 'spec.strategy.blueGreen.postPromotionAnalysis.templates', true);
  }
  return refs;
}

/**
 * Rule 57: a metric with an interval and no count (or count 0) runs until stopped, so a step or promotion analysis
 * using it would never finish. A count that is an argument placeholder cannot be decided here.
 */
function checkTerminates(ref: TemplateReference, template: any): Finding[] {
  return arr(template?.spec?.metrics).flatMap((m) => {
    const metric = obj(m) ?? {};
    const count = metric.count;
    const countIsZero = !isSet(count) || count === 0 || (typeof count === 'string' && /^[+-]?0+$/.test(count));
    if (!countIsZero || str(metric.interval) === '') return [];
    const shown = isSet(count) ? String(count) : '<nil>';
    const message = `AnalysisTemplate ${ref.name} has metric ${str(metric.name)} which runs indefinitely. Invalid value for count: ${shown}`;
    return [finding('analysis-metric-indefinite', ref.path, invalid(ref.name, message))];
  });
}

function checkAnalysisTemplates(ctx: RolloutRefs, out: Finding[]): void {
  const refs = analysisTemplateReferences(ctx.view);
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i];
    const target = resolve(ctx, ref, out);
    if (target && ref.mustTerminate) out.push(...checkTerminates(ref, target.object));
  }
}

/** Rule 61: the router rewrites the Ingress rules that send to the stable (ALB: root) Service. */
function ingressBackends(ingress: any): string[] {
  return arr(ingress?.spec?.rules).flatMap((r) =>
    arr(obj(obj(r)?.http)?.paths).map((p) => {
      const backend = obj(obj(p)?.backend) ?? {};
      return str(obj(backend.service)?.name) || str(backend.serviceName);
    }),
  );
}

function checkIngressRefs(ctx: RolloutRefs, names: string[], path: (i: number | undefined) => string, service: string): Finding[] {
  // When the set has no Ingress at all, the Ingress is managed elsewhere: there is nothing to compare with.
  if (!ctx.set.has('Ingress')) return [];
  return names.flatMap((name, i) => {
    const ref: Reference = { kind: 'Ingress', name, path: path(names.length > 1 ? i : undefined) };
    const findings: Finding[] = [];
    const target = resolve(ctx, ref, findings);
    if (!target || service === '' || ingressBackends(target.object).includes(service)) return findings;
    return [...findings, finding('ingress-stable-service', ref.path, invalid(name, `ingress \`${name}\` has no rules using service ${service} backend`))];
  });
}

/** Rules 60-63: each router's single/plural field pairs, and the Ingresses they name. */
function checkRouters(ctx: RolloutRefs): Finding[] {
  const { canary, trafficRouting: tr } = ctx.view;
  if (!canary || !tr) return [];
  const out: Finding[] = [];
  const base = 'spec.strategy.canary.trafficRouting';
  const pair = (rule: RuleId, router: string, one: string, many: string, what: [string, string]) => {
    const r = obj(tr[router]) ?? {};
    const single = str(r[one]);
    const plural = arr(r[many]).map(str);
    // `field.InternalError`, as `ValidateRolloutNginxIngressesConfig` / `...AlbIngressesConfig` report it.
    if (single !== '' && plural.length > 0) out.push(finding(rule, `${base}.${router}`, internalError(`Either ${what[0]} or ${what[1]} must be configured. Both are configured.`)));
    if (single === '' && plural.length === 0) out.push(finding(rule, `${base}.${router}`, internalError(`Either ${what[0]} or ${what[1]} must be configured. Neither are configured.`)));
    const names = single !== '' ? [single] : plural;
    const path = (i: number | undefined) => (single !== '' ? `${base}.${router}.${one}` : `${base}.${router}.${many}[${i ?? 0}]`);
    return { names, path };
  };
  if (isSet(tr.nginx)) {
    const { names, path } = pair('nginx-stable-ingress', 'nginx', 'stableIngress', 'stableIngresses', ['StableIngress', 'StableIngresses']);
    out.push(...checkIngressRefs(ctx, names, path, str(canary.stableService)));
  }
  if (isSet(tr.alb)) {
    const { names, path } = pair('alb-ingress', 'alb', 'ingress', 'ingresses', ['Ingress', 'Ingresses']);
    const alb = obj(tr.alb) ?? {};
    out.push(...checkIngressRefs(ctx, names, path, str(alb.rootService) || str(canary.stableService)));
  }
  if (isSet(tr.istio)) {
    const istio = obj(tr.istio) ?? {};
    if (isSet(istio.virtualService) === isSet(istio.virtualServices)) {
      out.push(finding('istio-virtual-service', `${base}.istio`, internalError('either VirtualService or VirtualServices must be configured')));
    } else {
      out.push(...checkVirtualServices(ctx, istio));
    }
  }
  if (isSet(tr.ambassador)) out.push(...checkAmbassador(ctx, obj(tr.ambassador) ?? {}));
  if (isSet(tr.appMesh)) out.push(...checkAppMesh(ctx, obj(tr.appMesh) ?? {}));
  return out;
}

/**
 * Rule 64, Ambassador (`getAmbassadorMappings`, `ValidateAmbassadorMapping`): at least one Mapping; each one in the
 * set is found, and leaves `spec.weight` to the controller, which creates the weighted canary Mapping itself.
 */
function checkAmbassador(ctx: RolloutRefs, ambassador: Record<string, any>): Finding[] {
  const path = 'spec.strategy.canary.trafficRouting.ambassador.mappings';
  const names = arr(ambassador.mappings).map(str);
  if (names.length === 0) return [finding('ambassador-mappings-required', path, invalid(null, 'must provide at least one mapping'))];
  // When the set has no Mapping at all, they are managed elsewhere.
  if (!ctx.set.has('AmbassadorMapping')) return [];
  return names.flatMap((name) => {
    const findings: Finding[] = [];
    const target = resolve(ctx, { kind: 'AmbassadorMapping', name, path }, findings);
    if (!target || ambassadorMappingWeight(target.object) === 0) return findings;
    return [...findings, finding('ambassador-mapping-weight', 'spec.weight', invalid(name, `Ambassador mapping "${name}" can not define weight`))];
  });
}

/**
 * Rule 64, App Mesh (`getReferencedAppMeshResources`, `ValidateAppMeshVirtualRouter`): the Rollout names an App Mesh
 * VirtualService, which uses a VirtualRouter whose every route splits between exactly two weighted targets (the
 * stable and canary virtual nodes). Paths and values are the controller's (note `appmesh`, lower case).
 */
function checkAppMesh(ctx: RolloutRefs, appMesh: Record<string, any>): Finding[] {
  const path = 'spec.strategy.canary.trafficRouting.appmesh.virtualService';
  if (!isSet(appMesh.virtualService)) return [finding('appmesh-virtual-service', path, invalid(null, 'must provide virtual-service'))];
  // When the set has no App Mesh VirtualService at all, the mesh is managed elsewhere.
  if (!ctx.set.has('AppMeshVirtualService')) return [];
  const name = str(obj(appMesh.virtualService)?.name);
  const value = `${name}.${ctx.entry.namespace}`;
  const vs = ctx.set.find('AppMeshVirtualService', name, ctx.entry.namespace);
  if (!vs) return [finding('appmesh-virtual-service', path, invalid(value, `virtualservices.appmesh.k8s.aws "${name}" not found`), ctx.severity)];
  const ref = appMeshVirtualRouterRef(vs.object);
  if (!ref) return [finding('appmesh-virtual-service', path, invalid(value, 'Virtual-service is not associated with virtual-router'))];
  const router = ctx.set.find('AppMeshVirtualRouter', ref.name, vs.namespace, ref.namespace);
  if (!router) return [finding('appmesh-virtual-service', path, invalid(value, `virtualrouters.appmesh.k8s.aws "${ref.name}" not found`), ctx.severity)];
  const error = appMeshVirtualRouterError(router.object);
  return error ? [finding('appmesh-virtual-router-routes', error.path, invalid(ref.name, error.message))] : [];
}

/**
 * Rule 63: each VirtualService the Rollout names, found in the set (`GetReferencedVirtualServices`), must have the
 * routes it names, sending to the stable and canary Services (`ValidateVirtualService`). Paths and values are the
 * controller's: `...istio.virtualService.name` (or `virtualServices.name`, without an index) and the bare name.
 */
function checkVirtualServices(ctx: RolloutRefs, istio: Record<string, any>): Finding[] {
  // When the set has no VirtualService at all, they are managed elsewhere: there is nothing to compare with.
  if (!ctx.set.has('IstioVirtualService')) return [];
  const multiple = isSet(istio.virtualServices);
  const entries = (multiple ? arr(istio.virtualServices) : [istio.virtualService]).map((e) => obj(e) ?? {});
  const path = `spec.strategy.canary.trafficRouting.istio.${multiple ? 'virtualServices' : 'virtualService'}.name`;
  const ro = { canary: ctx.view.canary ?? {}, istio, managedRoutes: ctx.view.trafficRouting?.managedRoutes };
  return entries.flatMap((e) => {
    const { name, namespace } = virtualServiceNamespaceName(str(e.name));
    const findings: Finding[] = [];
    const target = resolve(ctx, { kind: 'IstioVirtualService', name, namespace, path }, findings);
    if (!target) return findings;
    // The controller validates a VirtualService with the first entry of that (bare) name.
    const entry = entries.find((x) => virtualServiceNamespaceName(str(x.name)).name === name) ?? e;
    const errors = virtualServiceErrors(ro, entry, target.object).map((m) => finding('virtual-service-routes', path, invalid(name, m)));
    return [...findings, ...errors];
  });
}

/** Rule 54: a Service's selector is owned by one Rollout; a second one would fight over it. */
function checkSharedServices(rollouts: Entry[]): IndexedFinding[] {
  const owner = new Map<string, Entry>();
  const out: IndexedFinding[] = [];
  for (let e = 0; e < rollouts.length; e++) {
    const entry = rollouts[e];
    const refs = servicesOf(entry);
    for (let r = 0; r < refs.length; r++) {
      const ref = refs[r];
      const key = `${entry.namespace}/${ref.name}`;
      const other = owner.get(key);
      if (other !== undefined && other.object !== entry.object && sameNamespace(other.namespace, entry.namespace)) {
        const message = invalid(ref.name, `Service "${ref.name}" is managed by another Rollout ("${other.name}")`);
        out.push({ index: entry.index, finding: { ...finding('service-shared', ref.path, message), object: refOf(entry.object) } });
      }
      // (keys of one Rollout share its namespace: an earlier reference of the same name had this key)
      if (other === undefined && !sameNameBefore(refs, r)) owner.set(key, entry);
    }
  }
  return out;
}

/** Whether a reference before `r` names the same Service. */
function sameNameBefore(refs: Reference[], r: number): boolean {
  for (let i = 0; i < r; i++) if (refs[i].name === refs[r].name) return true;
  return false;
}

/** Rule 59, on the templates themselves: an argument has either a value or a source, not both. */
function validateAnalysisTemplate(o: any): Finding[] {
  return arr(o?.spec?.args).flatMap((a, i) => {
    const arg = obj(a) ?? {};
    if (!isSet(arg.value) || !isSet(arg.valueFrom)) return [];
    return [finding('analysis-arg-value-and-value-from', `spec.args[${i}]`, invalid(str(arg.name), `arg '${str(arg.name)}' has both Value and ValueFrom fields`))];
  });
}

/** Rules of one object on its own. */
function validateSingle(o: any, kind: KnownKind, view: RolloutView | undefined): Finding[] {
  if (REFERENCED_ONLY.has(kind)) return [];
  switch (kind) {
    case 'Rollout':
      return validateRolloutView(view ?? viewOf(o));
    case 'AnalysisTemplate':
    case 'ClusterAnalysisTemplate':
      return [...validateMetadata(o), ...validateAnalysisTemplate(o)];
    case 'Service':
      return validateLabels(o?.spec?.selector, 'spec.selector', 'label-syntax', validateMetadata(o, KINDS.Service.names));
    default:
      return validateMetadata(o, KINDS[kind].names);
  }
}

/** Objects that `kubectl apply` would write over each other (same group, kind, namespace and name). */
function checkDuplicates(set: ObjectSet): IndexedFinding[] {
  const out: IndexedFinding[] = [];
  for (let i = 0; i < set.duplicates.length; i++) {
    const { index, object, name } = set.duplicates[i];
    const message = `${duplicate(name)}: ${object.kind} "${name}" is defined more than once in this set`;
    out.push({ index, finding: { ...finding('duplicate-object', 'metadata.name', message), object: refOf(object) } });
  }
  return out;
}

/** Appends `more` to `out` (an indexed loop: this runs unoptimized at first, where `for...of` steps an iterator). */
function pushAll<T>(out: T[], more: T[]): void {
  for (let i = 0; i < more.length; i++) out.push(more[i]);
}

/**
 * The rules of one object of a known kind: its own, and a Rollout's references. (The loop over the set calls one
 * function per object: V8 then has a small loop to compile, if it compiles it at all, not every check inlined in it.)
 */
function checkEntry(set: ObjectSet, entry: Entry, severity: Severity, out: IndexedFinding[]): void {
  if (entry.kind !== 'Rollout') {
    const findings = validateSingle(entry.object, entry.kind!, undefined);
    if (findings.length > 0) addFindings(out, entry, findings);
    return;
  }
  const view = (entry.view = viewOf(entry.object));
  const findings = validateSingle(entry.object, 'Rollout', view);
  checkReferences({ set, entry, view, severity }, findings);
  if (findings.length > 0) addFindings(out, entry, findings);
}

/** A Rollout's references to the other objects of the set (rules 53-64). */
function checkReferences(ctx: RolloutRefs, findings: Finding[]): void {
  const { view, entry, set } = ctx;
  checkServices(ctx, findings);
  checkConfigMaps(ctx, findings);
  checkAnalysisTemplates(ctx, findings);
  // the lookup is made only for a Rollout that runs analyses
  const groups = analysisGroups(view);
  if (groups.length > 0) {
    const templates = (kind: 'AnalysisTemplate' | 'ClusterAnalysisTemplate', name: string) => set.find(kind, name, entry.namespace)?.object;
    pushAll(findings, checkAnalysisGroups(groups, view, templates, ctx.severity));
  }
  if (view.canary && view.trafficRouting) pushAll(findings, checkRouters(ctx));
}

/** The object's findings, once each, with the object they are about. */
function addFindings(out: IndexedFinding[], entry: Entry, findings: Finding[]): void {
  const object = refOf(entry.object);
  for (const f of dedupe(findings)) out.push({ index: entry.index, finding: { ...f, object } });
}

/** Like `validateObjects`, with each finding's position in the set (used by `lint` to name the file). */
export function validateObjectsIndexed(objects: any[], options: ValidateObjectsOptions = {}): IndexedFinding[] {
  const severity = options.missingReference ?? 'error';
  const entries: Entry[] = [];
  for (let index = 0; index < objects.length; index++) {
    const object = objects[index];
    entries.push({ index, object, kind: kindOf(object), name: nameOf(object), namespace: namespaceOf(object), view: undefined, services: undefined });
  }
  const set = new ObjectSet(entries);
  const out: IndexedFinding[] = [];
  const rollouts: Entry[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!entry.kind) continue; // kinds we do not know (Istio, Ambassador, ...) are passed over
    if (entry.kind === 'Rollout') rollouts.push(entry);
    checkEntry(set, entry, severity, out);
  }
  out.push(...checkSharedServices(rollouts), ...checkDuplicates(set));
  return out.sort((a, b) => a.index - b.index);
}

/**
 * Every problem in a set of objects (plain JSON, in the order they are applied): the Rollout rules on each Rollout,
 * the name and label rules on each known object, and the references between them. Unknown kinds are passed over.
 */
export function validateObjects(objects: any[], options: ValidateObjectsOptions = {}): Finding[] {
  return validateObjectsIndexed(objects, options).map((x) => x.finding);
}
