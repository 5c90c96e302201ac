import { Duration } from 'cdk8s';
import { PropsChecker } from '../props-checker';

/** Which router a {@link TrafficRouter} configures. */
export enum TrafficRouterKind {
  /** The NGINX Ingress controller (`trafficRouting.nginx`). */
  NGINX = 'nginx',
  /** An SMI TrafficSplit (`trafficRouting.smi`). */
  SMI = 'smi',
  /** The AWS Load Balancer Controller (`trafficRouting.alb`). */
  ALB = 'alb',
  /** Istio VirtualServices and DestinationRule (`trafficRouting.istio`). */
  ISTIO = 'istio',
  /** Traefik (`trafficRouting.traefik`). */
  TRAEFIK = 'traefik',
  /** Ambassador / Emissary (`trafficRouting.ambassador`). */
  AMBASSADOR = 'ambassador',
  /** Apache APISIX (`trafficRouting.apisix`). */
  APISIX = 'apisix',
  /** AWS App Mesh (`trafficRouting.appMesh`). */
  APP_MESH = 'appMesh',
  /** A traffic router plugin, such as the Gateway API plugin (`trafficRouting.plugins`). */
  PLUGIN = 'plugins',
}

/** Options of `TrafficRouter.nginx()`. */
export interface NginxRouterOptions {
  /**
   * The Ingress (to the stable Service) that the controller copies into a canary Ingress.
   * @default - the Rollout creates an Ingress to its stable Service and routes through it
   */
  readonly stableIngress?: string;
  /**
   * More stable Ingresses, routed the same way (`stableIngresses`).
   * @default - none
   */
  readonly additionalStableIngresses?: string[];
  /**
   * The prefix of the NGINX annotations the controller writes.
   * @default 'nginx.ingress.kubernetes.io'
   */
  readonly annotationPrefix?: string;
  /**
   * Extra `canary-*` annotations of the canary Ingress, such as `canary-by-header` (`additionalIngressAnnotations`).
   * @default - none
   */
  readonly additionalIngressAnnotations?: Record<string, string>;
  /**
   * Any other annotations of the canary Ingress (`canaryIngressAnnotations`).
   * @default - none
   */
  readonly canaryIngressAnnotations?: Record<string, string>;
  /**
   * The host of the Ingress the Rollout creates (without `stableIngress`).
   * @default - every host
   */
  readonly host?: string;
  /**
   * The path prefix of the Ingress the Rollout creates.
   * @default '/'
   */
  readonly path?: string;
  /**
   * The IngressClass of the Ingress the Rollout creates.
   * @default 'nginx'
   */
  readonly ingressClassName?: string;
}

/** Options of `TrafficRouter.smi()`. */
export interface SmiRouterOptions {
  /**
   * The Service clients call, which the TrafficSplit splits.
   * @default - the stable Service
   */
  readonly rootService?: string;
  /**
   * The TrafficSplit the controller creates.
   * @default - the Rollout's name
   */
  readonly trafficSplitName?: string;
}

/** Options of `TrafficRouter.alb()`. */
export interface AlbRouterOptions {
  /** The Ingress (of the `alb` class) whose action the controller rewrites. */
  readonly ingress: string;
  /**
   * More Ingresses, routed the same way (`ingresses`).
   * @default - none
   */
  readonly additionalIngresses?: string[];
  /** The Service port the Ingress routes to. */
  readonly servicePort: number;
  /**
   * The Service the Ingress names, if not the stable Service (needed with ping-pong).
   * @default - the stable Service
   */
  readonly rootService?: string;
  /**
   * The prefix of the ALB annotations.
   * @default 'alb.ingress.kubernetes.io'
   */
  readonly annotationPrefix?: string;
  /**
   * Keep a client on one target group for this long (`stickinessConfig`).
   * @default - no stickiness
   */
  readonly stickiness?: Duration;
}

/** A TLS route of a VirtualService, matched by its port and SNI hosts. */
export interface IstioTlsRoute {
  /**
   * The port the route matches.
   * @default - any port
   */
  readonly port?: number;
  /**
   * The SNI hosts the route matches.
   * @default - any host
   */
  readonly sniHosts?: string[];
}

/** A VirtualService whose routes Istio routing rewrites. */
export interface IstioVirtualService {
  /** The VirtualService's name (`name` or `name.namespace`). */
  readonly name: string;
  /**
   * The HTTP routes to rewrite, by name.
   * @default - the only HTTP route
   */
  readonly routes?: string[];
  /**
   * TCP routes to rewrite, by port.
   * @default - none
   */
  readonly tcpRoutePorts?: number[];
  /**
   * TLS routes to rewrite (`tlsRoutes`), by port and SNI hosts.
   * @default - none
   */
  readonly tlsRoutes?: IstioTlsRoute[];
}

/** The DestinationRule of an Istio subset split. */
export interface IstioDestinationRule {
  /** The DestinationRule's name. */
  readonly name: string;
  /** The subset of the canary pods. */
  readonly canarySubsetName: string;
  /** The subset of the stable pods. */
  readonly stableSubsetName: string;
  /**
   * More subsets of the DestinationRule that the controller keeps at weight 0 (`additionalSubsetNames`).
   * @default - none
   */
  readonly additionalSubsetNames?: string[];
}

/** Options of `TrafficRouter.istio()`. */
export interface IstioRouterOptions {
  /** The VirtualServices (at least one). */
  readonly virtualServices: IstioVirtualService[];
  /**
   * A DestinationRule for a subset-level split (one Service); without it, the split is by the canary and stable
   * Services (host-level).
   * @default - host-level split
   */
  readonly destinationRule?: IstioDestinationRule;
}

/** Options of `TrafficRouter.apisix()`. */
export interface ApisixRouterOptions {
  /** The ApisixRoute whose backend weights the controller sets (`route.name`). */
  readonly route: string;
  /**
   * The rules (HTTP routes) of the ApisixRoute to split, by name (`route.rules`).
   * @default - the ApisixRoute's only rule
   */
  readonly rules?: string[];
}

/** Options of `TrafficRouter.appMesh()`. */
export interface AppMeshRouterOptions {
  /** The App Mesh VirtualService clients call; its VirtualRouter's routes are split (`virtualService.name`). */
  readonly virtualService: string;
  /**
   * The routes of the VirtualRouter to split, by name (`virtualService.routes`).
   * @default - every route
   */
  readonly routes?: string[];
  /** The VirtualNode of the canary pods (`virtualNodeGroup.canaryVirtualNodeRef`). */
  readonly canaryVirtualNode: string;
  /** The VirtualNode of the stable pods (`virtualNodeGroup.stableVirtualNodeRef`). */
  readonly stableVirtualNode: string;
}

/** Options of `TrafficRouter.gatewayApi()`: the `argoproj-labs/gatewayAPI` plugin. */
export interface GatewayApiRouterOptions {
  /**
   * The HTTPRoute whose backend weights the plugin sets.
   * @default - none
   */
  readonly httpRoute?: string;
  /**
   * The GRPCRoute whose backend weights the plugin sets.
   * @default - none
   */
  readonly grpcRoute?: string;
  /**
   * The TCPRoute whose backend weights the plugin sets.
   * @default - none
   */
  readonly tcpRoute?: string;
  /**
   * The namespace of the routes.
   * @default - the Rollout's namespace
   */
  readonly namespace?: string;
}

/**
 * One router of a canary's traffic routing (`spec.strategy.canary.trafficRouting`). A canary may use several (for
 * example NGINX for north-south and SMI for east-west traffic); `maxTrafficWeight` and `managedRoutes` are options of
 * the canary, since Argo applies them to all routers.
 */
export class TrafficRouter {
  /** The NGINX Ingress controller: the controller manages a canary Ingress next to the stable one. */
  public static nginx(options: NginxRouterOptions = {}): TrafficRouter {
    return new TrafficRouter(TrafficRouterKind.NGINX, 'nginx', options, (ctx) => ({
      stableIngress: options.stableIngress ?? ctx.createdIngress,
      stableIngresses: options.additionalStableIngresses?.length ? [...options.additionalStableIngresses] : undefined,
      annotationPrefix: options.annotationPrefix,
      additionalIngressAnnotations: options.additionalIngressAnnotations,
      canaryIngressAnnotations: options.canaryIngressAnnotations,
    }), (check, prop) => {
      check.objectName(`${prop}.stableIngress`, options.stableIngress, 'subdomain');
      if (check.array(`${prop}.additionalStableIngresses`, options.additionalStableIngresses)) {
        options.additionalStableIngresses.forEach((n, i) => check.objectName(`${prop}.additionalStableIngresses[${i}]`, n, 'subdomain'));
      }
      check.string(`${prop}.annotationPrefix`, options.annotationPrefix, { nonEmpty: true });
      check.annotations(`${prop}.additionalIngressAnnotations`, options.additionalIngressAnnotations);
      check.annotations(`${prop}.canaryIngressAnnotations`, options.canaryIngressAnnotations);
    });
  }

  /** An SMI TrafficSplit (Linkerd, Open Service Mesh, ...), which the controller creates. */
  public static smi(options: SmiRouterOptions = {}): TrafficRouter {
    return new TrafficRouter(TrafficRouterKind.SMI, 'smi', options, (ctx) => ({
      rootService: options.rootService ?? ctx.stableService,
      trafficSplitName: options.trafficSplitName ?? ctx.rolloutName,
    }), (check, prop) => {
      check.objectName(`${prop}.rootService`, options.rootService, 'service');
      check.objectName(`${prop}.trafficSplitName`, options.trafficSplitName, 'subdomain');
    });
  }

  /** The AWS Load Balancer Controller: the controller splits the Ingress' forward action between two target groups. */
  public static alb(options: AlbRouterOptions): TrafficRouter {
    const stickinessOf = () => options.stickiness?.toSeconds({ integral: false });
    return new TrafficRouter(TrafficRouterKind.ALB, 'alb', options, () => {
      const stickiness = stickinessOf();
      return {
      // Argo takes one Ingress or a list: with more than one, all of them go in the list.
      ingress: options.additionalIngresses?.length ? undefined : options.ingress,
      ingresses: options.additionalIngresses?.length ? [options.ingress, ...options.additionalIngresses] : undefined,
      servicePort: options.servicePort,
      rootService: options.rootService,
      annotationPrefix: options.annotationPrefix,
      stickinessConfig: stickiness === undefined ? undefined : { enabled: true, durationSeconds: stickiness },
      };
    }, (check, prop) => {
      check.objectName(`${prop}.ingress`, options.ingress ?? null, 'subdomain');
      check.integer(`${prop}.servicePort`, options.servicePort ?? null, 1, 65535);
      if (check.array(`${prop}.additionalIngresses`, options.additionalIngresses)) {
        options.additionalIngresses.forEach((n, i) => check.objectName(`${prop}.additionalIngresses[${i}]`, n, 'subdomain'));
      }
      check.objectName(`${prop}.rootService`, options.rootService, 'service');
      if (options.stickiness !== undefined && typeof (options.stickiness as any)?.toSeconds !== 'function') {
        check.fail(`${prop}.stickiness`, options.stickiness, 'it must be a Duration, such as Duration.hours(1)');
        return;
      }
      const stickiness = stickinessOf();
      // ALB accepts 1 second to 7 days of stickiness.
      if (stickiness !== undefined && (!Number.isInteger(stickiness) || stickiness < 1 || stickiness > 604800)) {
        check.fail(`${prop}.stickiness`, `${stickiness}s`, 'it must be whole seconds in 1..604800 (7 days)');
      }
    });
  }

  /** Istio: the controller rewrites the weights of the VirtualServices' routes (and subsets, with a DestinationRule). */
  public static istio(options: IstioRouterOptions): TrafficRouter {
    return new TrafficRouter(TrafficRouterKind.ISTIO, 'istio', options, () => ({
      virtualServices: options.virtualServices.map((v) => ({
        name: v.name,
        routes: v.routes?.length ? [...v.routes] : undefined,
        tcpRoutes: v.tcpRoutePorts?.length ? v.tcpRoutePorts.map((port) => ({ port })) : undefined,
        tlsRoutes: v.tlsRoutes?.length
          ? v.tlsRoutes.map((t) => ({ port: t.port, sniHosts: t.sniHosts?.length ? [...t.sniHosts] : undefined }))
          : undefined,
      })),
      destinationRule: options.destinationRule ? {
        name: options.destinationRule.name,
        canarySubsetName: options.destinationRule.canarySubsetName,
        stableSubsetName: options.destinationRule.stableSubsetName,
        additionalSubsetNames: options.destinationRule.additionalSubsetNames?.length
          ? [...options.destinationRule.additionalSubsetNames] : undefined,
      } : undefined,
    }), (check, prop) => {
      if (!check.array(`${prop}.virtualServices`, options.virtualServices ?? null)) return;
      if (options.virtualServices.length === 0) check.fail(`${prop}.virtualServices`, [], 'it needs at least one VirtualService');
      if (!options.virtualServices.every((v, i) => check.object(`${prop}.virtualServices[${i}]`, v ?? null))) return;
      options.virtualServices.forEach((v, i) => check.objectName(`${prop}.virtualServices[${i}].name`, v.name ?? null, 'subdomain'));
      if (!options.virtualServices.every((v, i) => [v.routes, v.tcpRoutePorts, v.tlsRoutes].every((l, k) =>
        l === undefined || check.array(`${prop}.virtualServices[${i}].${['routes', 'tcpRoutePorts', 'tlsRoutes'][k]}`, l)))) return;
      if (options.destinationRule !== undefined && !check.object(`${prop}.destinationRule`, options.destinationRule)) return;
      options.virtualServices.forEach((v, i) => (v.tcpRoutePorts ?? []).forEach((p, j) =>
        check.integer(`${prop}.virtualServices[${i}].tcpRoutePorts[${j}]`, p, 1, 65535)));
      options.virtualServices.forEach((v, i) => (v.tlsRoutes ?? []).forEach((t, j) =>
        check.integer(`${prop}.virtualServices[${i}].tlsRoutes[${j}].port`, t.port, 1, 65535)));
      const d = options.destinationRule;
      if (d && d.canarySubsetName === d.stableSubsetName) {
        check.fail(`${prop}.destinationRule.stableSubsetName`, d.stableSubsetName, 'the canary and stable subsets must differ');
      }
    });
  }

  /** Traefik: the controller sets the weights of a TraefikService of kind Weighted. */
  public static traefik(weightedTraefikServiceName: string): TrafficRouter {
    return new TrafficRouter(TrafficRouterKind.TRAEFIK, 'traefik', {}, () => ({ weightedTraefikServiceName }),
      (check, prop) => check.objectName(`${prop}.weightedTraefikServiceName`, weightedTraefikServiceName ?? null, 'subdomain'));
  }

  /** Ambassador / Emissary: the controller creates canary Mappings next to these. */
  public static ambassador(mappings: string[]): TrafficRouter {
    return new TrafficRouter(TrafficRouterKind.AMBASSADOR, 'ambassador', {}, () => ({ mappings: [...mappings] }),
      (check, prop) => {
        if (!check.array(`${prop}.mappings`, mappings ?? null)) return;
        if (mappings.length === 0) check.fail(`${prop}.mappings`, [], 'it needs at least one Mapping');
        mappings.forEach((m, i) => check.string(`${prop}.mappings[${i}]`, m ?? null, { nonEmpty: true }));
      });
  }

  /** Apache APISIX: the controller sets the weights of the canary and stable Services in an ApisixRoute's rules. */
  public static apisix(options: ApisixRouterOptions): TrafficRouter {
    return new TrafficRouter(TrafficRouterKind.APISIX, 'apisix', options, () => ({
      route: { name: options.route, rules: options.rules?.length ? [...options.rules] : undefined },
    }), (check, prop) => check.objectName(`${prop}.route`, options.route ?? null, 'subdomain'));
  }

  /**
   * AWS App Mesh: the controller sets the weights of the canary and stable VirtualNodes in the routes of the
   * VirtualRouter behind the VirtualService.
   */
  public static appMesh(options: AppMeshRouterOptions): TrafficRouter {
    return new TrafficRouter(TrafficRouterKind.APP_MESH, 'appMesh', options, () => ({
      virtualService: { name: options.virtualService, routes: options.routes?.length ? [...options.routes] : undefined },
      virtualNodeGroup: {
        canaryVirtualNodeRef: { name: options.canaryVirtualNode },
        stableVirtualNodeRef: { name: options.stableVirtualNode },
      },
    }), (check, prop) => {
      check.objectName(`${prop}.virtualService`, options.virtualService ?? null, 'subdomain');
      check.objectName(`${prop}.canaryVirtualNode`, options.canaryVirtualNode ?? null, 'subdomain');
      check.objectName(`${prop}.stableVirtualNode`, options.stableVirtualNode ?? null, 'subdomain');
      if (options.canaryVirtualNode === options.stableVirtualNode) {
        check.fail(`${prop}.stableVirtualNode`, options.stableVirtualNode, 'the canary and stable VirtualNodes must differ');
      }
    });
  }

  /**
   * The Gateway API plugin (`argoproj-labs/gatewayAPI`): the plugin sets the weights of the route's backends (the
   * canary and stable Services). The plugin must be registered in the controller's ConfigMap.
   */
  public static gatewayApi(options: GatewayApiRouterOptions): TrafficRouter {
    const configOf = () => {
      const config: Record<string, string> = {};
      if (options.httpRoute !== undefined) config.httpRoute = options.httpRoute;
      if (options.grpcRoute !== undefined) config.grpcRoute = options.grpcRoute;
      if (options.tcpRoute !== undefined) config.tcpRoute = options.tcpRoute;
      return config;
    };
    return new TrafficRouter(TrafficRouterKind.PLUGIN, 'argoproj-labs/gatewayAPI', options, (ctx) => ({
      ...configOf(), namespace: options.namespace ?? ctx.namespace,
    }), (check, prop) => {
      const config = configOf();
      if (Object.keys(config).length === 0) check.fail(prop, options, 'give httpRoute, grpcRoute or tcpRoute');
      for (const [k, v] of Object.entries(config)) check.objectName(`${prop}.${k}`, v, 'subdomain');
      check.objectName(`${prop}.namespace`, options.namespace, 'namespace');
    });
  }

  /** Any traffic router plugin registered with the controller, by its name, with its own config. */
  public static plugin(name: string, config: Record<string, any> = {}): TrafficRouter {
    return new TrafficRouter(TrafficRouterKind.PLUGIN, name, {}, () => structuredClone(config),
      (check, prop) => {
        if (typeof name !== 'string' || name.trim() === '') check.fail(`${prop}.name`, name, 'it must name a traffic router plugin');
        check.object(`${prop}.config`, config ?? null);
      });
  }

  private constructor(
    /** Which router. */
    public readonly kind: TrafficRouterKind,
    /** The key under `trafficRouting` (or under `plugins`, for a plugin). */
    public readonly key: string,
    private readonly options: object,
    private readonly render: (ctx: TrafficRouterContext) => Record<string, any>,
    private readonly checker: (check: PropsChecker, prop: string) => void,
  ) {}

  /** Whether the Rollout must create an Ingress to the stable Service for this router. */
  public get needsIngress(): boolean {
    return this.kind === TrafficRouterKind.NGINX && (this.options as NginxRouterOptions | null)?.stableIngress === undefined;
  }

  /** @internal the options given to the factory */
  public get _options(): object {
    return this.options;
  }

  /** @internal */
  public _check(check: PropsChecker, prop: string): void {
    // From plain JavaScript the options may be anything: null or a string would fail in the checks below with a
    // TypeError that names neither the construct nor the prop.
    if (!check.object(`${prop} options`, this.options ?? null)) return;
    this.checker(check, prop);
  }

  /** @internal this router's part of `trafficRouting`, to merge with the others */
  public _toKube(ctx: TrafficRouterContext): Record<string, any> {
    const body = this.render(ctx);
    return this.kind === TrafficRouterKind.PLUGIN ? { plugins: { [this.key]: body } } : { [this.key]: body };
  }
}

/** @internal what a router needs from its Rollout to render */
export interface TrafficRouterContext {
  readonly rolloutName: string;
  readonly namespace?: string;
  readonly stableService?: string;
  readonly createdIngress?: string;
}
