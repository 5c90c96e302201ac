import * as fs from 'fs';
import * as path from 'path';
import { FileLock, LockOwner, takeFileLock } from '../file-lock';
import { GitOpsInputError } from './errors';

export const LOCK_FILE = 'lock';
const GITIGNORE = '.gitignore';

/** A lock held by this process on `<out>/<work dir>/lock`. */
export interface Lock {
  readonly file: string;
  /** Whether the lock of a dead process was taken over (its run was killed: the caller repairs what it left). */
  readonly tookOverFrom?: LockOwner;
  release(): void;
}

/**
 * Takes the lock of the repository at `workDir` (see takeFileLock), or fails with exit 2 naming the lock, its owner
 * and how to clear it. While it is held, the work folder carries a `.gitignore` of everything in it.
 */
export function acquireLock(workDir: string, shownOut: string): Lock {
  const file = path.join(workDir, LOCK_FILE);
  let lock: FileLock | undefined;
  for (let attempt = 0; attempt < 20 && !lock; attempt++) {
    fs.mkdirSync(workDir, { recursive: true });
    try {
      lock = takeFileLock(file, (owner) => new GitOpsInputError(busyMessage(file, owner, shownOut)));
    } catch (e) {
      // The run before released the lock and removed the folder meanwhile: start over.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      // Refused (or failed): leave no folder we made. The holder's release could not remove the folder while our
      // try file was in it, so when it is empty now nobody holds it; a run that holds the lock keeps it non-empty.
      removeIfEmpty(workDir);
      throw e;
    }
  }
  if (!lock) throw new GitOpsInputError(`could not take the lock ${file}: other runs keep taking and releasing it; rerun`);
  const held = lock;
  // Written once the lock is ours: removed again before the lock on release, so it never goes with another run's.
  fs.writeFileSync(path.join(workDir, GITIGNORE), '# nginx-rollouts gitops: temporary files of a run, never committed\n*\n');
  return {
    file,
    tookOverFrom: held.tookOverFrom,
    release: () => {
      fs.rmSync(path.join(workDir, GITIGNORE), { force: true });
      held.release();
      // not empty: another run took the lock meanwhile, or files were left for the next run to repair
      removeIfEmpty(workDir);
    },
  };
}

/** Removes `dir` when it is empty; a folder with anything in it (another run's lock or try file) stays. */
function removeIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // not empty, or already gone
  }
}

function busyMessage(file: string, owner: LockOwner | undefined, out: string): string {
  const who = owner === undefined ? 'a run whose lock file cannot be read'
    : `nginx-rollouts gitops (pid ${owner.pid} on ${owner.host}, since ${owner.since})`;
  return `${out} is locked by ${who}: ${file}. Another run is writing it; wait for it to finish and rerun. If no ` +
    `such run is alive (it ran on another machine, or the pid was reused), delete ${file} and rerun: the next run ` +
    'repairs whatever an interrupted run left';
}
