import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { setImmediate as immediate, setTimeout as later } from 'timers';
import { inspect } from 'util';

/** How the app ended, as a child process reports it (`status` null: killed by `signal`, or not started: `error`). */
export interface AppResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error?: Error;
  /**
   * In-process only: the app called `process.exit()` (or failed) while it still had work scheduled (timers, open
   * files, sockets). A child process would have ended there and then; here that work is still in this process, so the
   * command must end the process itself when it is done (see bin/nginx-rollouts.js).
   */
  readonly leftWork?: boolean;
}

/** Set to 1 (any non-empty value): always run the app as a child process, as `cdk8s synth` does. */
export const SPAWN_VARIABLE = 'NGINX_ROLLOUTS_SYNTH_SPAWN';

/**
 * Set by synth for the app, both ways, to the staging folder it gives in CDK8S_OUTDIR: this project's app
 * (bin/app.js) then leaves the output's marker to synth, which writes it after its checks.
 */
export const STAGING_VARIABLE = 'NGINX_ROLLOUTS_SYNTH_STAGING';

/** The environment synth gives its app on top of its own: the output folder, and that it is synth's staging folder. */
export function appEnvironment(outdir: string): Record<string, string> {
  return { CDK8S_OUTDIR: outdir, [STAGING_VARIABLE]: outdir };
}

/**
 * The script of an app command that this process can run itself with the same result as the child process that
 * `cdk8s synth` starts, or undefined. `cdk8s init`'s apps and this project's are `node FILE.js`: starting a second
 * Node and loading cdk8s there is most of synth's time, while synth's own process has done neither yet. Equivalent
 * means: the command is exactly `node` and one plain file name (no quotes, variables, redirections or other shell
 * syntax the shell would interpret), the file is CommonJS (`.cjs`, or `.js` outside a `"type": "module"` package:
 * CommonJS runs synchronously from `require`), the `node` the shell finds on PATH is the very binary running now
 * (NODE_OPTIONS reach both alike), and this process was started with no Node flags of its own but the profilers'
 * (`--require`, `--import` and the like would not reach the child). Anything else, or NGINX_ROLLOUTS_SYNTH_SPAWN set, runs a child.
 */
export function inProcessScript(command: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(),
  execArgv: readonly string[] = process.execArgv): string | undefined {
  if (env[SPAWN_VARIABLE]) return undefined;
  if (!onlyProfilerFlags(execArgv)) return undefined;
  const m = /^\s*node[ \t]+([A-Za-z0-9_@%+=:,./-]+\.c?js)\s*$/.exec(command);
  if (!m) return undefined;
  const file = path.resolve(cwd, m[1]);
  const st = fs.statSync(file, { throwIfNoEntry: false });
  if (st === undefined || !st.isFile()) return undefined;
  if (file.endsWith('.js') && packageTypeOf(file) === 'module') return undefined;
  const node = onPath('node', env.PATH ?? '');
  if (node === undefined || realpath(node) !== realpath(process.execPath)) return undefined;
  return file;
}

/**
 * Whether Node's flags are only the profilers' (`--cpu-prof`, `--heap-prof` and their `-dir`, `-name`, `-interval`):
 * they write a profile of this process and change nothing the app can see (`npm run bench -- --profile` uses them).
 */
function onlyProfilerFlags(execArgv: readonly string[]): boolean {
  for (let i = 0; i < execArgv.length; i++) {
    const m = /^--(?:cpu|heap)-prof(?:-(?:dir|name|interval)(=.*)?)?$/.exec(execArgv[i]);
    if (!m) return false;
    if (execArgv[i] !== '--cpu-prof' && execArgv[i] !== '--heap-prof' && m[1] === undefined) i++; // its value
  }
  return true;
}

/** The `type` of the package.json nearest to `file` (Node's rule for whether a `.js` file is an ES module). */
function packageTypeOf(file: string): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        const type = JSON.parse(fs.readFileSync(pkg, 'utf8')).type;
        return typeof type === 'string' ? type : undefined;
      } catch {
        return 'unreadable'; // Node fails on it: let the child report that
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The first executable `name` on `PATH`, as the shell finds it. */
function onPath(name: string, pathVariable: string): string | undefined {
  for (const dir of pathVariable.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * Runs the app's command through the shell with synth's own stdin, stdout and stderr and `env`; `whileRunning` is
 * called once the child has started (synth loads its checks meanwhile). Resolves when the child has ended, or with the
 * error when it could not be started.
 */
export function spawnApp(command: string, env: NodeJS.ProcessEnv, whileRunning: () => void = () => undefined): Promise<AppResult> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (result: AppResult) => {
      if (!done) resolve(result);
      done = true;
    };
    const child = spawn(command, { shell: true, stdio: 'inherit', env });
    child.once('error', (error) => finish({ status: null, signal: null, error }));
    child.once('close', (status, signal) => finish({ status, signal }));
    whileRunning();
  });
}

let leftWorkBehind = false;

/**
 * Whether an app run in this process ended (process.exit, an uncaught error) with work still scheduled, which a child
 * process would have dropped: bin/nginx-rollouts.js then ends the process when the command is done, instead of
 * letting that work run on.
 */
export function appLeftWork(): boolean {
  return leftWorkBehind;
}

/** Thrown by the stand-in for `process.exit` while the app runs: ends the app's code where the child would end. */
class AppExit {
  constructor(readonly code: number) {}
}

/**
 * Runs the CommonJS `file` in this process as `node FILE` would run it in a child with `appEnvironment(outdir)` (and
 * the rest of this process's environment): the main module (`require.main === module`), `process.argv` `[node, FILE]`, the same
 * working folder. It has ended when the event loop holds nothing of the app's any more (what keeps a child alive), its
 * `beforeExit` listeners have added no more work and its `exit` listeners have run; or at once when it calls
 * `process.exit(n)` (status n) or throws, or rejects, unhandled (status 1 and the error on stderr, as Node prints it).
 * The exit status is then what Node would give: `process.exit`'s code, else `process.exitCode`, else 0. Everything the
 * app changed in the process that synth relies on (environment, arguments, working folder, exit code, listeners) is put
 * back afterwards.
 */
export async function runInProcess(file: string, outdir: string): Promise<AppResult> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const Module = require('module') as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  // process.stdout/stderr are created on first use; touched here so that they are not counted as the app's work.
  void process.stdout;
  void process.stderr;
  const baseline = process.getActiveResourcesInfo().filter((r) => r !== 'Immediate');
  const saved = {
    env: Object.fromEntries(Object.keys(appEnvironment(outdir)).map((k) => [k, process.env[k]])),
    argv: process.argv,
    cwd: process.cwd(),
    exit: process.exit,
    exitCode: process.exitCode,
    mainModule: (process as any).mainModule,
    listeners: {
      exit: process.listeners('exit'),
      beforeExit: process.listeners('beforeExit'),
      uncaughtException: process.listeners('uncaughtException'),
    },
  };

  // The app's timers, cleared when it ends abruptly: a child's would die with it (an interval writing into the
  // output folder would otherwise go on writing after synth checked it).
  const timers = new Set<NodeJS.Timeout>();
  const immediates = new Set<NodeJS.Immediate>();
  const saveTimers = { setTimeout: global.setTimeout, setInterval: global.setInterval, setImmediate: global.setImmediate };
  const track = <T>(set: Set<T>, made: T): T => {
    set.add(made);
    return made;
  };
  (global as any).setTimeout = Object.assign((...args: any[]) => track(timers, (saveTimers.setTimeout as any)(...args)), saveTimers.setTimeout);
  (global as any).setInterval = Object.assign((...args: any[]) => track(timers, (saveTimers.setInterval as any)(...args)), saveTimers.setInterval);
  (global as any).setImmediate = Object.assign((...args: any[]) => track(immediates, (saveTimers.setImmediate as any)(...args)), saveTimers.setImmediate);
  const stopTimers = () => {
    for (const t of timers) clearTimeout(t);
    for (const i of immediates) clearImmediate(i);
  };

  let ended: { code: number; error?: unknown } | undefined;
  const end = (code: number, error?: unknown) => {
    if (ended !== undefined) return;
    ended = { code, error };
    stopTimers(); // at once: a timer due now would otherwise still run before synth goes on
    if (error !== undefined && !(error instanceof AppExit)) {
      // Node's report of an uncaught error: its stack (inspect adds the error's own properties), then the version.
      process.stderr.write(`${inspect(error)}\n\nNode.js ${process.version}\n`);
    }
  };
  const onUncaught = (error: unknown) => {
    if (error instanceof AppExit) return end(error.code);
    // The app's own listener handles it, as it would in a child (which then carries on).
    if (process.listenerCount('uncaughtException') > saved.listeners.uncaughtException.length + 1) return;
    end(1, error);
  };

  Object.assign(process.env, appEnvironment(outdir));
  process.argv = [process.execPath, file];
  process.exitCode = undefined;
  process.on('uncaughtException', onUncaught);
  (process as any).exit = (code?: number | string) => {
    const n = code === undefined ? Number(process.exitCode ?? 0) : Number(code);
    throw new AppExit((Number.isInteger(n) ? n : 1) & 0xff);
  };
  let leftWork = false;
  try {
    try {
      Module._load(file, null, true);
    } catch (e) {
      if (e instanceof AppExit) end(e.code);
      else end(1, e);
    }
    // The app's asynchronous work (promises, timers, I/O), then its beforeExit listeners, as Node runs them.
    while (ended === undefined) {
      await drained(baseline, () => ended !== undefined);
      if (ended !== undefined) break;
      const added = process.listeners('beforeExit').filter((l) => !saved.listeners.beforeExit.includes(l));
      if (added.length === 0) break;
      for (const l of added) callListener(l, Number(process.exitCode ?? 0), end);
      await tick();
      if (ended !== undefined || !hasWork(baseline)) break; // no new work: Node exits here too
    }
    if (ended === undefined) ended = { code: Number(process.exitCode ?? 0) & 0xff };
    stopTimers();
    leftWork = hasWork(baseline);
    if (leftWork) leftWorkBehind = true;
    // The app's exit listeners run last, with the exit code (they can still change it, as in Node).
    process.exitCode = ended.code;
    for (const l of process.listeners('exit').filter((x) => !saved.listeners.exit.includes(x))) {
      callListener(l, ended.code, () => undefined);
    }
    return { status: Number(process.exitCode ?? ended.code) & 0xff, signal: null, leftWork };
  } finally {
    Object.assign(global, saveTimers);
    (process as any).exit = saved.exit;
    process.removeListener('uncaughtException', onUncaught);
    for (const l of process.listeners('exit')) if (!saved.listeners.exit.includes(l)) process.removeListener('exit', l);
    for (const l of process.listeners('beforeExit')) if (!saved.listeners.beforeExit.includes(l)) process.removeListener('beforeExit', l);
    for (const [k, v] of Object.entries(saved.env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    process.argv = saved.argv;
    process.exitCode = saved.exitCode;
    (process as any).mainModule = saved.mainModule;
    if (process.cwd() !== saved.cwd) process.chdir(saved.cwd);
  }
}

function callListener(listener: (...args: any[]) => void, code: number, end: (code: number, error?: unknown) => void): void {
  try {
    listener.call(process, code);
  } catch (e) {
    end(e instanceof AppExit ? e.code : 1, e instanceof AppExit ? undefined : e);
  }
}

// The timers module's own functions: the app's globals are stand-ins while it runs.
const tick = () => new Promise<void>((resolve) => immediate(resolve));

/** Whether something beyond `baseline` (what this process held before the app ran) keeps the event loop alive. */
function hasWork(baseline: string[]): boolean {
  const now = process.getActiveResourcesInfo().filter((r) => r !== 'Immediate');
  if (now.length !== baseline.length) return now.length > baseline.length;
  const a = [...now].sort();
  const b = [...baseline].sort();
  return a.some((r, i) => r !== b[i]);
}

/** Resolves when the app's work has drained (or `stop()`): first after one turn, then polling up to every 20 ms. */
async function drained(baseline: string[], stop: () => boolean): Promise<void> {
  await tick();
  for (let wait = 1; !stop() && hasWork(baseline); wait = Math.min(20, wait * 2)) {
    await new Promise<void>((resolve) => later(resolve, wait));
  }
}
