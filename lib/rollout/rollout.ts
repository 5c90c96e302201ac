import { ApiObject, Chart, Duration, JsonPatch, Lazy, Names, NameOptions } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct, Node } from 'constructs';
import { Rollout as KubeRollout, RolloutSpec } from '../../imports/argo-rollouts-argoproj.io';
import { checkSameCdk8s } from '../cdk8s-copies';
import { futureConstruct, PropsChecker } from '../props-checker';
import { registerOwner } from '../synth-validation';
import { markYamlDocumentStartsOnSynth } from '../yaml-output';
import { RolloutAnalysis } from './analysis';
import { containerJson } from './pod-json';
import { IPodStorage, IPodVolume, PodQueryRef, RolloutContainerProps, RolloutPodProps, RolloutScheduling } from './pod-props';
import { RolloutStep } from './step';
import { RolloutStrategy, RolloutStrategyKind, StrategyContext } from './strategy';
import { TrafficRouterKind } from './traffic-router';

/**
 * Props of {@link Rollout}: the pod props of a cdk8s-plus `Deployment` (taking the app's own cdk8s-plus objects of
 * any major), plus Argo's update strategy.
 */
export interface RolloutProps extends RolloutPodProps {
  /**
   * How the pods are updated: `RolloutStrategy.canary({...})` or `RolloutStrategy.blueGreen({...})`.
   * @default RolloutStrategy.canary()
   */
  readonly strategy?: RolloutStrategy;

  /**
   * How many pods run once the Rollout is healthy. Written out even at its default, because the controller writes
   * its default back into an object that omits it, which a GitOps tool then reports as drift. Left out when a
   * HorizontalPodAutoscaler targets the Rollout.
   * @default 1
   */
  readonly replicas?: number;

  /**
   * How long a new pod must be ready before it counts as available (`minReadySeconds`).
   * @default - not set: available as soon as ready
   */
  readonly minReady?: Duration;

  /**
   * How long an update may make no progress before the Rollout is Degraded (`progressDeadlineSeconds`); longer
   * than `minReady`.
   * @default - not set: the controller uses 600 seconds
   */
  readonly progressDeadline?: Duration;

  /**
   * Abort the update when `progressDeadline` passes (`progressDeadlineAbort`).
   * @default - not set: the controller only marks the Rollout Degraded
   */
  readonly progressDeadlineAbort?: boolean;

  /**
   * How many old ReplicaSets the controller keeps for rollback (`revisionHistoryLimit`).
   * @default - not set: the controller keeps 10
   */
  readonly revisionHistoryLimit?: number;

  /**
   * Roll back to any of this many recent revisions at once, skipping the steps (`rollbackWindow.revisions`).
   * @default - not set: every rollback runs the steps
   */
  readonly rollbackWindowRevisions?: number;

  /**
   * How many finished AnalysisRuns of this Rollout the controller keeps (`spec.analysis`); older ones are deleted.
   * @default - not set: the controller keeps 5 successful and 5 unsuccessful runs
   */
  readonly analysisRunHistory?: AnalysisRunHistory;

  /**
   * The ports of the Services the strategy needs (canary/stable, ping/pong, active/preview).
   * @default - the ports of the containers given in `containers`, each forwarded to itself
   */
  readonly servicePorts?: kplus.ServicePort[];
}

/** How many finished AnalysisRuns of a Rollout the controller keeps (`spec.analysis` of the Rollout). */
export interface AnalysisRunHistory {
  /**
   * Successful runs kept (`successfulRunHistoryLimit`).
   * @default 5 (the controller's default)
   */
  readonly successfulRunHistoryLimit?: number;

  /**
   * Failed, errored and inconclusive runs kept (`unsuccessfulRunHistoryLimit`).
   * @default 5 (the controller's default)
   */
  readonly unsuccessfulRunHistoryLimit?: number;
}

/**
 * An Argo Rollouts `Rollout` for any pods, with the pod API of a cdk8s-plus `Deployment` (`addContainer`,
 * `addVolume`, `serviceAccount`, `scheduling`, `podMetadata`, `exposeViaService`, ...) and Argo's canary or
 * blue/green update. The Services the strategy names are created with it and written before it; its spec is
 * rendered at synth, so containers, volumes and steps added after construction are in the output.
 *
 * In TypeScript the pod props and pod methods take the app's own cdk8s-plus objects of any major (cdk8s-plus-27 or
 * cdk8s-plus-33 `Volume`, `Env`, `Probe`, `Handler`, `Secret`, `ServiceAccount`, node queries, and the app's
 * `HorizontalPodAutoscaler` with `target: rollout`); the other languages pass cdk8s-plus-27's.
 *
 * ```ts
 * const api = new Rollout(chart, 'api', {
 *   containers: [{ image: 'ghcr.io/acme/api:1.2.3', portNumber: 8080 }],
 *   strategy: RolloutStrategy.canary({ steps: [RolloutStep.weight(20), RolloutStep.pause(Duration.minutes(5))] }),
 * });
 * api.addStep(RolloutStep.weight(50));
 * ```
 */
export class Rollout extends kplus.Workload implements kplus.IScalable {
  /** @see kplus.IApiResource */
  public readonly resourceType: 'rollouts';
  /** How the pods are updated. */
  public readonly strategy: RolloutStrategy;
  /** The replicas given in props. */
  public readonly replicas?: number;
  /** Whether a HorizontalPodAutoscaler targets this Rollout (then `replicas` is left to it). */
  public hasAutoscaler: boolean;
  /** The canary Service, when created. */
  public readonly canaryService?: kplus.Service;
  /** The stable Service, when created. */
  public readonly stableService?: kplus.Service;
  /** The ping Service of a ping-pong canary. */
  public readonly pingService?: kplus.Service;
  /** The pong Service of a ping-pong canary. */
  public readonly pongService?: kplus.Service;
  /** The active Service of a blue/green update. */
  public readonly activeService?: kplus.Service;
  /** The preview Service of a blue/green update, when created. */
  public readonly previewService?: kplus.Service;
  /** The Ingress to the stable Service, when created for NGINX routing. */
  public readonly stableIngress?: kplus.k8s.KubeIngress;

  /** @see base.Resource.apiObject */
  protected readonly apiObject: ApiObject;
  /** Checks props, naming this construct in every message (see `check`). */
  private checker?: PropsChecker;
  /** How messages name this construct (`Rollout`, `CanaryNginxRollout`); undefined while cdk8s-plus' constructor runs. */
  private checkedAs?: string;
  /** Whether a preset checked the props already (see `presetCheckedProps`). */
  private readonly propsChecked: boolean;

  private readonly props: RolloutProps;
  private readonly stepList: RolloutStep[];
  /** What the pods need (ConfigMaps, ...) and what the strategy names: applied before the Rollout, in this order. */
  private readonly podPrerequisites: Construct;
  private readonly strategyPrerequisites: Construct;
  private readonly strategyServices: kplus.Service[];
  private backgroundAnalysis?: RolloutAnalysis;
  private prePromotionAnalysis?: RolloutAnalysis;
  private postPromotionAnalysis?: RolloutAnalysis;

  public constructor(scope: Construct, id: string, props: RolloutProps = {}) {
    const podProps = checkedPodProps(new.target.name, scope, id, props);
    // Not selected by cdk8s-plus' address label: its value is computed when first read (see `deferAddressLabel`).
    // (The fields are assigned below, not initialised in their declarations: TypeScript then allows `super` in `try`.)
    const deferred = podProps.select === false && deferAddressLabel();
    try {
      super(scope, id, podProps);
    } finally {
      if (deferred) restoreToLabelValue();
    }
    this.resourceType = 'rollouts';
    this.hasAutoscaler = false;
    this.strategyServices = [];
    const typeName = new.target.name;
    // A preset has run these checks (and stricter ones) on its own props, naming the same construct: once is enough.
    this.propsChecked = props !== undefined && props === presetChecked;
    presetChecked = undefined;
    if (!this.propsChecked) checkSameCdk8s(this, typeName);
    markYamlDocumentStartsOnSynth(this);
    this.checkedAs = typeName;
    // Plain JavaScript (and the other jsii languages) can pass anything: what the rest reads must have its shape.
    if (!this.propsChecked) this.check.run((check) => {
      if (!check.object('props', props ?? {})) return;
      const strategy = props.strategy;
      if (check.instance('strategy', strategy, RolloutStrategy, 'RolloutStrategy.canary({...}) or RolloutStrategy.blueGreen({...})')) {
        // `RolloutStrategy.canary(null)` from plain JavaScript: the options are read everywhere below.
        check.object('strategy options', strategy.canaryOptions !== undefined ? strategy.canaryOptions : strategy.blueGreenOptions);
        const o = strategy.canaryOptions ?? {};
        check.array('strategy.steps', o.steps);
        check.array('strategy.routers', o.routers);
      }
    });
    this.props = props;
    this.strategy = props.strategy ?? RolloutStrategy.canary();
    this.replicas = props.replicas;
    this.apiObject = new KubeRollout(this, 'Resource', {
      // Named after this construct's path (not its L1's), as `kubectl get rollouts` users see the construct.
      // (Metadata that names the object is passed as it is: cdk8s copies it into the object's metadata definition, and
      // writes that, not the props' own, so a copy would change nothing.)
      metadata: props.metadata?.name !== undefined ? props.metadata
        : { ...props.metadata, name: Chart.of(this).generateObjectName({ node: this.node, kind: KubeRollout.GVK.kind } as ApiObject) },
      spec: Lazy.any({ produce: () => this._toKube() }) as unknown as RolloutSpec,
    });
    // cdk8s writes an object's dependencies first, in the order they were added; two groups keep what the pods
    // mount (added by subclasses after this constructor) ahead of what the strategy names (added here).
    this.podPrerequisites = new Construct(this, 'PodPrerequisites');
    this.strategyPrerequisites = new Construct(this, 'StrategyPrerequisites');
    this.apiObject.addDependency(this.podPrerequisites, this.strategyPrerequisites);

    const c = this.strategy.canaryOptions;
    const b = this.strategy.blueGreenOptions;
    this.stepList = [...(c?.steps ?? [])];
    this.backgroundAnalysis = c?.analysis;
    this.prePromotionAnalysis = b?.prePromotionAnalysis;
    this.postPromotionAnalysis = b?.postPromotionAnalysis;
    // Every prop before anything is built from them: all problems in one error naming this construct.
    if (!this.propsChecked) this.check.run((check) => {
      check.objectName('metadata.name', props.metadata?.name, 'subdomain');
      check.objectName('metadata.namespace', props.metadata?.namespace, 'namespace');
      if (props.metadata?.labels !== undefined) check.labels('metadata.labels', props.metadata.labels, false);
      if (props.metadata?.annotations !== undefined) check.annotations('metadata.annotations', props.metadata.annotations);
      check.integer('replicas', props.replicas, 0);
      check.integer('revisionHistoryLimit', props.revisionHistoryLimit, 0);
      check.integer('rollbackWindowRevisions', props.rollbackWindowRevisions, 0);
      const history = props.analysisRunHistory;
      if (history !== undefined && check.object('analysisRunHistory', history ?? null)) {
        check.integer('analysisRunHistory.successfulRunHistoryLimit', history.successfulRunHistoryLimit, 0);
        check.integer('analysisRunHistory.unsuccessfulRunHistoryLimit', history.unsuccessfulRunHistoryLimit, 0);
      }
      check.seconds('minReady', props.minReady);
      check.seconds('progressDeadline', props.progressDeadline);
      check.boolean('progressDeadlineAbort', props.progressDeadlineAbort);
      if (check.array('servicePorts', props.servicePorts)) {
        props.servicePorts.forEach((sp, i) => {
          if (check.object(`servicePorts[${i}]`, sp ?? null)) check.integer(`servicePorts[${i}].port`, sp.port, 1, 65535);
        });
      }
      (Array.isArray(props.containers) ? props.containers : []).forEach((ct, i) => checkContainerImage(check, `containers[${i}]`, ct));
      this.strategy._check(check, this.strategyContext());
    });

    if (c) {
      const routers = c.routers ?? [];
      if (c.pingPong) {
        this.pingService = this.addStrategyService('PingService', 'pingPong.pingServiceName', c.pingPong.pingServiceName ?? `${this.name}-ping`);
        this.pongService = this.addStrategyService('PongService', 'pingPong.pongServiceName', c.pingPong.pongServiceName ?? `${this.name}-pong`);
      } else if (c.services ?? routers.length > 0) {
        this.canaryService = this.addStrategyService('CanaryService', 'canaryServiceName', c.canaryServiceName ?? `${this.name}-canary`);
        this.stableService = this.addStrategyService('StableService', 'stableServiceName', c.stableServiceName ?? `${this.name}-stable`);
      }
      const nginx = routers.find((r) => r.needsIngress);
      if (nginx && this.stableService) this.stableIngress = this.createStableIngress(nginx._options as any, this.stableService);
    }
    if (b) {
      this.activeService = this.addStrategyService('ActiveService', 'activeServiceName', b.activeServiceName ?? `${this.name}-active`);
      if (b.previewService ?? true) {
        this.previewService = this.addStrategyService('PreviewService', 'previewServiceName', b.previewServiceName ?? `${this.name}-preview`);
      }
    }
    // In this order: steps, then the analyses (plain loops: most Rollouts have no dependency at all here).
    const prerequisites = this.strategyPrerequisites.node;
    for (let i = 0; i < this.stepList.length; i++) addDependencies(prerequisites, this.stepList[i]._dependencies());
    if (this.backgroundAnalysis) addDependencies(prerequisites, this.backgroundAnalysis._dependencies());
    if (this.prePromotionAnalysis) addDependencies(prerequisites, this.prePromotionAnalysis._dependencies());
    if (this.postPromotionAnalysis) addDependencies(prerequisites, this.postPromotionAnalysis._dependencies());
    // Names of objects that are not in the chart (a ClusterAnalysisTemplate of the platform team, an Ingress of
    // another app) are applied by other means; the presets, which create everything they name, stay strict.
    registerOwner(this, typeName, this.allowsExternalReferences());
  }

  /**
   * The checker of this Rollout's props and additions, made when first used: a preset's props were checked by the
   * preset, so most Rollouts never need one after construction.
   */
  private get check(): PropsChecker {
    return this.checker ??= new PropsChecker(this.checkedAs!, this);
  }

  /** The steps of a canary, including those added by `addStep()`. */
  public get canarySteps(): RolloutStep[] {
    return [...this.stepList];
  }

  /** Appends steps to a canary's `steps`. */
  public addStep(...steps: RolloutStep[]): void {
    this.requireStrategy(RolloutStrategyKind.CANARY, 'addStep');
    for (const step of steps) {
      this.check.run((check) => {
        if (check.instance(`steps[${this.stepList.length}]`, step ?? null, RolloutStep, 'a RolloutStep, such as RolloutStep.weight(20)')) {
          step._check(check, this.stepList.length);
        }
      });
      this.stepList.push(step);
      for (const dep of step._dependencies()) this.strategyPrerequisites.node.addDependency(dep);
    }
  }

  /** Adds templates (and arguments) to a canary's background `analysis`. */
  public addBackgroundAnalysis(analysis: RolloutAnalysis): void {
    this.requireStrategy(RolloutStrategyKind.CANARY, 'addBackgroundAnalysis');
    this.backgroundAnalysis = this.merge('analysis', this.backgroundAnalysis, analysis);
  }

  /** Adds templates (and arguments) to a blue/green update's `prePromotionAnalysis`. */
  public addPrePromotionAnalysis(analysis: RolloutAnalysis): void {
    this.requireStrategy(RolloutStrategyKind.BLUE_GREEN, 'addPrePromotionAnalysis');
    this.prePromotionAnalysis = this.merge('prePromotionAnalysis', this.prePromotionAnalysis, analysis);
  }

  /** Adds templates (and arguments) to a blue/green update's `postPromotionAnalysis`. */
  public addPostPromotionAnalysis(analysis: RolloutAnalysis): void {
    this.requireStrategy(RolloutStrategyKind.BLUE_GREEN, 'addPostPromotionAnalysis');
    this.postPromotionAnalysis = this.merge('postPromotionAnalysis', this.postPromotionAnalysis, analysis);
  }

  /**
   * A Service in front of all the Rollout's pods (both versions during an update), like `kubectl expose`.
   * @param options the Service's name, type and ports (default: every container port)
   */
  public exposeViaService(options: kplus.DeploymentExposeViaServiceOptions = {}): kplus.Service {
    const ports = options.ports ?? this.containerServicePorts();
    this.check.run((check) => {
      if (ports.length === 0) check.fail('exposeViaService ports', [], 'give ports, or give a container a port');
      if (ports.length > 1 && ports.some((p) => p.name === undefined)) {
        check.fail('exposeViaService ports', ports.map((p) => p.port), 'with more than one port, every port needs a name');
      }
    });
    return this.createService(`${options.name ?? ''}Service`, options.name, ports, options.serviceType).svc;
  }

  /**
   * An Ingress to a Service in front of all the Rollout's pods (see `exposeViaService`).
   * @param path the path the Ingress routes
   */
  public exposeViaIngress(path: string, options: kplus.ExposeDeploymentViaIngressOptions = {}): kplus.Ingress {
    return this.exposeViaService(options).exposeViaIngress(path, options);
  }

  /**
   * Adds a volume to the pod (cdk8s-plus' `addVolume`). In TypeScript it may be of any cdk8s-plus major.
   * @param volume the volume, such as `kplus.Volume.fromConfigMap(chart, 'conf', configMap)`
   */
  public addVolume(volume: kplus.Volume): void {
    // cdk8s-plus' constructor adds `props.volumes` here, before `check` exists: checkedPodProps has checked those.
    if (this.checkedAs !== undefined) this.check.run((check) => checkPodVolume(check, `volumes[${this.volumes.length}]`, volume ?? null));
    super.addVolume(volume);
  }

  /**
   * Adds a container to the pod (cdk8s-plus' `addContainer`). In TypeScript its env sources, mounts, probes and
   * handlers may be of any cdk8s-plus major.
   * @param container the container's props
   */
  public addContainer(container: kplus.ContainerProps): kplus.Container {
    if (this.checkedAs !== undefined) this.check.run((check) => checkAddedContainer(check, `containers[${this.containers.length}]`, container));
    return super.addContainer(container);
  }

  /**
   * Adds an init container to the pod (cdk8s-plus' `addInitContainer`). In TypeScript its env sources, mounts,
   * probes and handlers may be of any cdk8s-plus major.
   * @param container the container's props
   */
  public addInitContainer(container: kplus.ContainerProps): kplus.Container {
    if (this.checkedAs !== undefined) this.check.run((check) => checkAddedContainer(check, `initContainers[${this.initContainers.length}]`, container));
    return super.addInitContainer(container);
  }

  /** @see kplus.IScalable.markHasAutoscaler */
  public markHasAutoscaler(): void {
    this.hasAutoscaler = true;
  }

  /** @see kplus.IScalable.toScalingTarget */
  public toScalingTarget(): kplus.ScalingTarget {
    return {
      kind: this.apiObject.kind,
      apiVersion: this.apiObject.apiVersion,
      name: this.name,
      containers: this.containers,
      replicas: this.replicas,
    };
  }

  /** @internal the Rollout's spec, rendered at synth */
  public _toKube(): RolloutSpec {
    const p = this.props;
    const revisions = p.rollbackWindowRevisions;
    return {
      replicas: this.hasAutoscaler ? undefined : (this.replicas ?? 1),
      revisionHistoryLimit: p.revisionHistoryLimit,
      minReadySeconds: p.minReady?.toSeconds({ integral: false }),
      progressDeadlineSeconds: p.progressDeadline?.toSeconds({ integral: false }),
      progressDeadlineAbort: p.progressDeadlineAbort,
      rollbackWindow: revisions === undefined ? undefined : { revisions },
      analysis: analysisRunHistoryJson(p.analysisRunHistory),
      selector: this._toLabelSelector() as any,
      template: this._toPodTemplate(),
      strategy: this.strategy._toKube(this.strategyContext()),
    };
  }

  /** @internal the pod template; presets that write their own containers render it themselves */
  public _toPodTemplate(): any {
    const spec = this._toPodSpec();
    // The Rollout CRD types `volumes` and container `resources` loosely (`any`), so its L1 passes them through
    // unconverted: they must already be JSON, where cdk8s-plus hands out its typed (TypeScript-named) objects.
    return {
      metadata: this.podMetadata.toJson(),
      spec: {
        ...spec,
        containers: spec.containers.map(containerJson),
        initContainers: spec.initContainers?.map(containerJson),
        volumes: spec.volumes?.map((v) => kplus.k8s.toJson_Volume(v)),
      },
    };
  }

  /** Whether objects this Rollout names may live outside the chart (the presets create all they name, and say no). */
  protected allowsExternalReferences(): boolean {
    return true;
  }

  /**
   * Selects pods by more labels; the Services of the strategy select them too (the controller adds the pod template
   * hash to those).
   */
  public select(...selectors: kplus.LabelSelector[]): void {
    super.select(...selectors);
    // Called by the base constructor before this class' fields exist.
    const services = this.strategyServices;
    if (services === undefined || services.length === 0) return;
    const labels = this.matchLabels;
    const keys = Object.keys(labels);
    for (const svc of services) for (const key of keys) svc.selectLabel(key, labels[key]);
  }

  /**
   * Makes `construct` (a cdk8s-plus construct or an ApiObject) come before the Rollout in the output, ahead of the
   * strategy's Services: for what the pods mount, such as a ConfigMap.
   */
  protected applyBeforeRollout(construct: IConstruct): void {
    this.podPrerequisites.node.addDependency(construct instanceof ApiObject ? construct : ApiObject.of(construct));
  }

  private strategyContext(): StrategyContext {
    return {
      rolloutName: this.name,
      namespace: this.metadata.namespace,
      steps: this.stepList,
      analysis: this.backgroundAnalysis,
      prePromotionAnalysis: this.prePromotionAnalysis,
      postPromotionAnalysis: this.postPromotionAnalysis,
      canaryService: this.canaryService?.name,
      stableService: this.stableService?.name,
      pingService: this.pingService?.name,
      pongService: this.pongService?.name,
      activeService: this.activeService?.name,
      previewService: this.previewService?.name,
      createdIngress: this.stableIngress?.name,
    };
  }

  private requireStrategy(kind: RolloutStrategyKind, method: string): void {
    this.check.run((check) => {
      if (this.strategy.kind !== kind) check.fail(method, this.strategy.kind, `it needs a ${kind} strategy`);
    });
  }

  private merge(prop: string, current: RolloutAnalysis | undefined, added: RolloutAnalysis): RolloutAnalysis {
    let merged: RolloutAnalysis = added;
    this.check.run((check) => {
      try {
        merged = current ? current._merge(added) : added;
      } catch (e) {
        check.fail(prop, added.args.map((a) => a.name), (e as Error).message);
        return;
      }
      merged._check(check, prop);
    });
    for (const dep of added._dependencies()) this.strategyPrerequisites.node.addDependency(dep);
    return merged;
  }

  private containerServicePorts(): kplus.ServicePort[] {
    return kplus.extractContainerPorts(this).map((p) => ({ port: p.number, targetPort: p.number, protocol: p.protocol, name: p.name }));
  }

  /**
   * A Service the strategy names, written before the Rollout: the controller looks these up when it reconciles the
   * Rollout and reports it Degraded while one is missing.
   */
  private addStrategyService(id: string, prop: string, name: string): kplus.Service {
    const ports = this.props.servicePorts ?? this.containerServicePorts();
    if (!this.propsChecked) this.check.run((check) => {
      check.objectName(prop, name, 'service');
      if (ports.length === 0) {
        check.fail('servicePorts', [], `the ${this.strategy.kind} Services need a port: give servicePorts, or a container with a port in containers`);
      }
    });
    // (Made while this constructor runs, under ids of their own: no Service can have taken the id yet.)
    const { svc, apiObject } = this.createService(id, name, ports, kplus.ServiceType.CLUSTER_IP, false);
    this.strategyServices.push(svc);
    this.strategyPrerequisites.node.addDependency(apiObject);
    return svc;
  }

  /** A Service selecting the pods, and its ApiObject (looked up once: `ApiObject.of` searches the children by id). */
  private createService(id: string, name: string | undefined, ports: kplus.ServicePort[], type?: kplus.ServiceType, mayBeTaken = true): { svc: kplus.Service; apiObject: ApiObject } {
    if (mayBeTaken && this.node.tryFindChild(id)) {
      this.check.run((check) => check.fail('Service name', name ?? id, 'a Service of this name is already defined on this Rollout'));
    }
    const namespace = this.metadata.namespace;
    const svc = new kplus.Service(this, id, {
      // Keys must be absent, not undefined: cdk8s spreads them over the name it generates.
      metadata: name === undefined ? (namespace === undefined ? {} : { namespace }) : (namespace === undefined ? { name } : { name, namespace }),
      ports,
      type: type ?? kplus.ServiceType.CLUSTER_IP,
    });
    // The Service selects the pods by the Rollout's own selector; the controller adds the pod template hash.
    const labels = this.matchLabels;
    for (const key of Object.keys(labels)) svc.selectLabel(key, labels[key]);
    // cdk8s-plus writes an empty externalIPs list; the API server drops it, so a GitOps diff would never settle.
    const apiObject = apiObjectOf(svc);
    apiObject.addJsonPatch(REMOVE_EXTERNAL_IPS);
    return { svc, apiObject };
  }

  private createStableIngress(o: { host?: string; path?: string; ingressClassName?: string }, stable: kplus.Service): kplus.k8s.KubeIngress {
    const port = this.props.servicePorts?.[0]?.port ?? this.containerServicePorts()[0]?.port;
    const ingress = new kplus.k8s.KubeIngress(this, 'Ingress', {
      metadata: definedOnly({ name: this.name, namespace: this.metadata.namespace }),
      spec: {
        ingressClassName: o.ingressClassName ?? TrafficRouterKind.NGINX,
        rules: [{
          host: o.host,
          http: {
            paths: [{
              path: o.path ?? '/',
              pathType: 'Prefix',
              backend: { service: { name: stable.name, port: { number: port } } },
            }],
          },
        }],
      },
    });
    this.strategyPrerequisites.node.addDependency(ingress);
    return ingress;
  }
}

/** Adds each of `deps` to `node`'s dependencies, in order (an indexed loop: most lists are empty). */
function addDependencies(node: Node, deps: readonly ApiObject[]): void {
  for (let i = 0; i < deps.length; i++) node.addDependency(deps[i]);
}

/**
 * The ApiObject of a cdk8s-plus resource (`ApiObject.of`): its `apiObject`, which cdk8s-plus makes as its default child
 * `Resource`, read directly (`ApiObject.of` looks the child up by id twice, sanitizing each id with a regex); any
 * resource without one is left to `ApiObject.of`.
 * @internal
 */
export function apiObjectOf(resource: IConstruct): ApiObject {
  const own = (resource as { apiObject?: unknown }).apiObject;
  return own instanceof ApiObject && own.node.scope === resource && own.node.id === 'Resource' ? own : ApiObject.of(resource);
}

/**
 * The patch that drops a Service's empty `externalIPs`: one for all Services. A `JsonPatch` holds its operation and
 * nothing else, and cdk8s applies a deep copy of each operation (`JsonPatch.apply`), so a shared one is never changed.
 */
const REMOVE_EXTERNAL_IPS = JsonPatch.remove('/spec/externalIPs');

/** `spec.analysis`, or nothing when no limit is given (an empty object would only be noise in the manifest). */
function analysisRunHistoryJson(h: AnalysisRunHistory | undefined): RolloutSpec['analysis'] {
  if (h === undefined || (h.successfulRunHistoryLimit === undefined && h.unsuccessfulRunHistoryLimit === undefined)) return undefined;
  return { successfulRunHistoryLimit: h.successfulRunHistoryLimit, unsuccessfulRunHistoryLimit: h.unsuccessfulRunHistoryLimit };
}

/**
 * TypeScript signatures of the pod methods `Rollout` inherits from cdk8s-plus-27, for the app's own cdk8s-plus
 * objects of any major (see pod-props.ts): declaration merging adds them to the class as overloads. jsii requires an
 * override to keep the inherited parameter types (JSII5006), so the other languages keep cdk8s-plus-27's signatures
 * and classes, which they pass anyway; each member is `@jsii ignore`d. cdk8s-plus-27's implementations only call what
 * the structural types declare (`name`, `asVolume()`, `_toKube()`), and `Rollout` checks the shapes at run time.
 */
export interface Rollout {
  /**
   * Adds a volume of any cdk8s-plus major to the pod.
   * @jsii ignore TypeScript only: the other languages call cdk8s-plus-27's `addVolume(Volume)`
   */
  addVolume(volume: IPodVolume): void;
  /**
   * Adds a container (whose env sources, mounts and probes may be of any cdk8s-plus major) to the pod.
   * @jsii ignore TypeScript only: the other languages call cdk8s-plus-27's `addContainer(ContainerProps)`
   */
  addContainer(container: RolloutContainerProps): RolloutContainer;
  /**
   * Adds an init container (whose env sources, mounts and probes may be of any cdk8s-plus major) to the pod.
   * @jsii ignore TypeScript only: the other languages call cdk8s-plus-27's `addInitContainer(ContainerProps)`
   */
  addInitContainer(container: RolloutContainerProps): RolloutContainer;
  /**
   * The pod's scheduling: node affinity, pod (anti-)affinity, tolerations, spread; its methods take the nodes,
   * queries and pod selectors of any cdk8s-plus major.
   * @jsii ignore TypeScript only: the other languages see cdk8s-plus-27's `WorkloadScheduling`
   */
  readonly scheduling: RolloutScheduling;
  /**
   * Selects pods by more labels (`kplus.LabelSelector.of(...)` of any cdk8s-plus major).
   * @jsii ignore TypeScript only: the other languages pass cdk8s-plus-27's `LabelSelector`
   */
  select(...selectors: PodQueryRef[]): void;
  /**
   * The containers of the pod.
   * @jsii ignore TypeScript only: the other languages see cdk8s-plus-27's `containers`
   */
  get containers(): RolloutContainer[];
  /**
   * The Rollout as the target of the app's own cdk8s-plus `HorizontalPodAutoscaler`, of any major (`IScalable`).
   * @jsii ignore TypeScript only: the other languages see cdk8s-plus-27's `IScalable.toScalingTarget`
   */
  toScalingTarget(): RolloutScalingTarget;
  /**
   * The Rollout's pods as a pod selector of the app's own cdk8s-plus major (`IPodSelector`): the `selector` of its
   * `Service` or `NetworkPolicy`, or a `colocate()`/`separate()` of its `Deployment`.
   * @jsii ignore TypeScript only: the other languages see cdk8s-plus-27's `IPodSelector.toPodSelectorConfig`
   */
  toPodSelectorConfig(): RolloutPodSelectorConfig;
}

/**
 * The Rollout's pods as cdk8s-plus' `PodSelectorConfig` of any major.
 * @jsii ignore TypeScript only: the other languages see cdk8s-plus-27's `PodSelectorConfig`
 */
export interface RolloutPodSelectorConfig {
  /**
   * The pods' cdk8s-plus-27 `LabelSelector`. Typed `any`: each major's `LabelSelector` class is a distinct type, and
   * cdk8s-plus 27 to 33 only render it (`_toKube()`).
   */
  readonly labelSelector: any;
  /** The pods' namespaces (cdk8s-plus' `NamespaceSelectorConfig`). */
  readonly namespaces?: {
    /** The namespaces' label selector (cdk8s-plus-27 `LabelSelector`; cdk8s-plus reads `isEmpty()` and `_toKube()`). */
    readonly labelSelector?: any;
    /** The namespaces' names. */
    readonly names?: string[];
  };
}

/**
 * What a cdk8s-plus `HorizontalPodAutoscaler` of any major reads of its target (cdk8s-plus' `ScalingTarget`).
 * @jsii ignore TypeScript only: the other languages see cdk8s-plus-27's `ScalingTarget`
 */
export interface RolloutScalingTarget {
  /** The target's kind: `Rollout`. */
  readonly kind: string;
  /** The target's API version: `argoproj.io/v1alpha1`. */
  readonly apiVersion: string;
  /** The Rollout's name. */
  readonly name: string;
  /**
   * The pod's containers (cdk8s-plus-27 `Container`s). Typed `any`: each major's `Container` class is a distinct type,
   * and the autoscalers of cdk8s-plus 27 to 33 read only their `resources` (to require requests or limits).
   */
  readonly containers: any[];
  /** The replicas given in props (the autoscaler refuses a target with fixed replicas). */
  readonly replicas?: number;
}

/**
 * A cdk8s-plus-27 `Container` of a Rollout, as TypeScript sees it: `mount()` also takes storage of the app's own
 * cdk8s-plus major (cdk8s-plus-27's `mount` calls only `asVolume()` on it).
 * @jsii ignore TypeScript only: the other languages mount cdk8s-plus-27 storage
 */
export interface RolloutContainer extends kplus.Container {
  /** Mounts storage of any cdk8s-plus major at `path` (cdk8s-plus' `Container.mount`). */
  mount(path: string, storage: kplus.IStorage | IPodStorage, options?: kplus.MountOptions): void;
}

/**
 * The props cdk8s-plus' `Workload` and `AbstractPod` constructors read in `super()`, before this class can check
 * anything, checked for the shape they need. From plain JavaScript (and the other jsii languages) `volumes: 'v'` was
 * a TypeError naming nothing (`props.volumes.forEach is not a function`), and `securityContext: 'x'` or
 * `serviceAccount: 'sa'` were dropped without a word. The pod props take cdk8s-plus objects of any major by their
 * shape (pod-props.ts), so a wrong object (a ConfigMap where a Volume goes) is caught here: cdk8s-plus-27 would only
 * fail at synth, with `vol._toKube is not a function`. The messages name the construct by the path it is about to
 * take. Returns the props as cdk8s-plus-27's `Workload` takes them: it calls only what the shapes checked here have.
 */
function checkedPodProps(typeName: string, scope: Construct, id: string, props: RolloutProps): kplus.WorkloadProps {
  if (props !== undefined && props === presetChecked) {
    // A preset's props (see `presetCheckedProps`) hold what its own validation checked, and two objects it passes on
    // as given: only those are checked here (the preset's own validation has no rule for them).
    const { serviceAccount, dockerRegistryAuth } = props;
    if (serviceAccount !== undefined || dockerRegistryAuth !== undefined) {
      new PropsChecker(typeName, futureConstruct(scope, id)).run((check) => {
        check.object('serviceAccount', serviceAccount);
        check.object('dockerRegistryAuth', dockerRegistryAuth);
      });
    }
    return props as kplus.WorkloadProps;
  }
  new PropsChecker(typeName, futureConstruct(scope, id)).run((check) => {
    if (!check.object('props', props ?? null)) return;
    const p = props as Record<string, unknown>;
    for (const k of ['containers', 'initContainers', 'volumes', 'hostAliases']) {
      const list = p[k];
      if (check.array(k, list)) list.forEach((x, i) => check.object(`${k}[${i}]`, x ?? null));
    }
    for (const k of ['podMetadata', 'securityContext', 'dns', 'serviceAccount', 'dockerRegistryAuth']) check.object(k, p[k]);
    for (const k of ['select', 'spread', 'automountServiceAccountToken', 'isolate', 'hostNetwork']) check.boolean(k, p[k]);
    const grace = p.terminationGracePeriod as { toSeconds?: unknown } | undefined;
    if (grace !== undefined && typeof grace?.toSeconds !== 'function') {
      check.fail('terminationGracePeriod', grace, 'it must be a Duration, such as Duration.seconds(30)');
    }
    // (An element that is no object at all was reported above.)
    if (Array.isArray(p.volumes)) p.volumes.forEach((v, i) => typeof v === 'object' && v !== null && checkPodVolume(check, `volumes[${i}]`, v));
    for (const k of ['containers', 'initContainers']) {
      const list = p[k];
      if (Array.isArray(list)) list.forEach((c, i) => checkPodContainer(check, `${k}[${i}]`, c));
    }
  });
  return props as kplus.WorkloadProps;
}

/**
 * A container added after construction, checked as `checkedPodProps` checks those in props: from plain JavaScript,
 * `addContainer({ image: 'x', readiness: '/healthz' })` was a TypeError at synth naming nothing.
 */
function checkAddedContainer(check: PropsChecker, prop: string, container: unknown): void {
  const c = container ?? null;
  if (!check.object(prop, c)) return;
  checkContainerImage(check, prop, c);
  checkPodContainer(check, prop, c);
}

/** cdk8s-plus writes a container's image as given: `image: 5` would reach the API server. */
function checkContainerImage(check: PropsChecker, prop: string, container: unknown): void {
  const image = (container as { image?: unknown } | null | undefined)?.image;
  if (image === undefined) check.fail(`${prop}.image`, undefined, 'it must be a string');
  else check.string(`${prop}.image`, image, { nonEmpty: true });
}

const VOLUME_HINT = "a cdk8s-plus Volume, such as kplus.Volume.fromConfigMap(chart, 'conf', configMap)";

/** Whether `value` has a method `name` (what cdk8s-plus calls on the objects pod-props.ts types by their shape). */
function hasMethod(value: unknown, name: string): boolean {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[name] === 'function';
}

/** A pod volume of any cdk8s-plus major: cdk8s-plus-27 keys it by `name` and renders it with `_toKube()`. */
function checkPodVolume(check: PropsChecker, prop: string, volume: unknown): void {
  if (!hasMethod(volume, '_toKube') || !hasMethod(volume, 'asVolume') || typeof (volume as { name?: unknown }).name !== 'string') {
    check.fail(prop, volume, `it must be ${VOLUME_HINT}`);
  }
}

/**
 * A container's props whose values cdk8s-plus-27 calls when it renders the container (`_toKube()` of each env source,
 * probe and handler, `asVolume()` of each mounted volume), checked for those methods.
 */
function checkPodContainer(check: PropsChecker, prop: string, container: unknown): void {
  if (typeof container !== 'object' || container === null) return; // reported as not an object
  const c = container as Record<string, unknown>;
  if (check.array(`${prop}.envFrom`, c.envFrom)) {
    c.envFrom.forEach((e, i) => {
      if (!hasMethod(e, '_toKube')) {
        check.fail(`${prop}.envFrom[${i}]`, e, 'it must be a cdk8s-plus EnvFrom: kplus.Env.fromConfigMap(configMap) or kplus.Env.fromSecret(secret)');
      }
    });
  }
  if (check.array(`${prop}.volumeMounts`, c.volumeMounts)) {
    c.volumeMounts.forEach((mount, i) => {
      const m = mount ?? null;
      if (!check.object(`${prop}.volumeMounts[${i}]`, m)) return;
      check.string(`${prop}.volumeMounts[${i}].path`, m.path, { nonEmpty: true });
      checkPodVolume(check, `${prop}.volumeMounts[${i}].volume`, m.volume);
    });
  }
  for (const k of ['readiness', 'liveness', 'startup']) {
    if (c[k] !== undefined && !hasMethod(c[k], '_toKube')) {
      check.fail(`${prop}.${k}`, c[k], "it must be a cdk8s-plus Probe, such as kplus.Probe.fromHttpGet('/healthz')");
    }
  }
  if (check.object(`${prop}.lifecycle`, c.lifecycle)) {
    for (const k of ['postStart', 'preStop']) {
      const handler = c.lifecycle[k];
      if (handler !== undefined && !hasMethod(handler, '_toKube')) {
        check.fail(`${prop}.lifecycle.${k}`, handler, "it must be a cdk8s-plus Handler, such as kplus.Handler.fromCommand(['sleep', '5'])");
      }
    }
  }
}

/**
 * The props object a preset is passing to this class' constructor, made from props its own validation has checked: a
 * check of every prop the preset passes on (names, counts, durations, the strategy it builds) with the same rule or a
 * stricter one, in one error naming the same construct by the preset's type name. The base class then does not check
 * them again. Held from the preset's `super(...)` call until the base constructor reads it: by identity, so it only
 * ever matches that one fresh object (a module variable rather than a WeakSet: no hash per Rollout).
 */
let presetChecked: object | undefined;

/**
 * Marks `props` as made by a preset from props it has checked, for the `Rollout` constructor it is passed to
 * (internal: lib/rollout/index.ts does not export it, so only the presets of this package can skip the checks).
 */
export function presetCheckedProps<T extends RolloutProps>(props: T): T {
  presetChecked = props;
  return props;
}

/** The object without its undefined fields (internal: lib/rollout/index.ts does not export it). */
export function definedOnly<T extends object>(o: T): T {
  // A loop, not fromEntries(entries().filter()): three arrays per call, three calls per Rollout.
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const v = (o as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

/** What a Rollout's `_matcher` holds until the address label's value is first read (see `deferAddressLabel`). */
const ADDRESS_LABEL_DEFERRED = Symbol('cdk8s-plus address label, computed when first read');
/** `Names.toLabelValue` as it was before `deferAddressLabel` answered its next call. */
let toLabelValue: typeof Names.toLabelValue | undefined;
/** Whether cdk8s-plus' `Workload` lets the address label wait (read once from its source: see `deferAddressLabel`). */
let addressLabelDeferrable: boolean | undefined;

/**
 * cdk8s-plus-27's `Workload` constructor computes its pods' address label value, `this._matcher =
 * Names.toLabelValue(this)` (the path's components and cdk8s' hash of the path: the constructs address, a SHA-1 of
 * every id, about a tenth of a preset's construction), whether it selects its pods by that label or not. With `select:
 * false` (the presets) the value is read only when the pod metadata is made (the `podMetadata` getter adds the label)
 * or when the pods are selected by it (`toPodSelectorConfig`), which most Rollouts never do. So for the one call
 * `super()` makes, `Names.toLabelValue` answers a marker, and `_matcher`, an accessor of `Rollout.prototype`, computes
 * the same value (the path cannot change) with cdk8s' function when it is first read.
 *
 * Only when the Workload's source assigns `_matcher` so (a declared class field would hide the accessor); with another
 * copy of cdk8s under cdk8s-plus, the marker is never answered and the value is computed as before. Returns whether
 * `Names.toLabelValue` is replaced (until `restoreToLabelValue`, called however `super()` ends).
 */
function deferAddressLabel(): boolean {
  if (addressLabelDeferrable === undefined) {
    const source = String(kplus.Workload);
    addressLabelDeferrable = /\bthis\._matcher = [\w$]+\.Names\.toLabelValue\(this\);/.test(source) && !/^\s*_matcher\s*[;=]/m.test(source);
    if (addressLabelDeferrable) {
      Object.defineProperty(Rollout.prototype, '_matcher', {
        configurable: true,
        get(this: { _addressLabel?: unknown }) {
          if (this._addressLabel === ADDRESS_LABEL_DEFERRED) this._addressLabel = Names.toLabelValue(this as unknown as Rollout);
          return this._addressLabel;
        },
        set(this: { _addressLabel?: unknown }, value: unknown) {
          this._addressLabel = value;
        },
      });
    }
  }
  if (!addressLabelDeferrable) return false;
  toLabelValue = Names.toLabelValue;
  Names.toLabelValue = deferredToLabelValue;
  return true;
}

/** `Names.toLabelValue` while a Rollout's `super()` runs: the marker for that Rollout's one call, cdk8s' value otherwise. */
function deferredToLabelValue(scope: IConstruct, options?: NameOptions): string {
  const original = restoreToLabelValue();
  if (options === undefined && scope instanceof Rollout) return ADDRESS_LABEL_DEFERRED as unknown as string;
  return original(scope, options);
}

/** Puts cdk8s' `Names.toLabelValue` back (once: the first of the deferred call and the end of `super()`). */
function restoreToLabelValue(): typeof Names.toLabelValue {
  const original = toLabelValue ?? Names.toLabelValue;
  if (Names.toLabelValue === deferredToLabelValue) Names.toLabelValue = original;
  toLabelValue = undefined;
  return original;
}
