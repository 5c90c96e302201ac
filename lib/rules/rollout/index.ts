/** `validateRollout`: every spec-only rule (Argo's `ValidateRollout` plus the Kubernetes rules users hit). */
import type { Finding } from '../finding';
import { refOf } from '../finding';
import { validateMetadata } from '../metadata';
import { dedupe } from '../report';
import { checkBlueGreenAntiAffinity, checkBlueGreenScaleDownRevisionLimit, checkBlueGreenServices } from './blue-green';
import {
  checkCanaryAntiAffinity,
  checkCanaryServices,
  checkMaxSurgeMaxUnavailable,
  checkMaxTrafficWeight,
  checkPingPong,
  checkScaleDownOptions,
  checkTrafficRoutingServices,
} from './canary';
import {
  checkMinReadySeconds,
  checkProgressDeadline,
  checkReplicas,
  checkRevisionHistoryLimit,
  checkSelector,
  checkSelectorParsable,
  checkStrategy,
  checkWorkloadRefTemplate,
} from './general';
import {
  checkContainerNames,
  checkContainers,
  checkRestartPolicyAndDeadline,
  checkSelectorMatchesTemplate,
  checkTemplateMetadata,
  checkVolumes,
} from './pod-template';
import { checkSteps } from './steps';
import { type RolloutCheck, type RolloutView, viewOf } from './view';

/** In the controller's order, so findings read top to bottom like the spec. */
const CHECKS: RolloutCheck[] = [
  ({ rollout }, out) => {
    validateMetadata(rollout, 'dns1123-subdomain', out);
  },
  checkReplicas,
  checkSelector,
  checkWorkloadRefTemplate,
  checkSelectorParsable,
  checkSelectorMatchesTemplate,
  checkTemplateMetadata,
  checkContainerNames,
  checkContainers,
  checkVolumes,
  checkRestartPolicyAndDeadline,
  checkMinReadySeconds,
  checkRevisionHistoryLimit,
  checkProgressDeadline,
  checkStrategy,
  checkBlueGreenServices,
  checkBlueGreenScaleDownRevisionLimit,
  checkBlueGreenAntiAffinity,
  checkMaxSurgeMaxUnavailable,
  checkCanaryServices,
  checkPingPong,
  checkTrafficRoutingServices,
  checkScaleDownOptions,
  checkMaxTrafficWeight,
  checkSteps,
  checkCanaryAntiAffinity,
];

/**
 * Every problem in a Rollout (plain JSON, as applied to the cluster). Unlike the controller, which reports only the
 * first error as the `InvalidSpec` condition, this reports all of them. All findings are errors.
 */
export function validateRollout(rollout: any): Finding[] {
  return validateRolloutView(viewOf(rollout));
}

/**
 * {@link validateRollout} over a view already worked out (`validateObjects` reads the same view for the references).
 *
 * @internal
 */
export function validateRolloutView(view: RolloutView): Finding[] {
  const findings: Finding[] = [];
  // indexed loops: this runs unoptimized at first, where `for...of` steps an iterator object
  for (let c = 0; c < CHECKS.length; c++) CHECKS[c](view, findings);
  if (findings.length === 0) return findings;
  const object = refOf(view.rollout);
  return dedupe(findings).map((f) => ({ ...f, object }));
}
