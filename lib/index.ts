// The package's public surface.
export * from './nginx/nginx-conf';
export * from './nginx/nginx-pod';
export * from './nginx/nginx-rollout';
export * from './anti-affinity';
export * from './traffic-routing';
export * from './canary-step';
export * from './canary-nginx-rollout';
export * from './blue-green-nginx-rollout';
export * from './analysis/analysis-metric';
export * from './analysis/nginx-analysis-template';
export { formatFinding } from './rules/finding';
export type { Finding, Severity, ObjectRef } from './rules/finding';
export * from './yaml-output';
