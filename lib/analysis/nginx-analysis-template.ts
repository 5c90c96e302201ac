import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AnalysisTemplate, AnalysisTemplateSpecMetrics, AnalysisTemplateSpecMetricsCount, AnalysisTemplateSpecMetricsFailureLimit,
} from '../../imports/argo-analysis-argoproj.io';
import { durationSeconds, PropsChecker } from '../props-checker';
import { validateNginxAnalysisTemplateProps } from '../props-validation';
import { AnalysisMetric } from './analysis-metric';

/** The arguments every {@link NginxAnalysisTemplate} declares; the nginx Rollouts supply all of them. */
export const ANALYSIS_ARGS = ['namespace', 'rollout', 'latest-hash', 'stable-hash'] as const;

/** Props of {@link NginxAnalysisTemplate}. */
export interface NginxAnalysisTemplateProps {
  /**
   * The Prometheus server's URL, for example `http://prometheus-server.monitoring.svc:80`.
   */
  readonly prometheusAddress: string;

  /**
   * The template's name.
   * @default - a name cdk8s generates from the construct path
   */
  readonly name?: string;

  /**
   * The namespace of the template: the Rollouts that use it must be in the same one.
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /**
   * What to measure.
   * @default - `AnalysisMetric.nginxUp()` and `AnalysisMetric.requestRate()`
   */
  readonly metrics?: AnalysisMetric[];

  /**
   * Time between measurements of a metric that does not set its own.
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;

  /**
   * Measurements per metric that does not set its own: a finite count lets step and promotion analysis finish.
   * @default 4
   */
  readonly count?: number;

  /**
   * Failed measurements that fail a metric that does not set its own limit.
   * @default 1
   */
  readonly failureLimit?: number;
}

/**
 * An Argo Rollouts `AnalysisTemplate` measured by Prometheus, by default from the nginx exporter sidecar's metrics:
 * every new pod reports `nginx_up == 1` and a request rate. Use it in `CanaryStep.analysis(...)`, a canary's
 * `backgroundAnalysis`, or a blue/green `prePromotionAnalysis` / `postPromotionAnalysis`.
 */
export class NginxAnalysisTemplate extends Construct {
  /** The template's name. */
  public readonly name: string;
  /** The `AnalysisTemplate` object. */
  public readonly analysisTemplate: AnalysisTemplate;
  /** The metrics it measures. */
  public readonly metrics: AnalysisMetric[];

  public constructor(scope: Construct, id: string, props: NginxAnalysisTemplateProps) {
    super(scope, id);
    new PropsChecker('NginxAnalysisTemplate', this).run((check) => validateNginxAnalysisTemplateProps(check, props));
    const interval = durationSeconds(props.interval) ?? 30;
    this.metrics = props.metrics ?? [AnalysisMetric.nginxUp(), AnalysisMetric.requestRate()];

    this.name = props.name ?? Chart.of(this).generateObjectName(this as unknown as ApiObject);
    const defaults = { interval, count: props.count ?? 4, failureLimit: props.failureLimit ?? 1 };
    this.analysisTemplate = new AnalysisTemplate(this, 'Resource', {
      metadata: { name: this.name, namespace: props.namespace },
      spec: {
        args: ANALYSIS_ARGS.map((name) => ({ name })),
        metrics: this.metrics.map((m) => renderMetric(m, props.prometheusAddress, defaults)),
      },
    });
  }
}

function renderMetric(
  metric: AnalysisMetric,
  address: string,
  defaults: { interval: number; count: number; failureLimit: number },
): AnalysisTemplateSpecMetrics {
  const o = metric.options;
  return {
    name: o.name,
    interval: `${durationSeconds(o.interval) ?? defaults.interval}s`,
    count: AnalysisTemplateSpecMetricsCount.fromNumber(o.count ?? defaults.count),
    failureLimit: AnalysisTemplateSpecMetricsFailureLimit.fromNumber(o.failureLimit ?? defaults.failureLimit),
    successCondition: o.successCondition,
    failureCondition: o.failureCondition,
    provider: { prometheus: { address, query: o.query } },
  };
}
