import * as fc from 'fast-check';

/**
 * Strings that the YAML 1.1 schema reads as something else, or that need quotes or block style, for YAML round-trip
 * properties (test/gitops/yaml.test.ts, test/simple-yaml.test.ts).
 */
export const TRICKY_STRINGS = [
  '', ' ', 'yes', 'No', 'ON', 'off', 'y', 'N', 'true', 'False', 'null', 'Null', '~', '<<', '=', '-', '?', ':', '#',
  '0', '-1', '+1', '0x1F', '0o17', '017', '0b101', '1_000', '1:20', '1:20.5', '.5', '1e3', '.inf', '-.Inf', '.NaN',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '---', '...', '%x', '@x', '`x', '!x', '&x', '*x', '|', '>', "'x'",
  '"x"', 'a: b', 'a:', 'a #b', 'a#b', ' a', 'a ', 'a\nb', 'a\n', '\ta', 'é', 'nginx:1.14.2', 'http://x/y?z=1',
  '-nginx.scrape-uri=http://localhost/nginx_status', 'sha256:abc', 'CreateNamespace=true', '25%', '/etc/nginx',
  'e0', 'E5', 'e-1', 'e+12', 'e00', 'e0x', 'ee1', 'e1.5', 'a\n\n', '\n', ' a\nb', '  a\n b\n', 'a\n \nb', '\n\na', 'a\n\n\nb', 'a\n  ', 'a\r\nb', '---\na', 'a\n...\n',
  'worker_processes 1;\n\nevents {\n  worker_connections 1024;\n}\n', 'a\u0001b', '[x]', '{x}', 'a,b', 'x'.repeat(200), 'k'.repeat(1100),
  // kept from the line reader's tests (test/simple-yaml.test.ts): numbers' look-alikes, flow indicators, keys JavaScript
  // treats specially, escapes, and Unicode line breaks and spaces
  '-e5', '+E1', '500m', '128Mi', '1d', '1e', '0x', '1.14.1', '10s', '1 2', '-a', '-1a', 'a]', 'a}', '__proto__', 'constructor',
  'a\\b', 'a"b', "a'b", '\u2028', '\u0085', 'a\u00a0b', 'ß:x',
];

/** A tricky string, or a random one of the characters YAML gives a meaning to. */
export const yamlStrings: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...TRICKY_STRINGS),
  fc.string({ unit: fc.constantFrom('a', 'Z', '0', '9', '-', '.', '/', ':', ' ', '#', '_', '=', '%', '@', '\n', '"', "'", 'y', 'n', 'm', '\\') }),
);

/**
 * JSON-like values for YAML round-trip properties: scalars (the given strings, integers, doubles with NaN, booleans,
 * null, -0), and lists and maps of them (map keys from `key`), a few levels deep.
 */
export function jsonValues(str: fc.Arbitrary<string>, key: fc.Arbitrary<string> = str): fc.Arbitrary<unknown> {
  const scalar = fc.oneof(str, fc.integer(), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null), fc.constant(-0));
  return fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      scalar,
      fc.array(tie('v'), { maxLength: 4 }),
      fc.dictionary(key, tie('v'), { maxKeys: 4 }),
    ),
  })).v;
}
