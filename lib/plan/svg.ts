/**
 * An SVG picture of plans: per Rollout, one stacked bar per row (stable/old at the bottom, canary/new on top), a dashed
 * outline for the peak while the row's changes are applied, a line at `replicas`, and the traffic share above.
 * Deterministic: the same plans always give the same bytes.
 */
import { formatWait, describePlan } from './render';
import { PlanStep, RolloutPlan } from './types';

const COLORS = {
  canary: '#f58518',
  stable: '#4c78a8',
  peak: '#8a8f98',
  replicas: '#d62728',
  text: '#1f2328',
  muted: '#59636e',
  grid: '#e6e8eb',
  axis: '#8c959f',
  wait: '#9a6700',
};

const FONT = 'Helvetica, Arial, sans-serif';
const COL_W = 104;
const BAR_W = 46;
const PLOT_H = 200;
const LEFT = 52;
const RIGHT = 92;
const PAD = 16;
const TITLE_H = 52; // title and subtitle
const LEGEND_H = 26;
const TRAFFIC_H = 34; // the row of traffic percentages above the plot
const LABELS_H = 90; // step, action (up to three lines), wait

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Fixed, short number formatting so output is byte-stable. */
function n(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function text(x: number, y: number, s: string, attrs: string): string {
  return `<text x="${n(x)}" y="${n(y)}" ${attrs}>${esc(s)}</text>`;
}

/** Greedy word wrap into at most `lines` lines of about `width` characters; the last line is cut with an ellipsis. */
export function wrap(s: string, width: number, lines: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const word of s.split(/\s+/).filter((w) => w !== '')) {
    if (cur === '') cur = word;
    else if (cur.length + 1 + word.length <= width) cur += ` ${word}`;
    else {
      out.push(cur);
      cur = word;
    }
  }
  if (cur !== '') out.push(cur);
  if (out.length <= lines) return out.map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l));
  const kept = out.slice(0, lines);
  const last = kept[lines - 1];
  kept[lines - 1] = `${last.slice(0, width - 1)}…`;
  return kept;
}

/** A tick step giving at most about 8 grid lines. */
function tickStep(max: number): number {
  for (const s of [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]) if (max / s <= 8) return s;
  return Math.pow(10, Math.ceil(Math.log10(max / 8)));
}

function rowLabel(plan: RolloutPlan, row: PlanStep): string {
  if (plan.strategy === 'blueGreen') return `phase ${row.index}`;
  return row.kind === 'promote' || row.kind === 'scaleDown' ? 'after steps' : `step ${row.index}`;
}

function panelWidth(plan: RolloutPlan): number {
  return LEFT + Math.max(plan.steps.length, 3) * COL_W + RIGHT;
}

function panelHeight(plan: RolloutPlan): number {
  if (plan.unsupported !== undefined) return TITLE_H + PAD;
  return TITLE_H + LEGEND_H + TRAFFIC_H + PLOT_H + LABELS_H + PAD;
}

function legend(plan: RolloutPlan, x: number, y: number): string[] {
  const bg = plan.strategy === 'blueGreen';
  const items: Array<[string, string]> = [
    [`<rect x="0" y="-10" width="14" height="12" rx="2" fill="${COLORS.canary}"/>`, bg ? 'new pods' : 'canary pods'],
    [`<rect x="0" y="-10" width="14" height="12" rx="2" fill="${COLORS.stable}"/>`, bg ? 'old pods' : 'stable pods'],
    [`<rect x="0.5" y="-9.5" width="13" height="11" rx="2" fill="none" stroke="${COLORS.peak}" stroke-dasharray="3 2"/>`, 'peak while changing'],
    [`<line x1="0" y1="-4" x2="14" y2="-4" stroke="${COLORS.replicas}" stroke-width="1.5" stroke-dasharray="5 3"/>`, 'spec.replicas'],
  ];
  const out: string[] = [];
  let cx = x;
  for (const [shape, label] of items) {
    out.push(`<g transform="translate(${n(cx)},${n(y)})">${shape}${text(20, 0, label, `font-size="12" fill="${COLORS.muted}"`)}</g>`);
    cx += 20 + label.length * 6.6 + 22;
  }
  return out;
}

function panel(plan: RolloutPlan, top: number): string[] {
  const out: string[] = [];
  const name = plan.namespace ? `${plan.namespace}/${plan.name}` : plan.name;
  out.push(text(PAD, top + 24, `Rollout ${name}`, `font-size="16" font-weight="bold" fill="${COLORS.text}"`));
  if (plan.unsupported !== undefined) {
    out.push(text(PAD, top + 44, `cannot plan: ${plan.unsupported}`, `font-size="12" fill="${COLORS.replicas}"`));
    return out;
  }
  out.push(text(PAD, top + 43, describePlan(plan), `font-size="12" fill="${COLORS.muted}"`));
  out.push(...legend(plan, PAD, top + TITLE_H + 14));

  const replicas = plan.replicas ?? 0;
  const plotTop = top + TITLE_H + LEGEND_H + TRAFFIC_H;
  const base = plotTop + PLOT_H;
  const maxY = Math.max(1, replicas, ...plan.steps.map((r) => Math.max(r.maxPods, r.canaryReplicas + r.stableReplicas)));
  const step = tickStep(maxY);
  const yMax = Math.ceil((maxY + (maxY >= 4 ? 1 : 0.5)) / step) * step; // headroom for the peak labels
  const y = (v: number): number => base - (v / yMax) * PLOT_H;
  const plotRight = LEFT + Math.max(plan.steps.length, 3) * COL_W;

  // Grid and y axis.
  for (let v = 0; v <= yMax; v += step) {
    out.push(`<line x1="${LEFT}" y1="${n(y(v))}" x2="${plotRight}" y2="${n(y(v))}" stroke="${v === 0 ? COLORS.axis : COLORS.grid}" stroke-width="1"/>`);
    out.push(text(LEFT - 8, y(v) + 4, String(v), `font-size="11" fill="${COLORS.muted}" text-anchor="end"`));
  }
  out.push(text(14, plotTop + PLOT_H / 2, 'pods', `font-size="11" fill="${COLORS.muted}" text-anchor="middle" transform="rotate(-90 14 ${n(plotTop + PLOT_H / 2)})"`));
  // What the pills above the bars mean, in the right margin next to them.
  out.push(text(plotRight + 6, plotTop - TRAFFIC_H + 14, 'traffic to', `font-size="11" fill="${COLORS.muted}"`));
  out.push(text(plotRight + 6, plotTop - TRAFFIC_H + 27, plan.strategy === 'blueGreen' ? 'new pods' : 'canary', `font-size="11" fill="${COLORS.muted}"`));

  plan.steps.forEach((row, i) => {
    const cx = LEFT + i * COL_W + COL_W / 2;
    const x = cx - BAR_W / 2;
    const settled = row.canaryReplicas + row.stableReplicas;
    // The peak outline sits on top of the settled bar: the pods that run only while the row's changes are applied.
    if (row.maxPods > settled) {
      out.push(`<rect x="${n(x + 0.6)}" y="${n(y(row.maxPods))}" width="${n(BAR_W - 1.2)}" height="${n(y(settled) - y(row.maxPods))}" rx="2" fill="#f6f8fa" stroke="${COLORS.peak}" stroke-width="1.2" stroke-dasharray="4 3"/>`);
      out.push(text(cx, y(row.maxPods) - 5, `peak ${row.maxPods}`, `font-size="11" fill="${COLORS.muted}" text-anchor="middle"`));
    }
    const segments: Array<[number, number, string]> = [
      [0, row.stableReplicas, COLORS.stable],
      [row.stableReplicas, settled, COLORS.canary],
    ];
    for (const [from, to, color] of segments) {
      if (to <= from) continue;
      const h = y(from) - y(to);
      out.push(`<rect x="${n(x)}" y="${n(y(to))}" width="${BAR_W}" height="${n(h)}" fill="${color}"/>`);
      const label = String(to - from);
      if (h >= 15) out.push(text(cx, y(to) + h / 2 + 4, label, `font-size="12" font-weight="bold" fill="#ffffff" text-anchor="middle"`));
      else out.push(text(x + BAR_W + 4, y(to) + h / 2 + 4, label, `font-size="11" font-weight="bold" fill="${color}"`));
    }
    if (settled > 0 && row.maxPods <= settled) {
      out.push(text(cx, y(settled) - 5, String(settled), `font-size="11" fill="${COLORS.muted}" text-anchor="middle"`));
    }
    // Traffic share, above the plot.
    const pct = Number.isInteger(row.actualWeight) ? String(row.actualWeight) : n(row.actualWeight);
    out.push(`<rect x="${n(cx - 26)}" y="${n(plotTop - TRAFFIC_H + 6)}" width="52" height="20" rx="10" fill="${COLORS.canary}" fill-opacity="${n(0.12 + 0.5 * (row.actualWeight / 100))}"/>`);
    out.push(text(cx, plotTop - TRAFFIC_H + 20, `${pct}%`, `font-size="12" font-weight="bold" fill="${COLORS.text}" text-anchor="middle"`));
    // Labels under the axis.
    out.push(text(cx, base + 16, rowLabel(plan, row), `font-size="11" fill="${COLORS.muted}" text-anchor="middle"`));
    // An indefinite pause says "until promoted" on the wait line already.
    const lines = wrap(row.kind === 'pause' && row.wait === 'until promoted' ? 'pause' : row.action, 16, 3);
    lines.forEach((l, k) => {
      out.push(text(cx, base + 31 + k * 14, l, `font-size="12" fill="${COLORS.text}" text-anchor="middle"`));
    });
    if (row.wait !== null) {
      const w = row.wait === 'until promoted' ? 'until promoted' : `wait ${formatWait(row.wait)}`;
      out.push(text(cx, base + 31 + lines.length * 14 + 2, w, `font-size="11" font-style="italic" fill="${COLORS.wait}" text-anchor="middle"`));
    }
  });

  if (replicas > 0) {
    out.push(`<line x1="${LEFT}" y1="${n(y(replicas))}" x2="${plotRight}" y2="${n(y(replicas))}" stroke="${COLORS.replicas}" stroke-width="1.5" stroke-dasharray="5 3"/>`);
    out.push(text(plotRight + 6, y(replicas) + 4, `replicas ${replicas}`, `font-size="11" fill="${COLORS.replicas}"`));
  }
  return out;
}

/** One SVG document with a panel per plan, stacked vertically. */
export function renderPlanSvg(plans: RolloutPlan[]): string {
  const width = Math.max(520, ...plans.map(panelWidth)); // room for the legend
  const body: string[] = [];
  let top = 0;
  for (const plan of plans) {
    body.push(`<g>`, ...panel(plan, top).map((l) => `  ${l}`), `</g>`);
    top += panelHeight(plan);
  }
  const height = Math.max(top, 40);
  const label = plans.map((p) => p.name).join(', ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" role="img" aria-label="${esc(`Rollout plan: ${label}`)}">`,
    `<title>${esc(`Rollout plan: ${label}`)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    `</svg>`,
    '',
  ].join('\n');
}
