'use strict';
// Loads a module of this package: the compiled JavaScript in build/ when it is fresh, otherwise the TypeScript sources
// through tsx. Compiled JS keeps `cdk8s synth` fast in pipelines; the fallback means an edited source is never
// synthesized from a stale build.
//
// "Fresh" is exact: starting from build/<module>.js, every relative `require()` of the compiled code is followed (the
// graph Node will load), and each compiled file must be at least as new as its TypeScript source. This covers helpers
// anywhere in the project that main.ts or environments.ts import, not only lib/. It stays exact for new imports: a
// source that starts importing a new file was itself edited, so it is newer than its compiled copy. A compiled file
// whose source was deleted is stale too (tsx then reports the missing module, as the build would). When the entry has
// no source at all (the published package ships build/ only), the build is used. Type-only imports are erased by tsc
// and stripped by tsx alike, so they never change what runs.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const build = path.join(root, 'build');

// `require("./x")` / `require('../y/z')` as tsc emits them (also inside the dynamic-import helper).
const REQUIRE = /\brequire\(\s*(["'])(\.{1,2}(?:\/[^"'\n]*)?)\1\s*\)/g;

/** The file Node would load for `spec` required from the compiled file `from` (memoized per run in `resolved`). */
function resolveCompiled(from, spec, resolved) {
  const base = path.resolve(path.dirname(from), spec);
  if (resolved.has(base)) return resolved.get(base);
  // tsc writes extensionless specifiers: `.js` first saves a stat per import (this runs on every synth).
  const candidates = /\.(js|json)$/.test(base) ? [base] : [`${base}.js`, path.join(base, 'index.js'), `${base}.json`, base];
  let found;
  for (const candidate of candidates) {
    const st = fs.statSync(candidate, { throwIfNoEntry: false }); // no exception per miss
    if (st !== undefined && st.isFile()) { found = candidate; break; }
  }
  resolved.set(base, found);
  return found;
}

/** The source a compiled file of build/ comes from (`build/lib/x.js` -> `lib/x.ts`; JSON is copied as is). */
function sourceOf(compiled) {
  const rel = path.relative(build, compiled);
  return path.join(root, rel.endsWith('.js') ? `${rel.slice(0, -3)}.ts` : rel);
}

// The relative requires of each compiled file, cached in build/ by the file's size and time: scanning the two
// generated CRD modules (300 KB each) on every run cost 35 ms; with the cache a check is a stat per file.
const CACHE = path.join(build, '.load-deps.json');

function readCache() {
  try {
    const cache = JSON.parse(fs.readFileSync(CACHE, 'utf8'));
    return cache && typeof cache === 'object' && !Array.isArray(cache) ? cache : {};
  } catch {
    return {};
  }
}

/**
 * The compiled files (build-relative) a compiled file requires, from the cache when the file has not changed; a
 * relative require that resolves to nothing is `{ missing }` (its source path). Files outside build/ are left out:
 * they run as they are in both modes.
 */
function depsOf(key, stat, cache, state) {
  const hit = cache[key];
  if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size && Array.isArray(hit.deps)) return hit.deps;
  const compiled = path.join(build, key);
  const code = fs.readFileSync(compiled, 'utf8');
  const deps = [];
  const resolved = new Map();
  for (const m of code.matchAll(REQUIRE)) {
    const next = resolveCompiled(compiled, m[2], resolved);
    if (next === undefined) {
      deps.push({ missing: path.relative(root, path.resolve(path.dirname(sourceOf(compiled)), m[2])) });
      continue;
    }
    const rel = path.relative(build, next);
    if (!rel.startsWith('..') && !path.isAbsolute(rel) && !deps.includes(rel)) deps.push(rel);
  }
  cache[key] = { mtimeMs: stat.mtimeMs, size: stat.size, deps };
  state.dirty = true;
  return deps;
}

function writeCache(cache) {
  const tmp = `${CACHE}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, JSON.stringify(cache));
    fs.renameSync(tmp, CACHE); // one step: a concurrent reader sees the old cache or the new one
  } catch {
    try { fs.rmSync(tmp, { force: true }); } catch { /* a read-only build/ just goes without the cache */ }
  }
}

/**
 * Why build/<rel>.js cannot be used: `{ file, reason }` naming the first source that is newer than its compiled copy
 * (or missing), or undefined when the compiled module graph is fresh. Throws when build/<rel>.js does not exist.
 * With the cache, this is two stats per module (compiled file and source).
 */
function staleSource(rel) {
  const entry = `${rel}.js`;
  fs.statSync(path.join(build, entry));
  if (!fs.existsSync(sourceOf(path.join(build, entry)))) return undefined; // a package without sources: build only
  const cache = readCache();
  const state = { dirty: false };
  const seen = new Set([entry]);
  const queue = [entry];
  let stale;
  while (queue.length > 0 && stale === undefined) {
    const key = queue.pop();
    const compiled = path.join(build, key);
    const source = sourceOf(compiled);
    const stat = fs.statSync(compiled, { throwIfNoEntry: false }); // no exception per miss
    const sourceStat = fs.statSync(source, { throwIfNoEntry: false });
    if (stat === undefined || sourceStat === undefined) {
      stale = { file: path.relative(root, stat === undefined ? compiled : source), reason: 'missing' };
    } else if (sourceStat.mtimeMs > stat.mtimeMs) {
      stale = { file: path.relative(root, source), reason: 'newer' };
    } else if (key.endsWith('.js')) {
      for (const dep of depsOf(key, stat, cache, state)) {
        if (typeof dep !== 'string') {
          stale = { file: dep.missing, reason: 'missing' };
          break;
        }
        if (!seen.has(dep)) {
          seen.add(dep);
          queue.push(dep);
        }
      }
    }
  }
  if (state.dirty) writeCache(cache);
  return stale;
}

/** Whether build/<rel>.js exists and its whole compiled module graph is fresh. */
function isBuildFresh(rel) {
  try {
    return staleSource(rel) === undefined;
  } catch {
    return false;
  }
}

/**
 * The newest TypeScript source of lib/, imports/, main.ts and `extraFiles`: `{ mtime, file }`. Only for
 * scripts/bench.js's report of why it rebuilds; `load` decides by the compiled module graph (`staleSource`).
 */
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
  for (const d of ['lib', 'imports']) visit(path.join(root, d));
  for (const f of ['main.ts', ...extraFiles]) visit(path.join(root, f));
  return newest;
}

function load(rel) {
  const built = path.join(build, `${rel}.js`);
  if (isBuildFresh(rel)) return require(built);
  const source = path.join(root, `${rel}.ts`);
  if (!fs.existsSync(source)) {
    throw new Error(`cannot find ${built} or ${source}: run 'npm run build'`);
  }
  require('tsx/cjs');
  return require(source);
}

module.exports = { load, staleSource, isBuildFresh, newestSource };
