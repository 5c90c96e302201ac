// The module object itself (not an import wrapper), so jest can replace its functions for fault injection.
import fs = require('fs');
import * as os from 'os';
import * as path from 'path';
import {
  checkOutputDir, commitStaging, CommitError, createStaging, foreignFiles, MARKER, OutputDirError, outputPaths, recover,
  writeMarker, writeMarkerAsync,
} from '../lib/atomic-dir';

/** A project folder with an output folder `dist` that synth wrote (marked), holding `old.k8s.yaml`. */
function setup() {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
  const paths = outputPaths(path.join(project, 'dist'));
  fs.mkdirSync(paths.target);
  fs.writeFileSync(path.join(paths.target, 'old.k8s.yaml'), 'old');
  writeMarker(paths.target);
  return { project, paths };
}

function stage(paths: ReturnType<typeof outputPaths>): void {
  createStaging(paths);
  fs.writeFileSync(path.join(paths.staging, 'new.k8s.yaml'), 'new');
  writeMarker(paths.staging);
}

const files = (dir: string) => fs.readdirSync(dir).sort();

afterEach(() => {
  jest.restoreAllMocks();
  delete process.env.NGINX_ROLLOUTS_FAULT;
});

describe('checkOutputDir: a clear refusal before anything changes', () => {
  test('a mount point is refused (synth renames the folder, which a mount point does not allow)', () => {
    const { project, paths } = setup();
    const real = fs.statSync;
    // A mount point is a folder on another device than its parent.
    jest.spyOn(fs, 'statSync').mockImplementation(((p: fs.PathLike, o?: any) => {
      const st = real(p, o) as fs.Stats;
      if (p === project) return Object.assign(Object.create(Object.getPrototypeOf(st)), st, { dev: st.dev + 1 });
      return st;
    }) as typeof fs.statSync);
    expect(() => checkOutputDir(paths.target, project, 'dist')).toThrow(
      'refusing to replace dist: it is a mount point, and synth replaces its output by renaming the folder, which a mount ' +
      'point does not allow; give --out a folder inside it, such as dist/dist');
    expect(files(paths.target)).toEqual([MARKER, 'old.k8s.yaml']);
  });

  test('a read-only output folder (its old content could not be removed) is refused', () => {
    const { project, paths } = setup();
    fs.mkdirSync(path.join(paths.target, 'sub'));
    writeMarker(paths.target);
    const real = fs.accessSync;
    jest.spyOn(fs, 'accessSync').mockImplementation((p: fs.PathLike, mode?: number) => {
      if (p === path.join(paths.target, 'sub')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return real(p, mode);
    });
    expect(() => checkOutputDir(paths.target, project, 'dist')).toThrow(
      `cannot replace dist: ${path.join(paths.target, 'sub')} is not writable (EACCES), so its old content could not be removed; nothing was changed`);
  });

  test('a read-only parent folder (EROFS) is refused', () => {
    const { project, paths } = setup();
    const real = fs.accessSync;
    jest.spyOn(fs, 'accessSync').mockImplementation((p: fs.PathLike, mode?: number) => {
      if (p === project) throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
      return real(p, mode);
    });
    expect(() => checkOutputDir(paths.target, project, 'dist')).toThrow(OutputDirError);
    expect(() => checkOutputDir(paths.target, project, 'dist')).toThrow(`the folder ${project} is not writable (EROFS)`);
  });

  test('foreignFiles lists files not in the marker and files whose content changed', () => {
    const { paths } = setup();
    expect(foreignFiles(paths.target)).toEqual([]);
    fs.writeFileSync(path.join(paths.target, 'extra.yaml'), 'x');
    fs.writeFileSync(path.join(paths.target, 'old.k8s.yaml'), 'edited');
    expect(foreignFiles(paths.target)).toEqual([
      { file: 'extra.yaml', why: 'not written by synth' },
      { file: 'old.k8s.yaml', why: 'changed since synth wrote it' },
    ]);
  });
});

describe('commitStaging and recover', () => {
  test('a folder with content is replaced; no leftovers', () => {
    const { project, paths } = setup();
    stage(paths);
    expect(commitStaging(paths)).toEqual([]);
    expect(files(paths.target)).toEqual([MARKER, 'new.k8s.yaml']);
    expect(files(project)).toEqual(['dist']);
  });

  test('an empty folder is replaced in one rename (no instant without the folder)', () => {
    const { paths } = setup();
    fs.rmSync(paths.target, { recursive: true });
    fs.mkdirSync(paths.target);
    stage(paths);
    const renames: string[] = [];
    const real = fs.renameSync;
    jest.spyOn(fs, 'renameSync').mockImplementation((a, b) => {
      renames.push(`${path.basename(String(a))} -> ${path.basename(String(b))}`);
      return real(a, b);
    });
    commitStaging(paths);
    expect(renames).toEqual(['.synth-dist.new -> dist']);
    expect(files(paths.target)).toEqual([MARKER, 'new.k8s.yaml']);
  });

  test('the journal is written in place and made durable by its folder\'s fsync: two fsyncs a commit, both of the folder', () => {
    const { project, paths } = setup();
    stage(paths);
    const opened = new Map<number, string>();
    const synced: string[] = [];
    const realOpen = fs.openSync;
    const realFsync = fs.fsyncSync;
    jest.spyOn(fs, 'openSync').mockImplementation((...args: Parameters<typeof fs.openSync>) => {
      const fd = realOpen(...args);
      opened.set(fd, path.relative(project, String(args[0])) || '.');
      return fd;
    });
    jest.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      synced.push(opened.get(fd) ?? '?');
      return realFsync(fd);
    });
    let journalSeen = false;
    const realRename = fs.renameSync;
    jest.spyOn(fs, 'renameSync').mockImplementation((a, b) => {
      if (a === paths.target) journalSeen = fs.existsSync(paths.journal); // the journal is there before the first rename
      return realRename(a, b);
    });
    commitStaging(paths);
    // The journal's own text was synced too before (journal.tmp, then renamed): a file system commit more per synth.
    expect(synced).toEqual(['.', '.']);
    expect(journalSeen).toBe(true);
    expect(files(project)).toEqual(['dist']);
  });

  test('when the new folder cannot be put in place and the old one cannot be put back, the state says "missing" and recover() finishes the switch', () => {
    const { project, paths } = setup();
    stage(paths);
    const real = fs.renameSync;
    jest.spyOn(fs, 'renameSync').mockImplementation((a, b) => {
      if (b === paths.target) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
      return real(a, b);
    });
    let error: unknown;
    try {
      commitStaging(paths);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CommitError);
    expect((error as CommitError).state).toBe('missing');
    expect(files(project)).toEqual(['.synth-dist.journal', '.synth-dist.new', '.synth-dist.old']);
    jest.restoreAllMocks();

    expect(recover(paths, 'dist')).toEqual(['a previous synth was interrupted while replacing dist; its checked output is now in place']);
    expect(files(paths.target)).toEqual([MARKER, 'new.k8s.yaml']);
    expect(files(project)).toEqual(['dist']);
  });

  test('when only the new folder fails to move, the old one is put back: "unchanged"', () => {
    const { project, paths } = setup();
    stage(paths);
    const real = fs.renameSync;
    jest.spyOn(fs, 'renameSync').mockImplementation((a, b) => {
      if (a === paths.staging) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      return real(a, b);
    });
    expect(() => commitStaging(paths)).toThrow(expect.objectContaining({ state: 'unchanged' }));
    expect(files(paths.target)).toEqual([MARKER, 'old.k8s.yaml']);
    expect(files(project)).toEqual(['.synth-dist.new', 'dist']); // the caller removes its staging folder
  });

  test('recover() without a journal removes an incomplete staging folder, and refuses one that is not ours', () => {
    const { project, paths } = setup();
    createStaging(paths);
    fs.writeFileSync(path.join(paths.staging, 'half.k8s.yaml'), 'half');
    expect(recover(paths, 'dist')).toEqual(['removed the leftovers of an interrupted synth of dist']);
    expect(files(project)).toEqual(['dist']);

    fs.mkdirSync(paths.staging);
    fs.writeFileSync(path.join(paths.staging, 'user.txt'), 'mine');
    expect(() => recover(paths, 'dist')).toThrow(`${paths.staging} is in the way and was not written by nginx-rollouts synth`);
    expect(files(paths.staging)).toEqual(['user.txt']);
  });
});

describe('writeMarkerAsync (synth): writeMarker with the syncs issued together', () => {
  /** A folder of `n` files in two levels, as an app writes its charts. */
  function output(n: number): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'marker-'));
    fs.mkdirSync(path.join(dir, 'sub'));
    for (let i = 0; i < n; i++) fs.writeFileSync(path.join(dir, i % 2 ? 'sub' : '', `c${i}.k8s.yaml`), `kind: ConfigMap # ${i}\n`);
    return dir;
  }

  test('writes the same marker as writeMarker', async () => {
    const a = output(5);
    const b = output(5);
    writeMarker(a);
    await writeMarkerAsync(b);
    expect(fs.readFileSync(path.join(b, MARKER), 'utf8')).toBe(fs.readFileSync(path.join(a, MARKER), 'utf8'));
    expect(foreignFiles(b)).toEqual([]);
  });

  test('syncs every file, the marker and the folder before it resolves, with at most 8 files open at a time', async () => {
    const dir = output(20);
    const synced: string[] = [];
    let open = 0;
    let most = 0;
    // Node's own fs module (the one lib/atomic-dir reads its functions from at each call)
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const nodeFs = require('fs') as typeof fs;
    const { open: realOpen, fsync: realFsync, close: realClose } = nodeFs;
    const pathOf = new Map<number, string>();
    jest.spyOn(nodeFs, 'open').mockImplementation(((p: any, flags: any, cb: any) => realOpen(p, flags, (err, fd) => {
      if (!err) {
        open++;
        most = Math.max(most, open);
        pathOf.set(fd, String(p));
      }
      cb(err, fd);
    })) as any);
    jest.spyOn(nodeFs, 'fsync').mockImplementation(((fd: number, cb: any) => realFsync(fd, (err) => {
      if (!err) synced.push(pathOf.get(fd)!);
      cb(err);
    })) as any);
    jest.spyOn(nodeFs, 'close').mockImplementation(((fd: number, cb: any) => {
      open--;
      realClose(fd, cb);
    }) as any);
    // and not through fs.promises, whose first use loads eight more of Node's modules
    const promisesOpen = jest.spyOn(fs.promises, 'open');
    await writeMarkerAsync(dir);
    const expected = [...fs.readdirSync(dir, { recursive: true }) as string[]]
      .filter((f) => !fs.statSync(path.join(dir, f)).isDirectory()).map((f) => path.join(dir, f));
    expect(synced.sort()).toEqual([...expected, dir].sort());
    expect(expected).toContain(path.join(dir, MARKER));
    expect(most).toBeLessThanOrEqual(8);
    expect(most).toBeGreaterThan(1); // together, not one after another
    expect(open).toBe(0);
    expect(promisesOpen).not.toHaveBeenCalled();
  });

  test('refuses a FIFO (opening it would block), as writeMarker does, and writes no marker', async () => {
    const dir = output(1);
    const r = require('child_process').spawnSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    if (r.status !== 0) return; // no mkfifo here
    await expect(writeMarkerAsync(dir)).rejects.toThrow('pipe.yaml is not a regular file (a FIFO, socket, device or link); synth writes only files');
    expect(fs.existsSync(path.join(dir, MARKER))).toBe(false);
  });
});
