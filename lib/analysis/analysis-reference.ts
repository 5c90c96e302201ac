import { PropsChecker } from '../props-checker';
import { NginxAnalysisTemplate } from './nginx-analysis-template';

/** The `analysis` reference a Rollout makes to templates, with every argument the templates declare wired from it. */
export interface RolloutAnalysisJson {
  templates: Array<{ templateName: string }>;
  args: Array<{ name: string; valueFrom: { fieldRef?: { fieldPath: string }; podTemplateHashValue?: string } }>;
}

/**
 * Wires the templates' arguments from the Rollout: its namespace and name by the downward API, and the new (Latest)
 * and Stable pods' template hashes, which the controller fills in when it starts the AnalysisRun.
 */
export function analysisReference(templates: readonly NginxAnalysisTemplate[]): RolloutAnalysisJson {
  return {
    templates: templates.map((t) => ({ templateName: t.name })),
    args: [
      { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'rollout', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'latest-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
      { name: 'stable-hash', valueFrom: { podTemplateHashValue: 'Stable' } },
    ],
  };
}

/**
 * Checks templates passed to a step or a promotion analysis: a non-empty list of {@link NginxAnalysisTemplate}
 * constructs (a template's name as a string, or a plain object, would render an empty or broken reference).
 * Returns whether they can be referenced.
 */
export function checkTemplates(check: PropsChecker, prop: string, templates: unknown): boolean {
  if (!check.array(prop, templates)) {
    if (templates === undefined) check.fail(prop, templates, 'it needs at least one template');
    return false;
  }
  if (templates.length === 0) {
    check.fail(prop, [], 'it needs at least one template');
    return false;
  }
  let ok = true;
  templates.forEach((t, i) => {
    ok = check.instance(`${prop}[${i}]`, t, NginxAnalysisTemplate, 'an NginxAnalysisTemplate construct', true) && ok;
  });
  return ok;
}
