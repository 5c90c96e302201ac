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
  const outer = emitting;
  emitting = { out: [], seen: new Set() };
  try {
    return emitMap(doc, '', '') ? emitting.out.join('') : cdk8sStringify(doc);
  } finally {
    emitting = outer;
  }
}

/**
 * The lines of the document being written and the collections already in it, shared by the emitter's functions
 * instead of passed to each of them. Saved and restored around each document (the fallback to the yaml library never
 * calls back into this emitter, but a replacement of `Yaml.stringify` could).
 */
let emitting: { out: string[]; seen: Set<object> } = { out: [], seen: new Set() };

// Symbol.for: two copies of this package in one process see each other's replacement.
const ORIGINAL = Symbol.for('cdk8s-nginx-rollouts/yaml-stringify-original');

/** cdk8s' own `Yaml.stringify`, also while {@link useDirectEmitter} has replaced it. */
function cdk8sStringify(...docs: unknown[]): string {
  const current = Yaml.stringify as typeof Yaml.stringify & { [ORIGINAL]?: typeof Yaml.stringify };
  return (current[ORIGINAL] ?? current).apply(Yaml, docs);
}

/** `Yaml.stringify(...docs)` of cdk8s, byte for byte: each document (undefined: an empty line), joined by `---`. */
export function stringifyDocuments(...docs: unknown[]): string {
  // one document: what synth's validation asks for each of our objects
  if (docs.length === 1) return docs[0] === undefined ? '\n' : toYaml(docs[0]);
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

/**
 * The map's entries at `indent`, the first one after `first` instead: `- ` for a map that is an item of a sequence
 * (`- name: x` and then the other keys under `name`).
 */
function emitMap(map: Record<string, unknown>, indent: string, first: string): boolean {
  const { seen } = emitting;
  if (seen.has(map)) return false;
  seen.add(map);
  const keys = Object.keys(map);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key.length > 1000 || !isPlainSafe(key)) return false;
    if (!emitValue(`${i === 0 ? first : indent}${key}:`, map[key], indent, 'map')) return false;
  }
  return true;
}

function emitSeq(seq: unknown[], indent: string): boolean {
  const { seen, out } = emitting;
  if (seen.has(seq)) return false;
  seen.add(seq);
  for (let i = 0; i < seq.length; i++) {
    if (!(i in seq)) return false;
    const item = seq[i];
    if (isPlainObject(item)) {
      if (Object.keys(item).length === 0) out.push(`${indent}- {}\n`);
      else if (!emitMap(item, `${indent}  `, `${indent}- `)) return false;
    } else if (Array.isArray(item)) {
      if (item.length > 0) return false;
      out.push(`${indent}- []\n`);
    } else if (!emitValue(`${indent}-`, item, indent, 'seq')) {
      return false;
    }
  }
  return true;
}

/** `head` (`key:` or `-`) and the value: inline for scalars and empty collections, indented below otherwise. */
function emitValue(head: string, value: unknown, indent: string, context: Context): boolean {
  const { out } = emitting;
  switch (typeof value) {
    case 'string': {
      if (isPlainSafe(value)) {
        out.push(`${head} ${value}\n`);
        return true;
      }
      const scalar = renderedByYaml(value, context);
      if (scalar === undefined) return false;
      out.push(`${head} ${scalar.includes('\n') ? reindentBlock(scalar, `${indent}  `) : scalar}\n`);
      return true;
    }
    case 'number':
      if (!Number.isSafeInteger(value) || Object.is(value, -0)) return false;
      out.push(`${head} ${value}\n`);
      return true;
    case 'boolean':
      out.push(value ? `${head} true\n` : `${head} false\n`);
      return true;
    case 'object':
      if (value === null) {
        out.push(`${head} null\n`);
        return true;
      }
      if (Array.isArray(value)) {
        if (value.length === 0) {
          out.push(`${head} []\n`);
          return true;
        }
        out.push(`${head}\n`);
        return emitSeq(value, `${indent}  `);
      }
      if (!isPlainObject(value)) return false;
      if (Object.keys(value).length === 0) {
        out.push(`${head} {}\n`);
        return true;
      }
      out.push(`${head}\n`);
      return emitMap(value, `${indent}  `, `${indent}  `);
    default:
      return false;
  }
}

type Context = 'map' | 'seq';

const RENDERED: Record<Context, Map<string, string | undefined>> = { map: new Map(), seq: new Map() };

/** The scalar as the yaml library writes it in that position, when that is one line (quoted, or plain). */
function renderedByYaml(value: string, context: Context): string | undefined {
  const cache = RENDERED[context];
  const known = cache.get(value);
  if (known !== undefined || cache.has(value)) return known;
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
  // every content line starts with the two spaces (renderedByYaml checks it), empty lines have none
  return block.split('\n  ').join(`\n${indent}`);
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
