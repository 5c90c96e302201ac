import { spawnSync } from 'child_process';
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
    expect(Object.keys(digest(out)).sort()).toEqual(['bluegreen.k8s.yaml', 'canary.k8s.yaml']);
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
    expect(r.err).toMatch(/the app failed; .*dist is unchanged/);
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
    expect(run(['synth', '--bogus'], ROOT).code).toBe(2);
  });
});

describe('nginx-rollouts synth on an app whose output the rules reject', () => {
  /** A project folder whose cdk8s app writes `yaml` as its only manifest. */
  function project(yaml: string): { dir: string; out: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-app-'));
    fs.writeFileSync(path.join(dir, 'manifest.yaml'), yaml);
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'),
      'app: node -e "require(\'fs\').copyFileSync(\'manifest.yaml\', require(\'path\').join(process.env.CDK8S_OUTDIR, \'app.k8s.yaml\'))"\n' +
      'output: dist\n');
    const out = path.join(dir, 'dist');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'previous.k8s.yaml'), 'kind: ConfigMap\n');
    return { dir, out };
  }

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

  test('an invalid Rollout fails with the controller message and keeps the previous output', () => {
    const { dir, out } = project(rollout('{setWeight: 150}'));
    const before = digest(out);
    const r = run(['synth'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('spec.strategy.steps[0].setWeight: Invalid value: 150: SetWeight needs to be between 0 and 100');
    expect(digest(out)).toEqual(before);
  });

  test('a warning is printed but does not fail, unless --strict', () => {
    const { dir, out } = project(rollout('{setWeight: 20}, {pause: {}}'));
    const before = digest(out);
    const strict = run(['synth', '--strict'], dir);
    expect(strict.code).toBe(1);
    expect(strict.err).toContain('[plan-indefinite-pause]');
    expect(digest(out)).toEqual(before);

    const lenient = run(['synth'], dir);
    expect(lenient.code).toBe(0);
    expect(lenient.err).toContain('warning:');
    expect(Object.keys(digest(out))).toEqual(['app.k8s.yaml']);
  });
});
