/**
 * Rules 56 and 58 and the argument checks: what the controller's `ValidateAnalysisTemplatesWithType`
 * (`validation_references.go`) finds when it builds a trial AnalysisRun from each analysis of a Rollout, with
 * `analysisutil.NewAnalysisRunFromTemplates` (`utils/analysis/helpers.go`). The controller does this for every
 * step analysis, the background analysis and the blue/green pre- and post-promotion analyses (not for experiment
 * analyses), after resolving the referenced templates and the templates they nest (`spec.templates`).
 *
 * Each error is reported at the analysis' `templates` path with the value `templateNames: [a b]`, exactly as the
 * controller does (`spec.strategy.canary.steps[0].analysis.templates: Invalid value: "templateNames: [a b]": ...`).
 * Like the controller, each analysis gives at most one merge error: the first it meets.
 */
import type { RuleId } from './catalog';
import type { Finding, Severity } from './finding';
import { invalid } from './field';
import { finding } from './report';
import { isDownwardApiMetadataPath } from './rollout/steps';
import { type RolloutView, stepsOnlyWeightsAndPauses } from './rollout/view';
import { arr, isSet, obj, str } from './util';

/** Finds a template of the set by kind and name, as seen from the Rollout (undefined: not in the set). */
export type TemplateLookup = (kind: 'AnalysisTemplate' | 'ClusterAnalysisTemplate', name: string) => any;

/** One analysis of a Rollout, as `getReferencedRolloutAnalyses` lists them (in that order). */
export interface AnalysisGroup {
  readonly type: 'PrePromotion' | 'PostPromotion' | 'Inline' | 'Background';
  /** `GetAnalysisTemplateWithTypeFieldPath`: where the controller reports the group's errors. */
  readonly path: string;
  readonly analysis: Record<string, any>;
}

/** The analyses of a Rollout the controller checks, in its order (none for most Rollouts). */
export function analysisGroups(view: RolloutView): AnalysisGroup[] {
  const { canary, blueGreen } = view;
  const groups: AnalysisGroup[] = [];
  if (blueGreen) {
    addGroup(groups, 'PrePromotion', 'spec.strategy.blueGreen.prePromotionAnalysis.templates', blueGreen.prePromotionAnalysis);
    addGroup(groups, 'PostPromotion', 'spec.strategy.blueGreen.postPromotionAnalysis.templates', blueGreen.postPromotionAnalysis);
  } else if (canary) {
    const steps = stepsOnlyWeightsAndPauses(view) ? [] : arr(canary.steps);
    for (let i = 0; i < steps.length; i++) {
      // the path is written only for a step with an analysis (this runs on every step of every canary)
      const analysis = obj(steps[i])?.analysis;
      if (isSet(analysis)) addGroup(groups, 'Inline', `spec.strategy.canary.steps[${i}].analysis.templates`, analysis);
    }
    addGroup(groups, 'Background', 'spec.strategy.canary.analysis.templates', canary.analysis);
  }
  return groups;
}

function addGroup(groups: AnalysisGroup[], type: AnalysisGroup['type'], path: string, analysis: unknown): void {
  if (isSet(analysis)) groups.push({ type, path, analysis: obj(analysis) ?? {} });
}

/** The templates of one analysis, unique by name per kind, AnalysisTemplates first (`FilterUniqueTemplates`). */
interface ResolvedTemplates {
  readonly templates: any[];
  readonly clusterTemplates: any[];
  /** Nested references (`spec.templates` of a template) to templates that are not in the set. */
  readonly missingNested: Array<{ kind: 'AnalysisTemplate' | 'ClusterAnalysisTemplate'; name: string }>;
  /** Whether every template was found, so the merge can be decided. */
  readonly complete: boolean;
}

/**
 * `getReferencedAnalysisTemplatesFromRef`: each reference, then the templates it nests, depth first. Returns
 * undefined when a template is not in the set (missing ones are reported by the reference rules, or live in the
 * cluster): the merge cannot be decided then. A template already expanded is not expanded again, which gives the
 * controller's result after `FilterUniqueTemplates` and cannot loop on templates that nest each other.
 */
function resolveTemplates(refs: unknown, lookup: TemplateLookup): ResolvedTemplates {
  const templates: any[] = [];
  const clusterTemplates: any[] = [];
  const missingNested: ResolvedTemplates['missingNested'] = [];
  const seen = new Set<string>();
  let complete = true;
  const visit = (list: unknown, nested: boolean) => {
    for (const raw of arr(list)) {
      const ref = obj(raw) ?? {};
      const kind = ref.clusterScope === true ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
      const name = str(ref.templateName);
      const key = `${kind}/${name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const template = name === '' ? undefined : lookup(kind, name);
      if (!template) {
        complete = false;
        if (nested && name !== '') missingNested.push({ kind, name });
        continue;
      }
      (kind === 'ClusterAnalysisTemplate' ? clusterTemplates : templates).push(template);
      visit(template?.spec?.templates, true);
    }
  };
  visit(refs, false);
  return { templates, clusterTemplates, missingNested, complete };
}

/** An argument as Go sees it: `value` and `valueFrom` are pointers, so `value: ""` is set and `null` is not. */
interface Arg {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: unknown;
}

function argOf(raw: unknown): Arg {
  const a = obj(raw) ?? {};
  return { name: str(a.name), value: isSet(a.value) ? str(a.value) : undefined, valueFrom: isSet(a.valueFrom) ? a.valueFrom : undefined };
}

const specOf = (template: any): Record<string, any> => obj(template?.spec) ?? {};

/** A merge error: the rule and the controller's error text. */
interface MergeError {
  readonly rule: RuleId;
  readonly message: string;
}

/** `flattenMetrics`, `flattenDryRunMetrics`, `flattenMeasurementRetentionMetrics`, then `flattenArgs`. */
function flatten(all: any[]): { args: Arg[] } | MergeError {
  const metricNames = new Set<string>();
  for (const m of all.flatMap((t) => arr(specOf(t).metrics))) {
    const name = str(obj(m)?.name);
    if (metricNames.has(name)) return { rule: 'analysis-metric-duplicate', message: `two metrics have the same name '${name}'` };
    metricNames.add(name);
  }
  const dryRun = duplicateRuleName(all.flatMap((t) => arr(specOf(t).dryRun)), 'Dry-Run');
  if (dryRun) return dryRun;
  const retention = duplicateRuleName(all.flatMap((t) => arr(specOf(t).measurementRetention)), 'Measurement Retention');
  if (retention) return retention;

  const args: Arg[] = [];
  for (const arg of all.flatMap((t) => arr(specOf(t).args).map(argOf))) {
    const i = args.findIndex((a) => a.name === arg.name);
    if (i < 0) {
      args.push(arg);
      continue;
    }
    const prev = args[i];
    if (prev.value !== undefined && arg.value !== undefined && prev.value !== arg.value) {
      return { rule: 'analysis-arg-conflict', message: `Argument \`${prev.name}\` specified multiple times with different values: '${prev.value}', '${arg.value}'` };
    }
    // A value already set is not replaced by an argument without one.
    if (prev.value === undefined) args[i] = arg;
  }
  return { args };
}

/** `validateDryRunMetrics` / `validateMeasurementRetentionMetrics`: one rule per metric name. */
function duplicateRuleName(rules: unknown[], what: 'Dry-Run' | 'Measurement Retention'): MergeError | undefined {
  const seen = new Set<string>();
  for (const r of rules) {
    const name = str(obj(r)?.metricName);
    if (seen.has(name)) {
      const rule: RuleId = what === 'Dry-Run' ? 'analysis-dry-run-duplicate' : 'analysis-measurement-retention-duplicate';
      return { rule, message: `two ${what} metric rules have the same name '${name}'` };
    }
    seen.add(name);
  }
  return undefined;
}

/**
 * `buildAnalysisArgs` (`BuildArgumentsForRolloutAnalysisRun` with dummy ReplicaSets): every argument the Rollout
 * passes gets a value, even one with neither `value` nor `valueFrom` (Go's `string` field gives ""), and
 * `podTemplateHashValue` / `fieldRef` give theirs. A `fieldRef` into `metadata` that the downward API cannot read
 * fails the whole call, and the controller then passes no arguments at all.
 */
function rolloutArgNames(args: unknown): string[] {
  const list = arr(args).map((a) => obj(a) ?? {});
  const broken = list.some((a) => {
    const fieldPath = obj(obj(a.valueFrom)?.fieldRef)?.fieldPath;
    return !isSet(obj(a.valueFrom)?.podTemplateHashValue) && typeof fieldPath === 'string' && fieldPath.startsWith('metadata') && !isDownwardApiMetadataPath(fieldPath);
  });
  return broken ? [] : list.map((a) => str(a.name));
}

/** `MergeArgs` + `ResolveArgs`: a template argument with no value and no source must be passed by the Rollout. */
function unresolved(templateArgs: Arg[], passed: string[]): MergeError | undefined {
  const missing = templateArgs.find((a) => a.value === undefined && a.valueFrom === undefined && !passed.includes(a.name));
  return missing ? { rule: 'analysis-args-unresolved', message: `args.${missing.name} was not resolved` } : undefined;
}

/** `NewAnalysisRunFromTemplates` with the Rollout's dry-run and measurement-retention rules for one analysis. */
function mergeError(all: any[], passed: string[], dryRun: unknown[], retention: unknown[]): MergeError | undefined {
  const flat = flatten(all);
  if ('rule' in flat) return flat;
  return (
    unresolved(flat.args, passed) ??
    duplicateRuleName([...dryRun, ...all.flatMap((t) => arr(specOf(t).dryRun))], 'Dry-Run') ??
    duplicateRuleName([...retention, ...all.flatMap((t) => arr(specOf(t).measurementRetention))], 'Measurement Retention')
  );
}

/**
 * Rule 58 (`ValidateAnalysisTemplateWithType`, background only): each template's own arguments without a value must
 * be named by `canary.analysis.args`. Reachable when the merge succeeded because another template gives the same
 * argument a value. One finding per argument, as the controller lists them.
 */
function backgroundArgs(group: AnalysisGroup, resolved: ResolvedTemplates): Finding[] {
  const rolloutArgs = group.analysis.args;
  const names = arr(rolloutArgs).map((a) => str(obj(a)?.name));
  return [...resolved.templates, ...resolved.clusterTemplates].flatMap((t) =>
    arr(specOf(t).args)
      .map(argOf)
      .filter((a) => a.value === undefined && a.valueFrom === undefined)
      .flatMap((a) => {
        const name = str(t?.metadata?.name);
        // Go: `Args == nil`; an explicit `args: []` is an empty, non-nil list.
        if (!Array.isArray(rolloutArgs)) return [finding('analysis-background-args', group.path, invalid(name, 'missing analysis arguments in rollout spec'))];
        return names.includes(a.name) ? [] : [finding('analysis-background-args', group.path, invalid(name, a.name))];
      }),
  );
}

/**
 * The merge, argument, dry-run and measurement-retention checks of every analysis of a Rollout, and the nested
 * templates that are missing (reported as the controller does, at `spec.templates`, with `missingReference`). The
 * caller lists the Rollout's {@link analysisGroups} (most Rollouts have none) and makes the lookup only when there
 * are some.
 */
export function checkAnalysisGroups(groups: AnalysisGroup[], view: RolloutView, lookup: TemplateLookup, missingReference: Severity): Finding[] {
  // The controller checks every group once more against each step analysis' dry-run and retention rules.
  const stepRules = arr(view.canary?.steps)
    .map((s) => obj(obj(s)?.analysis))
    .filter((a): a is Record<string, any> => a !== undefined)
    .map((a) => ({ dryRun: arr(a.dryRun), retention: arr(a.measurementRetention) }));
  return groups.flatMap((group) => {
    const resolved = resolveTemplates(group.analysis.templates, lookup);
    if (!resolved.complete) {
      return resolved.missingNested.map(({ kind, name }) =>
        finding('analysis-template-not-found', 'spec.templates', invalid(name, `${kind} '${name}' not found`), missingReference),
      );
    }
    const all = [...resolved.templates, ...resolved.clusterTemplates];
    const names = all.map((t) => str(t?.metadata?.name));
    const value = `templateNames: [${names.join(' ')}]`;
    const passed = rolloutArgNames(group.analysis.args);
    const error = [{ dryRun: [], retention: [] }, ...stepRules].reduce<MergeError | undefined>(
      (found, rules) => found ?? mergeError(all, passed, rules.dryRun, rules.retention),
      undefined,
    );
    if (error) return [finding(error.rule, group.path, invalid(value, error.message))];
    return group.type === 'Background' ? backgroundArgs(group, resolved) : [];
  });
}
