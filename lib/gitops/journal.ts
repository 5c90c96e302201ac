import * as fs from 'fs';
import * as path from 'path';
import { GitOpsInputError } from './errors';
import { MANIFEST_FILE } from './layout';
import { isManagedPath, isOwnedFolderName } from './manifest';

/**
 * The commit of one run, written before the first change to the repository and removed after the last. While it
 * exists the commit is decided: a run that finds it (the one before was killed) finishes it. Every step is a rename
 * whose progress shows on disk, so finishing is safe from any point, also twice.
 *
 * - `swaps`: folders whose new version waits in `<work>/new/<folder>`; the old one goes to `<work>/old/<folder>`.
 * - `stale`: files of the previous run in folders this run does not write; moved to `<work>/old-stale/`.
 * - then `<work>/new-manifest.json` replaces the manifest: from here on the commit is complete.
 * - `emptied`: folders of environments that left the config, removed when nothing else is left in them.
 */
export interface Journal {
  readonly swaps: readonly string[];
  readonly stale: readonly string[];
  readonly emptied: readonly string[];
}

export const JOURNAL_FILE = 'journal.json';
export const NEW_MANIFEST = 'new-manifest.json';

/** Called after each step of a run's commit, with the step's name: fault injection for tests. */
export type StepHook = (step: string) => void;

/** The paths of the work folder. */
export function workPaths(work: string) {
  return {
    newDir: (folder: string) => path.join(work, 'new', folder),
    oldDir: (folder: string) => path.join(work, 'old', folder),
    oldStale: (file: string) => path.join(work, 'old-stale', file),
    newManifest: path.join(work, NEW_MANIFEST),
    journal: path.join(work, JOURNAL_FILE),
  };
}

/** Writes the journal whole (written beside, flushed, renamed), so a kill leaves it complete or absent. */
export function writeJournal(work: string, journal: Journal): void {
  const file = workPaths(work).journal;
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, `${JSON.stringify(journal, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** The journal an interrupted run left, validated like the manifest: it can only name the tool's own folders. */
export function readJournal(work: string): Journal | undefined {
  const file = workPaths(work).journal;
  let raw: any;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GitOpsInputError(`${file} (the journal of an interrupted run) cannot be read: ${(e as Error).message}; ` +
      `check the environment folders against git, then delete ${path.dirname(file)} and rerun`);
  }
  const ok = typeof raw === 'object' && raw !== null &&
    Array.isArray(raw.swaps) && raw.swaps.every(isOwnedFolderName) &&
    Array.isArray(raw.stale) && raw.stale.every(isManagedPath) &&
    Array.isArray(raw.emptied) && raw.emptied.every(isOwnedFolderName);
  if (!ok) {
    throw new GitOpsInputError(`${file} (the journal of an interrupted run) names paths outside the environment ` +
      `folders; it is not obeyed. Check the environment folders against git, then delete ${path.dirname(file)} and rerun`);
  }
  return { swaps: raw.swaps, stale: raw.stale, emptied: raw.emptied };
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Carries the commit forward from wherever it stopped: each folder swap is done unless its new folder is gone
 * (done), each stale file moved unless it is gone, the manifest replaced unless the new one is gone.
 */
export function rollForward(out: string, work: string, journal: Journal, step: StepHook): void {
  const p = workPaths(work);
  for (const folder of journal.swaps) {
    const fresh = p.newDir(folder);
    if (!exists(fresh)) continue;
    const target = path.join(out, folder);
    if (exists(target)) {
      fs.mkdirSync(path.dirname(p.oldDir(folder)), { recursive: true });
      fs.renameSync(target, p.oldDir(folder));
      step(`aside:${folder}`);
    }
    fs.renameSync(fresh, target);
    step(`in:${folder}`);
  }
  for (const file of journal.stale) {
    const from = path.join(out, file);
    if (!exists(from)) continue;
    fs.mkdirSync(path.dirname(p.oldStale(file)), { recursive: true });
    fs.renameSync(from, p.oldStale(file));
    step(`stale:${file}`);
  }
  if (exists(p.newManifest)) {
    fs.renameSync(p.newManifest, path.join(out, MANIFEST_FILE));
    step('manifest');
  }
  for (const folder of journal.emptied) {
    try {
      fs.rmdirSync(path.join(out, folder));
    } catch {
      // gone already, or a person keeps files there: they stay
    }
    step(`emptied:${folder}`);
  }
}

/** Whether the commit reached the manifest: from there it is complete, and is never undone. */
export function manifestCommitted(work: string): boolean {
  return !exists(workPaths(work).newManifest);
}

/** Undoes the steps `rollForward` did, newest first; the repository is then as before the commit. */
export function rollBack(out: string, work: string, journal: Journal, step: StepHook): void {
  const p = workPaths(work);
  for (const file of [...journal.stale].reverse()) {
    const to = path.join(out, file);
    if (exists(p.oldStale(file)) && !exists(to)) fs.renameSync(p.oldStale(file), to);
    step(`undo:${file}`);
  }
  for (const folder of [...journal.swaps].reverse()) {
    const target = path.join(out, folder);
    if (!exists(p.newDir(folder)) && exists(target)) fs.renameSync(target, p.newDir(folder));
    if (exists(p.oldDir(folder)) && !exists(target)) fs.renameSync(p.oldDir(folder), target);
    step(`undo:${folder}`);
  }
}

/**
 * Fault injection for the tests: `NGINX_ROLLOUTS_GITOPS_FAULT=<action>@<step>` acts right after that step of the
 * commit. `kill` is SIGKILL (no cleanup runs), `exit` is process.exit(70), `sleep=<ms>` blocks (to hold the lock),
 * `<ERRNO>` (EACCES, EISDIR...) throws that error as the file system would.
 */
export function envFault(step: string, env: Readonly<Record<string, string | undefined>> = process.env): void {
  const spec = env.NGINX_ROLLOUTS_GITOPS_FAULT;
  if (spec === undefined) return;
  const at = spec.indexOf('@');
  if (at < 0 || spec.slice(at + 1) !== step) return;
  const action = spec.slice(0, at);
  if (action === 'kill') {
    process.kill(process.pid, 'SIGKILL');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000); // the signal arrives; nothing runs on
  }
  if (action === 'exit') process.exit(70);
  if (action.startsWith('sleep=')) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(action.slice(6)));
    return;
  }
  if (/^E[A-Z]+$/.test(action)) {
    throw Object.assign(new Error(`${action}: injected fault at ${step}`), { code: action });
  }
}
