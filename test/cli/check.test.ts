/**
 * synth's check of its app's output (lib/cli/check.ts), in synth's thread and in the worker thread that runs it beside
 * an app in synth's own process: the same answer both ways, and any failure of the worker is an undefined answer
 * (synth then checks in its own thread).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CheckWorker, checkOutput, NO_WORKER_VARIABLE } from '../../lib/cli/check';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** An output folder as an app writes it: the two seed charts, and a third file with problems when `broken`. */
function output(broken: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-'));
  for (const f of ['seed-canary.yaml', 'seed-bluegreen.yaml']) fs.copyFileSync(path.join(FIXTURES, f), path.join(dir, f.replace('.yaml', '.k8s.yaml')));
  if (broken) {
    fs.mkdirSync(path.join(dir, 'more'));
    fs.writeFileSync(path.join(dir, 'more', 'x.k8s.yaml'), [
      'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: x\nspec:\n  replicas: -1\n  bogus: 1\n' +
        '  selector:\n    matchLabels:\n      app: x\n  strategy:\n    canary:\n      steps:\n        - setWeight: 120\n' +
        '  template:\n    metadata:\n      labels:\n        app: y\n    spec:\n      containers:\n        - name: c\n          image: nginx\n',
      '---\nkind: [unclosed\n',
    ].join(''));
  }
  return dir;
}

afterEach(() => {
  delete process.env[NO_WORKER_VARIABLE];
});

describe('checkOutput', () => {
  test('an output with problems: findings with the files as shown, formatted as lint prints them', () => {
    const r = checkOutput(output(true), 'dist');
    expect(r.empty).toBe(false);
    expect(r.findings.length).toBeGreaterThan(3);
    expect(r.findings.some((f) => f.rule === 'yaml' && f.file === path.join('dist', 'more', 'x.k8s.yaml'))).toBe(true);
    expect(r.findings.filter((f) => f.rule.startsWith('schema-')).length).toBeGreaterThan(0);
    expect(r.formatted.length).toBe(r.findings.length);
  });

  test('an output without objects is empty (and nothing is checked)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-empty-'));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'no YAML here\n');
    expect(checkOutput(dir, 'dist')).toEqual({ empty: true, findings: [], formatted: [] });
  });
});

describe('CheckWorker', () => {
  test('gives the same answer as checkOutput in this thread, for a clean output and one with problems', async () => {
    const worker = CheckWorker.start(true);
    expect(worker).toBeDefined();
    try {
      for (const broken of [false, true]) {
        const dir = output(broken);
        expect(await worker!.check(dir, 'dist')).toEqual(checkOutput(dir, 'dist'));
      }
    } finally {
      worker!.stop();
    }
  });

  test('a worker that has ended answers undefined (synth then checks in its own thread)', async () => {
    const worker = CheckWorker.start(true)!;
    worker.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await worker.check(output(false), 'dist')).toBeUndefined();
  });

  test('NGINX_ROLLOUTS_SYNTH_NO_WORKER: no worker; from the sources, only when forced', () => {
    process.env[NO_WORKER_VARIABLE] = '1';
    expect(CheckWorker.start(true)).toBeUndefined();
    delete process.env[NO_WORKER_VARIABLE];
    expect(CheckWorker.start()).toBeUndefined(); // this test runs lib/cli/check.ts, not the build
  });
});
