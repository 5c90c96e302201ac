import { ApiObject, Chart, DependencyGraph } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { describeObject, Finding, validateObjects } from './rules';
import { validateObjectsIndexed } from './rules/objects';

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
    chart.node.addValidation({ validate: () => validateChart(chart, list) });
    owners = list;
  }
  owners.push({ construct, typeName, allowsExternalReferences });
  const root = chart.node.root;
  if (root !== chart && !APPS.has(root)) {
    APPS.add(root);
    root.node.addValidation({ validate: () => validateAcrossCharts(root) });
  }
}

/**
 * The app's charts are written to one folder and applied together (`kubectl apply -f dist/`), so an object defined in
 * two charts is one object written twice: `lint dist/` reports it as `duplicate-object`, and so does synth. Each
 * chart's own validation sees only its chart; this sees the objects that share kind, namespace and name across charts
 * (read without serializing, so the cost is one pass over the objects' names) and asks the engine about those only.
 */
function validateAcrossCharts(root: IConstruct): string[] {
  const charts = root.node.findAll().filter((c): c is Chart => Chart.isChart(c) && c !== root);
  if (charts.length < 2) return [];
  const byKey = new Map<string, { chart: Chart; obj: ApiObject }[]>();
  for (const chart of charts) {
    for (const obj of chartApiObjects(chart)) {
      const key = keyOf(obj.kind, obj.metadata.namespace, obj.name);
      const list = byKey.get(key) ?? [];
      list.push({ chart, obj });
      byKey.set(key, list);
    }
  }
  const errors: string[] = [];
  for (const list of byKey.values()) {
    if (new Set(list.map((x) => x.chart)).size < 2) continue; // within one chart: the chart's own validation reports it
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
  for (const owner of OWNERS.get(chart) ?? []) {
    if (owner.construct.node.findAll().includes(obj)) return `${owner.typeName} '${owner.construct.node.path}'`;
  }
  return `Chart '${chart.node.path}'`;
}

function chartApiObjects(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node).topology()
    .filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);
}

/**
 * JSON of our objects computed for validation, handed to cdk8s' serialization, which asks for the same JSON right
 * after (validation and serialization are one synchronous step of `App.synth()` and `Chart.toJson()`): serializing
 * twice was a quarter of the synth time. Each entry is used once and all are dropped at the end of the step, so a
 * later change to an object is always serialized afresh.
 */
let serialized = new WeakMap<ApiObject, unknown>();
const REUSES_VALIDATION_JSON = new WeakSet<ApiObject>();

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
}

function validateChart(chart: Chart, owners: Owner[]): string[] {
  const ownerOf = new Map<ApiObject, Owner>();
  for (const owner of owners) {
    for (const c of owner.construct.node.findAll()) if (c instanceof ApiObject) ownerOf.set(c, owner);
  }
  const objects = chartApiObjects(chart).map((x) => {
    const json = x.toJson();
    if (ownerOf.has(x)) {
      reuseValidationJson(x);
      serialized.set(x, json);
    }
    return json;
  });
  queueMicrotask(() => { serialized = new WeakMap(); });
  const findings = validateObjects(objects, { missingReference: 'error' });
  // Findings name objects by kind, namespace and name.
  const byKey = new Map([...ownerOf].map(([c, owner]) => [keyOf(c.kind, c.metadata.namespace, c.name), owner]));
  const external = (f: Finding) => EXTERNAL_REFERENCE_RULES.has(f.rule)
    && (f.object ? byKey.get(keyOf(f.object.kind, f.object.namespace, f.object.name))?.allowsExternalReferences : false);
  const errors = findings.filter((f) => f.severity === 'error' && !external(f));
  if (errors.length === 0) return [];
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
