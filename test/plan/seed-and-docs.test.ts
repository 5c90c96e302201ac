import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { loadManifests } from '../../lib/manifests';
import { formatPlanMarkdown, planRollout, renderPlanSvg } from '../../lib/plan';
import { splits } from './support';

const repoRoot = path.resolve(__dirname, '..', '..');

describe("the project's seed app, planned", () => {
  // Built with the project's own constructs, so the plan follows whatever they synthesize.
  const { buildSeedApp } = require('../../main');
  const app = Testing.app();
  buildSeedApp(app);
  const rollouts = app.charts.flatMap((c: any) => Testing.synth(c)).filter((o: any) => o.kind === 'Rollout');
  const byStrategy = (s: string) => planRollout(rollouts.find((r: any) => r.spec.strategy[s]));

  test('canary: 1/4, 4/1, 5/0 at 20, 80, 100 %', () => {
    const plan = byStrategy('canary');
    expect(plan.unsupported).toBeUndefined();
    expect(splits(plan)).toEqual([[1, 4], [1, 4], [4, 1], [4, 1], [5, 0]]);
    expect(plan.steps.map((r) => r.actualWeight)).toEqual([20, 20, 80, 80, 100]);
  });

  test('blue/green: 10 pods during the switch, 5 after 30 s', () => {
    const plan = byStrategy('blueGreen');
    const sw = plan.steps.find((r) => r.kind === 'switch')!;
    expect([sw.canaryReplicas + sw.stableReplicas, sw.wait]).toEqual([10, 30]);
    const last = plan.steps[plan.steps.length - 1];
    expect([last.kind, last.canaryReplicas + last.stableReplicas]).toEqual(['scaleDown', 5]);
  });
});

describe('docs/plan.md and docs/plan-seed-canary.svg', () => {
  const seedFile = path.join(repoRoot, 'test', 'fixtures', 'seed-canary.yaml');
  const seed = () => loadManifests([seedFile]).objects.find((o) => o.object.kind === 'Rollout')!.object;

  test('the committed SVG is what `plan --svg` draws for the seed canary', () => {
    const committed = fs.readFileSync(path.join(repoRoot, 'docs', 'plan-seed-canary.svg'), 'utf8');
    // Regenerate with: npx tsx bin/nginx-rollouts.js plan --svg docs/plan-seed-canary.svg test/fixtures/seed-canary.yaml
    expect(renderPlanSvg([planRollout(seed())])).toBe(committed);
  });

  test("the seed canary's table in the docs is the one `plan --markdown` prints", () => {
    const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'plan.md'), 'utf8');
    const table = formatPlanMarkdown(planRollout(seed())).split('\n').filter((l) => l.startsWith('|'));
    expect(table.length).toBe(7);
    expect(doc).toContain(table.join('\n'));
  });
});
