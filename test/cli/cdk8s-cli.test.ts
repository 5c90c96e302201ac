import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
const CDK8S = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');

/**
 * A folder with this project's cdk8s.yaml, pointing at its app. The CLI deletes the configured output folder before
 * it runs the app, even with --stdout, so running it in the repository would delete the developer's dist/.
 */
function projectCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-project-'));
  const config = fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8')
    .replace(/^app: node bin\/app\.js$/m, `app: node ${JSON.stringify(path.join(ROOT, 'bin', 'app.js'))}`);
  expect(config).toContain(path.join(ROOT, 'bin', 'app.js'));
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), config);
  return dir;
}

/** The cdk8s CLI itself, as people who call it directly run it. */
function cdk8s(args: string[], env: NodeJS.ProcessEnv = {}, cwd = projectCopy()) {
  const r = spawnSync(CDK8S, [...args, '--no-check-upgrade'], {
    cwd, encoding: 'utf8', env: { ...process.env, NGINX_IMAGE: undefined, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npx cdk8s synth', () => {
  test('--stdout is valid multi-document YAML with every object of both charts', () => {
    const r = cdk8s(['synth', '--stdout']);
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(r.out);
    expect(docs.flatMap((d) => d.errors)).toEqual([]);
    const objects = docs.map((d) => d.toJS()).filter((o) => o !== null);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/rollout-test-bluegreen-nginx-conf',
      'ConfigMap/rollout-test-canary-nginx-conf',
      'Rollout/rollout-test-bluegreen-nginx',
      'Rollout/rollout-test-canary-nginx',
      'Service/rollout-test-bluegreen-active',
      'Service/rollout-test-bluegreen-preview',
    ]);
  });

  test('writes both files to an output folder; a bad NGINX_IMAGE exits non-zero with the message', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-'));
    const ok = cdk8s(['synth', '--output', out]);
    expect(ok.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['.nginx-rollouts-synth', 'bluegreen.k8s.yaml', 'canary.k8s.yaml']);
    const bad = cdk8s(['synth', '--output', out], { NGINX_IMAGE: 'not an image' });
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain("image is 'not an image'; it must be a container image reference");
  });
});

describe('npx cdk8s synth and nginx-rollouts synth on the same folder', () => {
  test("the app marks cdk8s' output as its own, so nginx-rollouts synth may replace it afterwards", () => {
    const dir = projectCopy();
    expect(cdk8s(['synth'], {}, dir).code).toBe(0);
    const out = path.join(dir, 'dist');
    const marker = fs.readFileSync(path.join(out, '.nginx-rollouts-synth'), 'utf8');
    expect(marker.split('\n').filter((l) => /^[0-9a-f]{64} {2}/.test(l)).map((l) => l.slice(66))).toEqual(['bluegreen.k8s.yaml', 'canary.k8s.yaml']);
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'nginx-rollouts.js'), 'synth'], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, NGINX_IMAGE: 'nginx:1.14.2' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(out, 'canary.k8s.yaml'), 'utf8')).toContain('image: nginx:1.14.2');
  });
});
