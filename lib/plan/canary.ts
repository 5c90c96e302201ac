/** Canary plans: basic (traffic follows pods) and traffic-routed (a router splits traffic, pods only follow). */
import { CanaryStableState, kubectlActualWeight, settleBasicCanary } from './basic-canary';
import { formatSeconds } from './duration';
import { isExplicitZero, resolveFenceposts } from './fenceposts';
import { currentCanaryScale, currentSetWeight, readSteps, StepInfo } from './steps';
import { PlanError, PlanStep, Wait } from './types';

/** What a strategy planner returns; `planRollout` adds name, warnings and so on. */
export interface CorePlan {
  readonly strategy: 'canary' | 'blueGreen';
  readonly trafficRouting: string | null;
  readonly maxSurge: number | null;
  readonly maxUnavailable: number | null;
  readonly steps: PlanStep[];
  readonly notes: string[];
}

/** Keys of `trafficRouting` that configure it rather than name a router. */
const ROUTING_SETTINGS = new Set(['managedRoutes', 'maxTrafficWeight']);

/** The router named in `trafficRouting` (`nginx`, `istio`, `plugins:<name>`…), or null without trafficRouting. */
export function trafficRouterName(trafficRouting: any): string | null {
  if (trafficRouting === undefined || trafficRouting === null) return null;
  if (typeof trafficRouting !== 'object') throw new PlanError('spec.strategy.canary.trafficRouting is not an object');
  const names: string[] = [];
  for (const [key, value] of Object.entries(trafficRouting)) {
    if (ROUTING_SETTINGS.has(key) || value === null || value === undefined) continue;
    if (key === 'plugins' && typeof value === 'object') names.push(...Object.keys(value as object).map((p) => `plugins:${p}`));
    else names.push(key);
  }
  return names.length ? names.sort().join('+') : 'trafficRouting';
}

/** `weightutil.MaxTrafficWeight`: 100 unless `trafficRouting.maxTrafficWeight`. */
function maxTrafficWeight(canary: any): number {
  const m = canary.trafficRouting?.maxTrafficWeight;
  if (m === undefined || m === null) return 100;
  if (!Number.isInteger(m) || m <= 0) throw new PlanError(`spec.strategy.canary.trafficRouting.maxTrafficWeight ${JSON.stringify(m)} is not a positive whole number`);
  return m;
}

export function planCanary(canary: any, replicas: number): CorePlan {
  if (canary === null || typeof canary !== 'object') throw new PlanError('spec.strategy.canary is not an object');
  const router = trafficRouterName(canary.trafficRouting);
  const maxWeight = router ? maxTrafficWeight(canary) : 100;
  const steps = readSteps(canary.steps, maxWeight, router !== null);
  return router === null ? planBasicCanary(canary, replicas, steps) : planTrafficRouted(canary, replicas, steps, router, maxWeight);
}

function planBasicCanary(canary: any, replicas: number, steps: StepInfo[]): CorePlan {
  if (canary.maxSurge != null && canary.maxUnavailable != null && isExplicitZero(canary.maxSurge) && isExplicitZero(canary.maxUnavailable)) {
    throw new PlanError('maxSurge and maxUnavailable are both 0, so the controller would reject the Rollout (InvalidSpec: MaxSurge and MaxUnavailable both can not be zero)');
  }
  const { surge, unavailable } = resolveFenceposts(canary.maxSurge, canary.maxUnavailable, replicas);
  // An update starts from a fully available stable ReplicaSet and a new, empty canary ReplicaSet.
  let state: CanaryStableState = { canary: { spec: 0, available: 0 }, stable: { spec: replicas, available: replicas } };
  const rows: PlanStep[] = [];
  for (const step of steps) {
    const weight = currentSetWeight(steps, step.index);
    const t = settleBasicCanary(replicas, weight, surge, unavailable, state);
    state = t.end;
    rows.push({
      index: step.index,
      kind: step.kind,
      action: step.action,
      setWeight: weight,
      canaryReplicas: state.canary.spec,
      stableReplicas: state.stable.spec,
      actualWeight: kubectlActualWeight(state),
      maxPods: t.maxPods,
      minAvailable: t.minAvailable,
      wait: step.wait,
      note: step.note,
    });
  }
  // Past the last step GetCurrentSetWeight is 100: the canary takes every pod, then becomes the stable.
  const t = settleBasicCanary(replicas, 100, surge, unavailable, state);
  rows.push({
    index: steps.length,
    kind: 'promote',
    action: 'promote to 100%',
    setWeight: 100,
    canaryReplicas: t.end.canary.spec,
    stableReplicas: t.end.stable.spec,
    actualWeight: 100, // kubectl shows 100 as soon as no step remains
    maxPods: t.maxPods,
    minAvailable: t.minAvailable,
    wait: null,
    note: steps.length === 0 ? 'no steps: a rolling update within maxSurge/maxUnavailable' : null,
  });
  const notes = [
    `basic canary: traffic follows pod counts; maxSurge ${describeFencepost(canary.maxSurge, '25')} = ${surge} pod${surge === 1 ? '' : 's'}, maxUnavailable ${describeFencepost(canary.maxUnavailable, '25')} = ${unavailable} pod${unavailable === 1 ? '' : 's'} of ${replicas}`,
  ];
  return { strategy: 'canary', trafficRouting: null, maxSurge: surge, maxUnavailable: unavailable, steps: rows, notes };
}

function describeFencepost(v: unknown, dflt: string): string {
  if (v === undefined || v === null) return `${dflt}% (default)`;
  if (typeof v === 'string') return v.endsWith('%') ? `"${v}"` : `"${v}" (${v}%)`;
  return String(v);
}

/** `trafficWeightToReplicas`: pods for a weight, rounded up. */
function weightToReplicas(replicas: number, weight: number, maxWeight: number): number {
  return Math.ceil((weight * replicas) / maxWeight);
}

/** `CheckMinPodsPerReplicaSet`: a ReplicaSet that runs at all runs at least `minPodsPerReplicaSet` pods. */
function withMinPods(count: number, minPods: number | null): number {
  return count === 0 || minPods === null ? count : Math.max(count, minPods);
}

function planTrafficRouted(canary: any, replicas: number, steps: StepInfo[], router: string, maxWeight: number): CorePlan {
  const dynamic = canary.dynamicStableScale === true;
  const minPods = Number.isInteger(canary.minPodsPerReplicaSet) ? (canary.minPodsPerReplicaSet as number) : null;
  const scaleDownDelay = readScaleDownDelay(canary.scaleDownDelaySeconds, 'spec.strategy.canary.scaleDownDelaySeconds');

  // `CalculateReplicaCountsForTrafficRoutedCanary`: the canary follows setCanaryScale or the weight; the stable stays
  // at full scale unless dynamicStableScale, in which case it follows the stable's share of traffic.
  const countsAt = (index: number, weight: number): { canary: number; stable: number } => {
    const scale = index < steps.length ? currentCanaryScale(steps, index) : null;
    let canaryPods: number;
    if (scale?.replicas !== undefined) canaryPods = scale.replicas;
    else canaryPods = withMinPods(weightToReplicas(replicas, scale?.weight ?? weight, maxWeight), minPods);
    const stablePods = dynamic ? withMinPods(weightToReplicas(replicas, maxWeight - weight, maxWeight), minPods) : replicas;
    return { canary: canaryPods, stable: stablePods };
  };

  let prev = { canary: 0, stable: replicas };
  const rows: PlanStep[] = [];
  const row = (index: number, kind: PlanStep['kind'], action: string, weight: number, next: { canary: number; stable: number }, wait: Wait, note: string | null): void => {
    // The canary scales before traffic moves and a dynamic stable shrinks only after it, so both peaks overlap.
    rows.push({
      index,
      kind,
      action,
      setWeight: weight,
      canaryReplicas: next.canary,
      stableReplicas: next.stable,
      actualWeight: (weight * 100) / maxWeight,
      maxPods: Math.max(prev.canary, next.canary) + Math.max(prev.stable, next.stable),
      minAvailable: Math.min(prev.canary, next.canary) + Math.min(prev.stable, next.stable),
      wait,
      note,
    });
    prev = next;
  };
  for (const step of steps) {
    const weight = currentSetWeight(steps, step.index);
    row(step.index, step.kind, step.action, weight, countsAt(step.index, weight), step.wait, step.note);
  }
  const full = { canary: replicas, stable: dynamic ? 0 : replicas };
  if (dynamic) {
    row(steps.length, 'promote', 'promote to 100%', maxWeight, full, null, 'dynamicStableScale: the old stable scales down as traffic leaves it');
  } else {
    row(steps.length, 'promote', 'promote to 100%', maxWeight, full, scaleDownDelay, `the old stable keeps its pods for scaleDownDelaySeconds (${formatSeconds(scaleDownDelay)})`);
    row(steps.length + 1, 'scaleDown', 'scale down old stable', maxWeight, { canary: replicas, stable: 0 }, null, null);
  }
  const notes = [
    `traffic-routed canary (${router}): the router sends the setWeight share of traffic; pods only follow it`,
    dynamic
      ? 'dynamicStableScale: the stable shrinks with its share of traffic'
      : `the stable keeps all ${replicas} pods until ${formatSeconds(scaleDownDelay)} after promotion (scaleDownDelaySeconds)`,
  ];
  if (maxWeight !== 100) notes.push(`maxTrafficWeight ${maxWeight}: setWeight ${maxWeight} is 100% of traffic`);
  return { strategy: 'canary', trafficRouting: router, maxSurge: null, maxUnavailable: null, steps: rows, notes };
}

/** `scaleDownDelaySeconds`, default 30 (`utils/defaults`). */
export function readScaleDownDelay(v: unknown, at: string): number {
  if (v === undefined || v === null) return 30;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new PlanError(`${at} ${JSON.stringify(v)} is not a whole number of seconds`);
  return v;
}
