/** Small Rollout builders for the planner's tests. */

export function canaryRollout(replicas: number | undefined, canary: Record<string, unknown>, name = 'web'): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      strategy: { canary },
    },
  };
}

export function blueGreenRollout(replicas: number, blueGreen: Record<string, unknown>, name = 'web'): any {
  const r = canaryRollout(replicas, {}, name);
  r.spec.strategy = { blueGreen: { activeService: `${name}-active`, previewService: `${name}-preview`, ...blueGreen } };
  return r;
}

/** The seed canary: replicas 5; setWeight 20, pause 60s, setWeight 80, pause 60s. */
export const SEED_CANARY = canaryRollout(5, {
  steps: [{ setWeight: 20 }, { pause: { duration: 60 } }, { setWeight: 80 }, { pause: { duration: 60 } }],
}, 'nginx-canary');

/** The seed blue/green: replicas 5, active and preview Services, default auto-promotion. */
export const SEED_BLUE_GREEN = blueGreenRollout(5, {}, 'nginx-bluegreen');

/** `[canary, stable]` of every row. */
export function splits(plan: { steps: Array<{ canaryReplicas: number; stableReplicas: number }> }): Array<[number, number]> {
  return plan.steps.map((r) => [r.canaryReplicas, r.stableReplicas]);
}

/** Weights steps for a basic canary: setWeight w, pause 10s, for each w. */
export function weightSteps(...weights: number[]): unknown[] {
  return weights.flatMap((w) => [{ setWeight: w }, { pause: { duration: 10 } }]);
}
