import { ApiObject, Chart, Lazy, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import * as fast from '../../lib/rollout/render-fast';
import { yamlStrings } from '../support/json-values';

/** Key order, undefined values and holes made visible to toStrictEqual. */
function ordered(x: any): any {
  if (Array.isArray(x)) return Array.from(x, (v, i) => (i in x ? ordered(v) : '<hole>'));
  if (x && typeof x === 'object' && x.constructor === Object) return Object.entries(x).map(([k, v]) => [k, ordered(v)]);
  return x;
}

/** What cdk8s writes for `value` as a field of a plain ApiObject (resolve, then sanitizeValue). */
function cdk8s(value: unknown): any {
  return new ApiObject(new Chart(Testing.app(), 'c'), 'o', { apiVersion: 'v1', kind: 'X', x: value } as any).toJson().x;
}

/** What cdk8s' metadata writes for `value` (empty arrays and objects dropped, keys always sorted). */
function cdk8sMetadata(value: unknown): any {
  return new ApiObject(new Chart(Testing.app(), 'c'), 'o', { apiVersion: 'v1', kind: 'X', metadata: { name: 'n', x: value } as any }).toJson().metadata.x;
}

/** The token-free values the renderers take: JSON with IntOrString/Quantity and plain `{ value }` objects, holes. */
const wrapper = fc.oneof(
  fc.integer().map((n) => kplus.k8s.IntOrString.fromNumber(n)),
  yamlStrings.map((s) => kplus.k8s.Quantity.fromString(s)),
  fc.integer().map((n) => ({ value: n })),
);
const values: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(yamlStrings, fc.integer(), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null), fc.constant(-0)),
    wrapper,
    fc.constant(undefined),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.array(tie('v'), { maxLength: 4 }).map((a) => { const holey = [...a]; holey.length += 1; return holey; }),
    // objects of Object.prototype, as cdk8s walks them (a null-prototype object, or an own `constructor`, is refused: below)
    fc.dictionary(yamlStrings.filter((k) => k !== '__proto__' && k !== 'constructor'), tie('v'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).v;

const retried = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e === fast.RETRY;
  }
  return false;
};

describe('render-fast: the same values as cdk8s\' resolve and sanitizeValue, for values without tokens', () => {
  test('property: any() is what cdk8s writes for a field, keys sorted or (CDK8S_DISABLE_SORT) in their order', () => {
    fc.assert(fc.property(values, (v) => {
      expect(ordered(fast.any(v))).toStrictEqual(ordered(cdk8s(v)));
      process.env.CDK8S_DISABLE_SORT = '1';
      const sorted = fast.setSortKeys(false);
      try {
        expect(ordered(fast.any(v))).toStrictEqual(ordered(cdk8s(v)));
      } finally {
        fast.setSortKeys(sorted);
        delete process.env.CDK8S_DISABLE_SORT;
      }
    }), { numRuns: 300 });
  });

  test('property: anyFilterEmpty() is what cdk8s\' metadata writes', () => {
    fc.assert(fc.property(values, (v) => {
      expect(ordered(fast.anyFilterEmpty(v))).toStrictEqual(ordered(cdk8sMetadata(v)));
    }), { numRuns: 300 });
  });

  test('value(), list() and map(): toJson_T\'s `?.value`, `?.map(y => y)` and the map forms of the resolved value', () => {
    expect(fast.value(kplus.k8s.IntOrString.fromString('50%'))).toBe('50%');
    expect(fast.value({ value: 3, other: 1 })).toBe(3);
    // a primitive has no `value`: toJson_T writes nothing
    expect(fast.value(8080)).toBeUndefined();
    expect(fast.value('8080')).toBeUndefined();
    expect(fast.value(null)).toBeUndefined();
    expect(ordered(fast.list(['b', undefined, { z: 1, a: null }]))).toStrictEqual(ordered(['b', undefined, { z: 1 }]));
    expect(ordered(fast.map({ b: kplus.k8s.Quantity.fromString('1'), a: 2, c: undefined, d: null }, 1)))
      .toStrictEqual(ordered({ a: undefined, b: '1' }));
    expect(ordered(fast.map({ b: ['x', null], a: [] }, 3))).toStrictEqual(ordered({ a: [], b: ['x', undefined] }));
  });
});

describe('render-fast: a value they cannot prove is refused (RETRY) before anything with an effect', () => {
  test('a Lazy, a resolve() method, a function, a Date, another class, a __proto__ or constructor key, at any depth', () => {
    let produced = 0;
    let resolved = 0;
    const lazy = Lazy.any({ produce: () => { produced++; return 'x'; } });
    const resolvable = { resolve: () => { resolved++; return 'x'; } };
    class Thing { public readonly x = 1; }
    const refused = [lazy, resolvable, () => 1, new Date(0), new Thing(), JSON.parse('{"__proto__": {"a": "1"}}'),
      Object.create(null), { constructor: 0 }];
    for (const x of refused) {
      for (const v of [x, [x], { a: { b: [1, x] } }, { value: x }]) {
        expect({ v, any: retried(() => fast.any(v)) }).toEqual({ v, any: true });
        expect(retried(() => fast.anyFilterEmpty(v))).toBe(true);
        expect(retried(() => fast.list([v]))).toBe(true);
        expect(retried(() => fast.map({ a: v }, 0))).toBe(true);
      }
    }
    // a list or map that is a token itself
    expect(retried(() => fast.list(lazy))).toBe(true);
    expect(retried(() => fast.map(lazy, 0))).toBe(true);
    expect(retried(() => fast.keysOf(resolvable))).toBe(true);
    expect(retried(() => fast.value([1]))).toBe(true);
    expect(retried(() => fast.date(new Date(0)))).toBe(true);
    expect(fast.date(undefined)).toBeUndefined();
    expect({ produced, resolved }).toEqual({ produced: 0, resolved: 0 });
  });

  test('a key a toJson_T does not write is resolved all the same: refused when it holds a token', () => {
    expect(retried(() => fast.other({ a: Lazy.any({ produce: () => 'x' }) }, 'a'))).toBe(true);
    expect(retried(() => fast.other(JSON.parse('{"__proto__": "x"}'), '__proto__'))).toBe(true);
    expect(fast.other({ a: { b: 1 } }, 'a')).toBeUndefined();
  });
});
