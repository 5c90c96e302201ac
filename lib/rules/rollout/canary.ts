/** Section C, strategy level: `ValidateRolloutStrategyCanary` before the steps. Paths omit the `canary` segment. */
import { invalid } from '../field';
import { intOrPercentValue } from '../intstr';
import { finding } from '../report';
import { isSet, obj, str } from '../util';
import { checkAntiAffinity } from './general';
import type { RolloutCheck } from './view';

const S = 'spec.strategy';
const PING_PONG_REQUIRED = 'Ping service and Pong service must to be set to use Ping-Pong feature';
const TRAFFIC_ROUTING_SERVICES = 'Canary service and Stable service must to be set to use Traffic Routing';
/** Default of both (`utils/defaults`). */
const DEFAULT_MAX_SURGE_UNAVAILABLE = '25%';

/** Whether the canary routes traffic through plugins (`len(trafficRouting.plugins) > 0`). */
export function hasPlugins(trafficRouting: Record<string, any> | undefined): boolean {
  return Object.keys(obj(trafficRouting?.plugins) ?? {}).length > 0;
}

/** Rule 21: `0`, `"0"` and `"0%"` all count as zero, after the 25% defaults. */
export const checkMaxSurgeMaxUnavailable: RolloutCheck = ({ canary }, out) => {
  if (!canary) return;
  const surge = isSet(canary.maxSurge) ? canary.maxSurge : DEFAULT_MAX_SURGE_UNAVAILABLE;
  const unavailable = isSet(canary.maxUnavailable) ? canary.maxUnavailable : DEFAULT_MAX_SURGE_UNAVAILABLE;
  if (intOrPercentValue(surge) !== 0 || intOrPercentValue(unavailable) !== 0) return;
  out.push(finding('max-surge-max-unavailable-zero', `${S}.maxSurge`, invalid(surge, 'MaxSurge and MaxUnavailable both can not be zero')));
};

/** Rule 22. */
export const checkCanaryServices: RolloutCheck = ({ canary }, out) => {
  if (!canary) return;
  const stable = str(canary.stableService);
  if (stable === '' || stable !== str(canary.canaryService)) return;
  out.push(
    finding(
      'canary-same-services',
      `${S}.stableService`,
      invalid(stable, 'This rollout uses the same service for the stable and canary services, but two different services are required.'),
    ),
  );
};

/** Rules 23-27: ping-pong needs ALB or Istio, two distinct services, and ALB's root service. */
export const checkPingPong: RolloutCheck = ({ canary, trafficRouting }, out) => {
  if (!canary || !isSet(canary.pingPong)) return;
  const pingPong = obj(canary.pingPong) ?? {};
  const ping = str(pingPong.pingService);
  const pong = str(pingPong.pongService);
  if (trafficRouting && !isSet(trafficRouting.alb) && !isSet(trafficRouting.istio)) {
    out.push(finding('ping-pong-router', `${S}.trafficRouting.alb`, invalid(null, 'Ping-pong feature works with the ALB and Istio traffic routers only')));
  }
  if (ping === '') out.push(finding('ping-pong-services-required', `${S}.pingPong.pingService`, invalid(ping, PING_PONG_REQUIRED)));
  if (pong === '') out.push(finding('ping-pong-services-required', `${S}.pingPong.pongService`, invalid(pong, PING_PONG_REQUIRED)));
  if (ping === pong) {
    out.push(
      finding(
        'ping-pong-same-services',
        `${S}.pingPong.pingService`,
        invalid(ping, 'This rollout uses the same service for the ping and pong services, but two different services are required.'),
      ),
    );
  }
  const alb = trafficRouting && isSet(trafficRouting.alb) ? (obj(trafficRouting.alb) ?? {}) : undefined;
  if (alb && str(alb.rootService) === '') {
    out.push(
      finding(
        'ping-pong-alb-root-service',
        `${S}.trafficRouting.alb.rootService`,
        invalid('', 'Root service field is required for the configuration with ALB and ping-pong feature enabled'),
      ),
    );
  }
};

/** Routers that switch traffic between the stable and canary Services (not plugins, Istio subsets or ping-pong). */
function routerNeedsServices(canary: Record<string, any>, tr: Record<string, any>): boolean {
  const istio = obj(tr.istio);
  return (
    (isSet(tr.alb) && !isSet(canary.pingPong)) ||
    (isSet(tr.istio) && !isSet(istio?.destinationRule) && !isSet(canary.pingPong)) ||
    ['smi', 'apisix', 'ambassador', 'nginx', 'appMesh', 'traefik'].some((router) => isSet(tr[router]))
  );
}

/** Rule 28. */
export const checkTrafficRoutingServices: RolloutCheck = ({ canary, trafficRouting }, out) => {
  if (!canary || !trafficRouting || !routerNeedsServices(canary, trafficRouting)) return;
  if (str(canary.stableService) === '') out.push(finding('traffic-routing-services-required', `${S}.stableService`, invalid('', TRAFFIC_ROUTING_SERVICES)));
  if (str(canary.canaryService) === '') out.push(finding('traffic-routing-services-required', `${S}.canaryService`, invalid('', TRAFFIC_ROUTING_SERVICES)));
};

/** Rules 29-31: scale-down delay and dynamic stable scale only mean something with a traffic router. */
export const checkScaleDownOptions: RolloutCheck = ({ canary, trafficRouting }, out) => {
  if (!canary) return;
  const delay = canary.scaleDownDelaySeconds;
  const dynamic = canary.dynamicStableScale === true;
  if (!trafficRouting) {
    if (isSet(delay)) {
      out.push(finding('scale-down-delay-needs-traffic-routing', `${S}.scaleDownDelaySeconds`, invalid(delay, 'Canary scaleDownDelaySeconds can only be used with traffic routing')));
    }
    if (dynamic) {
      out.push(finding('dynamic-stable-scale-needs-traffic-routing', `${S}.dynamicStableScale`, invalid(true, 'Canary dynamicStableScale can only be used with traffic routing')));
    }
  } else if (dynamic && isSet(delay)) {
    out.push(finding('dynamic-stable-scale-scale-down-delay', `${S}.dynamicStableScale`, invalid(true, 'Canary dynamicStableScale cannot be used with scaleDownDelaySeconds')));
  }
};

/** Rule 32. */
export const checkMaxTrafficWeight: RolloutCheck = ({ trafficRouting }, out) => {
  if (!trafficRouting || !isSet(trafficRouting.maxTrafficWeight)) return;
  if (isSet(trafficRouting.nginx) || hasPlugins(trafficRouting)) return;
  out.push(
    finding(
      'max-traffic-weight-router',
      `${S}.trafficRouting.maxTrafficWeight`,
      invalid(trafficRouting.maxTrafficWeight, 'Canary maxTrafficWeight in traffic routing only supported in Nginx and Plugins'),
    ),
  );
};

export const checkCanaryAntiAffinity: RolloutCheck = ({ canary }, out) => {
  if (canary) checkAntiAffinity(canary.antiAffinity, out);
};
