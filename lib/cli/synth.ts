import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { loadManifests } from '../manifests';
import { Finding, formatFinding } from '../rules/finding';
import { lintObjects } from './lint';
import { replaceDir, stagingDirFor } from '../atomic-dir';

interface SynthOptions {
  /** The output folder; unset: cdk8s.yaml's `output`, else `dist`. */
  readonly out?: string;
  readonly strict: boolean;
}

/**
 * `nginx-rollouts synth [--out DIR] [--strict]`: runs the cdk8s app of `cdk8s.yaml` into a fresh folder beside DIR,
 * checks what it wrote with the rule engine, and only then puts it in place of DIR. `cdk8s synth` deletes its output
 * before the app runs, so a failing app leaves a pipeline with nothing; here a failure leaves DIR as it was.
 */
export async function synthCommand(args: string[]): Promise<number> {
  const options = parseArgs(args);
  if (typeof options === 'string') {
    process.stderr.write(`nginx-rollouts synth: ${options}\nusage: nginx-rollouts synth [--out DIR] [--strict]\n`);
    return 2;
  }
  const config = readConfig();
  const out = path.resolve(options.out ?? config.output ?? 'dist');
  const staging = stagingDirFor(out);
  try {
    const app = spawnSync(config.app, {
      shell: true,
      stdio: 'inherit',
      env: { ...process.env, CDK8S_OUTDIR: staging },
    });
    if (app.status !== 0) {
      process.stderr.write(`nginx-rollouts synth: the app failed; ${relative(out)} is unchanged\n`);
      return 1;
    }
    const findings = check(staging, relative(out));
    for (const f of findings) process.stderr.write(`${formatFinding(f)}\n`);
    const failing = findings.filter((f) => f.severity === 'error' || options.strict);
    if (failing.length > 0) {
      process.stderr.write(`nginx-rollouts synth: ${failing.length} problem(s) in the output; ${relative(out)} is unchanged\n`);
      return 1;
    }
    replaceDir(staging, out);
    return 0;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function parseArgs(args: string[]): SynthOptions | string {
  let out: string | undefined;
  let strict = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--strict') strict = true;
    else if (a === '--out' || a === '-o') {
      out = args[++i];
      if (!out) return `${a} needs a folder`;
    } else if (a.startsWith('--out=')) out = a.slice('--out='.length);
    else return `unknown option '${a}'`;
  }
  return { out, strict };
}

interface Cdk8sConfig {
  readonly app: string;
  readonly output?: string;
}

function readConfig(): Cdk8sConfig {
  const file = path.resolve('cdk8s.yaml');
  if (!fs.existsSync(file)) throw new Error('no cdk8s.yaml in this folder: run synth from the project root');
  const config = parse(fs.readFileSync(file, 'utf8')) ?? {};
  if (typeof config.app !== 'string') throw new Error("cdk8s.yaml has no 'app' command");
  return { app: config.app, output: config.output };
}

/**
 * The rules engine and the plan's warnings over everything the app wrote, one file (one chart) at a time, since each is
 * applied on its own; a missing or later reference is an error, as the app's own objects must be complete.
 */
function check(dir: string, shownDir: string): Finding[] {
  const { objects, errors } = loadManifests([dir]);
  const shown = (file: string) => path.join(shownDir, path.relative(dir, file));
  const findings: Finding[] = errors.map((e) => ({ severity: 'error', rule: 'yaml', path: '', message: e.message, file: shown(e.file) }));
  const files = [...new Set(objects.map((o) => o.file))];
  for (const file of files) {
    const loaded = objects.filter((o) => o.file === file);
    for (const f of lintObjects(loaded, true, { schema: false })) findings.push({ ...f, file: shown(file) });
  }
  return findings;
}

function relative(p: string): string {
  return path.relative(process.cwd(), p) || '.';
}
