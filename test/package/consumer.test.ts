/**
 * The package as a user gets it: `npm pack`, installed into a throwaway project outside this repository, used from
 * JavaScript and from TypeScript by its package name only. Unit tests import `../lib` and so cannot catch a wrong
 * `main`/`exports`/`files`, missing `.d.ts`, a runtime import of a devDependency or a second copy of cdk8s.
 *
 * The install is offline: `npm ci --offline` with a lock cut from this repository's (see support.ts); CI runs
 * `npm ci` first, so every tarball is in the npm cache. Set KEEP_CONSUMER=1 to keep the consumer folder for a look.
 */
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { bundledClosure, installOffline, mustRun, NAME, pack, Packed, PKG, ROOT, run, TSC, walk } from './support';

const PEERS = ['cdk8s', 'cdk8s-plus-27', 'constructs'];

let work: string;
let packed: Packed;
let consumer: string;

const JS_APP = `'use strict';
const { App, Chart, Duration } = require('cdk8s');
const { CanaryNginxRollout, BlueGreenNginxRollout, CanaryStep } = require('${NAME}');

const app = new App({ outdir: process.argv[2] });
const chart = new Chart(app, 'web', { disableResourceNameHashes: true });
new CanaryNginxRollout(chart, 'canary', {
  name: 'web-canary',
  replicas: 4,
  steps: [CanaryStep.setWeight(25), CanaryStep.pause(Duration.seconds(30)), CanaryStep.setWeight(75), CanaryStep.pause()],
});
new BlueGreenNginxRollout(chart, 'bluegreen', { name: 'web-bg', replicas: 2, autoPromotionEnabled: false });
app.synth();
`;

const TS_APP = `import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  BlueGreenNginxRollout,
  BlueGreenNginxRolloutProps,
  CanaryNginxRollout,
  CanaryNginxRolloutProps,
  CanaryStep,
} from '${NAME}';

const steps: CanaryStep[] = [CanaryStep.setWeight(20), CanaryStep.pause(Duration.minutes(1)), CanaryStep.pause()];
const canaryProps: CanaryNginxRolloutProps = {
  name: 'web',
  replicas: 3,
  steps,
  maxSurge: kplus.PercentOrAbsolute.percent(25),
  labels: { app: 'web', tier: 'frontend' },
};
const blueGreenProps: BlueGreenNginxRolloutProps = {
  name: 'web-bg',
  servicePort: 8080,
  scaleDownDelay: Duration.seconds(30),
  autoPromotionEnabled: false,
};

const app = new App();
const chart = new Chart(app, 'web');
const canary = new CanaryNginxRollout(chart, 'canary', canaryProps);
const blueGreen = new BlueGreenNginxRollout(chart, 'bluegreen', blueGreenProps);

// The members have real types: each line fails to compile if one of them is \`any\` or changes shape.
const name: string = canary.name;
const firstStep: CanaryStep | undefined = canary.steps[0];
const action: string | undefined = firstStep?.action;
const active: kplus.Service = blueGreen.activeService;
const conf: kplus.ConfigMap = blueGreen.configMap;
canary.rollout.addDependency(blueGreen.configMap);
export { name, action, active, conf };
app.synth();
`;

/** Each line marked `// error` must fail to compile: proof that the published types are real, not `any`. */
const TS_BAD = `import { App, Chart } from 'cdk8s';
import { BlueGreenNginxRollout, CanaryNginxRollout, CanaryStep } from '${NAME}';

const chart = new Chart(new App(), 'web');
CanaryStep.setWeight('20'); // error: a weight is a number
new CanaryStep(); // error: the constructor is private
new CanaryNginxRollout(chart, 'a', { replicaz: 3 }); // error: no such prop
new CanaryNginxRollout(chart, 'b', { steps: [{ setWeight: 20 }] }); // error: steps are CanaryStep objects
new BlueGreenNginxRollout(chart, 'c', { servicePort: '80' }); // error: a port is a number
new BlueGreenNginxRollout(chart, 'd', { scaleDownDelay: 30 }); // error: a delay is a Duration
const n: number = new CanaryNginxRollout(chart, 'e').name; // error: the name is a string
export { n };
`;

/** `skipLibCheck: false` checks the package's .d.ts files as a strict consumer sees them; once is enough. */
function tsconfig(files: string[], moduleResolution: 'node16' | 'node10', skipLibCheck = false): string {
  return JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: moduleResolution === 'node16' ? 'node16' : 'commonjs',
      moduleResolution,
      strict: true,
      noEmit: true,
      skipLibCheck,
      types: [],
    },
    files,
  }, null, 2);
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-rollouts-pack-'));
  packed = pack(work);

  consumer = path.join(work, 'consumer');
  fs.mkdirSync(path.join(consumer, 'src'), { recursive: true });
  installOffline(consumer, { dependencies: PEERS, tarball: packed.tarball });
  fs.writeFileSync(path.join(consumer, 'src', 'app.js'), JS_APP);
  fs.writeFileSync(path.join(consumer, 'src', 'app.ts'), TS_APP);
  fs.writeFileSync(path.join(consumer, 'src', 'bad.ts'), TS_BAD);
  fs.writeFileSync(path.join(consumer, 'tsconfig.json'), tsconfig(['src/app.ts'], 'node16'));
  fs.writeFileSync(path.join(consumer, 'tsconfig.node10.json'), tsconfig(['src/app.ts'], 'node10', true));
  fs.writeFileSync(path.join(consumer, 'tsconfig.bad.json'), tsconfig(['src/bad.ts'], 'node16', true));
}, 240_000);

afterAll(() => {
  if (!work) return;
  if (process.env.KEEP_CONSUMER) process.stdout.write(`consumer kept in ${consumer}\n`);
  else fs.rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  test('ships the compiled library with types, the CLI and package.json; no sources, tests or app', () => {
    const files = packed.files;
    for (const f of ['package.json', 'build/lib/index.js', 'build/lib/index.d.ts',
      'build/imports/argo-rollouts-argoproj.io.js', 'build/imports/argo-rollouts-argoproj.io.d.ts', PKG.bin['nginx-rollouts']]) {
      expect(files).toContain(f);
    }
    // The runtime dependencies travel inside the package (`bundledDependencies`, as jsii requires for packages that
    // are not jsii packages themselves): ajv and yaml, and what they depend on, exactly.
    const bundled = bundledClosure();
    expect(bundled).toEqual(expect.arrayContaining(['ajv', 'yaml']));
    const shipped = files.filter((f) => !bundled.some((b) => f.startsWith(`node_modules/${b}/`)));
    expect(files.filter((f) => f.startsWith('node_modules/')).map((f) => f.split('/')[1]).filter((b, i, a) => a.indexOf(b) === i).sort())
      .toEqual([...bundled].sort());
    // `.jsii`: the assembly, which jsii tools (pacmak, Construct Hub) read from the published package.
    const unexpected = shipped.filter((f) => !/^(build\/(lib|imports)\/.+\.(js|d\.ts|json)|bin\/[^/]+\.js|docs\/[^/]+\.(md|svg)|package\.json|\.jsii|README\.md|LICENSE)$/.test(f));
    expect(unexpected).toEqual([]);
    expect(shipped.filter((f) => /(^|\/)(test|__snapshots__|fixtures)\/|\.test\.|\.map$|^build\/main\./.test(f))).toEqual([]);
    // Every JS file has its declarations beside it.
    const js = files.filter((f) => f.startsWith('build/') && f.endsWith('.js'));
    expect(js.filter((f) => !files.includes(f.replace(/\.js$/, '.d.ts')))).toEqual([]);
    // Most of it: the generated Argo Rollouts classes, the build-time schema validators (ajv standalone code, about
    // 1.3 MB each unpacked) and the bundled ajv and yaml that jsii requires (about 1.1 MB packed in all, measured
    // 2026-12-01). Twice that means something else got in.
    expect(packed.size).toBeLessThan(2_000_000);
  });

  test('the README and the docs it links to: every relative link resolves to a file in the package', () => {
    // npm shows the package's README; a link to a file the package does not ship is a 404 there and in node_modules.
    const broken: string[] = [];
    for (const doc of packed.files.filter((f) => /^(README\.md|docs\/.+\.md)$/.test(f))) {
      const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1].split('#')[0];
        if (!target || /^[a-z]+:/i.test(target)) continue; // in-page anchors and absolute URLs
        const file = path.posix.normalize(path.posix.join(path.posix.dirname(doc), target)).replace(/\/$/, '');
        if (!packed.files.some((f) => f === file || f.startsWith(`${file}/`))) broken.push(`${doc}: ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
    expect(packed.files).toEqual(expect.arrayContaining(['docs/api.md', 'docs/rules.md', 'docs/plan.md', 'docs/plan-seed-canary.svg']));
  });

  test('every compiled file comes from a current source: a stale build/ would ship dead code', () => {
    // The strict schema validators are generated into build/ by scripts/compile-schemas.js (npm run build), from
    // imports/schemas/*.json: they have no TypeScript source, and they must ship (the CLI would compile with ajv).
    const generated = /^build\/lib\/rules\/schema-validator-(rollout|analysistemplate)\.js$/;
    expect(packed.files.filter((f) => generated.test(f)).sort()).toEqual([
      'build/lib/rules/schema-validator-analysistemplate.js', 'build/lib/rules/schema-validator-rollout.js',
    ]);
    const orphans = packed.files
      .filter((f) => /^build\/.+\.(js|json)$/.test(f) && !generated.test(f))
      .map((f) => f.replace(/^build\//, '').replace(/\.js$/, '.ts'))
      .filter((src) => !fs.existsSync(path.join(ROOT, src)));
    expect(orphans).toEqual([]); // if not: rm -rf build && npm run build
  });

  test('the shipped code imports only Node, its dependencies and its peer dependencies', () => {
    // tsx is not declared (jsii rejects a peer that is not a jsii package): the GitOps config loader requires it inside
    // a try and says "install tsx" when a TypeScript config meets an app without it.
    const allowed = new Set([...Object.keys(PKG.dependencies ?? {}), ...Object.keys(PKG.peerDependencies ?? {}), 'tsx']);
    const installed = path.join(consumer, 'node_modules', NAME);
    const bad: string[] = [];
    for (const file of walk(path.join(installed, 'build')).filter((f) => f.endsWith('.js'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)|\bimport\(\s*["']([^"']+)["']\s*\)/g)) {
        const spec = m[1] ?? m[2];
        if (spec.startsWith('.')) continue;
        const bare = spec.replace(/^node:/, '');
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (builtinModules.includes(bare) || builtinModules.includes(bare.split('/')[0]) || allowed.has(pkg)) continue;
        bad.push(`${path.relative(installed, file)}: ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  test('peer dependencies are peers: the consumer has one copy each of cdk8s, cdk8s-plus-27 and constructs', () => {
    for (const peer of PEERS) {
      expect(PKG.peerDependencies[peer]).toBeDefined();
      expect(PKG.dependencies?.[peer]).toBeUndefined();
      expect(fs.existsSync(path.join(consumer, 'node_modules', NAME, 'node_modules', peer))).toBe(false);
    }
  });
});

describe('a consumer project', () => {
  test('resolves the package to the installed tarball\'s build/, and nothing else inside it', () => {
    const resolve = (spec: string) => run(process.execPath,
      ['-p', `require.resolve(${JSON.stringify(spec)})`], consumer);
    const installed = fs.realpathSync(path.join(consumer, 'node_modules', NAME));
    const main = resolve(NAME);
    expect(main.stderr).toBe('');
    expect(main.stdout.trim()).toBe(path.join(installed, 'build', 'lib', 'index.js'));
    // A copy, not a link back into this repository.
    expect(fs.lstatSync(path.join(consumer, 'node_modules', NAME)).isSymbolicLink()).toBe(false);
    expect(installed.startsWith(ROOT + path.sep)).toBe(false);
    expect(resolve(`${NAME}/package.json`).status).toBe(0);
    // `exports` keeps the internals private: deep imports are refused, so they can move without a breaking change.
    const deep = resolve(`${NAME}/build/lib/canary-step.js`);
    expect(deep.status).not.toBe(0);
    expect(deep.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
    // No TypeScript sources travel with it.
    expect(walk(installed).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.includes(`${path.sep}node_modules${path.sep}`))).toEqual([]);
  });

  test('imports the library by its package name only', () => {
    const allowed = new Set([NAME, ...PEERS]);
    for (const file of ['app.js', 'app.ts', 'bad.ts']) {
      const text = fs.readFileSync(path.join(consumer, 'src', file), 'utf8');
      const specs = [...text.matchAll(/\bfrom\s+'([^']+)'|\brequire\('([^']+)'\)/g)].map((m) => m[1] ?? m[2]);
      expect(specs.length).toBeGreaterThan(0);
      expect(specs.filter((s) => !allowed.has(s))).toEqual([]);
      expect(text).not.toMatch(/\blib\/|\/build\//);
    }
  });

  test('JavaScript: require() the package and synthesize both Rollouts with new App({ outdir }).synth()', () => {
    const outdir = path.join(consumer, 'dist');
    mustRun(process.execPath, ['src/app.js', outdir], consumer, 60_000);
    const objects = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map((d) => d.toJS()))
      .filter((o) => o);
    const names = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name).sort();

    expect(names('Rollout')).toEqual(['web-bg', 'web-canary']);
    expect(names('ConfigMap')).toEqual(['web-bg-conf', 'web-canary-conf']);
    expect(names('Service')).toEqual(['web-bg-active', 'web-bg-preview']);
    const rollout = (name: string) => objects.find((o) => o.kind === 'Rollout' && o.metadata.name === name);
    expect(rollout('web-canary').apiVersion).toBe('argoproj.io/v1alpha1');
    expect(rollout('web-canary').spec.replicas).toBe(4);
    expect(rollout('web-canary').spec.strategy.canary.steps)
      .toEqual([{ setWeight: 25 }, { pause: { duration: 30 } }, { setWeight: 75 }, { pause: {} }]);
    expect(rollout('web-bg').spec.strategy.blueGreen).toMatchObject({
      activeService: 'web-bg-active', previewService: 'web-bg-preview', autoPromotionEnabled: false,
    });
    expect(objects.find((o) => o.kind === 'ConfigMap').data['nginx.conf']).toContain('stub_status');
  }, 60_000);

  test.each(['tsconfig.json', 'tsconfig.node10.json'])(
    'TypeScript: the app type-checks against the published .d.ts (%s)', (config) => {
      const r = run(process.execPath, [TSC, '-p', config], consumer, 90_000);
      expect(`${r.stdout}${r.stderr}`).toBe('');
      expect(r.status).toBe(0);
    }, 90_000);

  test('TypeScript: misuse does not compile, each misuse on its own line', () => {
    const r = run(process.execPath, [TSC, '-p', 'tsconfig.bad.json'], consumer, 90_000);
    expect(r.status).not.toBe(0);
    const errorLines = new Set([...r.stdout.matchAll(/^src\/bad\.ts\((\d+),\d+\): error TS\d+/gm)].map((m) => Number(m[1])));
    const expected = TS_BAD.split('\n').flatMap((line, i) => (/\/\/ error\b/.test(line) ? [i + 1] : []));
    expect(expected.length).toBe(7);
    expect([...errorLines].sort((a, b) => a - b)).toEqual(expected);
  }, 90_000);

  test('the nginx-rollouts command runs from the installed package (compiled code, no tsx)', () => {
    const r = run(path.join(consumer, 'node_modules', '.bin', 'nginx-rollouts'), ['--help'], consumer, 30_000);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('usage: nginx-rollouts');
  }, 30_000);
});
