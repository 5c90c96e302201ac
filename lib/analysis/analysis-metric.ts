import { Duration } from 'cdk8s';
import { PropsChecker } from '../props-checker';

/** Options of a Prometheus metric in an AnalysisTemplate. */
export interface PrometheusMetricOptions {
  /** The metric's name, unique in its template. */
  readonly name: string;
  /**
   * The PromQL query. It may use the template's arguments: `{{args.namespace}}`, `{{args.rollout}}`,
   * `{{args.latest-hash}}` (the new pods' `rollouts-pod-template-hash`) and `{{args.stable-hash}}`.
   */
  readonly query: string;
  /** When a measurement succeeds, in Argo's expression language over `result` (for example `result[0] >= 0.99`). */
  readonly successCondition: string;
  /**
   * When a measurement fails outright.
   * @default - not set: a measurement that does not succeed fails
   */
  readonly failureCondition?: string;
  /**
   * Time between measurements.
   * @default - the template's `interval`
   */
  readonly interval?: Duration;
  /**
   * How many measurements to take. A step, pre- or post-promotion analysis needs a count to ever finish.
   * @default - the template's `count`
   */
  readonly count?: number;
  /**
   * How many failed measurements fail the analysis (and abort the Rollout).
   * @default - the template's `failureLimit`
   */
  readonly failureLimit?: number;
}

/** The label selector of the new pods' series, as Prometheus' usual pod relabeling names them. */
const LATEST_PODS = 'namespace="{{args.namespace}}",rollouts_pod_template_hash="{{args.latest-hash}}"';

/**
 * One metric of an {@link NginxAnalysisTemplate}, measured by Prometheus. The built-in ones read the exporter sidecar's
 * series of the new pods, found by the `rollouts_pod_template_hash` label that Prometheus' usual Kubernetes pod
 * relabeling (`labelmap` of `__meta_kubernetes_pod_label_(.+)`) copies from the pod.
 */
export class AnalysisMetric {
  /** Every new pod's exporter reaches nginx: `min(nginx_up)` over the new pods is 1. */
  public static nginxUp(): AnalysisMetric {
    return new AnalysisMetric({
      name: 'nginx-up',
      query: `min(nginx_up{${LATEST_PODS}})`,
      successCondition: 'len(result) > 0 && result[0] == 1',
    });
  }

  /** The new pods report a request rate: their `nginx_http_requests_total` series exist and are counting. */
  public static requestRate(): AnalysisMetric {
    return new AnalysisMetric({
      name: 'request-rate',
      query: `sum(rate(nginx_http_requests_total{${LATEST_PODS}}[2m]))`,
      successCondition: 'len(result) > 0 && result[0] >= 0',
    });
  }

  /** A metric from your own PromQL. */
  public static prometheus(options: PrometheusMetricOptions): AnalysisMetric {
    return new AnalysisMetric(options);
  }

  private constructor(
    /** The metric's options. */
    public readonly options: PrometheusMetricOptions,
  ) {}

  /** @internal checks the metric as `metrics[index]` of its template, as given from plain JavaScript too; true when valid. */
  public _check(check: PropsChecker, index: number): boolean {
    const prop = `metrics[${index}]`;
    const before = check.problems.length;
    if (!check.object(prop, this.options)) {
      if (this.options === undefined) check.fail(prop, undefined, 'it must be an object with name, query and successCondition');
      return false;
    }
    const o = this.options;
    if (!check.string(`${prop}.name`, o.name) || !/^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(o.name)) {
      if (typeof o.name === 'string' || o.name === undefined) check.fail(`${prop}.name`, o.name, 'it must be a non-empty word of letters, digits, - _ .');
    }
    if (o.query === undefined || (check.string(`${prop}.query`, o.query) && o.query.trim() === '')) {
      check.fail(`${prop}.query`, o.query, 'it must be a PromQL query');
    }
    if (o.successCondition === undefined || (check.string(`${prop}.successCondition`, o.successCondition) && o.successCondition.trim() === '')) {
      check.fail(`${prop}.successCondition`, o.successCondition, 'it must be a condition over result');
    }
    check.string(`${prop}.failureCondition`, o.failureCondition, { nonEmpty: true });
    check.integer(`${prop}.count`, o.count, 1);
    check.integer(`${prop}.failureLimit`, o.failureLimit, 0);
    check.seconds(`${prop}.interval`, o.interval);
    return check.problems.length === before;
  }
}
