/**
 * Apply order and Argo CD sync waves. The Rollout controller reads the ConfigMap (mounted by every pod), the Services
 * (blue/green, canary/stable) and the AnalysisTemplates it references when it reconciles: applied after the Rollout,
 * the Rollout goes Degraded or InvalidSpec first. So everything the Rollout references comes before it.
 */

/** The rank of a kind in `kustomization.yaml`'s `resources` (lower first); unknown kinds go just before Rollouts. */
const APPLY_RANK: Readonly<Record<string, number>> = {
  Namespace: 0,
  ResourceQuota: 1,
  LimitRange: 1,
  ServiceAccount: 2,
  Role: 2,
  RoleBinding: 2,
  ClusterRole: 2,
  ClusterRoleBinding: 2,
  ConfigMap: 3,
  Secret: 3,
  Service: 4,
  AnalysisTemplate: 5,
  ClusterAnalysisTemplate: 5,
  Ingress: 5,
  PodDisruptionBudget: 5,
  Rollout: 7,
  HorizontalPodAutoscaler: 8,
};
const UNKNOWN_RANK = 6;

/** The annotation Argo CD orders a sync by: lower waves are applied, and healthy, before higher ones start. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** Position of `kind` in the apply order. */
export function applyRank(kind: string): number {
  return APPLY_RANK[kind] ?? UNKNOWN_RANK;
}

/**
 * The sync wave of `kind`: 0 for what the pods and Services need (ConfigMaps, Secrets, Services, RBAC), 1 for what the
 * Rollout references (AnalysisTemplates, PodDisruptionBudgets, unknown kinds), 2 for the Rollout itself. An Ingress
 * goes in the Rollout's wave: Argo CD waits for a wave to be healthy, and an Ingress stays Progressing until the
 * ingress controller publishes an address, which would hold the Rollout back (or forever, where no address is
 * published); within one wave Argo CD still applies an Ingress before custom resources such as Rollouts.
 */
export function syncWave(kind: string): number {
  if (kind === 'Ingress') return 2;
  const rank = applyRank(kind);
  if (rank <= APPLY_RANK.Service) return 0;
  if (rank < APPLY_RANK.Rollout) return 1;
  return 2;
}

/** `items` in apply order; items of the same rank keep their order (the charts' dependency order). */
export function inApplyOrder<T>(items: readonly T[], kindOf: (item: T) => string): T[] {
  return items
    .map((item, index) => ({ item, index, rank: applyRank(kindOf(item)) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((x) => x.item);
}
