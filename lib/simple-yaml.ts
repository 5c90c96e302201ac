/**
 * A reader for the plain YAML that cdk8s writes (block mappings and sequences indented by two spaces, plain and quoted
 * one-line scalars, `|` block scalars), line by line. Loading the yaml package (70 modules) and building its node
 * tree was a fifth of `nginx-rollouts synth` of the seed app; cdk8s' own copy of the package is a separate module
 * instance, so synth paid for it twice.
 *
 * It gives up (undefined) on anything it does not fully understand: anchors, aliases, tags, comments, flow
 * collections other than `[]` and `{}`, multi-line plain or quoted scalars, folded scalars, indentation indicators,
 * directives, `...`, tabs, CR line ends, a key written twice, keys that are not plain words, and any scalar whose
 * type YAML 1.1 could read otherwise (`yes`, `0755`, `1e3`...). The caller then reads the text with the yaml package,
 * so the result is always the yaml package's (YAML 1.1 as kubectl reads it: lib/manifests.ts); tests compare both.
 */

/** One document: its value (null when empty) and the line (from 1) where its content starts. */
export interface PlainDocument {
  readonly value: unknown;
  readonly line: number;
}

/** A plain word as a key: a letter or `/` first, then letters, digits and `_ . / = + @ % -`, `:` only inside. */
const KEY_LINE = /^([A-Za-z/][A-Za-z0-9_./=+@%-]*(?::[A-Za-z0-9_./=+@%-]+)*):(?: (.*))?$/;
// YAML 1.1 booleans and nulls in any case (more than YAML 1.1 has: the others simply go to the yaml package), and
// floats without mantissa (`e5`).
const RESERVED = /^(?:y|n|yes|no|true|false|on|off|null|[-+]?e[-+]?[0-9]+)$/i;
const INT = /^-?(?:0|[1-9][0-9]{0,14})$/;
/** Double-quoted, one line, with only the escapes that mean the same in YAML and JSON. */
const DOUBLE_QUOTED = /^"(?:[^"\\\x00-\x1f\x7f]|\\["\\/nrt])*"$/;
const SINGLE_QUOTED = /^'(?:[^'\x00-\x1f\x7f]|'')*'$/;
/**
 * A plain scalar of one line: a letter or `/` first, or `-` and a letter (`-flag=x` arguments); no `: `, ` #`, final
 * `:` or space (YAML structure).
 */
const PLAIN = /^(?:[A-Za-z/]|-[A-Za-z])[^\x00-\x1f\x7f]*$/;
/**
 * A plain scalar that starts with a digit (`500m`, `128Mi`) and holds a character that no YAML 1.1 number (decimal,
 * `0x`/`0o`/`0b`, octal, float, exponent, sexagesimal) can hold: always a string.
 */
const PLAIN_DIGIT = /^[0-9][^\x00-\x1f\x7f]*$/;
const NOT_NUMERIC = /[^0-9_.eExXoObB+\-:a-fA-F]/;

/** 50 levels of nesting: Kubernetes objects have about 15. */
const MAX_INDENT = 100;

class GiveUp extends Error {}

const giveUp = (): never => {
  throw new GiveUp();
};

/** The documents of `text` as JSON values, or undefined when it is not the plain subset this reads (see above). */
export function parsePlainYaml(text: string): PlainDocument[] | undefined {
  if (text.includes('\r') || text.includes('\t')) return undefined;
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  // Documents: split at `---` lines; content before the first one is a document of its own.
  const ranges: Array<[number, number]> = [];
  let start = 0;
  let seenContent = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l === '---') {
      if (seenContent || ranges.length > 0) ranges.push([start, i]);
      start = i + 1;
      seenContent = true; // a `---` opens a document even when nothing follows it
    } else if (l.startsWith('---') || l.startsWith('...') || l.startsWith('%')) {
      return undefined;
    } else if (!seenContent && l !== '') {
      if (l.trim() === '') return undefined; // a line of spaces (see skipBlank)
      seenContent = true;
    }
  }
  if (seenContent) ranges.push([start, lines.length]);
  try {
    return ranges.map(([from, to]) => new Reader(lines, from, to).document());
  } catch (e) {
    if (e instanceof GiveUp || e instanceof RangeError) return undefined; // RangeError: nested too deeply
    throw e;
  }
}

class Reader {
  private i: number;

  constructor(private readonly lines: string[], from: number, private readonly end: number) {
    this.i = from;
  }

  document(): PlainDocument {
    this.skipBlank();
    if (this.i >= this.end) return { value: null, line: this.i + 1 };
    const line = this.i + 1;
    if (indentOf(this.lines[this.i]) !== 0) giveUp();
    const value = this.node(0);
    this.skipBlank();
    if (this.i < this.end) giveUp(); // a line that is not part of the root node
    return { value, line };
  }

  /** Skips empty lines. A line of spaces outside a block scalar gives up: the yaml package reads some as content. */
  private skipBlank(): void {
    while (this.i < this.end && this.lines[this.i].trim() === '') {
      if (this.lines[this.i] !== '') giveUp();
      this.i++;
    }
  }

  /** The next non-blank line's indent, or -1 at the end. */
  private nextIndent(): number {
    this.skipBlank();
    return this.i < this.end ? indentOf(this.lines[this.i]) : -1;
  }

  private node(indent: number): unknown {
    // Deeper than any manifest: the yaml package decides (it reports "nested too deeply" at some depth).
    if (indent > MAX_INDENT) giveUp();
    const rest = this.lines[this.i].slice(indent);
    return rest === '-' || rest.startsWith('- ') ? this.seq(indent) : this.map(indent);
  }

  private map(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    while (this.nextIndent() === indent) {
      const m = KEY_LINE.exec(this.lines[this.i].slice(indent));
      if (!m) {
        if (this.lines[this.i].startsWith('-', indent)) break; // a sequence at the map's indent ends the map: yaml's business
        giveUp();
      }
      const key = m![1];
      const rest = m![2];
      if (RESERVED.test(key) || Object.prototype.hasOwnProperty.call(out, key)) giveUp();
      this.i++;
      let value: unknown;
      if (rest === undefined) {
        const next = this.nextIndent();
        if (next > indent) {
          if (next !== indent + 2) giveUp();
          value = this.node(next);
        } else {
          if (next === indent && this.lines[this.i].startsWith('-', indent)) giveUp(); // `key:` then `- x` at its indent
          value = null;
        }
      } else {
        value = this.inline(rest, indent);
      }
      // defineProperty: a key named `__proto__` is data, as in lib/manifests.ts.
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    }
    if (this.i < this.end && this.nextIndent() > indent) giveUp();
    return out;
  }

  private seq(indent: number): unknown[] {
    const out: unknown[] = [];
    while (this.nextIndent() === indent) {
      const line = this.lines[this.i];
      if (!line.startsWith('- ', indent)) {
        if (line.slice(indent) === '-') giveUp();
        break; // a key at the sequence's indent: the parent's (yaml's business)
      }
      const content = line.slice(indent + 2);
      if (content.startsWith(' ') || content === '-' || content.startsWith('- ')) giveUp(); // nested sequences
      if (KEY_LINE.test(content)) {
        // `- key: value` and the keys under it: a map at indent + 2, the dash read as two spaces.
        this.lines[this.i] = `${' '.repeat(indent + 2)}${content}`; // the reader's own copy of the text's lines
        out.push(this.map(indent + 2));
      } else {
        this.i++;
        out.push(this.inline(content, indent));
      }
    }
    if (this.i < this.end && this.nextIndent() > indent) giveUp();
    return out;
  }

  /** The value after `key: ` or `- ` (a line of indent `indent`), which has been consumed. */
  private inline(s: string, indent: number): unknown {
    if (s === '|' || s === '|-' || s === '|+') return this.block(s, indent);
    const value = scalar(s);
    // A more indented line after a one-line scalar would continue it (multi-line plain scalar): not ours.
    if (this.nextIndent() > indent) giveUp();
    return value;
  }

  /** A literal block scalar (`|`, `|-`, `|+`) whose content is indented more than `parent`. */
  private block(header: string, parent: number): string {
    const content: string[] = [];
    let indent = -1;
    for (; this.i < this.end; this.i++) {
      const line = this.lines[this.i];
      if (line.trim() === '') {
        // An empty line. Spaces beyond the content's indent would be content (before the first line: an error).
        if (line.length > 0 && (indent === -1 || line.length > indent)) giveUp();
        content.push('');
        continue;
      }
      const lineIndent = indentOf(line);
      if (indent === -1) {
        if (lineIndent <= parent) break;
        indent = lineIndent;
      }
      if (lineIndent < indent) {
        if (lineIndent > parent) giveUp(); // less indented than the content, more than the parent
        break;
      }
      content.push(line.slice(indent));
    }
    if (indent === -1) giveUp(); // no content line
    let trailing = 0;
    while (content.length > 0 && content[content.length - 1] === '') {
      content.pop();
      trailing++;
    }
    const body = content.join('\n');
    if (header === '|-') return body;
    if (header === '|') return `${body}\n`;
    return `${body}\n${'\n'.repeat(trailing)}`;
  }
}

function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 32) n++;
  return n;
}

/** A one-line scalar, typed as YAML 1.1 types it, or give up. */
function scalar(s: string): unknown {
  if (s === 'null') return null;
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === '[]') return [];
  if (s === '{}') return {};
  if (INT.test(s)) return s === '-0' ? giveUp() : Number(s);
  if (s.startsWith('"')) return DOUBLE_QUOTED.test(s) ? JSON.parse(s) : giveUp();
  if (s.startsWith("'")) return SINGLE_QUOTED.test(s) ? s.slice(1, -1).replace(/''/g, "'") : giveUp();
  const plain = PLAIN.test(s) ? !RESERVED.test(s) : PLAIN_DIGIT.test(s) && NOT_NUMERIC.test(s);
  if (!plain || s.includes(': ') || s.includes(' #') || s.endsWith(':') || s.endsWith(' ')) giveUp();
  return s;
}
