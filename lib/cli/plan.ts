/**
 * `nginx-rollouts plan [--markdown | --json] [--svg FILE] PATH...`: what every step of each Rollout will do to pods
 * and traffic. Exit 0 when everything was read (even if some Rollout cannot be planned), 2 for usage or read errors.
 */
import * as fs from 'fs';
import { loadManifests } from '../manifests';
import { formatPlanMarkdown, formatPlanTable, planRollout, renderPlanSvg, RolloutPlan } from '../plan';

export const PLAN_USAGE = `usage: nginx-rollouts plan [--markdown | --json] [--svg FILE] PATH...

Plans every Rollout in the given YAML files or folders: for each step, the canary and stable pods once it settles,
the traffic share, the most pods and the fewest available pods while it moves, and how long it waits.

  --markdown   a GitHub Markdown table per Rollout (for pull request comments)
  --json       a JSON array with one plan per Rollout
  --svg FILE   also write a picture of the plans (stacked bars per step) to FILE
`;

interface Options {
  readonly format: 'table' | 'markdown' | 'json';
  readonly svg: string | null;
  readonly paths: string[];
}

/** Parses the arguments; a string is a usage error. */
export function parsePlanArgs(args: string[]): Options | string {
  let format: Options['format'] = 'table';
  let svg: string | null = null;
  const paths: string[] = [];
  const setFormat = (f: Options['format'], flag: string): string | null => {
    if (format !== 'table' && format !== f) return `${flag} cannot be combined with --${format}`;
    format = f;
    return null;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    let err: string | null = null;
    if (a === '--') {
      paths.push(...args.slice(i + 1));
      break;
    } else if (a === '--markdown') err = setFormat('markdown', a);
    else if (a === '--json') err = setFormat('json', a);
    else if (a === '--svg' || a.startsWith('--svg=')) {
      const value = a === '--svg' ? args[++i] : a.slice('--svg='.length);
      if (value === undefined || value === '') err = '--svg needs a FILE';
      else svg = value;
    } else if (a.startsWith('-') && a !== '-') err = `unknown option ${a}`;
    else paths.push(a);
    if (err !== null) return err;
  }
  if (paths.length === 0) return 'no PATH given';
  return { format, svg, paths };
}

export async function planCommand(args: string[]): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(PLAN_USAGE);
    return 0;
  }
  const opts = parsePlanArgs(args);
  if (typeof opts === 'string') {
    process.stderr.write(`nginx-rollouts plan: ${opts}\n${PLAN_USAGE}`);
    return 2;
  }
  const { objects, errors, warnings } = loadManifests(opts.paths);
  for (const e of errors) process.stderr.write(`nginx-rollouts plan: ${e.file}: ${e.message}\n`);
  for (const w of warnings) process.stderr.write(`nginx-rollouts plan: warning: ${w.file}: ${w.message}\n`);

  const planned: Array<{ file: string; plan: RolloutPlan }> = objects
    .filter((o) => o.object?.kind === 'Rollout')
    .map((o) => {
      const plan = planRollout(o.object);
      return { file: o.file, plan: { ...plan, warnings: plan.warnings.map((w) => ({ ...w, file: o.file })) } };
    });
  if (planned.length === 0 && errors.length === 0) {
    process.stderr.write(`nginx-rollouts plan: no Rollout found in ${opts.paths.join(', ')}\n`);
    return 2;
  }

  if (opts.format === 'json') {
    process.stdout.write(JSON.stringify(planned.map(({ file, plan }) => ({ file, ...plan })), null, 2) + '\n');
  } else {
    const format = opts.format === 'markdown' ? formatPlanMarkdown : formatPlanTable;
    process.stdout.write(planned.map(({ file, plan }) => format(plan, file)).join('\n'));
  }

  if (opts.svg !== null) {
    try {
      fs.writeFileSync(opts.svg, renderPlanSvg(planned.map((p) => p.plan)));
    } catch (e) {
      process.stderr.write(`nginx-rollouts plan: cannot write ${opts.svg}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  return errors.length > 0 ? 2 : 0;
}
