import { Yaml } from 'cdk8s';

/**
 * `Yaml.stringify(doc)` of cdk8s, byte for byte, several times faster for the documents cdk8s objects are made of.
 * The yaml library builds a node tree per document and tests every scalar against every tag of the YAML 1.1 schema;
 * with thousands of objects that was a fifth of a run. This writes block mappings and sequences directly and
 * decides only the cases it can prove: strings it can show need no quotes, integers, booleans, null. Any other
 * string is rendered by `Yaml.stringify` itself (cached; block scalars moved to their indent), and a document with
 * anything else (shared objects that yaml would turn into aliases, nested sequences, non-integer numbers, unusual
 * keys) is given to `Yaml.stringify` whole. Tests compare both on random documents.
 */
export function toYaml(doc: unknown): string {
  if (!isPlainObject(doc) || Object.keys(doc).length === 0) return cdk8sStringify(doc);
  return emitMap(doc, '', '', new Set()) ?? cdk8sStringify(doc);
}

// Symbol.for: two copies of this package in one process see each other's replacement.
const ORIGINAL = Symbol.for('cdk8s-nginx-rollouts/yaml-stringify-original');

/** cdk8s' own `Yaml.stringify`, also while {@link useDirectEmitter} has replaced it. */
function cdk8sStringify(...docs: unknown[]): string {
  const current = Yaml.stringify as typeof Yaml.stringify & { [ORIGINAL]?: typeof Yaml.stringify };
  return (current[ORIGINAL] ?? current).apply(Yaml, docs);
}

/** `Yaml.stringify(...docs)` of cdk8s, byte for byte: each document (undefined: an empty line), joined by `---`. */
export function stringifyDocuments(...docs: unknown[]): string {
  return docs.map((d) => (d === undefined ? '\n' : toYaml(d))).join('---\n');
}

/**
 * Makes cdk8s write YAML with {@link stringifyDocuments} until the returned function is called: `app.synth()` and
 * `app.synthYaml()` call `Yaml.stringify` for their output, and the yaml library took 40% of a `synthYaml()` of
 * 1,000 Rollouts (ten times what the direct emitter takes for the same documents). Nested use is a no-op.
 *
 * @internal called around the app's synth by the constructs' validation; not part of the public API.
 */
export function useDirectEmitter(): () => void {
  const original = Yaml.stringify as typeof Yaml.stringify & { [ORIGINAL]?: typeof Yaml.stringify };
  if (original[ORIGINAL]) return () => undefined;
  const direct = Object.assign((...docs: unknown[]) => stringifyDocuments(...docs), { [ORIGINAL]: original });
  Yaml.stringify = direct;
  return () => {
    if (Yaml.stringify === direct) Yaml.stringify = original;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// Each emitter returns its lines as one string (undefined: the yaml library writes the whole document), built by
// concatenation: V8 joins the pieces once, when the document is used, instead of an array of lines and a join.

/** The map's lines: the first key after `first`, the others after `indent`. */
function emitMap(map: Record<string, unknown>, indent: string, first: string, seen: Set<object>): string | undefined {
  if (seen.has(map)) return undefined;
  seen.add(map);
  const keys = Object.keys(map);
  let out = '';
  for (let i = 0; i < keys.length; i++) {
    const head = keyHead(keys[i]);
    if (head === undefined) return undefined;
    const entry = emitEntry(head, map[keys[i]], indent, 'map', seen);
    if (entry === undefined) return undefined;
    out += (i === 0 ? first : indent) + entry;
  }
  return out;
}

function emitSeq(seq: unknown[], indent: string, seen: Set<object>): string | undefined {
  if (seen.has(seq)) return undefined;
  seen.add(seq);
  let out = '';
  for (let i = 0; i < seq.length; i++) {
    if (!(i in seq)) return undefined;
    const item = seq[i];
    let lines: string | undefined;
    if (isPlainObject(item) && Object.keys(item).length > 0) {
      // `- first: x` then the other keys under it, one level in
      lines = emitMap(item, deeper(indent), `${indent}- `, seen);
    } else if (Array.isArray(item) && item.length > 0) {
      return undefined;
    } else {
      const entry = emitEntry('-', item, indent, 'seq', seen);
      lines = entry === undefined ? undefined : indent + entry;
    }
    if (lines === undefined) return undefined;
    out += lines;
  }
  return out;
}

/** `head` (`key:` or `-`) and the value: inline for scalars and empty collections, indented below otherwise. */
function emitEntry(head: string, value: unknown, indent: string, context: Context, seen: Set<object>): string | undefined {
  if (Array.isArray(value)) {
    if (value.length === 0) return `${head} []\n`;
    const lines = emitSeq(value, deeper(indent), seen);
    return lines === undefined ? undefined : `${head}\n${lines}`;
  }
  if (isPlainObject(value)) {
    if (Object.keys(value).length === 0) return `${head} {}\n`;
    const inner = deeper(indent);
    const lines = emitMap(value, inner, inner, seen);
    return lines === undefined ? undefined : `${head}\n${lines}`;
  }
  const scalar = renderScalar(value, context);
  if (scalar === undefined) return undefined;
  return `${head} ${scalar.includes('\n') ? reindentBlock(scalar, deeper(indent)) : scalar}\n`;
}

/** `indent` and two spaces, one string per depth. */
function deeper(indent: string): string {
  const depth = (indent.length >> 1) + 1;
  return INDENTS[depth] ??= ' '.repeat(depth * 2);
}
const INDENTS: string[] = [''];

/** `key:` when the key is written plain, else undefined; the same few keys recur in every object. */
function keyHead(key: string): string | undefined {
  let head = KEY_HEADS.get(key);
  if (head === undefined && !KEY_HEADS.has(key)) {
    head = key.length > 1000 || !isPlainSafe(key) ? undefined : `${key}:`;
    if (KEY_HEADS.size < 10_000) KEY_HEADS.set(key, head);
  }
  return head;
}
const KEY_HEADS = new Map<string, string | undefined>();

type Context = 'map' | 'seq';

function renderScalar(value: unknown, context: Context): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : undefined;
  if (typeof value !== 'string') return undefined;
  if (isPlainSafe(value)) return value;
  return renderedByYaml(value, context);
}

const RENDERED: Record<Context, Map<string, string | undefined>> = { map: new Map(), seq: new Map() };

/** The scalar as the yaml library writes it in that position, when that is one line (quoted, or plain). */
function renderedByYaml(value: string, context: Context): string | undefined {
  const cache = RENDERED[context];
  if (cache.has(value)) return cache.get(value);
  let result: string | undefined;
  const text = context === 'map' ? cdk8sStringify({ k: value }) : cdk8sStringify([value]);
  const prefix = context === 'map' ? 'k: ' : '- ';
  const body = text.slice(prefix.length, -1);
  if (text.startsWith(prefix) && text.endsWith('\n')) {
    // One line (plain or quoted), or a block scalar (`|-`, `|2+`...) whose lines are all indented by two spaces at the
    // root: reindentBlock moves them to where the value really is.
    if (!body.includes('\n') || (/^\|[12]?[-+]?$/.test(body.split('\n', 1)[0]) && body.split('\n').slice(1).every((l) => l === '' || l.startsWith('  ')))) {
      result = body;
    }
  }
  if (cache.size < 100_000) cache.set(value, result);
  return result;
}

/**
 * A block scalar rendered at the root (content lines indented by two spaces) moved to `indent`: yaml puts its indent
 * at the start of every non-empty content line and nowhere else, and chooses the header (`|`, `|2-`, ...) the same at
 * every depth below the root.
 */
function reindentBlock(block: string, indent: string): string {
  // the same block (a ConfigMap's file) recurs at the same depth in every object of a kind
  // (the block is the string cached by renderedByYaml: its hash is computed once)
  const cache = REINDENTED[indent.length >> 1] ??= new Map();
  let text = cache.get(block);
  if (text === undefined) {
    text = block.split('\n').map((line, i) => (i === 0 || line === '' ? line : `${indent}${line.slice(2)}`)).join('\n');
    if (cache.size < 1000) cache.set(block, text);
  }
  return text;
}
const REINDENTED: Array<Map<string, string>> = [];

/**
 * A string the yaml library writes plain under the YAML 1.1 schema, as key or value: it starts with a letter or `/`,
 * holds only letters, digits and `_ . / - = + @ %`, and `:` only between two such characters (no `: `, no final
 * `:`), and is not one of 1.1's booleans or nulls (`yes`, `off`, `null`...) or a float without mantissa (`e5`). Other
 * numbers, dates and `.inf` start with a digit, a sign or a dot, which this excludes.
 */
function isPlainSafe(s: string): boolean {
  // the reserved words are at most five characters long, or start with `e`
  return PLAIN_SAFE.test(s) && ((s.length > 5 && (s.charCodeAt(0) | 32) !== 101) || !RESERVED_WORDS.test(s));
}

const PLAIN_SAFE = /^[A-Za-z/][A-Za-z0-9_./=+@%-]*(?::[A-Za-z0-9_./=+@%-]+)*$/;
// `e0`, `E5`, `e-1`: YAML 1.1's float allows an empty mantissa (`[-+]?([0-9][0-9_]*)?(\.[0-9_]*)?[eE][-+]?[0-9]+`).
const RESERVED_WORDS = /^(?:y|n|yes|no|true|false|on|off|null|e[-+]?[0-9]+)$/i;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** For callers that know their documents are JSON. */
export type { Json };
