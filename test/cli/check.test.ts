/** synth's check of its app's output (lib/cli/check.ts), `lint --strict DIR`'s check. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkOutput } from '../../lib/cli/check';

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
