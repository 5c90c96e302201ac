import * as fc from 'fast-check';

/**
 * JSON-like values for YAML round-trip properties: scalars (the given strings, integers, doubles with NaN, booleans,
 * null, -0), and lists and maps of them (map keys from `key`), a few levels deep.
 */
export function jsonValues(str: fc.Arbitrary<string>, key: fc.Arbitrary<string> = str): { scalar: fc.Arbitrary<unknown>; value: fc.Arbitrary<unknown> } {
  const scalar = fc.oneof(str, fc.integer(), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null), fc.constant(-0));
  const value = fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      scalar,
      fc.array(tie('v'), { maxLength: 4 }),
      fc.dictionary(key, tie('v'), { maxKeys: 4 }),
    ),
  })).v;
  return { scalar, value };
}
