/** What every Rollout rule reads, worked out once. */
import type { Finding } from '../finding';
import { isSet, obj } from '../util';

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
}

/** One rule (or a few tightly related ones) over a Rollout. */
export type RolloutCheck = (ro: RolloutView) => Finding[];

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
  return {
    rollout,
    spec,
    strategy,
    canary: only ? canary : undefined,
    blueGreen: only ? blueGreen : undefined,
    trafficRouting: only ? setObject(canary?.trafficRouting) : undefined,
  };
}
