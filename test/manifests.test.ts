import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadManifests, MAX_ALIAS_VALUES, MAX_DOCUMENTS, MAX_FILE_BYTES, MAX_LINES, MAX_YAML_NODES } from '../lib/manifests';

// The module object itself (not TypeScript's import wrapper), so that fault injection reaches the loader's calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const realFs: typeof fs = require('fs');

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifests-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\n`;
const names = (dir: string, inputs = [dir]) => loadManifests(inputs).objects.map((o) => o.object.metadata.name);

describe('loadManifests', () => {
  test('reads every document of every YAML or JSON file, folders sorted by name, sub-folders after', () => {
    const dir = tree({
      'b.yaml': `${cm('b1')}---\n${cm('b2')}`,
      'a.yml': cm('a'),
      'c.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }),
      'sub/d.yaml': cm('d'),
      'notes.txt': cm('ignored'),
    });
    expect(names(dir)).toEqual(['a', 'b1', 'b2', 'c', 'd']);
    expect(loadManifests([dir]).objects.map((o) => [path.basename(o.file), o.index])).toEqual([
      ['a.yml', 0], ['b.yaml', 0], ['b.yaml', 1], ['c.json', 0], ['d.yaml', 0],
    ]);
  });

  test('skips empty documents and expands a List', () => {
    const dir = tree({ 'x.yaml': `---\n---\napiVersion: v1\nkind: List\nitems:\n- ${cm('one').replace(/\n/g, '\n  ').trim()}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: two}}\n` });
    expect(names(dir)).toEqual(['one', 'two']);
  });

  test('reads a file once even when named twice', () => {
    const dir = tree({ 'a.yaml': cm('a') });
    expect(names(dir, [dir, path.join(dir, 'a.yaml'), `${dir}/./a.yaml`])).toEqual(['a']);
  });

  test('a kustomize folder is read in the order its resources list (the apply order), without the kustomization', () => {
    const dir = tree({
      'kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - z-first.yaml\n  - a-second.yaml\n',
      'a-second.yaml': cm('second'),
      'z-first.yaml': cm('first'),
      'extra.yaml': cm('unlisted'),
    });
    expect(names(dir)).toEqual(['first', 'second', 'unlisted']);
  });

  test('reports unreadable input and YAML errors, and reads the rest', () => {
    const dir = tree({ 'bad.yaml': 'a: [1, 2\n', 'good.yaml': cm('good') });
    const result = loadManifests([dir, path.join(dir, 'missing.yaml')]);
    expect(result.objects.map((o) => o.object.metadata.name)).toEqual(['good']);
    // Missing inputs are found while the inputs are listed, before any file is parsed.
    expect(result.errors.map((e) => path.basename(e.file))).toEqual(['missing.yaml', 'bad.yaml']);
    expect(result.errors[0].message).toBe('no such file or folder');
  });
});

/** The errors and warnings of loading one file with the given text, the file named by its base name. */
function load(text: string | Buffer, name = 'x.yaml') {
  const dir = tree({});
  fs.writeFileSync(path.join(dir, name), text);
  const r = loadManifests([dir]);
  return {
    objects: r.objects.map((o) => o.object),
    errors: r.errors.map((e) => `${path.basename(e.file)}: ${e.message}`),
    // `?? []`: so that a loader without warnings fails on the assertions, not here.
    warnings: (r.warnings ?? []).map((w) => `${path.basename(w.file)}: ${w.message}`),
  };
}

const THING = 'apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: t}\n';

/**
 * kubectl's YAML dialect: each expected value below is what `kubectl annotate --local -f FILE -o json` (client 1.32,
 * sigs.k8s.io/yaml over go-yaml v2) printed for the same text. The last test repeats the comparison live when kubectl
 * is installed.
 */
const DIALECT = `${THING}spec:
  bools: [on, off, yes, no, y, n, Y, N, On, OFF, True, FALSE]
  quoted: ["on", 'off', "0755", "1:20"]
  octal: 0755
  octalGo: 0o755
  hex: 0x1F
  binary: -0b1010
  underscore: 1_000
  eight: 08
  ten: 010
  sexagesimal: 1:20
  timestamp: 2001-12-14
  nulls: [~, null, Null]
  exp: 6.8523015e+5
  half: .5
  bytes: !!binary aGVsbG8=
  str: !!str 0755
  keys: {on: a, 1: b, n: c}
`;

const MERGES = `${THING}spec:
  base: &base {a: 1, c: 1}
  overridden:
    a: 0
    <<: *base
    c: 3
  several:
    <<: [{x: 1}, {x: 2, z: 2}]
  list: &list [1, 2]
  again: *list
`;

/**
 * Plain scalars on the edge of go-yaml v2's floats (resolve.go's yamlStyleFloat, `_` removed): kubectl reads the
 * first list as strings, the second as numbers. The yaml package's YAML 1.1 floats read `e1`, `.`, `-.`, `.e1` as
 * NaN, which the loader refused as "not a number JSON can hold": a false error on manifests kubectl applies.
 */
const FLOATS = `${THING}spec:
  strings: [e1, E5, e-1, ., -., +., .e1, 1e, ._5, -e1, 1.2.3]
  numbers: [1e3, 1E-2, .5, -.5, +1.5, 1., 1_000.5, 1_0e1_0, 2.5e+3]
  keys: {e1: a, .: b}
`;

describe('loadManifests reads YAML as kubectl does (YAML 1.1, go-yaml v2 merge keys)', () => {
  test('floats as go-yaml v2 reads them: e1, ., -. and .e1 are strings, not NaN errors; 1e3, .5 and 1_0e1_0 are numbers', () => {
    const { objects, errors } = load(FLOATS);
    expect(errors).toEqual([]);
    expect(objects[0].spec).toEqual({
      strings: ['e1', 'E5', 'e-1', '.', '-.', '+.', '.e1', '1e', '._5', '-e1', '1.2.3'],
      numbers: [1000, 0.01, 0.5, -0.5, 1.5, 1, 1000.5, 1e11, 2500],
      keys: { 'e1': 'a', '.': 'b' },
    });
  });

  test('YAML 1.1 scalars: on/off/yes/no/y/n booleans, octal 0755, no sexagesimal or timestamps', () => {
    const { objects, errors, warnings } = load(DIALECT);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(objects[0].spec).toEqual({
      bools: [true, false, true, false, true, false, true, false, true, false, true, false],
      quoted: ['on', 'off', '0755', '1:20'],
      octal: 493,
      octalGo: 493,
      hex: 31,
      binary: -10,
      underscore: 1000,
      eight: 8,
      ten: 8,
      sexagesimal: '1:20',
      timestamp: '2001-12-14',
      nulls: [null, null, null],
      exp: 685230.15,
      half: 0.5,
      bytes: 'hello',
      str: '0755',
      keys: { true: 'a', 1: 'b', false: 'c' },
    });
  });

  test('anchors, aliases and merge keys with go-yaml v2 precedence: a merge overrides keys before it, keys after it win, the first merged map wins', () => {
    const { objects, errors } = load(MERGES);
    expect(errors).toEqual([]);
    expect(objects[0].spec).toEqual({
      base: { a: 1, c: 1 },
      overridden: { a: 1, c: 3 },
      several: { x: 1, z: 2 },
      list: [1, 2],
      again: [1, 2],
    });
  });

  test('a key written twice keeps its last value, with a warning naming the line', () => {
    const { objects, errors, warnings } = load(`${THING}spec: {x: 1, x: 2}\n`);
    expect(errors).toEqual([]);
    expect(objects[0].spec).toEqual({ x: 2 });
    expect(warnings).toEqual(['x.yaml: document 1 (line 1): key "x" at line 4, column 14 is written twice in one mapping; kubectl keeps the last value']);
  });

  test('values JSON cannot hold are errors, as kubectl refuses them', () => {
    expect(load(`${THING}spec: {x: .inf}\n`).errors).toEqual([
      'x.yaml: document 1 (line 1): .inf at line 4, column 11 is not a number JSON can hold; kubectl refuses it ("unsupported value")',
    ]);
    expect(load(`${THING}spec: {~: 1}\n`).errors).toEqual([
      'x.yaml: document 1 (line 1): a key at line 4, column 8 is null; JSON keys are strings, and kubectl refuses it ("unsupported map key")',
    ]);
    // Argo's own linkerd example has this defect: an unquoted template is a map used as a key.
    expect(load(`${THING}metadata:\n  annotations:\n    linkerd.io/inject: {{args.enabled}}\n`).errors).toEqual([
      'x.yaml: document 1 (line 1): a key at line 6, column 25 is an object (a mapping used as a key: an unquoted {{...}} template?); JSON keys are strings, and kubectl refuses it ("invalid map key")',
    ]);
    expect(load(`${THING}spec:\n  a: &a 1\n  m:\n    <<: *a\n`).errors).toEqual([
      'x.yaml: document 1 (line 1): the merge key << at line 7, column 9 needs a map or a list of maps, not a number (1) (kubectl: "map merge requires map or sequence of maps as the value")',
    ]);
  });

  const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((k) => fs.existsSync(k));
  test('the same texts give what kubectl itself decodes (live, when kubectl is installed)', () => {
    if (!kubectl) {
      console.log('skipped: kubectl is not installed, so the dialect is checked against the recorded values only');
      return;
    }
    for (const text of [DIALECT, MERGES, FLOATS]) {
      const dir = tree({ 'x.yaml': text });
      // --local: decode and print without a cluster; the annotation is the least change that prints the object.
      const out = execFileSync(kubectl, ['annotate', '--local', '-f', path.join(dir, 'x.yaml'), 'oracle=1', '-o', 'json'], {
        env: { ...process.env, KUBECONFIG: path.join(dir, 'no-kubeconfig') },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 30_000,
      });
      const fromKubectl = JSON.parse(out.toString());
      delete fromKubectl.metadata.annotations;
      expect(loadManifests([dir]).objects[0].object).toEqual(fromKubectl);
    }
  });
});

/** Objects whose metadata kubectl cannot decode into ObjectMeta, with the loader's error (kubectl's words quoted). */
const METADATA_KUBECTL_REFUSES: Array<[string, string, string]> = [
  ['a label that YAML 1.1 reads as a boolean', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  labels: {app: web, enabled: yes}\n',
    'document 1 (line 1): metadata.labels["enabled"] is a boolean (true), not a string (quote the value in the YAML); kubectl refuses the object ("cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string")'],
  ['an annotation that is a number, in a CRD kind', 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: r\n  annotations: {prometheus.io/port: 9090}\n',
    'document 1 (line 1): metadata.annotations["prometheus.io/port"] is a number (9090), not a string (quote the value in the YAML); kubectl refuses the object ("cannot unmarshal number into Go struct field ObjectMeta.metadata.annotations of type string")'],
  ['a name that is a number', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 5}\n',
    'document 1 (line 1): metadata.name is a number (5), not a string; kubectl refuses the object ("cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string")'],
  ['labels that are a list', 'apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: t, labels: [a]}\n',
    'document 1 (line 1): metadata.labels is a list of 1 item, not a map[string]string; kubectl refuses the object ("cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string")'],
  ['a finalizer that is a number', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, finalizers: [1]}\n',
    'document 1 (line 1): metadata.finalizers[0] is a number (1), not a string; kubectl refuses the object ("cannot unmarshal number into Go struct field ObjectMeta.metadata.finalizers of type string")'],
];

describe('loadManifests: a document must be a Kubernetes object, as kubectl requires', () => {
  const cases: Array<[string, string | Buffer, string]> = [
    ['a scalar', 'hello\n', 'document 1 (line 1): not a Kubernetes object: a string ("hello"), where an object with apiVersion and kind is expected'],
    ['a number', '42\n', 'document 1 (line 1): not a Kubernetes object: a number (42), where an object with apiVersion and kind is expected'],
    ['{}', '{}\n', `document 1 (line 1): not a Kubernetes object: it has no apiVersion and it has no kind; kubectl needs apiVersion and kind as non-empty strings ("Object 'Kind' is missing")`],
    ['no kind', 'apiVersion: v1\nmetadata: {name: a}\n', `document 1 (line 1): not a Kubernetes object: it has no kind; kubectl needs apiVersion and kind as non-empty strings ("Object 'Kind' is missing")`],
    ['no apiVersion', 'kind: Service\nmetadata: {name: a}\n', `document 1 (line 1): not a Kubernetes object: it has no apiVersion; kubectl needs apiVersion and kind as non-empty strings ("Object 'Kind' is missing")`],
    ['a numeric apiVersion', 'apiVersion: 1\nkind: Thing\n', `document 1 (line 1): not a Kubernetes object: its apiVersion is a number (1); kubectl needs apiVersion and kind as non-empty strings ("Object 'Kind' is missing")`],
    ['an empty kind', 'apiVersion: v1\nkind: ""\n', `document 1 (line 1): not a Kubernetes object: its kind is a string (""); kubectl needs apiVersion and kind as non-empty strings ("Object 'Kind' is missing")`],
    ['binary garbage (not UTF-8)', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x01]), 'not a YAML text: it is not valid UTF-8 (binary data?); kubectl reads manifests as UTF-8'],
    ['control characters', 'apiVersion: v1\nkind: Secret\ndata: {a: "b\u0001c"}\n', 'not a YAML text: control character U+0001 at line 3, column 13 (YAML, and kubectl, allow none)'],
    ['a YAML error', 'a: [1, 2\n', 'document 1 (line 1): Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1'],
    // kubectl decodes every object's metadata into ObjectMeta, whatever the kind: YAML 1.1 booleans and numbers in
    // labels and annotations fail there. lint passed these with 0 errors.
    ...METADATA_KUBECTL_REFUSES,
  ];
  test.each(cases)('%s is an error naming the file and the document', (_name, text, message) => {
    const { objects, errors } = load(text);
    expect(objects).toEqual([]);
    expect(errors).toEqual([`x.yaml: ${message}`]);
  });

  test('the document index and line are those of the bad document; the good ones are still read', () => {
    const dir = tree({ 'x.yaml': `${cm('one')}---\n- a\n- b\n---\n${cm('two')}` });
    const r = loadManifests([dir]);
    expect(r.objects.map((o) => o.object.metadata.name)).toEqual(['one', 'two']);
    expect(r.errors).toEqual([
      expect.objectContaining({ document: 1, message: expect.stringMatching(/^document 2 \(line 5\): a list of 2 items, not an object/) }),
      expect.objectContaining({ document: 1, message: 'document 2 (line 5): [0]: not a Kubernetes object: a string ("a"), where an object with apiVersion and kind is expected' }),
      expect.objectContaining({ document: 1, message: 'document 2 (line 5): [1]: not a Kubernetes object: a string ("b"), where an object with apiVersion and kind is expected' }),
    ]);
  });

  test('metadata kubectl refuses: kubectl itself refuses each of them with the quoted words; a null label is fine (live, when kubectl is installed)', () => {
    expect(load('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, labels: {a: ~, b: "yes"}}\n').errors).toEqual([]);
    const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((k) => fs.existsSync(k));
    if (!kubectl) {
      console.log('skipped: kubectl is not installed');
      return;
    }
    for (const [, text, message] of METADATA_KUBECTL_REFUSES) {
      const dir = tree({ 'x.yaml': text });
      const r = spawnSync(kubectl, ['annotate', '--local', '-f', path.join(dir, 'x.yaml'), 'oracle=1', '-o', 'json'], {
        env: { ...process.env, KUBECONFIG: path.join(dir, 'no-kubeconfig') }, encoding: 'utf8', timeout: 30_000,
      });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(/\("(.*)"\)$/.exec(message)![1]);
    }
  });

  test('a top-level list (a JSON array) is an error, as kubectl refuses it, but its objects are still read', () => {
    const rollouts = [1, 2].map((n) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: `r${n}` } }));
    const { objects, errors } = load(JSON.stringify(rollouts), 'x.json');
    expect(objects.map((o) => o.metadata.name)).toEqual(['r1', 'r2']);
    expect(errors).toEqual([
      'x.json: document 1 (line 1): a list of 2 items, not an object: kubectl cannot apply a top-level list; write one document per object, or an object `kind: List` with the objects under `items`',
    ]);
  });

  test('any object with items is a list, as kubectl reads it: List, *List, even without apiVersion', () => {
    const item = (n: string) => `  - {apiVersion: v1, kind: ConfigMap, metadata: {name: ${n}}}\n`;
    expect(load(`apiVersion: v1\nkind: ConfigMapList\nitems:\n${item('a')}${item('b')}`).objects.map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(load(`kind: List\nitems:\n${item('c')}`).objects.map((o) => o.metadata.name)).toEqual(['c']);
    expect(load('apiVersion: v1\nkind: List\nitems: []\n')).toEqual({ objects: [], errors: [], warnings: [] });
    // A *List without items is an ordinary object to kubectl.
    expect(load('apiVersion: v1\nkind: ThingList\nmetadata: {name: l}\n').objects).toEqual([{ apiVersion: 'v1', kind: 'ThingList', metadata: { name: 'l' } }]);
  });

  test("a list's bad items are errors with their position; its good items are read", () => {
    const { objects, errors } = load('apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- hello\n- {kind: ConfigMap}\n- {apiVersion: v1, kind: List, items: []}\n');
    expect(objects.map((o) => o.metadata.name)).toEqual(['a']);
    expect(errors).toEqual([
      'x.yaml: document 1 (line 1): items[1]: not a Kubernetes object: a string ("hello"), where an object with apiVersion and kind is expected',
      `x.yaml: document 1 (line 1): items[2]: not a Kubernetes object: it has no apiVersion; kubectl needs apiVersion and kind as non-empty strings ("Object 'Kind' is missing")`,
      'x.yaml: document 1 (line 1): items[3]: a list inside a list, which kubectl does not apply',
    ]);
    expect(load('apiVersion: v1\nkind: List\nitems: 5\n').errors).toEqual([
      'x.yaml: document 1 (line 1): items is a number (5): an object with `items` is a list to kubectl, and its items must be a list of objects',
    ]);
  });

  test('an empty file, or one with only comments or empty documents, is a warning, not an error', () => {
    for (const text of ['', '# nothing here\n', '---\n---\n', '~\n']) {
      expect(load(text)).toEqual({ objects: [], errors: [], warnings: ['x.yaml: no Kubernetes objects: the file is empty or holds only comments or empty documents'] });
    }
  });
});

describe('loadManifests survives hostile input', () => {
  const bomb = () => {
    const lines = [THING.trimEnd(), 'spec:', '  a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]'];
    let prev = 'a';
    for (const c of 'bcdefghi') {
      lines.push(`  ${c}: &${c} [${Array(9).fill(`*${prev}`).join(',')}]`);
      prev = c;
    }
    return `${lines.join('\n')}\n`;
  };

  test('an alias bomb is an error naming the file, before anything is expanded', () => {
    const text = bomb();
    expect(text.length).toBeLessThan(450);
    const { objects, errors } = load(text);
    // Counts only: a failing comparison of an expanded bomb would hang the test's diff printer.
    expect(objects.length).toBe(0);
    expect(errors).toEqual([
      `x.yaml: document 1 (line 1): its aliases expand to more than ${MAX_ALIAS_VALUES.toLocaleString('en-US')} values (at line 10, column 10): refused as an alias bomb ("billion laughs"); kubectl's decoder refuses excessive aliasing too`,
    ]);
  });

  test('the alias budget is per file: a bomb split over documents is still refused', () => {
    // Each document alone stays under the budget (9^5 = 59,049 values); together they do not.
    const doc = () => `${THING}spec:\n  a: &a [${Array(9).fill('x').join(',')}]\n${'bcde'.split('').map((c, i) => `  ${c}: &${c} [${Array(9).fill(`*${'abcde'[i]}`).join(',')}]\n`).join('')}`;
    const { errors } = load([doc(), doc(), doc()].join('---\n'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^x\.yaml: document 2 \(line 11\): its aliases expand to more than/);
  });

  test('ordinary anchors are fine: every alias is its anchor\'s value (their speed is tested in test/cli/lint.test.ts)', () => {
    const { objects, errors } = load(`${THING}spec:\n  a: &a x\n  l: [${Array(2000).fill('*a').join(', ')}]\n`);
    expect(errors).toEqual([]);
    expect(objects[0].spec.l.length).toBe(2000);
    expect(objects[0].spec.l.every((v: unknown) => v === 'x')).toBe(true);
  });

  test('nesting too deep for the parser is an error, not a crash', () => {
    const { errors } = load(`${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    expect(errors).toEqual([expect.stringMatching(/^x\.yaml: document 1 \(line 1\): nested too deeply to read/)]);
  });

  test('a file over the size limit is refused unread', () => {
    const dir = tree({});
    const file = path.join(dir, 'huge.yaml');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, MAX_FILE_BYTES + 1); // sparse: no disk used
    expect(loadManifests([dir]).errors).toEqual([{ file, message: `cannot read it: ${MAX_FILE_BYTES + 1} bytes, more than the ${MAX_FILE_BYTES} a manifest file may have` }]);
  });

  // Block style, as cdk8s writes it: read by the line reader.
  const plainCm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

  test(`a file of more than ${MAX_DOCUMENTS.toLocaleString('en-US')} documents is refused before it is parsed; the other files are still read`, () => {
    // 7.4 million tiny documents took 4.2 GiB and five minutes: each document costs memory however small it is.
    const dir = tree({ 'a.yaml': cm('a'), 'many.yaml': 'a: 1\n---\n'.repeat(MAX_DOCUMENTS + 1), 'z.yaml': cm('z') });
    const r = loadManifests([dir]);
    expect(r.objects.map((o) => o.object.metadata.name)).toEqual(['a', 'z']);
    expect(r.errors).toEqual([{
      file: path.join(dir, 'many.yaml'),
      message: `cannot read it: more than 250,000 document markers (\`---\`, \`...\`), and a manifest file may hold at most 250,000 documents; split it into several files`,
    }]);
    // `...` ends a document and a bare one may follow: those markers count too
    expect(load('a: 1\n...\n'.repeat(MAX_DOCUMENTS + 1)).errors).toEqual([expect.stringMatching(/^x\.yaml: cannot read it: more than 250,000 document markers/)]);
  });

  test(`a file of ${MAX_DOCUMENTS.toLocaleString('en-US')} documents is read, every one`, () => {
    // every document with its marker: MAX_DOCUMENTS markers, the most a file may have
    const r = load(`---\n${plainCm('first')}${'---\napiVersion: v1\nkind: A\n'.repeat(MAX_DOCUMENTS - 2)}---\n${plainCm('last')}`);
    expect(r.errors).toEqual([]);
    expect(r.objects.length).toBe(MAX_DOCUMENTS);
    expect([r.objects[0].metadata.name, r.objects[MAX_DOCUMENTS - 1].metadata.name]).toEqual(['first', 'last']);
  });

  test(`a file the yaml package would read, with more than ${MAX_YAML_NODES.toLocaleString('en-US')} lines and flow items, is refused before it is parsed`, () => {
    // 7 MB of `- a: 1` items took 2.6 GiB and 100 s in the yaml package, which keeps a whole file's syntax tree.
    const block = `apiVersion: v1\nkind: List\nitems:\n${'- a: 1 # c\n'.repeat(MAX_YAML_NODES)}`;
    const flow = `apiVersion: v1\nkind: List\nitems: [${'{a: 1},'.repeat(MAX_YAML_NODES / 2)}]\n`;
    expect(load(block).errors).toEqual([
      `x.yaml: cannot read it: ${(MAX_YAML_NODES + 4).toLocaleString('en-US')} lines and flow items, more than the 250,000 a file may have when it is not in the plain block style cdk8s and kubectl write (that style is read line by line, without this limit); split it into several files`,
    ]);
    expect(load(flow).errors).toEqual([expect.stringMatching(/^x\.yaml: cannot read it: 250,005 lines and flow items, more than the 250,000/)]);
    // the same number of lines in the plain block style is read by the line reader, whatever its length
    const plain = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${Array.from({ length: MAX_YAML_NODES }, (_, i) => `  k${i}: v\n`).join('')}`;
    const r = load(plain);
    expect(r.errors).toEqual([]);
    expect(Object.keys(r.objects[0].data).length).toBe(MAX_YAML_NODES);
  });

  test(`a file of more than ${MAX_LINES.toLocaleString('en-US')} lines is refused before it is parsed, in the plain block style too`, () => {
    // 4 million list items in 62 MB took the line reader 1.4 GiB and a minute
    const head = 'apiVersion: v1\nkind: Thing\nmetadata:\n  name: big\nspec:\n';
    const over = load(`${head}${'  - k: v\n'.repeat(MAX_LINES - 4)}`);
    expect(over.errors).toEqual(['x.yaml: cannot read it: more than the 2,000,000 lines a manifest file may have; split it into several files']);
    // exactly MAX_LINES lines, the last one ended by its newline: read (lines of a block scalar: quick to read)
    const r = load(`${head}  k: |\n${'    x\n'.repeat(MAX_LINES - 6)}`);
    expect(r.errors).toEqual([]);
    expect(r.objects[0].spec.k.length).toBe(2 * (MAX_LINES - 6));
  });

  test('a folder that cannot be listed is an error for that folder; the other files are still read (fault injection)', () => {
    const dir = tree({ 'a.yaml': cm('a'), 'locked/b.yaml': cm('b'), 'z/c.yaml': cm('c') });
    const locked = path.join(dir, 'locked');
    const original = realFs.readdirSync;
    // Tests run as root, for whom chmod 000 changes nothing: the refusal is injected instead.
    const spy = jest.spyOn(realFs, 'readdirSync').mockImplementation(((p: fs.PathLike, o?: any) => {
      if (String(p) === locked) throw Object.assign(new Error(`EACCES: permission denied, scandir '${locked}'`), { code: 'EACCES' });
      return original(p, o);
    }) as any);
    try {
      const r = loadManifests([dir]);
      expect(r.objects.map((o) => o.object.metadata.name)).toEqual(['a', 'c']);
      expect(r.errors).toEqual([{ file: locked, message: `cannot read the folder: EACCES: permission denied, scandir '${locked}'` }]);
    } finally {
      spy.mockRestore();
    }
  });

  test('a file that cannot be opened is an error for that file; the other files are still read (fault injection)', () => {
    const dir = tree({ 'a.yaml': cm('a'), 'b.yaml': cm('b'), 'c.yaml': cm('c') });
    const locked = path.join(dir, 'b.yaml');
    const original = realFs.openSync;
    const spy = jest.spyOn(realFs, 'openSync').mockImplementation(((p: fs.PathLike, ...rest: any[]) => {
      if (String(p) === locked) throw Object.assign(new Error(`EACCES: permission denied, open '${locked}'`), { code: 'EACCES' });
      return (original as any)(p, ...rest);
    }) as any);
    try {
      const r = loadManifests([dir]);
      expect(r.objects.map((o) => o.object.metadata.name)).toEqual(['a', 'c']);
      expect(r.errors).toEqual([{ file: locked, message: `cannot read it: EACCES: permission denied, open '${locked}'` }]);
    } finally {
      spy.mockRestore();
    }
  });

  test('chmod 000 on a folder and a file, for real when not root', () => {
    if (process.getuid?.() === 0) {
      console.log('skipped: running as root, where chmod 000 does not refuse reads (the fault-injection tests above cover it)');
      return;
    }
    const dir = tree({ 'a.yaml': cm('a'), 'locked/b.yaml': cm('b'), 'c.yaml': cm('c') });
    fs.chmodSync(path.join(dir, 'locked'), 0o000);
    fs.chmodSync(path.join(dir, 'c.yaml'), 0o000);
    try {
      const r = loadManifests([dir]);
      expect(r.objects.map((o) => o.object.metadata.name)).toEqual(['a']);
      expect(r.errors.map((e) => path.basename(e.file))).toEqual(['c.yaml', 'locked']);
    } finally {
      fs.chmodSync(path.join(dir, 'locked'), 0o755);
    }
  });
});
