import * as fs from 'fs';
import * as path from 'path';

/**
 * A fresh, empty folder beside `target` (same file system, so the final rename is one step), named so that `.gitignore`
 * can leave it out (`.synth-*`).
 */
export function stagingDirFor(target: string): string {
  const dir = path.join(path.dirname(path.resolve(target)), `.synth-${path.basename(target)}-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Puts the folder `staging` where `target` is. The old folder is moved aside first and removed only once the new one is
 * in place; if the swap fails, the old folder is put back. Readers never see a half-written `target`.
 */
export function replaceDir(staging: string, target: string): void {
  const old = `${staging}.old`;
  fs.rmSync(old, { recursive: true, force: true });
  const hadOld = fs.existsSync(target);
  if (hadOld) fs.renameSync(target, old);
  try {
    fs.renameSync(staging, target);
  } catch (e) {
    if (hadOld) fs.renameSync(old, target);
    throw e;
  }
  if (hadOld) fs.rmSync(old, { recursive: true, force: true });
}
