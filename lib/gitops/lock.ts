import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GitOpsInputError } from './errors';

/** Who holds the lock: written once, complete, before the lock exists (see acquireLock). */
interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly token: string;
}

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
 * Takes the lock of the repository at `workDir`, or fails with exit 2 naming the lock, its owner and how to clear it.
 * The owner is written to a file of its own and then hard-linked as the lock: link fails when the lock exists, so
 * exactly one run wins, and a lock is never seen half-written. A lock whose process is gone on this host (kill -9,
 * a crash, a reboot) is stale and taken over; one from another host or a live pid is respected.
 */
export function acquireLock(workDir: string, shownOut: string): Lock {
  const file = path.join(workDir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  let tookOverFrom: LockOwner | undefined;
  for (let attempt = 0; attempt < 20; attempt++) {
    fs.mkdirSync(workDir, { recursive: true });
    const mine = `${file}.${process.pid}.${me.token}`;
    try {
      fs.writeFileSync(mine, `${JSON.stringify(me)}\n`);
      fs.linkSync(mine, file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ENOENT: the run before released the lock and removed the folder meanwhile; start over.
      if (code === 'ENOENT') continue;
      if (code !== 'EEXIST') throw e;
      const owner = readOwner(file);
      if (owner === 'gone') continue;
      if (owner !== undefined && owner.host === me.host && !isAlive(owner.pid)) {
        breakStaleLock(file, owner);
        tookOverFrom = owner;
        continue;
      }
      throw new GitOpsInputError(busyMessage(file, owner, shownOut));
    } finally {
      fs.rmSync(mine, { force: true });
    }
    // Written once the lock is ours: removed again before the lock on release, so it never goes with another run's.
    fs.writeFileSync(path.join(workDir, GITIGNORE), '# nginx-rollouts gitops: temporary files of a run, never committed\n*\n');
    return {
      file,
      tookOverFrom,
      release: () => {
        fs.rmSync(path.join(workDir, GITIGNORE), { force: true });
        const owner = readOwner(file);
        if (owner !== 'gone' && owner?.token === me.token) fs.rmSync(file, { force: true });
        try {
          fs.rmdirSync(workDir);
        } catch {
          // not empty: another run took the lock meanwhile, or files were left for the next run to repair
        }
      },
    };
  }
  throw new GitOpsInputError(`could not take the lock ${file}: other runs keep taking and releasing it; rerun`);
}

function readOwner(file: string): LockOwner | undefined | 'gone' {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof owner?.pid === 'number' && typeof owner?.host === 'string' ? owner : undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : undefined;
  }
}

/** Signal 0 only checks: ESRCH means no such process; EPERM means it exists under another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Moves the stale lock away under a name of our own, then checks it is the one we judged stale: two runs that both
 * found it stale cannot both take it, and a fresh lock taken by another run meanwhile is put back.
 */
function breakStaleLock(file: string, stale: LockOwner): void {
  const aside = `${file}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return; // someone else moved it first
  }
  const moved = readOwner(aside);
  if (moved !== 'gone' && moved?.token !== stale.token) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // a third run holds it now; ours was live and is back, or that run wins
    }
  }
  fs.rmSync(aside, { force: true });
}

function busyMessage(file: string, owner: LockOwner | undefined, out: string): string {
  const who = owner === undefined ? 'a run whose lock file cannot be read'
    : `nginx-rollouts gitops (pid ${owner.pid} on ${owner.host}, since ${owner.since})`;
  return `${out} is locked by ${who}: ${file}. Another run is writing it; wait for it to finish and rerun. If no ` +
    `such run is alive (it ran on another machine, or the pid was reused), delete ${file} and rerun: the next run ` +
    'repairs whatever an interrupted run left';
}
