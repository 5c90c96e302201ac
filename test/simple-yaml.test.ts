/**
 * The line reader (lib/simple-yaml.ts) must give exactly what the yaml package gives through lib/manifests.ts (YAML
 * 1.1 as kubectl reads it), or give up. Each text below is read by loadManifests twice, with the line reader and with
 * the yaml package alone, and the results (objects, errors, warnings) must be equal.
 */
import { Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringifyDocuments } from '../lib/gitops/yaml';
import { loadManifests, plainReader } from '../lib/manifests';
import { parsePlainYaml } from '../lib/simple-yaml';
import { jsonValues, yamlStrings } from './support/json-values';

const ROOT = path.join(__dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simple-yaml-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** loadManifests of `text` with the line reader and with the yaml package alone. */
function bothWays(text: string) {
  const file = path.join(dir, 'x.yaml');
  fs.writeFileSync(file, text);
  try {
    plainReader.enabled = true;
    const plain = loadManifests([file]);
    plainReader.enabled = false;
    const reference = loadManifests([file]);
    return { plain, reference };
  } finally {
    plainReader.enabled = true;
  }
}

function expectSame(text: string): boolean {
  const { plain, reference } = bothWays(text);
  // JSON: key order, and own keys such as __proto__ (jest's equality trips on a key named `constructor`); -0 marked.
  const json = (x: unknown) => JSON.stringify(x, (_, v) => (Object.is(v, -0) ? '(-0)' : v));
  expect(json(plain)).toBe(json(reference));
  return parsePlainYaml(text) !== undefined;
}

/** What cdk8s writes: the seed app's output (written by `npm run synth`'s test into a temporary folder). */
function seedOutput(): string[] {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'simple-yaml-seed-'));
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { buildSeedApp } = require('../main') as typeof import('../main');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { App } = require('cdk8s') as typeof import('cdk8s');
  const app = buildSeedApp(new App({ outdir: out }));
  app.synth();
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  (require('../lib') as typeof import('../lib')).markYamlDocumentStarts(out);
  return fs.readdirSync(out).filter((f) => f.endsWith('.yaml')).map((f) => fs.readFileSync(path.join(out, f), 'utf8'));
}

describe('the line reader reads what cdk8s writes, as the yaml package does', () => {
  test('the seed app\'s output: read by the line reader, and the same objects', () => {
    const texts = seedOutput();
    expect(texts.length).toBe(2);
    for (const text of texts) {
      expect(expectSame(text)).toBe(true);
      expect(bothWays(text).plain.objects.length).toBeGreaterThanOrEqual(2);
    }
  });

  test('the snapshots, examples and fixtures (comments, flow style: the yaml package reads those)', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(ya?ml|snap)$/.test(e.name)) files.push(p);
      }
    };
    for (const d of ['examples', '__snapshots__', 'test/fixtures']) walk(path.join(ROOT, d));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files) expectSame(fs.readFileSync(f, 'utf8'));
  });

  const str = yamlStrings;
  const key = fc.oneof(fc.constantFrom('a', 'name', 'b-c', 'x.y/z', 'app.kubernetes.io/name', 'K_8', 'on', 'Yes', '1', 'e0', 'E-1', 'e1x', '__proto__', 'a:b'), str);
  const value = jsonValues(str, key);
  const manifest = fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('ConfigMap'), data: fc.dictionary(key, value, { maxKeys: 6 }) });
  const documents = fc.array(fc.oneof(manifest, fc.dictionary(key, value, { maxKeys: 6 }), value), { minLength: 1, maxLength: 3 });

  test('random documents as cdk8s writes them (direct emitter and Yaml.stringify): the same', () => {
    fc.assert(fc.property(documents, fc.boolean(), (docs, direct) => {
      expectSame(direct ? stringifyDocuments(...docs) : Yaml.stringify(...docs));
    }), { numRuns: Number(process.env.YAML_PROPERTY_RUNS ?? 1000) });
  });

  test('random documents with plain keys, as Kubernetes objects have: the same, and mostly by the line reader', () => {
    const plainKey = fc.constantFrom('a', 'name', 'b-c', 'x.y/z', 'app.kubernetes.io/name', 'K_8', 'containerPort', 'a:b');
    const plainValue = fc.oneof(
      { arbitrary: fc.constantFrom('nginx:1.14.1', '500m', '128Mi', 'a b', '-flag=x', 'sha256:abc', '1.5', 'a\nb\n', 'x]', '"q"'), weight: 6 },
      { arbitrary: fc.integer(), weight: 2 },
      { arbitrary: fc.boolean(), weight: 1 },
      { arbitrary: fc.constant(null), weight: 1 },
    );
    const tree = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        plainValue,
        fc.array(fc.oneof(plainValue, fc.dictionary(plainKey, tie('v'), { maxKeys: 4 })), { maxLength: 4 }),
        fc.dictionary(plainKey, tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    let read = 0;
    let total = 0;
    fc.assert(fc.property(fc.array(fc.dictionary(plainKey, tree, { minKeys: 1, maxKeys: 6 }), { minLength: 1, maxLength: 3 }), (docs) => {
      total++;
      if (expectSame(stringifyDocuments(...docs))) read++;
    }), { numRuns: Number(process.env.YAML_PROPERTY_RUNS ?? 1000) });
    expect(read).toBeGreaterThan(total / 4); // the property is about the line reader, not only the fallback
  });

  test('random texts with the structure cdk8s writes, made of lines (indents, dashes, blocks): the same', () => {
    const line = fc.tuple(
      fc.constantFrom('', '  ', '    ', '      ', ' ', '   '),
      fc.constantFrom('', '- ', '- - '),
      fc.oneof(fc.constantFrom('a:', 'b: 1', 'c: x y', 'd: |', 'd: |-', 'd: |+', 'e: []', 'f: {}', 'g: "q"', "h: 'q'", 'x', '1', '---', '', '  ', '#c', 'a: b: c', 'k: v #c', 'k: &x v', 'k: *x', 'k: !!str 1', 'y: n', '<<: *x', 'a:'), str),
    ).map(([i, d, c]) => `${i}${d}${c}`);
    fc.assert(fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
      expectSame(`${lines.join('\n')}\n`);
    }), { numRuns: Number(process.env.YAML_PROPERTY_RUNS ?? 1500) });
  });
});

describe('hostile and unusual inputs: the same result as the yaml package (usually by giving up)', () => {
  const base = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';
  test.each([
    ['an anchor and alias', `${base}data:\n  a: &v x\n  b: *v\n`],
    ['a merge key', `${base}data:\n  <<: {a: 1}\n`],
    ['a tag', `${base}data:\n  a: !!str 1\n`],
    ['a comment', `# c\n${base}`],
    ['a trailing comment', `${base}data:\n  a: x # c\n`],
    ['flow collections', `${base}data: {a: x}\n`],
    ['a multi-line plain scalar', `${base}data:\n  a: x\n    y\n`],
    ['a folded scalar', `${base}data:\n  a: >\n    x\n    y\n`],
    ['an indentation indicator', `${base}data:\n  a: |2\n     x\n`],
    ['keep chomping at the end', `${base}data:\n  a: |+\n    x\n\n\n`],
    ['keep chomping before a document', `${base}data:\n  a: |+\n    x\n\n---\n${base}`],
    ['strip chomping', `${base}data:\n  a: |-\n    x\n\n    y\n\n`],
    ['a block scalar with more indented lines', `${base}data:\n  a: |\n    x\n      y\n    z\n`],
    ['a block scalar whose first line is more indented', `${base}data:\n  a: |\n      x\n    y\n`],
    ['a block scalar with a whitespace-only line', `${base}data:\n  a: |\n    x\n      \n    y\n`],
    ['an empty block scalar', `${base}data:\n  a: |\n  b: x\n`],
    ['a tab', `${base}data:\n  a:\tx\n`],
    ['CRLF line ends', base.replace(/\n/g, '\r\n')],
    ['a key written twice', `${base}data:\n  a: x\n  a: y\n`],
    ['a __proto__ key', `${base}data:\n  __proto__: x\n`],
    ['a key YAML 1.1 reads as a boolean', `${base}data:\n  on: x\n`],
    ['a quoted key', `${base}data:\n  "a b": x\n`],
    ['three-space indents', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n   name: x\n'],
    ['a sequence at its key\'s indent', `${base}data:\n  a:\n  - x\n`],
    ['a nested sequence', `${base}data:\n  a:\n    - - x\n`],
    ['an empty dash', `${base}data:\n  a:\n    -\n`],
    ['document end and directives', `%YAML 1.1\n---\n${base}...\n`],
    ['empty documents', `---\n---\n${base}---\n`],
    ['only a separator', '---\n'],
    ['leading blank lines', `\n\n${base}`],
    ['a top-level list', '- a\n- b\n'],
    ['a top-level scalar', 'hello\n'],
    ['an object with items', 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n'],
    ['items that are not a list', 'apiVersion: v1\nkind: List\nitems: x\n'],
    ['an object without kind', 'apiVersion: v1\nmetadata:\n  name: a\n'],
    ['numbers YAML 1.1 reads specially', `${base}data:\n  a: 0755\n  b: 0x1F\n  c: 1e3\n  d: 1_000\n  e: 1:20\n  f: -0\n  g: 12345678901234567890\n`],
    ['booleans and nulls of YAML 1.1', `${base}data:\n  a: yes\n  b: Off\n  c: ~\n  d: Null\n  e: y\n`],
    ['escapes', `${base}data:\n  a: "\\x41\\u00e9\\e"\n  b: "a\\"b\\\\c\\nd"\n  c: 'it''s'\n`],
    ['a mapping in a sequence under a mapping', `${base}spec:\n  list:\n    - name: a\n      value: 1\n    - name: b\n`],
    ['plain scalars with indicators inside', `${base}data:\n  a: x]y\n  b: a,b\n  c: x: y\n  d: a #b\n  e: x:\n`],
    ['deep nesting', `${base}data:\n${Array.from({ length: 60 }, (_, i) => `${'  '.repeat(i + 1)}k:`).join('\n')} x\n`],
    ['an empty text', ''],
    ['only blank lines', '\n  \n\n'],
  ])('%s', (_, text) => {
    expectSame(text);
  });
});
