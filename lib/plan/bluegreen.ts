/** Blue/green plans: a full second ReplicaSet behind the preview Service, then one switch of the active Service. */
import { CorePlan, readScaleDownDelay } from './canary';
import { formatSeconds } from './duration';
import { PlanError, PlanStep, Wait } from './types';

function optionalCount(v: unknown, at: string): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new PlanError(`${at} ${JSON.stringify(v)} is not a whole number`);
  return v;
}

export function planBlueGreen(bg: any, replicas: number): CorePlan {
  if (bg === null || typeof bg !== 'object') throw new PlanError('spec.strategy.blueGreen is not an object');
  // previewReplicaCount: the preview runs that many pods until promotion, then is scaled to full before the switch.
  const previewCount = optionalCount(bg.previewReplicaCount, 'spec.strategy.blueGreen.previewReplicaCount');
  const autoPromotion = bg.autoPromotionEnabled !== false; // default true
  const autoSeconds = optionalCount(bg.autoPromotionSeconds, 'spec.strategy.blueGreen.autoPromotionSeconds') ?? 0;
  const scaleDownDelay = readScaleDownDelay(bg.scaleDownDelaySeconds, 'spec.strategy.blueGreen.scaleDownDelaySeconds');
  const preview = previewCount ?? replicas;
  const R = replicas;

  const rows: PlanStep[] = [];
  let prev = { canary: 0, stable: R };
  const row = (kind: PlanStep['kind'], action: string, next: { canary: number; stable: number }, actualWeight: number, wait: Wait, note: string | null): void => {
    rows.push({
      index: rows.length,
      kind,
      action,
      setWeight: null,
      canaryReplicas: next.canary,
      stableReplicas: next.stable,
      actualWeight,
      maxPods: Math.max(prev.canary, next.canary) + Math.max(prev.stable, next.stable),
      minAvailable: Math.min(prev.canary, next.canary) + Math.min(prev.stable, next.stable),
      wait,
      note,
    });
    prev = next;
  };

  const gates: string[] = [];
  if (bg.prePromotionAnalysis) gates.push('waits for prePromotionAnalysis to succeed');
  let previewWait: Wait = null;
  if (!autoPromotion) {
    previewWait = 'until promoted';
    gates.push('then waits for `kubectl argo rollouts promote` (autoPromotionEnabled: false)');
  } else if (autoSeconds > 0) {
    previewWait = autoSeconds;
    gates.push(`then promotes itself after ${formatSeconds(autoSeconds)} (autoPromotionSeconds)`);
  } else {
    gates.push('then promotes as soon as the new pods are available');
  }
  const previewAction = `preview ${preview} new pod${preview === 1 ? '' : 's'}`;
  const previewSvc = bg.previewService ? ' (reachable through the preview Service)' : '';
  row('preview', previewAction, { canary: preview, stable: R }, 0, previewWait, `the new pods start${previewSvc}; the active Service still sends all traffic to the old pods; ${gates.join(', ')}`);
  if (preview !== R) {
    row('promote', `scale new to ${R}`, { canary: R, stable: R }, 0, null, 'on promotion the preview ReplicaSet is scaled to full replicas before the switch');
  }
  const post = bg.postPromotionAnalysis ? '; postPromotionAnalysis must succeed before the old pods go' : '';
  row('switch', 'switch activeService', { canary: R, stable: R }, 100, scaleDownDelay, `the old ReplicaSet keeps its pods for scaleDownDelaySeconds (${formatSeconds(scaleDownDelay)})${post}`);
  row('scaleDown', 'scale down old', { canary: R, stable: 0 }, 100, null, null);

  const notes = [`blue/green: the new ReplicaSet runs next to the old one; traffic moves all at once when the active Service switches`];
  return { strategy: 'blueGreen', trafficRouting: null, maxSurge: null, maxUnavailable: null, steps: rows, notes };
}
