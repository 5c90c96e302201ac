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
