import { ApiObject, Duration } from 'cdk8s';
import { durationSeconds, PropsChecker } from '../props-checker';
import { RolloutSpecStrategyCanaryStepsPauseDuration } from '../../imports/argo-rollouts-argoproj.io';
import { AnalysisArgument, RolloutAnalysis } from './analysis';

/** How a request attribute is matched: exactly, by prefix, or by a regular expression. */
export class StringMatch {
  /** The value equals `value`. */
  public static exact(value: string): StringMatch {
    return new StringMatch('exact', value);
  }

  /** The value starts with `prefix`. */
  public static prefix(prefix: string): StringMatch {
    return new StringMatch('prefix', prefix);
  }

  /** The value matches the regular expression `regex` (the router's dialect). */
  public static regex(regex: string): StringMatch {
    return new StringMatch('regex', regex);
  }

  private constructor(private readonly how: string, private readonly value: string) {}

  /** @internal a StringMatch made by its factories, of a string (`exact: 5` fails the CRD schema) */
  public static _check(check: PropsChecker, prop: string, value: unknown): void {
    if (check.instance(prop, value, StringMatch, 'a StringMatch, such as StringMatch.exact(value)', true)) {
      check.string(`${prop}.${value.how}`, value.value ?? null);
    }
  }

  /** @internal */
  public _toKube(): Record<string, string> {
    return { [this.how]: this.value };
  }
}

/** A header match of a `setHeaderRoute` step: requests whose header `headerName` matches go to the canary. */
export interface HeaderRouteMatch {
  /** The header's name. */
  readonly headerName: string;
  /** How its value is matched. */
  readonly headerValue: StringMatch;
}

/** A match of a `setMirrorRoute` step; every field given must match. */
export interface MirrorRouteMatch {
  /**
   * The HTTP method.
   * @default - any method
   */
  readonly method?: StringMatch;
  /**
   * The request path.
   * @default - any path
   */
  readonly path?: StringMatch;
  /**
   * Headers by name.
   * @default - any headers
   */
  readonly headers?: Record<string, StringMatch>;
}

/** Options of `RolloutStep.mirrorRoute()`. */
export interface MirrorRouteOptions {
  /** Which requests are mirrored (at least one match). */
  readonly matches: MirrorRouteMatch[];
  /**
   * The percentage of the matching requests that are mirrored.
   * @default - not set: the router mirrors all (100)
   */
  readonly percentage?: number;
}

/** Which pod template an experiment's ReplicaSet runs. */
export enum ExperimentSpecRef {
  /** The stable pod template. */
  STABLE = 'stable',
  /** The new (canary) pod template. */
  CANARY = 'canary',
}

/** A ReplicaSet an experiment step runs. */
export interface ExperimentTemplate {
  /** The template's name, unique in the step. */
  readonly name: string;
  /** Which pod template it runs. */
  readonly specRef: ExperimentSpecRef;
  /**
   * How many pods it runs.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * The share of traffic it receives (needs traffic routing through SMI, ALB, Istio or a plugin).
   * @default - no traffic
   */
  readonly weight?: number;
  /**
   * Create a Service for the ReplicaSet (`service: {}`), named after the experiment.
   * @default false
   */
  readonly service?: boolean;
  /**
   * Extra labels of the pods.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Extra annotations of the pods (`metadata.annotations`).
   * @default - none
   */
  readonly annotations?: Record<string, string>;
  /**
   * The name of the Service created for the ReplicaSet (`service.name`); giving it creates the Service.
   * @default - named after the experiment, when `service` is true
   */
  readonly serviceName?: string;
}

/** An analysis an experiment step runs alongside its ReplicaSets. */
export interface ExperimentAnalysis {
  /** The analysis' name in the experiment. */
  readonly name: string;
  /** The AnalysisTemplate it runs. */
  readonly templateName: string;
  /**
   * Whether `templateName` is a ClusterAnalysisTemplate.
   * @default false
   */
  readonly clusterScope?: boolean;
  /**
   * Its arguments.
   * @default - none
   */
  readonly args?: AnalysisArgument[];
  /**
   * The experiment runs until this analysis completes (needed when the experiment has no duration).
   * @default false
   */
  readonly requiredForCompletion?: boolean;
}

/** Options of `RolloutStep.experiment()`. */
export interface ExperimentStepOptions {
  /** The ReplicaSets to run (at least one). */
  readonly templates: ExperimentTemplate[];
  /**
   * How long the experiment runs.
   * @default - until its analyses marked `requiredForCompletion` complete
   */
  readonly duration?: Duration;
  /**
   * Analyses run alongside.
   * @default - none
   */
  readonly analyses?: ExperimentAnalysis[];
  /**
   * Metrics of the analyses whose failures are recorded but do not fail the experiment (`dryRun[].metricName`).
   * @default - none
   */
  readonly dryRunMetrics?: string[];
  /**
   * Labels of the AnalysisRuns the experiment creates (`analysisRunMetadata.labels`).
   * @default - none
   */
  readonly analysisRunLabels?: Record<string, string>;
  /**
   * Annotations of the AnalysisRuns the experiment creates (`analysisRunMetadata.annotations`).
   * @default - none
   */
  readonly analysisRunAnnotations?: Record<string, string>;
  /**
   * How long the experiment's ReplicaSets keep running after it ends (`scaleDownDelaySeconds`).
   * @default - not set: the controller's default (30 seconds)
   */
  readonly scaleDownDelay?: Duration;
}

/** The action of a canary step, as Argo names it. */
export enum RolloutStepAction {
  /** `setWeight` */
  SET_WEIGHT = 'setWeight',
  /** `pause` */
  PAUSE = 'pause',
  /** `analysis` */
  ANALYSIS = 'analysis',
  /** `experiment` */
  EXPERIMENT = 'experiment',
  /** `setCanaryScale` */
  SET_CANARY_SCALE = 'setCanaryScale',
  /** `setHeaderRoute` */
  SET_HEADER_ROUTE = 'setHeaderRoute',
  /** `setMirrorRoute` */
  SET_MIRROR_ROUTE = 'setMirrorRoute',
  /** `plugin` */
  PLUGIN = 'plugin',
}

/**
 * One step of a canary update (`spec.strategy.canary.steps[]`). The factories are named after Argo's step actions
 * without the `set` prefix (`weight` for `setWeight`), so that no language reads them as property setters.
 *
 * ```ts
 * steps: [RolloutStep.weight(20), RolloutStep.pause(Duration.minutes(1)), RolloutStep.weight(80), RolloutStep.pauseUntilPromoted()]
 * ```
 */
export class RolloutStep {
  /**
   * `setWeight`: send `percent` of the traffic to the new version. Without traffic routing the controller approximates
   * it by pod counts.
   * @param percent 0..100, or up to the canary's `maxTrafficWeight`
   */
  public static weight(percent: number): RolloutStep {
    return new RolloutStep(RolloutStepAction.SET_WEIGHT, percent, () => percent);
  }

  /** `pause` for `duration` (whole seconds), then go on. */
  public static pause(duration: Duration): RolloutStep {
    // Not `duration.toSeconds()` here: a plain-JavaScript number or string (no Duration) would throw a TypeError naming
    // nothing; the construct reports it with its path and the step's index.
    const seconds = durationSeconds(duration);
    return new RolloutStep(RolloutStepAction.PAUSE, seconds, () => ({ duration: RolloutSpecStrategyCanaryStepsPauseDuration.fromNumber(seconds!) }), (check, prop) => {
      if (duration === undefined) check.fail(`${prop}.duration`, duration, 'it must be a Duration, such as Duration.seconds(30)');
      else check.seconds(`${prop}.duration`, duration);
    });
  }

  /** `pause: {}`: wait until someone runs `kubectl argo rollouts promote`. */
  public static pauseUntilPromoted(): RolloutStep {
    return new RolloutStep(RolloutStepAction.PAUSE, undefined, () => ({}));
  }

  /** `analysis`: run an analysis and wait for it; a failure aborts the update. Its metrics need a finite count. */
  public static analysis(analysis: RolloutAnalysis): RolloutStep {
    return new RolloutStep(RolloutStepAction.ANALYSIS, undefined, () => analysis._toKube(),
      (check, prop) => analysis._check(check, prop), analysis._dependencies.bind(analysis));
  }

  /** `setCanaryScale.replicas`: run exactly `replicas` canary pods, whatever the weight (needs traffic routing). */
  public static canaryScaleReplicas(replicas: number): RolloutStep {
    return new RolloutStep(RolloutStepAction.SET_CANARY_SCALE, replicas, () => ({ replicas }),
      (check, prop) => check.integer(`${prop}.replicas`, replicas, 0));
  }

  /** `setCanaryScale.weight`: run `percent` of `replicas` as canary pods, whatever the traffic weight. */
  public static canaryScaleWeight(percent: number): RolloutStep {
    return new RolloutStep(RolloutStepAction.SET_CANARY_SCALE, percent, () => ({ weight: percent }),
      (check, prop) => check.integer(`${prop}.weight`, percent, 0, 100));
  }

  /** `setCanaryScale.matchTrafficWeight`: scale the canary with its traffic weight again. */
  public static canaryScaleMatchTrafficWeight(): RolloutStep {
    return new RolloutStep(RolloutStepAction.SET_CANARY_SCALE, undefined, () => ({ matchTrafficWeight: true }));
  }

  /**
   * `setHeaderRoute`: send requests whose headers match to the canary, through the managed route `name` (which the
   * canary's `managedRoutes` must list). Istio, ALB, APISIX or a plugin router only.
   */
  public static headerRoute(name: string, matches: HeaderRouteMatch[]): RolloutStep {
    return new RolloutStep(RolloutStepAction.SET_HEADER_ROUTE, undefined, () => ({
      name,
      match: matches.map((m) => ({ headerName: m.headerName, headerValue: m.headerValue._toKube() })),
    }), (check, prop) => {
      // Plain JavaScript passes anything: what the rendering reads is checked first (it threw TypeErrors naming nothing).
      if (!check.array(`${prop}.match`, matches ?? null)) return;
      if (matches.length === 0) check.fail(`${prop}.match`, [], 'it needs at least one match (removeHeaderRoute removes a route)');
      matches.forEach((m, i) => {
        if (!check.object(`${prop}.match[${i}]`, m ?? null)) return;
        check.string(`${prop}.match[${i}].headerName`, m.headerName ?? null, { nonEmpty: true });
        StringMatch._check(check, `${prop}.match[${i}].headerValue`, m.headerValue);
      });
    }, undefined, name);
  }

  /** `setHeaderRoute` without a match: removes the managed header route `name`. */
  public static removeHeaderRoute(name: string): RolloutStep {
    return new RolloutStep(RolloutStepAction.SET_HEADER_ROUTE, undefined, () => ({ name }), undefined, undefined, name);
  }

  /** `setMirrorRoute`: copy matching requests to the canary through the managed route `name` (Istio or a plugin). */
  public static mirrorRoute(name: string, options: MirrorRouteOptions): RolloutStep {
    return new RolloutStep(RolloutStepAction.SET_MIRROR_ROUTE, options?.percentage, () => ({
      name,
      percentage: options.percentage,
      match: options.matches.map((m) => ({
        method: m.method?._toKube(),
        path: m.path?._toKube(),
        headers: m.headers ? Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, v._toKube()])) : undefined,
      })),
    }), (check, prop) => {
      if (!check.object(`${prop} options`, options ?? null)) return;
      if (!check.array(`${prop}.match`, options.matches ?? null)) return;
      if (options.matches.length === 0) check.fail(`${prop}.match`, [], 'it needs at least one match (removeMirrorRoute removes a route)');
      options.matches.forEach((m, i) => {
        if (!check.object(`${prop}.match[${i}]`, m ?? null)) return;
        if (m.method !== undefined) StringMatch._check(check, `${prop}.match[${i}].method`, m.method);
        if (m.path !== undefined) StringMatch._check(check, `${prop}.match[${i}].path`, m.path);
        if (m.headers !== undefined && check.object(`${prop}.match[${i}].headers`, m.headers)) {
          for (const [k, v] of Object.entries(m.headers)) StringMatch._check(check, `${prop}.match[${i}].headers['${k}']`, v);
        }
      });
      check.integer(`${prop}.percentage`, options.percentage, 0, 100);
    }, undefined, name);
  }

  /** `setMirrorRoute` without a match: removes the managed mirror route `name`. */
  public static removeMirrorRoute(name: string): RolloutStep {
    return new RolloutStep(RolloutStepAction.SET_MIRROR_ROUTE, undefined, () => ({ name }), undefined, undefined, name);
  }

  /** `experiment`: run ReplicaSets of the stable and/or canary template side by side, optionally with analyses. */
  public static experiment(options: ExperimentStepOptions): RolloutStep {
    // Not `toSeconds()` here: plain JavaScript may pass anything, which the construct reports with its path.
    const seconds = durationSeconds(options?.duration);
    return new RolloutStep(RolloutStepAction.EXPERIMENT, undefined, () => ({
      duration: seconds === undefined ? undefined : `${seconds}s`,
      templates: options.templates.map((t) => ({
        name: t.name,
        specRef: t.specRef,
        replicas: t.replicas,
        weight: t.weight,
        service: t.serviceName !== undefined ? { name: t.serviceName } : t.service ? {} : undefined,
        metadata: experimentMetadata(t.labels, t.annotations),
      })),
      analyses: options.analyses?.map((a) => ({
        name: a.name,
        templateName: a.templateName,
        clusterScope: a.clusterScope,
        args: a.args?.length ? a.args.map((x) => x._toKube()) : undefined,
        requiredForCompletion: a.requiredForCompletion,
      })),
      dryRun: options.dryRunMetrics?.length ? options.dryRunMetrics.map((metricName) => ({ metricName })) : undefined,
      analysisRunMetadata: experimentMetadata(options.analysisRunLabels, options.analysisRunAnnotations),
      scaleDownDelaySeconds: options.scaleDownDelay?.toSeconds({ integral: false }),
    }), (check, prop) => {
      if (!check.object(`${prop} options`, options ?? null)) return;
      if (!check.array(`${prop}.templates`, options.templates ?? null)) return;
      check.seconds(`${prop}.scaleDownDelay`, options.scaleDownDelay);
      if (options.templates.length === 0) check.fail(`${prop}.templates`, [], 'it needs at least one template');
      if (!options.templates.every((t, i) => check.object(`${prop}.templates[${i}]`, t ?? null))) return;
      options.templates.forEach((t, i) => {
        check.string(`${prop}.templates[${i}].name`, t.name ?? null, { nonEmpty: true });
        if (!Object.values(ExperimentSpecRef).includes(t.specRef)) {
          check.fail(`${prop}.templates[${i}].specRef`, t.specRef, 'it must be ExperimentSpecRef.STABLE or ExperimentSpecRef.CANARY');
        }
        check.integer(`${prop}.templates[${i}].replicas`, t.replicas, 0);
        check.integer(`${prop}.templates[${i}].weight`, t.weight, 0, 100);
        check.boolean(`${prop}.templates[${i}].service`, t.service);
        if (t.labels !== undefined) check.labels(`${prop}.templates[${i}].labels`, t.labels, false);
        check.objectName(`${prop}.templates[${i}].serviceName`, t.serviceName, 'service');
      });
      if (check.array(`${prop}.analyses`, options.analyses)) {
        options.analyses.forEach((a, i) => {
          if (!check.object(`${prop}.analyses[${i}]`, a ?? null)) return;
          check.string(`${prop}.analyses[${i}].name`, a.name ?? null, { nonEmpty: true });
          check.string(`${prop}.analyses[${i}].templateName`, a.templateName ?? null, { nonEmpty: true });
          check.boolean(`${prop}.analyses[${i}].clusterScope`, a.clusterScope);
          check.boolean(`${prop}.analyses[${i}].requiredForCompletion`, a.requiredForCompletion);
          if (check.array(`${prop}.analyses[${i}].args`, a.args)) {
            a.args.forEach((x, j) => {
              if (check.instance(`${prop}.analyses[${i}].args[${j}]`, x, AnalysisArgument, 'an AnalysisArgument, such as AnalysisArgument.fromValue(name, value)', true)) {
                x._check(check, `${prop}.analyses[${i}].args[${j}]`);
              }
            });
          }
        });
      } else if (options.analyses !== undefined) return;
      if (options.duration !== undefined && seconds === undefined) {
        check.fail(`${prop}.duration`, options.duration, 'it must be a Duration, such as Duration.seconds(30)');
        return;
      }
      const names = options.templates.map((t) => t.name);
      const dup = names.find((n, i) => names.indexOf(n) !== i);
      if (dup !== undefined) check.fail(`${prop}.templates`, names, `template names must be unique ('${dup}' repeats)`);
      if (seconds !== undefined && (!Number.isInteger(seconds) || seconds <= 0)) {
        check.fail(`${prop}.duration`, `${seconds}s`, 'it must be whole seconds, more than 0');
      }
      if (seconds === undefined && !options.analyses?.some((a) => a.requiredForCompletion)) {
        check.fail(`${prop}.duration`, undefined, 'an experiment without a duration needs an analysis with requiredForCompletion, or it never ends');
      }
    });
  }

  /** `plugin`: run a step plugin `name` (registered with the controller) with `config`. */
  public static plugin(name: string, config?: Record<string, any>): RolloutStep {
    return new RolloutStep(RolloutStepAction.PLUGIN, undefined, () => ({ name, config: config === undefined ? undefined : structuredClone(config) }),
      (check, prop) => { if (name.trim() === '') check.fail(`${prop}.name`, name, 'it must name a step plugin'); });
  }

  private constructor(
    /** The step's action. */
    public readonly action: RolloutStepAction,
    /** The number the step carries: the weight, pause seconds, canary scale or mirror percentage. */
    public readonly value: number | undefined,
    private readonly render: () => unknown,
    private readonly checker?: (check: PropsChecker, prop: string) => void,
    private readonly deps?: () => ApiObject[],
    /** The managed route a header or mirror step names. */
    public readonly routeName?: string,
  ) {}

  /** @internal checks what the step shows on its own, naming it `steps[index]` of the construct. */
  public _check(check: PropsChecker, index: number): void {
    const prop = `steps[${index}].${this.action}`;
    if (this.action === RolloutStepAction.SET_WEIGHT) {
      // The upper bound depends on the canary's maxTrafficWeight: the engine's setweight-range rule owns it.
      if (this.value === undefined || !Number.isInteger(this.value) || this.value < 0) check.fail(prop, this.value, 'it must be a whole percent, 0 or more');
    }
    this.checker?.(check, prop);
  }

  /** @internal the objects of this app the step refers to */
  public _dependencies(): ApiObject[] {
    return this.deps?.() ?? [];
  }

  /** @internal */
  public _toKube(): Record<string, any> {
    return { [this.action]: this.render() };
  }
}

/** `{ labels, annotations }` with only the non-empty ones, or undefined when both are empty. */
function experimentMetadata(labels?: Record<string, string>, annotations?: Record<string, string>): Record<string, any> | undefined {
  const out: Record<string, any> = {};
  if (labels && Object.keys(labels).length) out.labels = { ...labels };
  if (annotations && Object.keys(annotations).length) out.annotations = { ...annotations };
  return Object.keys(out).length ? out : undefined;
}
