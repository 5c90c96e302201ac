import * as kplus from 'cdk8s-plus-27';

/**
 * A cdk8s-plus container for a Rollout's pod template. The Rollout CRD types container `resources` loosely (`any`),
 * so its L1 passes them through unconverted: they must already be JSON, where cdk8s-plus hands out Quantity objects.
 */
export function containerJson(c: kplus.k8s.Container): kplus.k8s.Container {
  return { ...c, resources: kplus.k8s.toJson_ResourceRequirements(c.resources) as kplus.k8s.ResourceRequirements | undefined };
}
