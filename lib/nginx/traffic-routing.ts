import { PropsChecker } from '../props-checker';
import { isDNS1123Subdomain } from '../rules/k8s-names';
import { TrafficRouter } from '../rollout/traffic-router';

/** Options of routing canary traffic through the NGINX Ingress controller. */
export interface NginxIngressRoutingOptions {
  /**
   * An existing Ingress whose backend is the stable Service: route through it instead of creating one.
   * @default - the construct creates an Ingress to the stable Service
   */
  readonly stableIngress?: string;
  /**
   * The host of the Ingress the construct creates.
   * @default - every host
   */
  readonly host?: string;
  /**
   * The path prefix of the Ingress the construct creates.
   * @default '/'
   */
  readonly path?: string;
  /**
   * The IngressClass of the Ingress the construct creates.
   * @default 'nginx'
   */
  readonly ingressClassName?: string;
  /**
   * The highest weight, if not 100 (`trafficRouting.maxTrafficWeight`, nginx only): setWeight then ranges 0..this.
   * @default 100
   */
  readonly maxTrafficWeight?: number;
}

/** Options of routing canary traffic through an SMI TrafficSplit. */
export interface SmiRoutingOptions {
  /**
   * The Service clients call, which the TrafficSplit splits.
   * @default - the stable Service
   */
  readonly rootService?: string;
  /**
   * The name of the TrafficSplit the controller creates.
   * @default - the Rollout's name
   */
  readonly trafficSplitName?: string;
}

/**
 * How a canary's traffic is split. With routing, `setWeight` is an exact share of requests, not of pods, and the
 * routing-only features work: `CanaryStep.setCanaryScale`, `dynamicStableScale` and the canary `scaleDownDelay`.
 */
export class TrafficRouting {
  /** Through the NGINX Ingress controller (canary Ingress annotations managed by Argo Rollouts). */
  public static nginxIngress(options: NginxIngressRoutingOptions = {}): TrafficRouting {
    return new TrafficRouting('nginx', options, undefined);
  }

  /** Through an SMI `TrafficSplit` (Linkerd, Open Service Mesh, ...), which the controller creates. */
  public static smi(options: SmiRoutingOptions = {}): TrafficRouting {
    return new TrafficRouting('smi', undefined, options);
  }

  private constructor(
    /** Which router: `nginx` or `smi`. */
    public readonly router: 'nginx' | 'smi',
    /** The NGINX Ingress options, for `nginx`. */
    public readonly nginxOptions: NginxIngressRoutingOptions | undefined,
    /** The SMI options, for `smi`. */
    public readonly smiOptions: SmiRoutingOptions | undefined,
  ) {}

  /** @internal checks the router's options, as given from plain JavaScript too, as `trafficRouting.<option>`. */
  public _check(check: PropsChecker): void {
    if (this.router === 'nginx') {
      if (this.nginxOptions === undefined || !check.object('trafficRouting options', this.nginxOptions)) return;
      const o = this.nginxOptions;
      check.objectName('trafficRouting.stableIngress', o.stableIngress, 'subdomain');
      // An Ingress rule's host: a DNS-1123 subdomain, optionally with one leading `*.` wildcard label.
      if (check.string('trafficRouting.host', o.host) && isDNS1123Subdomain(o.host.replace(/^\*\./, '')).length > 0) {
        check.fail('trafficRouting.host', o.host, "it must be a DNS-1123 subdomain (lower-case, digits, '-', '.'), optionally starting with '*.'");
      }
      if (check.string('trafficRouting.path', o.path) && !/^\/\S*$/.test(o.path)) {
        check.fail('trafficRouting.path', o.path, "it must be a URL path starting with '/'");
      }
      check.objectName('trafficRouting.ingressClassName', o.ingressClassName, 'subdomain');
      check.integer('trafficRouting.maxTrafficWeight', o.maxTrafficWeight, 1);
    } else {
      if (this.smiOptions === undefined || !check.object('trafficRouting options', this.smiOptions)) return;
      check.objectName('trafficRouting.rootService', this.smiOptions.rootService, 'service');
      check.objectName('trafficRouting.trafficSplitName', this.smiOptions.trafficSplitName, 'subdomain');
    }
  }

  /** @internal the router of the general Rollout this routing is (options already checked) */
  public _toRouter(): TrafficRouter {
    if (this.router === 'nginx') {
      const o = this.nginxOptions ?? {};
      return TrafficRouter.nginx({ stableIngress: o.stableIngress, host: o.host, path: o.path, ingressClassName: o.ingressClassName });
    }
    return TrafficRouter.smi({ ...this.smiOptions });
  }

  /** The highest setWeight this routing accepts. */
  public get maxTrafficWeight(): number {
    return this.nginxOptions?.maxTrafficWeight ?? 100;
  }
}
