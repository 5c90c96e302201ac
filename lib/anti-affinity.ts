import type { PropsChecker } from './props-checker';

/**
 * Argo Rollouts' `antiAffinity`: keeps new pods off the nodes that run the old ReplicaSet's pods, so a bad node
 * cannot fail both versions at once.
 */
export class AntiAffinity {
  /**
   * The scheduler prefers other nodes, but may use the same ones (`preferredDuringSchedulingIgnoredDuringExecution`).
   * @param weight 1..100
   */
  public static preferred(weight = 100): AntiAffinity {
    return new AntiAffinity({ preferredDuringSchedulingIgnoredDuringExecution: { weight } }, weight);
  }

  /**
   * New pods never share a node with old ones (`requiredDuringSchedulingIgnoredDuringExecution`); with fewer nodes
   * than pods the update stalls.
   */
  public static required(): AntiAffinity {
    return new AntiAffinity({ requiredDuringSchedulingIgnoredDuringExecution: {} }, undefined);
  }

  private constructor(
    private readonly json: Record<string, unknown>,
    /** The weight of a preferred anti-affinity. */
    public readonly weight: number | undefined,
  ) {}

  /** The `antiAffinity` field of the strategy. */
  public toJson(): Record<string, unknown> {
    return structuredClone(this.json);
  }
}

/**
 * `antiAffinity` from plain JavaScript: made by the factories (a look-alike has no `toJson`, and cdk8s would fail on
 * it with a TypeError naming nothing), with a weight the scheduler accepts (1..100).
 */
export function checkAntiAffinity(check: PropsChecker, value: unknown): void {
  if (check.instance('antiAffinity', value, AntiAffinity, 'AntiAffinity.preferred(weight) or AntiAffinity.required()')) {
    if (value.weight !== undefined) check.integer('antiAffinity.weight', value.weight, 1, 100);
  }
}
