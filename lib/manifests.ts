import * as fs from 'fs';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';

/** One Kubernetes object read from a YAML file. */
export interface LoadedObject {
  /** The file it came from, as given (or found under a given folder). */
  readonly file: string;
  /** Its position among the documents of that file, from 0. */
  readonly index: number;
  /** The parsed object (plain JSON). */
  readonly object: any;
}

/** A file that could not be read or parsed. */
export interface LoadError {
  /** The file (or input path) that failed. */
  readonly file: string;
  /** What went wrong. */
  readonly message: string;
}

/** What {@link loadManifests} read. */
export interface LoadResult {
  /** Every object, in file order then document order. */
  readonly objects: LoadedObject[];
  /** Files that could not be read or parsed. */
  readonly errors: LoadError[];
}

const YAML_FILE = /\.(ya?ml|json)$/i;

/**
 * Reads every YAML (or JSON) document from the given files and folders (folders recursively, files sorted by path so
 * the result is deterministic). Empty documents are skipped; a `List` object is expanded into its items.
 */
export function loadManifests(inputs: string[]): LoadResult {
  const objects: LoadedObject[] = [];
  const errors: LoadError[] = [];
  for (const file of expandInputs(inputs, errors)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      errors.push({ file, message: (e as Error).message });
      continue;
    }
    // logLevel 'error': yaml's own warnings (for example a mapping used as a key) would go to stderr unasked; the
    // rules engine reports what such a value breaks.
    const docs = parseAllDocuments(text, { logLevel: 'error' });
    let index = 0;
    for (const doc of docs) {
      if (doc.errors.length > 0) {
        errors.push({ file, message: doc.errors.map((e) => e.message).join('; ') });
        continue;
      }
      const obj = doc.toJS({ maxAliasCount: -1 });
      if (obj === null || obj === undefined) continue;
      const items = obj.kind === 'List' && Array.isArray(obj.items) ? obj.items : [obj];
      for (const item of items) {
        objects.push({ file, index: index++, object: item });
      }
    }
  }
  return { objects, errors };
}

/** The files to read, each once even when named twice (a folder and a file in it). */
function expandInputs(inputs: string[], errors: LoadError[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    let st: fs.Stats;
    try {
      st = fs.statSync(input);
    } catch {
      errors.push({ file: input, message: 'no such file or folder' });
      continue;
    }
    if (st.isDirectory()) {
      files.push(...walk(input));
    } else {
      files.push(input);
    }
  }
  const seen = new Set<string>();
  return files.filter((f) => {
    const key = path.resolve(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const KUSTOMIZATION = /^(kustomization\.ya?ml|Kustomization)$/;

/**
 * A folder's YAML files, sorted by name, sub-folders after its own files. In a kustomize folder (a GitOps
 * environment), the files its `resources` list names come first and in that order, which is the apply order, and the
 * kustomization itself is not read as an object.
 */
function walk(dir: string): string[] {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files = entries.filter((e) => !e.isDirectory() && YAML_FILE.test(e.name)).map((e) => e.name);
  const kustomization = files.find((f) => KUSTOMIZATION.test(f));
  let ordered = files;
  if (kustomization) {
    const listed = kustomizationResources(path.join(dir, kustomization)).filter((r) => files.includes(r));
    ordered = [...listed, ...files.filter((f) => f !== kustomization && !listed.includes(f))];
  }
  const subdirs = entries.filter((e) => e.isDirectory()).flatMap((e) => walk(path.join(dir, e.name)));
  return [...ordered.map((f) => path.join(dir, f)), ...subdirs];
}

/** The plain file names a kustomization lists under `resources` (sub-folders and URLs are left to the walk). */
function kustomizationResources(file: string): string[] {
  try {
    const resources = parse(fs.readFileSync(file, 'utf8'))?.resources;
    return Array.isArray(resources) ? resources.filter((r): r is string => typeof r === 'string' && !r.includes('/')) : [];
  } catch {
    return [];
  }
}
