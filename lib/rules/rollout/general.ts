/** Section A of Argo's validation (`ValidateRolloutSpec`, `ValidateRolloutStrategy`): the spec outside the strategy. */
import type { Finding } from '../finding';
import { internalError, invalid, required } from '../field';
import { selectorEmpty } from '../labels';
import { finding } from '../report';
import { isSet, num, obj, strMap } from '../util';
import { type RolloutCheck, selectorFindings, selectorParsableOf } from './view';

const NEGATIVE = 'must be greater than or equal to 0';
/** Controller defaults (`utils/defaults`), applied before the checks. */
export const DEFAULT_REPLICAS = 1;
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

const missingField = (field: string): string => `Rollout has missing field '${field}'`;

export const checkReplicas: RolloutCheck = ({ spec }, out) => {
  const replicas = num(spec.replicas, DEFAULT_REPLICAS);
  if (replicas < 0) out.push(finding('replicas-nonnegative', 'spec.replicas', invalid(replicas, NEGATIVE)));
};

/** Rules 2-4: a workloadRef brings its own selector, otherwise one is required, valid and not empty. */
export const checkSelector: RolloutCheck = (ro, out) => {
  const { spec } = ro;
  if (isSet(spec.workloadRef)) return;
  if (!isSet(spec.selector)) {
    out.push(finding('selector-required', 'spec.selector', required(missingField('.spec.selector'))));
    return;
  }
  const found = selectorFindings(ro);
  for (let i = 0; i < found.length; i++) out.push(found[i]);
  if (selectorEmpty(spec.selector)) {
    out.push(finding('selector-empty', 'spec.selector', invalid(spec.selector, 'empty selector is invalid for deployment')));
  }
};

/** Rule 6: `LabelSelectorAsSelector` fails (checked even with a workloadRef). */
export const checkSelectorParsable: RolloutCheck = (ro, out) => {
  if (!selectorParsableOf(ro)) out.push(finding('selector-unparsable', 'spec.selector', invalid(ro.spec.selector, 'invalid label selector')));
};

/** Rule 5: the template comes from the workload, so the Rollout's own must stay empty. */
export const checkWorkloadRefTemplate: RolloutCheck = ({ spec }, out) => {
  if (!isSet(spec.workloadRef)) return;
  const meta = obj(obj(spec.template)?.metadata) ?? {};
  const empty = Object.keys(strMap(meta.labels)).length === 0 && Object.keys(strMap(meta.annotations)).length === 0;
  if (!empty) out.push(finding('workload-ref-template', 'spec.template', internalError('template must be empty for workload reference rollout')));
};

export const checkMinReadySeconds: RolloutCheck = ({ spec }, out) => {
  const v = num(spec.minReadySeconds, 0);
  if (v < 0) out.push(finding('min-ready-seconds-nonnegative', 'spec.minReadySeconds', invalid(v, NEGATIVE)));
};

export const checkRevisionHistoryLimit: RolloutCheck = ({ spec }, out) => {
  const v = num(spec.revisionHistoryLimit, DEFAULT_REVISION_HISTORY_LIMIT);
  if (v < 0) out.push(finding('revision-history-limit-nonnegative', 'spec.revisionHistoryLimit', invalid(v, NEGATIVE)));
};

/** Rules 13-14: with the default of 600 s, `minReadySeconds: 600` alone is already invalid. */
export const checkProgressDeadline: RolloutCheck = ({ spec }, out) => {
  const pds = num(spec.progressDeadlineSeconds, DEFAULT_PROGRESS_DEADLINE_SECONDS);
  if (pds < 0) out.push(finding('progress-deadline-nonnegative', 'spec.progressDeadlineSeconds', invalid(pds, NEGATIVE)));
  if (pds <= num(spec.minReadySeconds, 0)) {
    out.push(finding('progress-deadline-min-ready', 'spec.progressDeadlineSeconds', invalid(pds, 'must be greater than minReadySeconds')));
  }
};

/** Rules 15-16: exactly one of canary / blueGreen (a YAML `canary:` with no value is nil, i.e. absent). */
export const checkStrategy: RolloutCheck = ({ strategy }, out) => {
  const canary = isSet(strategy.canary);
  const blueGreen = isSet(strategy.blueGreen);
  if (!canary && !blueGreen) {
    out.push(finding('strategy-required', 'spec.strategy.strategy', required(missingField('.spec.strategy.canary or .spec.strategy.blueGreen'))));
  } else if (canary && blueGreen) {
    out.push(finding('strategy-multiple', 'spec.strategy.strategy', invalid('blueGreen: true canary: true', 'Multiple Strategies can not be listed')));
  }
};

/** Rules 19-20 and 48-49, shared by both strategies. */
export function checkAntiAffinity(antiAffinity: unknown, out: Finding[]): void {
  if (!isSet(antiAffinity)) return;
  const aa = obj(antiAffinity) ?? {};
  const preferred = isSet(aa.preferredDuringSchedulingIgnoredDuringExecution);
  const requiredSet = isSet(aa.requiredDuringSchedulingIgnoredDuringExecution);
  if (preferred === requiredSet) {
    const errVal =
      `antiAffinity.PreferredDuringSchedulingIgnoredDuringExecution: ${preferred} ` +
      `antiAffinity.RequiredDuringSchedulingIgnoredDuringExecution: ${requiredSet}`;
    out.push(finding('anti-affinity-strategy', 'spec.strategy.antiAffinity', invalid(errVal, 'AntiAffinity must have exactly one strategy listed')));
  }
  if (preferred) {
    const weight = num(obj(aa.preferredDuringSchedulingIgnoredDuringExecution)?.weight, 0);
    if (weight < 1 || weight > 100) {
      out.push(finding('anti-affinity-weight', 'spec.strategy.antiAffinity.weight', invalid(weight, 'AntiAffinity weight must be between 1-100')));
    }
  }
}
