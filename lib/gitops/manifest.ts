import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { GitOpsInputError } from './errors';
import { MANIFEST_FILE } from './layout';

/** What {@link MANIFEST_FILE} says the previous run wrote. */
export interface Manifest {
  /** The folders the tool owns (environments and `argocd`): only files inside them can be listed. */
  readonly folders: ReadonlySet<string>;
  /** `<folder>/<file>` to the sha256 of the bytes written; undefined for a manifest of an older version (no hashes). */
  readonly files: ReadonlyMap<string, string | undefined>;
}

export const GENERATOR = 'nginx-rollouts gitops';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** The file names the tool writes: `<kind>-<name>.yaml` (see objectFileName), `kustomization.yaml`, `<env>.yaml`. */
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*\.yaml$/;

/** The sha256 of `content`, hex: what the manifest records for every file, to tell a hand edit from our own bytes. */
export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Whether `folder` can be a folder of the tool: a DNS-1123 label (environment names and `argocd` are). */
export function isOwnedFolderName(folder: unknown): folder is string {
  return typeof folder === 'string' && folder.length <= 63 && DNS1123_LABEL.test(folder);
}

/**
 * Whether `p` can be a file of the tool: `<folder>/<name>.yaml`, one level down, folder a DNS-1123 label. Never
 * absolute, never `..`, never `.git` or another dot folder, never the manifest itself, so a manifest or journal edited
 * by hand (or by an attacker in a pull request) cannot make a run delete or move anything else.
 */
export function isManagedPath(p: unknown): p is string {
  if (typeof p !== 'string') return false;
  const parts = p.split('/');
  return parts.length === 2 && isOwnedFolderName(parts[0]) && FILE_NAME.test(parts[1]) && !parts[1].includes('..');
}

/** The previous run's manifest, validated; an empty one when `out` was never written. */
export function readManifest(out: string): Manifest {
  const file = path.join(out, MANIFEST_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { folders: new Set(), files: new Map() };
    throw new GitOpsInputError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const fix = 'restore it from git (git checkout -- ' + MANIFEST_FILE + ') or, after checking the folders, delete it';
  let raw: any;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new GitOpsInputError(`${file} is not valid JSON (${(e as Error).message}); ${fix}`);
  }
  if (typeof raw !== 'object' || raw === null || raw.generator !== GENERATOR) {
    throw new GitOpsInputError(`${file} was not written by ${GENERATOR} (no "generator": "${GENERATOR}"); ${fix}`);
  }
  const files = new Map<string, string | undefined>();
  const problems: string[] = [];
  if (Array.isArray(raw.files)) {
    // version 1: paths only, no hashes (hand edits cannot be told apart for these files until the next run)
    raw.files.forEach((p: unknown, i: number) => {
      if (isManagedPath(p)) files.set(p, undefined);
      else problems.push(`files[${i}] is ${JSON.stringify(p)}`);
    });
  } else if (typeof raw.files === 'object' && raw.files !== null) {
    for (const [p, hash] of Object.entries(raw.files)) {
      if (!isManagedPath(p)) problems.push(`files has ${JSON.stringify(p)}`);
      else if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) problems.push(`files["${p}"] is ${JSON.stringify(hash)}, not a sha256`);
      else files.set(p, hash);
    }
  } else {
    problems.push("there is no 'files' list");
  }
  const folders = new Set<string>();
  if (raw.folders !== undefined) {
    if (!Array.isArray(raw.folders)) {
      problems.push("'folders' is not a list");
    } else {
      raw.folders.forEach((f: unknown, i: number) => {
        if (isOwnedFolderName(f)) folders.add(f);
        else problems.push(`folders[${i}] is ${JSON.stringify(f)}, not an environment folder`);
      });
    }
  }
  for (const p of files.keys()) {
    const folder = p.split('/')[0];
    if (raw.folders === undefined) folders.add(folder);
    else if (!folders.has(folder)) problems.push(`files has ${JSON.stringify(p)}, outside the folders it lists`);
  }
  if (problems.length > 0) {
    throw new GitOpsInputError(`${file} names paths the tool never writes (only <environment folder>/<file>.yaml, ` +
      `never '..', an absolute path or a dot folder such as .git): ${problems.slice(0, 5).join('; ')}` +
      `${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}. It was edited by hand or tampered with, ` +
      `so it is not obeyed; ${fix}`);
  }
  return { folders, files };
}

/** The manifest's bytes: keys sorted, so that two runs with the same output write the same file. */
export function manifestText(folders: Iterable<string>, files: ReadonlyMap<string, string>): string {
  const sortedFiles: Record<string, string> = {};
  for (const p of [...files.keys()].sort()) sortedFiles[p] = files.get(p)!;
  return `${JSON.stringify({ generator: GENERATOR, version: 2, folders: [...new Set(folders)].sort(), files: sortedFiles }, null, 2)}\n`;
}
