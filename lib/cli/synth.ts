import * as fs from 'fs';
import * as path from 'path';
import {
  checkOutputDir, commitStaging, CommitError, createStaging, faultPoint, lockOutput, MARKER,
  OutputDirError, type OutputPaths, outputPaths, recover, writeMarkerAsync,
} from '../atomic-dir';
import { parsePlainYaml } from '../simple-yaml';
import { checkOutput, warmUpChecks } from './check';
import { type AppResult, appEnvironment, inProcessScript, runInProcess, spawnApp } from './run-app';

interface SynthOptions {
  /** The output folder; unset: cdk8s.yaml's `output`, else `dist`. */
  readonly out?: string;
  readonly strict: boolean;
}

const USAGE = 'usage: nginx-rollouts synth [--out DIR] [--strict]\n';

/** `synth --help`: the usage and what the command promises (stdout, exit 0). */
const HELP = `${USAGE}
Runs the cdk8s app of cdk8s.yaml into a staging folder, checks what it wrote with Argo Rollouts' own rules (what
\`lint --strict DIR\` checks), and only then puts it in place of DIR. DIR is replaced only when it is absent, empty or
synth's own earlier output; on any failure it is left as it was.

options:
  -o, --out DIR   the output folder (default: cdk8s.yaml's \`output\`, else dist)
  --strict        warnings fail the synth too
  -h, --help      this text

exit codes: 0 DIR holds the new output; 1 the app failed, wrote no objects, or its output has errors (DIR unchanged);
2 usage, a folder synth may not replace, or a file-system error
`;

/**
 * `nginx-rollouts synth [--out DIR] [--strict]`: runs the cdk8s app of `cdk8s.yaml` into a staging folder beside DIR,
 * checks everything it wrote as one set (exactly what `lint --strict DIR` checks), and only then puts it in place of
 * DIR (see `../atomic-dir` for how, and why it is safe to kill). `cdk8s synth` deletes its output before the app runs,
 * whatever the folder holds; here DIR is replaced only when it is absent, empty or synth's own output, and a failure
 * leaves it as it was.
 *
 * Exit codes: 0 DIR holds the new output; 1 the app failed, wrote no objects, or its output has errors (warnings with
 * --strict): DIR is unchanged; 2 usage, a folder synth may not replace, or a file-system error (the message says what
 * DIR holds).
 */
export async function synthCommand(args: string[]): Promise<number> {
  const options = parseArgs(args);
  if (options === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (typeof options === 'string') {
    process.stderr.write(`nginx-rollouts synth: ${options}\n${USAGE}`);
    return 2;
  }
  try {
    return await run(options);
  } catch (e) {
    if (e instanceof OutputDirError) {
      process.stderr.write(`nginx-rollouts synth: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}

async function run(options: SynthOptions): Promise<number> {
  const config = readConfig();
  const projectRoot = process.cwd();
  const given = options.out ?? config.output ?? 'dist';
  const paths = outputPaths(given);
  const shown = relative(paths.target);
  checkOutputDir(paths.target, projectRoot, shown);

  const unlock = lockOutput(paths, shown);
  let staged = false;
  try {
    try {
      faultPoint('locked');
      for (const note of recover(paths, shown)) process.stderr.write(`nginx-rollouts synth: ${note}\n`);
      faultPoint('recovered');
    } catch (e) {
      if (e instanceof OutputDirError) throw e;
      const state = fs.existsSync(paths.target)
        ? `${shown} holds its last complete output`
        : `${shown} is missing; the next synth puts the last complete output back`;
      throw new OutputDirError(`cannot clean up after an interrupted synth of ${shown}: ${(e as Error).message}; ${state}`);
    }
    // The repairs may have changed the folder (a roll-forward puts a checked output in place): check it again.
    checkOutputDir(paths.target, projectRoot, shown);
    try {
      const code = await stage(options, config.app, paths, shown);
      if (code !== undefined) return code;
    } catch (e) {
      if (e instanceof OutputDirError) throw e;
      throw new OutputDirError(`${(e as Error).message}; ${shown} is unchanged`);
    } finally {
      staged = fs.existsSync(paths.staging);
    }

    // Checked again just before the switch: a file put into DIR while the app ran would go with the old content.
    checkOutputDir(paths.target, projectRoot, shown);
    try {
      for (const w of commitStaging(paths)) process.stderr.write(`nginx-rollouts synth: warning: ${w}\n`);
      staged = false;
      return 0;
    } catch (e) {
      if (!(e instanceof CommitError)) throw e;
      switch (e.state) {
        case 'unchanged':
          process.stderr.write(`nginx-rollouts synth: cannot replace ${shown}: ${e.message}; ${shown} is unchanged\n`);
          return 2;
        case 'replaced':
          staged = false;
          process.stderr.write(`nginx-rollouts synth: warning: ${shown} holds the new output, but: ${e.message}; ` +
            'the next synth removes the leftovers\n');
          return 0;
        case 'missing':
          staged = false; // the journal and the staging folder let the next run put the output in place
          process.stderr.write(`nginx-rollouts synth: cannot replace ${shown}: ${e.message}; ${shown} is missing: its ` +
            `previous content is in ${relative(paths.old)} and the new one in ${relative(paths.staging)}; the next synth ` +
            'puts the new one in place\n');
          return 2;
      }
      throw e;
    }
  } finally {
    if (staged) fs.rmSync(paths.staging, { recursive: true, force: true });
    unlock();
  }
}

/**
 * Runs the app into a fresh staging folder, checks and marks what it wrote. Returns the exit code when the output
 * must not be used (the output folder is untouched), undefined when the staging folder is ready to be put in place.
 */
async function stage(options: SynthOptions, appCommand: string, paths: OutputPaths, shown: string): Promise<number | undefined> {
  {
    const staging = createStaging(paths);
    faultPoint('staging-created');
    const before = snapshot(paths.target);
    const app = await runApp(appCommand, staging);
    faultPoint('app-ran');
    if (snapshot(paths.target) !== before) {
      process.stderr.write(`nginx-rollouts synth: the app wrote to ${shown} itself instead of the folder in CDK8S_OUTDIR; ` +
        `synth did not check those files, and will not replace ${shown} until they are moved away\n`);
      return 1;
    }
    if (app.status !== 0) {
      const how = app.status === null ? `was stopped by ${app.signal ?? app.error?.message}` : `exited ${app.status}`;
      process.stderr.write(`nginx-rollouts synth: the app failed (${how}); ${shown} is unchanged\n`);
      return 1;
    }

    const checked = checkOutput(staging, shown);
    if (checked.empty) {
      const files = fs.readdirSync(staging).filter((f) => f !== MARKER);
      const wrote = files.length === 0 ? 'wrote nothing' : `wrote no Kubernetes objects (only ${files.slice(0, 5).join(', ')})`;
      process.stderr.write(`nginx-rollouts synth: the app exited 0 but ${wrote} to the folder in CDK8S_OUTDIR ` +
        `(does it call app.synth(), and leave App's outdir unset?); an empty output is an error; ${shown} is unchanged\n`);
      return 1;
    }
    for (const line of checked.formatted) process.stderr.write(`${line}\n`);
    const failing = checked.findings.filter((f) => f.severity === 'error' || options.strict);
    if (failing.length > 0) {
      process.stderr.write(`nginx-rollouts synth: ${failing.length} problem(s) in the output; ${shown} is unchanged\n`);
      return 1;
    }
    faultPoint('checked');

    try {
      await writeMarkerAsync(staging);
      faultPoint('marker-written');
    } catch (e) {
      process.stderr.write(`nginx-rollouts synth: cannot write ${path.join(relative(staging), MARKER)}: ${(e as Error).message}; ${shown} is unchanged\n`);
      return 2;
    }
    return undefined;
  }
}

/**
 * Runs the app: in this process when that is equivalent to a child (`./run-app`: `node FILE.js`, which shares the
 * start-up of Node, and the modules the app and the checks both use), otherwise as a child process through the shell,
 * loading the checks while it runs (two CPUs: off synth's critical path).
 */
async function runApp(command: string, outdir: string): Promise<AppResult> {
  const script = inProcessScript(command);
  if (script !== undefined) {
    return runInProcess(script, outdir);
  }
  return spawnApp(command, { ...process.env, ...appEnvironment(outdir) }, warmUpChecks);
}

/**
 * A cheap fingerprint of the output folder (names, sizes, times): tells whether the app wrote there itself while it
 * ran, which cdk8s' `App` does when an `outdir` is hard-coded.
 */
function snapshot(dir: string): string {
  const parts: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(d, e.name);
      const st = fs.lstatSync(p);
      parts.push(`${p}:${st.size}:${st.mtimeMs}`);
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return parts.sort().join('\n');
}

/** The options, `'help'`, or a usage error's message. */
function parseArgs(args: string[]): SynthOptions | 'help' | string {
  let out: string | undefined;
  let strict = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') return 'help';
    if (a === '--strict') strict = true;
    else if (a === '--out' || a === '-o') {
      out = args[++i];
      if (!out) return `${a} needs a folder`;
    } else if (a.startsWith('--out=')) {
      out = a.slice('--out='.length);
      if (!out) return '--out needs a folder';
    } else return `unknown option '${a}'`;
  }
  return { out, strict };
}

interface Cdk8sConfig {
  readonly app: string;
  readonly output?: string;
}

/** `cdk8s.yaml` of the current folder: the app command and the optional `output` folder (same rules as --out). */
function readConfig(): Cdk8sConfig {
  const file = path.resolve('cdk8s.yaml');
  if (!fs.existsSync(file)) throw new OutputDirError('no cdk8s.yaml in this folder: run synth from the project root');
  let config: any;
  try {
    const text = fs.readFileSync(file, 'utf8');
    // The line reader reads the usual one-document cdk8s.yaml without loading the yaml package (0.05 s of start-up);
    // anything else (comments, several documents, an error to report) goes to the yaml package as before.
    const plain = parsePlainYaml(text);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    config = (plain?.length === 1 ? plain[0].value : (require('yaml') as typeof import('yaml')).parse(text)) ?? {};
  } catch (e) {
    throw new OutputDirError(`cdk8s.yaml: ${(e as Error).message}`);
  }
  if (typeof config !== 'object' || Array.isArray(config)) throw new OutputDirError('cdk8s.yaml is not a mapping');
  if (typeof config.app !== 'string' || config.app.trim() === '') throw new OutputDirError("cdk8s.yaml has no 'app' command");
  if (config.output !== undefined && (typeof config.output !== 'string' || config.output.trim() === '')) {
    throw new OutputDirError(`cdk8s.yaml: output is ${JSON.stringify(config.output)}; it must be a folder name`);
  }
  return { app: config.app, output: config.output };
}

/** `p` relative to the project when inside it, else absolute (a run of `../` says less than the path). */
function relative(p: string): string {
  const rel = path.relative(process.cwd(), p);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return p;
  return rel || '.';
}
