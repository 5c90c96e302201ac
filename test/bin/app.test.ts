/**
 * bin/app.js, the seed app as cdk8s.yaml runs it: it marks its output as synth's own for `cdk8s synth`, and leaves
 * the marker to `nginx-rollouts synth` when it runs in synth's staging folder (synth writes it after its checks).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const MARKER = '.nginx-rollouts-synth';

function runApp(env: NodeJS.ProcessEnv): string[] {
  const out = env.CDK8S_OUTDIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'app-'));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'app.js')], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, NGINX_IMAGE: undefined, ...env, CDK8S_OUTDIR: out },
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return fs.readdirSync(out).sort();
}

describe('bin/app.js', () => {
  test('marks its output for cdk8s synth; leaves the marker to nginx-rollouts synth in its staging folder', () => {
    expect(runApp({ NGINX_ROLLOUTS_SYNTH_STAGING: undefined })).toEqual([MARKER, 'bluegreen.k8s.yaml', 'canary.k8s.yaml']);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'app-staging-'));
    expect(runApp({ CDK8S_OUTDIR: out, NGINX_ROLLOUTS_SYNTH_STAGING: out })).toEqual(['bluegreen.k8s.yaml', 'canary.k8s.yaml']);
    // Another folder than the staging one named: marked as usual.
    expect(runApp({ NGINX_ROLLOUTS_SYNTH_STAGING: out })).toEqual([MARKER, 'bluegreen.k8s.yaml', 'canary.k8s.yaml']);
  });
});
