/**
 * The basic canary (no trafficRouting): traffic follows pod counts, so the controller approximates the weight with
 * whole pods and moves there within maxSurge / maxUnavailable. Ported from `utils/replicaset/canary.go` (v1.9.1).
 */
import { PlanError } from './types';

/** One ReplicaSet as the controller sees it: desired pods and available pods. */
export interface RsCounts {
  readonly spec: number;
  readonly available: number;
}

export interface CanaryStableState {
  readonly canary: RsCounts;
  readonly stable: RsCounts;
}

export interface Split {
  readonly canary: number;
  readonly stable: number;
}

/** `floorCeilingTied`: R·w/100 is exactly halfway between two pod counts (float arithmetic as in Go). */
function floorCeilingTied(weight: number, total: number): boolean {
  const x = total * (weight / 100);
  return x - Math.trunc(x) === 0.5;
}

/** `weightDelta`: how far `canary` of `total` pods is from the desired weight. */
function weightDelta(weight: number, canary: number, total: number): number {
  return Math.abs((canary * 100) / total - weight);
}

/**
 * `approximateWeightedCanaryStableReplicaCounts`: the canary/stable split closest to `weight`, among
 * (ceil, R), (floor, R) and — when surge is allowed — (ceil, R+1), (floor, R+1). The first candidate wins a tie, so
 * ceil beats floor; a weight of 1–99 never yields 0 canary or 0 stable pods unless it must; the split may total R+1.
 */
export function approximateSplit(replicas: number, weight: number, surge: number): Split {
  if (replicas === 0) return { canary: 0, stable: 0 };
  const ceil = Math.ceil((replicas * weight) / 100);
  const floor = Math.floor((replicas * weight) / 100);
  const tied = floorCeilingTied(weight, replicas);
  const zeroAllowed = weight === 100 || weight === 0 || (replicas === 1 && surge === 0);
  const options: Array<{ canary: number; total: number }> = [];
  if (ceil < replicas || zeroAllowed) options.push({ canary: ceil, total: replicas });
  if (!tied && (floor !== 0 || zeroAllowed)) options.push({ canary: floor, total: replicas });
  if (surge > 0) {
    options.push({ canary: ceil, total: replicas + 1 });
    if (!floorCeilingTied(weight, replicas + 1) && (floor !== 0 || zeroAllowed)) {
      options.push({ canary: floor, total: replicas + 1 });
    }
  }
  if (options.length === 0) return { canary: 0, stable: replicas }; // unreachable in the controller too
  let best = options[0];
  for (const o of options.slice(1)) {
    if (weightDelta(weight, o.canary, o.total) < weightDelta(weight, best.canary, best.total)) best = o;
  }
  return { canary: best.canary, stable: best.total - best.canary };
}

/** `GetReplicasForScaleDown`: the pods a ReplicaSet counts for when deciding how much may be scaled down. */
function replicasForScaleDown(rs: RsCounts, ignoreAvailability: boolean): number {
  if (rs.spec < rs.available) return rs.spec;
  return ignoreAvailability ? rs.spec : rs.available;
}

/** `calculateScaleDownReplicaCount`: drain towards the desired count, at most `scaleDown` pods. */
function scaleDownTowards(rs: RsCounts, desired: number, scaleDown: number, current: number): number {
  return rs.spec > desired ? Math.max(desired, rs.spec - scaleDown) : current;
}

/**
 * `adjustReplicaWithinLimits`: trim the other ReplicaSet so the total stays within `maxAllowed`, give back what that
 * costs in availability, and take any excess from the drained one. Returns [drainCount, adjustCount].
 */
function adjustWithinLimits(
  drain: RsCounts,
  adjust: RsCounts,
  drainCount: number,
  adjustCount: number,
  maxAllowed: number,
  minAvailable: number,
): [number, number] {
  let over = Math.max(0, adjustCount + drainCount - maxAllowed);
  let totalAvailable = Math.min(drain.available, drainCount);
  let adjusted = adjustCount - over;
  totalAvailable += Math.min(adjust.available, adjusted);
  const extraAvailable = Math.max(0, adjust.available - adjusted);
  const needed = Math.max(0, minAvailable - totalAvailable);
  adjusted += Math.min(extraAvailable, needed);
  over = Math.max(0, adjusted + drainCount - maxAllowed);
  return [drainCount - over, adjusted];
}

/**
 * `CalculateReplicaCountsForBasicCanary` with a canary and a distinct stable ReplicaSet and no older ones: the counts
 * the controller sets on this reconcile. Scale up within `replicas + surge`, stable first; then scale down within
 * `replicas − unavailable` available pods, draining the stable when the canary grows and the canary when it shrinks.
 */
export function basicCanaryCounts(
  replicas: number,
  weight: number,
  surge: number,
  unavailable: number,
  state: CanaryStableState,
): Split {
  const { canary, stable } = state;
  const desired = approximateSplit(replicas, weight, surge);
  let canaryCount = canary.spec;
  let stableCount = stable.spec;
  const maxAllowed = replicas + surge;
  let scaleUp = maxAllowed - (canary.spec + stable.spec);
  if (stable.spec < desired.stable && scaleUp > 0) {
    if (stable.spec + scaleUp < desired.stable) {
      stableCount = stable.spec + scaleUp;
      scaleUp = 0;
    } else {
      stableCount = desired.stable;
      scaleUp -= desired.stable - stable.spec;
    }
  }
  if (canary.spec < desired.canary && scaleUp > 0) {
    canaryCount = Math.min(canary.spec + scaleUp, desired.canary);
  }
  const minAvailable = replicas - unavailable;
  const isIncreasing = desired.canary >= canary.spec;
  const toScaleDown = replicasForScaleDown(canary, !isIncreasing) + replicasForScaleDown(stable, isIncreasing);
  if (toScaleDown <= minAvailable) return { canary: canaryCount, stable: stableCount };
  const scaleDown = toScaleDown - minAvailable;
  if (!isIncreasing) {
    canaryCount = scaleDownTowards(canary, desired.canary, scaleDown, canaryCount);
    [canaryCount, stableCount] = adjustWithinLimits(canary, stable, canaryCount, stableCount, maxAllowed, minAvailable);
  } else {
    stableCount = scaleDownTowards(stable, desired.stable, scaleDown, stableCount);
    [stableCount, canaryCount] = adjustWithinLimits(stable, canary, stableCount, canaryCount, maxAllowed, minAvailable);
  }
  return { canary: canaryCount, stable: stableCount };
}

export interface Transition {
  /** The settled state: `AtDesiredReplicaCountsForCanary` holds (a fixpoint, every pod available). */
  readonly end: CanaryStableState;
  readonly maxPods: number;
  readonly minAvailable: number;
  /** The canary/stable counts after each scaling action, in order (empty when nothing changed). */
  readonly path: Split[];
}

const MAX_RECONCILES = 100000;

/**
 * Runs reconciles until the counts stop changing, assuming new pods become available before the next reconcile.
 * Like `reconcileCanaryReplicaSets`, a reconcile that scales the stable ReplicaSet stops there; the canary is scaled
 * on the next one (with the stable's new count), so the peak can reach `replicas + surge`.
 */
export function settleBasicCanary(
  replicas: number,
  weight: number,
  surge: number,
  unavailable: number,
  start: CanaryStableState,
): Transition {
  let state = start;
  let maxPods = totalPods(state);
  let minAvailable = availablePods(state);
  const path: Split[] = [];
  for (let reconciles = 0; reconciles < MAX_RECONCILES; reconciles++) {
    const next = basicCanaryCounts(replicas, weight, surge, unavailable, state);
    if (next.stable !== state.stable.spec) {
      state = { canary: state.canary, stable: scaleTo(state.stable, next.stable) };
    } else if (next.canary !== state.canary.spec) {
      state = { canary: scaleTo(state.canary, next.canary), stable: state.stable };
    } else {
      return { end: state, maxPods, minAvailable, path };
    }
    path.push({ canary: state.canary.spec, stable: state.stable.spec });
    maxPods = Math.max(maxPods, totalPods(state));
    minAvailable = Math.min(minAvailable, availablePods(state));
    state = { canary: ready(state.canary), stable: ready(state.stable) };
  }
  throw new PlanError(`the replica counts for weight ${weight} did not settle after ${MAX_RECONCILES} reconciles`);
}

/** Scaling removes pods at once; new pods are not available yet. */
function scaleTo(rs: RsCounts, spec: number): RsCounts {
  return { spec, available: Math.min(rs.available, spec) };
}

function ready(rs: RsCounts): RsCounts {
  return { spec: rs.spec, available: rs.spec };
}

export function totalPods(s: CanaryStableState): number {
  return s.canary.spec + s.stable.spec;
}

export function availablePods(s: CanaryStableState): number {
  return s.canary.available + s.stable.available;
}

/**
 * kubectl's ActualWeight for a basic canary while a step is current: available canary pods × 100 / all available
 * pods, integer division; 0 when nothing is available (`rollout_info.go`).
 */
export function kubectlActualWeight(s: CanaryStableState): number {
  const total = availablePods(s);
  return total > 0 ? Math.trunc((s.canary.available * 100) / total) : 0;
}
