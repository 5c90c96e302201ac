import { ApiObject, App, Chart, Duration, JsonPatch, Lazy, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import { EXAMPLES } from '../../examples';
import {
  BlueGreenNginxRollout, CanaryNginxRollout, CanaryStep, Rollout, RolloutStep, RolloutStrategy, TrafficRouter,
} from '../../lib';
import { renderApiObject, renderOwned } from '../../lib/rollout/render';
import * as objectsModule from '../../lib/rules/objects';
import { buildSeedApp } from '../../main';

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
    for (const o of objects) renderOwned(o);
    expect(calls).toEqual([]);
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
