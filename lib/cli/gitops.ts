import * as path from 'path';
import {
  GitOpsConfig, GitOpsInputError, GitOpsWriteError, generateRepository, loadConfig, nginxImageFromEnv,
} from '../gitops';

const USAGE = 'usage: nginx-rollouts gitops --out DIR [--config FILE] [--force]\n' +
  '  --out DIR      the repository folder: <DIR>/<environment>/ and <DIR>/argocd/ (files the tool did not write stay)\n' +
  '  --config FILE  the environments (default: environments.ts); NGINX_IMAGE overrides the nginx image of all\n' +
  '  --force        overwrite generated files that were edited by hand since the last run\n';

interface GitOpsOptions {
  readonly out: string;
  readonly config: string;
  readonly force: boolean;
}

/**
 * `nginx-rollouts gitops --out DIR [--config FILE]`: writes one folder per environment with one file per object and a
 * kustomization in apply order, plus an Argo CD Application per environment. Exit 0 written; 1 a construct or
 * validation error, an environment without objects, or a write that failed; 2 a usage, config or input error (a
 * locked DIR, a hand-edited generated file, a file in the way, a tampered manifest). The last line says what DIR
 * holds: unchanged, or (only when a failed write could not be undone) an interrupted commit the next run finishes.
 */
export async function gitopsCommand(args: string[]): Promise<number> {
  const options = parseArgs(args);
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (typeof options === 'string') {
    process.stderr.write(`nginx-rollouts gitops: ${options}\n${USAGE}`);
    return 2;
  }
  let repaired = false;
  try {
    const imageOverride = nginxImageFromEnv(process.env);
    const config = loadConfig(options.config) as GitOpsConfig;
    const result = await generateRepository(config, {
      out: options.out, imageOverride, source: options.config, force: options.force,
      log: (line, kind) => {
        repaired ||= kind === 'repaired';
        process.stderr.write(`nginx-rollouts gitops: ${line}\n`);
      },
    });
    for (const env of result.environments) {
      process.stdout.write(`${shown(path.join(options.out, env.name))}/: ${env.objects} objects, ${env.rollouts} Rollouts\n`);
    }
    process.stdout.write(`${shown(path.join(options.out, 'argocd'))}/: ${result.environments.length} Applications\n`);
    return 0;
  } catch (e) {
    const message = (e as Error).message;
    const state = e instanceof GitOpsWriteError && e.outState === 'interrupted'
      ? 'holds an interrupted commit; the next run finishes it'
      : repaired ? 'holds the finished commit of the interrupted run, and is otherwise unchanged' : 'is unchanged';
    process.stderr.write(`nginx-rollouts gitops: ${message}\nnginx-rollouts gitops: ${shown(options.out)} ${state}\n`);
    return e instanceof GitOpsInputError ? 2 : 1;
  }
}

function parseArgs(args: string[]): GitOpsOptions | 'help' | string {
  let out: string | undefined;
  let config = 'environments.ts';
  let force = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') return 'help';
    if (a === '--force') {
      force = true;
      continue;
    }
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (flag === '--out' || flag === '-o' || flag === '--config' || flag === '-c') {
      const value = inline ?? args[++i];
      if (!value) return `${flag} needs a value`;
      if (flag === '--out' || flag === '-o') out = value;
      else config = value;
    } else {
      return `unknown option '${a}'`;
    }
  }
  if (out === undefined) return '--out DIR is required';
  return { out, config, force };
}

function shown(p: string): string {
  return path.relative(process.cwd(), path.resolve(p)) || '.';
}
