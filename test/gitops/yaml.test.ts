import { Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { config } from '../../environments';
import { synthEnvironment, environmentContext } from '../../lib/gitops';
import { isPlainSafe, keyCacheSize, stringifyDocuments, toYaml, useDirectEmitter } from '../../lib/gitops/yaml';
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

  test('deep documents (indents past the ones made so far)', () => {
    let doc: unknown = { leaf: 'x', s: 'a\nb\n', list: ['on', { k: 1 }] };
    for (let i = 0; i < 60; i++) doc = i % 2 === 0 ? { [`k${i}`]: doc, n: i } : { list: [doc, 'y'] };
    expect(toYaml(doc)).toBe(Yaml.stringify(doc));
  });
});
