import * as fs from 'fs';
import * as path from 'path';
import { replaceDir, stagingDirFor } from '../atomic-dir';
import { GitOpsInputError } from './errors';
import { FileSink } from './file-sink';
import { MANIFEST_FILE } from './layout';

/** The content of {@link MANIFEST_FILE}. */
interface Manifest {
  readonly generator: string;
  readonly files: string[];
}

const GENERATOR = 'nginx-rollouts gitops';

/**
 * Writes the repository into `out` without touching what the tool does not manage (a `.git`, a README, a file a
 * person added to an environment folder). Each folder is staged complete beside its target and swapped in at
 * `commit()`, so nothing in `out` changes until every folder was generated; `abort()` drops the staging folders.
 * Paths written by the previous run come from {@link MANIFEST_FILE}: those missing now are stale and go.
 */
export class RepositoryWriter {
  private readonly out: string;
  private readonly previous: ReadonlySet<string>;
  private readonly staged = new Map<string, string>();
  private readonly written: string[] = [];
  private readonly createdOut: boolean;
  private readonly sink = new FileSink();

  public constructor(out: string) {
    this.out = path.resolve(out);
    if (fs.existsSync(this.out) && !fs.statSync(this.out).isDirectory()) {
      throw new GitOpsInputError(`${out} exists and is not a folder`);
    }
    this.previous = readManifest(this.out);
    this.createdOut = !fs.existsSync(this.out);
  }

  /**
   * Stages the folder `dir` (one level under `out`) with `files`, keeping the files there that the tool did not write.
   * Resolves once the files are written, which may be on a writer thread while the caller synthesizes the next folder
   * (see FileSink); every promise must have settled before `commit()` or `abort()`.
   */
  public stage(dir: string, files: ReadonlyMap<string, string>): Promise<void> {
    const target = path.join(this.out, dir);
    if (fs.existsSync(target) && !fs.lstatSync(target).isDirectory()) {
      throw new GitOpsInputError(`${target} is in the way: it is not a folder, and nginx-rollouts did not write it`);
    }
    const staging = stagingDirFor(target);
    this.staged.set(dir, staging);
    const exists = fs.existsSync(target);
    if (exists) this.keepUnmanaged(dir, target, staging, files);
    const toWrite: Array<[string, string]> = [];
    for (const [name, content] of files) {
      this.written.push(`${dir}/${name}`);
      const old = path.join(target, name);
      // An unchanged file is hard-linked, not written: creating a file costs about a millisecond on some disks (this
      // project's CI VM), a link a fiftieth of that, so a rerun that changes little stays fast.
      const unchanged = exists && this.previous.has(`${dir}/${name}`) && sameBytes(old, content);
      if (!unchanged || !tryLink(old, path.join(staging, name))) toWrite.push([path.join(staging, name), content]);
    }
    return this.sink.write(toWrite);
  }

  /** Stops the writer thread, if one was started. */
  public close(): Promise<void> {
    return this.sink.close();
  }

  /** Swaps every staged folder in, removes the previous run's files that this run did not write, updates the manifest. */
  public commit(): void {
    const dirs = new Set(this.staged.keys());
    for (const [dir, staging] of this.staged) replaceDir(staging, path.join(this.out, dir));
    this.staged.clear();
    // Stale files in a swapped folder went with the swap; only folders this run did not write are left to clean.
    for (const file of this.previous) {
      if (!dirs.has(file.split('/')[0])) removeStale(this.out, file);
    }
    const manifest: Manifest = { generator: GENERATOR, files: [...this.written].sort() };
    writeFileAtomic(path.join(this.out, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  }

  /** Drops the staging folders: `out` is as it was before this run (also when the run created it). */
  public abort(): void {
    for (const staging of this.staged.values()) fs.rmSync(staging, { recursive: true, force: true });
    this.staged.clear();
    if (this.createdOut && fs.existsSync(this.out) && fs.readdirSync(this.out).length === 0) fs.rmdirSync(this.out);
  }

  /** Copies what a person put into `target` into `staging`; refuses to overwrite such a file with a generated one. */
  private keepUnmanaged(dir: string, target: string, staging: string, files: ReadonlyMap<string, string>): void {
    for (const entry of fs.readdirSync(target)) {
      if (this.previous.has(`${dir}/${entry}`)) continue;
      if (files.has(entry)) {
        throw new GitOpsInputError(`refusing to overwrite ${path.join(target, entry)}: nginx-rollouts did not write it ` +
          `(it is not listed in ${MANIFEST_FILE}); move it away and rerun`);
      }
      linkTree(path.join(target, entry), path.join(staging, entry));
    }
  }
}

/** The paths the previous run wrote (relative, `/`-separated), or none when `out` was never written. */
function readManifest(out: string): Set<string> {
  const file = path.join(out, MANIFEST_FILE);
  if (!fs.existsSync(file)) return new Set();
  let manifest: Partial<Manifest>;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new GitOpsInputError(`${file} is not valid JSON (${(e as Error).message}); restore it from git or delete it`);
  }
  if (!Array.isArray(manifest.files) || !manifest.files.every(isSafeRelative)) {
    throw new GitOpsInputError(`${file} has no valid 'files' list; restore it from git or delete it`);
  }
  return new Set(manifest.files);
}

/** A managed path is `<folder>/<file>`: never absolute, never `..`, so a tampered manifest cannot delete elsewhere. */
function isSafeRelative(p: unknown): p is string {
  if (typeof p !== 'string') return false;
  const parts = p.split('/');
  return parts.length === 2 && parts.every((x) => x !== '' && x !== '.' && x !== '..');
}

/** Removes a file of the previous run, and its folder once nothing else is left in it. */
function removeStale(out: string, file: string): void {
  fs.rmSync(path.join(out, file), { force: true });
  const dir = path.join(out, path.dirname(file));
  if (fs.existsSync(dir) && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
}

/** Whether `file` holds exactly `content` (false when it is missing or not a file). */
function sameBytes(file: string, content: string): boolean {
  try {
    return fs.readFileSync(file).equals(Buffer.from(content));
  } catch {
    return false;
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

function writeFileAtomic(file: string, content: string): void {
  if (sameBytes(file, content)) return;
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}
