import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { NginxAnalysisTemplate } from '../analysis/nginx-analysis-template';
import { validateBlueGreenNginxRolloutProps } from '../props-validation';
import { RolloutStrategy } from '../rollout/strategy';
import { nginxAnalysis } from './nginx-analysis';
import { NginxRollout, NginxRolloutProps } from './nginx-rollout';
import { validatedName } from './preset';

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

  /**
   * Analysis of the new pods behind the preview Service before the switch (`blueGreen.prePromotionAnalysis`); a
   * failure aborts the update and the active Service never switches.
   * @default - no pre-promotion analysis
   */
  readonly prePromotionAnalysis?: NginxAnalysisTemplate[];

  /**
   * Analysis after the switch, while the old pods still run (`blueGreen.postPromotionAnalysis`); a failure switches
   * the active Service back.
   * @default - no post-promotion analysis
   */
  readonly postPromotionAnalysis?: NginxAnalysisTemplate[];
}

/**
 * nginx shipped by an Argo Rollouts blue/green update: a ConfigMap with `nginx.conf`, an active and a preview
 * Service, and a Rollout whose pods run nginx and the Prometheus exporter sidecar. The new ReplicaSet comes up behind
 * the preview Service; on promotion the active Service switches to it and the old ReplicaSet scales down after
 * `scaleDownDelay`.
 */
export class BlueGreenNginxRollout extends NginxRollout {
  public constructor(scope: Construct, id: string, props: BlueGreenNginxRolloutProps = {}) {
    super(scope, id, props, blueGreenStrategy(scope, id, props));
  }
}

/**
 * For TypeScript, the preset's two Services are always there (it always creates both). Declared by interface merging
 * and marked `@jsii ignore`: jsii does not let a subclass make an inherited optional property required, so in the
 * other languages' bindings they stay optional, as on `Rollout`.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface BlueGreenNginxRollout {
  /**
   * The Service that production traffic goes through.
   * @jsii ignore
   */
  readonly activeService: kplus.Service;
  /**
   * The Service that reaches the new version before promotion.
   * @jsii ignore
   */
  readonly previewService: kplus.Service;
}

/** The props, checked (every problem in one error), as the general Rollout's blue/green strategy. */
function blueGreenStrategy(scope: Construct, id: string, props: BlueGreenNginxRolloutProps): RolloutStrategy {
  validatedName(scope, id, 'BlueGreenNginxRollout', props, (check, name) => validateBlueGreenNginxRolloutProps(check, props, name));
  return RolloutStrategy.blueGreen({
    activeServiceName: props.activeServiceName,
    previewServiceName: props.previewServiceName,
    autoPromotionEnabled: props.autoPromotionEnabled,
    autoPromotionDelay: props.autoPromotionDelay,
    previewReplicaCount: props.previewReplicaCount,
    scaleDownDelay: props.scaleDownDelay,
    prePromotionAnalysis: props.prePromotionAnalysis && nginxAnalysis(props.prePromotionAnalysis),
    postPromotionAnalysis: props.postPromotionAnalysis && nginxAnalysis(props.postPromotionAnalysis),
    antiAffinity: props.antiAffinity,
  });
}
