/** Section B: `ValidateRolloutStrategyBlueGreen`. Paths have no `blueGreen` segment, as the controller reports them. */
import { invalid } from '../field';
import { finding } from '../report';
import { isSet, num, str } from '../util';
import { checkAntiAffinity, DEFAULT_REVISION_HISTORY_LIMIT } from './general';
import type { RolloutCheck } from './view';

/** Rule 17: a plain string compare, so it also fires when both are empty. */
export const checkBlueGreenServices: RolloutCheck = ({ blueGreen }, out) => {
  if (!blueGreen) return;
  const active = str(blueGreen.activeService);
  if (active !== str(blueGreen.previewService)) return;
  out.push(
    finding(
      'bluegreen-same-services',
      'spec.strategy.activeService',
      invalid(active, 'This rollout uses the same service for the active and preview services, but two different services are required.'),
    ),
  );
};

/** Rule 18: old ReplicaSets kept for a fast rollback must also be kept in the revision history. */
export const checkBlueGreenScaleDownRevisionLimit: RolloutCheck = ({ blueGreen, spec }, out) => {
  if (!blueGreen || !isSet(blueGreen.scaleDownDelayRevisionLimit)) return;
  const limit = num(blueGreen.scaleDownDelayRevisionLimit, 0);
  if (num(spec.revisionHistoryLimit, DEFAULT_REVISION_HISTORY_LIMIT) >= limit) return;
  out.push(
    finding(
      'bluegreen-scale-down-revision-limit',
      'spec.strategy.scaleDownDelayRevisionLimit',
      invalid(limit, "This rollout's revision history limit can not be smaller than the rollout's scale down limit"),
    ),
  );
};

export const checkBlueGreenAntiAffinity: RolloutCheck = ({ blueGreen }, out) => {
  if (blueGreen) checkAntiAffinity(blueGreen.antiAffinity, out);
};
