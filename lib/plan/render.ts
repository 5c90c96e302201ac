/** Text renderings of plans: a terminal table and a GitHub Markdown table (for PR comments). */
import { describeObject, formatFinding } from '../rules/finding';
import { formatSeconds } from './duration';
import { PlanStep, RolloutPlan, Wait } from './types';

export function formatWait(wait: Wait): string {
  if (wait === null) return '-';
  return typeof wait === 'number' ? formatSeconds(wait) : wait;
}

/** `20`, or `2.5` for a router weight that is not a whole percent. */
function formatPercent(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}

function title(plan: RolloutPlan): string {
  return describeObject({ kind: 'Rollout', name: plan.name, namespace: plan.namespace });
}

/** `canary, 5 replicas, no traffic routing (maxSurge 2, maxUnavailable 1)`. */
export function describePlan(plan: RolloutPlan): string {
  const parts = [plan.strategy ?? 'no strategy', `${plan.replicas} replica${plan.replicas === 1 ? '' : 's'}`];
  if (plan.strategy === 'canary') {
    parts.push(plan.trafficRouting === null
      ? `no traffic routing (maxSurge ${plan.maxSurge}, maxUnavailable ${plan.maxUnavailable})`
      : `traffic routing ${plan.trafficRouting}`);
  }
  return parts.join(', ');
}

interface Column {
  readonly header: string;
  readonly numeric: boolean;
  readonly cell: (row: PlanStep) => string;
}

function columns(plan: RolloutPlan): Column[] {
  const bg = plan.strategy === 'blueGreen';
  return [
    { header: bg ? 'phase' : 'step', numeric: true, cell: (r) => String(r.index) },
    { header: 'action', numeric: false, cell: (r) => r.action },
    { header: 'setWeight', numeric: true, cell: (r) => (r.setWeight === null ? '-' : String(r.setWeight)) },
    { header: bg ? 'new' : 'canary', numeric: true, cell: (r) => String(r.canaryReplicas) },
    { header: bg ? 'old' : 'stable', numeric: true, cell: (r) => String(r.stableReplicas) },
    { header: 'actual %', numeric: true, cell: (r) => formatPercent(r.actualWeight) },
    { header: 'max pods', numeric: true, cell: (r) => String(r.maxPods) },
    { header: 'min available', numeric: true, cell: (r) => String(r.minAvailable) },
    { header: 'wait', numeric: false, cell: (r) => formatWait(r.wait) },
  ];
}

/** Row notes, as `step 2: ...` lines. */
function rowNotes(plan: RolloutPlan): string[] {
  const label = plan.strategy === 'blueGreen' ? 'phase' : 'step';
  return plan.steps.filter((r) => r.note !== null).map((r) => `${label} ${r.index}: ${r.note}`);
}

/** A terminal table for one Rollout, with its notes and warnings below; ends with a newline. */
export function formatPlanTable(plan: RolloutPlan, file?: string): string {
  const where = file ? ` (${file})` : '';
  if (plan.unsupported !== undefined) return `${title(plan)}${where}: cannot plan: ${plan.unsupported}\n`;
  const cols = columns(plan);
  const cells = [cols.map((c) => c.header), ...plan.steps.map((r) => cols.map((c) => c.cell(r)))];
  const widths = cols.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]): string =>
    row.map((v, i) => (cols[i].numeric ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [`${title(plan)}${where}: ${describePlan(plan)}`, ...cells.map(line)];
  for (const n of rowNotes(plan)) out.push(`  ${n}`);
  if (plan.capacity) out.push(`  capacity: ${plan.capacity}`);
  for (const w of plan.warnings) out.push(formatFinding({ ...w, file }));
  return out.join('\n') + '\n';
}

function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, '\\`');
}

/** A GitHub Markdown section for one Rollout: heading, table, notes and warnings; ends with a newline. */
export function formatPlanMarkdown(plan: RolloutPlan, file?: string): string {
  const heading = `### ${mdCell(title(plan))}`;
  const where = file && !file.includes('`') ? `\n\nfrom \`${file}\`` : '';
  if (plan.unsupported !== undefined) return `${heading}${where}\n\nCannot plan: ${mdCell(plan.unsupported)}\n`;
  const cols = columns(plan);
  const out = [
    `${heading}${where}`,
    '',
    `${mdCell(describePlan(plan))}`,
    '',
    `| ${cols.map((c) => c.header).join(' | ')} |`,
    `|${cols.map((c) => (c.numeric ? '---:' : '---')).join('|')}|`,
    ...plan.steps.map((r) => `| ${cols.map((c) => mdCell(c.cell(r))).join(' | ')} |`),
  ];
  const notes = [...rowNotes(plan), ...(plan.capacity ? [`capacity: ${plan.capacity}`] : [])];
  if (notes.length > 0) out.push('', ...notes.map((n) => `- ${mdCell(n)}`));
  if (plan.warnings.length > 0) {
    out.push('', ...plan.warnings.map((w) => `- **warning** \`${w.rule}\` \`${w.path}\`: ${w.message}`));
  }
  return out.join('\n') + '\n';
}
