#!/usr/bin/env node
'use strict';
/**
 * Writes the README's prop tables for the general `Rollout` construct from the TSDoc of its props interfaces, so every
 * prop is listed with its default and the tables cannot drift from the code. A table sits between
 * `<!-- props:InterfaceName -->` and `<!-- /props -->`; each row is the prop, its type, its `@default` and the first
 * sentence of its doc.
 *
 *   node scripts/props-tables.js           rewrite the tables in README.md
 *   node scripts/props-tables.js --check   exit 1 when a table is not what the sources give
 */
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const root = path.join(__dirname, '..');
const README = path.join(root, 'README.md');
const SOURCES = ['lib/rollout/rollout.ts', 'lib/rollout/pod-props.ts', 'lib/rollout/strategy.ts', 'lib/rollout/traffic-router.ts', 'lib/rollout/analysis.ts', 'lib/rollout/step.ts'];
const MARKER = /<!-- props:(\w+) -->\n[\s\S]*?<!-- \/props -->/g;

/** Every exported interface of the sources: name -> its own members (not inherited ones). */
function interfaces() {
  const found = new Map();
  for (const rel of SOURCES) {
    const file = path.join(root, rel);
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    for (const stmt of sf.statements) {
      if (!ts.isInterfaceDeclaration(stmt)) continue;
      const members = [];
      for (const m of stmt.members) {
        if (!ts.isPropertySignature(m) || !m.name) continue;
        const docs = ts.getJSDocCommentsAndTags(m).filter(ts.isJSDoc);
        const doc = docs.map((d) => ts.getTextOfJSDocComment(d.comment) ?? '').join(' ').replace(/\s+/g, ' ').trim();
        const def = docs.flatMap((d) => d.tags ?? []).find((t) => t.tagName.text === 'default');
        members.push({
          name: m.name.getText(sf),
          optional: Boolean(m.questionToken),
          type: m.type ? m.type.getText(sf).replace(/\s+/g, ' ') : 'unknown',
          default: def ? (ts.getTextOfJSDocComment(def.comment) ?? '').replace(/\s+/g, ' ').trim() : '',
          doc,
        });
      }
      found.set(stmt.name.text, members);
    }
  }
  return found;
}

function firstSentence(text) {
  const m = /^(.*?[.!?])(\s|$)/.exec(text);
  return (m ? m[1] : text).replace(/\.$/, '');
}

function cell(text) {
  return text.replace(/\|/g, '\\|');
}

function table(name, members) {
  if (!members) throw new Error(`README.md names props:${name}, which is not an interface in ${SOURCES.join(', ')}`);
  const rows = members.map((m) => {
    const def = m.optional ? (m.default.replace(/^- /, '') || 'not set') : 'required';
    return `| \`${m.name}\` | \`${cell(m.type)}\` | ${cell(def)} | ${cell(firstSentence(m.doc))} |`;
  });
  return [`<!-- props:${name} -->`, '| prop | type | default | what |', '|---|---|---|---|', ...rows, '<!-- /props -->'].join('\n');
}

function render(readme) {
  const found = interfaces();
  return readme.replace(MARKER, (_, name) => table(name, found.get(name)));
}

function main() {
  const readme = fs.readFileSync(README, 'utf8');
  const next = render(readme);
  if (process.argv.includes('--check')) {
    if (next !== readme) {
      process.stderr.write('README.md prop tables are not what lib/rollout gives: run `node scripts/props-tables.js`\n');
      process.exit(1);
    }
  } else if (next !== readme) {
    fs.writeFileSync(README, next);
  }
}

if (require.main === module) main();
module.exports = { render, interfaces, README };
