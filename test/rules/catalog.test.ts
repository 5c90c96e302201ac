import * as fs from 'fs';
import * as path from 'path';
import { RULES, type RuleId } from '../../lib/rules';
import { renderRulesTable } from '../../lib/rules/catalog';
import { OBJECT_CASES, ROLLOUT_CASES, SCHEMA_CASES } from './cases';

const DOC = path.resolve(__dirname, '..', '..', 'docs', 'rules.md');
const BEGIN = /<!-- rules:begin[^>]*-->\n/;
const END = '\n<!-- rules:end -->';

describe('rule catalog', () => {
  it('has a test case for every rule', () => {
    const tested = new Set<RuleId>([...ROLLOUT_CASES, ...OBJECT_CASES, ...SCHEMA_CASES].map((c) => c.rule));
    const untested = (Object.keys(RULES) as RuleId[]).filter((id) => !tested.has(id));
    expect(untested).toEqual([]);
  });

  it('uses short, stable, kebab-case ids', () => {
    for (const id of Object.keys(RULES)) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  // UPDATE_DOCS=1 rewrites the generated table in docs/rules.md.
  it('is the table in docs/rules.md', () => {
    const doc = fs.readFileSync(DOC, 'utf8');
    const begin = BEGIN.exec(doc);
    const end = doc.indexOf(END);
    expect(begin).not.toBeNull();
    expect(end).toBeGreaterThan(0);
    const start = begin!.index + begin![0].length;
    const table = renderRulesTable();
    if (process.env.UPDATE_DOCS) fs.writeFileSync(DOC, doc.slice(0, start) + table + doc.slice(end));
    else expect(doc.slice(start, end)).toBe(table);
  });
});
