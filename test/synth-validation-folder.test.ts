import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, JsonPatch, YamlOutputType } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as fc from 'fast-check';
import { EXAMPLES } from '../examples';
import { BlueGreenNginxRollout, CanaryNginxRollout } from '../lib';

const dirs: string[] = [];
const outdir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-folder-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Every file under `dir` (relative name, then its bytes), in name order; a symbolic link as its target. */
function tree(dir: string): string[] {
  const walk = (d: string, prefix: string): string[] => fs.readdirSync(d, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => {
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) return [`${prefix}${e.name} -> ${fs.readlinkSync(p)}`];
      if (e.isDirectory()) return [`${prefix}${e.name}/`, ...walk(p, `${prefix}${e.name}/`)];
      return [`${prefix}${e.name}\n${fs.readFileSync(p, 'utf8')}`];
    });
  return fs.existsSync(dir) ? walk(dir, '') : [];
}

/** YAML files under `dir` as the `---` marker's wrapper finds them (lib/yaml-output.ts: real folders only). */
function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

/**
 * The reference: cdk8s' own `App.prototype.synth` (outside our synth step: its validation, its resolution, its
 * `Yaml.save`), then the `---` marker on each YAML file that the synth wrote (new or changed), as the wrapper of
 * lib/yaml-output.ts did around it in apps with our constructs. An error leaves the files as cdk8s wrote them.
 */
function cdk8sSynth(app: App): string {
  const stamp = (f: string) => {
    const s = fs.statSync(f, { bigint: true });
    return `${s.mtimeNs}:${s.ctimeNs}:${s.ino}:${s.size}`;
  };
  const before = new Map(yamlFiles(app.outdir).map((f) => [f, stamp(f)]));
  try {
    App.prototype.synth.call(app);
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
  // only apps with our constructs have the wrapper
  if (!(app as unknown as Record<symbol, unknown>)[Symbol.for('cdk8s-nginx-rollouts/mark-yaml-document-starts')]) return 'ok';
  for (const f of yamlFiles(app.outdir)) {
    if (before.get(f) === stamp(f)) continue;
    const text = fs.readFileSync(f, 'utf8');
    if (!text.startsWith('---\n')) fs.writeFileSync(f, `---\n${text.endsWith('\n') ? text : `${text}\n`}`);
  }
  return 'ok';
}

function ourSynth(app: App): string {
  try {
    app.synth();
    return 'ok';
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

/** A chart whose `toJson()` adds an annotation to every object (and may leave out the metadata of a ConfigMap). */
class Stamped extends Chart {
  public dropMetadata = false;
  public toJson(): any[] {
    return super.toJson().map((o) => (this.dropMetadata && o.kind === 'ConfigMap' ? { ...o, metadata: undefined }
      : { ...o, metadata: { ...o.metadata, annotations: { stamped: 'yes' } } }));
  }
}

const OUTPUT_TYPES = [
  YamlOutputType.FILE_PER_APP, YamlOutputType.FILE_PER_CHART, YamlOutputType.FILE_PER_RESOURCE,
  YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE,
];

type ChartSpec = { parent: number; stamped: boolean };
type ItemSpec = { chart: number; kind: 'canary' | 'bluegreen' | 'plain' | 'grouped' | 'empty-group'; name: number; patched: boolean };
interface AppSpec {
  readonly type: YamlOutputType;
  readonly ext: string;
  readonly record: boolean;
  readonly charts: ChartSpec[];
  readonly items: ItemSpec[];
  readonly edges: Array<[number, number]>;
  /** Files already in the output folder: a foreign YAML file, and a chart's file of an earlier synth. */
  readonly existing: boolean;
}

// plain objects' names: the same file name in several charts (each its own namespace), names cdk8s' file name rule
// strips characters from (`[`, `\`, `]` and `^` are kept: its regex has the range `Z-_`)
const PLAIN_NAMES = ['cm', 'cm', 'x.y', 'a_b[c]^', 'UPPER', 'sp ace'];

/**
 * An app whose `synth()` is its own (calling cdk8s'): written by cdk8s' `synth()` within our synth step, under the
 * `---` marker's wrapper, as every app was before `app.synth()` wrote its folder itself.
 */
class ViaCdk8s extends App {
  public synth(): void {
    super.synth();
  }
}

/** The app of `spec`: charts (nested too), our presets beside plain ApiObjects, and dependencies among them. */
function build(spec: AppSpec, dir: string, A: typeof App = App): App {
  const app = new A({ outdir: dir, yamlOutputType: spec.type, outputFileExtension: spec.ext, recordConstructMetadata: spec.record });
  const charts: Chart[] = [];
  spec.charts.forEach(({ parent, stamped }, i) => {
    const scope = parent % 3 === 0 || charts.length === 0 ? app : charts[parent % charts.length];
    const props = { namespace: `ns${i}` };
    charts.push(stamped ? new Stamped(scope, `c${i}`, props) : new Chart(scope, `c${i}`, props));
  });
  const all: IConstruct[] = [...charts];
  spec.items.forEach(({ chart, kind, name, patched }, i) => {
    if (charts.length === 0) return;
    const scope = charts[chart % charts.length];
    if (kind === 'canary') {
      const r = new CanaryNginxRollout(scope, `r${i}`, { name: `web-${i}`, image: 'nginx:1.27.3' });
      if (patched) r.rollout.addJsonPatch(JsonPatch.add('/metadata/annotations', { patched: 'yes' }));
      all.push(r);
    } else if (kind === 'bluegreen') {
      all.push(new BlueGreenNginxRollout(scope, `r${i}`, { name: `bg-${i}`, image: 'nginx:1.27.3', scaleDownDelay: Duration.seconds(30) }));
    } else if (kind === 'plain') {
      all.push(new ApiObject(scope, `p${i}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: PLAIN_NAMES[name % PLAIN_NAMES.length] }, data: { k: `v: ${i}` } }));
    } else {
      const group = new Construct(scope, `g${i}`);
      if (kind === 'grouped') new ApiObject(group, 'o', { apiVersion: 'v1', kind: 'Secret', metadata: { name: `s${name % 2}` } });
      all.push(group);
    }
  });
  for (const [from, to] of spec.edges) {
    if (all.length < 2) break;
    const source = all[from % all.length];
    const target = all[to % all.length];
    // a construct depending on itself overflows cdk8s' own graph, and one depending on a construct that contains
    // it (or that it contains) makes a cycle of their objects: left out
    if (!target.node.findAll().includes(source) && !source.node.findAll().includes(target)) source.node.addDependency(target);
  }
  if (spec.existing) {
    fs.writeFileSync(path.join(dir, 'kept.yaml'), 'kind: Hand\n');
    fs.writeFileSync(path.join(dir, `c0${spec.ext}`), 'kind: Old\n');
  }
  return app;
}

const appSpec: fc.Arbitrary<AppSpec> = fc.record({
  type: fc.constantFrom(...OUTPUT_TYPES),
  ext: fc.constantFrom('.k8s.yaml', '.yml', '.json', ''),
  record: fc.boolean(),
  charts: fc.array(fc.record({ parent: fc.nat(), stamped: fc.boolean() }), { maxLength: 5 }),
  items: fc.array(fc.record({
    chart: fc.nat(), kind: fc.constantFrom<ItemSpec['kind']>('canary', 'bluegreen', 'plain', 'plain', 'grouped', 'empty-group'),
    name: fc.nat(), patched: fc.boolean(),
  }), { maxLength: 7 }),
  edges: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
  existing: fc.boolean(),
});

describe('app.synth() into a folder: cdk8s\' own files and bytes, with the --- marker', () => {
  test('random apps: every output type, extensions, nested and empty charts, dependencies across charts, metadata', () => {
    let written = 0;
    fc.assert(fc.property(appSpec, (spec) => {
      const ours = build(spec, outdir());
      const theirs = build(spec, outdir());
      const before = build(spec, outdir(), ViaCdk8s);
      const a = ourSynth(ours).split(ours.outdir).join('OUT');
      // the same outcome as before, errors included, and the same folder
      expect(a).toBe(ourSynth(before).split(before.outdir).join('OUT'));
      expect(tree(ours.outdir)).toEqual(tree(before.outdir));
      // cdk8s' synth() validates before it resolves the dependencies, our step resolves them first: the rules can
      // see another order, and a cycle the resolution makes meets a validation error first
      const b = cdk8sSynth(theirs).split(theirs.outdir).join('OUT');
      if (a.startsWith('error: ') || b.startsWith('error: ')) {
        expect(a.startsWith('error: ')).toBe(b.startsWith('error: '));
        return;
      }
      written++;
      expect(tree(ours.outdir)).toEqual(tree(theirs.outdir));
    }), { numRuns: 150 });
    // most apps are written, not stopped by a validation error
    expect(written).toBeGreaterThan(100);
  });

  test.each(OUTPUT_TYPES.map((t) => [YamlOutputType[t], t] as const))('every example, %s', (_, type) => {
    for (const make of Object.values(EXAMPLES)) {
      const ours = new App({ outdir: outdir(), yamlOutputType: type, recordConstructMetadata: true });
      const theirs = new App({ outdir: outdir(), yamlOutputType: type, recordConstructMetadata: true });
      make(ours);
      make(theirs);
      expect(ourSynth(ours)).toBe('ok');
      expect(cdk8sSynth(theirs)).toBe('ok');
      expect(tree(ours.outdir)).toEqual(tree(theirs.outdir));
    }
  });

  /** Two charts, one nested in the other or depending on it, so cdk8s names them with the `0000-` index. */
  const pair = (type: YamlOutputType, how: 'nested' | 'dependency' | 'dependency-again' | 'none', dir = outdir()) => {
    const app = new App({ outdir: dir, yamlOutputType: type });
    const a = new Chart(app, 'a', { namespace: 'one' });
    const web = new CanaryNginxRollout(a, 'web', { name: 'web', image: 'nginx:1.27.3' });
    const b = new Chart(how === 'nested' ? a : app, 'b', { namespace: 'two' });
    const other = new BlueGreenNginxRollout(b, 'bg', { name: 'bg', image: 'nginx:1.27.3', scaleDownDelay: Duration.seconds(30) });
    if (how.startsWith('dependency')) other.node.addDependency(web);
    // the chart dependency already there: cdk8s still counts the construct dependency across charts
    if (how === 'dependency-again') b.node.addDependency(a);
    return app;
  };

  test.each([
    ['nested', [expect.stringMatching(/^0000-a-b-[0-9a-f]{8}\.k8s\.yaml$/), '0001-a.k8s.yaml']],
    ['dependency', ['0000-a.k8s.yaml', '0001-b.k8s.yaml']],
    ['dependency-again', ['0000-a.k8s.yaml', '0001-b.k8s.yaml']],
    ['none', ['a.k8s.yaml', 'b.k8s.yaml']],
  ] as const)('charts %s: cdk8s\' chart namer', (how, names) => {
    const ours = pair(YamlOutputType.FILE_PER_CHART, how);
    const theirs = pair(YamlOutputType.FILE_PER_CHART, how);
    ours.synth();
    expect(cdk8sSynth(theirs)).toBe('ok');
    expect(fs.readdirSync(ours.outdir).sort()).toEqual(names);
    expect(tree(ours.outdir)).toEqual(tree(theirs.outdir));
  });

  test('synthesizing twice into the same folder: the same files, one marker each', () => {
    for (const type of OUTPUT_TYPES) {
      const ours = pair(type, 'dependency');
      const theirs = pair(type, 'dependency');
      ours.synth();
      ours.synth();
      expect(cdk8sSynth(theirs)).toBe('ok');
      expect(cdk8sSynth(theirs)).toBe('ok');
      expect(tree(ours.outdir)).toEqual(tree(theirs.outdir));
    }
  });

  test('a folder of a chart that is a symbolic link: its files are written, unmarked, as the wrapper left them', () => {
    const target = outdir();
    const make = () => {
      const dir = outdir();
      fs.symlinkSync(target, path.join(dir, 'a'));
      return pair(YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE, 'none', dir);
    };
    const ours = make();
    ours.synth();
    const mine = tree(target);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.filter((f) => f.split('\n')[1] === '---')).toEqual([]);
    expect(cdk8sSynth(make())).toBe('ok');
    expect(tree(target)).toEqual(mine);
  });

  test('a validation error: cdk8s\' message, the output folder made and nothing written in it', () => {
    const make = () => {
      const app = new App({ outdir: path.join(outdir(), 'new', 'dist') });
      new CanaryNginxRollout(new Chart(app, 'a'), 'web', { name: 'web', image: 'nginx:1.27.3' });
      new ApiObject(new Chart(app, 'b'), 'r', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web' } });
      return app;
    };
    const ours = make();
    const a = ourSynth(ours);
    expect(a).toMatch(/^error: Validation failed with the following errors:\n {2}\[\] Chart 'b': Rollout\/web: .*duplicate-object/);
    expect(a).toBe(cdk8sSynth(make()));
    expect(fs.readdirSync(ours.outdir)).toEqual([]);
  });

  test('an error while writing (a chart\'s toJson leaves out metadata): cdk8s\' error, the files it wrote so far, unmarked', () => {
    const make = () => {
      const app = new App({ outdir: outdir(), yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
      new CanaryNginxRollout(new Chart(app, 'a', { namespace: 'one' }), 'web', { name: 'web', image: 'nginx:1.27.3' });
      const s = new Stamped(app, 's', { namespace: 'two' });
      new BlueGreenNginxRollout(s, 'bg', { name: 'bg', image: 'nginx:1.27.3', scaleDownDelay: Duration.seconds(30) });
      s.dropMetadata = true;
      return app;
    };
    const ours = make();
    const theirs = make();
    const a = ourSynth(ours);
    expect(a).toMatch(/^error: Cannot read properties of undefined/);
    expect(a).toBe(cdk8sSynth(theirs));
    expect(tree(ours.outdir)).toEqual(tree(theirs.outdir));
    expect(tree(ours.outdir).length).toBeGreaterThan(0);
  });

  test('a write that fails (a full disk) is reported with its own error, also when taking the marker off the files written fails too', () => {
    const app = pair(YamlOutputType.FILE_PER_CHART, 'none');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeFs: typeof fs = require('fs');
    const original = nodeFs.writeFileSync;
    let writes = 0;
    const write = jest.spyOn(nodeFs, 'writeFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, ...rest: any[]) => {
      // the first chart's file is written; every write after it fails, as on a full disk
      if (String(file).startsWith(app.outdir) && ++writes > 1) throw Object.assign(new Error(`ENOSPC: no space left on device, open '${file}'`), { code: 'ENOSPC' });
      return (original as any)(file, ...rest);
    }) as any);
    try {
      expect(() => app.synth()).toThrow(/^ENOSPC: no space left on device, open '.*b\.k8s\.yaml'$/);
    } finally {
      write.mockRestore();
    }
  });

  test('writes each file once, marked: the output folder is neither stat\'ed nor read back', () => {
    const app = pair(YamlOutputType.FILE_PER_CHART, 'none');
    fs.writeFileSync(path.join(app.outdir, 'kept.yaml'), 'kind: Hand\n');
    // the module itself (an `import * as` of it is a copy whose functions cannot be replaced)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeFs: typeof fs = require('fs');
    const stat = jest.spyOn(nodeFs, 'statSync');
    const read = jest.spyOn(nodeFs, 'readFileSync');
    const write = jest.spyOn(nodeFs, 'writeFileSync');
    try {
      app.synth();
      const inOutdir = (calls: unknown[][]) => calls.map((c) => String(c[0])).filter((f) => f.startsWith(app.outdir));
      expect(inOutdir(stat.mock.calls)).toEqual([]);
      expect(inOutdir(read.mock.calls)).toEqual([]);
      expect(inOutdir(write.mock.calls).sort()).toEqual([path.join(app.outdir, 'a.k8s.yaml'), path.join(app.outdir, 'b.k8s.yaml')]);
    } finally {
      stat.mockRestore();
      read.mockRestore();
      write.mockRestore();
    }
    expect(fs.readFileSync(path.join(app.outdir, 'kept.yaml'), 'utf8')).toBe('kind: Hand\n');
    expect(fs.readFileSync(path.join(app.outdir, 'a.k8s.yaml'), 'utf8')).toMatch(/^---\napiVersion: /);
  });

  test('keeps no JSON of our objects for the files: their toJson is cdk8s\' own after synth', () => {
    const app = pair(YamlOutputType.FILE_PER_CHART, 'none');
    app.synth();
    const objects = app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.filter((o) => Object.prototype.hasOwnProperty.call(o, 'toJson')).map((o) => o.node.path)).toEqual([]);
  });

  test('an app whose synth or charts is its own, or another output type, goes through cdk8s\' synth()', () => {
    class OwnSynth extends App {
      public synth(): void {
        new ApiObject(new Chart(this, 'late'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } });
        super.synth();
      }
    }
    class OwnCharts extends App {
      public get charts(): Chart[] {
        return [...super.charts].reverse();
      }
    }
    const outputs = [OwnSynth, OwnCharts].map((A) => {
      const app = new A({ outdir: outdir(), yamlOutputType: YamlOutputType.FILE_PER_APP });
      new CanaryNginxRollout(new Chart(app, 'a'), 'web', { name: 'web', image: 'nginx:1.27.3' });
      new ApiObject(new Chart(app, 'b'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
      app.synth();
      return fs.readFileSync(path.join(app.outdir, 'app.k8s.yaml'), 'utf8');
    });
    expect(outputs[0]).toMatch(/^---\n[\s\S]*name: late\n$/);
    expect(outputs[1]).toMatch(/^---\n[\s\S]*name: b\n[\s\S]*kind: Rollout/);
    const unknown = new App({ outdir: outdir(), yamlOutputType: 7 as YamlOutputType });
    new CanaryNginxRollout(new Chart(unknown, 'a'), 'web', { name: 'web', image: 'nginx:1.27.3' });
    unknown.synth();
    expect(fs.readdirSync(unknown.outdir)).toEqual([]);
  });
});
