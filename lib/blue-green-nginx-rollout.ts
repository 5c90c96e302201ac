import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { NGINX_PORT, NginxRollout, NginxRolloutProps } from './nginx/nginx-rollout';

/** Props of {@link BlueGreenNginxRollout}. */
export interface BlueGreenNginxRolloutProps extends NginxRolloutProps {
  /**
   * The Service that sends production traffic to the active ReplicaSet (`blueGreen.activeService`).
   * @default `${name}-active`
   */
  readonly activeServiceName?: string;

  /**
   * The Service that reaches the new ReplicaSet before promotion (`blueGreen.previewService`).
   * @default `${name}-preview`
   */
  readonly previewServiceName?: string;

  /**
   * The port both Services expose; they forward it to nginx on port 80.
   * @default 80
   */
  readonly servicePort?: number;

  /**
   * How long the old ReplicaSet keeps running after the active Service switched (`blueGreen.scaleDownDelaySeconds`).
   * @default - not set: the controller uses 30 seconds
   */
  readonly scaleDownDelay?: Duration;

  /**
   * Whether the controller switches the active Service as soon as the new ReplicaSet is ready
   * (`blueGreen.autoPromotionEnabled`); false waits for `kubectl argo rollouts promote`.
   * @default - not set: the controller promotes automatically
   */
  readonly autoPromotionEnabled?: boolean;

  /**
   * With automatic promotion, how long the new ReplicaSet waits behind the preview Service before the switch
   * (`blueGreen.autoPromotionSeconds`).
   * @default - not set: promote as soon as the new ReplicaSet is available
   */
  readonly autoPromotionDelay?: Duration;

  /**
   * How many pods the new ReplicaSet runs behind the preview Service until promotion (`blueGreen.previewReplicaCount`).
   * @default - not set: as many as `replicas`
   */
  readonly previewReplicaCount?: number;
}

/**
 * nginx shipped by an Argo Rollouts blue/green update: a ConfigMap with `nginx.conf`, an active and a preview
 * Service, and a Rollout whose pods run nginx and the Prometheus exporter sidecar. The new ReplicaSet comes up behind
 * the preview Service; on promotion the active Service switches to it and the old ReplicaSet scales down after
 * `scaleDownDelay`.
 */
export class BlueGreenNginxRollout extends NginxRollout {
  /** The Service that production traffic goes through. */
  public readonly activeService: kplus.Service;
  /** The Service that reaches the new version before promotion. */
  public readonly previewService: kplus.Service;

  public constructor(scope: Construct, id: string, props: BlueGreenNginxRolloutProps = {}) {
    let active = props.activeServiceName;
    let preview = props.previewServiceName;
    super(scope, id, 'BlueGreenNginxRollout', props, ({ name }, check) => {
      active ??= `${name}-active`;
      preview ??= `${name}-preview`;
      return {
        blueGreen: {
          activeService: active,
          previewService: preview,
          autoPromotionEnabled: props.autoPromotionEnabled,
          autoPromotionSeconds: check.seconds('autoPromotionDelay', props.autoPromotionDelay),
          previewReplicaCount: props.previewReplicaCount,
          scaleDownDelaySeconds: check.seconds('scaleDownDelay', props.scaleDownDelay),
        },
      };
    });
    const activeName = active!;
    const previewName = preview!;
    this.check.objectName('activeServiceName', activeName, 'service');
    this.check.objectName('previewServiceName', previewName, 'service');
    if (activeName === previewName) {
      this.check.fail('previewServiceName', previewName,
        'the active and preview Services must differ (activeServiceName is the same)');
    }
    this.check.integer('servicePort', props.servicePort, 1, 65535);
    this.check.integer('previewReplicaCount', props.previewReplicaCount, 0);

    const service = (serviceId: string, name: string) => {
      const svc = new kplus.Service(this, serviceId, {
        metadata: { name, namespace: props.namespace },
        ports: [{ port: props.servicePort ?? NGINX_PORT, targetPort: NGINX_PORT, protocol: kplus.Protocol.TCP }],
      });
      for (const [key, value] of Object.entries(this.labels)) svc.selectLabel(key, value);
      // cdk8s-plus writes an empty externalIPs list; the API server drops it, so a GitOps diff would never settle.
      ApiObject.of(svc).addJsonPatch(JsonPatch.remove('/spec/externalIPs'));
      // The controller looks the Service up when it reconciles the Rollout: applied later, the Rollout is Degraded.
      this.rollout.addDependency(ApiObject.of(svc));
      return svc;
    };
    this.activeService = service('ActiveService', activeName);
    this.previewService = service('PreviewService', previewName);
  }
}
