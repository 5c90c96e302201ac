/** What every Rollout rule reads, worked out once. */
import type { Finding } from '../finding';
import { validateLabelSelector } from '../labels';
import { arr, isSet, obj } from '../util';

export interface RolloutView {
  readonly rollout: any;
  readonly spec: Record<string, any>;
  readonly strategy: Record<string, any>;
  /** Set when `canary` is the only strategy (the controller validates nothing else otherwise). */
  readonly canary?: Record<string, any>;
  /** Set when `blueGreen` is the only strategy. */
  readonly blueGreen?: Record<string, any>;
  /** `canary.trafficRouting`, when set. */
  readonly trafficRouting?: Record<string, any>;
  /**
   * The Rollout's own pod template (`{}` when absent); undefined with a `workloadRef`, whose template comes from the
   * referenced workload, which the controller validates after resolving.
   */
  readonly template?: Record<string, any>;
  /** The template's `spec` (`{}` when absent), when there is a template. */
  readonly pod?: Record<string, any>;
  /** `spec.selector`'s syntax findings, at `spec.selector` ({@link selectorFindings}). */
  selectorFindings?: Finding[];
  /** {@link stepsOnlyWeightsAndPauses}, worked out once. */
  onlyWeightsAndPauses?: boolean;
}

/**
 * One rule (or a few tightly related ones) over a Rollout, adding its findings to `out` (the checks run on every
 * Rollout at each synth and nearly always find nothing: no list is made per check).
 */
export type RolloutCheck = (ro: RolloutView, out: Finding[]) => void;

/** A set struct pointer as an object: `canary: {}` and even a malformed `canary: true` count as set. */
function setObject(v: unknown): Record<string, any> | undefined {
  return isSet(v) ? (obj(v) ?? {}) : undefined;
}

export function viewOf(rollout: any): RolloutView {
  const spec = obj(rollout?.spec) ?? {};
  const strategy = obj(spec.strategy) ?? {};
  const canary = setObject(strategy.canary);
  const blueGreen = setObject(strategy.blueGreen);
  const only = !(canary && blueGreen);
  const template = isSet(spec.workloadRef) ? undefined : (obj(spec.template) ?? {});
  return {
    rollout,
    spec,
    strategy,
    canary: only ? canary : undefined,
    blueGreen: only ? blueGreen : undefined,
    trafficRouting: only ? setObject(canary?.trafficRouting) : undefined,
    template,
    pod: template ? (obj(template.spec) ?? {}) : undefined,
    selectorFindings: undefined,
    onlyWeightsAndPauses: undefined,
  };
}

/**
 * The syntax findings of a set `spec.selector` (`ValidateLabelSelector`), at `spec.selector`: listed once for the
 * rules that report them (2-4), that need it parsable (6: `LabelSelectorAsSelector` fails exactly when there are
 * some, wherever they are reported) and that match it against the template (7).
 */
export function selectorFindings(ro: RolloutView): Finding[] {
  return (ro.selectorFindings ??= validateLabelSelector(ro.spec.selector, 'spec.selector'));
}

/** Whether `LabelSelectorAsSelector` accepts `spec.selector` (nil is accepted: it selects nothing). */
export function selectorParsableOf(ro: RolloutView): boolean {
  return !isSet(ro.spec.selector) || selectorFindings(ro).length === 0;
}

/**
 * Whether each canary step is a `setWeight` or a `pause` and nothing else (or not an object at all): then no step
 * names an analysis, an experiment or a template, and the loops that look for those (the analysis runs, the template
 * references) have nothing to read. Most canaries, the presets' included, are made of such steps.
 */
export function stepsOnlyWeightsAndPauses(ro: RolloutView): boolean {
  if (ro.onlyWeightsAndPauses !== undefined) return ro.onlyWeightsAndPauses;
  const steps = arr(ro.canary?.steps);
  let only = true;
  for (let i = 0; i < steps.length && only; i++) {
    const step = obj(steps[i]);
    if (!step) continue;
    const keys = Object.keys(step);
    only = keys.length === 1 && (keys[0] === 'setWeight' || keys[0] === 'pause');
  }
  return (ro.onlyWeightsAndPauses = only);
}
