import * as fs from 'fs';
import * as path from 'path';
import { GitOpsInputError } from './errors';

/**
 * Loads the config module (`environments.ts` by default) and returns its `config` export (or its default export).
 * A TypeScript config runs from its compiled copy under `build/` when that is at least as new as the source and this
 * tool runs compiled too (as `bin/load.js` decides for the library); otherwise it runs through tsx, which only strips
 * types: type errors show up in `npm run build` / `npm test`, not here.
 */
export function loadConfig(file: string): unknown {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new GitOpsInputError(`config file ${file} not found (give one with --config FILE)`);
  let mod: any;
  try {
    mod = require(resolveModule(abs, file));
  } catch (e) {
    if (e instanceof GitOpsInputError) throw e;
    throw new GitOpsInputError(`cannot load ${file}: ${(e as Error).message}`);
  }
  const config = mod?.config ?? mod?.default;
  if (config === undefined) {
    throw new GitOpsInputError(`${file} exports no 'config' (export const config: GitOpsConfig = { environments: [...] })`);
  }
  return config;
}

function resolveModule(abs: string, shown: string): string {
  if (!/\.[cm]?ts$/.test(abs)) return abs;
  const built = compiledCopy(abs);
  if (built) return built;
  try {
    require('tsx/cjs');
  } catch {
    throw new GitOpsInputError(`${shown} is TypeScript and tsx is not installed: install tsx, or compile the config ` +
      'and pass the .js file');
  }
  return abs;
}

/** `<root>/build/<relative path>.js` of a source under this package's root, when fresh and this module is compiled. */
function compiledCopy(abs: string): string | undefined {
  if (!__filename.endsWith('.js')) return undefined;
  const root = path.resolve(__dirname, '..', '..', '..');
  const rel = path.relative(root, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const built = path.join(root, 'build', rel.replace(/\.[cm]?ts$/, '.js'));
  try {
    // Fresh means the config and every file it imports (helpers beside it too) are older than their compiled copies:
    // bin/load.js's check, which follows the compiled module graph.
    const { isBuildFresh } = require(path.join(root, 'bin', 'load.js')) as { isBuildFresh(rel: string): boolean };
    return fs.existsSync(built) && isBuildFresh(rel.replace(/\.[cm]?ts$/, '')) ? built : undefined;
  } catch {
    return undefined;
  }
}
