/**
 * The guarantees of issue 9 for `gitops`: an environment without objects and async builds, one locked and journaled
 * commit that a kill at any step cannot wedge, a manifest that cannot be turned against the repository, and
 * hand-edited generated files that are not overwritten silently.
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CanaryNginxRollout } from '../../lib';
import { gitopsCommand } from '../../lib/cli/gitops';
import {
  GitOpsConfig, GitOpsInputError, GitOpsValidationError, GitOpsWriteError, MANIFEST_FILE, generateRepository,
} from '../../lib/gitops';
import { GENERATED_HEADER, WORK_DIR } from '../../lib/gitops/layout';
import { acquireLock } from '../../lib/gitops/lock';
import { configA, configB } from './fixtures/two-configs';
import { captureOutput, cleanup, hashTree, listTree, readObject, tempDir } from './support';

const FIXTURE = path.join(__dirname, 'fixtures', 'two-configs.ts');
const RUNNER = path.join(__dirname, 'fixtures', 'run-gitops.js');

afterAll(cleanup);

let userRepo: string | undefined;
/** One user repository (see userRepository), written once; copy it before changing it. */
function prepared(): string {
  if (userRepo === undefined) throw new Error('userRepo is made in beforeAll');
  return userRepo;
}
beforeAll(async () => {
  userRepo = await userRepository();
});

/** A repository written by config `a`, with a README, a .git and a note inside `dev/`: what a user has. */
async function userRepository(): Promise<string> {
  const out = tempDir();
  execFileSync('git', ['init', '-q', out]);
  fs.writeFileSync(path.join(out, 'README.md'), '# ours\n');
  await generateRepository(configA, { out });
  fs.writeFileSync(path.join(out, 'dev', 'NOTES.md'), 'dev is shared\n');
  return out;
}

/** Copies a folder (the prepared repository) to a fresh one, so each case starts from the same bytes. */
function copyOf(dir: string): string {
  const out = tempDir();
  fs.cpSync(dir, out, { recursive: true });
  return out;
}

/** Runs the command in a child process from the sources; `fault` is NGINX_ROLLOUTS_GITOPS_FAULT. */
function runChild(out: string, options: { fault?: string; fixture?: 'a' | 'b' | 'forgotten'; extra?: string[] } = {}) {
  return spawnSync(process.execPath, [RUNNER, '--out', out, '--config', FIXTURE, ...(options.extra ?? [])], {
    encoding: 'utf8',
    env: { ...process.env, NGINX_IMAGE: undefined, GITOPS_FIXTURE: options.fixture ?? 'b', NGINX_ROLLOUTS_GITOPS_FAULT: options.fault },
  });
}

const run = (args: string[]) => captureOutput(() => gitopsCommand(args));

/** `{ name: 'dev', ... }` with the given apps: a one-environment config. */
function oneEnv(apps: GitOpsConfig['environments'][0]['apps'], extra: Partial<GitOpsConfig['environments'][0]> = {}): GitOpsConfig {
  return { argocd: { repoURL: 'https://git.example.com/gitops.git' }, environments: [{ name: 'dev', namespace: 'dev', apps, ...extra }] };
}

const canary = (replicas = 2) => (chart: any, env: any) => new CanaryNginxRollout(chart, 'web', { name: 'web', replicas, image: env.image });

describe('an environment without objects', () => {
  test('is refused (exit 1, tree unchanged), naming the environment and the option that allows it', async () => {
    const out = await userRepository();
    const hash = hashTree(out);
    const empty = oneEnv([{ name: 'web', build: () => undefined }]);
    await expect(generateRepository(empty, { out })).rejects.toThrow(GitOpsValidationError);
    await expect(generateRepository(empty, { out })).rejects.toThrow(
      /environment 'dev' has no objects: its apps \(web\) created none.*delete every object.*allowEmpty: 'delete-all-objects' on environment 'dev'/s);
    expect(hashTree(out)).toBe(hash);
  });

  test("is written, with no resources, when the environment says allowEmpty: 'delete-all-objects'", async () => {
    const out = await userRepository();
    await generateRepository(oneEnv([{ name: 'web', build: () => undefined }], { allowEmpty: 'delete-all-objects' }), { out });
    expect(readObject(path.join(out, 'dev', 'kustomization.yaml')).resources).toEqual([]);
    expect(fs.readdirSync(path.join(out, 'dev')).sort()).toEqual(['NOTES.md', 'kustomization.yaml']);
  });

  test('allowEmpty: true (or any other value) is a config error that names the one accepted value', async () => {
    const out = await userRepository();
    const hash = hashTree(out);
    const config = oneEnv([{ name: 'web', build: () => undefined }], { allowEmpty: true as any });
    await expect(generateRepository(config, { out })).rejects.toThrow(
      /environment 'dev': allowEmpty is true; the only value is 'delete-all-objects'/);
    expect(hashTree(out)).toBe(hash);
  });
});

describe('async build', () => {
  test('is awaited: what it creates after an await is written', async () => {
    const out = tempDir();
    const build = async (chart: any, env: any) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      canary(4)(chart, env);
    };
    await generateRepository(oneEnv([{ name: 'web', build }]), { out });
    expect(readObject(path.join(out, 'dev', 'rollout-web.yaml')).spec.replicas).toBe(4);
    expect(readObject(path.join(out, 'dev', 'kustomization.yaml')).resources).toEqual(['configmap-web-conf.yaml', 'rollout-web.yaml']);
  });

  test('a late rejection fails the run before anything is written: exit 1, a true message, tree unchanged', async () => {
    const out = await userRepository();
    const hash = hashTree(out);
    const build = async (chart: any, env: any) => {
      canary()(chart, env);
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('the registry lookup failed');
    };
    const config = path.join(tempDir(), 'late.ts');
    const { result, stderr } = await (async () => {
      // through the command: the exit code and the last line must say what happened on disk
      jest.doMock(config, () => ({ config: oneEnv([{ name: 'web', build }]) }), { virtual: true });
      fs.writeFileSync(config, 'export {};\n');
      return run(['--out', out, '--config', config]);
    })();
    expect(stderr).toMatch(/environment 'dev', app 'web': the registry lookup failed/);
    expect(stderr).toMatch(/is unchanged\n$/);
    expect(result).toBe(1);
    expect(hashTree(out)).toBe(hash);
  });

  test('a promise the build started without returning, rejected during the run, fails it before the commit', () => {
    // in a child process: jest's sandbox takes unhandled rejections for itself
    const out = copyOf(prepared());
    const hash = hashTree(out);
    const child = runChild(out, { fixture: 'forgotten' });
    expect(child.stderr).toMatch(/a promise rejected that nothing awaited .*forgotten promise/);
    expect(child.stderr).toMatch(/is unchanged\n$/);
    expect(child.status).toBe(1);
    expect(hashTree(out)).toBe(hash);
  });
});

describe('generated files', () => {
  test('every file but the manifest starts with the generated header; reruns are byte-identical', async () => {
    const out = tempDir();
    await generateRepository(configA, { out });
    const files = listTree(out).filter((p) => p.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(8);
    for (const f of files) expect(fs.readFileSync(path.join(out, f), 'utf8').startsWith(GENERATED_HEADER)).toBe(true);
    expect(GENERATED_HEADER).toMatch(/^# Generated by `nginx-rollouts gitops`/);
    const hash = hashTree(out);
    await generateRepository(configA, { out });
    expect(hashTree(out)).toBe(hash);
  });

  test('the manifest records the sha256 of every file it lists', async () => {
    const out = tempDir();
    await generateRepository(configA, { out });
    const manifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST_FILE), 'utf8'));
    expect(manifest.folders).toEqual(['argocd', 'dev', 'qa']);
    const { createHash } = await import('crypto');
    for (const [p, hash] of Object.entries(manifest.files)) {
      expect(createHash('sha256').update(fs.readFileSync(path.join(out, p))).digest('hex')).toBe(hash);
    }
  });

  test('a hand-edited generated file is refused (exit 2) naming it and --force; --force overwrites it', async () => {
    const out = await userRepository();
    const file = path.join(out, 'dev', 'rollout-web.yaml');
    fs.appendFileSync(file, '# tuned by hand\n');
    const hash = hashTree(out);
    const refused = await run(['--out', out, '--config', FIXTURE]);
    expect(refused.result).toBe(2);
    expect(refused.stderr).toMatch(/a generated file was edited by hand since the last run/);
    expect(refused.stderr).toContain(`\n  ${file}\n`);
    expect(refused.stderr).toMatch(/--force/);
    expect(hashTree(out)).toBe(hash);

    const forced = await run(['--out', out, '--config', FIXTURE, '--force']);
    expect(forced.result).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('tuned by hand');
    expect(readObject(file).spec.replicas).toBe(3);
  });

  test('a hand-edited file that the run would remove (its environment left the config) is refused too', async () => {
    const out = await userRepository();
    fs.appendFileSync(path.join(out, 'qa', 'rollout-web.yaml'), '# qa note\n');
    const hash = hashTree(out);
    await expect(generateRepository(configB, { out })).rejects.toThrow(/edited by hand[^]*qa\/rollout-web\.yaml/);
    expect(hashTree(out)).toBe(hash);
    await generateRepository(configB, { out, force: true });
    expect(fs.existsSync(path.join(out, 'qa'))).toBe(false);
  });

  test('a generated file deleted by hand is simply written again', async () => {
    const out = await userRepository();
    fs.rmSync(path.join(out, 'dev', 'rollout-web.yaml'));
    await generateRepository(configA, { out });
    expect(readObject(path.join(out, 'dev', 'rollout-web.yaml')).kind).toBe('Rollout');
  });
});

describe('a tampered manifest is an error, never obeyed', () => {
  test.each([
    ['.git/config'], ['../outside.yaml'], ['/etc/hostname'], ['dev/../../x.yaml'], ['dev/sub/x.yaml'], ['README.md'],
  ])('an entry %j: exit 2, nothing deleted or changed', async (entry) => {
    const out = await userRepository();
    const manifestFile = path.join(out, MANIFEST_FILE);
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    manifest.files[entry] = 'a'.repeat(64);
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    const hash = hashTree(out);
    const { result, stderr } = await run(['--out', out, '--config', FIXTURE]);
    expect(result).toBe(2);
    expect(stderr).toMatch(/names paths the tool never writes.*it is not obeyed/s);
    expect(stderr).toContain(JSON.stringify(entry));
    expect(hashTree(out)).toBe(hash);
  });

  test('a folder list naming .git is refused', async () => {
    const out = await userRepository();
    const manifestFile = path.join(out, MANIFEST_FILE);
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    manifest.folders.push('.git');
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    await expect(generateRepository(configB, { out })).rejects.toThrow(/folders\[\d\] is "\.git", not an environment folder/);
  });
});

describe('the lock', () => {
  test('a second run while one holds the lock exits 2, naming the lock, its owner and how to clear a stale one', async () => {
    const out = await userRepository();
    let second: Promise<unknown> | undefined;
    await generateRepository(configB, {
      out,
      onStep: (step) => {
        // generateRepository takes the lock before its first await: this call fails at once
        if (step === 'locked') {
          second = generateRepository(configB, { out });
          second.catch(() => undefined); // asserted below
        }
      },
    });
    await expect(second).rejects.toThrow(GitOpsInputError);
    const lock = path.join(out, WORK_DIR, 'lock');
    await expect(second).rejects.toThrow(new RegExp(`is locked by nginx-rollouts gitops \\(pid ${process.pid} on .*\\): ${lock}.*delete ${lock} and rerun`, 's'));
    expect(fs.existsSync(path.join(out, WORK_DIR))).toBe(false);
  });

  test('a run refused while the holder releases leaves no empty work folder (the holder could not remove it)', () => {
    // The race CI met with two runs at once: the refused run's try file (lock.<pid>.<token>) was still in the work
    // folder when the holder released, so the holder's rmdir failed; the refused run then removed its try file and
    // left the folder empty. Replayed in order here: the holder releases right after the refused run read the owner.
    const out = copyOf(prepared());
    const work = path.join(out, WORK_DIR);
    const holder = acquireLock(work, out);
    const lockFile = path.join(work, 'lock');
    const nodeFs = require('fs'); // the module object itself: the lock module's `import * as fs` reads through to it
    const realRead = nodeFs.readFileSync;
    const spy = jest.spyOn(nodeFs, 'readFileSync').mockImplementation(((file: any, ...rest: any[]) => {
      const text = (realRead as any)(file, ...rest);
      if (file === lockFile) {
        spy.mockRestore();
        holder.release();
        expect(fs.readdirSync(work)).toHaveLength(1); // the refused run's try file kept it
      }
      return text;
    }) as any);
    try {
      expect(() => acquireLock(work, out)).toThrow(/is locked by nginx-rollouts gitops/);
    } finally {
      spy.mockRestore();
    }
    expect(fs.existsSync(work)).toBe(false);
    expect(hashTree(out)).toBe(hashTree(prepared()));
  });

  test('a lock of another live process (a child that sleeps while it holds it) makes the command exit 2', async () => {
    const out = await userRepository();
    const child = spawn(process.execPath, [RUNNER, '--out', out, '--config', FIXTURE], {
      env: { ...process.env, NGINX_IMAGE: undefined, GITOPS_FIXTURE: 'b', NGINX_ROLLOUTS_GITOPS_FAULT: 'sleep=4000@locked' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const lock = path.join(out, WORK_DIR, 'lock');
    for (let i = 0; i < 200 && !fs.existsSync(lock); i++) await new Promise((r) => setTimeout(r, 50));
    const { result, stderr } = await run(['--out', out, '--config', FIXTURE]);
    expect(result).toBe(2);
    expect(stderr).toMatch(new RegExp(`locked by nginx-rollouts gitops \\(pid ${child.pid} `));
    expect(await exited).toBe(0);
    const clean = await userRepository();
    await generateRepository(configB, { out: clean });
    expect(hashTree(out)).toBe(hashTree(clean));
  });

  test('a stale lock of a dead process is taken over, and the run succeeds', async () => {
    const out = await userRepository();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.mkdirSync(path.join(out, WORK_DIR));
    fs.writeFileSync(path.join(out, WORK_DIR, 'lock'), JSON.stringify({ pid: Number(dead.stdout), host: os.hostname(), since: 'then', token: 'x' }));
    const log: string[] = [];
    await generateRepository(configB, { out, log: (l) => log.push(l) });
    expect(log.join('\n')).toMatch(new RegExp(`the run of pid ${dead.stdout} ended without releasing its lock`));
    expect(fs.existsSync(path.join(out, WORK_DIR))).toBe(false);
  });

  test('a lock from another host is respected (its pid means nothing here)', async () => {
    const out = await userRepository();
    fs.mkdirSync(path.join(out, WORK_DIR));
    fs.writeFileSync(path.join(out, WORK_DIR, 'lock'), JSON.stringify({ pid: 1, host: 'elsewhere', since: 'then', token: 'x' }));
    await expect(generateRepository(configB, { out })).rejects.toThrow(/locked by nginx-rollouts gitops \(pid 1 on elsewhere/);
  });

  test('two runs started together on one folder: each exits 0 or 2, and the tree is that of a clean run', async () => {
    const out = await userRepository();
    const start = () => new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [RUNNER, '--out', out, '--config', FIXTURE], {
        env: { ...process.env, NGINX_IMAGE: undefined, GITOPS_FIXTURE: 'b' }, stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    const results = await Promise.all([start(), start()]);
    for (const r of results) {
      expect([0, 2]).toContain(r.code);
      if (r.code === 2) expect(r.stderr).toMatch(/is locked by nginx-rollouts gitops/);
    }
    expect(results.some((r) => r.code === 0)).toBe(true);
    const clean = await userRepository();
    await generateRepository(configB, { out: clean });
    expect(hashTree(out)).toBe(hashTree(clean));
  });
});

describe('a kill at any step of the commit', () => {
  let prepared: string;
  let expected: string;
  let steps: string[];

  beforeAll(async () => {
    prepared = await userRepository();
    const clean = copyOf(prepared);
    steps = [];
    await generateRepository(configB, { out: clean, onStep: (s) => steps.push(s) });
    expected = hashTree(clean);
  });

  test('the commit has the steps the tests kill at', () => {
    expect(steps).toEqual([
      'locked', 'staged:dev', 'staged:argocd', 'staged', 'journal',
      'aside:dev', 'in:dev', 'aside:argocd', 'in:argocd',
      'stale:qa/configmap-web-conf.yaml', 'stale:qa/kustomization.yaml', 'stale:qa/rollout-web.yaml',
      'manifest', 'emptied:qa', 'cleaned',
    ]);
  });

  test('SIGKILL at each step, then a rerun: the tree equals a clean run, no work folder, nothing adopted', async () => {
    const killAt = (step: string) => new Promise<{ step: string; out: string; signal: string | null }>((resolve) => {
      const out = copyOf(prepared);
      const child = spawn(process.execPath, [RUNNER, '--out', out, '--config', FIXTURE], {
        env: { ...process.env, NGINX_IMAGE: undefined, GITOPS_FIXTURE: 'b', NGINX_ROLLOUTS_GITOPS_FAULT: `kill@${step}` },
        stdio: 'ignore',
      });
      child.on('exit', (_code, signal) => resolve({ step, out, signal }));
    });
    // three children at a time: each spends most of its second loading the library
    const killed: Array<{ step: string; out: string; signal: string | null }> = [];
    for (let i = 0; i < steps.length; i += 3) killed.push(...await Promise.all(steps.slice(i, i + 3).map(killAt)));
    for (const { step, out, signal } of killed) {
      expect({ step, signal }).toEqual({ step, signal: 'SIGKILL' });
      // git never sees the work folder a killed run leaves (its .gitignore says '*')
      const status = execFileSync('git', ['-C', out, 'status', '--porcelain', '--untracked-files=all'], { encoding: 'utf8' });
      expect({ step, status: status.split('\n').filter((l) => l.includes(WORK_DIR)) }).toEqual({ step, status: [] });
      const rerun = await run(['--out', out, '--config', FIXTURE]);
      expect({ step, result: rerun.result, refused: /refusing/.test(rerun.stderr) }).toEqual({ step, result: 0, refused: false });
      expect({ step, hash: hashTree(out) }).toEqual({ step, hash: expected });
    }
    // Two runs of the command per step (the killed one and the rerun): about 20 processes, so more than the default
    // 60 s on a loaded 2-CPU machine (the default timed out there, and the next test then failed on its leftovers).
  }, 300_000);

  test('process.exit at a step in the middle, then the rerun says it finishes the interrupted commit', async () => {
    const out = copyOf(prepared);
    expect(runChild(out, { fault: 'exit@in:dev' }).status).toBe(70);
    const { result, stderr } = await run(['--out', out, '--config', FIXTURE]);
    expect(result).toBe(0);
    expect(stderr).toMatch(/a run was interrupted while it committed; finishing its commit/);
    expect(hashTree(out)).toBe(expected);
  });
});

describe('a write error during the commit', () => {
  let prepared: string;
  let before: string;
  let steps: string[];

  beforeAll(async () => {
    prepared = await userRepository();
    before = hashTree(prepared);
    steps = [];
    await generateRepository(configB, { out: copyOf(prepared), onStep: (s) => steps.push(s) });
  });

  const injected = (code: string, at: string) => (step: string) => {
    if (step === at) throw Object.assign(new Error(`${code}: permission denied (injected)`), { code });
  };

  test('EACCES at each step before the manifest: undone, exit 1, the message says unchanged, and it is', async () => {
    expect(steps.indexOf('manifest')).toBeGreaterThan(8);
    for (const step of steps.slice(0, steps.indexOf('manifest'))) {
      const out = copyOf(prepared);
      let error: any;
      await generateRepository(configB, { out, onStep: injected('EACCES', step) }).catch((e) => { error = e; });
      expect({ step, error: error instanceof GitOpsWriteError, state: error?.outState }).toEqual({ step, error: true, state: 'unchanged' });
      expect(error.message).toMatch(/^writing .* failed: EACCES/);
      expect({ step, hash: hashTree(out) }).toEqual({ step, hash: before });
    }
  });

  test('an error at or after the manifest step: the commit is complete, the run succeeds and says what failed', async () => {
    const clean = copyOf(prepared);
    await generateRepository(configB, { out: clean });
    for (const step of steps.slice(steps.indexOf('manifest'))) {
      const out = copyOf(prepared);
      const log: string[] = [];
      await generateRepository(configB, { out, onStep: injected('EACCES', step), log: (l) => log.push(l) });
      expect({ step, logged: log.some((l) => /EACCES/.test(l)) }).toEqual({ step, logged: true });
      expect({ step, hash: hashTree(out) }).toEqual({ step, hash: hashTree(clean) });
    }
  });

  test('a real EISDIR (a folder where the manifest goes): a write error naming EISDIR, every step undone', async () => {
    const out = copyOf(prepared);
    const manifest = path.join(out, MANIFEST_FILE);
    const saved = fs.readFileSync(manifest);
    const { result, stderr } = await captureOutput(() => generateRepository(configB, {
      out,
      onStep: (step) => {
        if (step !== 'journal') return;
        fs.rmSync(manifest);
        fs.mkdirSync(path.join(manifest, 'x'), { recursive: true });
      },
    }).then(() => 0, (e) => { process.stderr.write(e.message); return e instanceof GitOpsWriteError && e.outState === 'unchanged' ? 1 : 99; }));
    expect(result).toBe(1);
    expect(stderr).toMatch(/EISDIR/);
    fs.rmSync(manifest, { recursive: true });
    fs.writeFileSync(manifest, saved);
    expect(hashTree(out)).toBe(before);
  });

  test('when undoing fails too, the journal is kept, the message says so, and the next run finishes the commit', async () => {
    const out = copyOf(prepared);
    const clean = copyOf(prepared);
    await generateRepository(configB, { out: clean });
    let error: any;
    await generateRepository(configB, {
      out,
      onStep: (step) => {
        if (step === 'in:argocd' || step === 'undo:dev') throw Object.assign(new Error(`EACCES at ${step}`), { code: 'EACCES' });
      },
    }).catch((e) => { error = e; });
    expect(error).toBeInstanceOf(GitOpsWriteError);
    expect(error.outState).toBe('interrupted');
    expect(error.message).toMatch(/EACCES at in:argocd; undoing it failed too \(EACCES at undo:dev\).*the next run finishes/s);
    expect(fs.existsSync(path.join(out, WORK_DIR, 'journal.json'))).toBe(true);
    const log: string[] = [];
    await generateRepository(configB, { out, log: (l) => log.push(l) });
    expect(log.join('\n')).toMatch(/finishing its commit/);
    expect(hashTree(out)).toBe(hashTree(clean));
  });
});

describe('orphans of an older version are not adopted as user files, nor do they wedge the run', () => {
  test('a file with the generated header and exactly the new bytes, missing from the manifest, is taken back', async () => {
    const out = await userRepository();
    const manifestFile = path.join(out, MANIFEST_FILE);
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    delete manifest.files['dev/kustomization.yaml'];
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    await generateRepository(configA, { out });
    expect(Object.keys(JSON.parse(fs.readFileSync(manifestFile, 'utf8')).files)).toContain('dev/kustomization.yaml');
  });
});
