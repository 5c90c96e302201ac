import { NginxAnalysisTemplate } from '../analysis/nginx-analysis-template';
import { AnalysisArgument, AnalysisTemplateRef, PodTemplateHash, RolloutAnalysis } from '../rollout/analysis';

/**
 * The analysis of nginx templates: every argument they declare wired from the Rollout (its namespace and name by the
 * downward API, the new and stable pods' template hashes filled in by the controller when it starts the run).
 */
export function nginxAnalysis(templates: readonly NginxAnalysisTemplate[]): RolloutAnalysis {
  return RolloutAnalysis.templates(templates.map((t) => AnalysisTemplateRef.fromTemplate(t)), {
    args: [
      AnalysisArgument.fromFieldPath('namespace', 'metadata.namespace'),
      AnalysisArgument.fromFieldPath('rollout', 'metadata.name'),
      AnalysisArgument.fromPodTemplateHash('latest-hash', PodTemplateHash.LATEST),
      AnalysisArgument.fromPodTemplateHash('stable-hash', PodTemplateHash.STABLE),
    ],
  });
}
