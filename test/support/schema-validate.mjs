// Reads a JSON array of Kubernetes objects on stdin and validates each with the kubernetes-models libraries
// (generated from the Kubernetes OpenAPI and the Argo projects' Go types): prints [{kind, name, error?}] as JSON.
// A kind without a model is an error, so a test can never pass by validating nothing.
import * as core from 'kubernetes-models/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as policy from 'kubernetes-models/policy/v1';
import * as rollouts from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1';
import * as argocd from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';

const MODELS = {
  'v1/ConfigMap': core.ConfigMap,
  'v1/Service': core.Service,
  'v1/Secret': core.Secret,
  'v1/ServiceAccount': core.ServiceAccount,
  'autoscaling/v2/HorizontalPodAutoscaler': autoscaling.HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': networking.Ingress,
  'policy/v1/PodDisruptionBudget': policy.PodDisruptionBudget,
  'argoproj.io/v1alpha1/Rollout': rollouts.Rollout,
  'argoproj.io/v1alpha1/AnalysisTemplate': rollouts.AnalysisTemplate,
  'argoproj.io/v1alpha1/ClusterAnalysisTemplate': rollouts.ClusterAnalysisTemplate,
  'argoproj.io/v1alpha1/Application': argocd.Application,
};

const input = JSON.parse(await new Promise((resolve) => {
  let data = '';
  process.stdin.on('data', (c) => { data += c; });
  process.stdin.on('end', () => resolve(data));
}));

const results = input.map((obj) => {
  const kind = `${obj.apiVersion}/${obj.kind}`;
  const name = obj.metadata?.name ?? '';
  const Model = MODELS[kind];
  if (!Model) return { kind, name, error: `no schema model for ${kind}` };
  try {
    new Model(obj).validate();
    return { kind, name };
  } catch (e) {
    return { kind, name, error: String(e.message ?? e) };
  }
});
process.stdout.write(JSON.stringify(results));
