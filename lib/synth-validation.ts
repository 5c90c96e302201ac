import * as fs from 'fs';
import { ApiObject, App, Chart, DependencyGraph, Yaml, YamlOutputType } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { describeObject, Finding, validateObjects } from './rules';
import { useDirectEmitter } from './gitops/yaml';
import { renderOwned } from './rollout/render';
import { validateObjectsIndexed } from './rules/objects';
import { FolderDocuments, writeSynthFolder, writesOutputType } from './synth-folder';
import { synthMarkedBy } from './yaml-output';

/** A construct of this library whose objects the chart's validation reports on. */
interface Owner {
  readonly construct: Construct;
  readonly typeName: string;
  /** Objects it names that are not in the chart are applied by other means (not an error). */
  readonly allowsExternalReferences?: boolean;
}

/** The findings of an object that names something absent from the chart (an order finding is kept: it is ours). */
const EXTERNAL_REFERENCE_RULES = new Set([
  'service-not-found', 'configmap-not-found', 'analysis-template-not-found', 'ingress-not-found', 'virtual-service-not-found',
  'ambassador-mapping-not-found',
]);

const OWNERS = new WeakMap<Chart, Owner[]>();
const APPS = new WeakSet<IConstruct>();

/**
 * Puts the construct's objects under the rule engine at synth. The engine runs once per chart, over the objects in
 * the order they are written out, so reference checks see what `kubectl apply` will see; each error is reported
 * under the construct that owns the object: `CanaryNginxRollout 'app/web': spec.strategy.steps[2].setWeight: ...`.
 */
export function registerOwner(construct: Construct, typeName: string, allowsExternalReferences = false): void {
  const chart = Chart.of(construct);
  let owners = OWNERS.get(chart);
  if (!owners) {
    const list: Owner[] = [];
    OWNERS.set(chart, list);
    chart.node.addValidation({ validate: () => validateChartOnce(chart, list) });
    owners = list;
  }
  owners.push({ construct, typeName, allowsExternalReferences });
  const root = chart.node.root;
  if (root !== chart && !APPS.has(root)) {
    APPS.add(root);
    root.node.addValidation({ validate: () => validateAcrossChartsOnce(root) });
    cacheValidationPerSynth(root);
  }
}

function validateAcrossChartsOnce(root: IConstruct): string[] {
  if (!step) return validateAcrossCharts(root);
  if (step.app === root) step.validated = true;
  step.acrossCharts ??= validateAcrossCharts(root);
  return step.acrossCharts;
}

function validateChartOnce(chart: Chart, owners: Owner[]): string[] {
  if (!step) return validateChart(chart, owners);
  let errors = step.chartErrors.get(chart);
  if (!errors) {
    errors = validateChart(chart, owners);
    step.chartErrors.set(chart, errors);
  }
  return errors;
}

/**
 * The app's charts are written to one folder and applied together (`kubectl apply -f dist/`), so an object defined in
 * two charts is one object written twice: `lint dist/` reports it as `duplicate-object`, and so does synth. Each
 * chart's own validation sees only its chart; this sees the objects that share kind, namespace and name across charts
 * (read without serializing, so the cost is one pass over the objects' names) and asks the engine about those only.
 */
function validateAcrossCharts(root: IConstruct): string[] {
  const tree = treeOf(root);
  const charts: Chart[] = [];
  for (let i = 1; i < tree.nodes.length; i++) if (tree.isChart[i]) charts.push(tree.nodes[i] as Chart);
  if (charts.length < 2) return [];
  // the first object of each key, and every object of the keys that are taken more than once (few or none)
  type Placed = { chart: Chart; obj: ApiObject; order: number };
  const first = new Map<string, Placed>();
  const shared = new Map<string, Placed[]>();
  for (const chart of charts) {
    for (const obj of validationApiObjects(chart)) {
      const key = keyOf(obj.kind, obj.metadata.namespace, obj.name);
      const taken = first.get(key);
      if (!taken) {
        first.set(key, { chart, obj, order: first.size });
      } else {
        let list = shared.get(key);
        if (!list) shared.set(key, list = [taken]);
        list.push({ chart, obj, order: taken.order });
      }
    }
  }
  const errors: string[] = [];
  // in the order the keys first appear
  for (const list of [...shared.values()].sort((a, b) => a[0].order - b[0].order)) {
    if (list.every((x) => x.chart === list[0].chart)) continue; // within one chart: the chart's own validation reports it
    const findings = validateObjectsIndexed(list.map((x) => x.obj.toJson()), { missingReference: 'warning' })
      .filter(({ finding }) => finding.rule === 'duplicate-object');
    for (const { index, finding: f } of findings) {
      const where = [...new Set(list.map((x) => `'${x.chart.node.path}'`))].join(' and ');
      errors.push(`${ownerOfObject(list[index].obj)}: ${describeObject(f.object)}: ${f.path}: ${f.message} ` +
        `(charts ${where} are written to one folder) [${f.rule}]`);
    }
  }
  return errors;
}

/** `CanaryNginxRollout 'app/web'` for an object of a construct of this library, else its chart. */
function ownerOfObject(obj: ApiObject): string {
  const chart = Chart.of(obj);
  const tree = treeOf(chart);
  for (const owner of OWNERS.get(chart) ?? []) {
    if (constructsUnder(tree, owner.construct).includes(obj)) return `${owner.typeName} '${owner.construct.node.path}'`;
  }
  return `Chart '${chart.node.path}'`;
}

/** `c.node.findAll()`, from `tree` when `c` is in it. */
function constructsUnder(tree: Tree, c: IConstruct): IConstruct[] {
  const i = tree.index.get(c);
  return i === undefined ? c.node.findAll() : tree.nodes.slice(i, tree.end[i]);
}

/**
 * What one `app.synth()` / `app.synthYaml()` call has already worked out. cdk8s validates the whole app once, and
 * then once more for every chart it writes (`chart.toJson()` prepares and validates the entire app before it
 * writes its chart), so an app of N charts ran our rules N + 1 times over every chart: with 100 Rollouts a chart,
 * 1,000 Rollouts took 3.5 times as long per Rollout as 2, and 10,000 would take about 100 times as long. Between
 * those passes only cdk8s runs (re-adding the same dependencies, then writing charts), so the objects, their order
 * and the findings are the same: each chart's findings and order are computed on the first pass and reused by the
 * others. The step ends when the call returns; `chart.toJson()` called on its own is never cached, so a change made
 * between two such calls is always seen.
 */
interface SynthStep {
  readonly app: IConstruct;
  /** The app's tree, walked once when the step first needs it ({@link treeOf}). */
  tree?: Tree;
  /**
   * Whether the step adds the object dependencies when it first walks the tree: `app.synth()`, where cdk8s
   * validates before it resolves them (see {@link cacheValidationPerSynth}).
   */
  readonly resolveOnWalk: boolean;
  /** `app.charts`, computed once ({@link appCharts}). */
  charts?: Chart[];
  readonly topologies: Map<Chart, ApiObject[]>;
  readonly chartErrors: Map<Chart, string[]>;
  acrossCharts?: string[];
  /**
   * The YAML of each of our objects, written when its chart passed validation, when this step writes the YAML itself
   * ({@link synthYamlByChart}, {@link synthFolderByChart}); the JSON is then dropped with the chart.
   */
  readonly yaml?: Map<ApiObject, string>;
  /**
   * The `kind` and `metadata.name` of each object in {@link yaml}, read from its JSON, when the files are named by
   * them (`YamlOutputType.FILE_PER_RESOURCE`).
   */
  readonly names?: Map<ApiObject, { readonly kind: unknown; readonly name: unknown }>;
  /** The step's resolution of the dependencies ({@link treeOf}) threw: cdk8s' own throws after validating. */
  resolveFailed?: boolean;
  /**
   * cdk8s has validated the app in this step: the app's own validation (ours, {@link validateAcrossChartsOnce}) ran,
   * and cdk8s' `validate()` calls every construct's validation in one loop, throwing after it when any failed.
   */
  validated: boolean;
}

let step: SynthStep | undefined;

/**
 * Makes the app's `synth()` and `synthYaml()` one {@link SynthStep} each (idempotent per app), written with the direct
 * YAML emitter.
 */
function cacheValidationPerSynth(root: IConstruct): void {
  const app = root as unknown as Record<string, unknown>;
  for (const method of ['synth', 'synthYaml']) {
    const original = app[method];
    if (typeof original !== 'function') continue;
    app[method] = function synthValidatingOnce(this: unknown, ...args: unknown[]) {
      if (step) return original.apply(this, args); // nested: the outer call owns the step
      // cdk8s' `synth()` validates before it adds the object dependencies implied by construct dependencies
      // (`resolveDependencies`), `synthYaml()` after: adding them first (cdk8s adds the same ones again, a no-op on
      // the dependency sets) makes the rules see the order that is written, and lets every chart be written from the
      // one topology computed for its validation. They are added when the step first walks the tree, which is when
      // cdk8s starts validating: after anything an overridden `synth()` builds before it calls cdk8s' own.
      // cdk8s' own `synthYaml()` (not a subclass' override) is done here, a chart at a time
      const byChart = method === 'synthYaml' && original === App.prototype.synthYaml && this === root;
      // cdk8s' own `synth()` under our `---` marker, into an output type written as cdk8s does: done here too
      const byFolder = method === 'synth' && this === root && writesFolderItself(root, original);
      step = {
        app: root, resolveOnWalk: method === 'synth', topologies: new Map(), chartErrors: new Map(), validated: false,
        yaml: byChart || byFolder ? new Map() : undefined,
        names: byFolder && (root as App).yamlOutputType === YamlOutputType.FILE_PER_RESOURCE ? new Map() : undefined,
      };
      // The output YAML, byte for byte as the yaml library writes it (lib/gitops/yaml.ts), in a tenth of the time.
      const restore = useDirectEmitter();
      const restoreCharts = prepareAppOnce(root);
      const restoreAppCharts = method === 'synth' ? chartsFromStep(root) : () => undefined;
      try {
        if (byFolder) return synthFolderByChart(root as App, step);
        return byChart ? synthYamlByChart(root as App, step.yaml!) : original.apply(this, args);
      } finally {
        restoreAppCharts();
        restoreCharts();
        restore();
        step = undefined;
      }
    };
  }
}

/**
 * Within one synth of `app`, writes each chart as cdk8s does (its objects in dependency order, each `toJson()`),
 * without preparing and validating the whole app again for every chart: `app.synth()` and `app.synthYaml()` have
 * just done both, and nothing but cdk8s runs in between, so adding the same dependencies again changes nothing
 * and the validations find what they found. That repetition made synth quadratic in the number of charts (101
 * passes over 10,000 Rollouts in 100 charts). A chart written before cdk8s validated the app in this step (an
 * overridden `synth`) still goes through cdk8s' own `_synthChart`.
 */
function prepareAppOnce(app: IConstruct): () => void {
  const statics = App as unknown as { _synthChart?: (chart: Chart) => any[] };
  const synthChart = statics._synthChart;
  if (typeof synthChart !== 'function') return () => undefined;
  const once = function synthChartPrepared(this: unknown, chart: Chart): any[] {
    if (chart.node.root !== app || !step?.validated) return synthChart.call(this, chart);
    return validationApiObjects(chart).map((x) => x.toJson());
  };
  statics._synthChart = once;
  return () => {
    if (statics._synthChart === once) statics._synthChart = synthChart;
  };
}

/**
 * cdk8s' `App.synthYaml()` (lib/app.ts): dependencies resolved, the app validated, the charts' objects as YAML
 * documents joined by `---`; the same steps and the same bytes. It differs in what it keeps alive: cdk8s gathers the
 * JSON of every object of the app before it writes the first line, and our validation has rendered all of it before
 * that (for 10,000 Rollouts, 30,000 documents kept alive until the end). Here each chart's JSON is turned into YAML
 * as soon as the chart passed validation, and dropped: peak RSS of 10,000 Rollouts 518 -> 465 MiB. A chart whose
 * `toJson()` is overridden is written by it.
 */
function synthYamlByChart(app: App, yaml: Map<ApiObject, string>): string {
  const tree = treeOf(app);
  resolveDependencies(tree);
  validateApp(tree);
  const parts: string[] = [];
  for (const chart of appCharts(app)) {
    let part: string[];
    if (chart.toJson !== Chart.prototype.toJson) {
      part = Object.values(chart.toJson()).map((doc) => Yaml.stringify(doc));
    } else {
      part = validationApiObjects(chart).map((x) => {
        const text = yaml.get(x);
        yaml.delete(x);
        return text ?? Yaml.stringify(x.toJson());
      });
    }
    if (part.length > 0) parts.push(part.join('---\n'));
  }
  return parts.join('---\n');
}

/** cdk8s' `validate` (lib/app.ts): every construct's validations, in tree order, one error for all. */
function validateApp(tree: Tree): void {
  const errors: string[] = [];
  for (const child of tree.nodes) {
    for (const error of child.node.validate()) errors.push(`[${child.node.path}] ${error}`);
  }
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/**
 * Whether {@link synthFolderByChart} can stand for `app.synth()`, whose `synth` before our step's wrapper is
 * `original`: only cdk8s' own `App.prototype.synth` under the `---` marker's wrapper of this package (which the
 * folder writer applies itself), with cdk8s' `charts`, `Yaml.save` and an output type it writes as cdk8s does.
 * Anything else (an overridden `synth` or `charts`, a marker wrapper of another copy of the package) goes through
 * cdk8s' own `synth()`.
 */
function writesFolderItself(root: IConstruct, original: unknown): boolean {
  if (!(root instanceof App) || synthMarkedBy(original) !== App.prototype.synth) return false;
  if (Yaml.save !== CDK8S_YAML_SAVE || !hasOwnChartsGetter(root)) return false;
  return writesOutputType(root.yamlOutputType) && typeof root.outdir === 'string' && typeof root.outputFileExtension === 'string';
}

const CDK8S_YAML_SAVE = Yaml.save;

/**
 * cdk8s' `App.synth()` (lib/app.ts) with our `---` marker (lib/yaml-output.ts): the output folder made, the app
 * validated (once: cdk8s' own `validate` would walk the tree again, around our validation's walk), the dependencies
 * resolved (once: ours, when the validation first walked the tree; cdk8s resolves them again after validating,
 * adding nothing), the charts written; the same files with the same bytes (lib/synth-folder.ts). As in
 * {@link synthYamlByChart}, each chart's objects are turned into YAML when the chart passed validation, and their
 * JSON dropped: cdk8s' path kept the JSON of every object of the app alive until its chart was written.
 */
function synthFolderByChart(app: App, s: SynthStep): void {
  fs.mkdirSync(app.outdir, { recursive: true });
  const tree = treeOf(app);
  validateApp(tree);
  // cdk8s resolves after validating: a dependency without a chart fails there, with its error
  if (s.resolveFailed) resolveDependencies(tree);
  const yaml = s.yaml!;
  const names = s.names;
  const take = (x: ApiObject): string | undefined => {
    const text = yaml.get(x);
    if (text !== undefined) yaml.delete(x);
    return text;
  };
  const overridden = (chart: Chart) => chart.toJson !== Chart.prototype.toJson;
  const documents: FolderDocuments = {
    chartDocuments: (chart) => {
      if (overridden(chart)) return Object.values(chart.toJson()).map((doc) => Yaml.stringify(doc));
      const objects = validationApiObjects(chart);
      const texts = new Array<string>(objects.length);
      // every object's JSON before any YAML, as cdk8s' `chart.toJson()`
      const json = objects.map((x) => (yaml.has(x) ? undefined : x.toJson()));
      for (let i = 0; i < objects.length; i++) texts[i] = take(objects[i]) ?? Yaml.stringify(json[i]);
      return texts;
    },
    chartResources: (chart, resource) => {
      if (overridden(chart)) {
        for (const doc of Object.values(chart.toJson())) {
          if (doc !== undefined) resource(doc.kind, doc.metadata.name, () => Yaml.stringify(doc));
        }
        return;
      }
      const objects = validationApiObjects(chart);
      const json = objects.map((x) => (yaml.has(x) ? undefined : x.toJson()));
      for (let i = 0; i < objects.length; i++) {
        const x = objects[i];
        const text = take(x);
        const doc = json[i];
        if (text !== undefined) {
          const named = names!.get(x)!;
          resource(named.kind, named.name, () => text);
        } else if (doc !== undefined) {
          resource(doc.kind, doc.metadata.name, () => Yaml.stringify(doc));
        }
      }
    },
    chartObjects: (chart) => validationApiObjects(chart),
    objectDocument: (x) => take(x) ?? Yaml.stringify(x.toJson()),
  };
  writeSynthFolder(app, appCharts(app), hasDependantCharts(tree), documents);
}

/**
 * cdk8s' `hasDependantCharts` (`resolveDependencies` in lib/app.ts): a chart has a chart as a child, or a construct
 * depends on a construct of another chart; it picks the `0000-` indexed chart namers. Read from the dependencies as
 * they are now, after the step's resolution (which adds a chart's dependency on the other chart for each such
 * construct dependency, so cdk8s' second resolution finds one whenever the first did).
 */
function hasDependantCharts(tree: Tree): boolean {
  const { nodes, end, isChart } = tree;
  const n = nodes.length;
  for (let i = 0; i < n; i++) {
    if (!isChart[i]) continue;
    for (let j = i + 1; j < end[i]; j = end[j]) if (isChart[j]) return true;
  }
  for (let i = 0; i < n; i++) {
    const deps = depsOf(tree, i);
    if (deps.length === 0) continue;
    const source = chartAt(tree, i);
    for (let k = 0; k < deps.length; k++) {
      const target = deps[k] < 0 ? chartOf(tree, nodes[i].node.dependencies[k]) : chartAt(tree, deps[k]);
      if (target !== source) return true;
    }
  }
  return false;
}

/**
 * A construct tree walked once: its constructs in the order of cdk8s' `node.findAll()` (preorder, children in
 * insertion order), each one's subtree as a range of that list and its closest chart (`Chart.of`). Within one synth
 * step cdk8s itself walks the tree once and reuses the list (`SynthRequestCache.findAll`) for its dependency
 * resolution and validation; ours did the same walk about six more times (the dependencies, the validation loop, the
 * charts, each owner's objects, each chart's graph, the app's graph), and read every construct's dependencies four
 * times. The dependencies are read once, when first needed, which within a step is after they are resolved.
 */
interface Tree {
  readonly nodes: IConstruct[];
  readonly index: Map<IConstruct, number>;
  /** `nodes[i]`'s subtree is `nodes[i]` to `nodes[end[i] - 1]`. */
  readonly end: Int32Array;
  /** The index of `Chart.of(nodes[i])`, -1 where it has none (the app, constructs outside any chart). */
  readonly chart: Int32Array;
  readonly isChart: Uint8Array;
  /** `nodes[i].node.dependencies` as indices (-1: outside this tree), read on first use. */
  readonly deps: Array<readonly number[] | undefined>;
}

const NO_DEPENDENCIES: readonly number[] = [];

function indexTree(root: IConstruct): Tree {
  const nodes: IConstruct[] = [];
  const index = new Map<IConstruct, number>();
  const ends: number[] = [];
  const charts: number[] = [];
  visitTree(root, -1, nodes, index, ends, charts);
  const n = nodes.length;
  const chart = new Int32Array(n);
  const end = new Int32Array(n);
  const isChart = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    chart[i] = charts[i];
    end[i] = ends[i];
    if (charts[i] === i) isChart[i] = 1;
  }
  return { nodes, index, end, chart, isChart, deps: new Array(n) };
}

/** The preorder walk of {@link indexTree}: a function of its own, not a closure made per walk. */
function visitTree(c: IConstruct, closest: number, nodes: IConstruct[], index: Map<IConstruct, number>, ends: number[], charts: number[]): void {
  const i = nodes.length;
  index.set(c, i);
  nodes.push(c);
  ends.push(0);
  const own = Chart.isChart(c) ? i : closest;
  charts.push(own);
  for (const child of c.node.children) visitTree(child, own, nodes, index, ends, charts);
  ends[i] = nodes.length;
}

/** The step's tree of `root` (walked and, for `app.synth()`, its dependencies resolved, once), else a new walk. */
function treeOf(root: IConstruct): Tree {
  if (!step || step.app !== root.node.root) return indexTree(root);
  if (!step.tree) {
    step.tree = indexTree(step.app);
    if (step.resolveOnWalk) {
      try {
        resolveDependencies(step.tree);
      } catch {
        // a dependency outside any chart: cdk8s' own resolution reports it, at its usual point
        step.resolveFailed = true;
      }
    }
  }
  if (root === step.app) return step.tree;
  const i = step.tree.index.get(root);
  return i === undefined ? indexTree(root) : subtree(step.tree, i);
}

/** The tree of `nodes[i]`, as a view of the app's (same lists; indices stay the app's). */
function subtree(tree: Tree, i: number): Tree & { readonly root: number } {
  return Object.assign(Object.create(tree) as Tree, { root: i });
}

const rootOf = (tree: Tree): number => (tree as { root?: number }).root ?? 0;

function depsOf(tree: Tree, i: number): readonly number[] {
  let deps = tree.deps[i];
  if (!deps) {
    deps = dependencyIndices(tree, tree.nodes[i].node.dependencies);
    tree.deps[i] = deps;
  }
  return deps;
}

/** A construct's dependencies as indices of `tree` (-1: outside it). */
function dependencyIndices(tree: Tree, dependencies: readonly IConstruct[]): readonly number[] {
  return dependencies.length === 0 ? NO_DEPENDENCIES : dependencies.map((d) => tree.index.get(d) ?? -1);
}

/** `Chart.of(nodes[i])`, which throws cdk8s' own error where there is none. */
function chartOf(tree: Tree, c: IConstruct): Chart {
  const i = tree.index.get(c);
  const chart = i === undefined ? -1 : tree.chart[i];
  return chart < 0 ? Chart.of(c) : tree.nodes[chart] as Chart;
}

/**
 * cdk8s' `resolveDependencies` (lib/app.ts), the same dependencies added in the same order: a chart depends on the
 * charts nested in it and on the charts its constructs depend on, and every ApiObject of a construct on every
 * ApiObject of the construct it depends on (each in its own chart). A construct's ApiObjects are listed once, not
 * once for every dependency that names it; cdk8s reads every construct's dependencies twice, between which only
 * charts gain some, so the second reading reads the charts'.
 */
function resolveDependencies(tree: Tree): void {
  const { nodes, end, isChart } = tree;
  const n = nodes.length;
  for (let i = 0; i < n; i++) {
    if (!isChart[i]) continue;
    for (let j = i + 1; j < end[i]; j = end[j]) if (isChart[j]) nodes[i].node.addDependency(nodes[j]);
  }
  const first: IConstruct[][] = new Array(n);
  for (let i = 0; i < n; i++) first[i] = nodes[i].node.dependencies;
  for (let i = 0; i < n; i++) {
    const targets = first[i];
    if (targets.length === 0) continue;
    // cdk8s computes the source's chart for each dependency; the first throws (no chart) before any target's
    const sourceChart = chartAt(tree, i);
    for (const target of targets) {
      const targetChart = chartOf(tree, target);
      if (sourceChart !== targetChart) sourceChart.node.addDependency(targetChart);
    }
  }
  // each construct's ApiObjects, listed when first needed: by tree index, and by construct outside the tree
  const lists: Array<ApiObject[] | undefined> = new Array(n);
  const outside = new Map<IConstruct, ApiObject[]>();
  const gained = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    // every construct has a chart here: the loop above asked for the chart of each source and each target
    const targetConstructs = isChart[i] ? nodes[i].node.dependencies : first[i];
    if (targetConstructs.length === 0) continue;
    const sources = lists[i] ??= ownApiObjects(tree, i);
    for (const target of targetConstructs) {
      const k = tree.index.get(target);
      const targets = k === undefined ? apiObjectsOutside(tree, target, outside) : lists[k] ??= ownApiObjects(tree, k);
      for (const t of targets) {
        for (const x of sources) {
          if (t === x) continue;
          x.node.addDependency(t);
          const m = tree.index.get(x);
          if (m !== undefined) gained[m] = 1;
        }
      }
    }
  }
  // The dependencies now, for the graphs: what was read, except where some were added (charts, objects)
  for (let i = 0; i < n; i++) tree.deps[i] = isChart[i] || gained[i] ? undefined : dependencyIndices(tree, first[i]);
}

/** The ApiObjects of `nodes[i]`'s subtree whose closest chart is `nodes[i]`'s (cdk8s' `getApiObjects` of a dependency). */
function ownApiObjects(tree: Tree, i: number): ApiObject[] {
  const { nodes, chart } = tree;
  const own = chart[i];
  if (own < 0) Chart.of(nodes[i]); // throws cdk8s' own error: not in a chart
  const list: ApiObject[] = [];
  for (let j = i; j < tree.end[i]; j++) {
    const x = nodes[j];
    if (chart[j] === own && x instanceof ApiObject) list.push(x);
  }
  return list;
}

/** {@link ownApiObjects} of a construct outside the tree (cdk8s' findAll), remembered in `lists`. */
function apiObjectsOutside(tree: Tree, c: IConstruct, lists: Map<IConstruct, ApiObject[]>): ApiObject[] {
  let list = lists.get(c);
  if (!list) {
    const chart = chartOf(tree, c);
    list = c.node.findAll().filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);
    lists.set(c, list);
  }
  return list;
}

/** `Chart.of(nodes[i])`, which throws cdk8s' own error where there is none. */
function chartAt(tree: Tree, i: number): Chart {
  const chart = tree.chart[i];
  return chart < 0 ? Chart.of(tree.nodes[i]) : tree.nodes[chart] as Chart;
}

function validationApiObjects(chart: Chart): ApiObject[] {
  if (!step) return chartApiObjects(chart);
  let objects = step.topologies.get(chart);
  if (!objects) {
    objects = chartApiObjects(chart);
    step.topologies.set(chart, objects);
  }
  return objects;
}

/**
 * The chart's ApiObjects in the order cdk8s writes them: `new DependencyGraph(chart.node).topology()`, those whose
 * closest chart is this one. The same graph (the chart's constructs, edges to those in it, in the order of their
 * dependencies) and the same depth-first walk from the constructs nothing depends on, in tree order, so the same
 * order; without the graph's cycle check on every edge and its vertices keyed by path. A graph with a cycle is given
 * to cdk8s, which reports it as it always has.
 *
 * @internal exported for its tests
 */
export function chartApiObjects(chart: Chart): ApiObject[] {
  const tree = treeOf(chart);
  const root = rootOf(tree);
  const order = topology(tree, (i) => tree.chart[i] === root && tree.nodes[i] instanceof ApiObject) as ApiObject[] | undefined;
  if (!order) {
    return new DependencyGraph(chart.node).topology()
      .filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);
  }
  return order;
}

/**
 * `app.charts`: the app's charts in the order cdk8s writes them (`new DependencyGraph(app.node).topology()`, the
 * charts), computed as {@link chartApiObjects} computes a chart's objects.
 *
 * @internal exported for its tests
 */
export function appCharts(app: App, cdk8sCharts: () => Chart[] = () => app.charts): Chart[] {
  if (step?.app === app && step.charts) return step.charts;
  const tree = treeOf(app);
  const charts = (topology(tree, (i) => tree.isChart[i] === 1) as Chart[] | undefined) ?? cdk8sCharts();
  if (step?.app === app) step.charts = charts;
  return charts;
}

/**
 * Within `app.synth()`, makes `app.charts` (which cdk8s' `synth()` reads to write the charts) {@link appCharts}: the
 * same list, from the step's tree, without a `DependencyGraph` of the whole app keyed by path. Only where `charts` is
 * cdk8s' own getter.
 */
function chartsFromStep(app: IConstruct): () => void {
  if (!hasOwnChartsGetter(app)) return () => undefined;
  const own = Object.getOwnPropertyDescriptor(App.prototype, 'charts')!;
  const cdk8sCharts = () => own.get!.call(app) as Chart[]; // a cycle: cdk8s reports it
  Object.defineProperty(app, 'charts', { configurable: true, get: () => appCharts(app as App, cdk8sCharts) });
  return () => {
    delete (app as { charts?: unknown }).charts;
  };
}

/** Whether `app.charts` is cdk8s' own getter (not a subclass' or the instance's). */
function hasOwnChartsGetter(app: IConstruct): boolean {
  const own = Object.getOwnPropertyDescriptor(App.prototype, 'charts');
  let proto: object | null = app;
  let found: PropertyDescriptor | undefined;
  while (proto && !found) {
    found = Object.getOwnPropertyDescriptor(proto, 'charts');
    proto = Object.getPrototypeOf(proto);
  }
  return !!own?.get && found?.get === own.get;
}

/**
 * The constructs of `tree` (from its root) that `keep` accepts, in the order of
 * `new DependencyGraph(root.node).topology()`, or undefined when the graph has a cycle.
 */
function topology(tree: Tree, keep: (i: number) => boolean): IConstruct[] | undefined {
  const { nodes } = tree;
  const start = rootOf(tree);
  const stop = tree.end[start];
  const size = stop - start;
  // local indices: node start + k is k
  const edges: number[][] = new Array(size);
  const hasParent = new Uint8Array(size);
  for (let k = 0; k < size; k++) {
    let out: number[] | undefined;
    for (const dep of depsOf(tree, start + k)) {
      if (dep < start || dep >= stop) continue; // outside the graph's tree: cdk8s leaves these edges out too
      const j = dep - start;
      out ??= [];
      if (!out.includes(j)) out.push(j); // a Set of children in cdk8s: first addition's place
      hasParent[j] = 1;
    }
    edges[k] = out ?? (NO_DEPENDENCIES as number[]);
  }
  // 0: unvisited, 1: on the path (a cycle if reached again), 2: written
  const state = new Uint8Array(size);
  const result: IConstruct[] = [];
  let cycle = false;
  let written = 0;
  const visit = (k: number) => {
    state[k] = 1;
    for (const j of edges[k]) {
      if (state[j] === 1) cycle = true;
      else if (state[j] === 0) visit(j);
      if (cycle) return;
    }
    state[k] = 2;
    written++;
    if (keep(start + k)) result.push(nodes[start + k]);
  };
  for (const k of rootsInGraphOrder(nodes, start, hasParent)) {
    visit(k);
    if (cycle) return undefined;
  }
  // a cycle with no root at all (every construct is depended on) is never reached from a root
  if (written !== size) return undefined;
  return result;
}

/**
 * The constructs nothing depends on (local indices from `start`), in the order DependencyGraph adopts them:
 * `Object.values()` of its vertices keyed by path, which is tree order except that keys that are array indices (a
 * top-level chart named `0`, `12`) come first, in numeric order. Only the root and its children can have such a path
 * (the others contain a `/`).
 */
function rootsInGraphOrder(nodes: IConstruct[], start: number, hasParent: Uint8Array): number[] {
  const indexKeyed: Array<[number, number]> = [];
  const rest: number[] = [];
  for (let k = 0; k < hasParent.length; k++) {
    if (hasParent[k]) continue;
    const c = nodes[start + k];
    const shallow = k === 0 || c.node.scope === nodes[start];
    const key = shallow ? arrayIndex(c.node.path) : undefined;
    if (key === undefined) rest.push(k);
    else indexKeyed.push([key, k]);
  }
  if (indexKeyed.length === 0) return rest;
  return [...indexKeyed.sort((a, b) => a[0] - b[0]).map(([, k]) => k), ...rest];
}

/** The number when `key` is an array index (a property key that objects keep first, in numeric order). */
function arrayIndex(key: string): number | undefined {
  if (!/^(?:0|[1-9][0-9]*)$/.test(key)) return undefined;
  const n = Number(key);
  return n < 4294967295 ? n : undefined;
}

/**
 * JSON of our objects computed for validation, handed to cdk8s' serialization, which asks for the same JSON right
 * after (validation and serialization are one synchronous step of `App.synth()` and `Chart.toJson()`): serializing
 * twice was a quarter of the synth time. Each entry is used once and all are dropped at the end of the step, so a
 * later change to an object is always serialized afresh.
 */
let serialized = new WeakMap<ApiObject, unknown>();
const REUSES_VALIDATION_JSON = new WeakSet<ApiObject>();
const WRAPPERS = new WeakSet<Function>();
const isWrapper = (fn: unknown) => typeof fn === 'function' && WRAPPERS.has(fn);

function reuseValidationJson(obj: ApiObject): void {
  if (REUSES_VALIDATION_JSON.has(obj)) return;
  REUSES_VALIDATION_JSON.add(obj);
  const serialize = Object.getPrototypeOf(obj).toJson as () => any;
  obj.toJson = function (this: ApiObject) {
    if (serialized.has(this)) {
      const json = serialized.get(this);
      serialized.delete(this);
      return json;
    }
    return serialize.call(this);
  };
  WRAPPERS.add(obj.toJson);
}

/**
 * Drops the JSON kept for serialization once the synchronous synth is over. A function of its own: a closure created
 * in {@link validateChart} would keep the chart's JSON (its scope) alive until the microtask runs, after the synth.
 */
function dropSerializedLater(): void {
  queueMicrotask(() => { serialized = new WeakMap(); });
}

function validateChart(chart: Chart, owners: Owner[]): string[] {
  const ownerOf = new Map<ApiObject, Owner>();
  const tree = treeOf(chart);
  for (const owner of owners) {
    const i = tree.index.get(owner.construct);
    if (i === undefined) {
      for (const c of owner.construct.node.findAll()) if (c instanceof ApiObject) ownerOf.set(c, owner);
      continue;
    }
    for (let j = i; j < tree.end[i]; j++) {
      const c = tree.nodes[j];
      if (c instanceof ApiObject) ownerOf.set(c, owner);
    }
  }
  const yaml = step?.yaml;
  const apiObjects = validationApiObjects(chart);
  const owned = apiObjects.map((x) => ownerOf.has(x));
  const objects = apiObjects.map((x, i) => {
    if (!owned[i]) return x.toJson();
    // Our objects are rendered in one pass (renderOwned: the same bytes as their toJson, tested on every example).
    const json = renderOwned(x, isWrapper, yaml !== undefined);
    if (!yaml) {
      reuseValidationJson(x);
      serialized.set(x, json);
    }
    return json;
  });
  dropSerializedLater();
  const findings = validateObjects(objects, { missingReference: 'error' });
  let errors = findings.filter((f) => f.severity === 'error');
  // Findings name objects by kind, namespace and name (worked out only when there are errors to report).
  const byKey = errors.length === 0 ? new Map<string, Owner>()
    : new Map([...ownerOf].map(([c, owner]) => [keyOf(c.kind, c.metadata.namespace, c.name), owner]));
  const external = (f: Finding) => EXTERNAL_REFERENCE_RULES.has(f.rule)
    && (f.object ? byKey.get(keyOf(f.object.kind, f.object.namespace, f.object.name))?.allowsExternalReferences : false);
  errors = errors.filter((f) => !external(f));
  if (errors.length === 0) {
    // written now, while the JSON is at hand (the same Yaml.stringify the output is written with)
    if (yaml) {
      const names = step?.names;
      for (let i = 0; i < apiObjects.length; i++) {
        if (!owned[i]) continue;
        const json = objects[i];
        if (names) {
          // a document without metadata is left to the writer, which fails on it as cdk8s does
          if (typeof json?.metadata !== 'object' || json.metadata === null) continue;
          names.set(apiObjects[i], { kind: json.kind, name: json.metadata.name });
        }
        yaml.set(apiObjects[i], Yaml.stringify(json));
      }
    }
    return [];
  }
  serialized = new WeakMap(); // synth stops here: nothing will consume the JSON

  return errors.map((f) => describe(f, byKey, chart));
}

function describe(f: Finding, ownerOf: Map<string, Owner>, chart: IConstruct): string {
  const owner = f.object ? ownerOf.get(keyOf(f.object.kind, f.object.namespace, f.object.name)) : undefined;
  const who = owner ? `${owner.typeName} '${owner.construct.node.path}'` : `Chart '${chart.node.path}'`;
  return `${who}: ${describeObject(f.object)}: ${f.path}: ${f.message} [${f.rule}]`;
}

function keyOf(kind: string | undefined, namespace: string | undefined, name: string | undefined): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}
