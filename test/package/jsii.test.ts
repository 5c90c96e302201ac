/**
 * The package for Python, Java, Go and .NET cdk8s apps: `jsii` compiles it with no errors and only reviewed warnings,
 * and `jsii-pacmak` generates Python bindings in which the constructs and their props are there, with every prop.
 *
 * Both run in a scratch copy of the package (its sources and package.json, node_modules linked), so that the
 * test never rewrites this checkout's build/ while the other package tests pack it. Offline: jsii and jsii-pacmak
 * are devDependencies; pacmak's `npm pack` runs with --ignore-scripts (the copy is already compiled) and packs the
 * bundled dependencies from node_modules. Building wheels needs the Python registry, so only the code is generated.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bundledClosure, childEnv, ROOT, walk } from './support';

const BIN = path.join(ROOT, 'node_modules', '.bin');
// jsii 5.9 prints a banner on Node 20 (end of life for it, not for this package's `engines`); it works there.
const ENV = childEnv({ JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1', FORCE_COLOR: '0', NO_COLOR: '1' });

/** What jsii may warn about, each reviewed (anything else fails the test). */
const REVIEWED_WARNINGS: Array<[RegExp, string]> = [
  // Fields named as Kubernetes and Argo name them (`namespace`, `object`, `type`, `operator`, `pass`, `select`):
  // the bindings escape them (`namespace_` ...), and renaming would break the YAML field names they mirror.
  [/JSII5018: "(namespace|object|type|operator|pass|select)" is a reserved word/, 'reserved word'],
  // The peers are the ranges cdk8s-plus-27 itself declares; the tests run against the newest releases in range.
  [/JSII6: A "peerDependency" on "(cdk8s|cdk8s-plus-27|constructs)" at/, 'peer below the devDependency'],
];

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

let work: string;
let jsiiOutput: string;
let jsiiStatus: number | null;
let assembly: any;
let python: string; // the generated package's __init__.py
let pythonFiles: string[];
const timings: string[] = [];

function timed<T>(label: string, f: () => T): T {
  const start = Date.now();
  try {
    return f();
  } finally {
    timings.push(`${label} ${((Date.now() - start) / 1000).toFixed(1)} s`);
  }
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-rollouts-jsii-'));
  for (const entry of ['lib', 'imports', 'bin', 'docs', 'main.ts', 'environments.ts', 'package.json', 'README.md', 'LICENSE']) {
    fs.cpSync(path.join(ROOT, entry), path.join(work, entry), { recursive: true });
  }
  // Only what the package needs: its peers (jsii reads their assemblies), the bundled dependencies and what they
  // depend on (npm pack copies them in), and Node's types. npm pack reads the whole node_modules tree first: with this
  // repository's (1,000+ packages) it takes about 30 s, with these a second.
  const needed = ['cdk8s', 'cdk8s-plus-27', 'constructs', '@types/node', ...bundledClosure()];
  for (const name of needed) {
    fs.mkdirSync(path.dirname(path.join(work, 'node_modules', name)), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules', name), path.join(work, 'node_modules', name), 'dir');
  }

  // The same command as `npm run build`, without its --silence-warnings: every warning is reviewed below.
  const jsii = timed('jsii', () => spawnSync(path.join(BIN, 'jsii'), ['--generate-tsconfig', 'tsconfig.jsii.json'],
    { cwd: work, env: ENV, encoding: 'utf8', timeout: 240_000, maxBuffer: 64 * 1024 * 1024 }));
  jsiiOutput = strip(`${jsii.stdout}${jsii.stderr}`);
  jsiiStatus = jsii.status;
  if (jsiiStatus !== 0) return;
  assembly = JSON.parse(fs.readFileSync(path.join(work, '.jsii'), 'utf8'));

  const out = path.join(work, 'bindings');
  const pacmak = timed('jsii-pacmak --targets python --code-only', () => spawnSync(path.join(BIN, 'jsii-pacmak'),
    ['--targets', 'python', '--code-only', '--outdir', out, '--pack-command', 'npm pack --ignore-scripts', '--no-fingerprint'],
    { cwd: work, env: ENV, encoding: 'utf8', timeout: 240_000, maxBuffer: 64 * 1024 * 1024 }));
  if (pacmak.status !== 0) throw new Error(`jsii-pacmak exited ${pacmak.status ?? pacmak.signal}:\n${pacmak.stdout}\n${pacmak.stderr}`);
  pythonFiles = walk(path.join(out, 'python')).filter((f) => f.endsWith('.py'));
  python = fs.readFileSync(path.join(out, 'python', 'src', 'cdk8s_nginx_rollouts', '__init__.py'), 'utf8');
}, 480_000);

afterAll(() => {
  process.stdout.write(`jsii test: ${timings.join(', ')}\n`);
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('jsii', () => {
  test('compiles the package with 0 errors', () => {
    expect(jsiiOutput).toMatch(/Errors: 0\b/);
    expect(jsiiOutput.split('\n').filter((l) => /\berror (JSII|TS)\d+/.test(l))).toEqual([]);
    expect(jsiiStatus).toBe(0);
  });

  test('warns only about what was reviewed', () => {
    const warnings = jsiiOutput.split('\n').filter((l) => /\bwarning JSII\d+/.test(l));
    expect(warnings.length).toBeGreaterThan(0); // the reserved words are there: the filter below reads real lines
    expect(warnings.filter((w) => !REVIEWED_WARNINGS.some(([re]) => re.test(w)))).toEqual([]);
  });

  test('the assembly has the constructs, the value objects and the engines\' entry points, and no internals', () => {
    const names = Object.keys(assembly.types).filter((fqn) => fqn.split('.').length === 2).map((fqn) => fqn.split('.')[1]);
    expect(names).toEqual(expect.arrayContaining([
      'Rollout', 'RolloutProps', 'RolloutStrategy', 'RolloutStep', 'TrafficRouter', 'RolloutAnalysis', 'AnalysisTemplateRef',
      'CanaryNginxRollout', 'CanaryNginxRolloutProps', 'BlueGreenNginxRollout', 'BlueGreenNginxRolloutProps', 'NginxRollout',
      'NginxRolloutProps', 'CanaryStep', 'TrafficRouting', 'NginxAnalysisTemplate', 'NginxAnalysisTemplateProps',
      'AnalysisMetric', 'AntiAffinity', 'RulesEngine', 'RolloutPlanner', 'Finding',
    ]));
    for (const internal of ['PropsChecker', 'PropsError', 'NginxPodOptions', 'ResolvedNginxRollout', 'GitOpsConfig', 'PlanError']) {
      expect([internal, names.includes(internal)]).toEqual([internal, false]);
    }
    // The generated Argo L1s are submodules, so their `Rollout` does not clash with the construct.
    expect(Object.keys(assembly.submodules).sort()).toEqual(['cdk8s-nginx-rollouts.argoAnalysis', 'cdk8s-nginx-rollouts.argoRollouts']);
    expect(assembly.types['cdk8s-nginx-rollouts.argoRollouts.Rollout'].kind).toBe('class');
    // Enums where the set of values matters.
    for (const e of ['RolloutStrategyKind', 'TrafficRouterKind', 'RolloutStepAction', 'PodTemplateHash']) {
      expect([e, assembly.types[`cdk8s-nginx-rollouts.${e}`].kind]).toEqual([e, 'enum']);
    }
  });
});

describe('Construct Hub readiness: what it reads from the published assembly', () => {
  test('a license on its list, its search keywords, the cdk8s framework, the language targets, README and description', () => {
    expect(assembly.license).toBe('Apache-2.0'); // Construct Hub lists only packages under an SPDX license it accepts
    expect(assembly.keywords).toEqual(expect.arrayContaining(['cdk8s', 'cdk8s-plus', 'constructs', 'argo-rollouts']));
    // The framework filter ("cdk8s") comes from the dependency on cdk8s; constructs marks a construct library.
    expect(Object.keys(assembly.dependencies).sort()).toEqual(['cdk8s', 'cdk8s-plus-27', 'constructs']);
    expect(Object.keys(assembly.targets).sort()).toEqual(['dotnet', 'java', 'js', 'python']);
    expect(assembly.targets.python).toEqual({ distName: 'cdk8s-nginx-rollouts', module: 'cdk8s_nginx_rollouts' });
    expect(assembly.readme.markdown).toContain('### From Python, Java and .NET');
    expect(assembly.author).toMatchObject({ name: expect.any(String), roles: ['author'] });
    expect(assembly.repository).toMatchObject({ type: 'git', url: expect.stringMatching(/^https:\/\//) });
    // The line shown under the name in search results: the general Rollout first, then the presets and the tools.
    expect(assembly.description).toMatch(/^cdk8s constructs for Argo Rollouts: a Rollout for any workload/);
    expect(assembly.description).toContain('nginx');
  });
});

/** `fooBar` -> `foo_bar`, as jsii-pacmak names Python parameters. */
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The source of a generated Python class, up to the next top-level statement. */
function pythonClass(name: string): string {
  const start = python.search(new RegExp(`^class ${name}\\b`, 'm'));
  if (start < 0) throw new Error(`class ${name} is not in the Python bindings`);
  const rest = python.slice(start + 1);
  const end = rest.search(/^(class |@jsii\.|typing\.cast|def |publication\.|__all__)/m);
  return python.slice(start, end < 0 ? undefined : start + 1 + end);
}

/** A type of this assembly or of a dependency's (cdk8s-plus-27's `WorkloadProps` ...), by its fqn. */
const dependencyAssemblies = new Map<string, any>();
function typeOf(fqn: string): any {
  const pkg = fqn.split('.')[0];
  if (pkg === assembly.name) return assembly.types[fqn];
  if (!dependencyAssemblies.has(pkg)) {
    dependencyAssemblies.set(pkg, JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, '.jsii'), 'utf8')));
  }
  return dependencyAssemblies.get(pkg).types[fqn];
}

/** Every property of an interface, its own and inherited (as the Python struct takes them). */
function allProps(fqn: string): string[] {
  const t = typeOf(fqn);
  const own = (t.properties ?? []).map((p: any) => p.name);
  const inherited = (t.interfaces ?? []).flatMap((i: string) => allProps(i));
  return [...own, ...inherited];
}

describe('the Python bindings (jsii-pacmak --targets python --code-only)', () => {
  test.each([
    ['Rollout', 'RolloutProps', ['strategy', 'replicas', 'containers', 'servicePorts']],
    ['CanaryNginxRollout', 'CanaryNginxRolloutProps', ['steps', 'trafficRouting', 'image', 'exporterImage', 'nginxConf', 'replicas']],
    ['BlueGreenNginxRollout', 'BlueGreenNginxRolloutProps', ['activeServiceName', 'previewServiceName', 'autoPromotionEnabled', 'image']],
    ['NginxAnalysisTemplate', 'NginxAnalysisTemplateProps', ['metrics', 'interval']],
  ])('%s is a construct class taking (scope, id, props) and %s has every prop', (construct, propsName, mustHave) => {
    const cls = pythonClass(construct);
    expect(cls).toMatch(new RegExp(`jsii_type="cdk8s-nginx-rollouts\\.${construct}"`));
    expect(cls).toMatch(/def __init__\(\s*self,\s*scope: "_constructs_[0-9a-f]+\.Construct",\s*id: builtins\.str,/);

    const props = allProps(`cdk8s-nginx-rollouts.${propsName}`);
    expect(props).toEqual(expect.arrayContaining(mustHave));
    const struct = pythonClass(propsName);
    const init = struct.slice(0, struct.indexOf('->'));
    for (const p of props) expect([p, init.includes(`${snake(p)}:`)]).toEqual([p, true]);
    // The construct takes the same props as keyword arguments (`CanaryNginxRollout(chart, "web", replicas=5, ...)`).
    const ctor = cls.slice(cls.indexOf('def __init__'), cls.indexOf('->', cls.indexOf('def __init__')));
    for (const p of props) expect([construct, p, ctor.includes(`${snake(p)}:`)]).toEqual([construct, p, true]);
  });

  test('the value objects and the engines have their factories and entry points', () => {
    const canaryStep = pythonClass('CanaryStep');
    for (const m of ['weight', 'pause', 'analysis', 'canary_scale']) expect(canaryStep).toMatch(new RegExp(`def ${m}\\(`));
    // `setWeight` reads as a Java setter: TypeScript only (the bindings call `weight`).
    expect(canaryStep).not.toMatch(/def set_weight\(/);
    const routing = pythonClass('TrafficRouting');
    for (const m of ['nginx_ingress', 'smi']) expect(routing).toMatch(new RegExp(`def ${m}\\(`));
    const rules = pythonClass('RulesEngine');
    for (const m of ['validate_objects', 'validate_rollout', 'validate_schema', 'format_finding']) {
      expect(rules).toMatch(new RegExp(`def ${m}\\(`));
    }
    const planner = pythonClass('RolloutPlanner');
    for (const m of ['plan', 'warnings', 'format_table', 'format_markdown', 'render_svg']) {
      expect(planner).toMatch(new RegExp(`def ${m}\\(`));
    }
    expect(pythonClass('RolloutStrategyKind')).toMatch(/\(enum\.Enum\)/);
  });

  test('the generated Python parses', () => {
    const py = spawnSync('python3', ['--version'], { encoding: 'utf8' });
    if (py.status !== 0) {
      process.stdout.write('jsii test: python3 is not installed: the generated Python was not parsed (the checks above still ran)\n');
      return;
    }
    const script = 'import ast, sys\nfor f in sys.argv[1:]:\n    ast.parse(open(f, encoding="utf-8").read(), f)\n';
    const r = spawnSync('python3', ['-c', script, ...pythonFiles], { encoding: 'utf8', timeout: 120_000 });
    expect(pythonFiles.length).toBeGreaterThanOrEqual(3); // the package and its two submodules
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });
});
