import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lintCommand } from '../../lib/cli/lint';
import { main } from '../../lib/cli/main';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** Runs the command, capturing what it prints. */
async function run(args: string[], entry: (a: string[]) => Promise<number> = lintCommand) {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((s: any) => ((stdout += String(s)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => ((stderr += String(s)), true));
  try {
    const code = await entry(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const SERVICES = `apiVersion: v1
kind: Service
metadata: {name: web-stable}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-canary}
spec: {selector: {app: web}, ports: [{port: 80}]}
`;

const rollout = (steps: string, extra = '') => `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  replicas: 5
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25.3
        ports: [{containerPort: 80}]
  strategy:
    canary:
      stableService: web-stable
      canaryService: web-canary
${extra}      steps:
${steps}`;

const GOOD_STEPS = '      - setWeight: 20\n      - pause: {duration: 60}\n';

describe('lint', () => {
  it('finds the errors of a hand-written Rollout, with file, object and field, and exits 1', async () => {
    const file = write('bad.yaml', `${SERVICES}---\n${rollout('      - setWeight: 120\n      - pause: {duration: 1d}\n      - {}\n')}`);
    const { code, stdout } = await run([file]);
    expect(code).toBe(1);
    expect(stdout).toContain(`error: ${file}: Rollout/web: spec.strategy.steps[0].setWeight: Invalid value: 120: SetWeight needs to be between 0 and 100 [setweight-range]`);
    expect(stdout).toContain(`error: ${file}: Rollout/web: spec.strategy.steps[1].pause.duration: Invalid value: -1: Duration needs to be greater than 0 [pause-duration]`);
    expect(stdout).toContain('[step-action-required]');
    expect(stdout.trimEnd().split('\n').pop()).toBe('3 errors, 0 warnings in 1 file');
  });

  it('exits 0 on a valid file', async () => {
    const file = write('good.yaml', `${SERVICES}---\n${rollout(GOOD_STEPS)}`);
    const { code, stdout, stderr } = await run([file]);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: '0 errors, 0 warnings in 1 file\n', stderr: '' });
  });

  it('reports unknown fields (strict schema)', async () => {
    const file = write('typo.yaml', `${SERVICES}---\n${rollout(GOOD_STEPS, '      maxSurg: 1\n')}`);
    const { code, stdout } = await run([file]);
    expect(code).toBe(1);
    expect(stdout).toContain(`error: ${file}: Rollout/web: spec.strategy.canary.maxSurg: unknown field "spec.strategy.canary.maxSurg" [schema-unknown-field]`);
  });

  it('warns about a missing Service, and fails on it under --strict', async () => {
    const file = write('alone.yaml', rollout(GOOD_STEPS));
    const lenient = await run([file]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain(`warning: ${file}: Rollout/web: spec.strategy.canary.stableService: Invalid value: "web-stable": service "web-stable" not found [service-not-found]`);
    expect(lenient.stdout).toContain('0 errors, 2 warnings in 1 file');
    const strict = await run(['--strict', file]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain(`error: ${file}: Rollout/web: spec.strategy.canary.stableService`);
    expect(strict.stdout).toContain('2 errors, 0 warnings in 1 file');
  });

  it('fails on warnings under --strict', async () => {
    // A Service after the Rollout: a warning that --strict turns into a failure.
    const file = write('order.yaml', `${rollout(GOOD_STEPS)}---\n${SERVICES}`);
    expect((await run([file])).code).toBe(0);
    expect((await run([file, '--strict'])).code).toBe(1);
  });

  it('prints the findings as JSON with --json, keeping stdout parseable', async () => {
    const file = write('bad.yaml', `${SERVICES}---\n${rollout('      - setWeight: 120\n')}`);
    const { code, stdout, stderr } = await run(['--json', file]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual([
      {
        severity: 'error',
        rule: 'setweight-range',
        path: 'spec.strategy.steps[0].setWeight',
        message: 'Invalid value: 120: SetWeight needs to be between 0 and 100',
        object: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web' },
        file,
      },
    ]);
    expect(stderr).toBe('1 error, 0 warnings in 1 file\n');
  });

  it('skips kinds it does not know', async () => {
    const file = write(
      'istio.yaml',
      `apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: {name: web}
spec: {hosts: [web], http: [{name: primary, route: [{destination: {host: web}}]}]}
---
apiVersion: getambassador.io/v2
kind: Mapping
metadata: {name: Not_A_Kubernetes_Name}
spec: {prefix: /, service: web:80, weight: 10}
`,
    );
    const { code, stdout } = await run([file]);
    expect(code).toBe(0);
    expect(stdout).toBe('0 errors, 0 warnings in 1 file\n');
  });

  it('lints a folder as one set, files in path order', async () => {
    write('a/services.yaml', SERVICES);
    write('b/rollout.yaml', rollout(GOOD_STEPS));
    const { code, stdout } = await run(['--strict', dir]);
    expect(code).toBe(0);
    expect(stdout).toBe('0 errors, 0 warnings in 2 files\n');
  });

  it('exits 2 on usage and read errors', async () => {
    expect((await run([])).code).toBe(2);
    const unknown = await run(['--bogus', 'x.yaml']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--bogus'");
    const missing = await run([path.join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml: no such file or folder');
    const broken = write('broken.yaml', 'kind: Rollout\nmetadata: {name: [unclosed\n');
    expect((await run([broken])).code).toBe(2);
  });

  it('exits 2 on a read error even when other files have findings', async () => {
    const bad = write('bad.yaml', `${SERVICES}---\n${rollout('      - setWeight: 120\n')}`);
    const { code, stdout } = await run([bad, path.join(dir, 'nope.yaml')]);
    expect(code).toBe(2);
    expect(stdout).toContain('[setweight-range]');
  });

  it('prints help with --help and exits 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('usage: nginx-rollouts lint');
  });

  it('is what `nginx-rollouts lint` runs', async () => {
    const file = write('bad.yaml', `${SERVICES}---\n${rollout('      - setWeight: 120\n')}`);
    const { code, stdout } = await run(['lint', file], main);
    expect(code).toBe(1);
    expect(stdout).toContain('[setweight-range]');
  });
});

describe('lint reads what kubectl reads', () => {
  it('accepts merge keys and YAML 1.1 booleans (`off`), which kubectl applies, with no false errors', async () => {
    // A YAML 1.2 reader takes `off` for the string "off" (a schema-type error on autoPromotionEnabled) and `<<` for a
    // key named "<<" (an unknown field).
    const file = write(
      'bluegreen.yaml',
      `apiVersion: v1
kind: Service
metadata: {name: web-active}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - &nginx
        name: nginx
        image: nginx:1.25.3
        ports: [{containerPort: 80}]
        resources: &res {requests: {cpu: 100m, memory: 64Mi}}
      - <<: *nginx
        name: sidecar
        ports: [{containerPort: 8080}]
  strategy:
    blueGreen:
      activeService: web-active
      autoPromotionEnabled: off
`,
    );
    const { code, stdout, stderr } = await run([file]);
    // `off` is false: the plan warns that the update waits for a manual promote; no schema or rule error.
    expect({ code, stdout, stderr }).toEqual({
      code: 0,
      stdout: `warning: ${file}: Rollout/web: spec.strategy.blueGreen.autoPromotionEnabled: autoPromotionEnabled: false stops every update at the preview until someone runs \`kubectl argo rollouts promote web\`; an unattended pipeline waits here forever [plan-manual-promotion]\n0 errors, 1 warning in 1 file\n`,
      stderr: '',
    });
  });

  it('a document that is not a Kubernetes object is a read error naming file and document (exit 2); the others are linted', async () => {
    const file = write('mixed.yaml', `${SERVICES}---\nhello\n---\n{}\n---\n${rollout('      - setWeight: 120\n')}`);
    const { code, stdout, stderr } = await run([file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`nginx-rollouts lint: ${file}: document 3 (line 11): not a Kubernetes object: a string ("hello")`);
    expect(stderr).toContain(`nginx-rollouts lint: ${file}: document 4 (line 13): not a Kubernetes object: it has no apiVersion and it has no kind`);
    expect(stdout).toContain('[setweight-range]');
    expect(stdout.trimEnd().split('\n').pop()).toBe('3 errors, 0 warnings in 1 file');
  });

  it('a JSON array of Rollouts is an error, as kubectl refuses it, and its Rollouts are still linted', async () => {
    const file = write('rollouts.json', JSON.stringify([{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web' }, spec: { strategy: { canary: { steps: [{ setWeight: 120 }] } } } }]));
    const { code, stdout, stderr } = await run([file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}: document 1 (line 1): a list of 1 item, not an object: kubectl cannot apply a top-level list`);
    expect(stdout).toContain(`error: ${file}: Rollout/web: spec.strategy.steps[0].setWeight`);
  });

  it('a kind: List of objects is linted as its items', async () => {
    const file = write('list.yaml', `apiVersion: v1\nkind: List\nitems:\n${[SERVICES.split('---\n')[0], rollout(GOOD_STEPS)].map((doc) => `- ${doc.trimEnd().replace(/\n/g, '\n  ')}\n`).join('')}`);
    const { code, stdout } = await run([file]);
    expect(code).toBe(0);
    // Only web-canary is missing: the List's Service and Rollout were both read.
    expect(stdout).toContain('service "web-canary" not found');
    expect(stdout).not.toContain('service "web-stable" not found');
  });

  it('no objects at all is a failure with a message, not a pass: an empty folder, empty files, comments only', async () => {
    fs.mkdirSync(path.join(dir, 'dist'));
    const empty = await run(['--strict', path.join(dir, 'dist')]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toBe(`nginx-rollouts lint: no Kubernetes objects found in ${path.join(dir, 'dist')}: nothing was checked\n`);
    write('dist/a.yaml', '# nothing\n');
    write('dist/b.yaml', '');
    const comments = await run([path.join(dir, 'dist')]);
    expect(comments.code).toBe(1);
    expect(comments.stderr).toContain(`nginx-rollouts lint: warning: ${path.join(dir, 'dist', 'a.yaml')}: no Kubernetes objects: the file is empty or holds only comments or empty documents\n`);
    expect(comments.stderr).toContain('nothing was checked');
    expect(comments.stdout).toBe('0 errors, 2 warnings in 2 files\n');
  });

  it("the loader's warnings count, and fail --strict; --json lists them as findings", async () => {
    const file = write('dup.yaml', `${SERVICES}---\n${rollout(GOOD_STEPS).replace('  replicas: 5\n', '  replicas: 5\n  replicas: 5\n')}`);
    const lenient = await run([file]);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toBe(`nginx-rollouts lint: warning: ${file}: document 3 (line 11): key "replicas" at line 17, column 3 is written twice in one mapping; kubectl keeps the last value\n`);
    expect(lenient.stdout).toBe('0 errors, 1 warning in 1 file\n');
    expect((await run(['--strict', file])).code).toBe(1);
    const json = await run(['--json', file]);
    expect(JSON.parse(json.stdout)).toEqual([
      { severity: 'warning', rule: 'manifest', path: '', message: expect.stringContaining('key "replicas"'), file },
    ]);
  });
});

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'nginx-rollouts.js');

/**
 * The real command in a child process with a small heap and a generous kill limit: a hang or a blow-up fails the test
 * (killed, or V8's out-of-memory abort) instead of taking the test run with it.
 */
function bounded(args: string[], killAfterMs = 45_000) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', BIN, ...args], { encoding: 'utf8', timeout: killAfterMs, killSignal: 'SIGKILL' });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('lint survives hostile input (a child process, killed after 45 s, 256 MB heap)', () => {
  it('an alias bomb ("billion laughs", under 450 bytes) is a clear error naming the file, fast and in small memory', () => {
    const lines = ['apiVersion: argoproj.io/v1alpha1', 'kind: Rollout', 'metadata: {name: web}', 'spec:', '  a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]'];
    'bcdefghi'.split('').forEach((c, i) => lines.push(`  ${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`));
    const file = write('bomb.yaml', `${lines.join('\n')}\n`);
    expect(fs.statSync(file).size).toBeLessThan(450);
    const r = bounded(['lint', file]);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 2, signal: null });
    expect(r.stderr).toContain(`nginx-rollouts lint: ${file}: document 1 (line 1): its aliases expand to more than 100,000 values`);
  });

  it('60,000 aliases in a 240 kB file resolve in linear time (the yaml package alone resolves them in quadratic time, about a minute; killed after 30 s)', () => {
    const file = write('aliases.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata:\n  a: &a x\n  b: [${Array(60_000).fill('*a').join(', ')}]\n`);
    const r = bounded(['lint', file], 30_000);
    expect({ code: r.code, signal: r.signal, stderr: r.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  });

  it('a FIFO named *.yaml in a linted folder is skipped with a warning, never opened blocking; the rest is linted', () => {
    write('a-services.yaml', SERVICES);
    write('b-rollout.yaml', rollout(GOOD_STEPS));
    const fifo = path.join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const r = bounded(['lint', '--strict', dir]);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 1, signal: null });
    expect(r.stderr).toContain(`nginx-rollouts lint: warning: ${fifo}: skipped: a FIFO (named pipe), not a regular file`);
    expect(r.stdout).toBe('0 errors, 1 warning in 3 files\n');
    // Without --strict the skipped FIFO is only a warning.
    expect(bounded(['lint', dir]).code).toBe(0);
  });
});
