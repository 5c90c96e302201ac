/**
 * The rollout planner: what every step of an Argo Rollout will do to pods and traffic, before it ships.
 * This module is the planner's public surface.
 */
export { planRollout, planWarnings } from './plan';
export type { PlanStep, RolloutPlan, RowKind, Wait } from './types';
export { PLAN_RULES } from './warnings';
export type { PlanRule } from './warnings';
export { formatPlanTable, formatPlanMarkdown, formatWait } from './render';
export { renderPlanSvg } from './svg';
export { approximateSplit, basicCanaryCounts, settleBasicCanary } from './basic-canary';
export { resolveFenceposts } from './fenceposts';
export { pauseDurationSeconds, formatSeconds } from './duration';
