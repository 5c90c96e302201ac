'use strict';
// Loads a module of this package: the compiled JavaScript in build/ when it is at least as new as every TypeScript
// source, otherwise the sources through tsx. Compiled JS keeps `cdk8s synth` fast in pipelines; the fallback means an
// edited source is never synthesized from a stale build.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const SOURCE_DIRS = ['lib', 'imports'];
const SOURCE_FILES = ['main.ts'];

/** The newest TypeScript source of the package (lib/, imports/, main.ts and `extraFiles`): `{ mtime, file }`. */
function newestSource(extraFiles = []) {
  let newest = { mtime: 0, file: '' };
  const visit = (p) => {
    let st;
    try { st = fs.statSync(p); } catch { return; }
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p)) visit(path.join(p, e));
    } else if (p.endsWith('.ts') && !p.endsWith('.d.ts') && st.mtimeMs > newest.mtime) {
      newest = { mtime: st.mtimeMs, file: path.relative(root, p) };
    }
  };
  for (const d of SOURCE_DIRS) visit(path.join(root, d));
  for (const f of [...SOURCE_FILES, ...extraFiles]) visit(path.join(root, f));
  return newest;
}

function load(rel) {
  const built = path.join(root, 'build', `${rel}.js`);
  let builtMtime = -1;
  try { builtMtime = fs.statSync(built).mtimeMs; } catch { /* not built */ }
  if (builtMtime >= 0 && newestSource().mtime <= builtMtime) {
    return require(built);
  }
  const source = path.join(root, `${rel}.ts`);
  if (!fs.existsSync(source)) {
    throw new Error(`cannot find ${built} or ${source}: run 'npm run build'`);
  }
  require('tsx/cjs');
  return require(source);
}

module.exports = { load, newestSource };
