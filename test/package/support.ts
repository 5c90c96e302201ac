/**
 * Helpers of the package tests: pack this repository as npm would publish it, and install the tarball into throwaway
 * apps without the network.
 *
 * Offline, honestly: `npm install --prefer-offline` still asks the registry for every package document it has not
 * cached, and `npm ci` (what CI runs first) caches tarballs, not those documents; so on a fresh machine a plain
 * install from the cache fails with ENOTCACHED (`--offline`) or quietly uses the network (`--prefer-offline`).
 * Instead each app gets a package-lock.json cut out of this repository's own lock: the same versions, `resolved`
 * URLs and integrity hashes, in the same node_modules layout. `npm ci --offline` then takes every tarball from the
 * cache by its integrity hash and never asks the registry anything.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');
export const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
export const NAME: string = PKG.name;
export const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
export const CDK8S_CLI = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
const LOCK = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));

// npm settings of a surrounding `npm test` (npm_config_*) would apply to the nested npm calls too; keep only those
// that say where the cache and registry are.
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const keep = /^npm_config_(cache|registry|userconfig|globalconfig)$/i;
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) && !keep.test(k)) continue;
    env[k] = v;
  }
  delete env.NODE_PATH; // an app must resolve everything from its own node_modules
  delete env.NODE_OPTIONS;
  delete env.TS_NODE_PROJECT;
  env.CDK8S_CHECK_UPGRADE = 'false';
  return { ...env, ...extra };
}

export function run(cmd: string, args: string[], cwd: string, timeout = 120_000, env?: NodeJS.ProcessEnv):
SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env: env ?? childEnv(), encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
}

export function mustRun(cmd: string, args: string[], cwd: string, timeout?: number, env?: NodeJS.ProcessEnv): string {
  const r = run(cmd, args, cwd, timeout, env);
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`
      + (r.error ? `\n${r.error}` : ''));
  }
  return r.stdout;
}

export function walk(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** The packed tarball: its path, npm's file list and sizes. */
export interface Packed {
  readonly tarball: string;
  readonly files: string[];
  readonly size: number;
  readonly unpackedSize: number;
}

/**
 * The sources that `files` ships compiled (lib/ and imports/) each have a compiled file at least as new. Anything
 * else (main.ts, examples) is not shipped, so it does not matter here.
 */
function buildIsFresh(): boolean {
  for (const dir of ['lib', 'imports']) {
    for (const src of walk(path.join(ROOT, dir))) {
      if (!src.endsWith('.ts') || src.endsWith('.d.ts')) continue;
      const js = path.join(ROOT, 'build', path.relative(ROOT, src)).replace(/\.ts$/, '.js');
      if (!fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(src).mtimeMs) return false;
    }
  }
  return true;
}

/** Jest runs test files in parallel: one build at a time, or two `prebuild`s delete each other's output. */
function withBuildLock<T>(fn: () => T): T {
  const lock = path.join(ROOT, 'build.lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || Date.now() > deadline) throw e;
      spawnSync(process.execPath, ['-e', 'setTimeout(() => {}, 200)']);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmdirSync(lock);
  }
}

export function pack(dest: string): Packed {
  // `npm pack` would run `prepare` (the build) anyway; building first and packing with --ignore-scripts keeps the
  // build's output out of npm's JSON and skips a needless second compile when build/ is already fresh.
  const out = withBuildLock(() => {
    if (!buildIsFresh()) mustRun('npm', ['run', 'build'], ROOT, 180_000);
    return mustRun('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], ROOT);
  });
  const [info] = JSON.parse(out.slice(out.indexOf('[')));
  return {
    tarball: path.join(dest, info.filename),
    files: info.files.map((f: { path: string }) => f.path),
    size: info.size,
    unpackedSize: info.unpackedSize,
  };
}

/** The version of `name` in this repository's lock (top level): the npm cache has its tarball after `npm ci`. */
export function lockedVersion(name: string): string {
  const entry = LOCK.packages[`node_modules/${name}`];
  if (!entry) throw new Error(`${name} is not in package-lock.json: add it to devDependencies so that npm ci caches it`);
  return entry.version;
}

/** Where Node finds `dep` from the package at `from` (a lock location such as `node_modules/a/node_modules/b`). */
function resolveIn(packages: Record<string, any>, from: string, dep: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = dir ? `${dir}/node_modules/${dep}` : `node_modules/${dep}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
    const i = dir.lastIndexOf('/node_modules/');
    dir = i < 0 ? '' : dir.slice(0, i);
  }
}

/** The lock entry of a package as an app sees it: no dev/peer/optional flags (npm computes them). */
function appEntry(entry: any): any {
  const { dev, devOptional, peer, optional, ...rest } = entry;
  void dev; void devOptional; void peer; void optional;
  return rest;
}

export interface AppSpec {
  /** The app's dependencies, each installed at the version of this repository's lock. */
  readonly dependencies: string[];
  /** The app's devDependencies, likewise. */
  readonly devDependencies?: string[];
  /** The tarball of this package, added as `file:` dependency. */
  readonly tarball?: string;
  /** Other fields of the app's package.json (scripts, ...). */
  readonly extra?: Record<string, unknown>;
}

/**
 * Writes `dir/package.json` and a matching `package-lock.json` cut from this repository's lock, then runs
 * `npm ci --offline`: every package comes from the npm cache, checked by its integrity hash.
 */
export function installOffline(dir: string, spec: AppSpec): void {
  const pkgs: Record<string, any> = LOCK.packages;
  const dependencies: Record<string, string> = {};
  const devDependencies: Record<string, string> = {};
  for (const d of spec.dependencies) dependencies[d] = lockedVersion(d);
  for (const d of spec.devDependencies ?? []) devDependencies[d] = lockedVersion(d);

  const packages: Record<string, any> = {};
  const queue: string[] = [];
  const add = (location: string) => {
    if (packages[location]) return;
    packages[location] = appEntry(pkgs[location]);
    queue.push(location);
  };
  const required = (from: string, entry: any): string[] => [
    ...Object.keys(entry.dependencies ?? {}),
    ...Object.keys(entry.optionalDependencies ?? {}),
    ...Object.keys(entry.peerDependencies ?? {}).filter((p) => !entry.peerDependenciesMeta?.[p]?.optional),
  ].filter((d) => !(from && entry.optionalDependencies?.[d] && !resolveIn(pkgs, from, d)));

  if (spec.tarball) {
    const rel = path.relative(dir, spec.tarball);
    dependencies[NAME] = `file:${rel}`;
    const location = `node_modules/${NAME}`;
    packages[location] = {
      version: PKG.version,
      resolved: `file:${rel}`,
      integrity: `sha512-${createHash('sha512').update(fs.readFileSync(spec.tarball)).digest('base64')}`,
      license: PKG.license,
      dependencies: PKG.dependencies,
      peerDependencies: PKG.peerDependencies,
      peerDependenciesMeta: PKG.peerDependenciesMeta,
      bin: PKG.bin,
      engines: PKG.engines,
    };
    queue.push(location);
  }
  for (const d of [...spec.dependencies, ...(spec.devDependencies ?? [])]) add(`node_modules/${d}`);
  while (queue.length > 0) {
    const location = queue.shift()!;
    const entry = location === `node_modules/${NAME}` ? packages[location] : pkgs[location];
    // Bundled dependencies travel inside their package's tarball; the lock lists them under it.
    for (const key of Object.keys(pkgs)) {
      if (key.startsWith(`${location}/node_modules/`) && pkgs[key].inBundle) add(key);
    }
    for (const dep of required(location, entry)) {
      const found = resolveIn(pkgs, location, dep);
      if (found) add(found);
      else if (!entry.optionalDependencies?.[dep]) {
        throw new Error(`${location} needs ${dep}, which is not in package-lock.json`);
      }
    }
  }

  const pkg = { name: path.basename(dir), version: '1.0.0', private: true, license: 'Apache-2.0', ...spec.extra,
    dependencies, devDependencies };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const lock = {
    name: pkg.name,
    version: pkg.version,
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: pkg.name, version: pkg.version, license: pkg.license, dependencies, devDependencies },
      ...Object.fromEntries(Object.entries(packages).sort(([a], [b]) => a.localeCompare(b))) },
  };
  fs.writeFileSync(path.join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  mustRun('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], dir, 180_000);
}

/**
 * The bundled dependencies (ajv, yaml) and everything they depend on, from this repository's lock: what npm pack puts
 * in the package's node_modules/.
 */
export function bundledClosure(): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const dep of Object.keys(LOCK.packages[`node_modules/${name}`]?.dependencies ?? {})) visit(dep);
  };
  for (const name of PKG.bundledDependencies ?? []) visit(name);
  return [...seen];
}
