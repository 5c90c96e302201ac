import * as fs from 'fs';
import { ApiObject, Lazy, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as analysis from '../../imports/argo-analysis-argoproj.io';
import * as rollouts from '../../imports/argo-rollouts-argoproj.io';
import { ANALYSIS, K8S, KubeConversions, ROLLOUTS } from '../../lib/rollout/kube-conversions';
import { renderOwned, renderRoute, Shapes } from '../../lib/rollout/render';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const generator = require('../../scripts/kube-conversions.js');

const MODULES: Array<[string, Record<string, any>, KubeConversions]> = [
  ['cdk8s-plus-27 k8s', kplus.k8s, K8S], ['Rollout import', rollouts, ROLLOUTS], ['AnalysisTemplate import', analysis, ANALYSIS],
];

interface TableField { prop: string; json: string; kind: string; type?: string }

/** The table's lines by type, read here on its own (not with render.ts' reader, which the renders below check). */
const read = new Map<KubeConversions, Map<string, string[]>>();
function typesOf(table: KubeConversions): Map<string, string[]> {
  if (!read.has(table)) {
    read.set(table, new Map(table.table.split('\n').filter((l) => l).map((l) => {
      const [name, ...fields] = l.split(' ');
      return [name.replace(/@\d+$/, ''), fields];
    })));
  }
  return read.get(table)!;
}

function fieldsOf(table: KubeConversions, type: string): TableField[] {
  return typesOf(table).get(type)!.map((spec) => {
    const [name, kind = ''] = spec.split(':');
    const [prop, json = prop] = name.split('=');
    const type = /[A-Z]\w*/.exec(kind)?.[0];
    return { prop, json, kind: type ? kind.replace(type, 'T') : kind, type };
  });
}

/** Key order, undefined values and holes made visible to toStrictEqual. */
function ordered(x: any): any {
  if (Array.isArray(x)) return Array.from(x, (v, i) => (i in x ? ordered(v) : '<hole>'));
  if (x && typeof x === 'object' && x.constructor === Object) return Object.entries(x).map(([k, v]) => [k, ordered(v)]);
  return x;
}

test('the committed lib/rollout/kube-conversions.ts is what the bindings give (npm run kube-conversions)', () => {
  expect(generator.render()).toBe(fs.readFileSync(generator.OUT, 'utf8'));
});

describe.each(MODULES)('%s', (_, mod, table) => {
  const functions = Object.keys(mod).filter((k) => k.startsWith('toJson_')).map((k) => k.slice('toJson_'.length));

  test('the table has every toJson_* function of the bindings, and no other', () => {
    expect([...typesOf(table).keys()].sort()).toEqual(functions.sort());
    // the installed cdk8s-plus-27's functions are checked by hash, ours (the imports) are compiled with the library
    expect(table.table.split('\n').filter((l) => l).every((l) => /^\w+@\d+ /.test(l))).toBe(table === K8S);
  });

  test('every table field is what toJson_* does with it: JSON key, order, conversion, nested type', () => {
    /** A resolved value of `type` with every field set, nested types `depth` levels down. */
    function probe(type: string, depth: number): Record<string, any> {
      const value: Record<string, any> = {};
      fieldsOf(table, type).forEach((f, i) => {
        const nested = () => (depth > 0 ? probe(f.type!, depth - 1) : {});
        const values: Record<string, () => any> = {
          '': () => `${type}.${f.prop}`, 'T': nested, '[]': () => ['b', 'a'], '[T]': () => [nested(), undefined],
          '.value': () => ({ value: `q${i}` }), 'date': () => new Date(i), '{}': () => ({ b: 'x', a: 'y' }),
          '{.value}': () => ({ b: { value: i }, a: {} }), '{T}': () => ({ b: nested() }), '{[]}': () => ({ b: ['x'] }),
        };
        value[f.prop] = values[f.kind]();
      });
      return value;
    }
    /** What the table says toJson_<type> returns for a resolved value. */
    function expected(type: string, value: any): any {
      if (value === undefined) return undefined;
      const out: Record<string, any> = {};
      for (const f of fieldsOf(table, type)) {
        const v = value[f.prop];
        const map = (fn: (x: any) => any) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fn(x)]));
        const written = v === undefined ? undefined : {
          '': () => v, 'T': () => expected(f.type!, v), '[]': () => [...v], '[T]': () => v.map((x: any) => expected(f.type!, x)),
          '.value': () => v.value, 'date': () => v.toISOString(), '{}': () => map((x) => x),
          '{.value}': () => map((x) => x.value), '{T}': () => map((x) => expected(f.type!, x)), '{[]}': () => map((x) => [...x]),
        }[f.kind]!();
        if (written !== undefined) out[f.json] = written;
      }
      return out;
    }
    const kinds = new Set<string>();
    for (const type of functions) {
      for (const f of fieldsOf(table, type)) kinds.add(f.kind);
      const value = probe(type, 2);
      expect({ type, json: ordered(mod[`toJson_${type}`](value)) }).toStrictEqual({ type, json: ordered(expected(type, value)) });
    }
    expect(kinds.size).toBeGreaterThanOrEqual(table === K8S ? 10 : 4);
  });

  test('the table is proven against the loaded bindings for every type (cdk8s-plus-27: by the hash of each function)', () => {
    const shapes = new Shapes(mod, table);
    for (const type of functions) expect({ type, proven: shapes.proven(type) !== undefined }).toEqual({ type, proven: true });
  });

  test('every generated L1 class, every field set (tokens included): renderOwned walks it to the bytes of its toJson()', () => {
    // an IntOrString or Quantity of any import: the NumberStringUnionResolver takes any class with a number/string value
    class Union { public constructor(public readonly value: string | number) {} }
    const produced: string[] = [];
    let n = 0;
    /** Every 3rd value through a Lazy, every 5th through resolve(): cdk8s resolves both before toJson_* sees them. */
    const token = (v: any, where: string) => {
      n++;
      if (n % 3 === 0) return Lazy.any({ produce: () => { produced.push(where); return v; } });
      if (n % 5 === 0) return { resolve: () => { produced.push(where); return v; } };
      return v;
    };
    const expanded = new Set<string>();
    /** L1 props of `type` with every field set; each type has its fields set where it first occurs. */
    function props(type: string, path: string, tokens = true): Record<string, any> {
      const value: Record<string, any> = {};
      const first = !expanded.has(type);
      expanded.add(type);
      fieldsOf(table, type).forEach((f, i) => {
        const at = `${path}.${f.prop}`;
        const nested = () => (first ? props(f.type!, at) : {});
        // sanitize refuses a Date: toJson_* never sees one, so a date field is left out (see render.test.ts)
        if (f.kind === 'date' || (!first && f.kind !== '')) return;
        const values: Record<string, () => any> = {
          '': () => (i % 2 ? `${at}` : { b: [i, true, null, `${at}`], a: { c: {}, d: [] } }),
          'T': nested, '[]': () => [`${at}`, i], '[T]': () => [nested(), null], '.value': () => new Union(i % 2 ? i : `${i}%`),
          '{}': () => ({ b: 'x', a: 'y', 10: 'z' }), '{.value}': () => ({ b: new Union(i), a: { value: i }, c: {} }),
          '{T}': () => ({ b: nested() }), '{[]}': () => ({ b: ['x', 1] }),
        };
        value[f.prop] = tokens ? token(values[f.kind](), at) : values[f.kind]();
      });
      // a key toJson_* does not write: resolved all the same (its Lazy is produced), then dropped
      value.notAField = tokens ? token({ x: 1 }, `${path}.notAField`) : { x: 1 };
      return value;
    }
    const app = Testing.app();
    const chart = new (require('cdk8s').Chart)(app, 'c');
    let classes = 0;
    for (const [name, cls] of Object.entries(mod)) {
      if (typeof cls !== 'function' || !(cls as any).GVK || !mod[`toJson_${name}Props`]) continue;
      const p = props(`${name}Props`, name);
      // ApiObject copies the metadata's labels, annotations, finalizers and owner references: no token at its top
      const metadata = fieldsOf(table, `${name}Props`).find((f) => f.prop === 'metadata')?.type
        ? props('ObjectMeta', `${name}.metadata`, false)
        : { labels: { b: 'x', a: Lazy.any({ produce: () => 'y' }) }, annotations: { c: { resolve: () => 'z' } }, extra: [{}, []] };
      const o: ApiObject = new (cls as any)(chart, name, { ...p, metadata: { ...metadata, name: name.toLowerCase() } });
      expect({ name, via: renderRoute(o).via }).toEqual({ name, via: 'walk' });
      const spy = jest.spyOn(ApiObject.prototype, 'toJson');
      produced.length = 0;
      const fast = renderOwned(o);
      const fastProduced = [...produced];
      // no fallback to cdk8s' path on the way
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
      produced.length = 0;
      const slow = o.toJson();
      expect({ name, produced: fastProduced }).toEqual({ name, produced });
      expect({ name, json: ordered(fast) }).toStrictEqual({ name, json: ordered(slow) });
      expect(Yaml.stringify(fast)).toBe(Yaml.stringify(slow));
      classes++;
    }
    expect(classes).toBeGreaterThan(0);
  });
});
