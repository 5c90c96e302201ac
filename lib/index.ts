export * from './nginx/nginx-conf';
export * from './nginx/nginx-rollout';
export * from './canary-step';
export * from './canary-nginx-rollout';
export * from './blue-green-nginx-rollout';
export { formatFinding } from './rules/finding';
export type { Finding, Severity, ObjectRef } from './rules/finding';
