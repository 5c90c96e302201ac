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
