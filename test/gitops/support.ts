import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

/** A fresh temporary folder, removed by {@link cleanup}. */
export function tempDir(prefix = 'gitops-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

const made: string[] = [];

/** Removes the folders {@link tempDir} made. */
export function cleanup(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Every file and folder under `dir` (relative, `/`-separated, sorted), folders ending in `/`. */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const visit = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        out.push(`${p}/`);
        visit(p);
      } else {
        out.push(p);
      }
    }
  };
  visit('');
  return out.sort();
}

/** One hash over every path and every file's bytes under `dir`: equal hashes mean a byte-identical tree. */
export function hashTree(dir: string): string {
  const hash = createHash('sha256');
  for (const p of listTree(dir)) {
    hash.update(`${p}\0`);
    if (!p.endsWith('/')) hash.update(fs.readFileSync(path.join(dir, p)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** The documents of a YAML file or string. */
export function yamlDocs(text: string): any[] {
  return parseAllDocuments(text).map((d) => d.toJS());
}

/** The one object in `file`. */
export function readObject(file: string): any {
  const docs = yamlDocs(fs.readFileSync(file, 'utf8'));
  if (docs.length !== 1) throw new Error(`${file} holds ${docs.length} documents, not 1`);
  return docs[0];
}

/** Runs `fn` with `NGINX_IMAGE` set to `value` (or unset for undefined), restoring it after. */
export async function withNginxImage<T>(value: string | undefined, fn: () => Promise<T>): Promise<T> {
  const before = process.env.NGINX_IMAGE;
  if (value === undefined) delete process.env.NGINX_IMAGE;
  else process.env.NGINX_IMAGE = value;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.NGINX_IMAGE;
    else process.env.NGINX_IMAGE = before;
  }
}

/** What `fn` wrote to stdout and stderr while it ran. */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ result: T; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((c: any) => { stdout += String(c); return true; });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((c: any) => { stderr += String(c); return true; });
  try {
    const result = await fn();
    return { result, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
