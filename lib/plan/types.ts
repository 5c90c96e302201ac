import { Finding } from '../rules/finding';

/** How long a row holds before the rollout moves on: seconds, until a human promotes, or not a timed wait (null). */
export type Wait = number | 'until promoted' | null;

/** What a row does. Canary rows mirror `spec.strategy.canary.steps[]`; the others are phases the controller adds. */
export type RowKind =
  | 'setWeight'
  | 'pause'
  | 'setCanaryScale'
  | 'analysis'
  | 'experiment'
  | 'setHeaderRoute'
  | 'setMirrorRoute'
  | 'plugin'
  | 'promote'
  | 'scaleDown'
  | 'preview'
  | 'switch';

/**
 * One row of a plan: a canary step (or the final promotion), or a blue/green phase.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export interface PlanStep {
  /**
   * Canary: the step index as in `spec.strategy.canary.steps[index]` and kubectl's `Step: index/len`; the final
   * promotion row has `index == steps.length`. Blue/green: the phase number, from 0.
   */
  readonly index: number;
  /** What kind of row: a canary step's action, or a blue/green phase. */
  readonly kind: RowKind;
  /** A short description, e.g. `setWeight 20`, `pause 60s`, `switch activeService`. */
  readonly action: string;
  /** The desired canary weight in force at this row (kubectl's `SetWeight`); null for blue/green. */
  readonly setWeight: number | null;
  /** Pods of the new ReplicaSet once the row has settled (canary, or blue/green "new"). */
  readonly canaryReplicas: number;
  /** Pods of the old ReplicaSet once the row has settled (stable, or blue/green "old"/active). */
  readonly stableReplicas: number;
  /**
   * The share of traffic the new version gets once settled, in percent. Basic canary: kubectl's ActualWeight
   * (available canary pods × 100 / all available pods, integer division; 100 once no step remains). Traffic-routed
   * canary: the router weight. Blue/green: 0 before the active Service switches, 100 after.
   */
  readonly actualWeight: number;
  /** The most pods that run while this row's changes are applied (counting the previous row's pods until removed). */
  readonly maxPods: number;
  /** The fewest available pods while this row's changes are applied. */
  readonly minAvailable: number;
  /** How long the row waits: seconds, `'until promoted'`, or null for no wait. */
  readonly wait: Wait;
  /** Why the row looks the way it does, when that is not obvious (e.g. "no replica change: an AnalysisRun"). */
  readonly note: string | null;
}

/**
 * The plan of one Rollout.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export interface RolloutPlan {
  /** The Rollout's name. */
  readonly name: string;
  /** The Rollout's namespace, when it has one. */
  readonly namespace?: string;
  /** null only when the Rollout has no usable strategy (then `unsupported` says why). */
  readonly strategy: 'canary' | 'blueGreen' | null;
  /** `spec.replicas` (the controller's default 1 when omitted); null when unusable. */
  readonly replicas: number | null;
  /** The traffic router (`nginx`, `istio`, `smi`, `plugins:<name>`…), or null for a basic canary / blue-green. */
  readonly trafficRouting: string | null;
  /** Resolved canary fenceposts (pods), for a basic canary; null otherwise. */
  readonly maxSurge: number | null;
  /** Resolved canary maxUnavailable (pods), for a basic canary; null otherwise. */
  readonly maxUnavailable: number | null;
  /** One row per step (canary) or phase (blue/green), in order. */
  readonly steps: PlanStep[];
  /** What the plan will do that the YAML does not say plainly (rule ids `plan-...`). */
  readonly warnings: Finding[];
  /** Facts about the whole plan worth reading (assumptions, defaults applied). */
  readonly notes: string[];
  /**
   * The most pods the update runs above `replicas`, and why (surge, a routed stable at full scale, blue/green's two
   * ReplicaSets), for capacity and quota; null when it never exceeds `replicas`.
   */
  readonly capacity: string | null;
  /** Set when the Rollout cannot be planned: a plain sentence saying why. `steps` is then empty. */
  readonly unsupported?: string;
}

/** Thrown inside the engine for input it cannot plan; `planRollout` turns it into `unsupported`. */
export class PlanError extends Error {}
