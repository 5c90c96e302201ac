/**
 * What the `lint` and `synth` commands load (issue 12: load only what a command needs). Each command runs in a fresh
 * Node process (the TypeScript sources through tsx) that prints its module cache afterwards. No timing here: the
 * figures are `npm run bench`'s.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';

const ROOT = path.join(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'lib', 'cli', 'main.ts');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');

/** Runs `main(args)` in `cwd`; returns its exit code, stderr and the loaded files (relative to the project). */
function loadedBy(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): { code: number; err: string; loaded: string[] } {
  const script = `
    const { main } = require(${JSON.stringify(MAIN)});
    main(${JSON.stringify(args)}).then((code) => {
      process.stdout.write('\\n@@' + JSON.stringify({ code, loaded: Object.keys(require.cache) }));
    });`;
  // tsx through NODE_OPTIONS: a Node flag of this process would make synth run its app as a child (lib/cli/run-app.ts).
  const r = spawnSync(process.execPath, ['-e', script], {
    cwd, encoding: 'utf8', env: { ...process.env, NGINX_IMAGE: undefined, NODE_OPTIONS: `--import ${pathToFileURL(require.resolve('tsx')).href}`, ...env },
  });
  const marker = r.stdout.lastIndexOf('\n@@');
  if (marker < 0) throw new Error(`no module list (exit ${r.status}):\n${r.stderr}`);
  const { code, loaded } = JSON.parse(r.stdout.slice(marker + 3));
  return { code, err: r.stderr, loaded: (loaded as string[]).map((f) => path.relative(ROOT, f)) };
}

const NEVER = [
  /^node_modules\/cdk8s\//, // the app's business, in its own process
  /^node_modules\/cdk8s-plus-27\//,
  /^lib\/gitops\//,
  /^lib\/plan\/(svg|render|index)\./, // plan rendering: `plan` only
  /^imports\/argo-.*\.ts$/, // the generated construct bindings (300 KB each)
];

function unexpected(loaded: string[]): string[] {
  return loaded.filter((f) => NEVER.some((re) => re.test(f)));
}

describe('module loading', () => {
  test('lint loads the reader, the rules, the plan\'s warnings and the schema check, nothing of the app side', () => {
    const r = loadedBy(['lint', '--strict', path.join(FIXTURES, 'seed-canary.yaml')], ROOT);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // What it needs is there (the list is real, not empty)...
    for (const f of ['lib/manifests.ts', 'lib/rules/objects.ts', 'lib/rules/schema.ts', 'lib/plan/plan.ts']) expect(r.loaded).toContain(f);
    // ...and nothing else.
    expect(unexpected(r.loaded)).toEqual([]);
  });

  test('synth\'s own process loads no cdk8s, gitops or plan rendering (the app runs in its own process)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-loading-'));
    try {
      // A minimal app: copies a seed chart into the folder synth gives it.
      fs.writeFileSync(path.join(dir, 'app.js'),
        `require('fs').copyFileSync(${JSON.stringify(path.join(FIXTURES, 'seed-canary.yaml'))}, require('path').join(process.env.CDK8S_OUTDIR, 'canary.k8s.yaml'));\n`);
      fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), `app: ${JSON.stringify(`"${process.execPath}" app.js`)}\n`);
      const r = loadedBy(['synth', '--out', 'dist'], dir);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(fs.readdirSync(path.join(dir, 'dist')).sort()).toEqual(['.nginx-rollouts-synth', 'canary.k8s.yaml']);
      for (const f of ['lib/cli/synth.ts', 'lib/manifests.ts', 'lib/rules/schema.ts', 'lib/cli/lint.ts']) expect(r.loaded).toContain(f);
      expect(unexpected(r.loaded)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([['in synth\'s process', {}], ['as a child', { NGINX_ROLLOUTS_SYNTH_SPAWN: '1' }]])('synth reads what cdk8s writes without the yaml package, the app run %s', (_, env) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-loading-'));
    try {
      // Plain YAML as cdk8s writes it, copied by a minimal app; a one-document cdk8s.yaml.
      fs.mkdirSync(path.join(dir, 'src'));
      const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n      targetPort: 80\n  selector:\n    app: web\n';
      fs.writeFileSync(path.join(dir, 'src', 'app.k8s.yaml'), service);
      fs.writeFileSync(path.join(dir, 'app.js'), "require('fs').copyFileSync('src/app.k8s.yaml', require('path').join(process.env.CDK8S_OUTDIR, 'app.k8s.yaml'));\n");
      fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'language: typescript\napp: node app.js\noutput: dist\n');
      const r = loadedBy(['synth'], dir, env);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(fs.readdirSync(path.join(dir, 'dist')).sort()).toEqual(['.nginx-rollouts-synth', 'app.k8s.yaml']);
      expect(r.loaded).toContain('lib/simple-yaml.ts');
      expect(r.loaded.filter((f) => /^node_modules\/yaml\//.test(f))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
