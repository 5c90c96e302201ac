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
