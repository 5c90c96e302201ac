import { PlanError } from './types';

/** The controller's defaults for `canary.maxSurge` / `maxUnavailable` (`utils/defaults`): strings, so percents. */
export const DEFAULT_MAX_SURGE = '25';
export const DEFAULT_MAX_UNAVAILABLE = '25';

export interface Fenceposts {
  /** Pods allowed above `replicas` while scaling. */
  readonly surge: number;
  /** Pods allowed below `replicas` (available) while scaling. */
  readonly unavailable: number;
}

/**
 * `MaxSurge` / `MaxUnavailable` → `resolveFenceposts` (`utils/replicaset/replicaset.go`): surge rounds up,
 * unavailable rounds down; if both are 0, unavailable becomes 1; unavailable is capped at `replicas` and is 0 when
 * `replicas` is 0.
 */
export function resolveFenceposts(maxSurge: unknown, maxUnavailable: unknown, replicas: number): Fenceposts {
  const surge = valueFromIntOrPercent(maxSurge ?? DEFAULT_MAX_SURGE, replicas, true, 'maxSurge');
  let unavailable = valueFromIntOrPercent(maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE, replicas, false, 'maxUnavailable');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  if (replicas === 0) unavailable = 0;
  else if (unavailable > replicas) unavailable = replicas;
  return { surge, unavailable };
}

/**
 * The legacy `intstr.GetValueFromIntOrPercent` the controller calls: an int is used as is; ANY string is a percent
 * once every `%` is removed, so `"1"` means 1 %, not 1 pod.
 */
export function valueFromIntOrPercent(v: unknown, total: number, roundUp: boolean, field: string): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new PlanError(`${field} ${v} is not an integer or a percent`);
    if (v < 0) throw new PlanError(`${field} ${v} is negative`);
    return v;
  }
  if (typeof v === 'string') {
    const digits = v.replace(/%/g, '');
    // strconv.Atoi: optional sign and decimal digits only.
    if (!/^[+-]?[0-9]+$/.test(digits)) throw new PlanError(`${field} "${v}" is not an integer or a percent`);
    const pct = Number(digits);
    if (pct < 0) throw new PlanError(`${field} "${v}" is negative`);
    const exact = (pct * total) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  throw new PlanError(`${field} ${JSON.stringify(v)} is not an integer or a percent`);
}

/** True when the value the user wrote is zero whatever the replica count (`0`, `"0"`, `"0%"`): validation rule 21. */
export function isExplicitZero(v: unknown): boolean {
  if (typeof v === 'number') return v === 0;
  if (typeof v === 'string') return /^[+-]?0+$/.test(v.replace(/%/g, ''));
  return false;
}
