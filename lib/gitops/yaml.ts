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
  if (!isPlainObject(doc)) return cdk8sStringify(doc);
  const keys = Object.keys(doc);
  if (keys.length === 0) return cdk8sStringify(doc);
  // saved and restored: the fallback to the yaml library never calls back into this emitter, but a replacement of
  // `Yaml.stringify` could
  const outerOut = out;
  const outerSeen = seen;
  const outerInShared = inShared;
  out = [];
  seen = new Set();
  inShared = false;
  try {
    return emitMap(doc, keys, 0, false) ? out.join('') : cdk8sStringify(thawed(doc));
  } finally {
    out = outerOut;
    seen = outerSeen;
    inShared = outerInShared;
  }
}

// Symbol.for: two copies of this package in one process see each other's replacement.
const ORIGINAL = Symbol.for('cdk8s-nginx-rollouts/yaml-stringify-original');

/** cdk8s' own `Yaml.stringify`, also while {@link useDirectEmitter} has replaced it. */
function cdk8sStringify(...docs: unknown[]): string {
  const current = Yaml.stringify as typeof Yaml.stringify & { [ORIGINAL]?: typeof Yaml.stringify };
  return (current[ORIGINAL] ?? current).apply(Yaml, docs);
}

/**
 * Whether `Yaml.stringify` is this emitter ({@link useDirectEmitter}): JSON with shared parts ({@link shareJson}) may
 * be given to it only then.
 *
 * @internal
 */
export function directEmitterInUse(): boolean {
  return (Yaml.stringify as typeof Yaml.stringify & { [ORIGINAL]?: typeof Yaml.stringify })[ORIGINAL] !== undefined;
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

/*
 * The document being written, a line per entry, joined once at the end (one piece a line: joining many small pieces
 * cost more than building each line, measured), and the collections already in it (the yaml library writes a second
 * reference to one as an alias, which the fallback handles). Module state instead of arguments to every function;
 * saved and restored around each document by toYaml.
 */
let out: string[] = [];
let seen: Set<object> = new Set();
/** Whether a shared part is being written: its collections are not checked against `seen` (see {@link shareJson}). */
let inShared = false;

/**
 * The JSON parts that the renderer shares between objects (lib/rollout/render.ts, `renderOwned`'s `share`: the
 * presets' constant pod parts), each with its YAML text once written, by depth and by whether it is a sequence's
 * item (`depth * 2 + 1`). Bounded by nature: only frozen JSON rendered from frozen constants is here, a few dozen
 * parts with a text or two each, and weakly (an unbounded memo of arbitrary objects' text raised the peak RSS of
 * 10,000 Rollouts by 100 MiB).
 */
const SHARED = new WeakMap<object, Array<string | null | undefined>>();

/**
 * Marks `json` as a part that rendered documents share, and deep-freezes it: every document that holds it writes it
 * from the text kept for its depth. cdk8s' own rendering gives every object new JSON, so where yaml would write a
 * repeated object as an alias, a shared part is written in full each time (it is not checked against `seen`), and
 * before a document goes to the yaml library its shared parts are copied ({@link thawed}).
 *
 * @internal
 */
export function shareJson(json: object): void {
  deepFreeze(json);
  if (!SHARED.has(json)) SHARED.set(json, []);
}

function deepFreeze(x: unknown): void {
  if (typeof x !== 'object' || x === null || Object.isFrozen(x)) return;
  for (const k of Object.keys(x)) deepFreeze((x as Record<string, unknown>)[k]);
  Object.freeze(x);
}

/**
 * The lines of the shared part `value` (see {@link shareJson}) at `depth`, as a sequence's item when `dash`; null
 * when it has something the emitter leaves to the yaml library. Written once per depth, then kept.
 */
function sharedText(value: object, texts: Array<string | null | undefined>, depth: number, dash: boolean): string | null {
  const at = depth * 2 + (dash ? 1 : 0);
  let text = texts[at];
  if (text === undefined) {
    const outerOut = out;
    const outerInShared = inShared;
    out = [];
    inShared = true;
    try {
      const ok = Array.isArray(value) ? emitSeq(value, depth) : emitMap(value as Record<string, unknown>, Object.keys(value), depth, dash);
      text = ok ? out.join('') : null;
    } finally {
      out = outerOut;
      inShared = outerInShared;
    }
    texts[at] = text;
  }
  return text;
}

/**
 * `doc` for the yaml library: when it holds shared parts, a copy in which each is a new object at each place (as
 * cdk8s' own rendering gives them), so that yaml writes no alias for them and nothing outside this module sees them.
 * Objects that are not shared keep their identity among themselves (a repeated one is still one object).
 */
function thawed(doc: unknown): unknown {
  return holdsShared(doc, new Set()) ? thaw(doc, new Map(), false) : doc;
}

function holdsShared(x: unknown, visited: Set<object>): boolean {
  if (typeof x !== 'object' || x === null || visited.has(x)) return false;
  if (SHARED.has(x)) return true;
  visited.add(x);
  for (const k of Object.keys(x)) if (holdsShared((x as Record<string, unknown>)[k], visited)) return true;
  return false;
}

function thaw(x: unknown, copies: Map<object, unknown>, shared: boolean): unknown {
  if (typeof x !== 'object' || x === null || !(Array.isArray(x) || isPlainObject(x))) return x;
  shared ||= SHARED.has(x);
  if (!shared && copies.has(x)) return copies.get(x);
  const copy: any = Array.isArray(x) ? new Array(x.length) : Object.create(Object.getPrototypeOf(x));
  if (!shared) copies.set(x, copy);
  for (const k of Object.keys(x)) copy[k] = thaw((x as any)[k], copies, shared);
  return copy;
}

/**
 * The map's entries, at `depth` (two spaces a level); `dash`: the map is an item of a sequence, its first line starts
 * with the sequence's `- ` (`- name: x`, the other keys under `name`). `keys` are `Object.keys(map)`, not empty.
 */
function emitMap(map: Record<string, unknown>, keys: string[], depth: number, dash: boolean): boolean {
  if (!inShared) {
    if (seen.has(map)) return false;
    seen.add(map);
  }
  const indent = indentOf(depth);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const head = keyText(key);
    if (head === undefined) return false;
    if (!emitValue((i === 0 && dash ? dashOf(depth - 1) : indent) + head, map[key], depth, false)) return false;
  }
  return true;
}

function emitSeq(seq: unknown[], depth: number): boolean {
  if (!inShared) {
    if (seen.has(seq)) return false;
    seen.add(seq);
  }
  const indent = indentOf(depth);
  for (let i = 0; i < seq.length; i++) {
    if (!(i in seq)) return false;
    const item = seq[i];
    if (isPlainObject(item)) {
      const keys = Object.keys(item);
      if (keys.length === 0) {
        out.push(`${indent}- {}\n`);
      } else if (Object.isFrozen(item) && SHARED.has(item)) {
        const text = sharedText(item, SHARED.get(item)!, depth + 1, true);
        if (text === null) return false;
        out.push(text);
      } else if (!emitMap(item, keys, depth + 1, true)) {
        return false;
      }
    } else if (Array.isArray(item)) {
      if (item.length > 0) return false;
      out.push(`${indent}- []\n`);
    } else {
      if (!emitValue(`${indent}-`, item, depth, true)) return false;
    }
  }
  return true;
}

/**
 * `head` (`key:` or `-`, with its indent; the entry is at `depth`) and the value: inline for scalars and empty
 * collections, indented below otherwise.
 */
function emitValue(head: string, value: unknown, depth: number, inSeq: boolean): boolean {
  switch (typeof value) {
    case 'string': {
      if (isPlainSafe(value)) {
        out.push(`${head} ${value}\n`);
        return true;
      }
      const scalar = renderedByYaml(value, inSeq);
      if (scalar === undefined) return false;
      out.push(`${head} ${scalar.includes('\n') ? reindentBlock(scalar, indentOf(depth + 1)) : scalar}\n`);
      return true;
    }
    case 'number':
      if (!Number.isSafeInteger(value) || Object.is(value, -0)) return false;
      out.push(`${head} ${value}\n`);
      return true;
    case 'boolean':
      out.push(value ? `${head} true\n` : `${head} false\n`);
      return true;
    case 'object': {
      if (value === null) {
        out.push(`${head} null\n`);
        return true;
      }
      if (Array.isArray(value)) {
        if (value.length === 0) {
          out.push(`${head} []\n`);
          return true;
        }
        if (Object.isFrozen(value)) {
          const texts = SHARED.get(value);
          if (texts !== undefined) return pushShared(head, value, texts, depth + 1);
        }
        out.push(`${head}\n`);
        return emitSeq(value, depth + 1);
      }
      if (!isPlainObject(value)) return false;
      const keys = Object.keys(value);
      if (keys.length === 0) {
        out.push(`${head} {}\n`);
        return true;
      }
      if (Object.isFrozen(value)) {
        const texts = SHARED.get(value);
        if (texts !== undefined) return pushShared(head, value, texts, depth + 1);
      }
      out.push(`${head}\n`);
      return emitMap(value, keys, depth + 1, false);
    }
    default:
      return false;
  }
}

/** `head` and the shared part `value` below it, from its kept text (see {@link shareJson}). */
function pushShared(head: string, value: object, texts: Array<string | null | undefined>, depth: number): boolean {
  const text = sharedText(value, texts, depth, false);
  if (text === null) return false;
  out.push(`${head}\n`, text);
  return true;
}

/** Two spaces a level, and the same followed by `- `, made once per depth. */
const INDENTS: string[] = [''];
const DASHES: string[] = ['- '];

function indentOf(depth: number): string {
  while (INDENTS.length <= depth) INDENTS.push(`${INDENTS[INDENTS.length - 1]}  `);
  return INDENTS[depth];
}

function dashOf(depth: number): string {
  while (DASHES.length <= depth) DASHES.push(`${indentOf(DASHES.length)}- `);
  return DASHES[depth];
}

/**
 * `key:` when the key is written plain, else undefined (the document goes to the yaml library). Remembered for the
 * first {@link KEY_CACHE_LIMIT} distinct keys: objects of one kind share a few dozen keys, so the cache stays small
 * whatever the number of objects (an unbounded memo of the emitter's pieces raised the peak RSS of 10,000 Rollouts by
 * 100 MiB); keys past the limit are checked each time.
 */
function keyText(key: string): string | undefined {
  const known = KEYS.get(key);
  if (known !== undefined) return known === null ? undefined : known;
  const text = key.length <= 1000 && isPlainSafe(key) ? `${key}:` : null;
  if (KEYS.size < KEY_CACHE_LIMIT) KEYS.set(key, text);
  return text ?? undefined;
}

const KEY_CACHE_LIMIT = 2000;
const KEYS = new Map<string, string | null>();

/** @internal for the tests: the number of keys remembered, and the limit. */
export function keyCacheSize(): { size: number; limit: number } {
  return { size: KEYS.size, limit: KEY_CACHE_LIMIT };
}

const RENDERED_IN_MAP = new Map<string, string | undefined>();
const RENDERED_IN_SEQ = new Map<string, string | undefined>();

/** The scalar as the yaml library writes it as a map's value or a sequence's item, when that is one line (quoted, or plain) or a block scalar. */
function renderedByYaml(value: string, inSeq: boolean): string | undefined {
  const cache = inSeq ? RENDERED_IN_SEQ : RENDERED_IN_MAP;
  const known = cache.get(value);
  if (known !== undefined || cache.has(value)) return known;
  let result: string | undefined;
  const text = inSeq ? cdk8sStringify([value]) : cdk8sStringify({ k: value });
  const prefix = inSeq ? '- ' : 'k: ';
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
  // the same text at the same depth as the document before (every preset's default nginx.conf): moved once
  if (block === lastBlock && indent === lastIndent) return lastReindented;
  lastBlock = block;
  lastIndent = indent;
  // every content line starts with the two spaces (renderedByYaml checks it), empty lines have none
  return lastReindented = block.split('\n  ').join(`\n${indent}`);
}

/**
 * The last block scalar moved and its result: one entry, so that what it keeps alive is one text (nginx.conf is the
 * same in most of an app's ConfigMaps, and its split and join were a tenth of the emitter's time).
 */
let lastBlock: string | undefined;
let lastIndent = '';
let lastReindented = '';

/**
 * A string the yaml library writes plain under the YAML 1.1 schema, as key or value: it starts with a letter or `/`,
 * holds only letters, digits and `_ . / - = + @ %`, and `:` only between two such characters (no `: `, no final
 * `:`), and is not one of 1.1's booleans or nulls (`yes`, `off`, `null`...) or a float without mantissa (`e5`). Other
 * numbers, dates and `.inf` start with a digit, a sign or a dot, which this excludes.
 *
 * @internal exported for its tests
 */
export function isPlainSafe(s: string): boolean {
  // by character codes, not a RegExp: this runs for every string value of every object
  const n = s.length;
  if (n === 0) return false;
  const c0 = s.charCodeAt(0);
  if (!((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122) || c0 === 47)) return false;
  let colon = false; // the previous character was a `:`
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 58) {
      if (colon) return false;
      colon = true;
    } else if (c < 128 && PLAIN_CHAR[c] === 1) {
      colon = false;
    } else {
      return false;
    }
  }
  if (colon) return false;
  // the reserved words are at most five characters long, the mantissa-less floats start with `e`
  return !((n <= 5 || c0 === 101 || c0 === 69) && RESERVED_WORDS.test(s));
}

/** `A-Z a-z 0-9 _ . / = + @ % -`: the characters of a plain scalar besides `:`. */
const PLAIN_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./=+@%-') PLAIN_CHAR[c.charCodeAt(0)] = 1;
// `e0`, `E5`, `e-1`: YAML 1.1's float allows an empty mantissa (`[-+]?([0-9][0-9_]*)?(\.[0-9_]*)?[eE][-+]?[0-9]+`).
const RESERVED_WORDS = /^(?:y|n|yes|no|true|false|on|off|null|e[-+]?[0-9]+)$/i;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** For callers that know their documents are JSON. */
export type { Json };
