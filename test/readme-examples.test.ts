import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as kplus33 from 'cdk8s-plus-33';
import * as ts from 'typescript';
import * as lib from '../lib';
import { planWarnings } from '../lib/plan';
import { validateObjects, validateSchema } from '../lib/rules';

/**
 * Every TypeScript example in the README that builds one of our constructs runs as written (imports resolved to this
 * checkout) and its output passes what `synth --strict` checks: the rule engine with every reference required, the
 * strict CRD schema, and no plan warning. A README example that a user copies must not fail the README's own CI.
 */
const README = path.join(__dirname, '..', 'README.md');

interface Block {
  readonly line: number;
  readonly code: string;
}

function tsBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    blocks.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

const CONSTRUCTS = /\bnew (Rollout|CanaryNginxRollout|BlueGreenNginxRollout|NginxAnalysisTemplate)\b/;
const examples = tsBlocks(fs.readFileSync(README, 'utf8')).filter((b) => CONSTRUCTS.test(b.code));

/**
 * Runs one example. `app.synth()` writes into a temporary folder (never the checkout's dist/); a snippet that uses
 * `app` or `chart` without declaring them gets a fresh one, and the names it uses without importing them (snippets
 * show only the interesting lines) come from cdk8s, cdk8s-plus-27 and this package.
 */
function runExample(code: string): any[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-example-'));
  try {
    const apps: cdk8s.App[] = [];
    /** The example's `App`: writes into the temporary folder, and is kept to synthesize afterwards. */
    class App extends cdk8s.App {
      public constructor(props: cdk8s.AppProps = {}) {
        super({ ...props, outdir });
        apps.push(this);
      }
    }
    const modules: Record<string, unknown> = {
      'cdk8s': { ...cdk8s, App },
      'cdk8s-plus-27': kplus,
      // The README shows use from a cdk8s-plus-33 app, which `cdk8s init typescript-app` makes today.
      'cdk8s-plus-33': kplus33,
      'cdk8s-nginx-rollouts': lib,
    };
    const requireModule = (name: string): unknown => {
      if (!(name in modules)) throw new Error(`the README example imports '${name}', which this test does not provide`);
      return modules[name];
    };
    const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
    // A name the snippet declares or imports itself must not also be passed in (a duplicate declaration).
    const declares = (id: string) => new RegExp(`\\b(const|let|var|class|function)\\s+${id}\\b|\\bimport\\s+\\*\\s+as\\s+${id}\\b`).test(code);
    const globals: Record<string, unknown> = { ...cdk8s, App, kplus, ...lib };
    if (!declares('app')) globals.app = new App();
    if (!declares('chart')) globals.chart = new cdk8s.Chart(globals.app as cdk8s.App, 'readme', { disableResourceNameHashes: true });
    const names = Object.keys(globals).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && !declares(n));
    const run = new Function('require', 'exports', ...names, js);
    run(requireModule, {}, ...names.map((n) => globals[n]));
    expect(apps.length).toBeGreaterThan(0);
    // What `synth` writes: every chart of every app, after the app's own validation (which throws on errors).
    return apps.flatMap((app) => {
      app.synth();
      return app.charts.flatMap((c) => c.toJson());
    });
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

test('the README has the construct examples this test runs', () => {
  // The canary and blue/green quick starts, the general Rollout, the escape hatch, traffic routing, analysis and the
  // cdk8s-plus-33 app at least.
  expect(examples.length).toBeGreaterThanOrEqual(7);
  expect(examples.some((b) => /\bnew Rollout\b/.test(b.code))).toBe(true);
});

test('the README lists every prop of the general Rollout with its default, as the sources give them', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { render } = require('../scripts/props-tables.js');
  const readme = fs.readFileSync(README, 'utf8');
  expect(render(readme)).toBe(readme); // if not: node scripts/props-tables.js
  for (const name of ['RolloutProps', 'CanaryStrategyOptions', 'BlueGreenStrategyOptions', 'NginxRouterOptions']) {
    expect(readme).toContain(`<!-- props:${name} -->`);
  }
});

describe.each(examples.map((b): [number, Block] => [b.line, b]))('README example at line %d', (_, block) => {
  test('synthesizes objects that pass synth --strict: no rule error, no schema error, no plan warning', () => {
    const objects = runExample(block.code);
    expect(objects.filter((o) => o.kind === 'Rollout').length).toBeGreaterThan(0);
    expect(validateObjects(objects, { missingReference: 'error' })).toEqual([]);
    expect(objects.flatMap((o) => validateSchema(o))).toEqual([]);
    expect(objects.filter((o) => o.kind === 'Rollout').flatMap((r) => planWarnings(r))).toEqual([]);
  });
});
