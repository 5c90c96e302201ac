import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'nginx-rollouts.js');

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, NGINX_IMAGE: undefined, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every file under `dir` with the sha256 of its bytes: equal digests mean a byte-identical tree. */
function digest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('nginx-rollouts synth (npm run synth) on the project app', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'synth-')), 'dist');

  test('writes both charts, quietly', () => {
    const r = run(['synth', '--out', out], ROOT);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(Object.keys(digest(out)).sort()).toEqual(['.nginx-rollouts-synth', 'bluegreen.k8s.yaml', 'canary.k8s.yaml']);
    // The marker lists each file with its sha256, as `sha256sum -c` reads it.
    const marker = fs.readFileSync(path.join(out, '.nginx-rollouts-synth'), 'utf8');
    const d = digest(out);
    expect(marker).toContain(`${d['canary.k8s.yaml']}  canary.k8s.yaml\n`);
    expect(marker).toContain(`${d['bluegreen.k8s.yaml']}  bluegreen.k8s.yaml\n`);
  });

  test('two synths of the same input are byte-identical', () => {
    const before = digest(out);
    expect(run(['synth', '--out', out], ROOT).code).toBe(0);
    expect(digest(out)).toEqual(before);
  });

  test("a bad NGINX_IMAGE fails with the construct's message and leaves the output byte-identical", () => {
    const before = digest(out);
    const r = run(['synth', '--out', out], ROOT, { NGINX_IMAGE: 'not an image' });
    expect(r.code).toBe(1);
    expect(r.err).toContain("CanaryNginxRollout 'canary/canary': image is 'not an image'; it must be a container image reference");
    expect(r.err).toMatch(/the app failed \(exited 1\); .*dist is unchanged/);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    expect(digest(out)).toEqual(before);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']); // no staging folder left behind
  });

  test('NGINX_IMAGE=nginx:1.14.2 changes only the nginx image lines', () => {
    const bumped = path.join(path.dirname(out), 'bumped');
    expect(run(['synth', '--out', bumped], ROOT, { NGINX_IMAGE: 'nginx:1.14.2' }).code).toBe(0);
    for (const file of ['canary.k8s.yaml', 'bluegreen.k8s.yaml']) {
      const a = fs.readFileSync(path.join(out, file), 'utf8').split('\n');
      const b = fs.readFileSync(path.join(bumped, file), 'utf8').split('\n');
      expect(b.length).toBe(a.length);
      const changed = a.map((line, i) => [line, b[i]]).filter(([x, y]) => x !== y);
      expect(changed).toEqual([['        - image: nginx:1.14.1', '        - image: nginx:1.14.2']]);
    }
  });

  test('usage errors exit 2', () => {
    const r = run(['synth', '--bogus'], ROOT);
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown option '--bogus'");
  });

  test('--help and -h print the usage, options and exit codes to stdout and exit 0, writing nothing', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-help-'));
    try {
      for (const flag of ['--help', '-h']) {
        // from a folder without cdk8s.yaml, and beside other options: help wins and nothing runs
        const r = run(['synth', '--out', 'x', flag], empty);
        expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
        expect(r.out).toMatch(/^usage: nginx-rollouts synth \[--out DIR\] \[--strict\]\n/);
        expect(r.out).toContain('--strict');
        expect(r.out).toContain('exit codes: 0');
      }
      expect(fs.readdirSync(empty)).toEqual([]);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});


// ---------------------------------------------------------------------------------------------------------------
// A small project whose app copies src/* into CDK8S_OUTDIR (APP_MODE changes what it does), to test synth itself.

const APP = `const fs = require('fs');
const path = require('path');
const mode = process.env.APP_MODE || '';
if (mode === 'fail') process.exit(3);
if (mode === 'nothing') process.exit(0);
if (mode === 'not-yaml') { fs.writeFileSync(path.join(process.env.CDK8S_OUTDIR, 'README.txt'), 'hi'); process.exit(0); }
if (mode === 'fifo') { require('child_process').execFileSync('mkfifo', [path.join(process.env.CDK8S_OUTDIR, 'pipe.k8s.yaml')]); }
if (mode === 'elsewhere') { fs.mkdirSync('dist', { recursive: true }); fs.writeFileSync('dist/own.k8s.yaml', 'kind: ConfigMap\\n'); process.exit(0); }
for (const f of fs.readdirSync('src')) fs.copyFileSync(path.join('src', f), path.join(process.env.CDK8S_OUTDIR, f));
`;

const configMap = (version: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: conf}\ndata: {version: "${version}"}\n`;

interface Project {
  readonly dir: string;
  readonly out: string;
  /** Replaces src/ with these files. */
  src(files: Record<string, string>): void;
}

function project(files: Record<string, string> = { 'app.k8s.yaml': configMap('1') }, config = 'app: node app.js\noutput: dist\n'): Project {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-app-'));
  fs.writeFileSync(path.join(dir, 'app.js'), APP);
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), config);
  const src = (f: Record<string, string>) => {
    fs.rmSync(path.join(dir, 'src'), { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, 'src'));
    for (const [name, text] of Object.entries(f)) fs.writeFileSync(path.join(dir, 'src', name), text);
  };
  src(files);
  return { dir, out: path.join(dir, 'dist'), src };
}

/** A copy of a project folder, for tests that each need the same starting state. */
function copyProject(p: Project): Project {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-app-'));
  fs.cpSync(p.dir, dir, { recursive: true });
  return { ...project(), dir, out: path.join(dir, 'dist'), src: (f) => {
    fs.rmSync(path.join(dir, 'src'), { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, 'src'));
    for (const [name, text] of Object.entries(f)) fs.writeFileSync(path.join(dir, 'src', name), text);
  } };
}

const PROJECT_FILES = ['app.js', 'cdk8s.yaml', 'dist', 'src'];

describe('synth never deletes what it did not write', () => {
  test('--out . (the project) and --out .. (its parent) are refused; nothing is deleted', () => {
    const p = project();
    const parentBefore = fs.readdirSync(path.dirname(p.dir)).length;
    const here = run(['synth', '--out', '.'], p.dir);
    expect(here.code).toBe(2);
    expect(here.err).toContain(`refusing to write to .: it is the project (${fs.realpathSync(p.dir)}); give --out a folder of its own, such as dist`);
    const parent = run(['synth', '--out', '..'], p.dir);
    expect(parent.code).toBe(2);
    expect(parent.err).toContain('it contains the project');
    expect(fs.readdirSync(p.dir).sort()).toEqual(['app.js', 'cdk8s.yaml', 'src']);
    expect(fs.readdirSync(path.dirname(p.dir)).length).toBeGreaterThanOrEqual(parentBefore);
  });

  test('/ and the home folder are refused', () => {
    const p = project();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'home-'));
    fs.writeFileSync(path.join(home, '.bashrc'), 'x');
    const root = run(['synth', '--out', '/'], p.dir);
    expect(root.code).toBe(2);
    expect(root.err).toContain('refusing to write to /: it is the file system root');
    const h = run(['synth', '--out', home], p.dir, { HOME: home });
    expect(h.code).toBe(2);
    expect(h.err).toContain(`refusing to write to ${home}: it is the home folder`);
    expect(fs.readdirSync(home)).toEqual(['.bashrc']);
  });

  test('--out notes.txt (a file) is refused and the file is unchanged', () => {
    const p = project();
    fs.writeFileSync(path.join(p.dir, 'notes.txt'), 'my notes');
    const r = run(['synth', '--out', 'notes.txt'], p.dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('refusing to write to notes.txt: it is a file, not a folder');
    expect(fs.readFileSync(path.join(p.dir, 'notes.txt'), 'utf8')).toBe('my notes');
  });

  test("a folder holding files synth did not write is refused with the folder, the files and the fix", () => {
    const p = project();
    fs.mkdirSync(path.join(p.dir, 'mine', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(p.dir, 'mine', 'sub', 'keep.txt'), 'keep');
    const r = run(['synth', '--out', 'mine'], p.dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('refusing to replace mine: it holds files that nginx-rollouts synth did not write: mine/sub/keep.txt');
    expect(r.err).toContain('Move those files elsewhere');
    expect(fs.readFileSync(path.join(p.dir, 'mine', 'sub', 'keep.txt'), 'utf8')).toBe('keep');
  });

  test('an empty folder and synth\'s own output are replaced; a file added to it or edited by hand is not', () => {
    const p = project();
    fs.mkdirSync(p.out);
    expect(run(['synth'], p.dir).code).toBe(0);
    expect(fs.readdirSync(p.out).sort()).toEqual(['.nginx-rollouts-synth', 'app.k8s.yaml']);
    p.src({ 'app.k8s.yaml': configMap('2') });
    expect(run(['synth'], p.dir).code).toBe(0);
    expect(fs.readFileSync(path.join(p.out, 'app.k8s.yaml'), 'utf8')).toBe(configMap('2'));

    fs.writeFileSync(path.join(p.out, 'notes.md'), 'mine');
    const added = run(['synth'], p.dir);
    expect(added.code).toBe(2);
    expect(added.err).toContain('dist/notes.md (not written by synth)');
    fs.rmSync(path.join(p.out, 'notes.md'));

    fs.appendFileSync(path.join(p.out, 'app.k8s.yaml'), '# hand edit\n');
    const edited = run(['synth'], p.dir);
    expect(edited.code).toBe(2);
    expect(edited.err).toContain('dist/app.k8s.yaml (changed since synth wrote it)');
    expect(fs.readFileSync(path.join(p.out, 'app.k8s.yaml'), 'utf8')).toBe(`${configMap('2')}# hand edit\n`);
  });

  test('a FIFO in the output folder, or in what the app writes, is refused: never a hang', () => {
    // Hashing or fsyncing a FIFO opens it, which blocks until a writer comes: bounded here, as synth hung on old code.
    const bounded = (cwd: string, env: NodeJS.ProcessEnv = {}) => {
      const r = spawnSync(process.execPath, [BIN, 'synth'], {
        cwd, encoding: 'utf8', env: { ...process.env, NGINX_IMAGE: undefined, ...env }, timeout: 60_000, killSignal: 'SIGKILL',
      });
      return { code: r.status, err: r.stderr };
    };
    const p = project();
    expect(run(['synth'], p.dir).code).toBe(0);
    const before = fs.readFileSync(path.join(p.out, '.nginx-rollouts-synth'), 'utf8');
    // The marker lists app.k8s.yaml with its hash; the file becomes a FIFO.
    fs.rmSync(path.join(p.out, 'app.k8s.yaml'));
    execFileSync('mkfifo', [path.join(p.out, 'app.k8s.yaml')]);
    const replaced = bounded(p.dir);
    expect(replaced.code).toBe(2);
    expect(replaced.err).toContain('dist/app.k8s.yaml (not a regular file)');
    expect(fs.lstatSync(path.join(p.out, 'app.k8s.yaml')).isFIFO()).toBe(true);

    const q = project();
    expect(run(['synth'], q.dir).code).toBe(0);
    const fifo = bounded(q.dir, { APP_MODE: 'fifo' });
    expect(fifo.code).not.toBe(0);
    expect(fifo.code).not.toBeNull();
    expect(fifo.err).toContain('dist is unchanged');
    expect(fs.readdirSync(q.out).sort()).toEqual(['.nginx-rollouts-synth', 'app.k8s.yaml']);
    expect(before).toContain('app.k8s.yaml');
  }, 240_000);

  test('a symbolic link is refused, and what it points to is untouched', () => {
    const p = project();
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'elsewhere-'));
    fs.symlinkSync(elsewhere, p.out);
    const r = run(['synth'], p.dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('refusing to replace dist: it is a symbolic link');
    expect(fs.lstatSync(p.out).isSymbolicLink()).toBe(true);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  test("cdk8s.yaml's output obeys the same rules", () => {
    const p = project(undefined, 'app: node app.js\noutput: .\n');
    const r = run(['synth'], p.dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('refusing to write to .: it is the project');
    expect(fs.readdirSync(p.dir).sort()).toEqual(['app.js', 'cdk8s.yaml', 'src']);
    fs.writeFileSync(path.join(p.dir, 'cdk8s.yaml'), 'app: node app.js\noutput: 5\n');
    expect(run(['synth'], p.dir).err).toContain('cdk8s.yaml: output is 5; it must be a folder name');
  });
});

describe('an empty or missing result is a failure, and the previous output is kept', () => {
  const base = project();
  beforeAll(() => {
    expect(run(['synth'], base.dir).code).toBe(0);
  });

  test.each([
    ['nothing', 'the app exited 0 but wrote nothing to the folder in CDK8S_OUTDIR'],
    ['not-yaml', 'the app exited 0 but wrote no Kubernetes objects (only README.txt)'],
  ])('an app that writes %s exits 1', (mode, message) => {
    const p = copyProject(base);
    const before = digest(p.out);
    const r = run(['synth'], p.dir, { APP_MODE: mode });
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
    expect(r.err).toContain('dist is unchanged');
    expect(digest(p.out)).toEqual(before);
    expect(fs.readdirSync(p.dir).sort()).toEqual(PROJECT_FILES);
  });

  test('an app that writes to dist/ itself, not CDK8S_OUTDIR, exits 1 and says so', () => {
    const p = copyProject(base);
    const r = run(['synth'], p.dir, { APP_MODE: 'elsewhere' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('the app wrote to dist itself instead of the folder in CDK8S_OUTDIR');
    expect(fs.readdirSync(p.out).sort()).toEqual(['.nginx-rollouts-synth', 'app.k8s.yaml', 'own.k8s.yaml']);
  });

  test('a failing app exits 1 with its exit code', () => {
    const p = copyProject(base);
    const before = digest(p.out);
    const r = run(['synth'], p.dir, { APP_MODE: 'fail' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('the app failed (exited 3); dist is unchanged');
    expect(digest(p.out)).toEqual(before);
  });
});

describe('crash-safe replace: killed at every step, the folder is the complete old or new output, and the next run recovers', () => {
  // The fault points of lib/atomic-dir.ts, in order (listed here so the list itself is checked below).
  const STEPS = ['locked', 'recovered', 'staging-created', 'app-ran', 'checked', 'marker-written', 'journal-written',
    'old-moved', 'new-moved', 'old-removed', 'journal-removed'] as const;
  test('every fault point of lib/atomic-dir.ts is killed below', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    expect((require('../../lib/atomic-dir') as typeof import('../../lib/atomic-dir')).STEPS).toEqual(STEPS);
  });
  const base = project({ 'app.k8s.yaml': configMap('1') });
  let old: Record<string, string>;
  beforeAll(() => {
    expect(run(['synth'], base.dir).code).toBe(0);
    old = digest(base.out);
  });
  const leftovers = (p: Project) => fs.readdirSync(p.dir).filter((f) => f.startsWith('.synth-')).sort();
  const isNew = (p: Project) => fs.readFileSync(path.join(p.out, 'app.k8s.yaml'), 'utf8') === configMap('2');

  test.each(STEPS.map((s) => [s]))('kill after %s', (step) => {
    const p = copyProject(base);
    p.src({ 'app.k8s.yaml': configMap('2') });
    const killed = spawnSync(process.execPath, [BIN, 'synth'], {
      cwd: p.dir, encoding: 'utf8', env: { ...process.env, NGINX_ROLLOUTS_FAULT: `kill@${step}` },
    });
    expect(killed.signal).toBe('SIGKILL');
    const index = (STEPS as readonly string[]).indexOf(step);
    if (step === 'old-moved') {
      // The one instant between the two renames: no folder (never a partial one); the journal says how to finish.
      expect(fs.existsSync(p.out)).toBe(false);
      expect(leftovers(p)).toEqual(['.synth-dist.journal', '.synth-dist.lock', '.synth-dist.new', '.synth-dist.old']);
    } else if (index < STEPS.indexOf('old-moved')) {
      expect(digest(p.out)).toEqual(old);
    } else {
      expect(isNew(p)).toBe(true);
      expect(Object.keys(digest(p.out)).sort()).toEqual(['.nginx-rollouts-synth', 'app.k8s.yaml']);
    }

    const next = run(['synth'], p.dir);
    expect(next.code).toBe(0);
    expect(isNew(p)).toBe(true);
    expect(Object.keys(digest(p.out)).sort()).toEqual(['.nginx-rollouts-synth', 'app.k8s.yaml']);
    expect(leftovers(p)).toEqual([]);
    if (step === 'old-moved') expect(next.err).toContain('its checked output is now in place');
  });

  test('after a kill between the renames, the next run puts the checked output back even when its own app fails', () => {
    const p = copyProject(base);
    p.src({ 'app.k8s.yaml': configMap('2') });
    const killed = spawnSync(process.execPath, [BIN, 'synth'], { cwd: p.dir, env: { ...process.env, NGINX_ROLLOUTS_FAULT: 'kill@old-moved' } });
    expect(killed.signal).toBe('SIGKILL');
    expect(fs.existsSync(p.out)).toBe(false);
    const next = run(['synth'], p.dir, { APP_MODE: 'fail' });
    expect(next.code).toBe(1);
    expect(next.err).toContain('its checked output is now in place');
    expect(isNew(p)).toBe(true);
    expect(leftovers(p)).toEqual([]);
  });

  test.each([
    ['EACCES@locked', 2, 'old'], ['ENOSPC@staging-created', 2, 'old'], ['EIO@app-ran', 2, 'old'],
    ['ENOSPC@marker-written', 2, 'old'], ['ENOSPC@journal-written', 2, 'old'], ['EACCES@old-moved', 2, 'old'],
    ['EIO@new-moved', 0, 'new'], ['EACCES@old-removed', 0, 'new'],
  ] as const)('an injected %s exits %s with the folder %s, and a message saying so', (fault, code, state) => {
    const p = copyProject(base);
    p.src({ 'app.k8s.yaml': configMap('2') });
    const r = run(['synth'], p.dir, { NGINX_ROLLOUTS_FAULT: fault });
    expect(r.code).toBe(code);
    expect(r.err).toContain(fault.split('@')[0]);
    if (state === 'old') {
      expect(r.err).toMatch(/dist (is unchanged|holds its last complete output)/);
      expect(digest(p.out)).toEqual(old);
      expect(leftovers(p)).toEqual([]);
    } else {
      expect(r.err).toMatch(/warning: .*(new output|previous output)/);
      expect(isNew(p)).toBe(true);
    }
    expect(run(['synth'], p.dir).code).toBe(0);
    expect(isNew(p)).toBe(true);
    expect(leftovers(p)).toEqual([]);
  });

  test('a second synth on the same folder while one runs exits 2; a lock left by a dead process is taken over', () => {
    const p = copyProject(base);
    const lock = path.join(p.dir, '.synth-dist.lock');
    const owner = (pid: number, host = os.hostname()) => JSON.stringify({ pid, host, since: 'then', token: 'x' });
    fs.writeFileSync(lock, owner(process.pid)); // this test process: alive
    const busy = run(['synth'], p.dir);
    expect(busy.code).toBe(2);
    expect(busy.err).toContain(`another nginx-rollouts synth (process ${process.pid} on ${os.hostname()}, since then) is writing dist`);
    expect(digest(p.out)).toEqual(old);
    // A lock of another host, or one that cannot be read (a run that is writing it, or damage), is respected too.
    fs.writeFileSync(lock, owner(1, 'elsewhere'));
    expect(run(['synth'], p.dir).code).toBe(2);
    fs.writeFileSync(lock, '');
    const unreadable = run(['synth'], p.dir);
    expect(unreadable.code).toBe(2);
    expect(unreadable.err).toContain(`left ${lock} unreadable`);
    expect(digest(p.out)).toEqual(old);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    fs.writeFileSync(lock, owner(dead));
    expect(run(['synth'], p.dir).code).toBe(0);
    expect(leftovers(p)).toEqual([]);
  });
});

describe('nginx-rollouts synth checks the whole output as one set, as lint --strict of it does', () => {
  const rollout = (step: string) => `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  replicas: 5
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: 'nginx:1.25'}]}
  strategy: {canary: {steps: [${step}]}}
`;

  /** A project whose previous output is a valid synth, with src/ then set to `files`. */
  function withPrevious(files: Record<string, string>): Project {
    const p = project();
    expect(run(['synth'], p.dir).code).toBe(0);
    p.src(files);
    return p;
  }

  /** `lint --strict src/`'s finding lines, named as synth names them (dist/ instead of src/). */
  function lintLines(p: Project): string[] {
    const r = run(['lint', '--strict', 'src'], p.dir);
    const lines = r.out.split('\n').filter((l) => /^(error|warning): src\//.test(l)).map((l) => l.replace(': src/', ': dist/'));
    expect(lines.length).toBeGreaterThan(0);
    return lines;
  }

  /** synth's finding lines. */
  const findingLines = (err: string) => err.split('\n').filter((l) => /^(error|warning): /.test(l));

  test('the same Rollout in two charts fails synth (the old check passed it, one file at a time)', () => {
    const p = withPrevious({ 'a.k8s.yaml': rollout('{setWeight: 20}, {pause: {duration: 10}}'), 'b.k8s.yaml': rollout('{setWeight: 20}, {pause: {duration: 10}}') });
    const before = digest(p.out);
    const r = run(['synth'], p.dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('dist/b.k8s.yaml: Rollout/web: metadata.name: Duplicate value: "web": Rollout "web" is defined more than once in this set [duplicate-object]');
    expect(findingLines(r.err)).toEqual(lintLines(p));
    expect(digest(p.out)).toEqual(before);
    expect(run(['synth', '--strict'], p.dir).code).toBe(1);
  });

  test('an invalid Rollout fails with the controller message and keeps the previous output', () => {
    const p = withPrevious({ 'app.k8s.yaml': rollout('{setWeight: 150}') });
    const before = digest(p.out);
    const r = run(['synth'], p.dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('spec.strategy.steps[0].setWeight: Invalid value: 150: SetWeight needs to be between 0 and 100');
    expect(digest(p.out)).toEqual(before);
  });

  test('a field the strict CRD schema rejects fails synth, as it fails lint --strict', () => {
    const p = withPrevious({ 'app.k8s.yaml': rollout('{setWeight: 20}').replace('replicas: 5', 'replicas: 5\n  bogusField: 1') });
    const r = run(['synth'], p.dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error: dist/app.k8s.yaml: Rollout/web: spec.bogusField: unknown field "spec.bogusField" [schema-unknown-field]');
    expect(findingLines(r.err)).toEqual(lintLines(p));
  });

  test('a warning is printed but does not fail, unless --strict; the lines are lint --strict\'s', () => {
    const p = withPrevious({ 'app.k8s.yaml': rollout('{setWeight: 20}, {pause: {}}') });
    const before = digest(p.out);
    const strict = run(['synth', '--strict'], p.dir);
    expect(strict.code).toBe(1);
    expect(strict.err).toContain('[plan-indefinite-pause]');
    expect(findingLines(strict.err)).toEqual(lintLines(p));
    expect(digest(p.out)).toEqual(before);

    const lenient = run(['synth'], p.dir);
    expect(lenient.code).toBe(0);
    expect(lenient.err).toContain('warning:');
    expect(Object.keys(digest(p.out)).sort()).toEqual(['.nginx-rollouts-synth', 'app.k8s.yaml']);
  });
});
