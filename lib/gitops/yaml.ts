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
  const out: string[] = [];
  return emitMap(doc, '', out, new Set()) ? out.join('') : cdk8sStringify(doc);
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

function emitMap(map: Record<string, unknown>, indent: string, out: string[], seen: Set<object>): boolean {
  if (seen.has(map)) return false;
  seen.add(map);
  for (const key of Object.keys(map)) {
    if (key.length > 1000 || !isPlainSafe(key)) return false;
    if (!emitEntry(`${indent}${key}:`, map[key], indent, 'map', out, seen)) return false;
  }
  return true;
}

function emitSeq(seq: unknown[], indent: string, out: string[], seen: Set<object>): boolean {
  if (seen.has(seq)) return false;
  seen.add(seq);
  for (let i = 0; i < seq.length; i++) {
    if (!(i in seq)) return false;
    const item = seq[i];
    if (isPlainObject(item) && Object.keys(item).length > 0) {
      // `- first: x` then the other keys under it: the map is written one level in, then its first indent becomes "- "
      const first = out.length;
      if (!emitMap(item, `${indent}  `, out, seen)) return false;
      out[first] = `${indent}- ${out[first].slice(indent.length + 2)}`;
    } else if (Array.isArray(item) && item.length > 0) {
      return false;
    } else if (!emitEntry(`${indent}-`, item, indent, 'seq', out, seen)) {
      return false;
    }
  }
  return true;
}

/** `head` (`key:` or `-`) and the value: inline for scalars and empty collections, indented below otherwise. */
function emitEntry(head: string, value: unknown, indent: string, context: Context, out: string[], seen: Set<object>): boolean {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(`${head} []\n`);
      return true;
    }
    out.push(`${head}\n`);
    return emitSeq(value, `${indent}  `, out, seen);
  }
  if (isPlainObject(value)) {
    if (Object.keys(value).length === 0) {
      out.push(`${head} {}\n`);
      return true;
    }
    out.push(`${head}\n`);
    return emitMap(value, `${indent}  `, out, seen);
  }
  const scalar = renderScalar(value, context);
  if (scalar === undefined) return false;
  out.push(`${head} ${scalar.includes('\n') ? reindentBlock(scalar, `${indent}  `) : scalar}\n`);
  return true;
}

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
  return block.split('\n').map((line, i) => (i === 0 || line === '' ? line : `${indent}${line.slice(2)}`)).join('\n');
}

/**
 * A string the yaml library writes plain under the YAML 1.1 schema, as key or value: it starts with a letter or `/`,
 * holds only letters, digits and `_ . / - = + @ %`, and `:` only between two such characters (no `: `, no final
 * `:`), and is not one of 1.1's booleans or nulls (`yes`, `off`, `null`...) or a float without mantissa (`e5`). Other
 * numbers, dates and `.inf` start with a digit, a sign or a dot, which this excludes.
 */
function isPlainSafe(s: string): boolean {
  return PLAIN_SAFE.test(s) && !RESERVED_WORDS.test(s);
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
