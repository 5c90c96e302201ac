import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  RolloutSpecStrategy, RolloutSpecStrategyBlueGreenMaxUnavailable, RolloutSpecStrategyCanaryMaxSurge,
  RolloutSpecStrategyCanaryMaxUnavailable,
} from '../../imports/argo-rollouts-argoproj.io';
import { AntiAffinity, checkAntiAffinity } from '../anti-affinity';
import { PropsChecker } from '../props-checker';
import { RolloutAnalysis } from './analysis';
import { RolloutStep } from './step';
import { TrafficRouter, TrafficRouterContext } from './traffic-router';

/** Labels and annotations the controller puts on the pods of one side of an update (`canaryMetadata`, ...). */
export interface ReplicaSetMetadata {
  /**
   * Labels.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Annotations.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

/** The ping and pong Services of a ping-pong canary (ALB only), which replace the canary and stable Services. */
export interface PingPongServices {
  /**
   * The ping Service's name.
   * @default `${name}-ping`
   */
  readonly pingServiceName?: string;
  /**
   * The pong Service's name.
   * @default `${name}-pong`
   */
  readonly pongServiceName?: string;
}

/** Options of `RolloutStrategy.canary()`: Argo's `spec.strategy.canary`, with `Duration` where Argo takes seconds. */
export interface CanaryStrategyOptions {
  /**
   * The steps, in order; `Rollout.addStep()` appends more. No steps makes the update a plain rolling update.
   * @default - no steps
   */
  readonly steps?: RolloutStep[];
  /**
   * How many pods may run above `replicas` during the update (`maxSurge`).
   * @default - not set: the controller uses 25%, rounded up
   */
  readonly maxSurge?: kplus.PercentOrAbsolute;
  /**
   * How many pods may be unavailable during the update (`maxUnavailable`); not 0 together with `maxSurge`.
   * @default - not set: the controller uses 25%, rounded down
   */
  readonly maxUnavailable?: kplus.PercentOrAbsolute;
  /**
   * Analysis that runs in the background for the whole update (`analysis`); a failure aborts the update.
   * @default - no background analysis
   */
  readonly analysis?: RolloutAnalysis;
  /**
   * The step at which the background analysis starts (`analysis.startingStep`).
   * @default - from the first step
   */
  readonly analysisStartingStep?: number;
  /**
   * Keep new pods off the nodes that run old pods (`antiAffinity`).
   * @default - no anti-affinity
   */
  readonly antiAffinity?: AntiAffinity;
  /**
   * Create a canary and a stable Service, which the controller points at each version's pods (`canaryService`,
   * `stableService`). Traffic routing needs them.
   * @default - true with `routers`, false without
   */
  readonly services?: boolean;
  /**
   * The canary Service's name.
   * @default `${name}-canary`
   */
  readonly canaryServiceName?: string;
  /**
   * The stable Service's name.
   * @default `${name}-stable`
   */
  readonly stableServiceName?: string;
  /**
   * Ping-pong Services instead of canary and stable ones (ALB routing only).
   * @default - no ping-pong
   */
  readonly pingPong?: PingPongServices;
  /**
   * Split traffic by these routers (`trafficRouting`) instead of by pod counts.
   * @default - no routing: traffic follows the pod counts
   */
  readonly routers?: TrafficRouter[];
  /**
   * The weight that means "all traffic" (`trafficRouting.maxTrafficWeight`); `RolloutStep.weight()` then ranges up to
   * it. Argo accepts it with NGINX and plugin routers.
   * @default 100
   */
  readonly maxTrafficWeight?: number;
  /**
   * The routes that header and mirror steps add, in the order the router evaluates them (`trafficRouting.managedRoutes`).
   * @default - none
   */
  readonly managedRoutes?: string[];
  /**
   * How long the old pods keep running after the update completes (`scaleDownDelaySeconds`); needs routing.
   * @default - not set: the controller uses 30 seconds with traffic routing
   */
  readonly scaleDownDelay?: Duration;
  /**
   * How many old ReplicaSets may wait for their scale-down delay at a time (`scaleDownDelayRevisionLimit`).
   * @default - not set: no limit
   */
  readonly scaleDownDelayRevisionLimit?: number;
  /**
   * How long the canary pods keep running after an abort (`abortScaleDownDelaySeconds`); 0 keeps them.
   * @default - not set: the controller uses 30 seconds with traffic routing
   */
  readonly abortScaleDownDelay?: Duration;
  /**
   * Scale the stable pods down as traffic moves to the canary (`dynamicStableScale`); needs routing.
   * @default - not set: the stable pods stay at `replicas` until the end
   */
  readonly dynamicStableScale?: boolean;
  /**
   * The fewest pods each ReplicaSet keeps while traffic splits (`minPodsPerReplicaSet`); needs routing.
   * @default - not set: 1
   */
  readonly minPodsPerReplicaSet?: number;
  /**
   * How many of a step's new pods must be available before the step counts as done (`replicaProgressThreshold`):
   * `PercentOrAbsolute.absolute(n)` pods or `PercentOrAbsolute.percent(p)`.
   * @default - not set: all of them
   */
  readonly replicaProgressThreshold?: kplus.PercentOrAbsolute;
  /**
   * Labels and annotations of the canary pods, while they are the canary (`canaryMetadata`).
   * @default - none
   */
  readonly canaryMetadata?: ReplicaSetMetadata;
  /**
   * Labels and annotations of the stable pods (`stableMetadata`).
   * @default - none
   */
  readonly stableMetadata?: ReplicaSetMetadata;
}

/** Options of `RolloutStrategy.blueGreen()`: Argo's `spec.strategy.blueGreen`, with `Duration` where Argo takes seconds. */
export interface BlueGreenStrategyOptions {
  /**
   * The Service that sends production traffic to the active ReplicaSet (`activeService`).
   * @default `${name}-active`
   */
  readonly activeServiceName?: string;
  /**
   * Create a preview Service that reaches the new ReplicaSet before promotion (`previewService`).
   * @default true
   */
  readonly previewService?: boolean;
  /**
   * The preview Service's name.
   * @default `${name}-preview`
   */
  readonly previewServiceName?: string;
  /**
   * Switch the active Service as soon as the new ReplicaSet is ready (`autoPromotionEnabled`); false waits for
   * `kubectl argo rollouts promote`.
   * @default - not set: the controller promotes automatically
   */
  readonly autoPromotionEnabled?: boolean;
  /**
   * With automatic promotion, how long the new ReplicaSet waits before the switch (`autoPromotionSeconds`).
   * @default - not set: promote as soon as the new ReplicaSet is available
   */
  readonly autoPromotionDelay?: Duration;
  /**
   * How long the old ReplicaSet keeps running after the switch (`scaleDownDelaySeconds`).
   * @default - not set: the controller uses 30 seconds
   */
  readonly scaleDownDelay?: Duration;
  /**
   * How many old ReplicaSets may wait for their scale-down delay at a time (`scaleDownDelayRevisionLimit`).
   * @default - not set: no limit
   */
  readonly scaleDownDelayRevisionLimit?: number;
  /**
   * How long the preview pods keep running after an abort (`abortScaleDownDelaySeconds`); 0 keeps them.
   * @default - not set: the controller uses 30 seconds
   */
  readonly abortScaleDownDelay?: Duration;
  /**
   * Analysis of the new pods before the switch (`prePromotionAnalysis`); a failure aborts the update.
   * @default - no pre-promotion analysis
   */
  readonly prePromotionAnalysis?: RolloutAnalysis;
  /**
   * Analysis after the switch, while the old pods still run (`postPromotionAnalysis`); a failure switches back.
   * @default - no post-promotion analysis
   */
  readonly postPromotionAnalysis?: RolloutAnalysis;
  /**
   * How many pods the new ReplicaSet runs until promotion (`previewReplicaCount`).
   * @default - not set: as many as `replicas`
   */
  readonly previewReplicaCount?: number;
  /**
   * Labels and annotations of the pods behind the preview Service (`previewMetadata`).
   * @default - none
   */
  readonly previewMetadata?: ReplicaSetMetadata;
  /**
   * Labels and annotations of the pods behind the active Service (`activeMetadata`).
   * @default - none
   */
  readonly activeMetadata?: ReplicaSetMetadata;
  /**
   * Keep new pods off the nodes that run old pods (`antiAffinity`).
   * @default - no anti-affinity
   */
  readonly antiAffinity?: AntiAffinity;
  /**
   * How many pods may be unavailable while the update runs (`maxUnavailable`).
   * @default - not set
   */
  readonly maxUnavailable?: kplus.PercentOrAbsolute;
}

/** Which update strategy a {@link RolloutStrategy} is. */
export enum RolloutStrategyKind {
  /** `spec.strategy.canary` */
  CANARY = 'canary',
  /** `spec.strategy.blueGreen` */
  BLUE_GREEN = 'blueGreen',
}

/** @internal the parts of the strategy its Rollout owns: the Services it created, and what mutators added */
export interface StrategyContext extends TrafficRouterContext {
  readonly steps: RolloutStep[];
  readonly analysis?: RolloutAnalysis;
  readonly prePromotionAnalysis?: RolloutAnalysis;
  readonly postPromotionAnalysis?: RolloutAnalysis;
  readonly canaryService?: string;
  readonly pingService?: string;
  readonly pongService?: string;
  readonly activeService?: string;
  readonly previewService?: string;
}

/**
 * How a Rollout updates its pods: `RolloutStrategy.canary({...})` or `RolloutStrategy.blueGreen({...})`, with Argo
 * Rollouts' own field names.
 */
export class RolloutStrategy {
  /** A canary update: steps of traffic weight, pauses and analysis, optionally through traffic routers. */
  public static canary(options: CanaryStrategyOptions = {}): RolloutStrategy {
    return new RolloutStrategy(RolloutStrategyKind.CANARY, options, undefined);
  }

  /** A blue/green update: the new ReplicaSet comes up behind the preview Service, then the active Service switches. */
  public static blueGreen(options: BlueGreenStrategyOptions = {}): RolloutStrategy {
    return new RolloutStrategy(RolloutStrategyKind.BLUE_GREEN, undefined, options);
  }

  private constructor(
    /** Which strategy. */
    public readonly kind: RolloutStrategyKind,
    /** The canary options, for a canary. */
    public readonly canaryOptions: CanaryStrategyOptions | undefined,
    /** The blue/green options, for a blue/green update. */
    public readonly blueGreenOptions: BlueGreenStrategyOptions | undefined,
  ) {}

  /** @internal checks what the options show on their own (the engine checks how the fields combine) */
  public _check(check: PropsChecker, ctx: StrategyContext): void {
    const c = this.canaryOptions;
    if (c) {
      // Plain JavaScript (and other jsii languages) can pass anything: value objects must come from their factories.
      ctx.steps.forEach((s, i) => {
        if (check.instance(`steps[${i}]`, s, RolloutStep, 'a RolloutStep, such as RolloutStep.weight(20)') || s === undefined) {
          if (s === undefined) check.fail(`steps[${i}]`, s, 'it must be a RolloutStep, such as RolloutStep.weight(20)');
          else s._check(check, i);
        }
      });
      if (!isAnalysis(check, 'analysis', ctx.analysis)) return;
      check.percentOrAbsolute('maxSurge', c.maxSurge);
      check.percentOrAbsolute('maxUnavailable', c.maxUnavailable);
      check.percentOrAbsolute('replicaProgressThreshold', c.replicaProgressThreshold);
      // A string "false" would be written as a string, which the API server's schema refuses.
      check.boolean('services', c.services);
      check.boolean('dynamicStableScale', c.dynamicStableScale);
      // Any truthy value made ping-pong Services (`pingPong: 'yes'` gave web-ping and web-pong silently).
      check.object('pingPong', c.pingPong);
      checkAntiAffinity(check, c.antiAffinity);
      ctx.analysis?._check(check, 'analysis');
      if (c.analysisStartingStep !== undefined && !ctx.analysis) {
        check.fail('analysisStartingStep', c.analysisStartingStep, 'it needs a background analysis');
      }
      check.integer('analysisStartingStep', c.analysisStartingStep, 0, Math.max(ctx.steps.length - 1, 0));
      check.integer('maxTrafficWeight', c.maxTrafficWeight, 1);
      check.integer('scaleDownDelayRevisionLimit', c.scaleDownDelayRevisionLimit, 0);
      check.integer('minPodsPerReplicaSet', c.minPodsPerReplicaSet, 1);
      check.seconds('scaleDownDelay', c.scaleDownDelay);
      check.seconds('abortScaleDownDelay', c.abortScaleDownDelay);
      checkMetadata(check, 'canaryMetadata', c.canaryMetadata);
      checkMetadata(check, 'stableMetadata', c.stableMetadata);
      if (check.array('managedRoutes', c.managedRoutes)) {
        c.managedRoutes.forEach((r, i) => check.string(`managedRoutes[${i}]`, r ?? null, { nonEmpty: true }));
      }
      const routers = c.routers ?? [];
      if (!routers.every((r, i) => check.instance(`routers[${i}]`, r ?? null, TrafficRouter, 'a TrafficRouter, such as TrafficRouter.nginx()'))) return;
      routers.forEach((r, i) => r._check(check, `routers[${i}]`));
      const keys = routers.map((r) => r.key);
      const dup = keys.find((k, i) => keys.indexOf(k) !== i);
      if (dup !== undefined) check.fail('routers', keys, `each router may be given once ('${dup}' repeats)`);
      const routes = Array.isArray(c.managedRoutes) ? c.managedRoutes : [];
      const dupRoute = routes.find((r, i) => routes.indexOf(r) !== i);
      if (dupRoute !== undefined) check.fail('managedRoutes', routes, `route names must be unique ('${dupRoute}' repeats)`);
      if (c.services === false && routers.length > 0) {
        check.fail('services', false, 'traffic routing needs the canary and stable Services');
      }
    }
    const b = this.blueGreenOptions;
    if (b) {
      check.boolean('autoPromotionEnabled', b.autoPromotionEnabled);
      check.boolean('previewService', b.previewService);
      checkAntiAffinity(check, b.antiAffinity);
      check.seconds('autoPromotionDelay', b.autoPromotionDelay);
      check.seconds('scaleDownDelay', b.scaleDownDelay);
      check.seconds('abortScaleDownDelay', b.abortScaleDownDelay);
      check.integer('previewReplicaCount', b.previewReplicaCount, 0);
      check.integer('scaleDownDelayRevisionLimit', b.scaleDownDelayRevisionLimit, 0);
      check.percentOrAbsolute('maxUnavailable', b.maxUnavailable);
      if (!isAnalysis(check, 'prePromotionAnalysis', ctx.prePromotionAnalysis)) return;
      if (!isAnalysis(check, 'postPromotionAnalysis', ctx.postPromotionAnalysis)) return;
      ctx.prePromotionAnalysis?._check(check, 'prePromotionAnalysis');
      ctx.postPromotionAnalysis?._check(check, 'postPromotionAnalysis');
      checkMetadata(check, 'previewMetadata', b.previewMetadata);
      checkMetadata(check, 'activeMetadata', b.activeMetadata);
    }
  }

  /** @internal */
  public _toKube(ctx: StrategyContext): RolloutSpecStrategy {
    const c = this.canaryOptions;
    if (c) {
      const routers = c.routers ?? [];
      const routing: Record<string, any> = {};
      for (const r of routers) {
        const part = r._toKube(ctx);
        if (part.plugins) routing.plugins = { ...routing.plugins, ...part.plugins };
        else Object.assign(routing, part);
      }
      if (routers.length > 0) {
        if (c.maxTrafficWeight !== undefined) routing.maxTrafficWeight = c.maxTrafficWeight;
        if (c.managedRoutes?.length) routing.managedRoutes = c.managedRoutes.map((name) => ({ name }));
      }
      return {
        canary: {
          canaryService: ctx.canaryService,
          stableService: ctx.stableService,
          pingPong: ctx.pingService && ctx.pongService ? { pingService: ctx.pingService, pongService: ctx.pongService } : undefined,
          steps: ctx.steps.map((s) => s._toKube()),
          maxSurge: intOrPercent(c.maxSurge, RolloutSpecStrategyCanaryMaxSurge),
          maxUnavailable: intOrPercent(c.maxUnavailable, RolloutSpecStrategyCanaryMaxUnavailable),
          analysis: ctx.analysis ? { ...ctx.analysis._toKube(), startingStep: c.analysisStartingStep } : undefined,
          antiAffinity: c.antiAffinity?.toJson() as any,
          trafficRouting: routers.length > 0 ? routing : undefined,
          scaleDownDelaySeconds: seconds(c.scaleDownDelay),
          scaleDownDelayRevisionLimit: c.scaleDownDelayRevisionLimit,
          abortScaleDownDelaySeconds: seconds(c.abortScaleDownDelay),
          dynamicStableScale: c.dynamicStableScale,
          minPodsPerReplicaSet: c.minPodsPerReplicaSet,
          replicaProgressThreshold: progressThreshold(c.replicaProgressThreshold),
          canaryMetadata: metadata(c.canaryMetadata),
          stableMetadata: metadata(c.stableMetadata),
        },
      };
    }
    const b = this.blueGreenOptions!;
    return {
      blueGreen: {
        activeService: ctx.activeService!,
        previewService: ctx.previewService,
        autoPromotionEnabled: b.autoPromotionEnabled,
        autoPromotionSeconds: seconds(b.autoPromotionDelay),
        previewReplicaCount: b.previewReplicaCount,
        scaleDownDelaySeconds: seconds(b.scaleDownDelay),
        scaleDownDelayRevisionLimit: b.scaleDownDelayRevisionLimit,
        abortScaleDownDelaySeconds: seconds(b.abortScaleDownDelay),
        prePromotionAnalysis: ctx.prePromotionAnalysis?._toKube(),
        postPromotionAnalysis: ctx.postPromotionAnalysis?._toKube(),
        previewMetadata: metadata(b.previewMetadata),
        activeMetadata: metadata(b.activeMetadata),
        antiAffinity: b.antiAffinity?.toJson() as any,
        maxUnavailable: intOrPercent(b.maxUnavailable, RolloutSpecStrategyBlueGreenMaxUnavailable),
      },
    };
  }
}

/** Absent, or made by `RolloutAnalysis.templates()`. */
function isAnalysis(check: PropsChecker, prop: string, value: unknown): boolean {
  return value === undefined || check.instance(prop, value, RolloutAnalysis, 'a RolloutAnalysis, from RolloutAnalysis.templates([...])');
}

function seconds(d: Duration | undefined): number | undefined {
  return d?.toSeconds({ integral: false });
}

/** Argo's threshold is a typed pair: `{type: Pod, value: n}` or `{type: Percent, value: p}`. */
function progressThreshold(t: kplus.PercentOrAbsolute | undefined) {
  if (t === undefined) return undefined;
  return typeof t.value === 'number'
    ? { type: 'Pod', value: t.value }
    : { type: 'Percent', value: Number(String(t.value).replace(/%$/, '')) };
}

function metadata(m: ReplicaSetMetadata | undefined) {
  if (!m) return undefined;
  const out: { labels?: Record<string, string>; annotations?: Record<string, string> } = {};
  if (m.labels && Object.keys(m.labels).length) out.labels = { ...m.labels };
  if (m.annotations && Object.keys(m.annotations).length) out.annotations = { ...m.annotations };
  return Object.keys(out).length ? out : undefined;
}

function checkMetadata(check: PropsChecker, prop: string, m: ReplicaSetMetadata | undefined): void {
  if (!check.object(prop, m)) return;
  if (m.labels !== undefined) check.labels(`${prop}.labels`, m.labels, false);
  if (m.annotations !== undefined) check.annotations(`${prop}.annotations`, m.annotations);
}

/** Argo reads any string as a percent ("1" is 1%), so percents go out as "N%" strings and pod counts as numbers. */
export function intOrPercent<T>(
  value: kplus.PercentOrAbsolute | undefined,
  type: { fromNumber(n: number): T; fromString(s: string): T },
): T | undefined {
  if (value === undefined) return undefined;
  return typeof value.value === 'number' ? type.fromNumber(value.value) : type.fromString(String(value.value));
}
