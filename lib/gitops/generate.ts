import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { checkConfig } from './check-config';
import { GitOpsInputError, GitOpsValidationError, GitOpsWriteError } from './errors';
import { StepHook } from './journal';
import { ARGOCD_DIR } from './layout';
import { renderApplications, renderEnvironment, resolveArgoCd, FolderFiles } from './render';
import { environmentContext, synthEnvironment } from './synth';
import { ALLOW_EMPTY, GitOpsConfig } from './types';
import { RepositoryWriter } from './writer';

/**
 * How to write the repository.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export interface GenerateOptions {
  /** The repository folder (often the root of a git checkout). */
  readonly out: string;
  /** The nginx image of every environment (`NGINX_IMAGE`, see `nginxImageFromEnv`), over the config's. */
  readonly imageOverride?: string;
  /** Names the config in messages. @default 'config' */
  readonly source?: string;
  /** Overwrite (or remove) generated files that were edited by hand since the last run (`--force`). @default false */
  readonly force?: boolean;
  /** Where notices go; `repaired` when the commit of an interrupted run was finished. @default - nowhere */
  readonly log?: (line: string, kind: 'repaired' | 'notice') => void;
  /** Called after every step of the commit, with its name: fault injection for tests. */
  readonly onStep?: StepHook;
}

/**
 * What one environment got.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export interface EnvironmentSummary {
  /** The environment's name (its folder). */
  readonly name: string;
  /** How many objects its folder holds. */
  readonly objects: number;
  /** How many of them are Rollouts. */
  readonly rollouts: number;
}

/**
 * What a run wrote.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
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
  const stray = watchUnhandledRejections();
  let writer: RepositoryWriter | undefined;
  // A folder's files are written while the next one is synthesized; waiting for the one before that keeps at most
  // two folders' contents in memory.
  const pending: Promise<void>[] = [];
  try {
    writer = RepositoryWriter.open(options.out, { force: options.force, log: options.log, onStep: options.onStep });
    const w = writer;
    const environments: EnvironmentSummary[] = [];
    let files = 0;
    const stage = async (dir: string, folder: FolderFiles) => {
      if (pending.length >= 2) await pending.shift();
      const written = w.stage(dir, folder);
      written.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
      pending.push(written);
      files += folder.size;
    };
    for (const env of config.environments) {
      const objects = await synthEnvironment(env, environmentContext(env, options.imageOverride));
      if (objects.length === 0 && env.allowEmpty !== ALLOW_EMPTY) {
        throw new GitOpsValidationError(`environment '${env.name}' has no objects: its apps (${env.apps.map((a) => a.name).join(', ')}) ` +
          'created none (a build that returns early, or starts async work without returning its promise?). Its folder ' +
          'would list no resources, and Argo CD with automated sync and prune would delete every object of the ' +
          `environment. If that is what you want, set allowEmpty: '${ALLOW_EMPTY}' on environment '${env.name}'`);
      }
      await stage(env.name, renderEnvironment(env, objects));
      environments.push({
        name: env.name,
        objects: objects.length,
        rollouts: objects.filter((o) => o.object.kind === 'Rollout').length,
      });
    }
    await stage(ARGOCD_DIR, renderApplications(config, argocd));
    await Promise.all(pending);
    await stray.check();
    w.commit();
    return { environments, files };
  } catch (e) {
    await Promise.allSettled(pending);
    writer?.abort();
    // A file system error while staging (EACCES, ENOSPC...) changed nothing in `out`: say so, with exit code 1.
    if ((e as NodeJS.ErrnoException).code !== undefined && !(e instanceof GitOpsInputError) && !(e instanceof GitOpsWriteError)) {
      throw new GitOpsWriteError(`writing ${options.out} failed: ${(e as Error).message}`, 'unchanged');
    }
    throw e;
  } finally {
    stray.stop();
    await writer?.close();
  }
}

/**
 * Catches promises that an app's `build` started without returning (so nothing awaited them) and that rejected
 * during the run: the run fails before the commit, instead of crashing after the repository was written with an
 * exit code that said otherwise. `check` lets the event loop turn first, so a rejection already due is seen.
 */
function watchUnhandledRejections(): { check(): Promise<void>; stop(): void } {
  const reasons: unknown[] = [];
  const listener = (reason: unknown) => { reasons.push(reason); };
  process.on('unhandledRejection', listener);
  return {
    async check() {
      await new Promise((resolve) => setImmediate(resolve));
      if (reasons.length > 0) {
        const r = reasons[0] as Error;
        throw new GitOpsValidationError(`a promise rejected that nothing awaited (an app's build started async work ` +
          `without returning its promise?): ${r?.message ?? String(r)}`);
      }
    },
    stop() { process.off('unhandledRejection', listener); },
  };
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
