import * as fs from 'fs';
import * as path from 'path';
import { replaceDir, stagingDirFor } from '../atomic-dir';
import { GitOpsInputError } from './errors';
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
   * The files are written a few at a time on libuv's threads: creating thousands of small files is mostly waiting on
   * the file system, which can then overlap with the next folder's synthesis (the caller awaits before `commit()`).
   */
  public stage(dir: string, files: ReadonlyMap<string, string>): Promise<void> {
    const target = path.join(this.out, dir);
    if (fs.existsSync(target) && !fs.lstatSync(target).isDirectory()) {
      throw new GitOpsInputError(`${target} is in the way: it is not a folder, and nginx-rollouts did not write it`);
    }
    const staging = stagingDirFor(target);
    this.staged.set(dir, staging);
    if (fs.existsSync(target)) this.keepUnmanaged(dir, target, staging, files);
    for (const name of files.keys()) this.written.push(`${dir}/${name}`);
    return writeAll(staging, files);
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
      fs.cpSync(path.join(target, entry), path.join(staging, entry), { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
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

/** How many files are written at once; libuv has four threads by default, a few more requests keep them busy. */
const WRITE_CONCURRENCY = 16;

async function writeAll(dir: string, files: ReadonlyMap<string, string>): Promise<void> {
  const queue = [...files];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      await fs.promises.writeFile(path.join(dir, next[0]), next[1]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, queue.length) }, worker));
}

function writeFileAtomic(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}
