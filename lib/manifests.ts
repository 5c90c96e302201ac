import * as fs from 'fs';
import * as path from 'path';
import type { Document, Node as YamlNode, ScalarTag, Tags } from 'yaml';
import { parsePlainYaml } from './simple-yaml';

// The yaml package (70 modules) loads on the first text that the line reader (./simple-yaml) leaves to it: what cdk8s
// writes never needs it, so `nginx-rollouts synth` does without.
let yamlPackage: typeof import('yaml') | undefined;
// eslint-disable-next-line @typescript-eslint/no-var-requires
const yaml = (): typeof import('yaml') => (yamlPackage ??= require('yaml') as typeof import('yaml'));
const isAlias = ((n: unknown) => yaml().isAlias(n)) as typeof import('yaml').isAlias;
const isMap = ((n: unknown) => yaml().isMap(n)) as typeof import('yaml').isMap;
const isScalar = ((n: unknown) => yaml().isScalar(n)) as typeof import('yaml').isScalar;
const isSeq = ((n: unknown) => yaml().isSeq(n)) as typeof import('yaml').isSeq;

/**
 * Whether parseFile tries the line reader first (tests turn it off to compare with the yaml package alone).
 * @internal
 */
export const plainReader = { enabled: true };

/**
 * The manifest loader behind `lint`, `plan` and `synth`'s check: it reads YAML the way `kubectl apply -f` does, and
 * survives hostile input (a pull request's YAML in CI).
 *
 * The dialect is kubectl's: sigs.k8s.io/yaml over go-yaml v2, that is YAML 1.1 plain scalars and merge keys, then a
 * conversion to JSON. Measured against `kubectl annotate --local -f FILE -o json` (client 1.32):
 * - `y`/`n`, `yes`/`no`, `on`/`off`, `true`/`false` (any of their case forms) are booleans, also as keys (`on:` is the
 *   key "true"); `~`, `null` and the empty value are null.
 * - `0755` is octal (493), `0o755`, `0x1F`, `0b101` and `1_000` are integers, `08` is 8; `1:20` (a YAML 1.1
 *   sexagesimal) and `2001-12-14` (a timestamp) stay strings; `!!binary` is the decoded text.
 * - Anchors and aliases; merge keys `<<: *base` and `<<: [*a, *b]`, where, as go-yaml v2 does, a merge overrides the
 *   keys written before it and the keys after it override the merge, and of several merged maps the first wins.
 * - A key written twice keeps its last value (reported as a warning); `.inf` and `.nan`, a null key and a map or list
 *   used as a key are errors, as JSON has no such value.
 * - Any object with an `items` field is a list whatever its kind (`List`, `ConfigMapList`...), and its items are the
 *   objects; a top-level list (a JSON array) is an error, as kubectl refuses it ("cannot unmarshal array"), but its
 *   items are still read so that `lint` and `plan` say something useful about them.
 * - The text is UTF-8 (a BOM is allowed) without control characters, as go-yaml's reader requires.
 */

/**
 * One Kubernetes object read from a YAML file.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export interface LoadedObject {
  /** The file it came from, as given (or found under a given folder). */
  readonly file: string;
  /** Its position among the objects of that file, from 0 (a List's items count one each). */
  readonly index: number;
  /** The parsed object (plain JSON). */
  readonly object: any;
}

/**
 * A file, or a document in it, that could not be read or is not a Kubernetes object.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export interface LoadError {
  /** The file (or input path) that failed. */
  readonly file: string;
  /** What went wrong; for one document, it starts with `document N (line L)`, N counting from 1. */
  readonly message: string;
  /** The document's position in the file, from 0, when the error is about one document. */
  readonly document?: number;
}

/**
 * Something read but worth saying: a skipped special file, an empty file, a key written twice.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export interface LoadWarning {
  readonly file: string;
  readonly message: string;
}

/**
 * What {@link loadManifests} read.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export interface LoadResult {
  /** Every object, in file order then document order. */
  readonly objects: LoadedObject[];
  /** Files or documents that could not be read or are not Kubernetes objects. */
  readonly errors: LoadError[];
  /** Skipped special files, files without objects, repeated keys. */
  readonly warnings: LoadWarning[];
}

const YAML_FILE = /\.(ya?ml|json)$/i;

/** A larger file is refused unread: no manifest is this big, and a parser should not be fed gigabytes. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * How many values aliases (and merge keys) may add to one file. A 411-byte "billion laughs" file expands to hundreds
 * of millions of values; hand-written manifests with anchors add a few hundred. go-yaml (kubectl) has a similar
 * guard ("document contains excessive aliasing").
 */
export const MAX_ALIAS_VALUES = 100_000;

/**
 * How many YAML documents one file may hold. Every document costs memory however small it is: 64 MiB of `a: 1`
 * documents (7.4 million) took 4.2 GiB and five minutes to lint, which ends the process on a machine with less
 * memory. Counted before anything is parsed: a file with more document markers is refused. The limit is far above
 * what synth writes into one file (three documents a Rollout, one file a chart).
 */
export const MAX_DOCUMENTS = 250_000;

/**
 * How much structure a file may have when it goes to the yaml package (anything but the plain block style cdk8s and
 * kubectl write, which the line reader reads): its lines plus its flow items (`[`, `{`, `,`). The yaml package keeps
 * a whole file's syntax tree, about 2.5 KiB of memory a node: 7 MB of `- a: 1` lines took 2.6 GiB and 100 s. Counted
 * before the yaml package sees the file.
 */
export const MAX_YAML_NODES = 250_000;

/**
 * How many lines one file may have, whichever reader reads it. The line reader keeps every value it reads: 4 million
 * list items in 62 MB took 1.4 GiB and a minute. No object is over 1.5 MiB (etcd's limit on a request), so a file of
 * more lines holds many objects and can be split. synth's own output is about 24 bytes a line: its 64 MiB are 2.8
 * million lines, a chart of about 19,000 Rollouts; this limit is reached at about 13,000.
 */
export const MAX_LINES = 2_000_000;

/** A line that starts a document (`---`) or ends one (`...`): a file of N documents has at least N - 1 of them. */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;

/** Lines and flow items of `text`: an upper bound of the nodes the yaml package makes of it. */
function yamlNodeBound(text: string): number {
  let n = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */ || c === 44 /* , */ || c === 91 /* [ */ || c === 123 /* { */) n++;
  }
  return n;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Reads every YAML (or JSON) document from the given files and folders (folders recursively, files sorted by path so
 * the result is deterministic). Empty documents are skipped; a list object is expanded into its items. Nothing here
 * throws for bad input: each problem is an error or warning naming its file, and the other files are still read.
 */
export function loadManifests(inputs: string[]): LoadResult {
  const objects: LoadedObject[] = [];
  const errors: LoadError[] = [];
  const warnings: LoadWarning[] = [];
  for (const { file, named } of expandInputs(inputs, errors, warnings)) {
    const read = readText(file, named);
    if ('skip' in read) {
      warnings.push({ file, message: read.skip });
      continue;
    }
    if ('error' in read) {
      errors.push({ file, message: read.error });
      continue;
    }
    try {
      parseFile(file, read.text, objects, errors, warnings);
    } catch (e) {
      // A defect of ours or of the parser must not take the other files' results with it.
      errors.push({ file, message: `cannot read it: ${(e as Error).message}` });
    }
  }
  return { objects, errors, warnings };
}

/** The parser options for kubectl's dialect (see the file comment). */
const YAML_OPTIONS = {
  version: '1.1' as const,
  // Merge keys are resolved by `toJson` below, with go-yaml v2's precedence, which differs from the yaml package's.
  merge: false,
  // kubectl keeps the last value of a repeated key; toJson warns about it.
  uniqueKeys: false,
  // The yaml package's own warnings (an unknown tag...) would go to stderr unasked.
  logLevel: 'error' as const,
  customTags: kubectlTags,
};

function kubectlTags(tags: Tags): Tags {
  const dropped = new Set(['tag:yaml.org,2002:timestamp', 'tag:yaml.org,2002:merge', 'tag:yaml.org,2002:omap', 'tag:yaml.org,2002:pairs', 'tag:yaml.org,2002:set', 'tag:yaml.org,2002:binary']);
  const kept = tags.filter((t) => {
    const tag = t as ScalarTag;
    // Sexagesimal numbers (`1:20`) and timestamps are strings to go-yaml v2 when decoded into JSON-like values.
    if (tag.format === 'TIME') return false;
    // The yaml package's YAML 1.1 floats take `e1`, `.`, `-.` and `.e1` for numbers (NaN, an error below); go-yaml
    // v2 reads them as strings (goFloat below). The tag of `.inf`/`.nan` stays: JSON cannot hold them, an error below.
    if (tag.tag === 'tag:yaml.org,2002:float' && !tag.test?.test('.nan')) return false;
    return !dropped.has(tag.tag);
  });
  return [...kept, goPrefixedInt, goFloat, binaryAsText];
}

/**
 * go-yaml v2's floats: a plain scalar starting with a sign or a digit, with its `_` removed, is a float when it
 * matches `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$` (resolve.go's yamlStyleFloat) and is no int; one
 * starting with `.` is a float when Go's `strconv.ParseFloat` reads it as is (`.5`, `.5e3`).
 */
const goFloat: ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:float',
  format: 'GO',
  // A sign then digits or `.digits` (`_` anywhere after the first character: go-yaml removes them); a digit first; or
  // a dot first, without `_` (go-yaml does not remove them there, and ParseFloat allows them only between digits).
  test: /^(?:[-+]_*(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]*[0-9][0-9_]*)(?:[eE]_*(?:[-+]_*)?[0-9][0-9_]*)?|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE]_*(?:[-+]_*)?[0-9][0-9_]*)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?)$/,
  resolve: (str: string) => parseFloat(str.replace(/_/g, '')),
};

/** Go's `strconv.ParseInt(s, 0, 64)`, which go-yaml v2 uses, also reads `0o17`, `0X1F`, `0B101`. */
const goPrefixedInt: ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:int',
  format: 'GO',
  test: /^[-+]?0(?:[oO][0-7_]+|[xX][0-9a-fA-F_]+|[bB][01_]+)$/,
  resolve(str: string) {
    const sign = str.startsWith('-') ? -1 : 1;
    const body = str.replace(/^[-+]/, '').replace(/_/g, '');
    const base = { o: 8, x: 16, b: 2 }[body[1].toLowerCase() as 'o' | 'x' | 'b'];
    return sign * parseInt(body.slice(2), base);
  },
};

/** go-yaml v2 decodes `!!binary` into the bytes as a string, which JSON then carries as text. */
const binaryAsText: ScalarTag = {
  identify: () => false,
  default: false,
  tag: 'tag:yaml.org,2002:binary',
  resolve: (str: string) => Buffer.from(str.replace(/\s/g, ''), 'base64').toString('utf8'),
};

// What go-yaml's reader refuses ("control characters are not allowed"): C0 controls other than tab, LF and CR, DEL,
// C1 controls other than NEL, and the non-characters U+FFFE/U+FFFF.
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]/;

/** Line (from 1) and column (from 1) of an offset. */
function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}

function parseFile(file: string, text: string, objects: LoadedObject[], errors: LoadError[], warnings: LoadWarning[]): void {
  const control = CONTROL.exec(text);
  if (control) {
    const { line, col } = lineCol(text, control.index);
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    errors.push({ file, message: `not a YAML text: control character U+${code} at line ${line}, column ${col} (YAML, and kubectl, allow none)` });
    return;
  }
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < text.length - 1; i = text.indexOf('\n', i + 1)) {
    if (++lines > MAX_LINES) {
      errors.push({ file, message: `cannot read it: more than the ${count(MAX_LINES)} lines a manifest file may have; split it into several files` });
      return;
    }
  }
  let markers = 0;
  DOCUMENT_MARKER.lastIndex = 0;
  while (DOCUMENT_MARKER.exec(text) !== null) {
    if (++markers > MAX_DOCUMENTS) {
      errors.push({
        file,
        message: `cannot read it: more than ${count(MAX_DOCUMENTS)} document markers (\`---\`, \`...\`), and a manifest file may hold at ` +
          `most ${count(MAX_DOCUMENTS)} documents; split it into several files`,
      });
      return;
    }
  }
  let index = 0;
  let documents = 0;
  /** A document's JSON value: skipped when null (as kubectl does), else its objects or why they are not. */
  const accept = (value: unknown, fail: (message: string) => void): void => {
    // kubectl skips a document that is empty or `null`.
    if (value === null) return;
    documents++;
    const push = (object: unknown, label: string): void => {
      const problem = notAnObject(object);
      if (problem) fail(label + problem);
      else objects.push({ file, index: index++, object });
    };
    if (Array.isArray(value)) {
      // kubectl: `json: cannot unmarshal array into Go value of type unstructured.detector`.
      fail(`a list of ${value.length} item${value.length === 1 ? '' : 's'}, not an object: kubectl cannot apply a top-level list; write one document per object, or an object \`kind: List\` with the objects under \`items\``);
      value.forEach((item, i) => push(item, `[${i}]: `));
      return;
    }
    if (isObject(value) && 'items' in value && value.items !== null && value.items !== undefined) {
      // kubectl's unstructured decoder reads any object with `items` as a list, whatever its kind, and applies the items.
      const items = value.items;
      if (!Array.isArray(items)) {
        fail(`items is ${describe(items)}: an object with \`items\` is a list to kubectl, and its items must be a list of objects`);
        return;
      }
      items.forEach((item, i) => {
        if (isObject(item) && 'items' in item && item.items !== null && item.items !== undefined) fail(`items[${i}]: a list inside a list, which kubectl does not apply`);
        else push(item, `items[${i}]: `);
      });
      return;
    }
    push(value, '');
  };

  // The plain YAML that cdk8s writes, line by line; anything else through the yaml package.
  const plain = plainReader.enabled ? parsePlainYaml(text) : undefined;
  if (plain !== undefined) {
    plain.forEach(({ value, line }, d) => accept(value, (message) => errors.push({ file, document: d, message: `document ${d + 1} (line ${line}): ${message}` })));
  } else {
    const nodes = yamlNodeBound(text);
    if (nodes > MAX_YAML_NODES) {
      errors.push({
        file,
        message: `cannot read it: ${count(nodes)} lines and flow items, more than the ${count(MAX_YAML_NODES)} a file may have when it is ` +
          'not in the plain block style cdk8s and kubectl write (that style is read line by line, without this limit); split it into several files',
      });
      return;
    }
    const docs = yaml().parseAllDocuments(text, YAML_OPTIONS) as unknown as Document.Parsed[];
    const budget = { aliasValues: 0 };
    for (let d = 0; d < docs.length; d++) {
      const doc = docs[d];
      const where = `document ${d + 1} (line ${lineCol(text, doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0).line})`;
      const fail = (message: string) => errors.push({ file, document: d, message: `${where}: ${message}` });
      if (doc.errors.length > 0) {
        const e = doc.errors[0];
        const first = e.message.split('\n')[0].replace(/:$/, '');
        fail(/Maximum call stack/.test(first) ? `nested too deeply to read (${first.replace(/^Maximum call stack size exceeded ?/, '')})` : first);
        continue;
      }
      if (doc.contents === null) continue;
      let value: unknown;
      try {
        value = toJson(doc.contents, { text, anchors: new Map(), budget, warn: (m) => warnings.push({ file, message: `${where}: ${m}` }) });
      } catch (e) {
        if (e instanceof RangeError && /call stack/.test(e.message)) fail('nested too deeply to read');
        else if (e instanceof ManifestError) fail(e.message);
        else throw e;
        // The alias budget is per file: after a bomb, the rest of the file is not worth reading.
        if (budget.aliasValues > MAX_ALIAS_VALUES) break;
        continue;
      }
      accept(value, fail);
    }
  }
  if (documents === 0 && errors.every((e) => e.file !== file)) {
    warnings.push({ file, message: 'no Kubernetes objects: the file is empty or holds only comments or empty documents' });
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `a list of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (typeof v === 'string') return `a string (${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)})`;
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v} (${String(v)})`;
}

/** Why the value is not something kubectl can apply, or null. Same checks as kubectl's "Object 'Kind' is missing". */
function notAnObject(v: unknown): string | null {
  if (!isObject(v)) return `not a Kubernetes object: ${describe(v)}, where an object with apiVersion and kind is expected`;
  const missing = (['apiVersion', 'kind'] as const).filter((f) => typeof v[f] !== 'string' || v[f] === '');
  const what = missing.map((f) => (v[f] === undefined ? `it has no ${f}` : `its ${f} is ${describe(v[f])}`)).join(' and ');
  if (missing.length > 0) return `not a Kubernetes object: ${what}; kubectl needs apiVersion and kind as non-empty strings ("Object 'Kind' is missing")`;
  return notObjectMeta(v.metadata);
}

/** Go's name for a JSON value's type, as `encoding/json` says it in "cannot unmarshal X into ...". */
function goJsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
}

/**
 * kubectl decodes every object's `metadata` into a typed ObjectMeta, whatever the kind (a CRD's too), and refuses
 * the document when a field has another JSON type. YAML 1.1 makes that easy to miss: `enabled: yes`, `canary: on`,
 * `version: 1.0` and `prometheus.io/port: 9090` are a boolean and numbers, not strings ("json: cannot unmarshal
 * number into Go struct field ObjectMeta.metadata.annotations of type string"). `null` is fine (Go leaves "").
 */
function notObjectMeta(meta: unknown): string | null {
  if (meta === undefined || meta === null) return null;
  const refused = (field: string, value: unknown, type: string, fix = '') =>
    `metadata${field} is ${describe(value)}, not ${type === 'string' ? 'a string' : `a ${type}`}${fix}; kubectl refuses the ` +
    `object ("cannot unmarshal ${goJsonType(value)} into Go struct field ObjectMeta.metadata${field.replace(/\[.*\]$/, '')} of type ${type}")`;
  if (!isObject(meta)) return refused('', meta, 'v1.ObjectMeta').replace('not a v1.ObjectMeta', 'not an object');
  for (const f of ['name', 'generateName', 'namespace']) {
    if (meta[f] !== undefined && meta[f] !== null && typeof meta[f] !== 'string') return refused(`.${f}`, meta[f], 'string');
  }
  const problems: string[] = [];
  for (const f of ['labels', 'annotations']) {
    const map = meta[f];
    if (map === undefined || map === null) continue;
    if (!isObject(map)) {
      problems.push(refused(`.${f}`, map, 'map[string]string'));
      continue;
    }
    for (const [key, value] of Object.entries(map)) {
      if (value !== null && typeof value !== 'string') {
        // The YAML's own text (`yes`, `1.0`) is what the author meant, so the fix is to quote it, whatever it became.
        const quote = typeof value === 'boolean' || typeof value === 'number' ? ' (quote the value in the YAML)' : '';
        problems.push(refused(`.${f}[${JSON.stringify(key)}]`, value, 'string', quote));
      }
    }
  }
  const finalizers = meta.finalizers;
  if (finalizers !== undefined && finalizers !== null) {
    if (!Array.isArray(finalizers)) problems.push(refused('.finalizers', finalizers, '[]string'));
    else finalizers.forEach((x, i) => { if (x !== null && typeof x !== 'string') problems.push(refused(`.finalizers[${i}]`, x, 'string')); });
  }
  return problems.length === 0 ? null : problems.join('; ');
}

class ManifestError extends Error {}

interface Ctx {
  readonly text: string;
  /** Anchor name to its JSON value and how many values it holds; a later anchor of the same name replaces it. */
  readonly anchors: Map<string, { value: unknown; size: number }>;
  readonly budget: { aliasValues: number };
  readonly warn: (message: string) => void;
}

/**
 * The JSON value of a node and how many values it holds (aliases expanded), as sigs.k8s.io/yaml converts it. Aliases
 * share their target's JSON value (nothing downstream mutates objects), so only merge keys copy; what aliases add is
 * counted against the file's budget BEFORE anything is copied or traversed.
 */
function toJson(node: YamlNode | null, ctx: Ctx): unknown {
  return convert(node, ctx).value;
}

function at(ctx: Ctx, node: YamlNode | null | undefined): string {
  const { line, col } = lineCol(ctx.text, node?.range?.[0] ?? 0);
  return `line ${line}, column ${col}`;
}

function convert(node: YamlNode | null, ctx: Ctx): { value: unknown; size: number } {
  let result: { value: unknown; size: number };
  if (node === null || node === undefined) {
    result = { value: null, size: 1 };
  } else if (isAlias(node)) {
    const target = ctx.anchors.get(node.source);
    if (!target) throw new ManifestError(`alias *${node.source} at ${at(ctx, node)} names no anchor defined before it`);
    spend(ctx, target.size, node);
    return target;
  } else if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new ManifestError(`${String(node.source ?? v)} at ${at(ctx, node)} is not a number JSON can hold; kubectl refuses it ("unsupported value")`);
    }
    result = { value: v === undefined ? null : v, size: 1 };
  } else if (isSeq(node)) {
    const out: unknown[] = [];
    let size = 1;
    for (const item of node.items) {
      const c = convert(item as YamlNode, ctx);
      out.push(c.value);
      size += c.size;
    }
    result = { value: out, size };
  } else if (isMap(node)) {
    const out: Record<string, unknown> = {};
    const written = new Set<string>();
    let size = 1;
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      if (isScalar(keyNode) && keyNode.value === '<<' && (keyNode.type === 'PLAIN' || keyNode.tag === 'tag:yaml.org,2002:merge')) {
        size += merge(pair.value as YamlNode | null, out, ctx);
        continue;
      }
      const key = jsonKey(keyNode, ctx);
      const c = convert(pair.value as YamlNode | null, ctx);
      if (written.has(key)) ctx.warn(`key "${key}" at ${at(ctx, keyNode)} is written twice in one mapping; kubectl keeps the last value`);
      written.add(key);
      // defineProperty: a key named `__proto__` is data in JSON, not the object's prototype.
      Object.defineProperty(out, key, { value: c.value, enumerable: true, writable: true, configurable: true });
      size += 1 + c.size;
    }
    result = { value: out, size };
  } else {
    throw new ManifestError(`unexpected YAML node at ${at(ctx, node)}`);
  }
  const anchor = (node as { anchor?: string } | null)?.anchor;
  if (anchor) ctx.anchors.set(anchor, result);
  return result;
}

/** Counts what an alias adds; a bomb stops here, before its values are copied or walked. */
function spend(ctx: Ctx, size: number, node: YamlNode): void {
  ctx.budget.aliasValues += size;
  if (ctx.budget.aliasValues > MAX_ALIAS_VALUES) {
    throw new ManifestError(
      `its aliases expand to more than ${MAX_ALIAS_VALUES.toLocaleString('en-US')} values (at ${at(ctx, node)}): refused as an alias bomb ("billion laughs"); kubectl's decoder refuses excessive aliasing too`,
    );
  }
}

/** `<<: *base` or `<<: [*a, *b]`, as go-yaml v2 applies it: into the map as it stands, the first of a list winning. */
function merge(valueNode: YamlNode | null, out: Record<string, unknown>, ctx: Ctx): number {
  const sources = isSeq(valueNode) ? [...(valueNode.items as YamlNode[])].reverse() : [valueNode];
  let size = 0;
  for (const source of sources) {
    const c = convert(source, ctx);
    if (!isObject(c.value)) {
      // go-yaml v2: "map merge requires map or sequence of maps as the value".
      throw new ManifestError(`the merge key << at ${at(ctx, valueNode)} needs a map or a list of maps, not ${describe(c.value)} (kubectl: "map merge requires map or sequence of maps as the value")`);
    }
    if (isAlias(source)) spend(ctx, Object.keys(c.value).length, source);
    for (const [k, v] of Object.entries(c.value)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    size += c.size;
  }
  return size;
}

/** A map key as sigs.k8s.io/yaml writes it into JSON: strings as they are, numbers and booleans as text. */
function jsonKey(node: YamlNode | null, ctx: Ctx): string {
  const c = convert(node, ctx).value;
  if (typeof c === 'string') return c;
  if (typeof c === 'number' || typeof c === 'boolean') return String(c);
  // kubectl: "invalid map key" for a map or list, "unsupported map key" for null. An unquoted `{{ template }}` is the
  // usual cause: YAML reads it as a map whose key is a map.
  const hint = isObject(c) ? ' (a mapping used as a key: an unquoted {{...}} template?)' : '';
  throw new ManifestError(`a key at ${at(ctx, node)} is ${describe(c)}${hint}; JSON keys are strings, and kubectl refuses it ("${c === null ? 'unsupported' : 'invalid'} map key")`);
}

type ReadResult = { text: string } | { skip: string } | { error: string };

const KIND_NAMES: Array<[keyof fs.Stats, string]> = [
  ['isFIFO', 'a FIFO (named pipe)'],
  ['isSocket', 'a socket'],
  ['isCharacterDevice', 'a character device'],
  ['isBlockDevice', 'a block device'],
  ['isDirectory', 'a folder'],
];

function kindOf(st: fs.Stats | fs.Dirent): string {
  for (const [method, name] of KIND_NAMES) if ((st as any)[method]()) return name;
  return 'not a regular file';
}

/**
 * The text of one file. A file found in a folder is opened non-blocking and must be a regular file: a FIFO named
 * `x.yaml` would otherwise wait forever for a writer. A file named on the command line is read whatever it is, as
 * `cat` would (so `lint <(kustomize build env)` works), up to {@link MAX_FILE_BYTES}.
 */
function readText(file: string, named: boolean): ReadResult {
  let fd: number;
  try {
    fd = fs.openSync(file, named ? fs.constants.O_RDONLY : fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    return { error: `cannot read it: ${(e as Error).message}` };
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) return { skip: 'skipped: a folder with a YAML name' };
    if (!st.isFile() && !named) return { skip: `skipped: ${kindOf(st)}, not a regular file` };
    if (st.isFile() && st.size > MAX_FILE_BYTES) return { error: `cannot read it: ${st.size} bytes, more than the ${MAX_FILE_BYTES} a manifest file may have` };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_FILE_BYTES) return { error: `cannot read it: more than the ${MAX_FILE_BYTES} bytes a manifest file may have` };
      chunks.push(chunk.subarray(0, n));
    }
    try {
      // fatal: invalid UTF-8 is an error, as in go-yaml, not silently replaced; the BOM is dropped, as go-yaml does.
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)) };
    } catch {
      return { error: 'not a YAML text: it is not valid UTF-8 (binary data?); kubectl reads manifests as UTF-8' };
    }
  } catch (e) {
    return { error: `cannot read it: ${(e as Error).message}` };
  } finally {
    fs.closeSync(fd);
  }
}

interface Input {
  readonly file: string;
  /** Named on the command line (read whatever it is), rather than found in a folder. */
  readonly named: boolean;
}

/** The files to read, each once even when named twice (a folder and a file in it). */
function expandInputs(inputs: string[], errors: LoadError[], warnings: LoadWarning[]): Input[] {
  const files: Input[] = [];
  for (const input of inputs) {
    let st: fs.Stats;
    try {
      st = fs.statSync(input);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      errors.push({ file: input, message: code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file or folder' : `cannot read it: ${(e as Error).message}` });
      continue;
    }
    if (st.isDirectory()) {
      files.push(...walk(input, errors, warnings).map((file) => ({ file, named: false })));
    } else {
      files.push({ file: input, named: true });
    }
  }
  const seen = new Set<string>();
  return files.filter((f) => {
    const key = path.resolve(f.file);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const KUSTOMIZATION = /^(kustomization\.ya?ml|Kustomization)$/;

/**
 * A folder's YAML files, sorted by name, sub-folders after its own files. In a kustomize folder (a GitOps
 * environment), the files its `resources` list names come first and in that order, which is the apply order, and the
 * kustomization itself is not read as an object. A folder that cannot be listed is an error for that folder only.
 * Symbolic links to folders are not followed (a link loop would never end), as kubectl's `-R` does not.
 */
function walk(dir: string, errors: LoadError[], warnings: LoadWarning[]): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    errors.push({ file: dir, message: `cannot read the folder: ${(e as Error).message}` });
    return [];
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const e of entries) {
    if (e.isDirectory() || !YAML_FILE.test(e.name)) continue;
    if (e.isFile() || e.isSymbolicLink()) files.push(e.name);
    else warnings.push({ file: path.join(dir, e.name), message: `skipped: ${kindOf(e)}, not a regular file` });
  }
  const kustomization = files.find((f) => KUSTOMIZATION.test(f));
  let ordered = files;
  if (kustomization) {
    const listed = kustomizationResources(path.join(dir, kustomization)).filter((r) => files.includes(r));
    ordered = [...listed, ...files.filter((f) => f !== kustomization && !listed.includes(f))];
  }
  const subdirs = entries.filter((e) => e.isDirectory()).flatMap((e) => walk(path.join(dir, e.name), errors, warnings));
  return [...ordered.map((f) => path.join(dir, f)), ...subdirs];
}

/** The plain file names a kustomization lists under `resources` (sub-folders and URLs are left to the walk). */
function kustomizationResources(file: string): string[] {
  try {
    const read = readText(file, false);
    if (!('text' in read)) return [];
    const docs = yaml().parseAllDocuments(read.text, YAML_OPTIONS) as unknown as Document.Parsed[];
    if (docs.length === 0 || docs[0].errors.length > 0) return [];
    const resources = (toJson(docs[0].contents, { text: read.text, anchors: new Map(), budget: { aliasValues: 0 }, warn: () => undefined }) as any)?.resources;
    return Array.isArray(resources) ? resources.filter((r): r is string => typeof r === 'string' && !r.includes('/')) : [];
  } catch {
    return [];
  }
}
