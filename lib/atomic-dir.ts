import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LockOwner, takeFileLock } from './file-lock';

/**
 * Safe replacement of an output folder (`nginx-rollouts synth`'s `dist/`).
 *
 * Design. The new content is written to a staging folder beside the output (same parent, so the same file system and
 * `rename(2)` is one metadata step), checked, marked, and then put in place by renames:
 *   - output absent or empty: one `rename(staging, output)`; POSIX lets a rename replace an empty folder, so readers
 *     see the old (empty) folder or the complete new one, nothing in between;
 *   - output with content: `rename(output, old)` then `rename(staging, output)`, then the old content is removed.
 * Between those two renames (two consecutive system calls) the output is absent: a reader such as `kubectl apply -f
 * dist/` then fails with "does not exist" rather than applying a partial set. Swapping two folders in one step needs
 * Linux's `renameat2(RENAME_EXCHANGE)`, which Node does not expose. A symlink swapped atomically was rejected: `dist`
 * would become a link, which git records as a link (not the files), Argo CD refuses when it points outside the
 * repository, Docker's COPY copies as a link, and `kubectl apply -f dist` (no slash) walks the link, not the folder.
 * A real folder keeps all of them working.
 *
 * A journal file, written (and synced) after the staging folder is complete and checked and before the first rename,
 * says "the staging folder is good": a run killed anywhere is rolled forward (output missing: the staged folder is
 * put in place) or back (output still there: the staging folder is removed) by the next run, which also removes the
 * old content. A lock file keeps two runs off the same output.
 *
 * Ownership. The output folder is replaced only when it is absent, empty, or holds exactly what synth wrote there:
 * a marker file ({@link MARKER}) lists every file with its sha256, so a file added or edited by hand is never deleted.
 * The marker has no `.yaml`/`.json` extension, so `kubectl apply -f dist/`, Argo CD and `lint dist/` skip it.
 */

/** The marker file synth writes in its output folder. */
export const MARKER = '.nginx-rollouts-synth';

const MARKER_HEADER = '# Written by nginx-rollouts synth. This folder is its output: the next synth replaces it as a whole,\n' +
  '# and only while it holds exactly these files (sha256, as `sha256sum -c` reads them). Do not add files here.\n';

/** A refusal or failure with the exit code the command returns (2: nothing was changed, or see the message). */
export class OutputDirError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

/** The file names of one output folder's run: all beside it, all matched by `.gitignore`'s `.synth-*`. */
export interface OutputPaths {
  readonly target: string;
  readonly staging: string;
  readonly old: string;
  readonly journal: string;
  readonly lock: string;
}

export function outputPaths(target: string): OutputPaths {
  const abs = path.resolve(target);
  const base = path.join(path.dirname(abs), `.synth-${path.basename(abs)}`);
  return { target: abs, staging: `${base}.new`, old: `${base}.old`, journal: `${base}.journal`, lock: `${base}.lock` };
}

// ---------------------------------------------------------------------------------------------------------------
// Fault injection (tests only): NGINX_ROLLOUTS_FAULT=<kill|EACCES|ENOSPC|EIO>@<step> makes the process kill itself
// with SIGKILL, or fail with that error, at the named step, so tests can check the folder at every step.

/** The steps, in order, at which a fault can be injected. */
export const STEPS = [
  'locked', 'recovered', 'staging-created', 'app-ran', 'checked', 'marker-written', 'journal-written',
  'old-moved', 'new-moved', 'old-removed', 'journal-removed',
] as const;
export type Step = typeof STEPS[number];

export function faultPoint(step: Step): void {
  const spec = process.env.NGINX_ROLLOUTS_FAULT;
  if (!spec) return;
  const [what, at] = spec.split('@');
  if (at !== step) return;
  if (what === 'kill') process.kill(process.pid, 'SIGKILL');
  const e: NodeJS.ErrnoException = new Error(`${what}: injected fault at ${step}`);
  e.code = what;
  throw e;
}

// ---------------------------------------------------------------------------------------------------------------
// Where output may go

/** The real path of `p`, following symlinks in the part that exists. */
function realish(p: string): string {
  const abs = path.resolve(p);
  let existing = abs;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(existing), ...rest);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return abs;
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

function isInsideOrSame(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Refuses (exit 2, before anything changes) an output that is not a folder synth may replace: `/`, the home folder,
 * the project root or a parent of it, a folder inside `.git`, a file, a symlink, a mount point, a folder it cannot
 * write, or a folder holding anything synth did not write. `shown` is how the folder is named in messages.
 */
export function checkOutputDir(target: string, projectRoot: string, shown: string): void {
  const real = realish(target);
  const root = realish(projectRoot);
  const fix = `give --out a folder of its own, such as ${path.join(path.relative(process.cwd(), root) || '.', 'dist')}`;
  if (real === path.parse(real).root) throw new OutputDirError(`refusing to write to ${shown}: it is the file system root; ${fix}`);
  if (real === realish(os.homedir())) throw new OutputDirError(`refusing to write to ${shown}: it is the home folder; ${fix}`);
  if (isInsideOrSame(root, real)) {
    throw new OutputDirError(`refusing to write to ${shown}: it ${real === root ? 'is' : 'contains'} the project (${root}); ${fix}`);
  }
  if (real.split(path.sep).includes('.git')) throw new OutputDirError(`refusing to write to ${shown}: it is inside a .git folder; ${fix}`);

  let st: fs.Stats;
  try {
    st = fs.lstatSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return checkWritable(path.dirname(path.resolve(target)), shown);
    throw new OutputDirError(`cannot read ${shown}: ${(e as Error).message}; nothing was changed`);
  }
  if (st.isSymbolicLink()) {
    throw new OutputDirError(`refusing to replace ${shown}: it is a symbolic link; synth writes a real folder. Remove the ` +
      `link, or give --out the folder it points to (${fs.existsSync(target) ? fs.realpathSync(target) : 'missing'})`);
  }
  if (!st.isDirectory()) {
    throw new OutputDirError(`refusing to write to ${shown}: it is a file, not a folder; synth never overwrites a file. ` +
      `Give --out a folder`);
  }
  const parentSt = fs.statSync(path.dirname(path.resolve(target)));
  if (parentSt.dev !== st.dev) {
    throw new OutputDirError(`refusing to replace ${shown}: it is a mount point, and synth replaces its output by renaming ` +
      `the folder, which a mount point does not allow; give --out a folder inside it, such as ${path.join(shown, 'dist')}`);
  }
  const foreign = foreignFiles(target);
  if (foreign.length > 0) {
    const listed = foreign.slice(0, 5).map((f) => path.join(shown, f.file) + (f.why ? ` (${f.why})` : '')).join(', ');
    const more = foreign.length > 5 ? ` and ${foreign.length - 5} more` : '';
    throw new OutputDirError(`refusing to replace ${shown}: it holds files that nginx-rollouts synth did not write: ` +
      `${listed}${more}. synth only replaces a folder that is absent, empty or its own output (marked by ` +
      `${path.join(shown, MARKER)}). Move those files elsewhere (or delete ${shown} if you no longer need it), or give ` +
      `--out another folder; nothing was changed`);
  }
  checkWritable(path.dirname(path.resolve(target)), shown);
  checkWritableTree(target, shown);
}

function checkWritable(dir: string, shown: string): void {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // created on the way (mkdir -p)
    throw new OutputDirError(`cannot write ${shown}: the folder ${dir} is not writable ` +
      `(${(e as NodeJS.ErrnoException).code}); nothing was changed`);
  }
}

/** Removing the old content needs write access to every folder in it; checked before anything changes. */
function checkWritableTree(dir: string, shown: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) checkWritableTree(path.join(dir, e.name), shown);
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    throw new OutputDirError(`cannot replace ${shown}: ${dir} is not writable (${(e as NodeJS.ErrnoException).code}), ` +
      'so its old content could not be removed; nothing was changed');
  }
}

/** Every file below `dir` (relative, `/`-separated, sorted), without the marker. */
function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, r));
    else if (r !== MARKER) out.push(r);
  }
  return out.sort();
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** The files of `dir` that synth did not write (or that changed since): empty when the folder is synth's own. */
export function foreignFiles(dir: string): { file: string; why?: string }[] {
  const files = listFiles(dir);
  let markerText: string;
  try {
    markerText = fs.readFileSync(path.join(dir, MARKER), 'utf8');
  } catch {
    return files.map((file) => ({ file }));
  }
  const listed = new Map<string, string>();
  for (const line of markerText.split('\n')) {
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (m) listed.set(m[2], m[1]);
  }
  const out: { file: string; why?: string }[] = [];
  for (const file of files) {
    const hash = listed.get(file);
    if (hash === undefined) out.push({ file, why: 'not written by synth' });
    else {
      const st = fs.lstatSync(path.join(dir, file));
      // Reading a FIFO (or a device) to hash it would block synth for ever: such an entry is never synth's own.
      if (!st.isFile() && !st.isSymbolicLink()) out.push({ file, why: 'not a regular file' });
      else if (st.isSymbolicLink() || sha256(path.join(dir, file)) !== hash) out.push({ file, why: 'changed since synth wrote it' });
    }
  }
  return out;
}

/**
 * {@link writeMarker} as `nginx-rollouts synth` uses it, with the same result and the same guarantee when it resolves:
 * every file, the marker and the folder synced. The syncs are issued together rather than one after another: on
 * ext4 each fsync of a newly written file waits for a journal commit, and concurrent fsyncs share one (3 new files
 * and their folder: about 2 ms together against 15 ms in a row on this project's machine). Nothing depends on their
 * order: a power cut before it resolves leaves a staging folder without a journal, which the next run removes
 * (see {@link recover}). At most 8 files are open at a time.
 */
export async function writeMarkerAsync(dir: string): Promise<void> {
  const names = listFiles(dir);
  const file = path.join(dir, MARKER);
  fs.writeFileSync(file, MARKER_HEADER + markerLines(dir, names).join(''));
  const queue = [...names.map((f) => path.join(dir, f)), file, dir];
  const worker = async () => {
    for (let p = queue.shift(); p !== undefined; p = queue.shift()) await fsyncPathAsync(p);
  };
  await Promise.all(Array.from({ length: Math.min(8, queue.length) }, worker));
}

/** One `sha256  file` line per file of `dir` (`names` from listFiles), refusing anything but a regular file. */
function markerLines(dir: string, names: string[]): string[] {
  return names.map((f) => {
    const p = path.join(dir, f);
    // Opening a FIFO the app left in its output would block (fsync and hash both open it): refuse it instead.
    if (!fs.lstatSync(p).isFile()) throw new Error(`${f} is not a regular file (a FIFO, socket, device or link); synth writes only files`);
    return `${sha256(p)}  ${f}\n`;
  });
}

/**
 * fsyncPath on libuv's thread pool (several at once). Node's callback functions, not `fs.promises`: the first use of
 * `fs.promises` loads eight more of Node's own modules (readline among them, for `FileHandle.readLines`), about 1.5 ms
 * of every synth.
 */
function fsyncPathAsync(p: string): Promise<void> {
  return new Promise((resolve) => {
    fs.open(p, 'r', (openError, fd) => {
      // As fsyncPath: some file systems refuse fsync on folders; the error is not the caller's concern.
      if (openError) return resolve();
      fs.fsync(fd, () => fs.close(fd, () => resolve()));
    });
  });
}

/** Writes the marker listing every file of `dir` with its sha256, and syncs the files so a power cut keeps them. */
export function writeMarker(dir: string): void {
  const names = listFiles(dir);
  const lines = markerLines(dir, names);
  for (const f of names) fsyncPath(path.join(dir, f));
  const file = path.join(dir, MARKER);
  fs.writeFileSync(file, MARKER_HEADER + lines.join(''));
  fsyncPath(file);
  fsyncPath(dir);
}

function fsyncPath(p: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on folders; a process kill (the case the journal is for) does not need it.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Lock and recovery

/**
 * Takes the output's lock (the same lock as gitops', see takeFileLock), or refuses when a live synth holds it. A lock
 * left by a killed run (its process is gone) is taken over. Returns the function that releases it.
 */
export function lockOutput(paths: OutputPaths, shown: string): () => void {
  fs.mkdirSync(path.dirname(paths.lock), { recursive: true });
  const busy = (owner: LockOwner | undefined) => new OutputDirError(owner === undefined
    ? `another nginx-rollouts synth is writing ${shown}, or left ${paths.lock} unreadable; wait for it to finish ` +
      `(if no synth is running, remove ${paths.lock}); nothing was changed`
    : `another nginx-rollouts synth (process ${owner.pid} on ${owner.host}, since ${owner.since}) is writing ${shown}; ` +
      `wait for it to finish (if no synth is running, remove ${paths.lock}); nothing was changed`);
  try {
    return takeFileLock(paths.lock, busy).release;
  } catch (e) {
    if (e instanceof OutputDirError) throw e;
    throw new OutputDirError(`cannot write ${shown}: cannot create ${paths.lock}: ${(e as Error).message}; nothing was changed`);
  }
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Removes a leftover folder of ours: one that is empty or marked (a staging folder gets its marker before the app). */
function removeOurs(dir: string, shown: string): void {
  if (!exists(dir)) return;
  if (fs.lstatSync(dir).isDirectory() && (fs.readdirSync(dir).length === 0 || exists(path.join(dir, MARKER)))) {
    fs.rmSync(dir, { recursive: true, force: true });
    return;
  }
  throw new OutputDirError(`cannot synthesize into ${shown}: ${dir} is in the way and was not written by nginx-rollouts ` +
    'synth; move it elsewhere; nothing was changed');
}

/**
 * Finishes or undoes what a killed run left (call with the lock held). Returns one line per repair, for the user.
 * With the journal, the staging folder is complete and checked: the output is put back from it when missing.
 * Without it, staging is incomplete and is removed.
 */
export function recover(paths: OutputPaths, shown: string): string[] {
  const notes: string[] = [];
  if (exists(paths.journal)) {
    if (!exists(paths.target)) {
      if (exists(paths.staging)) {
        fs.renameSync(paths.staging, paths.target);
        notes.push(`a previous synth was interrupted while replacing ${shown}; its checked output is now in place`);
      } else if (exists(paths.old)) {
        fs.renameSync(paths.old, paths.target);
        notes.push(`a previous synth was interrupted while replacing ${shown}; the previous output was put back`);
      }
    } else if (exists(paths.staging)) {
      notes.push(`a previous synth of ${shown} was interrupted before it replaced anything; its staging folder was removed`);
    }
    removeOurs(paths.staging, shown);
    removeOurs(paths.old, shown);
    fsyncPath(path.dirname(paths.target));
    fs.rmSync(paths.journal, { force: true });
    return notes;
  }
  if (exists(paths.staging) || exists(paths.old)) {
    notes.push(`removed the leftovers of an interrupted synth of ${shown}`);
  }
  removeOurs(paths.staging, shown);
  removeOurs(paths.old, shown);
  return notes;
}

/** A fresh staging folder beside the output, holding an (empty) marker so a leftover is known to be ours. */
export function createStaging(paths: OutputPaths): string {
  fs.mkdirSync(paths.staging);
  fs.writeFileSync(path.join(paths.staging, MARKER), MARKER_HEADER);
  return paths.staging;
}

/** Where the output ended up after {@link commitStaging} failed, for a message true to the disk. */
export type CommitState = 'unchanged' | 'replaced' | 'missing';

export class CommitError extends Error {
  constructor(message: string, readonly state: CommitState) {
    super(message);
  }
}

/**
 * Puts the (complete, checked, marked) staging folder in place of the output. Returns warnings about leftovers it
 * could not remove (the output is new then; the next run removes them). Throws {@link CommitError} with the state the
 * output is in when it fails.
 */
export function commitStaging(paths: OutputPaths): string[] {
  const { target, staging, old, journal } = paths;
  const parent = path.dirname(target);
  try {
    // recover() reads whether the journal exists, never its text: the journal is written in place and made durable by
    // the parent folder's fsync alone (syncing its text, then renaming it into place, cost one more commit of the file
    // system's own journal on every synth: 2-3 ms on an idle disk, 10-25 ms on a busy one). A power cut before that
    // fsync leaves no journal, or one whose text is missing or partial; nothing has been renamed yet, so recover()
    // keeps the output as it is in both cases (the staging folder was synced by the marker's step before this).
    fs.writeFileSync(journal, `staging ${path.basename(staging)} is complete and checked; next: replace ${path.basename(target)}\n`);
    fsyncPath(parent);
    faultPoint('journal-written');
  } catch (e) {
    fs.rmSync(journal, { force: true });
    throw new CommitError((e as Error).message, 'unchanged');
  }

  const hadContent = exists(target) && fs.readdirSync(target).length > 0;
  if (hadContent) {
    try {
      fs.renameSync(target, old);
      faultPoint('old-moved');
    } catch (e) {
      const state = exists(target) ? 'unchanged' : putBack(paths);
      throw new CommitError((e as Error).message, state);
    }
  }
  try {
    fs.renameSync(staging, target); // replaces an empty folder in one step
    fsyncPath(parent);
    faultPoint('new-moved');
  } catch (e) {
    if (exists(target) && !exists(staging)) throw new CommitError((e as Error).message, 'replaced');
    const state = hadContent ? putBack(paths) : 'unchanged';
    throw new CommitError((e as Error).message, state);
  }

  const warnings: string[] = [];
  try {
    if (hadContent) fs.rmSync(old, { recursive: true, force: true });
    faultPoint('old-removed');
    fs.rmSync(journal, { force: true });
    faultPoint('journal-removed');
  } catch (e) {
    warnings.push(`could not remove the previous output (${(e as Error).message}); the next synth removes ${old}`);
  }
  return warnings;
}

/** Moves the old content back after a failed switch; the journal stays if that fails too, for the next run. */
function putBack(paths: OutputPaths): CommitState {
  try {
    if (!exists(paths.target)) fs.renameSync(paths.old, paths.target);
    fs.rmSync(paths.journal, { force: true });
    return 'unchanged';
  } catch {
    return 'missing';
  }
}
