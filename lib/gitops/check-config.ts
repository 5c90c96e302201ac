import { isImageReference } from '../nginx/nginx-rollout';
import { GitOpsInputError } from './errors';
import { ARGOCD_DIR } from './layout';
import { ALLOW_EMPTY, Environment, GitOpsConfig, SyncPolicy } from './types';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Checks the config's shape before anything is synthesized, and reports every problem at once. The config is often
 * plain JavaScript or loaded without type-checking (tsx), so the types alone do not guarantee any of this.
 */
export function checkConfig(config: unknown, source: string): asserts config is GitOpsConfig {
  const problems: string[] = [];
  const c = config as Partial<GitOpsConfig> | undefined;
  if (typeof c !== 'object' || c === null) {
    throw new GitOpsInputError(`${source}: the config must be an object with 'environments'`);
  }
  if (!Array.isArray(c.environments) || c.environments.length === 0) {
    problems.push("'environments' must be a non-empty array");
  } else {
    const seen = new Set<string>();
    c.environments.forEach((env, i) => checkEnvironment(env, `environments[${i}]`, seen, problems));
  }
  checkArgoCd(c.argocd, problems);
  if (problems.length > 0) {
    throw new GitOpsInputError(`${source}: invalid config:\n  ${problems.join('\n  ')}`);
  }
}

function checkEnvironment(env: Environment, at: string, seen: Set<string>, problems: string[]): void {
  if (typeof env !== 'object' || env === null) {
    problems.push(`${at} must be an object`);
    return;
  }
  const where = typeof env.name === 'string' ? `environment '${env.name}'` : at;
  if (!isLabel(env.name)) {
    problems.push(`${at}.name is ${show(env.name)}; it must be a DNS-1123 label (lower-case letters, digits, '-')`);
  } else if (env.name === ARGOCD_DIR) {
    problems.push(`${at}.name is '${ARGOCD_DIR}', the folder of the Argo CD Applications; choose another name`);
  } else if (seen.has(env.name)) {
    problems.push(`${at}.name '${env.name}' is used by an earlier environment; each needs its own folder`);
  } else {
    seen.add(env.name);
  }
  if (!isLabel(env.namespace)) {
    problems.push(`${where}: namespace is ${show(env.namespace)}; it must be a DNS-1123 label`);
  }
  if (env.image !== undefined && (typeof env.image !== 'string' || !isImageReference(env.image))) {
    problems.push(`${where}: image is ${show(env.image)}; it must be a container image reference such as nginx:1.14.2`);
  }
  if (env.allowEmpty !== undefined && env.allowEmpty !== ALLOW_EMPTY) {
    problems.push(`${where}: allowEmpty is ${show(env.allowEmpty)}; the only value is '${ALLOW_EMPTY}' (an environment ` +
      'without objects makes Argo CD delete all of its objects); leave it out otherwise');
  }
  checkDestination(env, where, problems);
  checkApps(env, where, problems);
  checkSyncPolicy(env.application?.syncPolicy, `${where}: application.syncPolicy`, problems);
  const appName = env.application?.name;
  if (appName !== undefined && !isSubdomain(appName)) {
    problems.push(`${where}: application.name is ${show(appName)}; it must be a DNS-1123 subdomain`);
  }
}

function checkDestination(env: Environment, where: string, problems: string[]): void {
  const d = env.destination;
  if (d === undefined) return;
  if ((d.server === undefined) === (d.name === undefined)) {
    problems.push(`${where}: destination needs exactly one of 'server' and 'name'`);
  }
}

function checkApps(env: Environment, where: string, problems: string[]): void {
  if (!Array.isArray(env.apps) || env.apps.length === 0) {
    problems.push(`${where}: 'apps' must be a non-empty array`);
    return;
  }
  const seen = new Set<string>();
  env.apps.forEach((app, i) => {
    if (!isLabel(app?.name)) {
      problems.push(`${where}: apps[${i}].name is ${show(app?.name)}; it must be a DNS-1123 label`);
    } else if (seen.has(app.name)) {
      problems.push(`${where}: apps[${i}].name '${app.name}' is used twice`);
    } else {
      seen.add(app.name);
    }
    if (typeof app?.build !== 'function') problems.push(`${where}: apps[${i}].build must be a function (chart, env) => void`);
  });
}

function checkArgoCd(argocd: GitOpsConfig['argocd'], problems: string[]): void {
  if (argocd === undefined) return;
  for (const key of ['repoURL', 'targetRevision', 'path', 'project', 'applicationNamePrefix'] as const) {
    const v = argocd[key];
    if (v !== undefined && typeof v !== 'string') problems.push(`argocd.${key} is ${show(v)}; it must be a string`);
  }
  if (argocd.repoURL !== undefined && argocd.repoURL.trim() === '') problems.push('argocd.repoURL is empty');
  if (argocd.namespace !== undefined && !isLabel(argocd.namespace)) {
    problems.push(`argocd.namespace is ${show(argocd.namespace)}; it must be a DNS-1123 label`);
  }
  if (typeof argocd.path === 'string' && argocd.path.split('/').includes('..')) {
    problems.push(`argocd.path is '${argocd.path}'; it must stay inside the repository (no '..')`);
  }
  checkSyncPolicy(argocd.syncPolicy, 'argocd.syncPolicy', problems);
}

function checkSyncPolicy(policy: SyncPolicy | undefined, at: string, problems: string[]): void {
  if (policy === undefined) return;
  for (const key of ['automated', 'prune', 'selfHeal', 'createNamespace'] as const) {
    const v = policy[key];
    if (v !== undefined && typeof v !== 'boolean') problems.push(`${at}.${key} is ${show(v)}; it must be true or false`);
  }
}

function isLabel(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 63 && DNS1123_LABEL.test(v);
}

function isSubdomain(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 253 && v.split('.').every((p) => DNS1123_LABEL.test(p));
}

function show(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v);
}
