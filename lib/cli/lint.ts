/**
 * `nginx-rollouts lint [--strict] [--json] PATH...`: Argo Rollouts' own rules, the Kubernetes rules, the references
 * between the objects and the strict CRD schema, over YAML files or folders (the objects of all paths form one set,
 * in the order given, folders sorted by path). Kinds the engine does not know are skipped. Reading (kubectl's YAML
 * dialect, hostile input) is `loadManifests`'s job; a document that is not an object is a read error (exit 2).
 */
import { type LoadedObject, loadManifests } from '../manifests';
// From the modules that define them, not the index files: lint (and synth, which checks with lintObjects) needs no plan
// rendering or SVG. validateSchema's module loads the strict schema validators on first use.
import { planWarnings } from '../plan/plan';
import { formatFinding, type Finding } from '../rules/finding';
import { validateSchema } from '../rules/schema';
import { validateObjectsIndexed } from '../rules/objects';

const USAGE = `usage: nginx-rollouts lint [--strict] [--json] PATH...

  --strict   a missing or later reference (Service, ConfigMap, AnalysisTemplate, Ingress) and an
             AnalysisTemplate's schema problem are errors, and warnings fail the run
  --json     print the findings as a JSON array

exit codes: 0 no errors, 1 errors (or warnings under --strict) or no objects at all,
            2 usage errors, or a file or document that cannot be read as Kubernetes objects

YAML is read as kubectl reads it (YAML 1.1: on/off/yes/no are booleans, 0755 is octal, <<
merge keys); folders are searched for *.yaml, *.yml and *.json, skipping special files.
`;

interface LintOptions {
  readonly strict: boolean;
  readonly json: boolean;
  readonly paths: string[];
}

/** The options, or the exit code when there is nothing to lint (help, or a usage error). */
function parseArgs(args: string[]): LintOptions | number {
  let strict = false;
  let json = false;
  const paths: string[] = [];
  let optionsDone = false;
  for (const arg of args) {
    if (optionsDone || !arg.startsWith('-') || arg === '-') paths.push(arg);
    else if (arg === '--') optionsDone = true;
    else if (arg === '--strict') strict = true;
    else if (arg === '--json') json = true;
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(USAGE);
      return 0;
    } else {
      process.stderr.write(`nginx-rollouts lint: unknown option '${arg}'\n${USAGE}`);
      return 2;
    }
  }
  if (paths.length === 0) {
    process.stderr.write(`nginx-rollouts lint: no file or folder given\n${USAGE}`);
    return 2;
  }
  return { strict, json, paths };
}

/**
 * Every finding for the loaded objects, each with the file its object came from, in file order. `schema: false` skips
 * the strict CRD schema, whose validator takes about a second to compile: `synth` checks typed output without it.
 */
export function lintObjects(loaded: LoadedObject[], strict: boolean, options: { schema?: boolean } = {}): Finding[] {
  const objects = loaded.map((o) => o.object);
  const indexed = [
    ...validateObjectsIndexed(objects, { missingReference: strict ? 'error' : 'warning' }),
    ...(options.schema === false ? [] : objects.flatMap((object, index) => schemaFindings(object, strict).map((finding) => ({ index, finding })))),
  ];
  // The plan's warnings (weights pods cannot honor, indefinite pauses...) for each Rollout the rules accept: a
  // Rollout with errors would only repeat them as "cannot plan".
  const withErrors = new Set(indexed.filter((f) => f.finding.severity === 'error').map((f) => f.index));
  objects.forEach((object, index) => {
    if (object?.kind !== 'Rollout' || withErrors.has(index)) return;
    for (const finding of planWarnings(object)) indexed.push({ index, finding });
  });
  // Stable sort: per object, the engine's findings first, then the schema's.
  return indexed.sort((a, b) => a.index - b.index).map(({ index, finding }) => ({ ...finding, file: loaded[index].file }));
}

/**
 * The strict CRD schema: for Rollouts its findings are errors, as in `kubectl argo rollouts lint`, which decodes
 * Rollouts strictly; for the other Argo kinds it checks (AnalysisTemplates), which that tool does not, they are
 * warnings unless `--strict`.
 */
function schemaFindings(object: any, strict: boolean): Finding[] {
  const findings = validateSchema(object);
  if (strict || object?.kind === 'Rollout') return findings;
  return findings.map((f) => ({ ...f, severity: 'warning' }));
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function lintCommand(args: string[]): Promise<number> {
  const options = parseArgs(args);
  if (typeof options === 'number') return options;
  const { objects, errors: loadErrors, warnings: loadWarnings } = loadManifests(options.paths);
  // Files and documents that are not objects: on stderr as they are found, and in --json's array as findings.
  for (const e of loadErrors) process.stderr.write(`nginx-rollouts lint: ${e.file}: ${e.message}\n`);
  for (const w of loadWarnings) process.stderr.write(`nginx-rollouts lint: warning: ${w.file}: ${w.message}\n`);
  const loadFindings: Finding[] = [
    ...loadErrors.map((e): Finding => ({ severity: 'error', rule: 'manifest', path: '', message: e.message, file: e.file })),
    ...loadWarnings.map((w): Finding => ({ severity: 'warning', rule: 'manifest', path: '', message: w.message, file: w.file })),
  ];

  const findings = lintObjects(objects, options.strict);
  const errors = findings.filter((f) => f.severity === 'error').length + loadErrors.length;
  const warnings = findings.length + loadFindings.length - errors;
  const files = new Set([...objects, ...loadErrors, ...loadWarnings].map((o) => o.file)).size;
  const summary = `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}\n`;
  if (options.json) {
    process.stdout.write(`${JSON.stringify([...loadFindings, ...findings], null, 2)}\n`);
    process.stderr.write(summary); // stdout stays parseable
  } else {
    for (const f of findings) process.stdout.write(`${formatFinding(f)}\n`);
    process.stdout.write(summary);
  }

  if (loadErrors.length > 0) return 2;
  // Nothing to check is a failure, not a pass: an app that wrote nothing, or a wrong folder, must not turn CI green.
  if (objects.length === 0) {
    process.stderr.write(`nginx-rollouts lint: no Kubernetes objects found in ${options.paths.join(', ')}: nothing was checked\n`);
    return 1;
  }
  if (errors > 0 || (options.strict && warnings > 0)) return 1;
  return 0;
}
