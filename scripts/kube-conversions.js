#!/usr/bin/env node
'use strict';
/**
 * Writes lib/rollout/kube-conversions.ts: for every `toJson_<Type>` function of the generated bindings the library
 * renders (the Kubernetes types of cdk8s-plus-27, the Rollout and AnalysisTemplate imports), the fields it writes, in
 * its order, with the JSON key of each and what it does to the value. The render (lib/rollout/render.ts) walks an
 * object's L1 props once with these tables instead of resolving them with cdk8s and then copying the result again
 * with the `toJson_*` functions.
 *
 * Every line of every function must be one of the shapes `cdk8s import` generates (listed in FIELD below): anything
 * else stops the script, so a table is never a guess.
 *
 *   node scripts/kube-conversions.js           rewrite lib/rollout/kube-conversions.ts
 *   node scripts/kube-conversions.js --check   exit 1 when the file is not what the bindings give
 */
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const OUT = path.join(root, 'lib/rollout/kube-conversions.ts');

/** The bindings: the exported table's name, the file with the `toJson_*` functions and how it is formatted. */
const SOURCES = [
  { name: 'K8S', file: 'node_modules/cdk8s-plus-27/lib/imports/k8s.js', js: true, pkg: 'node_modules/cdk8s-plus-27/package.json' },
  { name: 'ROLLOUTS', file: 'imports/argo-rollouts-argoproj.io.ts' },
  { name: 'ANALYSIS', file: 'imports/argo-analysis-argoproj.io.ts' },
];

// What a field line of a `toJson_*` does to `obj.<prop>`, and how the table writes it (after `prop:`; empty = as is).
const P = '(\\w+)';
const FIELD = [
  [`obj\\.${P}`, () => ''],
  [`toJson_${P}\\(obj\\.${P}\\)`, (t) => t],
  [`obj\\.${P}\\?\\.map\\(y => y\\)`, () => '[]'],
  [`obj\\.${P}\\?\\.map\\(y => toJson_${P}\\(y\\)\\)`, (t) => `[${t}]`],
  [`obj\\.${P}\\?\\.value`, () => '.value'],
  [`obj\\.${P}\\?\\.toISOString\\(\\)`, () => 'date'],
  [mapOf('i\\[1\\]'), () => '{}'],
  [mapOf('i\\[1\\]\\?\\.value'), () => '{.value}'],
  [mapOf(`toJson_${P}\\(i\\[1\\]\\)`), (t) => `{${t}}`],
  [mapOf('i\\[1\\]\\?\\.map\\(y => y\\)'), () => '{[]}'],
].map(([re, kind]) => [new RegExp(`^${re}$`), kind]);

function mapOf(value) {
  return `\\(\\(obj\\.${P}\\) === undefined\\) \\? undefined : \\(Object\\.entries\\(obj\\.\\1\\)\\.reduce\\(\\(r, i\\) => \\(i\\[1\\] === undefined\\) \\? r : \\(\\{ \\.\\.\\.r, \\[i\\[0\\]\\]: ${value} \\}\\), \\{\\}\\)\\)`;
}

/** The frame of a generated function around its field lines, in the TypeScript and the compiled JavaScript forms. */
function frame(js, type) {
  const filter = 'return Object.entries(result).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {});';
  if (js) {
    return {
      head: [`function toJson_${type}(obj) {`, '    if (obj === undefined) {', '        return undefined;', '    }', '    const result = {'],
      tail: ['    };', '    // filter undefined values', `    ${filter}`, '}'],
      indent: '        ',
    };
  }
  return {
    head: [`export function toJson_${type}(obj: ${type} | undefined): Record<string, any> | undefined {`,
      '  if (obj === undefined) { return undefined; }', '  const result = {'],
    tail: ['  };', '  // filter undefined values', `  ${filter}`, '}'],
    indent: '    ',
  };
}

/** FNV-1a of a function's source text: render.ts checks cdk8s-plus-27's functions against it (the same hash). */
function textHash(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Every `toJson_*` function of a file, parsed: name -> { fields: 'prop=json:kind ...', hash }. */
function parse(source) {
  const text = fs.readFileSync(path.join(root, source.file), 'utf8');
  const types = new Map();
  const start = source.js ? /^function toJson_(\w+)\(/gm : /^export function toJson_(\w+)\(/gm;
  const all = text.match(/function toJson_\w+\(/g) ?? [];
  for (let m; (m = start.exec(text));) {
    const type = m[1];
    const from = m.index + (source.js ? 0 : 'export '.length);
    const end = text.indexOf('\n}', m.index) + 2;
    const fn = text.slice(from, end);
    const lines = text.slice(m.index, end).split('\n');
    const where = `${source.file}: toJson_${type}`;
    const { head, tail, indent } = frame(source.js, type);
    const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
    if (!same(lines.slice(0, head.length), head) || !same(lines.slice(-tail.length), tail)) {
      throw new Error(`${where}: not the generated frame`);
    }
    const fields = [];
    const seen = new Set();
    for (const line of lines.slice(head.length, -tail.length)) {
      const f = /^(\s*)'([^'\\]+)': (.*),$/.exec(line);
      if (!f || f[1] !== indent) throw new Error(`${where}: not a generated field line: ${line}`);
      const [, , json, expr] = f;
      const shape = FIELD.find(([re]) => re.test(expr));
      if (!shape) throw new Error(`${where}: unknown conversion: ${line}`);
      const groups = shape[0].exec(expr).slice(1);
      // toJson_T(obj.p) names the type first, the others name the prop first
      const [prop, nested] = expr.startsWith('toJson_') ? [groups[1], groups[0]] : [groups[0], groups[1]];
      if (seen.has(json)) throw new Error(`${where}: JSON key '${json}' twice`);
      seen.add(json);
      // render.ts reads a prop of a plain object and writes a key of a new one: a name that Object.prototype has
      // (`__proto__`, `constructor`) would not read or write as `obj.<prop>` and `{ ...r, [key]: v }` do
      for (const name of [prop, json]) {
        if (name in Object.prototype) throw new Error(`${where}: '${name}' is a property of Object.prototype`);
      }
      if (/[\s:=]/.test(json)) throw new Error(`${where}: JSON key '${json}' holds a separator of the table`);
      const kind = shape[1](nested);
      fields.push(`${prop}${json === prop ? '' : `=${json}`}${kind ? `:${kind}` : ''}`);
    }
    if (types.has(type)) throw new Error(`${where}: defined twice`);
    types.set(type, { fields: fields.join(' '), hash: textHash(fn) });
  }
  if (types.size !== all.length) throw new Error(`${source.file}: ${all.length} toJson_ functions, ${types.size} parsed`);
  // each nested type must be one of the file's
  for (const [type, { fields }] of types) {
    for (const m of fields.matchAll(/:[[{]?([A-Z]\w*)/g)) {
      if (!types.has(m[1])) throw new Error(`${source.file}: toJson_${type} calls toJson_${m[1]}, which is not in the file`);
    }
  }
  return types;
}

function render() {
  const out = [
    '// Generated by scripts/kube-conversions.js from the `toJson_*` functions of the generated bindings: do not edit.',
    '// `npm run kube-conversions` rewrites it; `npm run kube-conversions -- --check` fails when it is stale.',
    '/* eslint-disable */',
    '',
    '/**',
    ' * What the generated `toJson_<Type>(obj)` functions of a binding do. `table` has a line per function: `Type`, then,',
    ' * for a package the library does not ship (cdk8s-plus-27 is a peer dependency), `@` and the FNV-1a hash of the',
    ' * function\'s source text, which the render checks against the installed package before it uses the line; then the',
    ' * fields the function writes, in its order, each after a space. A field is `prop`, or `prop=jsonKey` when the JSON',
    ' * key differs, then `:kind` unless the value is written as it is (`obj.prop`). Kinds: `Type` (`toJson_Type(obj.prop)`),',
    ' * `[]` (`obj.prop?.map(y => y)`), `[Type]` (each item through `toJson_Type`), `.value` (`obj.prop?.value`:',
    ' * IntOrString, Quantity), `date` (`obj.prop?.toISOString()`), `{}` (a map copied without its undefined values),',
    ' * `{.value}`, `{Type}`, `{[]}` (a map whose values are converted so). One string, read on first use: an object',
    ' * literal of a thousand properties costs milliseconds to load, on every start of the CLI.',
    ' *',
    ' * @internal',
    ' */',
    'export interface KubeConversions {',
    '  /** The file the table was read from. */',
    '  readonly source: string;',
    '  readonly table: string;',
    '}',
  ];
  for (const source of SOURCES) {
    const types = parse(source);
    const version = source.pkg ? `@${JSON.parse(fs.readFileSync(path.join(root, source.pkg), 'utf8')).version}` : '';
    out.push('', '/** @internal */', `export const ${source.name}: KubeConversions = {`);
    out.push(`  source: '${source.file.replace(/^node_modules\//, '')}${version}',`, '  table: `');
    for (const [type, { fields, hash }] of types) {
      const line = `${type}${source.pkg ? `@${hash}` : ''} ${fields}`;
      // the template literal holds the lines as they are
      if (/[`\\\n]|\$\{/.test(line)) throw new Error(`${source.file}: toJson_${type}: a character the table cannot hold`);
      out.push(line);
    }
    out.push('`,', '};');
  }
  return `${out.join('\n')}\n`;
}

module.exports = { textHash, SOURCES, parse, render, OUT };

if (require.main === module) {
  const text = render();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
    if (current !== text) {
      console.error(`${path.relative(root, OUT)} is stale: run npm run kube-conversions`);
      process.exit(1);
    }
    console.log(`${path.relative(root, OUT)} is up to date`);
  } else {
    fs.writeFileSync(OUT, text);
    console.log(`wrote ${path.relative(root, OUT)}`);
  }
}
