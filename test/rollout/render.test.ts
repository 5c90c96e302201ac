import * as fs from 'fs';
import * as path from 'path';
import * as cdk8s from 'cdk8s';
import { ApiObject, App, Chart, Duration, JsonPatch, Lazy, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import * as ts from 'typescript';
import { EXAMPLES } from '../../examples';
import * as lib from '../../lib';
import {
  BlueGreenNginxRollout, CanaryNginxRollout, CanaryStep, Rollout, RolloutStep, RolloutStrategy, TrafficRouter,
} from '../../lib';
import { useDirectEmitter } from '../../lib/gitops/yaml';
import { K8S } from '../../lib/rollout/kube-conversions';
import { renderApiObject, renderOwned, renderRoute, Shapes } from '../../lib/rollout/render';
import * as objectsModule from '../../lib/rules/objects';
import { buildSeedApp } from '../../main';
import { validBlueGreen, validCanary } from '../support/preset-props';

/** Every ApiObject of the app, each rendered by cdk8s (its own toJson) and by the fast path, as the bytes written. */
function bothPaths(app: App): Array<{ path: string; slow: string; fast: string }> {
  const objects = app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
  return objects.map((o) => ({
    path: o.node.path,
    // JSON.stringify keeps key order, Yaml.stringify is what cdk8s writes: both must match
    slow: JSON.stringify(o.toJson()) + Yaml.stringify(o.toJson()),
    fast: JSON.stringify(renderOwned(o)) + Yaml.stringify(renderOwned(o)),
  }));
}

function expectSameBytes(app: App): number {
  const rendered = bothPaths(app);
  expect(rendered.length).toBeGreaterThan(0);
  for (const r of rendered) expect({ path: r.path, json: r.fast }).toEqual({ path: r.path, json: r.slow });
  return rendered.length;
}

describe('renderOwned: the same bytes as cdk8s', () => {
  /** app.synthYaml() (fast render, rules once, direct YAML emitter) against cdk8s' own chart.toJson() and yaml. */
  function expectSameSynthYaml(app: App): void {
    const fast = app.synthYaml();
    const slow = app.charts.map((c) => c.toJson().map((o) => Yaml.stringify(o)).join('---\n')).join('---\n');
    expect(fast).toBe(slow);
    expect(fast).toBe(Yaml.stringify(...app.charts.flatMap((c) => c.toJson())));
  }

  test.each(Object.keys(EXAMPLES))('example %s', (name) => {
    const app = Testing.app();
    EXAMPLES[name](app);
    expectSameBytes(app);
    expectSameSynthYaml(app);
  });

  test('the seed app', () => {
    const app = buildSeedApp(Testing.app());
    expect(expectSameBytes(app)).toBeGreaterThanOrEqual(6);
    expectSameSynthYaml(app);
  });

  test('cdk8s\' Yaml.stringify is back in place after a synth, also one that fails', () => {
    const original = Yaml.stringify;
    const app = buildSeedApp(Testing.app());
    app.synthYaml();
    expect(Yaml.stringify).toBe(original);
    new kplus.k8s.KubeConfigMap(app.charts[0], 'dup', { metadata: { name: app.charts[0].toJson()[0].metadata.name } });
    expect(() => app.synthYaml()).toThrow(/duplicate-object/);
    expect(Yaml.stringify).toBe(original);
  });

  test('the fast path is taken for the library\'s generated L1 classes (not a fallback to toJson)', () => {
    const all = Testing.app();
    for (const example of Object.values(EXAMPLES)) example(all);
    const kinds = new Set(all.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => `${o.kind} ${renderRoute(o).via}`));
    const expected = ['Rollout', 'Service', 'ConfigMap', 'AnalysisTemplate', 'Ingress', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceAccount'];
    expect(kinds).toEqual(new Set(expected.map((k) => `${k} walk`)));
    const app = buildSeedApp(Testing.app());
    const objects = app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    const calls: string[] = [];
    for (const o of objects) {
      const original = o.toJson.bind(o);
      o.toJson = () => {
        calls.push(o.kind);
        return original();
      };
    }
    // an own toJson on the object is respected: every object falls back to it
    for (const o of objects) renderOwned(o);
    expect(calls.length).toBe(objects.length);
    calls.length = 0;
    for (const o of objects) delete (o as any).toJson;
    // one walk with the table of the class' toJson_*: neither the class' toJson nor cdk8s' resolve
    expect(new Set(objects.map((o) => renderRoute(o).via))).toEqual(new Set(['walk']));
    const cdk8sToJson = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      for (const o of objects) renderOwned(o);
      expect(cdk8sToJson).not.toHaveBeenCalled();
    } finally {
      cdk8sToJson.mockRestore();
    }
    expect(calls).toEqual([]);
  });

  /** Each README example that builds our constructs (as test/readme-examples.test.ts runs them), without synth. */
  test('the README examples', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```$/gm)].map((m) => m[1])
      .filter((code) => /\bnew (Rollout|CanaryNginxRollout|BlueGreenNginxRollout|NginxAnalysisTemplate)\b/.test(code));
    expect(blocks.length).toBeGreaterThanOrEqual(7);
    for (const code of blocks) {
      const apps: App[] = [];
      class RecordedApp extends cdk8s.App {
        public constructor(props: cdk8s.AppProps = {}) {
          super({ ...props, outdir: '/nonexistent' });
          apps.push(this);
        }
      }
      const modules: Record<string, unknown> = {
        'cdk8s': { ...cdk8s, App: RecordedApp }, 'cdk8s-plus-27': kplus, 'cdk8s-plus-33': require('cdk8s-plus-33'), 'cdk8s-nginx-rollouts': lib,
      };
      const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
      const declares = (id: string) => new RegExp(`\\b(const|let|var|class|function)\\s+${id}\\b|\\bimport\\s+\\*\\s+as\\s+${id}\\b`).test(code);
      const globals: Record<string, unknown> = { ...cdk8s, App: RecordedApp, kplus, ...lib };
      if (!declares('app')) globals.app = new RecordedApp();
      if (!declares('chart')) globals.chart = new Chart(globals.app as App, 'readme', { disableResourceNameHashes: true });
      const names = Object.keys(globals).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && !declares(n));
      new Function('require', 'exports', ...names, js)((m: string) => modules[m], {}, ...names.map((n) => globals[n]));
      expect(apps.length).toBeGreaterThan(0);
      for (const app of apps) expectSameBytes(app);
    }
  });

  const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}[a-z0-9]$/);
  const label = fc.dictionary(fc.stringMatching(/^[a-z]([a-z0-9.-]{0,8}[a-z0-9])?$/),
    fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,10}[A-Za-z0-9])?$/), { maxKeys: 3 });
  const step = fc.oneof(
    fc.integer({ min: 0, max: 100 }).map((w) => RolloutStep.weight(w)),
    fc.integer({ min: 1, max: 3600 }).map((s) => RolloutStep.pause(Duration.seconds(s))),
    fc.constant(RolloutStep.pauseUntilPromoted()),
  );
  const rolloutProps = fc.record({
    replicas: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
    revisionHistoryLimit: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
    labels: label,
    env: fc.dictionary(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,8}$/), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
    port: fc.integer({ min: 1, max: 65535 }),
    cpu: fc.option(fc.integer({ min: 10, max: 4000 }), { nil: undefined }),
    steps: fc.array(step, { maxLength: 5 }),
    blueGreen: fc.boolean(),
    nginx: fc.boolean(),
  });

  test('property: a general Rollout with random props', () => {
    fc.assert(fc.property(name, rolloutProps, (id, p) => {
      const app = Testing.app();
      const chart = new Chart(app, 'c', { namespace: 'ns', labels: p.labels });
      const strategy = p.blueGreen ? RolloutStrategy.blueGreen()
        : RolloutStrategy.canary({ steps: p.steps, routers: p.nginx ? [TrafficRouter.nginx()] : undefined });
      const r = new Rollout(chart, id, {
        metadata: { name: id },
        replicas: p.replicas,
        revisionHistoryLimit: p.revisionHistoryLimit,
        strategy,
        containers: [{
          image: 'nginx:1.27.3',
          portNumber: p.port,
          envVariables: Object.fromEntries(Object.entries(p.env).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
          resources: p.cpu === undefined ? undefined : { cpu: { request: kplus.Cpu.millis(p.cpu) } },
        }],
      });
      r.exposeViaService({ name: `${id}-all` });
      expectSameBytes(app);
      expectSameSynthYaml(app);
    }), { numRuns: 60 });
  });

  test('property: the nginx presets with random props', () => {
    fc.assert(fc.property(name, fc.integer({ min: 0, max: 10 }), fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 4 }), fc.boolean(),
      (id, replicas, weights, blueGreen) => {
        const app = Testing.app();
        const chart = new Chart(app, 'c');
        if (blueGreen) new BlueGreenNginxRollout(chart, id, { name: id, replicas, image: 'nginx:1.27.3' });
        else new CanaryNginxRollout(chart, id, { name: id, replicas, image: 'nginx:1.27.3', steps: weights.map((w) => CanaryStep.setWeight(w)) });
        expectSameBytes(app);
        expectSameSynthYaml(app);
      }), { numRuns: 40 });
  });

  test('property: the presets with the valid props of test/support/preset-props.ts', () => {
    fc.assert(fc.property(validCanary, validBlueGreen, (c, b) => {
      const app = Testing.app();
      const chart = new Chart(app, 'c', { namespace: 'ns' });
      new CanaryNginxRollout(chart, 'canary', c);
      new BlueGreenNginxRollout(chart, 'bluegreen', { ...b, name: `${b.name}-bg` });
      expectSameBytes(app);
    }), { numRuns: 40 });
  });
});

describe('renderOwned of a generated L1 class: what the walk cannot prove is rendered by cdk8s', () => {
  function configMap(props: Record<string, any>, app = Testing.app()): ApiObject {
    return new kplus.k8s.KubeConfigMap(new Chart(app, 'c'), 'o', props as any);
  }
  const bytes = (json: any) => JSON.stringify(json) + Yaml.stringify(json);
  /** The same bytes as toJson(), and whether cdk8s' own path (ApiObject.prototype.toJson) was taken. */
  function render(o: ApiObject): boolean {
    const spy = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      const fast = renderOwned(o);
      const fellBack = spy.mock.calls.length > 0;
      spy.mockRestore();
      expect(bytes(fast)).toBe(bytes(o.toJson()));
      return fellBack;
    } finally {
      spy.mockRestore();
    }
  }
  const error = (f: () => unknown) => { try { f(); } catch (e) { return String(e); } return 'no error'; };

  test('custom resolvers: the class\' toJson, so they are called', () => {
    const seen: string[] = [];
    const app = new App({ resolvers: [{ resolve: (ctx) => { if (ctx.value === 'secret') { seen.push(ctx.key.join('.')); ctx.replaceValue('***'); } } }] });
    const o = configMap({ data: { a: 'secret' } }, app);
    expect(render(o)).toBe(true);
    expect(renderOwned(o).data).toEqual({ a: '***' });
    expect(seen).toContain('data.a');
  });

  test('a subclass, or a toJson replaced on the object, renders by its own toJson', () => {
    class Mine extends kplus.k8s.KubeConfigMap {
      public toJson(): any { return { ...super.toJson(), mine: true }; }
    }
    const sub = new Mine(new Chart(Testing.app(), 'c'), 'o', {});
    expect(renderRoute(sub).via).toBe('toJson');
    expect(renderOwned(sub).mine).toBe(true);
    const o = configMap({});
    o.toJson = () => ({ replaced: true });
    expect(renderRoute(o).via).toBe('toJson');
    expect(renderOwned(o)).toEqual({ replaced: true });
  });

  test('the first render checks the source text of the classes it renders only, not of every generated class', () => {
    // A fresh render module and cdk8s-plus-27, so that this is the first render: a class nobody renders counts the
    // reads of its toJson's text (isGeneratedToJson reads it with fn.toString()).
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-var-requires */
      const freshKplus = require('cdk8s-plus-27') as typeof kplus;
      const freshCdk8s = require('cdk8s') as typeof cdk8s;
      const fresh = require('../../lib/rollout/render') as typeof import('../../lib/rollout/render');
      /* eslint-enable @typescript-eslint/no-var-requires */
      const unrendered = freshKplus.k8s.KubeNamespace.prototype.toJson;
      let reads = 0;
      const text = Function.prototype.toString.call(unrendered);
      Object.defineProperty(unrendered, 'toString', { value: () => { reads++; return text; }, configurable: true });
      try {
        const o = new freshKplus.k8s.KubeConfigMap(new freshCdk8s.Chart(freshCdk8s.Testing.app(), 'c'), 'm', { data: { a: 'b' } });
        expect(fresh.renderRoute(o).via).toBe('walk');
        expect(fresh.renderOwned(o)).toEqual(o.toJson());
        expect(reads).toBe(0);
        // the class itself, when it is rendered, is checked as before
        const ns = new freshKplus.k8s.KubeNamespace(new freshCdk8s.Chart(freshCdk8s.Testing.app(), 'c'), 'n', {});
        expect(fresh.renderRoute(ns).via).toBe('walk');
        expect(reads).toBe(1);
      } finally {
        delete (unrendered as any).toString;
      }
    });
  });

  test('a table that does not match the loaded cdk8s-plus-27 (another version) is not used', () => {
    expect(new Shapes(kplus.k8s, K8S).proven('KubeServiceProps')).toBeDefined();
    // ServicePort is reached from KubeServiceProps: a changed function anywhere below unproves the whole type
    const other = { ...K8S, table: K8S.table.replace(/^ServicePort@\d+ /m, 'ServicePort@1 ') };
    expect(other.table).not.toBe(K8S.table);
    expect(new Shapes(kplus.k8s, other).proven('KubeServiceProps')).toBeUndefined();
    expect(new Shapes(kplus.k8s, other).proven('KubeConfigMapProps')).toBeDefined();
  });

  test('values that are not of their field\'s type: toJson_* of what cdk8s resolved, not a guess', () => {
    // a string where a map is due: toJson_* writes its characters
    expect(render(configMap({ data: 'str' }))).toBe(true);
    // a list where an object is due, an object where a list is due, a number where an IntOrString is due
    const port = { port: 80, targetPort: 8080 };
    expect(render(new kplus.k8s.KubeService(new Chart(Testing.app(), 'c'), 's', { spec: { ports: [port], selector: ['a'] } as any }))).toBe(true);
    const notAList = new kplus.k8s.KubeService(new Chart(Testing.app(), 'c'), 's', { spec: { ports: port } as any });
    expect(error(() => renderOwned(notAList))).toBe(error(() => notAList.toJson()));
    expect(error(() => notAList.toJson())).toMatch(/map is not a function/);
    expect(render(new kplus.k8s.KubeService(new Chart(Testing.app(), 'c'), 's', { spec: { ports: [port] } as any }))).toBe(false);
  });

  test('a Date (never rendered by cdk8s): the same error', () => {
    const o = new kplus.k8s.KubeEvent(new Chart(Testing.app(), 'c'), 'e', { metadata: {}, involvedObject: {}, eventTime: new Date(0) } as any);
    expect(error(() => renderOwned(o))).toBe(error(() => o.toJson()));
    expect(error(() => o.toJson())).toMatch(/non-simple object of type 'Date'/);
  });

  test('JSON patches: a remove translated to the JSON keys, below a field written as it is, or cdk8s\' path', () => {
    const service = (...patches: JsonPatch[]) => {
      const o = new kplus.k8s.KubeService(new Chart(Testing.app(), 'c'), 's', {
        metadata: { labels: { a: '1', b: '2' } },
        spec: { clusterIp: 'None', externalIPs: [], ports: [{ port: 80, targetPort: kplus.k8s.IntOrString.fromNumber(8080) }] },
      });
      o.addJsonPatch(...patches);
      return o;
    };
    // clusterIp is written as clusterIP: the patch names the prop, the walk removes the key
    expect(render(service(JsonPatch.remove('/spec/clusterIp'), JsonPatch.remove('/spec/externalIPs')))).toBe(false);
    expect(renderOwned(service(JsonPatch.remove('/spec/clusterIp'))).spec).toEqual({ ports: [{ port: 80, targetPort: 8080 }], externalIPs: [] });
    // a key absent from the props: nothing to remove, on both paths
    expect(render(service(JsonPatch.remove('/spec/type')))).toBe(false);
    // below a map: the rest of the path as it is
    expect(render(service(JsonPatch.remove('/metadata/labels/a')))).toBe(false);
    expect(renderOwned(service(JsonPatch.remove('/metadata/labels/a'))).metadata.labels).toEqual({ b: '2' });
    // into a list of objects, another op, a key that no toJson_* writes: cdk8s' path
    expect(render(service(JsonPatch.remove('/spec/ports/0/targetPort')))).toBe(true);
    expect(render(service(JsonPatch.add('/spec/type', 'ClusterIP')))).toBe(true);
    expect(render(service(JsonPatch.remove('/kind')))).toBe(true);
    // a missing parent: cdk8s' error
    const missing = service(JsonPatch.remove('/spec/sessionAffinityConfig/clientIp'));
    expect(error(() => renderOwned(missing))).toBe(error(() => missing.toJson()));
    expect(error(() => missing.toJson())).not.toBe('no error');
  });

  test('a token below a field: that field by the walk (Lazy calls once each, in cdk8s\' order), the rest by render-fast', () => {
    const produced: string[] = [];
    const lazy = (name: string, value: unknown) => Lazy.any({ produce: () => { produced.push(name); return value; } });
    // keys in an order unlike the table's (ports before clusterIP, name after port), tokens at several depths
    const service = new kplus.k8s.KubeService(new Chart(Testing.app(), 'c'), 's', {
      spec: {
        ports: [{ port: 80, name: lazy('name', 'http'), targetPort: kplus.k8s.IntOrString.fromString('http') }, { port: 81 }],
        selector: { b: lazy('selector', 'x'), a: '1' },
        clusterIp: lazy('clusterIp', 'None'),
        sessionAffinityConfig: { clientIp: { timeoutSeconds: 10 } },
      } as any,
    });
    expect(render(service)).toBe(false);
    const json = renderOwned(service);
    expect(json.spec).toEqual({
      clusterIP: 'None', ports: [{ name: 'http', port: 80, targetPort: 'http' }, { port: 81 }], selector: { a: '1', b: 'x' },
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10 } },
    });
    // render() rendered it twice (renderOwned, toJson), renderOwned once more: the same calls in the same order each time
    expect(produced).toEqual(Array(3).fill(['name', 'selector', 'clusterIp']).flat());
    // a resolve() method, a plain { value } and a bare number where an IntOrString is due, holes in lists
    const ports: any[] = [{ resolve: () => ({ port: 1 }) }, { port: 2, targetPort: { value: 8080 } }, { port: 3, targetPort: 8080 }];
    ports.length = 5;
    expect(render(new kplus.k8s.KubeService(new Chart(Testing.app(), 'c'), 's', { spec: { ports, externalIPs: ['a', , 'b'] } as any }))).toBe(false);
    // a value no toJson_* writes but cdk8s resolves (its Lazy is called), and a token in a map of structs' values
    const extra = lazy('extra', 'x');
    produced.length = 0;
    expect(render(configMap({ data: { a: '1' }, extra }))).toBe(false);
    expect(produced).toEqual(['extra', 'extra']);
  });

  test('render-fast refusing a value (an own constructor key, a null prototype) leaves it to the walk and cdk8s', () => {
    const o = (x: unknown) => new kplus.k8s.KubeService(new Chart(Testing.app(), 'c'), 's', { spec: { ports: [x] } as any });
    const error = (f: () => unknown) => { try { return JSON.stringify(f()); } catch (e) { return String(e); } };
    for (const x of [{ port: 1, constructor: 0 }, Object.assign(Object.create(null), { port: 1 }), { port: 1, appProtocol: () => 'f' }]) {
      expect(error(() => renderOwned(o(x)))).toBe(error(() => o(x).toJson()));
    }
  });

  test('a __proto__ key in a map: cdk8s\' path', () => {
    expect(render(configMap({ data: JSON.parse('{"__proto__": "x", "a": "2"}') }))).toBe(true);
  });

  test('CDK8S_DISABLE_SORT: maps in their order, fields in toJson_*\'s', () => {
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      const o = configMap({ data: { b: '1', a: '2' }, immutable: true, binaryData: { z: 'eg==' } });
      expect(render(o)).toBe(false);
      expect(Object.keys(renderOwned(o))).toEqual(['apiVersion', 'kind', 'metadata', 'binaryData', 'data', 'immutable']);
      expect(Object.keys(renderOwned(o).data)).toEqual(['b', 'a']);
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
  });

  test('metadata: resolved as cdk8s\' ApiObjectMetadataDefinition.toJson does (empty arrays and objects dropped, keys sorted)', () => {
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      const o = configMap({
        metadata: {
          labels: { z: '1', a: Lazy.any({ produce: () => 'lazy' }) },
          annotations: {},
          finalizers: [],
          extra: { b: [], a: {}, c: { d: [] }, e: [[]] },
          ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: '1' }],
        },
      });
      expect(render(o)).toBe(false);
      expect(renderOwned(o).metadata).toEqual({
        labels: { a: 'lazy', z: '1' }, name: expect.any(String), ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: '1' }],
      });
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
    // metadata whose toJson is replaced: it is called
    const o = configMap({});
    (o.metadata as any).toJson = () => ({ name: 'mine' });
    expect(render(o)).toBe(false);
    expect(renderOwned(o).metadata).toEqual({ name: 'mine' });
  });
});

describe('renderOwned without copies: plans per key list, props read in place, copies instead of deletes', () => {
  const bytes = (json: any) => JSON.stringify(json) + Yaml.stringify(json);
  const service = (spec: Record<string, any>, metadata?: Record<string, any>) =>
    new kplus.k8s.KubeService(new Chart(Testing.app(), 'c'), 's', { metadata, spec } as any);
  /** The shape renderOwned used for the Service's ports (`spec.ports[]`), once it has rendered one. */
  function portShape(o: ApiObject): any {
    const route = renderRoute(o) as any;
    const spec = route.generated.shape.fields[route.generated.shape.index.get('spec')].shape;
    return spec.fields[spec.index.get('ports')].shape;
  }
  const permutations = (xs: string[]): string[][] =>
    xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));

  test('structs of one type built in 24 key orders: the same bytes, in toJson_*\'s order; a bounded set of plans, reused', () => {
    const port = (order: string[]) => Object.fromEntries(order.map((k) => [k, ({
      port: 80, name: 'http', protocol: 'TCP', targetPort: kplus.k8s.IntOrString.fromNumber(8080),
    } as any)[k]]));
    const orders = permutations(['port', 'name', 'targetPort', 'protocol']);
    const all = service({ ports: orders.map(port), selector: { b: '1', a: '2' } });
    expect(bytes(renderOwned(all))).toBe(bytes(all.toJson()));
    for (const order of orders) {
      const o = service({ ports: [port(order), { port: 81 }] });
      expect(bytes(renderOwned(o))).toBe(bytes(o.toJson()));
      expect(Object.keys(renderOwned(o).spec.ports[0])).toEqual(['name', 'port', 'protocol', 'targetPort']);
    }
    const plans: any[] = portShape(all).plans;
    expect(plans.length).toBeGreaterThan(0);
    expect(plans.length).toBeLessThanOrEqual(8);
    // a key list it has a plan for: no new plan
    const known = plans[0].keys;
    const before = [...plans];
    renderOwned(service({ ports: [port(known)] }));
    expect(portShape(all).plans).toEqual(before);
    expect(portShape(all).plans.filter((p: any) => p.keys === known)).toHaveLength(1);
  });

  test('maps and plain values: keys sorted as cdk8s sorts them, whether they come sorted or not', () => {
    const labels = { 'b': '1', 'a': '2', '10': 'x', '9': 'y', 'a.b/c': 'z', 'A': 'u' };
    const o = service({ selector: labels, ports: [{ port: 80 }] }, { labels, annotations: { z: '1', y: { b: 1, a: [{ d: 1, c: 2 }] } } });
    expect(bytes(renderOwned(o))).toBe(bytes(o.toJson()));
    // integer-like keys come first, in numeric order, in any object
    expect(Object.keys(renderOwned(o).spec.selector)).toEqual(['9', '10', 'A', 'a', 'a.b/c', 'b']);
    const sorted = service({ selector: { a: '1', b: '2' } }, { labels: { a: '1', b: '2' } });
    expect(bytes(renderOwned(sorted))).toBe(bytes(sorted.toJson()));
  });

  test('metadata: the six fields rendered straight, or with other attributes as cdk8s spreads them', () => {
    for (const metadata of [
      { name: 'n', namespace: 'ns', labels: { b: '1', a: '2' }, annotations: {}, finalizers: ['f'], ownerReferences: [] },
      { labels: {}, annotations: {} },
      { name: 'n', generateName: 'g-', labels: { a: '1' } },
      { name: 'n', resourceVersion: '1', annotations: { b: '', a: 'x' } },
    ]) {
      const o = service({ ports: [{ port: 80 }] }, metadata);
      expect(bytes(renderOwned(o))).toBe(bytes(o.toJson()));
    }
  });

  test('the props are resolved as cdk8s\' copy of them: a Lazy that changes them (in the props or the metadata) is not seen', () => {
    const make = () => {
      let o: any;
      // eslint-disable-next-line prefer-const
      o = new kplus.k8s.KubeConfigMap(new Chart(Testing.app(), 'c'), 'o', {
        data: Lazy.any({ produce: () => { o.props.immutable = false; o.props.binaryData = { z: 'eg==' }; return { a: '1' }; } }),
        immutable: true,
      } as any);
      return o as ApiObject;
    };
    expect(renderOwned(make())).toEqual(make().toJson());
    expect(renderOwned(make())).toMatchObject({ data: { a: '1' }, immutable: true });
    expect(renderOwned(make()).binaryData).toBeUndefined();
    const withMetadata = () => {
      let o: any;
      // eslint-disable-next-line prefer-const
      o = new kplus.k8s.KubeConfigMap(new Chart(Testing.app(), 'c'), 'o', {
        metadata: { labels: { a: Lazy.any({ produce: () => { o.props.data = { b: '2' }; return 'x'; } }) } },
        data: { a: '1' },
      });
      return o as ApiObject;
    };
    expect(renderOwned(withMetadata())).toEqual(withMetadata().toJson());
    expect(renderOwned(withMetadata()).data).toEqual({ a: '1' });
  });

  test('a GVK that is not the generated { apiVersion, kind }: copied as cdk8s spreads it', () => {
    const cls = kplus.k8s.KubeConfigMap as any;
    const gvk = cls.GVK;
    try {
      for (const other of [{ kind: 'ConfigMap', apiVersion: 'v1' }, { apiVersion: 'v1', kind: 'ConfigMap', extra: 'x' }, { apiVersion: 'v1' }]) {
        cls.GVK = other;
        const o = new kplus.k8s.KubeConfigMap(new Chart(Testing.app(), 'c'), 'o', { data: { a: '1' } });
        expect(JSON.stringify(renderOwned(o))).toBe(JSON.stringify(o.toJson()));
      }
    } finally {
      cls.GVK = gvk;
    }
  });

  test('a remove patch: a copy without the key, in the same order (no delete), at the top level and below', () => {
    const s = service({ clusterIp: 'None', externalIPs: ['1.2.3.4'], ports: [{ port: 80 }], type: 'ClusterIP' });
    s.addJsonPatch(JsonPatch.remove('/spec/externalIPs'), JsonPatch.remove('/spec/clusterIp'));
    expect(bytes(renderOwned(s))).toBe(bytes(s.toJson()));
    expect(Object.keys(renderOwned(s).spec)).toEqual(['ports', 'type']);
    const c = new kplus.k8s.KubeConfigMap(new Chart(Testing.app(), 'c'), 'o', { data: { a: '1' }, immutable: true });
    c.addJsonPatch(JsonPatch.remove('/immutable'), JsonPatch.remove('/data'));
    expect(bytes(renderOwned(c))).toBe(bytes(c.toJson()));
    expect(Object.keys(renderOwned(c))).toEqual(['apiVersion', 'kind', 'metadata']);
  });
});

describe('renderOwned with share: JSON of frozen constants rendered once and shared (synth\'s YAML only)', () => {
  const bytes = (json: any) => JSON.stringify(json) + Yaml.stringify(json);
  /** The Rollout L1 objects of n presets, alternating canary and blue/green, in one chart. */
  function rollouts(n: number, app = Testing.app()): ApiObject[] {
    const chart = new Chart(app, 'c', { namespace: 'ns' });
    const presets = [];
    for (let i = 0; i < n; i++) {
      presets.push(i % 2 === 0 ? new CanaryNginxRollout(chart, `a${i}`, { name: `a${i}`, image: 'nginx:1.27.3' })
        : new BlueGreenNginxRollout(chart, `a${i}`, { name: `a${i}`, image: 'nginx:1.27.3' }));
    }
    return presets.map((p) => ApiObject.of(p));
  }
  /** renderOwned with share, while the direct emitter is in use (as synth's validation calls it). */
  function sharedRender(o: ApiObject): any {
    const restore = useDirectEmitter();
    try {
      return renderOwned(o, undefined, true);
    } finally {
      restore();
    }
  }
  const containers = (json: any) => json.spec.template.spec.containers;
  /** cdk8s' own app.synthYaml(): each chart's toJson(), written by the yaml library. */
  const cdk8sYaml = (app: App) => app.charts.map((c) => c.toJson().map((o) => Yaml.stringify(o)).join('---\n')).join('---\n');

  test('the presets\' constant parts: one frozen JSON for every Rollout, the same bytes; without share, new and mutable', () => {
    const [a, b, c] = rollouts(3);
    // kept from a value's second render on (the first Rollout rendered in a process writes new JSON)
    sharedRender(c);
    const [ja, jb, jc] = [a, b, c].map(sharedRender);
    for (const [o, j] of [[a, ja], [b, jb], [c, jc]] as const) expect(bytes(j)).toBe(bytes(o.toJson()));
    const parts = (j: any) => [
      containers(j)[0].livenessProbe, containers(j)[0].readinessProbe, containers(j)[0].ports, containers(j)[0].volumeMounts,
      containers(j)[0].resources, containers(j)[1].securityContext, containers(j)[1].args,
    ];
    for (const [p, q] of parts(ja).map((p, i) => [p, parts(jb)[i]])) {
      expect(p).toBe(q);
      expect(Object.isFrozen(p)).toBe(true);
    }
    expect(parts(ja)).toEqual(parts(jc));
    // what differs between Rollouts is new JSON for each
    expect(containers(ja)[0]).not.toBe(containers(jc)[0]);
    expect(Object.isFrozen(containers(ja)[0])).toBe(false);
    // without share, or with share while Yaml.stringify is not the direct emitter: new, mutable JSON, as cdk8s gives it
    for (const render of [(o: ApiObject) => renderOwned(o), (o: ApiObject) => renderOwned(o, undefined, true)]) {
      const [fa, fc2] = [render(a), render(c)];
      expect(bytes(fa)).toBe(bytes(ja));
      expect(containers(fa)[0].livenessProbe).not.toBe(containers(fc2)[0].livenessProbe);
      expect(Object.isFrozen(containers(fa)[0].livenessProbe)).toBe(false);
    }
  });

  test('app.synthYaml() shares (the rules and the emitter only read), cdk8s\' bytes; JSON given to the app afterwards is fresh', () => {
    const app = Testing.app();
    const [a] = rollouts(4, app);
    const yaml = app.synthYaml();
    expect(yaml).toBe(cdk8sYaml(app));
    const json = Testing.synth(app.charts[0]).find((o) => o.kind === 'Rollout' && o.metadata.name === a.name);
    // the app may change what it is given
    containers(json)[0].livenessProbe.periodSeconds = 99;
    containers(json)[1].args.push('--x');
    expect(app.synthYaml()).toBe(yaml);
    const after = app.charts[0].toJson().find((o) => o.kind === 'Rollout');
    expect(Object.isFrozen(containers(after)[0].livenessProbe)).toBe(false);
  });

  test('a frozen value with a token, a getter or a mutable object inside is rendered each time, never kept', () => {
    let names = 0;
    let ports = 0;
    const inner = { port: 82 };
    const service = (ps: readonly any[]) => new kplus.k8s.KubeService(new Chart(Testing.app(), 'c'), 's', {
      spec: { ports: Object.freeze(ps), selector: Object.freeze({ app: 'x' }) } as any,
    });
    const token = service([Object.freeze({ port: 80, name: Lazy.any({ produce: () => `n${++names}` }) })]);
    const getter = service([Object.freeze({ get port() { return 8000 + ++ports; } })]);
    const shallow = service([inner]);
    const render = (o: ApiObject) => sharedRender(o).spec.ports.map((p: any) => `${p.name ?? ''}:${p.port}`).join(' ');
    // rendered three times: a value is kept from its second render on, so the third would repeat the second
    expect([render(token), render(token), render(token)]).toEqual(['n1:80', 'n2:80', 'n3:80']);
    expect([render(getter), render(getter), render(getter)]).toEqual([':8001', ':8002', ':8003']);
    expect([render(shallow), render(shallow)]).toEqual([':82', ':82']);
    inner.port = 83;
    expect(render(shallow)).toBe(':83');
    expect(bytes(sharedRender(shallow))).toBe(bytes(shallow.toJson()));
    // a frozen value with none of these is kept, the same JSON each time (where no token sent the walk to cdk8s' order)
    const plain = new kplus.k8s.KubeService(new Chart(Testing.app(), 'c'), 's', {
      spec: { ports: Object.freeze([Object.freeze({ port: 80 })]), selector: Object.freeze({ app: 'x' }) } as any,
    });
    // from its second render on: a value rendered once (one object's own frozen props) keeps nothing
    const first = sharedRender(plain).spec.selector;
    expect(Object.isFrozen(first)).toBe(false);
    const selector = sharedRender(plain).spec.selector;
    expect(selector).not.toBe(first);
    expect(sharedRender(plain).spec.selector).toBe(selector);
    expect(sharedRender(plain).spec.ports).toBe(sharedRender(plain).spec.ports);
    expect(Object.isFrozen(selector)).toBe(true);
  });

  test('a value frozen after a render, or a frozen one replaced: what it holds at each render', () => {
    const probe: any = { tcpSocket: { port: kplus.k8s.IntOrString.fromNumber(80) }, periodSeconds: 5 };
    const container: any = { name: 'c', image: 'nginx', readinessProbe: probe };
    const pod = new kplus.k8s.KubePod(new Chart(Testing.app(), 'c'), 'p', { spec: { containers: [container] } });
    expect(sharedRender(pod).spec.containers[0].readinessProbe.periodSeconds).toBe(5);
    probe.periodSeconds = 6;
    expect(sharedRender(pod).spec.containers[0].readinessProbe.periodSeconds).toBe(6);
    probe.tcpSocket.port = kplus.k8s.IntOrString.fromNumber(81);
    Object.freeze(probe.tcpSocket.port);
    Object.freeze(probe.tcpSocket);
    Object.freeze(probe);
    expect(sharedRender(pod).spec.containers[0].readinessProbe).toEqual({ periodSeconds: 6, tcpSocket: { port: 81 } });
    const frozen = sharedRender(pod).spec.containers[0].readinessProbe;
    expect(frozen).toEqual({ periodSeconds: 6, tcpSocket: { port: 81 } });
    expect(sharedRender(pod).spec.containers[0].readinessProbe).toBe(frozen);
    container.readinessProbe = { ...probe, periodSeconds: 7 };
    expect(sharedRender(pod).spec.containers[0].readinessProbe).toEqual({ periodSeconds: 7, tcpSocket: { port: 81 } });
    expect(bytes(sharedRender(pod))).toBe(bytes(pod.toJson()));
  });

  test('JSON patches on a preset\'s Rollout: cdk8s\' bytes, and the shared parts unchanged for the other Rollouts', () => {
    const app = Testing.app();
    const [a, b, c] = rollouts(4, app);
    a.addJsonPatch(JsonPatch.remove('/spec/template/spec/containers/1/securityContext/capabilities'));
    b.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/livenessProbe/periodSeconds', 99));
    // a remove that renderTyped translates and applies to the rendered JSON: below a map, and at a struct's field
    c.addJsonPatch(JsonPatch.remove('/spec/template/metadata/annotations/prometheus.io~1port'), JsonPatch.remove('/spec/replicas'));
    const yaml = app.synthYaml();
    expect(yaml).toBe(cdk8sYaml(app));
    expect(yaml).toMatch(/periodSeconds: 99/);
    expect(yaml.match(/- ALL\n/g)).toHaveLength(3);
    expect(app.synthYaml()).toBe(yaml);
    for (const o of [a, b, c]) expect(bytes(sharedRender(o))).toBe(bytes(o.toJson()));
  });
});

describe('renderApiObject: cdk8s resolution rules, one by one', () => {
  function object(props: Record<string, unknown>, app = Testing.app()): ApiObject {
    return new ApiObject(new Chart(app, 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', ...props });
  }
  const same = (o: ApiObject) => expect(JSON.stringify(renderApiObject(o))).toBe(JSON.stringify(o.toJson()));

  test('tokens: Lazy, resolve(), number/string unions, nested and in arrays', () => {
    const produced: string[] = [];
    same(object({
      data: {
        z: Lazy.any({ produce: () => { produced.push('z'); return { b: 1, a: Lazy.any({ produce: () => 'x' }) }; } }),
        a: { resolve: () => ['y', null, undefined, { c: 2, b: null }] },
        q: kplus.k8s.IntOrString.fromNumber(3),
        s: kplus.k8s.Quantity.fromString('10Mi'),
      },
    }));
    // produced once per render, in the same order on both paths
    expect(produced).toEqual(['z', 'z']);
  });

  test('keys sorted, empty values dropped, empty objects and arrays kept, integer-like keys', () => {
    same(object({ data: { b: '', a: undefined, c: null, d: {}, e: [], 10: 'x', 2: 'y', spec: { z: 0, y: false } } }));
  });

  test('CDK8S_DISABLE_SORT keeps insertion order', () => {
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      same(object({ data: { b: '1', a: '2', 3: 'x' } }));
      expect(Object.keys(renderApiObject(object({ data: { b: '1', a: '2' } })).data)).toEqual(['b', 'a']);
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
  });

  test('JSON patches are applied', () => {
    const o = object({ data: { a: '1', b: '2' } });
    o.addJsonPatch(JsonPatch.remove('/data/a'));
    same(o);
    expect(renderApiObject(o).data).toEqual({ b: '2' });
  });

  test('a non-plain object fails with cdk8s\' message', () => {
    class Thing { public readonly x = 1; }
    const o = object({ data: { t: new Thing() } });
    expect(() => o.toJson()).toThrow(/can't render non-simple object of type 'Thing'/);
    expect(() => renderApiObject(o)).toThrow((() => { try { o.toJson(); } catch (e) { return (e as Error).message; } return ''; })());
  });

  test('custom resolvers: cdk8s\' own path is used, so they are called', () => {
    const seen: string[] = [];
    const app = new App({ resolvers: [{ resolve: (ctx) => { if (ctx.value === 'secret') { seen.push(ctx.key.join('.')); ctx.replaceValue('***'); } } }] });
    const o = object({ data: { a: 'secret' } }, app);
    expect(renderApiObject(o).data).toEqual({ a: '***' });
    expect(seen).toEqual(['data.a']);
  });

  test('a __proto__ key is rendered by cdk8s itself', () => {
    same(object({ data: JSON.parse('{"__proto__": {"x": "1"}, "a": "2"}') }));
  });
});

describe('synth validation: once per chart per synth', () => {
  function app(charts: number): App {
    const a = Testing.app();
    for (let i = 0; i < charts; i++) {
      const chart = new Chart(a, `c${i}`, { namespace: `ns${i}` });
      new CanaryNginxRollout(chart, 'web', { name: 'web', image: 'nginx:1.27.3' });
    }
    return a;
  }

  afterEach(() => jest.restoreAllMocks());

  test('app.synthYaml() of 5 charts runs the rules on each chart once (cdk8s validates the app once per chart)', () => {
    const spy = jest.spyOn(objectsModule, 'validateObjects');
    const a = app(5);
    const yaml = a.synthYaml();
    expect(spy).toHaveBeenCalledTimes(5);
    // and the output is what cdk8s writes without the cache: each chart on its own
    const again = a.charts.map((c) => Yaml.stringify(...c.toJson())).join('---\n');
    expect(yaml).toBe(again);
  });

  test('app.synthYaml() prepares and validates the app once (its own pass), not again for any chart', () => {
    const a = app(4);
    let calls = 0;
    a.charts[2].node.addValidation({ validate: () => { calls++; return []; } });
    const yaml = a.synthYaml();
    expect(calls).toBe(1);
    expect(yaml).toBe(a.charts.map((c) => Yaml.stringify(...c.toJson())).join('---\n'));
    // outside a synth, chart.toJson() is cdk8s' own: it validates the whole app each time
    expect(calls).toBe(5);
  });

  test('app.synth() of 3 charts runs the rules on each chart once', () => {
    const spy = jest.spyOn(objectsModule, 'validateObjects');
    const a = app(3);
    a.synth();
    expect(spy).toHaveBeenCalledTimes(3);
  });

  test('chart.toJson() is never cached: a change between two calls is validated', () => {
    const a = app(2);
    const chart = a.charts[0];
    expect(chart.toJson().length).toBeGreaterThan(0);
    // a second ConfigMap of the preset's name: duplicate-object must fire now
    new kplus.k8s.KubeConfigMap(chart, 'dup', { metadata: { name: 'web-conf' } });
    expect(() => chart.toJson()).toThrow(/duplicate-object/);
  });

  test('errors still stop app.synthYaml(), naming the construct', () => {
    const a = app(2);
    new kplus.k8s.KubeConfigMap(a.charts[1], 'dup', { metadata: { name: 'web-conf' } });
    expect(() => a.synthYaml()).toThrow(/CanaryNginxRollout 'c1\/web'.*duplicate-object/);
  });
});
