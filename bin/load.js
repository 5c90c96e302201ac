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

/** The relative `require()` specifiers of a compiled file, from the cache when the file has not changed. */
function requiresOf(compiled, stat, cache, state) {
  const key = path.relative(build, compiled);
  const hit = cache[key];
  if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size && Array.isArray(hit.requires)) return hit.requires;
  const code = fs.readFileSync(compiled, 'utf8');
  const requires = [...new Set([...code.matchAll(REQUIRE)].map((m) => m[2]))];
  cache[key] = { mtimeMs: stat.mtimeMs, size: stat.size, requires };
  state.dirty = true;
  return requires;
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
 */
function staleSource(rel) {
  const entry = path.join(build, `${rel}.js`);
  const entryStat = fs.statSync(entry);
  if (!fs.existsSync(sourceOf(entry))) return undefined; // a package without sources: the build is all there is
  const cache = readCache();
  const state = { dirty: false };
  const seen = new Set([entry]);
  const resolved = new Map();
  const queue = [[entry, entryStat]];
  let stale;
  while (queue.length > 0 && stale === undefined) {
    const [compiled, stat] = queue.pop();
    const source = sourceOf(compiled);
    const sourceStat = fs.statSync(source, { throwIfNoEntry: false });
    if (sourceStat === undefined) {
      stale = { file: path.relative(root, source), reason: 'missing' };
      break;
    }
    if (sourceStat.mtimeMs > stat.mtimeMs) {
      stale = { file: path.relative(root, source), reason: 'newer' };
      break;
    }
    if (!compiled.endsWith('.js')) continue;
    for (const spec of requiresOf(compiled, stat, cache, state)) {
      const next = resolveCompiled(compiled, spec, resolved);
      if (next === undefined) {
        stale = { file: path.relative(root, path.resolve(path.dirname(source), spec)), reason: 'missing' };
        break;
      }
      const relNext = path.relative(build, next);
      if (relNext.startsWith('..') || path.isAbsolute(relNext) || seen.has(next)) continue; // outside build/: as is
      seen.add(next);
      queue.push([next, fs.statSync(next)]);
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
