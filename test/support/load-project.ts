import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/**
 * A project for bin/load.js' tests: this package's bin/load.js, the `sources` (path -> text, relative to the project)
 * and a hand-written `built` (relative to build/) made newer than every source, as a fresh `npm run build` leaves them,
 * so that load() runs build/. Returns the project's folder (under the tests' temporary folder).
 */
export function loadProject(prefix: string, sources: Record<string, string>, built: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.copyFileSync(path.join(ROOT, 'bin', 'load.js'), path.join(dir, 'bin', 'load.js'));
  for (const [rel, text] of Object.entries(sources)) write(rel, text);
  for (const [rel, text] of Object.entries(built)) write(path.join('build', rel), text);
  const old = new Date(Date.now() - 60_000);
  for (const rel of Object.keys(sources)) fs.utimesSync(path.join(dir, rel), old, old);
  const newer = new Date(Date.now() - 30_000);
  for (const rel of Object.keys(built)) fs.utimesSync(path.join(dir, 'build', rel), newer, newer);
  return dir;
}
