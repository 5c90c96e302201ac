import { Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { config } from '../../environments';
import { synthEnvironment, environmentContext } from '../../lib/gitops';
import { directEmitterInUse, isPlainSafe, keyCacheSize, shareJson, stringifyDocuments, toYaml, useDirectEmitter } from '../../lib/gitops/yaml';
import { jsonValues, TRICKY_STRINGS, yamlStrings } from '../support/json-values';



const str = yamlStrings;
const value = jsonValues(str);

describe('toYaml writes what cdk8s Yaml.stringify writes', () => {
  test('for random documents', () => {
    fc.assert(fc.property(fc.dictionary(str, value, { maxKeys: 6 }), (doc) => {
      expect(toYaml(doc)).toBe(Yaml.stringify(doc));
    }), { numRuns: Number(process.env.YAML_PROPERTY_RUNS ?? 3000) });
  });

  test('for random documents with plain keys, so that the fast path writes them', () => {
    const key = fc.constantFrom('a', 'name', 'b-c', 'x.y/z', 'app.kubernetes.io/name', 'K_8', 'on', 'Yes', '1', 'e0', 'E-1', 'e1x');
    const tree = jsonValues(str, key);
    fc.assert(fc.property(fc.dictionary(key, tree, { minKeys: 1, maxKeys: 6 }), (doc) => {
      expect(toYaml(doc)).toBe(Yaml.stringify(doc));
    }), { numRuns: Number(process.env.YAML_PROPERTY_RUNS ?? 3000) });
  });

  test('for every object of the example environments', async () => {
    let count = 0;
    for (const env of config.environments) {
      for (const { object } of await synthEnvironment(env, environmentContext(env))) {
        expect(toYaml(object)).toBe(Yaml.stringify(object));
        count++;
      }
    }
    expect(count).toBeGreaterThan(10);
  });

  test('for shared objects (yaml writes anchors and aliases), sequences of sequences, and non-maps', () => {
    const shared = { app: 'web' };
    for (const doc of [{ a: shared, b: shared }, { a: [[1, 2], []] }, [1, 2], 'text', 42, null, {}, { a: undefined }]) {
      expect(toYaml(doc)).toBe(Yaml.stringify(doc));
    }
  });
});

describe('stringifyDocuments and useDirectEmitter', () => {
  test('several documents (and undefined ones) as cdk8s Yaml.stringify joins them', () => {
    const docs = [{ a: 'x', b: [1, { c: 'yes' }] }, undefined, { s: 'a\nb\n' }, { e: {} }];
    expect(stringifyDocuments(...docs)).toBe(Yaml.stringify(...docs));
    expect(stringifyDocuments()).toBe(Yaml.stringify());
    for (const doc of [...docs, { shared: docs[0] }]) expect(stringifyDocuments(doc)).toBe(Yaml.stringify(doc));
  });

  test('while in use, Yaml.stringify writes the same bytes, falls back to the yaml library without recursion, and is restored', () => {
    const original = Yaml.stringify;
    const docs = [{ a: 'on', b: 1.5, c: [[1]] }, { shared: 'x' }];
    const expected = Yaml.stringify(...docs);
    const restore = useDirectEmitter();
    try {
      expect(Yaml.stringify).not.toBe(original);
      const nested = useDirectEmitter(); // nested use is a no-op
      nested();
      expect(Yaml.stringify).not.toBe(original);
      expect(Yaml.stringify(...docs)).toBe(expected);
    } finally {
      restore();
    }
    expect(Yaml.stringify).toBe(original);
  });
});

describe('toYaml: YAML 1.1 floats without a mantissa', () => {
  test.each(['e0', 'E5', 'e-1', 'e+12', 'e00'])('%s is quoted as the yaml library quotes it, as key and value', (s) => {
    for (const doc of [{ name: s }, { [s]: 'x' }, { list: [s] }]) expect(toYaml(doc)).toBe(Yaml.stringify(doc));
    expect(toYaml({ name: s })).toBe(`name: "${s}"\n`);
  });
});

describe('toYaml: the plain-scalar check by character codes', () => {
  // the definition the check implements (lib/gitops/yaml.ts, isPlainSafe's comment), as the RegExps it replaced
  const PLAIN = /^[A-Za-z/][A-Za-z0-9_./=+@%-]*(?::[A-Za-z0-9_./=+@%-]+)*$/;
  const RESERVED = /^(?:y|n|yes|no|true|false|on|off|null|e[-+]?[0-9]+)$/i;
  const reference = (s: string) => PLAIN.test(s) && !RESERVED.test(s);

  test('accepts exactly the strings of its definition', () => {
    for (const s of [...TRICKY_STRINGS, 'a:b', 'a::b', 'a:', ':a', '/:x', 'x:/', 'a:b:c', 'Y', 'NULL', 'nulls', 'E-12', 'e1e',
      'ex', 'e', 'offx', 'a\u00e9', 'a\u0100', 'a~b', 'a b', 'a\u{1F600}', 'z'.repeat(2000)]) {
      expect([s, isPlainSafe(s)]).toEqual([s, reference(s)]);
    }
    const unit = fc.constantFrom('a', 'e', 'E', 'Z', 'y', 'n', 'o', '0', '9', '-', '+', '.', '/', ':', '_', '=', '%', '@', ' ',
      '#', '~', '\u00e9', '\u0100', '`');
    fc.assert(fc.property(fc.string({ unit, maxLength: 8 }), (s) => isPlainSafe(s) === reference(s)), { numRuns: 20000 });
  });
});

describe('toYaml: the remembered keys', () => {
  test('stay within their limit, and keys past it are written the same', () => {
    const { limit } = keyCacheSize();
    for (let n = 0; n < 3; n++) {
      const doc: Record<string, unknown> = {};
      for (let i = 0; i < limit; i++) doc[`k${n}-${i}`] = i % 3 === 0 ? 'on' : { [`x${i}`]: [i] };
      expect(toYaml(doc)).toBe(Yaml.stringify(doc));
      expect(toYaml({ ...doc, 'a b': 'a key that is not plain' })).toBe(Yaml.stringify({ ...doc, 'a b': 'a key that is not plain' }));
      expect(toYaml({ [`k${n}-1`]: 'x', b: 1 })).toBe(Yaml.stringify({ [`k${n}-1`]: 'x', b: 1 }));
    }
    expect(keyCacheSize().size).toBeLessThanOrEqual(limit);
    expect(keyCacheSize().size).toBe(limit);
  });

  test('block scalars: the same text at several depths, texts alternating (the last one moved is kept)', () => {
    const conf = 'user nginx;\nevents {\n  worker_connections 1024;\n}\n';
    const other = 'a\n  b\n\nc\n';
    const docs = [{ data: { 'nginx.conf': conf } }, { data: { 'nginx.conf': conf } }, { a: conf }, { list: [conf, { k: conf }] },
      { data: { 'nginx.conf': other } }, { data: { 'nginx.conf': conf } }, { a: { b: { c: other } } }, { a: other }];
    for (const doc of [...docs, ...docs.reverse()]) expect(toYaml(doc)).toBe(Yaml.stringify(doc));
  });

  test('deep documents (indents past the ones made so far)', () => {
    let doc: unknown = { leaf: 'x', s: 'a\nb\n', list: ['on', { k: 1 }] };
    for (let i = 0; i < 60; i++) doc = i % 2 === 0 ? { [`k${i}`]: doc, n: i } : { list: [doc, 'y'] };
    expect(toYaml(doc)).toBe(Yaml.stringify(doc));
  });
});

describe('toYaml: shared parts (the renderer\'s frozen JSON, written from kept text)', () => {
  /** A new copy of every object and array (holes and undefined kept): what cdk8s' own rendering gives each place. */
  const fresh = (x: unknown): unknown => {
    if (Array.isArray(x)) {
      const copy = new Array(x.length);
      for (const k of Object.keys(x)) copy[Number(k)] = fresh(x[Number(k)]);
      return copy;
    }
    if (typeof x === 'object' && x !== null) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, fresh(v)]));
    return x;
  };
  const key = fc.constantFrom('a', 'name', 'b-c', 'x.y/z', 'on', '1', 'e0');

  test('a part shared at several depths, in sequences and twice in a document: no alias, the bytes of fresh copies', () => {
    const part = { port: 80, path: '/metrics', list: ['ALL', { type: 'RuntimeDefault' }] };
    const list = [{ containerPort: 80 }, 'x'];
    shareJson(part);
    shareJson(list);
    expect(Object.isFrozen(part.list[1])).toBe(true);
    const doc = { a: part, b: { c: part, d: [part, list, { e: list }] }, f: list, g: [part] };
    const expected = Yaml.stringify(fresh(doc));
    expect(expected).not.toMatch(/[&*]a1/);
    // twice: written, then from the kept texts
    expect(toYaml(doc)).toBe(expected);
    expect(toYaml(doc)).toBe(expected);
    // a repeated object that is not shared is still an alias, as yaml writes it
    const mine = { app: 'web' };
    const withAlias = { ...doc, x: mine, y: mine };
    expect(toYaml(withAlias)).toBe(Yaml.stringify({ ...(fresh(doc) as object), x: mine, y: mine }));
    expect(toYaml(withAlias)).toMatch(/&a1/);
  });

  test('a document that goes to the yaml library gets copies of its shared parts (no alias, nothing frozen)', () => {
    const part = { weight: 1.5, name: 'x' }; // a float: the emitter leaves the whole document to yaml
    shareJson(part);
    const doc = { a: part, b: [part], c: 'on' };
    const stringify = jest.fn((...docs: unknown[]) => original(...docs));
    const original = Yaml.stringify;
    const restore = useDirectEmitter();
    try {
      expect(directEmitterInUse()).toBe(true);
      // the yaml library sees copies: a replacement of it made before (here: a spy) could change them
      (Yaml.stringify as any)[Symbol.for('cdk8s-nginx-rollouts/yaml-stringify-original')] = stringify;
      expect(toYaml(doc)).toBe(original(fresh(doc)));
      const seen = stringify.mock.calls[0][0] as any;
      expect(seen.a).not.toBe(part);
      expect(seen.a).not.toBe(seen.b[0]);
      expect(Object.isFrozen(seen.a)).toBe(false);
    } finally {
      (Yaml.stringify as any)[Symbol.for('cdk8s-nginx-rollouts/yaml-stringify-original')] = original;
      restore();
    }
    expect(directEmitterInUse()).toBe(false);
    expect(toYaml(doc)).toBe(Yaml.stringify(fresh(doc)));
  });

  test('property: random documents with random parts shared, at random places', () => {
    const tree = jsonValues(str, key);
    const parts = fc.array(fc.oneof(fc.dictionary(key, tree, { minKeys: 1, maxKeys: 4 }), fc.array(tree, { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 3 });
    // a document whose values are either its own or one of the parts (by index)
    const slot = fc.oneof(tree, fc.nat(2).map((i) => ({ part: i })));
    const shape = fc.dictionary(key, fc.oneof(slot, fc.array(slot, { maxLength: 3 }), fc.dictionary(key, slot, { maxKeys: 3 })), { minKeys: 1, maxKeys: 5 });
    fc.assert(fc.property(parts, shape, (ps, template) => {
      const shared = ps.map((p) => fresh(p) as object);
      for (const p of shared) shareJson(p);
      const place = (v: any): unknown => {
        if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && typeof v.part === 'number') return shared[v.part % shared.length];
        if (Array.isArray(v)) return v.map(place);
        if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, place(x)]));
        return v;
      };
      const doc = place(template) as Record<string, unknown>;
      const expected = Yaml.stringify(fresh(doc));
      expect(toYaml(doc)).toBe(expected);
      expect(toYaml(doc)).toBe(expected);
    }), { numRuns: Number(process.env.YAML_PROPERTY_RUNS ?? 1000) });
  });
});
