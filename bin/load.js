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

/**
 * The compiled file and its source of a key (a normalized path relative to build/, as `path.relative` gives it): plain
 * concatenation, as this runs for every module on every synth, and `path.join`/`path.relative` (they normalize) were
 * most of the check's time (about 4 of 6 ms for the CLI's 90 modules).
 */
const compiledOfKey = (key) => build + path.sep + key;
const sourceOfKey = (key) => root + path.sep + (key.endsWith('.js') ? `${key.slice(0, -3)}.ts` : key);

/** The source a compiled file of build/ comes from (`build/lib/x.js` -> `lib/x.ts`; JSON is copied as is). */
function sourceOf(compiled) {
  return sourceOfKey(path.relative(build, compiled));
}

// The relative requires of each compiled file, cached in build/ by the file's size and time: scanning the two
// generated CRD modules (300 KB each) on every run cost 35 ms; with the cache a check is a stat per file.
const CACHE = path.join(build, '.load-deps.json');

// The stat of each compiled file that staleSource() has seen in this process (build-relative key): the module pack
// uses a module's packed text only when it was packed from this very file (same time and size).
const compiledStats = new Map();

/**
 * A cache file of build/, read only when it is a regular file. Reading a FIFO put in its place would wait for a writer
 * for ever (the command wedged); opened with O_NONBLOCK, the open returns at once and fstat tells what it is. Throws
 * when it is not a file: the callers then run without the cache.
 */
function readRegularFile(file, encoding) {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    if (!fs.fstatSync(fd).isFile()) throw new Error(`${file} is not a regular file`);
    return fs.readFileSync(fd, encoding);
  } finally {
    fs.closeSync(fd);
  }
}

function readCache() {
  try {
    const cache = JSON.parse(readRegularFile(CACHE, 'utf8'));
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
 * With the cache, this is two stats per module (compiled file and source). `verified` (load()'s): compiled files
 * already found fresh, with everything they require, which are not checked again; the files of a fresh graph are
 * added to it.
 */
function staleSource(rel, verified) {
  const entry = path.normalize(`${rel}.js`);
  fs.statSync(compiledOfKey(entry));
  if (!fs.existsSync(sourceOfKey(entry))) return undefined; // a package without sources: build only
  const cache = readCache();
  const state = { dirty: false };
  const seen = new Set([entry]);
  const queue = [entry];
  let stale;
  while (queue.length > 0 && stale === undefined) {
    const key = queue.pop();
    if (verified !== undefined && verified.has(key)) continue;
    const compiled = compiledOfKey(key);
    const source = sourceOfKey(key);
    const stat = fs.statSync(compiled, { throwIfNoEntry: false }); // no exception per miss
    const sourceStat = fs.statSync(source, { throwIfNoEntry: false });
    if (stat !== undefined) compiledStats.set(key, stat); // the module pack's own freshness test (below)
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
  if (stale === undefined && verified !== undefined) for (const key of seen) verified.add(key);
  return stale;
}

/** Whether build/<rel>.js exists and its whole compiled module graph is fresh. */
function isBuildFresh(rel, verified) {
  try {
    return staleSource(rel, verified) === undefined;
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

// ---------------------------------------------------------------------------------------------------------------
// V8's code cache of build/. Node 20 compiles every module from its text on every run (it has no
// `module.enableCompileCache`, which came in Node 22), and V8 compiles each function again on its first call: for
// `nginx-rollouts synth` of the seed app that is about 90 modules of ours (1.4 MB, the generated Argo bindings alone
// 660 KB) parsed and their functions compiled, every run. `npm run build` (scripts/code-cache.js) runs synth, lint
// and plan once with `recordCodeCache()` and writes V8's cache of every build/ module they loaded, taken after the run
// so that it holds the functions' compiled code too, into one file. `load()` then compiles those modules through
// `vm.Script` with that cache, as v8-compile-cache does for Node < 22.
//
// V8 checks a cache only against its own version, its flags and the *length* of the source: a module edited to the
// same length would run its old code, and V8 release builds do not checksum the cache's contents. So the file keeps,
// for each module, the sha256 of the module's text and of its cache, and a module is compiled from its text unless
// both match (a stale, damaged or foreign cache costs the time it always did, nothing else). The file is tied to
// the Node version that wrote it, so the published package leaves it out (it is not in package.json "files").
// NGINX_ROLLOUTS_NO_CODE_CACHE=1 leaves it unused (the bench compares both).

const CODE_CACHE = path.join(build, '.v8-code-cache');
const CODE_CACHE_MAGIC = 'nginx-rollouts code cache 1\n';

/** What the code cache did in this process (the tests and the bench read it). */
const codeCacheStats = { used: 0, rejected: 0, stale: 0, corrupt: 0, recorded: 0 };
let codeCacheState; // undefined: not set up yet; then { entries, data } or { recording: Map }, or null: none

const sha256 = (data) => require('crypto').createHash('sha256').update(data).digest('hex');

/** The key of a build/ module in the cache (`lib/index.js`), or undefined for anything else. */
function cacheKey(filename) {
  // A prefix test, not path.relative (which normalizes: slow on every module); Node gives absolute, normalized names.
  if (!filename.startsWith(build + path.sep) || !filename.endsWith('.js')) return undefined;
  const rel = filename.slice(build.length + 1);
  // lib/rules/schema.ts loads the generated schema validators itself, with a code cache of their own.
  if (/(^|[\\/])schema-validator-[^\\/]*\.js$/.test(rel)) return undefined;
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

/** The cache of this Node (`{ entries, data }`), or null when there is none or it was written by another Node. */
function readCodeCache() {
  const file = readFramedFile(CODE_CACHE, CODE_CACHE_MAGIC);
  if (file === null) return null;
  const { header, data } = file;
  if (header.node !== process.version || header.v8 !== process.versions.v8 || header.arch !== process.arch) return null;
  if (header.entries === null || typeof header.entries !== 'object') return null;
  return { entries: new Map(Object.entries(header.entries)), data, all: header.all };
}

/**
 * A build file written as `magic`, a JSON header line, then data (the code cache, the module pack): `{ header, data }`,
 * or null when it is absent (a package as published, or a build without the step), not a regular file, or not of this
 * format (damaged, or written by another version): the caller then loads without it.
 */
function readFramedFile(file, magic) {
  try {
    const bytes = readRegularFile(file);
    if (bytes.toString('latin1', 0, magic.length) !== magic) return null;
    const end = bytes.indexOf(10, magic.length);
    if (end < 0) return null;
    const header = JSON.parse(bytes.toString('utf8', magic.length, end));
    if (header === null || typeof header !== 'object') return null;
    return { header, data: bytes.subarray(end + 1) };
  } catch {
    return null;
  }
}

/** `require` for a module compiled here, as Node makes it (lib/internal/modules/helpers.js, makeRequireFunction). */
function makeRequire(Module, mod) {
  const require = function require(id) { return mod.require(id); };
  require.resolve = function resolve(request, options) { return Module._resolveFilename(request, mod, false, options); };
  require.resolve.paths = function paths(request) { return Module._resolveLookupPaths(request, mod); };
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

/**
 * Installs the code cache for the build/ modules this process loads from now on (once; a no-op without a cache).
 * `recording`: compile every build/ module through `vm.Script` and keep it for `writeCodeCache()` (the build step).
 */
function setUpCodeCache(recording = false) {
  if (codeCacheState !== undefined) return;
  codeCacheState = recording ? { recording: new Map() } : process.env.NGINX_ROLLOUTS_NO_CODE_CACHE ? null : readCodeCache();
  if (codeCacheState === null) return;
  const Module = require('module');
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCodeCache(content, filename) {
    const fn = compiledWithCache(content, filename, cacheKey(filename));
    if (fn === undefined) return compile.call(this, content, filename);
    return fn.call(this.exports, this.exports, makeRequire(Module, this), this, filename, path.dirname(filename));
  };
}

/**
 * The wrapper function of a build/ module (`key`, cacheKey's) compiled with its code cache, or recorded for it; or
 * undefined when the cache has no usable entry for this text (the caller compiles it from the text). `sourceHash`:
 * the sha256 of `content` when the caller knows it (the module pack's, checked), instead of hashing it here.
 */
function compiledWithCache(content, filename, key, sourceHash) {
  const state = codeCacheState;
  if (!state || key === undefined) return undefined;
  let cachedData;
  if (state.recording === undefined) {
    const entry = state.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.source !== (sourceHash !== undefined ? sourceHash : sha256(content))) {
      codeCacheStats.stale++;
      return undefined;
    }
    cachedData = state.data.subarray(entry.offset, entry.offset + entry.length);
    if (cachedData.length !== entry.length || !(wholeFileIntact(state) || entry.cache === sha256(cachedData))) {
      codeCacheStats.corrupt++;
      return undefined;
    }
  }
  const script = compileScript(content, filename, cachedData);
  if (state.recording !== undefined) {
    state.recording.set(key, { script, source: sha256(content) });
    codeCacheStats.recorded++;
  } else if (script.cachedDataRejected) {
    codeCacheStats.rejected++; // V8 compiled it from the text
  } else {
    codeCacheStats.used++;
  }
  return script.runInThisContext({ displayErrors: true });
}

/**
 * Whether the data of a framed build file (the code cache's caches, the module pack's texts: `state` as
 * readCodeCache and readModulePack return it) match the sha256 the build wrote for all of them, hashed once per process: one hash of the
 * file instead of one per module (about 90 small hashes cost more than the bytes: ~3 ms a synth). When it does not
 * match, each module's part is checked on its own, as before (a damage then costs only the modules it hit).
 */
function wholeFileIntact(state) {
  if (state.intact === undefined) state.intact = typeof state.all === 'string' && sha256(state.data) === state.all;
  return state.intact;
}

/** A module's text in Node's own wrapper, with dynamic import() as in a module Node compiles. */
function compileScript(content, filename, cachedData) {
  const vm = require('vm');
  return new vm.Script(require('module').wrap(content), {
    filename,
    cachedData,
    importModuleDynamically: vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
}

/** Build step: from now on, record V8's compiled code of every build/ module this process loads. */
function recordCodeCache() {
  if (codeCacheState !== undefined) throw new Error('recordCodeCache() must run before the first load()');
  setUpCodeCache(true);
}

/** Build step: writes the code cache of everything recorded so far (after the workload ran). Returns the file. */
function writeCodeCache(file = CODE_CACHE) {
  if (!codeCacheState || codeCacheState.recording === undefined) throw new Error('nothing recorded: call recordCodeCache() first');
  const entries = {};
  const blobs = [];
  let offset = 0;
  for (const [key, { script, source }] of [...codeCacheState.recording].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const blob = script.createCachedData();
    entries[key] = { source, offset, length: blob.length, cache: sha256(blob) };
    blobs.push(blob);
    offset += blob.length;
  }
  const all = sha256(Buffer.concat(blobs));
  const header = JSON.stringify({ node: process.version, v8: process.versions.v8, arch: process.arch, entries, all });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.concat([Buffer.from(CODE_CACHE_MAGIC + header + '\n', 'utf8'), ...blobs]));
  fs.renameSync(tmp, file); // a concurrent reader sees the old file or the new one
  return file;
}

// ---------------------------------------------------------------------------------------------------------------
// The module pack of build/. Beyond compiling, Node pays for every module it loads: it resolves the specifier (stats
// of the candidates, realpath), looks up the package.json scope of the file (is it an ES module?), reads the file,
// and keeps per-file state. For `nginx-rollouts synth` of the seed app that is about 90 modules of ours loaded one by
// one after cdk8s' own. `npm run build` (scripts/module-pack.js) writes the text of the compiled modules the commands
// and the seed app can load into one file, build/.module-pack, with each module's relative requires already resolved;
// `load()` then runs those modules from it: one read for all of them, no resolution.
//
// Each module stays what Node makes of it: a `Module` registered in Node's module cache under its real file name
// (so a later `require` of the same file from anywhere, the app's included, gets the same instance, and a module Node
// loaded first is the one the pack's requires return), compiled on its own under its own file name (stack traces and
// the code cache are the module's), in Node's wrapper with `require`, `module`, `__filename` and `__dirname` as Node
// gives them. A packed text is used only when the compiled file is the one it was packed from: staleSource() stats
// every compiled file of the graph anyway (the module's time and size must equal the packed ones); anything else (a
// file changed, missing from the pack, not reached by the freshness check, a require the pack did not resolve, JSON)
// goes through Node's own `require`, as without the pack. The file is rebuilt with build/, holds nothing specific to
// the Node version, and is left out of the published package like the code cache (its modules' times would not
// survive `npm pack`). NGINX_ROLLOUTS_NO_MODULE_PACK=1 leaves it unused (the bench compares both).

const MODULE_PACK = path.join(build, '.module-pack');
const MODULE_PACK_MAGIC = 'nginx-rollouts module pack 1\n';

/** What the module pack did in this process (the tests read it). */
const modulePackStats = { used: 0, fallback: 0 };
let packState; // undefined: not read yet; then { modules: Map, data, all, dir, intact } (readModulePack; `intact` set by wholeFileIntact) or null: none

function readModulePack() {
  if (process.env.NGINX_ROLLOUTS_NO_MODULE_PACK) return null;
  const file = readFramedFile(MODULE_PACK, MODULE_PACK_MAGIC);
  if (file === null || file.header.modules === null || typeof file.header.modules !== 'object') return null;
  try {
    // Node's module cache is keyed by the real path of each file: the pack's modules must be registered the same way.
    return { modules: new Map(Object.entries(file.header.modules)), data: file.data, all: file.header.all, dir: fs.realpathSync.native(build) };
  } catch {
    return null;
  }
}

// Node's lookup paths depend only on the folder: the pack's modules share a dozen folders.
const nodeModulePathsByDir = new Map();

/**
 * The exports of the build/ module `key` (build-relative) run from the pack with `parent` as its parent, or `NOT_PACKED`
 * when the pack cannot give it (the caller then lets Node load the file). A module already in Node's cache is returned
 * from there, as `require` does (also one whose loading is under way: a require cycle sees its exports so far).
 */
const NOT_PACKED = Symbol('not packed');
function requireFromPack(key, parent) {
  if (packState === undefined) packState = readModulePack();
  if (packState === null) return NOT_PACKED;
  const Module = require('module');
  const filename = packState.dir + path.sep + key;
  const cached = Module._cache[filename];
  if (cached !== undefined) {
    if (parent && !parent.children.includes(cached)) parent.children.push(cached);
    return cached.exports;
  }
  const entry = packState.modules.get(key);
  const stat = compiledStats.get(key);
  if (entry === undefined || stat === undefined || stat.mtimeMs !== entry.mtimeMs || stat.size !== entry.size ||
      entry.offset + entry.length > packState.data.length) {
    modulePackStats.fallback++;
    return NOT_PACKED;
  }
  let content = packState.data.toString('utf8', entry.offset, entry.offset + entry.length);
  if (content.charCodeAt(0) === 0xfeff) content = content.slice(1); // as Node's loader does
  const dirname = path.dirname(filename);
  const mod = new Module(filename, parent); // also adds it to the parent's children
  mod.filename = filename;
  let paths = nodeModulePathsByDir.get(dirname);
  if (paths === undefined) nodeModulePathsByDir.set(dirname, paths = Module._nodeModulePaths(dirname));
  mod.paths = paths.slice();
  Module._cache[filename] = mod;
  let threw = true;
  try {
    // The pack's texts, checked once as a whole, come with their sha256 (the code cache's check of a text).
    const fn = compiledWithCache(content, filename, cacheKey(filename), wholeFileIntact(packState) ? entry.source : undefined) ??
      compileScript(content, filename).runInThisContext({ displayErrors: true });
    modulePackStats.used++;
    fn.call(mod.exports, mod.exports, packedRequire(Module, mod, entry.requires), mod, filename, dirname);
    threw = false;
  } finally {
    if (threw) { // as Node does: a module that threw is not cached (the next require tries again)
      delete Module._cache[filename];
      if (parent) {
        const i = parent.children.indexOf(mod);
        if (i >= 0) parent.children.splice(i, 1);
      }
    }
  }
  mod.loaded = true;
  return mod.exports;
}


/** `require` of a packed module: its relative requires resolved at build time (`requires`), anything else Node's. */
function packedRequire(Module, mod, requires) {
  const req = makeRequire(Module, mod);
  const nodeRequire = (id) => mod.require(id);
  const packed = function require(id) {
    const key = requires !== undefined && Object.prototype.hasOwnProperty.call(requires, id) ? requires[id] : undefined;
    if (key !== undefined) {
      const exports = requireFromPack(key, mod);
      if (exports !== NOT_PACKED) return exports;
    }
    return nodeRequire(id);
  };
  return Object.assign(packed, { resolve: req.resolve, main: req.main, extensions: req.extensions, cache: req.cache });
}

/**
 * The build/ modules (build-relative keys) that `rels` (`lib/cli/main`, `main`, ...) can load through relative
 * requires, each once, in a stable order; JSON and the generated schema validators (which have a loader of their own)
 * left out. For scripts/module-pack.js.
 */
function compiledGraph(rels) {
  const cache = readCache();
  const state = { dirty: false };
  const seen = new Set();
  const queue = rels.map((rel) => path.normalize(`${rel}.js`));
  while (queue.length > 0) {
    const key = queue.shift();
    if (seen.has(key)) continue;
    seen.add(key);
    for (const dep of depsOf(key, fs.statSync(compiledOfKey(key)), cache, state)) {
      if (typeof dep === 'string' && dep.endsWith('.js')) queue.push(dep);
    }
  }
  if (state.dirty) writeCache(cache);
  return [...seen].filter((key) => cacheKey(compiledOfKey(key)) !== undefined).sort();
}

/**
 * Build step: writes the module pack of `keys` (compiledGraph's) from the compiled files as they are now. Returns
 * the file.
 */
function writeModulePack(keys, file = MODULE_PACK) {
  const modules = {};
  const texts = [];
  let offset = 0;
  const packed = new Set(keys);
  for (const key of keys) {
    const compiled = compiledOfKey(key);
    const stat = fs.statSync(compiled);
    const text = fs.readFileSync(compiled);
    const requires = {};
    const resolved = new Map();
    for (const m of text.toString('utf8').matchAll(REQUIRE)) {
      const next = resolveCompiled(compiled, m[2], resolved);
      const dep = next === undefined ? undefined : path.relative(build, next);
      if (dep !== undefined && packed.has(dep)) requires[m[2]] = dep;
    }
    // The sha256 of the text as requireFromPack() gives it to V8 (decoded, without a byte order mark).
    const decoded = text.toString('utf8');
    const source = sha256(decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded);
    modules[key] = { offset, length: text.length, mtimeMs: stat.mtimeMs, size: stat.size, source, requires };
    texts.push(text);
    offset += text.length;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  const all = sha256(Buffer.concat(texts));
  fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${MODULE_PACK_MAGIC}${JSON.stringify({ modules, all })}\n`, 'utf8'), ...texts]));
  fs.renameSync(tmp, file); // a concurrent reader sees the old file or the new one
  return file;
}

// The compiled files load() found fresh in this process. Not checked again by a later load(): `nginx-rollouts synth`
// loads the CLI, then the app in the same process (lib/cli/run-app.ts), whose module graphs share most of lib/ (a
// graph walk is about 170 stats); and a module Node has loaded stays the one `require` returns anyway.
const verifiedFresh = new Set();

function load(rel) {
  const built = path.join(build, `${rel}.js`);
  if (isBuildFresh(rel, verifiedFresh)) {
    setUpCodeCache();
    const exports = requireFromPack(path.normalize(`${rel}.js`), module);
    return exports !== NOT_PACKED ? exports : require(built);
  }
  const source = path.join(root, `${rel}.ts`);
  if (!fs.existsSync(source)) {
    throw new Error(`cannot find ${built} or ${source}: run 'npm run build'`);
  }
  require('tsx/cjs');
  return require(source);
}

module.exports = {
  load, staleSource, isBuildFresh, newestSource, recordCodeCache, writeCodeCache, codeCacheStats, CODE_CACHE,
  compiledGraph, writeModulePack, modulePackStats, MODULE_PACK,
};
