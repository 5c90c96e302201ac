/** Warnings about what a plan will do that the YAML does not say plainly. Rule ids start with `plan-`. */
import { Finding, refOf } from '../rules/finding';
import { formatSeconds } from './duration';
import { stepPath } from './steps';
import { PlanStep, RolloutPlan } from './types';

type PlanBody = Omit<RolloutPlan, 'warnings' | 'capacity'>;

export const PLAN_RULES = [
  'plan-weight-not-honored',
  'plan-settles-above-replicas',
  'plan-indefinite-pause',
  'plan-manual-promotion',
  'plan-autopromotion-seconds-ignored',
  'plan-traffic-without-canary-pods',
  'plan-no-available-pods',
  'plan-paused',
  'plan-unsupported',
] as const;
export type PlanRule = (typeof PLAN_RULES)[number];

export function pods(n: number): string {
  return `${n} pod${n === 1 ? '' : 's'}`;
}

/** `step 2 (setWeight 80)` or `promote to 100%`: how a row is named in messages. */
export function rowLabel(plan: PlanBody, row: PlanStep): string {
  if (plan.strategy === 'canary' && row.kind !== 'promote' && row.kind !== 'scaleDown') return `step ${row.index} (${row.action})`;
  return row.action;
}

export function collectWarnings(rollout: any, plan: PlanBody): Finding[] {
  const object = refOf(rollout);
  const out: Finding[] = [];
  const warn = (rule: PlanRule, path: string, message: string): void => {
    out.push({ severity: 'warning', rule, path, message, object });
  };
  if (plan.unsupported !== undefined) {
    warn('plan-unsupported', 'spec', `cannot plan this Rollout: ${plan.unsupported}`);
    return out;
  }
  const R = plan.replicas ?? 0;
  const name = plan.name;

  if (rollout?.spec?.paused === true) {
    warn('plan-paused', 'spec.paused', 'spec.paused is true: the rollout does not progress until it is unpaused');
  }

  for (const row of plan.steps) {
    if (plan.strategy !== 'canary' || row.kind === 'promote' || row.kind === 'scaleDown') continue;
    const at = stepPath(row.index);
    const settled = row.canaryReplicas + row.stableReplicas;
    if (plan.trafficRouting === null && row.kind === 'setWeight') {
      if (row.actualWeight !== row.setWeight) {
        warn('plan-weight-not-honored', `${at}.setWeight`,
          `setWeight ${row.setWeight} with ${R} replica${R === 1 ? '' : 's'} runs ${row.canaryReplicas} canary of ${pods(settled)} = ${row.actualWeight}%`);
      }
      if (settled > R) {
        warn('plan-settles-above-replicas', `${at}.setWeight`,
          `setWeight ${row.setWeight} settles at ${row.canaryReplicas} canary + ${row.stableReplicas} stable = ${pods(settled)}, more than the ${R} replicas, until the weight changes`);
      }
    }
    if (plan.trafficRouting !== null && row.actualWeight > 0 && row.canaryReplicas === 0) {
      warn('plan-traffic-without-canary-pods', at,
        `step ${row.index} sends ${row.actualWeight}% of traffic to the canary while setCanaryScale keeps it at 0 pods`);
    }
    if (row.kind === 'pause' && row.wait === 'until promoted') {
      warn('plan-indefinite-pause', `${at}.pause`,
        `pause: {} stops the rollout at step ${row.index} until someone runs \`kubectl argo rollouts promote ${name}\`; an unattended pipeline waits here forever`);
    }
  }

  if (R > 0) {
    const dark = plan.steps.filter((r) => r.minAvailable === 0);
    if (dark.length > 0) {
      warn('plan-no-available-pods', 'spec.replicas',
        `no pod is available for a moment at ${dark.map((r) => rowLabel(plan, r)).join(', ')}: raise replicas or allow maxSurge so the old pods stay until new ones are ready`);
    }
  }

  const bg = rollout?.spec?.strategy?.blueGreen;
  if (plan.strategy === 'blueGreen' && bg?.autoPromotionEnabled === false) {
    warn('plan-manual-promotion', 'spec.strategy.blueGreen.autoPromotionEnabled',
      `autoPromotionEnabled: false stops every update at the preview until someone runs \`kubectl argo rollouts promote ${name}\`; an unattended pipeline waits here forever`);
    if (bg.autoPromotionSeconds != null) {
      warn('plan-autopromotion-seconds-ignored', 'spec.strategy.blueGreen.autoPromotionSeconds',
        'autoPromotionSeconds is ignored while autoPromotionEnabled is false');
    }
  }
  return out;
}

/**
 * The most pods the Rollout runs, and why, for capacity and quota. A note, not a warning: surge, a traffic-routed
 * stable kept at full scale and blue/green's two ReplicaSets are what the strategy is configured to do, so a warning
 * would fire for almost every Rollout and drown the ones that matter.
 */
export function peakNote(plan: PlanBody, R: number): string | undefined {
  const peak = Math.max(0, ...plan.steps.map((r) => r.maxPods));
  if (peak <= R) return undefined;
  const at = plan.steps.filter((r) => r.maxPods === peak).map((r) => rowLabel(plan, r));
  let why: string;
  if (plan.strategy === 'blueGreen') {
    const delay = plan.steps.find((r) => r.kind === 'switch')?.wait;
    const after = typeof delay === 'number' ? ` ${formatSeconds(delay)} after the switch` : '';
    why = `from the preview until the old ReplicaSet is scaled down${after}: the new ReplicaSet runs next to the old one`;
  } else if (plan.trafficRouting !== null) {
    why = `at ${at.join(', ')}: the stable keeps its pods while the canary runs`;
  } else {
    why = `at ${at.join(', ')}: maxSurge ${plan.maxSurge} lets the controller add pods before it removes old ones`;
  }
  return `runs up to ${pods(peak)}, ${peak - R} more than the ${R} replicas, ${why}; leave room for them (quota, nodes)`;
}
