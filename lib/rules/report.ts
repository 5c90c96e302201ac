import type { RuleId } from './catalog';
import type { Finding, Severity } from './finding';

/** A finding of one of our rules (the object and file are added by whoever knows them). */
export function finding(rule: RuleId, path: string, message: string, severity: Severity = 'error'): Finding {
  return { severity, rule, path, message };
}

/** The findings without repeats: a rule evaluated per step (e.g. setCanaryScale) may report the same thing twice. */
export function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}\u0000${f.path}\u0000${f.message}\u0000${f.severity}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
