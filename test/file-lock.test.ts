import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isAlive, isZombie, readLockOwner, takeFileLock } from '../lib/file-lock';

/** The one lock of synth and gitops: who may take it, and what is respected. */
describe('takeFileLock', () => {
  let dir: string;
  let file: string;
  const busy = (owner: unknown) => new Error(`busy: ${JSON.stringify(owner)}`);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'file-lock-'));
    file = path.join(dir, 'lock');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('one holder at a time; the lock names its owner completely; release frees it and leaves nothing behind', () => {
    const lock = takeFileLock(file, busy);
    const owner = readLockOwner(file);
    expect(owner).toMatchObject({ pid: process.pid, host: os.hostname() });
    expect(() => takeFileLock(file, busy)).toThrow(`busy: ${JSON.stringify(owner)}`);
    lock.release();
    expect(fs.readdirSync(dir)).toEqual([]);
    takeFileLock(file, busy).release();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a lock of a dead process on this host is taken over and reported', () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const stale = { pid: dead, host: os.hostname(), since: 'then', token: 'old' };
    fs.writeFileSync(file, JSON.stringify(stale));
    const lock = takeFileLock(file, busy);
    expect(lock.tookOverFrom).toEqual(stale);
    expect(readLockOwner(file)).toMatchObject({ pid: process.pid });
    lock.release();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  // A run killed while its parent does not collect its exit status (a container without an init process) stays a
  // zombie: signal 0 still finds it, yet it can write nothing. Here `sleep 0` exits under a parent that only sleeps.
  const children = (pid: number) => `/proc/${pid}/task/${pid}/children`;
  (fs.existsSync(children(process.pid)) ? test : test.skip)('a lock of a zombie process (exited, not yet collected) is taken over', () => {
    const { spawn } = require('child_process') as typeof import('child_process');
    const parent = spawn('sh', ['-c', 'sleep 0 & exec sleep 30'], { stdio: 'ignore' });
    try {
      let zombie: number | undefined;
      for (const until = Date.now() + 10_000; zombie === undefined && Date.now() < until;) {
        const pids = fs.readFileSync(children(parent.pid!), 'utf8').split(' ').filter((p) => p.trim() !== '').map(Number);
        zombie = pids.find((pid) => isZombie(pid));
      }
      expect(zombie).toBeDefined();
      expect(isAlive(zombie!)).toBe(false);
      const stale = { pid: zombie!, host: os.hostname(), since: 'then', token: 'old' };
      fs.writeFileSync(file, JSON.stringify(stale));
      const lock = takeFileLock(file, busy);
      expect(lock.tookOverFrom).toEqual(stale);
      lock.release();
    } finally {
      parent.kill('SIGKILL');
    }
  });

  test('a live process is alive, a zombie or a gone one is not', () => {
    expect(isAlive(process.pid)).toBe(true);
    expect(isZombie(process.pid)).toBe(false);
    expect(isAlive(spawnSync(process.execPath, ['-e', '0']).pid!)).toBe(false);
  });

  test.each([
    ['another host (its pid means nothing here)', JSON.stringify({ pid: 1, host: 'elsewhere', since: 'then', token: 'x' })],
    ['an empty file (a holder that has not written it yet, with create-then-write)', ''],
    ['garbage', 'not json'],
  ])('a lock of %s is respected', (_, content) => {
    fs.writeFileSync(file, content);
    expect(() => takeFileLock(file, busy)).toThrow(/^busy: /);
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
    expect(fs.readdirSync(dir)).toEqual(['lock']);
  });

  test('release does not remove a lock that another run holds now', () => {
    const lock = takeFileLock(file, busy);
    const other = { pid: process.pid, host: os.hostname(), since: 'now', token: 'other' };
    fs.writeFileSync(file, JSON.stringify(other)); // ours was broken and another run took it
    lock.release();
    expect(readLockOwner(file)).toEqual(other);
  });

  test('a missing folder is an error of its own (ENOENT), not "busy"', () => {
    expect(() => takeFileLock(path.join(dir, 'gone', 'lock'), busy)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
