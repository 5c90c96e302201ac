import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, DependencyGraph, Duration, JsonPatch, Testing } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as fc from 'fast-check';
import { EXAMPLES } from '../examples';
import { BlueGreenNginxRollout, CanaryNginxRollout, markYamlDocumentStarts } from '../lib';
import { appCharts, chartApiObjects } from '../lib/synth-validation';

const outdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'synth-validation-'));

describe('synth validates the whole app as one set, as lint of its output folder does', () => {
  test('the same Rollout in two charts fails app.synth() with duplicate-object, naming the construct and both charts', () => {
    const app = new App({ outdir: outdir() });
    new CanaryNginxRollout(new Chart(app, 'a'), 'web', { name: 'web' });
    new CanaryNginxRollout(new Chart(app, 'b'), 'web', { name: 'web' });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("CanaryNginxRollout 'b/web': Rollout/web: metadata.name: Duplicate value: \"web\": " +
      "Rollout \"web\" is defined more than once in this set (charts 'a' and 'b' are written to one folder) [duplicate-object]");
    expect(fs.readdirSync(app.outdir)).toEqual([]);
  });

  test('a plain object of another chart that clashes with one of ours is reported too, under its chart', () => {
    const app = new App({ outdir: outdir() });
    const a = new Chart(app, 'a');
    new CanaryNginxRollout(a, 'web', { name: 'web' });
    const ours = a.toJson().find((o: any) => o.kind === 'ConfigMap');
    expect(ours?.metadata?.name).toEqual(expect.any(String));
    new ApiObject(new Chart(app, 'b'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ours.metadata.name } });
    expect(() => app.synth()).toThrow(
      `Chart 'b': ConfigMap/${ours.metadata.name}: metadata.name: Duplicate value: "${ours.metadata.name}": ConfigMap ` +
      `"${ours.metadata.name}" is defined more than once in this set (charts 'a' and 'b' are written to one folder) [duplicate-object]`);
  });

  test('objects defined in two charts are reported in the order they first appear, whichever clashes first', () => {
    const app = new App({ outdir: outdir() });
    const cm = (chart: Chart, name: string) => new ApiObject(chart, name, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
    const a = new Chart(app, 'a');
    new CanaryNginxRollout(a, 'web', { name: 'web', image: 'nginx:1.27.3' });
    cm(a, 'x');
    cm(a, 'y');
    cm(new Chart(app, 'b'), 'y');
    cm(new Chart(app, 'c'), 'x');
    let message = '';
    try {
      app.synthYaml();
    } catch (e) {
      message = (e as Error).message;
    }
    const clashes = message.split('\n').filter((l) => l.includes('[duplicate-object]')).map((l) => l.match(/ConfigMap\/(\w+)/)?.[1]);
    expect(clashes).toEqual(['x', 'y']);
  });

  test('the same name in two namespaces, or in one chart of each of two apps, is fine', () => {
    const app = new App({ outdir: outdir() });
    new CanaryNginxRollout(new Chart(app, 'a', { namespace: 'one' }), 'web', { name: 'web' });
    new CanaryNginxRollout(new Chart(app, 'b', { namespace: 'two' }), 'web', { name: 'web' });
    expect(() => app.synth()).not.toThrow();
    for (const n of ['c', 'd']) {
      const other = new App({ outdir: outdir() });
      new CanaryNginxRollout(new Chart(other, n), 'web', { name: 'web' });
      expect(() => other.synth()).not.toThrow();
    }
  });
});

/** The `.k8s.yaml` files of `app.synth()`, in file order, as one YAML stream (without each file's `---` marker). */
function synthFiles(app: App): string {
  app.synth();
  return fs.readdirSync(app.outdir).sort()
    .map((f) => fs.readFileSync(path.join(app.outdir, f), 'utf8').replace(/^---\n/, '')).join('---\n');
}

describe('synth writes every chart in the order cdk8s resolves, and validates that order', () => {
  /**
   * Three charts, each a Rollout that depends (construct to construct) on a ConfigMap defined after it in the tree:
   * cdk8s turns that into a dependency of the Rollout's objects on the ConfigMap (`resolveDependencies`), so the
   * ConfigMap is written first.
   */
  function app(names: string[]): App {
    const a = new App({ outdir: outdir() });
    for (const n of names) {
      const chart = new Chart(a, n);
      const web = new CanaryNginxRollout(chart, 'web', { name: `${n}-web`, image: 'nginx:1.27.3' });
      const extra = new Construct(chart, 'Extra');
      new ApiObject(extra, 'Resource', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${n}-extra` } });
      web.node.addDependency(extra);
    }
    return a;
  }
  const names = (yaml: string) => yaml.match(/^ {2}name: \S+$/gm)?.map((l) => l.trim().slice(6));

  test('app.synth() writes a later chart in the same order as the first chart and as app.synthYaml()', () => {
    const yaml = app(['a', 'b', 'c']).synthYaml();
    expect(names(yaml)?.filter((n) => n.startsWith('b-'))).toEqual(['b-extra', 'b-web-conf', 'b-web']);
    expect(synthFiles(app(['a', 'b', 'c']))).toBe(yaml);
  });

  test('app.synth() judges the order it writes: a ConfigMap the Rollout reads, made to come first, is no configmap-order', () => {
    const a = new App({ outdir: outdir() });
    const chart = new Chart(a, 'a');
    const web = new CanaryNginxRollout(chart, 'web', { name: 'web', image: 'nginx:1.27.3' });
    const extra = new Construct(chart, 'Extra');
    new ApiObject(extra, 'Resource', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
    web.rollout.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/envFrom', [{ configMapRef: { name: 'settings' } }]));
    // without the dependency the ConfigMap comes after the Rollout: both synths say so
    expect(() => a.synthYaml()).toThrow(/configmap-order/);
    expect(() => a.synth()).toThrow(/configmap-order/);
    web.node.addDependency(extra);
    // app.synth() first: cdk8s adds the object dependencies for good once it resolves them (synthYaml does first)
    expect(() => a.synth()).not.toThrow();
    expect(() => a.synthYaml()).not.toThrow();
    expect(fs.readFileSync(path.join(a.outdir, 'a.k8s.yaml'), 'utf8')).toMatch(/name: settings[\s\S]*kind: Rollout/);
  });
});

describe('chartApiObjects: the order of cdk8s\' DependencyGraph', () => {
  const cdk8sOrder = (chart: Chart) => new DependencyGraph(chart.node).topology()
    .filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);
  const outcome = (f: () => ApiObject[]) => {
    try {
      return f().map((x) => x.node.path);
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  };

  test('random trees of objects, groups and nested charts, with random dependencies (cycles included)', () => {
    const tree = fc.array(fc.record({ parent: fc.nat(), kind: fc.constantFrom('object', 'group', 'chart') }), { maxLength: 25 });
    const deps = fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 30 });
    fc.assert(fc.property(tree, deps, fc.boolean(), (spec, edges, outside) => {
      const chart = Testing.chart();
      const all: IConstruct[] = [chart];
      spec.forEach(({ parent, kind }, i) => {
        const scope = all[parent % all.length];
        const id = `n${i}`;
        if (kind === 'object') all.push(new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap' }));
        else if (kind === 'chart') all.push(new Chart(scope, id));
        else all.push(new Construct(scope, id));
      });
      // a dependency on a construct of another chart is left out of the graph
      if (outside) all.push(new ApiObject(new Chart(chart.node.root as App, 'other'), 'x', { apiVersion: 'v1', kind: 'ConfigMap' }));
      for (const [from, to] of edges) {
        const source = all[from % all.length];
        if (source.node.root === chart.node.root && source !== all[all.length - 1]) source.node.addDependency(all[to % all.length]);
      }
      expect(outcome(() => chartApiObjects(chart))).toEqual(outcome(() => cdk8sOrder(chart)));
    }), { numRuns: 300 });
  });

  test('appCharts: app.charts, also for charts named like array indices (cdk8s keys its vertices by path)', () => {
    const ids = fc.uniqueArray(fc.constantFrom('0', '1', '7', '10', '007', 'x', 'a1', '4294967295', '-1'), { minLength: 1 });
    const deps = fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 12 });
    fc.assert(fc.property(ids, fc.array(fc.nat(), { maxLength: 8 }), deps, (chartIds, nested, edges) => {
      const app = new App({ outdir: outdir() });
      const all: IConstruct[] = chartIds.map((id) => new Chart(app, id));
      nested.forEach((parent, i) => all.push(new Chart(all[parent % all.length], `n${i}`)));
      all.forEach((c, i) => all.push(new ApiObject(c, `o${i}`, { apiVersion: 'v1', kind: 'ConfigMap' })));
      for (const [from, to] of edges) all[from % all.length].node.addDependency(all[to % all.length]);
      const paths = (f: () => Chart[]) => {
        try {
          return f().map((c) => c.node.path);
        } catch (e) {
          return `error: ${(e as Error).message}`;
        }
      };
      expect(paths(() => appCharts(app))).toEqual(paths(() => app.charts));
    }), { numRuns: 300 });
  });

  test('a cycle is reported as cdk8s reports it', () => {
    const chart = Testing.chart();
    const a = new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap' });
    const b = new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap' });
    a.node.addDependency(b);
    b.node.addDependency(a);
    expect(() => chartApiObjects(chart)).toThrow(/Dependency cycle detected/);
  });
});

describe('one walk of the tree per synth: cdk8s\' own outcome and dependency edges on random apps', () => {
  type Spec = { parent: number; kind: 'object' | 'group' | 'chart' };
  /** An app of charts, nested charts, groups and plain objects, with one of our Rollouts, and the dependencies. */
  function build(spec: Spec[], edges: Array<[number, number]>, onApp = true): { app: App; all: IConstruct[] } {
    const app = new App({ outdir: outdir() });
    const first = new Chart(app, 'c');
    const all: IConstruct[] = [app, first, new CanaryNginxRollout(first, 'web', { name: 'web', image: 'nginx:1.27.3' })];
    spec.forEach(({ parent, kind }, i) => {
      const scope = kind === 'chart' && parent % 3 === 0 ? app : all[1 + (parent % (all.length - 1))];
      const id = `n${i}`;
      if (kind === 'object') all.push(new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id } }));
      else if (kind === 'chart') all.push(new Chart(scope, id));
      else all.push(new Construct(scope, id));
    });
    for (const [from, to] of edges) {
      // a construct that depends on itself overflows the stack of cdk8s' own DependencyGraph: left out
      const target = to % all.length === 0 && !onApp ? 1 : to % all.length;
      if (from % all.length !== target) all[from % all.length].node.addDependency(all[target]);
    }
    return { app, all };
  }
  const outcome = (f: () => string) => {
    try {
      return f();
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  };
  const dependencies = (all: IConstruct[]) => all.map((c) => `${c.node.path} -> ${c.node.dependencies.map((d) => d.node.path).join(', ')}`);
  const files = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort()
    .map((f) => `${f}\n${fs.readFileSync(path.join(dir, f), 'utf8')}`) : []).join('\n');
  const arbitrary = [
    fc.array(fc.record({ parent: fc.nat(), kind: fc.constantFrom<Spec['kind']>('object', 'group', 'chart') }), { maxLength: 14 }),
    // edges from the app (index 0) are left out: cdk8s reads the app's own dependencies in neither synth
    fc.array(fc.tuple(fc.integer({ min: 1, max: 100 }), fc.nat()), { maxLength: 12 }),
  ] as const;

  test('app.synthYaml()', () => {
    fc.assert(fc.property(...arbitrary, (spec, edges) => {
      const ours = build(spec, edges);
      const theirs = build(spec, edges);
      expect(outcome(() => ours.app.synthYaml())).toBe(outcome(() => App.prototype.synthYaml.call(theirs.app)));
      expect(dependencies(ours.all)).toEqual(dependencies(theirs.all));
    }), { numRuns: 150 });
  });

  test('app.synth(), and app.charts afterwards', () => {
    fc.assert(fc.property(...arbitrary, (spec, edges) => {
      // No dependency on the app: cdk8s' resolution fails on it ("cannot find a parent chart"), which its synth()
      // reports after validating, ours before (when its validation fails, with the validation's error)
      const ours = build(spec, edges, false);
      const theirs = build(spec, edges, false);
      const a = outcome(() => { ours.app.synth(); return files(ours.app.outdir); });
      // cdk8s' own synth, and the `---` our constructs' apps start each file with
      const b = outcome(() => { App.prototype.synth.call(theirs.app); markYamlDocumentStarts(theirs.app.outdir); return files(theirs.app.outdir); });
      // cdk8s' synth() validates before it resolves the dependencies, ours resolves them first: of two errors (a
      // cycle the resolution makes, a validation error) each can meet another first
      if (b.startsWith('error: ')) {
        expect(a).toMatch(/^error: /);
      } else {
        expect(a).toBe(b);
        expect(dependencies(ours.all)).toEqual(dependencies(theirs.all));
        expect(ours.app.charts.map((c) => c.node.path)).toEqual(theirs.app.charts.map((c) => c.node.path));
      }
      // cdk8s' getter again once synth() is over
      expect(Object.getOwnPropertyDescriptor(ours.app, 'charts')).toBeUndefined();
    }), { numRuns: 100 });
  });
});

describe('app.synthYaml() written a chart at a time: the bytes of cdk8s\' own synthYaml', () => {
  // cdk8s' method on the same app, outside our synth step: its own resolution, validation and Yaml.stringify
  const cdk8sYaml = (app: App) => App.prototype.synthYaml.call(app);

  test('every example', () => {
    for (const build of Object.values(EXAMPLES)) {
      const app = new App({ outdir: outdir() });
      build(app);
      expect(app.synthYaml()).toBe(cdk8sYaml(app));
    }
  });

  test('nested and empty charts, plain objects, a construct dependency across charts, a chart with its own toJson', () => {
    class Stamped extends Chart {
      public toJson(): any[] {
        return super.toJson().map((o) => ({ ...o, metadata: { ...o.metadata, annotations: { stamped: 'yes' } } }));
      }
    }
    const app = new App({ outdir: outdir() });
    const a = new Chart(app, 'a', { namespace: 'one' });
    const web = new CanaryNginxRollout(a, 'web', { name: 'web', image: 'nginx:1.27.3' });
    new ApiObject(a, 'plain', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' }, data: { k: 'v: w' } });
    const nested = new Chart(a, 'nested', { namespace: 'two' });
    new BlueGreenNginxRollout(nested, 'bg', { name: 'bg', image: 'nginx:1.27.3', scaleDownDelay: Duration.seconds(30) });
    new Chart(app, 'empty');
    const s = new Stamped(app, 's', { namespace: 'three' });
    const other = new CanaryNginxRollout(s, 'web', { name: 'web', image: 'nginx:1.27.3' });
    other.node.addDependency(web);
    expect(app.synthYaml()).toBe(cdk8sYaml(app));
    expect(app.synthYaml()).toContain('stamped: "yes"');
  });

  test('an error still stops it, before anything is written, with cdk8s\' message', () => {
    const app = new App({ outdir: outdir() });
    new CanaryNginxRollout(new Chart(app, 'a'), 'web', { name: 'web' });
    new ApiObject(new Chart(app, 'b'), 'r', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web' } });
    const message = (f: () => unknown) => { try { f(); return ''; } catch (e) { return (e as Error).message; } };
    expect(message(() => app.synthYaml())).toMatch(/^Validation failed with the following errors:\n {2}\[\] Chart 'b': Rollout\/web: .*duplicate-object/);
    expect(message(() => app.synthYaml())).toBe(message(() => cdk8sYaml(app)));
  });
});
