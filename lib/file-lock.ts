import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';

/** Who holds a lock: written once, complete, before the lock exists (see takeFileLock). */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly token: string;
}

/** A lock file held by this process. */
export interface FileLock {
  readonly file: string;
  /** The owner of a lock of a dead process that was taken over (its run was killed: the caller repairs what it left). */
  readonly tookOverFrom?: LockOwner;
  /** Removes the lock, if it is still ours. */
  release(): void;
}

/**
 * Takes the lock `file` (its folder must exist: ENOENT is thrown as it is), or throws what `busy(owner)` returns when a live run holds it; the
 * one lock of both commands that write folders (synth's output, gitops' repository).
 *
 * The owner is written to a file of its own and then hard-linked as the lock: link fails when the lock exists, so
 * exactly one run wins, and a lock is never seen half-written (a plain create-then-write leaves an empty file that a
 * second run reads as stale and takes away from a live one). A lock whose process is gone on this host (kill -9, a
 * crash, a reboot) is stale and taken over, by moving it aside first so that two runs that both found it stale cannot
 * both take it; one of another host, a live pid or an unreadable owner is respected.
 */
export function takeFileLock(file: string, busy: (owner: LockOwner | undefined) => Error): FileLock {
  const me: LockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  let tookOverFrom: LockOwner | undefined;
  for (let attempt = 0; attempt < 20; attempt++) {
    const mine = `${file}.${process.pid}.${me.token}`;
    try {
      fs.writeFileSync(mine, `${JSON.stringify(me)}\n`);
      fs.linkSync(mine, file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ENOENT too: the lock's folder is gone (the run before removed it on release); the caller may make it again.
      if (code !== 'EEXIST') throw e;
      const owner = readLockOwner(file);
      if (owner === 'gone') continue;
      if (owner !== undefined && owner.host === me.host && !isAlive(owner.pid)) {
        breakStaleLock(file, owner);
        tookOverFrom = owner;
        continue;
      }
      throw busy(owner);
    } finally {
      fs.rmSync(mine, { force: true });
    }
    return {
      file,
      tookOverFrom,
      release: () => {
        const owner = readLockOwner(file);
        if (owner !== 'gone' && owner?.token === me.token) fs.rmSync(file, { force: true });
      },
    };
  }
  throw busy(undefined);
}

/** The owner of a lock file; undefined when it cannot be read as one, 'gone' when there is no lock. */
export function readLockOwner(file: string): LockOwner | undefined | 'gone' {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof owner?.pid === 'number' && typeof owner?.host === 'string' ? owner : undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : undefined;
  }
}

/**
 * Signal 0 only checks: ESRCH means no such process; EPERM means it exists under another user. A zombie answers signal
 * 0 too: a run killed (kill -9, a CI job's timeout) whose parent has not collected its exit status yet, which in a
 * container without an init process (`docker run` without `--init`) can take long or never happen. It can write
 * nothing, so it holds no lock.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * Whether `pid` has exited and waits only to be collected (Linux: state Z or X in /proc/PID/stat, the field after the
 * command name, which is in parentheses and may itself hold spaces or parentheses). False where there is no /proc.
 */
export function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const state = stat.charAt(stat.lastIndexOf(')') + 2);
  return state === 'Z' || state === 'X';
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
  const moved = readLockOwner(aside);
  if (moved !== 'gone' && moved?.token !== stale.token) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // a third run holds it now; ours was live and is back, or that run wins
    }
  }
  fs.rmSync(aside, { force: true });
}
