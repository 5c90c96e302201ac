import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';

/**
 * Starts every YAML file under `outdir` with a `---` document marker. `cdk8s synth --stdout` prints the files of
 * several charts back to back with nothing between them (cdk8s-cli issue 943), which merges the last object of one
 * chart with the first of the next; with the marker the stream is valid multi-document YAML, and each file still is.
 *
 * Apps that contain a construct of this package need not call it: their `app.synth()` already does. It is for
 * apps that synthesize other charts only, and it is idempotent.
 */
export function markYamlDocumentStarts(outdir: string): void {
  for (const file of yamlFiles(outdir)) markFile(file);
}

// Symbol.for: two copies of this package in one process (a library and an app that both depend on it) patch once.
const PATCHED = Symbol.for('cdk8s-nginx-rollouts/mark-yaml-document-starts');

/** What `markYamlDocumentStartsOnSynth` needs of the root construct: cdk8s' `App`, without importing its class. */
interface SynthesizingApp {
  readonly outdir: string;
  synth(): void;
}

/**
 * Makes the `synth()` of the App that `scope` belongs to start each YAML file it writes with `---`, so that
 * `cdk8s synth --stdout` over several charts is valid YAML in every app that uses our constructs, without a line of
 * user code. The CLI runs the app, which writes one file per chart into a temporary folder, and then prints the
 * files one after the other; cdk8s itself writes `---` only between the documents of one file.
 *
 * Only files that this synth wrote or rewrote are touched (new, or a changed modification or change time): a YAML
 * file already in the output folder that cdk8s did not write this time is not ours to change. The App instance gets
 * the wrapper once; `Testing.synth(chart)` and `app.synthYaml()` write no files and are unaffected. Where the synth
 * step of lib/synth-validation.ts writes the folder itself (cdk8s' own `synth()` under this wrapper), the wrapper
 * does not run: each file is written marked ({@link synthMarkedBy}).
 *
 * @internal called by the constructs' base class; not part of the public API.
 */
export function markYamlDocumentStartsOnSynth(scope: IConstruct): void {
  const root = scope.node.root as unknown as Partial<SynthesizingApp> & { [PATCHED]?: boolean };
  if (typeof root.synth !== 'function' || typeof root.outdir !== 'string' || root[PATCHED]) return;
  const app = root as SynthesizingApp & { [PATCHED]?: boolean };
  const synth = app.synth;
  Object.defineProperty(app, PATCHED, { value: true });
  const wrapper = function synthMarkingDocumentStarts(this: SynthesizingApp): void {
    const before = new Map(yamlFiles(app.outdir).map((f) => [f, stamp(f)]));
    synth.call(this);
    for (const file of yamlFiles(app.outdir)) {
      if (before.get(file) !== stamp(file)) markFile(file);
    }
  };
  MARKING.set(wrapper, synth);
  app.synth = wrapper;
}

/** Each `synth` wrapper of {@link markYamlDocumentStartsOnSynth} and the `synth` it wraps. */
const MARKING = new WeakMap<Function, Function>();

/**
 * The `synth` that `fn` wraps when `fn` is a wrapper of {@link markYamlDocumentStartsOnSynth} (of this copy of the
 * package), else undefined. A synth that writes the files itself (lib/synth-folder.ts) replaces the wrapper and the
 * `synth` it wraps only when it knows both: it then writes each file marked ({@link markedText},
 * {@link marksWrittenFile}), and the wrapper need not stat the folder before and after, nor read and rewrite the files.
 *
 * @internal
 */
export function synthMarkedBy(fn: unknown): Function | undefined {
  return typeof fn === 'function' ? MARKING.get(fn) : undefined;
}

/**
 * What the wrapper makes of a YAML file `text` that the synth wrote: the same text starting with `---` (and ending with a
 * line break, as a document start before an empty file needs one).
 *
 * @internal
 */
export function markedText(text: string): string {
  return text.startsWith('---\n') ? text : `---\n${text.endsWith('\n') ? text : `${text}\n`}`;
}

/**
 * Whether the wrapper marks `file` when the synth wrote it into `outdir`: it marks the YAML files it finds by walking
 * `outdir` ({@link yamlFiles}), which enters real folders only (a symbolic link to a folder is a file to it), and
 * matches names ending in `.yaml` or `.yml`. `isFolder` says whether a folder under `outdir` is a real one (lstat).
 *
 * @internal
 */
export function marksWrittenFile(outdir: string, file: string, isFolder: (dir: string) => boolean): boolean {
  if (!YAML_FILE.test(file)) return false;
  const relative = path.relative(outdir, file);
  if (relative === '' || path.isAbsolute(relative)) return false;
  const parts = relative.split(path.sep);
  let dir = outdir;
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i] === '..') return false;
    dir = path.join(dir, parts[i]);
    if (!isFolder(dir)) return false;
  }
  return parts[parts.length - 1] !== '..';
}

const YAML_FILE = /\.ya?ml$/;

function stamp(file: string): string {
  const s = fs.statSync(file, { bigint: true });
  return `${s.mtimeNs}:${s.ctimeNs}:${s.ino}:${s.size}`;
}

function markFile(file: string): void {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.startsWith('---\n')) fs.writeFileSync(file, markedText(text));
}

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return YAML_FILE.test(e.name) ? [p] : [];
  });
}
