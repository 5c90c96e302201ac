/**
 * Reading `spec.strategy.canary.steps[]`: what each step is, checked only as far as the plan needs (a step the
 * controller would reject makes the Rollout InvalidSpec, so there is nothing to plan).
 */
import { formatSeconds, pauseDurationSeconds } from './duration';
import { PlanError, RowKind, Wait } from './types';

/** The actions validation rule 34 allows only one of. */
const EXCLUSIVE = ['setWeight', 'pause', 'experiment', 'analysis'] as const;
/** Everything rule 33 accepts as "a step". */
const KNOWN = [...EXCLUSIVE, 'setCanaryScale', 'setHeaderRoute', 'setMirrorRoute', 'plugin'] as const;

export interface CanaryScale {
  readonly replicas?: number;
  readonly weight?: number;
  readonly matchTrafficWeight?: boolean;
}

/** One canary step, read. */
export interface StepInfo {
  readonly index: number;
  readonly kind: RowKind;
  readonly action: string;
  readonly setWeight: number | null;
  readonly setCanaryScale: CanaryScale | null;
  readonly wait: Wait;
  /** Set for steps that change no replica count themselves (analysis, experiment, routes, plugins). */
  readonly note: string | null;
}

export function stepPath(index: number): string {
  return `spec.strategy.canary.steps[${index}]`;
}

/** Reads every step; throws `PlanError` for a step the controller would reject. */
export function readSteps(steps: unknown, maxWeight: number, trafficRouted: boolean): StepInfo[] {
  if (steps === undefined || steps === null) return [];
  if (!Array.isArray(steps)) throw new PlanError('spec.strategy.canary.steps is not a list');
  return steps.map((s, i) => readStep(s, i, maxWeight, trafficRouted));
}

function readStep(step: any, index: number, maxWeight: number, trafficRouted: boolean): StepInfo {
  const at = stepPath(index);
  if (step === null || typeof step !== 'object' || Array.isArray(step)) throw new PlanError(`${at} is not an object`);
  const present = KNOWN.filter((k) => step[k] !== undefined && step[k] !== null);
  if (present.length === 0) {
    throw new PlanError(`${at} sets none of setWeight, pause, experiment, analysis, setCanaryScale, setHeaderRoute, setMirrorRoute, plugin, so the controller would reject the Rollout (InvalidSpec)`);
  }
  const exclusive = EXCLUSIVE.filter((k) => present.includes(k));
  if (exclusive.length > 1) {
    throw new PlanError(`${at} sets ${exclusive.join(' and ')} in one step, so the controller would reject the Rollout (InvalidSpec)`);
  }

  let setWeight: number | null = null;
  if (step.setWeight !== undefined && step.setWeight !== null) {
    const w = step.setWeight;
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > maxWeight) {
      throw new PlanError(`${at}.setWeight ${JSON.stringify(w)} is not a whole number from 0 to ${maxWeight}, so the controller would reject the Rollout (InvalidSpec)`);
    }
    setWeight = w;
  }
  const setCanaryScale = step.setCanaryScale == null ? null : readCanaryScale(step.setCanaryScale, `${at}.setCanaryScale`);
  if (setCanaryScale && !trafficRouted) {
    throw new PlanError(`${at}.setCanaryScale needs trafficRouting, so the controller would reject the Rollout (InvalidSpec: SetCanaryScale requires TrafficRouting to be set)`);
  }

  const parts: string[] = [];
  let kind: RowKind;
  let wait: Wait = null;
  let note: string | null = null;
  if (setWeight !== null) {
    kind = 'setWeight';
    parts.push(`setWeight ${setWeight}`);
  } else if (step.pause != null) {
    kind = 'pause';
    wait = pauseWait(step.pause, `${at}.pause`);
    parts.push(wait === 'until promoted' ? 'pause (until promoted)' : `pause ${formatSeconds(wait as number)}`);
  } else if (step.analysis != null) {
    kind = 'analysis';
    const names = templateNames(step.analysis.templates);
    parts.push(names ? `analysis ${names}` : 'analysis');
    note = 'no replica change: waits for the AnalysisRun to succeed';
  } else if (step.experiment != null) {
    kind = 'experiment';
    const ex = readExperiment(step.experiment);
    parts.push(ex.action);
    wait = ex.wait;
    note = ex.note;
  } else if (setCanaryScale) {
    kind = 'setCanaryScale';
  } else if (step.setHeaderRoute != null) {
    kind = 'setHeaderRoute';
  } else if (step.setMirrorRoute != null) {
    kind = 'setMirrorRoute';
  } else {
    kind = 'plugin';
  }
  if (setCanaryScale) parts.push(describeCanaryScale(setCanaryScale));
  if (step.setHeaderRoute != null) {
    parts.push(`setHeaderRoute ${step.setHeaderRoute.name ?? ''}`.trim());
    note ??= 'no replica change: routes requests with the matching header to the canary';
  }
  if (step.setMirrorRoute != null) {
    parts.push(`setMirrorRoute ${step.setMirrorRoute.name ?? ''}`.trim());
    note ??= 'no replica change: mirrors matching requests to the canary';
  }
  if (step.plugin != null) {
    parts.push(`plugin ${step.plugin.name ?? ''}`.trim());
    note ??= 'no replica change: runs a step plugin';
  }
  return { index, kind, action: parts.join(', '), setWeight, setCanaryScale, wait, note };
}

/** `pause: {}` waits for a human; otherwise the duration in seconds (rule 36 rejects what does not parse). */
function pauseWait(pause: any, at: string): Wait {
  if (typeof pause !== 'object' || pause.duration === undefined || pause.duration === null) return 'until promoted';
  const seconds = pauseDurationSeconds(pause.duration);
  if (seconds < 0) {
    throw new PlanError(`${at}.duration ${JSON.stringify(pause.duration)} is not a duration the controller accepts (seconds, or Go durations like 30s, 1m, 1h30m), so it would reject the Rollout (InvalidSpec)`);
  }
  return seconds;
}

function readCanaryScale(v: any, at: string): CanaryScale {
  if (typeof v !== 'object') throw new PlanError(`${at} is not an object`);
  const out: { replicas?: number; weight?: number; matchTrafficWeight?: boolean } = {};
  if (v.replicas != null) {
    if (!Number.isInteger(v.replicas) || v.replicas < 0) throw new PlanError(`${at}.replicas ${JSON.stringify(v.replicas)} is not a whole number`);
    out.replicas = v.replicas;
  }
  if (v.weight != null) {
    if (!Number.isInteger(v.weight) || v.weight < 0) throw new PlanError(`${at}.weight ${JSON.stringify(v.weight)} is not a whole number`);
    out.weight = v.weight;
  }
  if (v.matchTrafficWeight === true) out.matchTrafficWeight = true;
  return out;
}

function describeCanaryScale(s: CanaryScale): string {
  if (s.matchTrafficWeight) return 'setCanaryScale matchTrafficWeight';
  if (s.replicas !== undefined) return `setCanaryScale replicas ${s.replicas}`;
  if (s.weight !== undefined) return `setCanaryScale weight ${s.weight}`;
  return 'setCanaryScale';
}

function templateNames(templates: unknown): string {
  if (!Array.isArray(templates)) return '';
  return templates
    .map((t: any) => t?.templateName ?? t?.name)
    .filter((n) => typeof n === 'string')
    .join(', ');
}

function readExperiment(ex: any): { action: string; wait: Wait; note: string } {
  const templates: any[] = Array.isArray(ex.templates) ? ex.templates : [];
  const pods = templates.reduce((n, t) => n + (Number.isInteger(t?.replicas) ? t.replicas : 1), 0);
  const names = templates.map((t) => t?.name).filter((n) => typeof n === 'string');
  let wait: Wait = null;
  let action = names.length ? `experiment ${names.join(', ')}` : 'experiment';
  if (ex.duration != null) {
    const seconds = pauseDurationSeconds(ex.duration);
    if (seconds >= 0) {
      wait = seconds;
      action += ` for ${formatSeconds(seconds)}`;
    }
  }
  const extra = `${pods} pod${pods === 1 ? '' : 's'}`;
  return {
    action,
    wait,
    note: `no replica change to canary/stable: the Experiment runs ${extra} of its own, not counted here`,
  };
}

/** `GetCurrentSetWeight`: the nearest setWeight at or before step `index`; 0 when there is none. */
export function currentSetWeight(steps: StepInfo[], index: number): number {
  for (let i = Math.min(index, steps.length - 1); i >= 0; i--) {
    const w = steps[i].setWeight;
    if (w !== null) return w;
  }
  return 0;
}

/** `UseSetCanaryScale`: the nearest setCanaryScale at or before `index`, unless it says matchTrafficWeight. */
export function currentCanaryScale(steps: StepInfo[], index: number): CanaryScale | null {
  for (let i = Math.min(index, steps.length - 1); i >= 0; i--) {
    const s = steps[i].setCanaryScale;
    if (s === null) continue;
    return s.matchTrafficWeight ? null : s;
  }
  return null;
}
