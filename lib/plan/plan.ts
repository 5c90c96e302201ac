import { Finding } from '../rules/finding';
import { planBlueGreen } from './bluegreen';
import { CorePlan, planCanary } from './canary';
import { PlanError, RolloutPlan } from './types';
import { collectWarnings, peakNote } from './warnings';

/**
 * Plans one Rollout (plain JSON as it reaches the cluster): what every step does to pods and traffic during an update
 * from a fully available stable version. Never throws: a Rollout it cannot plan comes back with `unsupported`.
 */
export function planRollout(rollout: any): RolloutPlan {
  const name = typeof rollout?.metadata?.name === 'string' ? rollout.metadata.name : '(unnamed)';
  const namespace = typeof rollout?.metadata?.namespace === 'string' ? rollout.metadata.namespace : undefined;
  const head = namespace === undefined ? { name } : { name, namespace };
  let body: Omit<RolloutPlan, 'warnings' | 'capacity'>;
  try {
    const { replicas, notes } = readReplicas(rollout);
    const core = planCore(rollout, replicas);
    body = {
      ...head,
      strategy: core.strategy,
      replicas,
      trafficRouting: core.trafficRouting,
      maxSurge: core.maxSurge,
      maxUnavailable: core.maxUnavailable,
      steps: core.steps,
      notes: [...notes, ...core.notes],
    };
  } catch (e) {
    const reason = e instanceof PlanError ? e.message : `the planner failed (${e instanceof Error ? e.message : String(e)})`;
    body = {
      ...head,
      strategy: strategyOf(rollout),
      replicas: null,
      trafficRouting: null,
      maxSurge: null,
      maxUnavailable: null,
      steps: [],
      notes: [],
      unsupported: reason,
    };
  }
  const { notes, unsupported, ...rest } = body;
  // Key order for JSON readers: identity, shape, rows, warnings, then notes and any refusal.
  const capacity = unsupported === undefined ? peakNote(body, body.replicas ?? 0) ?? null : null;
  return {
    ...rest, warnings: collectWarnings(rollout, body), capacity, notes, ...(unsupported === undefined ? {} : { unsupported }),
  };
}

/** The plan's warnings alone (the same list as `planRollout(rollout).warnings`). */
export function planWarnings(rollout: any): Finding[] {
  return planRollout(rollout).warnings;
}

function strategyOf(rollout: any): 'canary' | 'blueGreen' | null {
  const s = rollout?.spec?.strategy;
  if (s?.canary != null && s?.blueGreen == null) return 'canary';
  if (s?.blueGreen != null && s?.canary == null) return 'blueGreen';
  return null;
}

function readReplicas(rollout: any): { replicas: number; notes: string[] } {
  if (rollout === null || typeof rollout !== 'object') throw new PlanError('it is not an object');
  if (rollout.kind !== undefined && rollout.kind !== 'Rollout') throw new PlanError(`it is a ${rollout.kind}, not a Rollout`);
  const spec = rollout.spec;
  if (spec === null || typeof spec !== 'object') throw new PlanError('it has no spec');
  const notes: string[] = [];
  let replicas: number;
  if (spec.replicas === undefined || spec.replicas === null) {
    replicas = 1;
    notes.push('spec.replicas is not set: planned with the controller default 1 (which it writes back into the object)');
  } else if (typeof spec.replicas === 'number' && Number.isInteger(spec.replicas) && spec.replicas >= 0) {
    replicas = spec.replicas;
  } else {
    throw new PlanError(`spec.replicas ${JSON.stringify(spec.replicas)} is not a whole number of pods`);
  }
  if (spec.workloadRef != null) {
    const ref = spec.workloadRef;
    notes.push(`pods come from workloadRef ${ref.kind ?? '?'}/${ref.name ?? '?'}; planned with spec.replicas`);
  }
  notes.push('planned as an update from a fully available stable version, new pods becoming available between reconciles (a first deploy skips the steps)');
  return { replicas, notes };
}

function planCore(rollout: any, replicas: number): CorePlan {
  const strategy = rollout.spec.strategy;
  const canary = strategy?.canary;
  const blueGreen = strategy?.blueGreen;
  if (canary != null && blueGreen != null) throw new PlanError('spec.strategy sets both canary and blueGreen, so the controller would reject it (InvalidSpec)');
  if (canary != null) return planCanary(canary, replicas);
  if (blueGreen != null) return planBlueGreen(blueGreen, replicas);
  throw new PlanError('spec.strategy has neither canary nor blueGreen');
}
