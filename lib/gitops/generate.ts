import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { checkConfig } from './check-config';
import { GitOpsInputError } from './errors';
import { ARGOCD_DIR } from './layout';
import { renderApplications, renderEnvironment, resolveArgoCd, FolderFiles } from './render';
import { environmentContext, synthEnvironment } from './synth';
import { GitOpsConfig } from './types';
import { RepositoryWriter } from './writer';

/** How to write the repository. */
export interface GenerateOptions {
  /** The repository folder (often the root of a git checkout). */
  readonly out: string;
  /** The nginx image of every environment (`NGINX_IMAGE`, see `nginxImageFromEnv`), over the config's. */
  readonly imageOverride?: string;
  /** Names the config in messages. @default 'config' */
  readonly source?: string;
}

/** What one environment got. */
export interface EnvironmentSummary {
  /** The environment's name (its folder). */
  readonly name: string;
  /** How many objects its folder holds. */
  readonly objects: number;
  /** How many of them are Rollouts. */
  readonly rollouts: number;
}

/** What a run wrote. */
export interface GenerateResult {
  /** Each environment written, in config order. */
  readonly environments: EnvironmentSummary[];
  /** Files written, the manifest not counted. */
  readonly files: number;
}

/**
 * Writes `<out>/<env>/` per environment and `<out>/argocd/`. Every environment is synthesized and validated before
 * anything in `out` changes; on any error `out` is left as it was. One environment at a time is held in memory.
 */
export async function generateRepository(config: GitOpsConfig, options: GenerateOptions): Promise<GenerateResult> {
  const source = options.source ?? 'config';
  checkConfig(config, source);
  const argocd = resolveArgoCd(config.argocd, config.argocd?.repoURL ?? originOf(options.out, source));
  const writer = new RepositoryWriter(options.out);
  // A folder's files are written while the next one is synthesized; waiting for the one before that keeps at most
  // two folders' contents in memory.
  const pending: Promise<void>[] = [];
  try {
    const environments: EnvironmentSummary[] = [];
    let files = 0;
    const stage = async (dir: string, folder: FolderFiles) => {
      if (pending.length >= 2) await pending.shift();
      const written = writer.stage(dir, folder);
      written.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
      pending.push(written);
      files += folder.size;
    };
    for (const env of config.environments) {
      const objects = synthEnvironment(env, environmentContext(env, options.imageOverride));
      await stage(env.name, renderEnvironment(env, objects));
      environments.push({
        name: env.name,
        objects: objects.length,
        rollouts: objects.filter((o) => o.object.kind === 'Rollout').length,
      });
    }
    await stage(ARGOCD_DIR, renderApplications(config, argocd));
    await Promise.all(pending);
    writer.commit();
    return { environments, files };
  } catch (e) {
    await Promise.allSettled(pending);
    writer.abort();
    throw e;
  } finally {
    await writer.close();
  }
}

/** The default `repoURL`: the `origin` remote, when `out` is itself the root of a git checkout. */
function originOf(out: string, source: string): string {
  const missing = `argocd.repoURL is not set in ${source}, and ${out} is not the root of a git checkout with an ` +
    "'origin' remote to take it from; set argocd.repoURL";
  if (!fs.existsSync(path.join(out, '.git'))) throw new GitOpsInputError(missing);
  try {
    const url = execFileSync('git', ['-C', out, 'remote', 'get-url', 'origin'], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (url !== '') return url;
  } catch {
    // no git, or no origin: reported below
  }
  throw new GitOpsInputError(missing);
}
