import * as fs from 'fs';
import * as path from 'path';
import { GitOpsInputError, GitOpsWriteError } from './errors';
import { FileSink } from './file-sink';
import {
  Journal, StepHook, envFault, manifestCommitted, readJournal, rollBack, rollForward, workPaths, writeJournal,
  JOURNAL_FILE,
} from './journal';
import { GENERATED_HEADER, MANIFEST_FILE, WORK_DIR } from './layout';
import { Lock, LOCK_FILE, acquireLock } from './lock';
import { Manifest, manifestText, readManifest, sha256 } from './manifest';

/** How the writer treats the repository. */
export interface WriterOptions {
  /** Overwrite (or remove) generated files that were edited by hand since the last run. @default false */
  readonly force?: boolean;
  /**
   * Where notices go: `repaired` when this run finished the commit of an interrupted one (so `out` changed even if
   * this run fails later), `notice` otherwise. @default - nowhere
   */
  readonly log?: (line: string, kind: 'repaired' | 'notice') => void;
  /** Called after every step of the commit, with its name: fault injection for tests. */
  readonly onStep?: StepHook;
}

/**
 * Writes the repository into `out` as one transaction, without touching what the tool does not manage (a `.git`, a
 * README, a file a person added to an environment folder):
 *
 * 1. `open` takes the lock (`<out>/.nginx-rollouts-gitops.tmp/lock`), finishes the commit of a run that was killed
 *    (its journal) or drops what it had staged, and reads the manifest of the files the tool wrote, with their hashes.
 * 2. `stage` builds each folder complete under the work folder: new files, unchanged ones hard-linked, the files a
 *    person keeps there linked too. Nothing in `out` changes.
 * 3. `commit` refuses hand-edited generated files (unless `force`), writes the journal, then swaps the folders in by
 *    rename and replaces the manifest last. An error undoes the renames; a kill is finished by the next run.
 */
export class RepositoryWriter {
  /** Locks `out` (creating it if needed) and repairs what an interrupted run left; see the class. */
  public static open(out: string, options: WriterOptions = {}): RepositoryWriter {
    const abs = path.resolve(out);
    if (fs.existsSync(abs) && !fs.statSync(abs).isDirectory()) throw new GitOpsInputError(`${out} exists and is not a folder`);
    const createdOut = !fs.existsSync(abs);
    fs.mkdirSync(abs, { recursive: true });
    let lock: Lock;
    try {
      lock = acquireLock(path.join(abs, WORK_DIR), out);
    } catch (e) {
      if (createdOut) removeIfEmpty(abs);
      throw e;
    }
    try {
      const writer = new RepositoryWriter(abs, out, lock, createdOut, options);
      writer.repair();
      writer.step('locked');
      return writer;
    } catch (e) {
      lock.release();
      if (createdOut) removeIfEmpty(abs);
      throw e;
    }
  }

  private readonly work: string;
  private previous: Manifest = { folders: new Set(), files: new Map() };
  private readonly staged = new Set<string>();
  private readonly written = new Map<string, string>();
  /** Generated files changed by hand that this run would overwrite or remove. */
  private readonly edited: string[] = [];
  private readonly sink = new FileSink();
  private done = false;

  private constructor(
    private readonly out: string,
    private readonly shownOut: string,
    private readonly lock: Lock,
    private readonly createdOut: boolean,
    private readonly options: WriterOptions,
  ) {
    this.work = path.join(out, WORK_DIR);
  }

  /**
   * Stages the folder `dir` (one level under `out`) with `files`, keeping the files there that the tool did not write.
   * Resolves once the files are written, which may be on a writer thread while the caller synthesizes the next folder
   * (see FileSink); every promise must have settled before `commit()` or `abort()`.
   */
  public stage(dir: string, files: ReadonlyMap<string, string>): Promise<void> {
    const target = path.join(this.out, dir);
    const st = lstatOrUndefined(target);
    if (st && !st.isDirectory()) {
      throw new GitOpsInputError(`${target} is in the way: it is not a folder, and nginx-rollouts did not write it`);
    }
    const staging = workPaths(this.work).newDir(dir);
    fs.mkdirSync(staging, { recursive: true });
    this.staged.add(dir);
    const adopted = st ? this.keepUnmanaged(dir, target, staging, files) : new Set<string>();
    if (st) {
      // Generated files this run no longer writes go with the old folder: only if nobody edited them.
      for (const p of this.previous.files.keys()) {
        const [folder, name] = p.split('/');
        if (folder === dir && !files.has(name) && this.isEdited(p, readOrUndefined(path.join(target, name)))) this.edited.push(p);
      }
    }
    const toWrite: Array<[string, string]> = [];
    for (const [name, content] of files) {
      const p = `${dir}/${name}`;
      this.written.set(p, sha256(content));
      const old = path.join(target, name);
      if (st && (this.previous.files.has(p) || adopted.has(name))) {
        const disk = readOrUndefined(old);
        // An unchanged file is hard-linked, not written: creating a file costs about a millisecond on some disks
        // (this project's CI VM), a link a fiftieth of that, so a rerun that changes little stays fast.
        if (disk !== undefined && disk.equals(Buffer.from(content)) && tryLink(old, path.join(staging, name))) continue;
        if (this.isEdited(p, disk)) this.edited.push(p);
      }
      toWrite.push([path.join(staging, name), content]);
    }
    const written = this.sink.write(toWrite);
    return written.then(() => this.step(`staged:${dir}`));
  }

  /** Stops the writer thread, if one was started. */
  public close(): Promise<void> {
    return this.sink.close();
  }

  /**
   * Swaps every staged folder in, moves the previous run's files that this run did not write out of the folders it
   * did not stage, replaces the manifest, and releases the lock. See the class.
   */
  public commit(): void {
    const stale: string[] = [];
    const emptied = new Set<string>();
    for (const p of [...this.previous.files.keys()].sort()) {
      const folder = p.split('/')[0];
      if (this.staged.has(folder)) continue;
      emptied.add(folder);
      const disk = readOrUndefined(path.join(this.out, p));
      if (disk === undefined && !lstatOrUndefined(path.join(this.out, p))) continue;
      if (this.isEdited(p, disk)) this.edited.push(p);
      stale.push(p);
    }
    if (this.edited.length > 0 && !this.options.force) {
      const files = [...new Set(this.edited)].sort().map((p) => path.join(this.shownOut, p));
      throw new GitOpsInputError(`${files.length === 1 ? 'a generated file was' : `${files.length} generated files were`} ` +
        `edited by hand since the last run (the content no longer matches its sha256 in ${MANIFEST_FILE}):\n  ` +
        `${files.join('\n  ')}\nthis run would overwrite or remove ${files.length === 1 ? 'it' : 'them'}: move the change ` +
        'into the config (or restore the file with git), or rerun with --force to overwrite it');
    }
    const p = workPaths(this.work);
    // The new manifest owns the folders this run wrote; a folder of an environment that left the config is no longer ours.
    fs.writeFileSync(p.newManifest, manifestText(this.staged, this.written));
    const journal: Journal = { swaps: [...this.staged], stale, emptied: [...emptied].sort() };
    this.step('staged');
    try {
      writeJournal(this.work, journal);
      this.step('journal');
      rollForward(this.out, this.work, journal, (s) => this.step(s));
    } catch (e) {
      if (manifestCommitted(this.work)) {
        this.options.log?.(`${this.shownOut} is written, but a last step failed: ${(e as Error).message}`, 'notice');
        try {
          rollForward(this.out, this.work, journal, () => undefined); // the steps left: empty folders removed
        } catch {
          // only rmdir of emptied folders is left, and those errors are ignored already
        }
      } else {
        this.undo(journal, e as Error);
      }
    }
    this.finish();
  }

  /** Drops what was staged: `out` is as it was before this run (also when the run created it). */
  public abort(): void {
    if (this.done) return;
    this.finish();
  }

  /**
   * Links what a person put into `target` into `staging`; refuses to overwrite such a file with a generated one. A
   * file of ours that lost its manifest entry (it starts with our header and holds exactly the new bytes) is adopted:
   * overwriting it loses nothing. Returns the adopted names.
   */
  private keepUnmanaged(dir: string, target: string, staging: string, files: ReadonlyMap<string, string>): Set<string> {
    const adopted = new Set<string>();
    for (const entry of fs.readdirSync(target)) {
      if (this.previous.files.has(`${dir}/${entry}`)) continue;
      const content = files.get(entry);
      if (content !== undefined) {
        if (isOwnOrphan(readOrUndefined(path.join(target, entry)), content)) {
          adopted.add(entry);
          continue;
        }
        throw new GitOpsInputError(`refusing to overwrite ${path.join(this.shownOut, dir, entry)}: nginx-rollouts did ` +
          `not write it (it is not listed in ${MANIFEST_FILE}); move it away and rerun`);
      }
      linkTree(path.join(target, entry), path.join(staging, entry));
    }
    return adopted;
  }

  /** Whether the file at `p` (bytes `disk`, undefined when unreadable or missing) differs from what the last run wrote. */
  private isEdited(p: string, disk: Buffer | undefined): boolean {
    const hash = this.previous.files.get(p);
    if (hash === undefined) return false; // a manifest without hashes (version 1): no way to tell
    if (disk === undefined) return lstatOrUndefined(path.join(this.out, p)) !== undefined; // replaced by a folder...
    return sha256(disk) !== hash;
  }

  private step(name: string): void {
    this.options.onStep?.(name);
    envFault(name);
  }

  /** The repair at the start of every run, under the lock: see the class. */
  private repair(): void {
    const journal = readJournal(this.work);
    if (journal !== undefined) {
      this.options.log?.(`${this.shownOut}: a run was interrupted while it committed; finishing its commit ` +
        `(${path.join(this.shownOut, WORK_DIR, JOURNAL_FILE)})`, 'repaired');
      try {
        rollForward(this.out, this.work, journal, () => undefined);
      } catch (e) {
        throw new GitOpsWriteError(`an interrupted run left a commit to finish (${path.join(this.shownOut, WORK_DIR, JOURNAL_FILE)}), ` +
          `and finishing it failed: ${(e as Error).message}; fix the cause and rerun`, 'interrupted');
      }
      fs.rmSync(workPaths(this.work).journal);
    } else if (this.lock.tookOverFrom !== undefined) {
      this.options.log?.(`${this.shownOut}: the run of pid ${this.lock.tookOverFrom.pid} ended without releasing its lock ` +
        '(killed?); it had not started its commit: removing what it left', 'notice');
    }
    this.clearWork();
    this.previous = readManifest(this.out);
  }

  /** Empties the work folder but for the lock: staged folders of a run killed before its journal, old folders. */
  private clearWork(): void {
    for (const entry of fs.readdirSync(this.work)) {
      if (entry === LOCK_FILE || entry === '.gitignore') continue;
      fs.rmSync(path.join(this.work, entry), { recursive: true, force: true });
    }
  }

  /** Undoes a commit that failed before the manifest, or keeps the journal for the next run when that fails too. */
  private undo(journal: Journal, cause: Error): never {
    try {
      rollBack(this.out, this.work, journal, (s) => this.step(s));
      fs.rmSync(workPaths(this.work).journal, { force: true }); // absent when writing it was what failed
    } catch (e) {
      this.done = true;
      try {
        this.lock.release(); // the journal stays: the next run finishes the commit
      } catch {
        // the lock is stale once this process exits; the next run takes it over
      }
      throw new GitOpsWriteError(`writing ${this.shownOut} failed: ${cause.message}; undoing it failed too ` +
        `(${(e as Error).message}). ${this.shownOut} is partly written; fix the cause and rerun: the next run finishes ` +
        `the commit from ${path.join(this.shownOut, WORK_DIR, JOURNAL_FILE)}`, 'interrupted');
    }
    this.finish();
    throw new GitOpsWriteError(`writing ${this.shownOut} failed: ${cause.message}`, 'unchanged');
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    try {
      this.clearWork();
      this.step('cleaned');
    } catch (e) {
      this.options.log?.(`could not remove ${path.join(this.shownOut, WORK_DIR)}: ${(e as Error).message}; the next run removes it`, 'notice');
    }
    this.lock.release();
    if (this.createdOut) removeIfEmpty(this.out);
  }
}

function removeIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // not empty, or gone
  }
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Hard-links `from` as `to`; false where the file system refuses (then the caller writes a copy). */
function tryLink(from: string, to: string): boolean {
  try {
    fs.linkSync(from, to);
    return true;
  } catch {
    return false;
  }
}

/**
 * Puts what a person keeps in a managed folder into the staging folder unchanged: the same files (hard links keep
 * bytes, mode and times), folders rebuilt, symlinks as they are; a copy where links are refused.
 */
function linkTree(from: string, to: string): void {
  const st = fs.lstatSync(from);
  if (st.isDirectory()) {
    fs.mkdirSync(to, { mode: st.mode });
    for (const entry of fs.readdirSync(from)) linkTree(path.join(from, entry), path.join(to, entry));
  } else if (st.isSymbolicLink()) {
    fs.symlinkSync(fs.readlinkSync(from), to);
  } else if (!tryLink(from, to)) {
    fs.cpSync(from, to, { preserveTimestamps: true });
  }
}

/** Marks a file of ours that lost its manifest entry: it starts with the header and holds exactly the new bytes. */
function isOwnOrphan(disk: Buffer | undefined, content: string): boolean {
  return disk !== undefined && content.startsWith(GENERATED_HEADER) && disk.equals(Buffer.from(content));
}
