import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PropsChecker } from '../props-checker';

/** Which ReplicaSet's `rollouts-pod-template-hash` an analysis argument receives (`valueFrom.podTemplateHashValue`). */
export enum PodTemplateHash {
  /** The stable (currently serving) ReplicaSet. */
  STABLE = 'Stable',
  /** The newest ReplicaSet: the canary, or the blue/green preview. */
  LATEST = 'Latest',
}

/**
 * An argument the Rollout passes to the AnalysisRuns it starts (`analysis.args[]`): a literal value, a field of the
 * Rollout object (downward API), or a pod template hash the controller fills in when it starts the run.
 */
export class AnalysisArgument {
  /** A literal value. */
  public static fromValue(name: string, value: string): AnalysisArgument {
    return new AnalysisArgument(name, { value });
  }

  /** A field of the Rollout object, e.g. `metadata.name` or `metadata.labels['app']` (`valueFrom.fieldRef`). */
  public static fromFieldPath(name: string, fieldPath: string): AnalysisArgument {
    return new AnalysisArgument(name, { valueFrom: { fieldRef: { fieldPath } } });
  }

  /** The `rollouts-pod-template-hash` of the stable or the latest ReplicaSet (`valueFrom.podTemplateHashValue`). */
  public static fromPodTemplateHash(name: string, which: PodTemplateHash): AnalysisArgument {
    return new AnalysisArgument(name, { valueFrom: { podTemplateHashValue: which } });
  }

  private constructor(
    /** The argument's name, as the template declares it. */
    public readonly name: string,
    private readonly source: Record<string, unknown>,
  ) {}

  /** @internal plain JavaScript passes anything; Argo's `args[].value` is a string (`value: 5` fails the CRD schema) */
  public _check(check: PropsChecker, prop: string): void {
    check.string(`${prop}.name`, this.name ?? null, { nonEmpty: true });
    if ('value' in this.source) check.string(`${prop}.value`, this.source.value ?? null);
  }

  /** @internal */
  public _toKube(): Record<string, any> {
    return { name: this.name, ...structuredClone(this.source) };
  }
}

/**
 * An AnalysisTemplate defined in this app: any construct with a `name` whose default child is the template object
 * (such as `NginxAnalysisTemplate`), so the Rollout can be written after it.
 */
export interface IAnalysisTemplate extends IConstruct {
  /** The template's `metadata.name`. */
  readonly name: string;
}

/** A reference from a Rollout to an AnalysisTemplate or ClusterAnalysisTemplate (`analysis.templates[]`). */
export class AnalysisTemplateRef {
  /** An AnalysisTemplate of this app; the Rollout is written after it, as the controller needs it at analysis time. */
  public static fromTemplate(template: IAnalysisTemplate): AnalysisTemplateRef {
    return new AnalysisTemplateRef(template.name, false, template);
  }

  /** An AnalysisTemplate by name in the Rollout's namespace, applied by other means. */
  public static fromName(name: string): AnalysisTemplateRef {
    return new AnalysisTemplateRef(name, false, undefined);
  }

  /** A ClusterAnalysisTemplate by name (`clusterScope: true`). */
  public static fromClusterTemplateName(name: string): AnalysisTemplateRef {
    return new AnalysisTemplateRef(name, true, undefined);
  }

  private constructor(
    /** The template's name. */
    public readonly templateName: string,
    /** Whether it names a ClusterAnalysisTemplate. */
    public readonly clusterScope: boolean,
    /** The template's construct, when it is defined in this app. */
    public readonly template: IAnalysisTemplate | undefined,
  ) {}

  /** @internal the object the Rollout must come after, if any */
  public _apiObject(): ApiObject | undefined {
    if (!this.template) return undefined;
    if (this.template instanceof ApiObject) return this.template;
    const child = this.template.node.defaultChild ?? this.template.node.tryFindChild('Resource');
    if (child instanceof ApiObject) return child;
    return this.template.node.findAll().find((c): c is ApiObject => c instanceof ApiObject);
  }

  /** @internal */
  public _toKube(): Record<string, any> {
    return this.clusterScope ? { templateName: this.templateName, clusterScope: true } : { templateName: this.templateName };
  }
}

/** Options of {@link RolloutAnalysis}. */
export interface RolloutAnalysisOptions {
  /**
   * The arguments passed to the templates; every argument a template declares without a default must be here.
   * @default - no arguments
   */
  readonly args?: AnalysisArgument[];
  /**
   * Metrics whose failures are recorded but do not fail the analysis (`dryRun[].metricName`).
   * @default - none
   */
  readonly dryRunMetrics?: string[];
  /**
   * How many measurements to keep per metric, by metric name (`measurementRetention`).
   * @default - the controller's default (10)
   */
  readonly measurementRetention?: Record<string, number>;
  /**
   * Labels of the AnalysisRuns the controller creates (`analysisRunMetadata.labels`).
   * @default - none
   */
  readonly analysisRunLabels?: Record<string, string>;
  /**
   * Annotations of the AnalysisRuns the controller creates (`analysisRunMetadata.annotations`).
   * @default - none
   */
  readonly analysisRunAnnotations?: Record<string, string>;
}

/**
 * What a Rollout analyses at one point of an update: templates and the arguments they receive. Used by
 * `RolloutStep.analysis()`, a canary's background `analysis`, and blue/green pre- and post-promotion analysis.
 */
export class RolloutAnalysis {
  /** Runs `templates` (at least one) with `options`. */
  public static templates(templates: AnalysisTemplateRef[], options: RolloutAnalysisOptions = {}): RolloutAnalysis {
    // Not a list (plain JavaScript): kept as given, for the construct to report with its path instead of a TypeError.
    return new RolloutAnalysis(Array.isArray(templates) ? [...templates] : templates, options);
  }

  private constructor(
    /** The templates. */
    public readonly templateRefs: AnalysisTemplateRef[],
    private readonly options: RolloutAnalysisOptions,
  ) {}

  /** The arguments. */
  public get args(): AnalysisArgument[] {
    return Array.isArray(this.options?.args) ? [...this.options.args] : [];
  }

  /** @internal this analysis followed by `other`'s templates; arguments of the same name must agree. */
  public _merge(other: RolloutAnalysis): RolloutAnalysis {
    const args = new Map(this.args.map((a) => [a.name, a]));
    for (const a of other.args) {
      const mine = args.get(a.name);
      if (mine && JSON.stringify(mine._toKube()) !== JSON.stringify(a._toKube())) {
        throw new Error(`analysis argument '${a.name}' is given twice with different values`);
      }
      args.set(a.name, a);
    }
    const o = this.options;
    const p = other.options;
    return new RolloutAnalysis([...this.templateRefs, ...other.templateRefs], {
      args: [...args.values()],
      dryRunMetrics: [...new Set([...(o.dryRunMetrics ?? []), ...(p.dryRunMetrics ?? [])])],
      measurementRetention: { ...o.measurementRetention, ...p.measurementRetention },
      analysisRunLabels: { ...o.analysisRunLabels, ...p.analysisRunLabels },
      analysisRunAnnotations: { ...o.analysisRunAnnotations, ...p.analysisRunAnnotations },
    });
  }

  /** @internal checks what the analysis shows on its own, naming it as `prop` of the construct. */
  public _check(check: PropsChecker, prop: string): void {
    // Plain JavaScript passes anything: each value must have the shape the rendering below reads, or it would be
    // written as given (`value: 5`, `labels: {a: true}`) or fail with a TypeError naming nothing.
    if (!check.array(`${prop}.templates`, this.templateRefs ?? null)) return;
    if (this.templateRefs.length === 0) check.fail(`${prop}.templates`, [], 'it needs at least one template');
    const refsOk = this.templateRefs.every((t, i) => check.instance(`${prop}.templates[${i}]`, t, AnalysisTemplateRef,
      'an AnalysisTemplateRef, such as AnalysisTemplateRef.fromName(name)', true));
    if (!refsOk) return;
    this.templateRefs.forEach((t, i) => check.objectName(`${prop}.templates[${i}]`, t.templateName, 'subdomain'));
    const o = this.options;
    if (o === undefined || !check.object(`${prop} options`, o)) return;
    if (check.array(`${prop}.args`, o.args)) {
      if (!o.args.every((a, i) => check.instance(`${prop}.args[${i}]`, a, AnalysisArgument, 'an AnalysisArgument, such as AnalysisArgument.fromValue(name, value)', true))) return;
      o.args.forEach((a, i) => a._check(check, `${prop}.args[${i}]`));
    } else if (o.args !== undefined) return;
    if (check.array(`${prop}.dryRunMetrics`, o.dryRunMetrics)) {
      o.dryRunMetrics.forEach((m, i) => check.string(`${prop}.dryRunMetrics[${i}]`, m ?? null, { nonEmpty: true }));
    }
    if (o.analysisRunLabels !== undefined) check.labels(`${prop}.analysisRunLabels`, o.analysisRunLabels, false);
    if (o.analysisRunAnnotations !== undefined) check.annotations(`${prop}.analysisRunAnnotations`, o.analysisRunAnnotations);
    if (o.measurementRetention !== undefined && !check.object(`${prop}.measurementRetention`, o.measurementRetention)) return;
    const names = this.args.map((a) => a.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) check.fail(`${prop}.args`, names, `argument names must be unique ('${dup}' repeats)`);
    for (const [metric, limit] of Object.entries(this.options.measurementRetention ?? {})) {
      check.integer(`${prop}.measurementRetention['${metric}']`, limit, 1);
    }
  }

  /** @internal the objects (templates of this app) the Rollout must come after */
  public _dependencies(): ApiObject[] {
    return this.templateRefs.map((t) => t._apiObject()).filter((x): x is ApiObject => x !== undefined);
  }

  /** @internal */
  public _toKube(): Record<string, any> {
    const o = this.options;
    const metadata = {
      ...(o.analysisRunLabels && Object.keys(o.analysisRunLabels).length ? { labels: { ...o.analysisRunLabels } } : {}),
      ...(o.analysisRunAnnotations && Object.keys(o.analysisRunAnnotations).length ? { annotations: { ...o.analysisRunAnnotations } } : {}),
    };
    const retention = Object.entries(o.measurementRetention ?? {});
    return {
      templates: this.templateRefs.map((t) => t._toKube()),
      args: o.args?.length ? o.args.map((a) => a._toKube()) : undefined,
      dryRun: o.dryRunMetrics?.length ? o.dryRunMetrics.map((metricName) => ({ metricName })) : undefined,
      measurementRetention: retention.length ? retention.map(([metricName, limit]) => ({ metricName, limit })) : undefined,
      analysisRunMetadata: Object.keys(metadata).length ? metadata : undefined,
    };
  }
}
