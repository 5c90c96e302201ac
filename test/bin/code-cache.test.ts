/**
 * bin/load.js compiles the build/ modules through V8's code cache that `npm run build` writes (scripts/code-cache.js)
 * into build/.v8-code-cache. V8 itself checks a cache only against its version, its flags and the source's length,
 * and does not checksum it: these tests check that whatever is wrong with the file (stale, damaged, from another Node,
 * meant for another module) the module's own text runs, silently. No timing here: the figures are `npm run bench`'s.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { loadProject } from '../support/load-project';

const ROOT = path.join(__dirname, '..', '..');
const MAGIC = 'nginx-rollouts code cache 1\n';

/** A project with this package's bin/load.js, sources older than a hand-written build/ of two modules. */
function project(): string {
  return loadProject('code-cache-', {
    'main.ts': "export * from './lib/word';\n",
    'lib/word.ts': "export const word = () => 'AAAA';\n",
  }, {
    // `require.main`, `require.resolve` and `module` as Node gives them, so the test sees the wrapper is Node's.
    'main.js': '"use strict";\nconst w = require("./lib/word");\n' +
      'exports.run = () => `${w.word()}:${typeof require.resolve("./lib/word")}:${module.id === __filename}:${require.cache === require("module")._cache}`;\n',
    'lib/word.js': '"use strict";\nexports.word = () => "AAAA";\n',
  });
}

interface Run {
  readonly out: string;
  readonly stats: { used: number; rejected: number; stale: number; corrupt: number };
}

/** Runs `load('main').run()` in a fresh Node (with `nodeArgs`); stderr must stay empty (a fallback is silent). */
function run(dir: string, nodeArgs: string[] = []): Run {
  const r = spawnSync(process.execPath, [...nodeArgs, '-e',
    "const l = require('./bin/load'); const out = l.load('main').run(); process.stdout.write(JSON.stringify({ out, stats: l.codeCacheStats }))"],
  { cwd: dir, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

/** Writes build/.v8-code-cache as the build step does: record a run, then write. */
function writeCache(dir: string): void {
  const r = spawnSync(process.execPath, ['-e',
    "const l = require('./bin/load'); l.recordCodeCache(); l.load('main').run(); l.writeCodeCache()"], { cwd: dir, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

const cacheFile = (dir: string) => path.join(dir, 'build', '.v8-code-cache');

/** The cache file's header and the offset of its first cache. */
function readHeader(dir: string): { header: any; start: number; data: Buffer } {
  const data = fs.readFileSync(cacheFile(dir));
  const end = data.indexOf(10, MAGIC.length);
  return { header: JSON.parse(data.toString('utf8', MAGIC.length, end)), start: end + 1, data };
}

function writeHeader(dir: string, header: unknown, blobs: Buffer): void {
  fs.writeFileSync(cacheFile(dir), Buffer.concat([Buffer.from(`${MAGIC}${JSON.stringify(header)}\n`), blobs]));
}

const EXPECTED = 'AAAA:string:true:true';

describe('bin/load.js: V8 code cache of build/', () => {
  test('without a cache the build runs as before; with one, every build/ module is compiled from it', () => {
    const dir = project();
    expect(run(dir)).toEqual({ out: EXPECTED, stats: { used: 0, rejected: 0, stale: 0, corrupt: 0, recorded: 0 } });
    writeCache(dir);
    const { header } = readHeader(dir);
    expect(Object.keys(header.entries).sort()).toEqual(['lib/word.js', 'main.js']);
    expect(header.node).toBe(process.version);
    expect(run(dir)).toEqual({ out: EXPECTED, stats: { used: 2, rejected: 0, stale: 0, corrupt: 0, recorded: 0 } });
  });

  test('an intact cache file is checked by one hash of all its caches, not one per module', () => {
    const dir = project();
    writeCache(dir);
    const r = spawnSync(process.execPath, ['-e',
      "const c = require('crypto'); const h = c.createHash; let n = 0; c.createHash = (...a) => { n++; return h(...a); };" +
      "const l = require('./bin/load'); const out = l.load('main').run(); process.stdout.write(JSON.stringify([out, n, l.codeCacheStats.used]))"],
    { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    // Each module's text (no module pack here) and the file's caches once: 3, where one per cache made it 4.
    expect(JSON.parse(r.stdout)).toEqual([EXPECTED, 3, 2]);
  });

  test('a module edited to the same length after the cache was written runs its new text (V8 alone would run the old)', () => {
    const dir = project();
    writeCache(dir);
    const file = path.join(dir, 'build', 'lib', 'word.js');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('AAAA', 'BBBB'));
    const r = run(dir);
    expect(r.out).toBe(EXPECTED.replace('AAAA', 'BBBB'));
    expect(r.stats).toMatchObject({ used: 1, stale: 1 });
  });

  test('a damaged cache is not given to V8 (it does not checksum it): the module is compiled from its text', () => {
    const dir = project();
    writeCache(dir);
    const { header, start, data } = readHeader(dir);
    const entry = header.entries['lib/word.js'];
    for (let i = start + entry.offset + 16; i < start + entry.offset + entry.length; i += 7) data[i] ^= 0x5a;
    fs.writeFileSync(cacheFile(dir), data);
    const r = run(dir);
    expect(r.out).toBe(EXPECTED);
    expect(r.stats).toMatchObject({ used: 1, corrupt: 1 });
  });

  test('a cache V8 rejects (here: another module\'s, under the right checksums) is compiled from the text', () => {
    const dir = project();
    writeCache(dir);
    const { header, start, data } = readHeader(dir);
    // word.js's entry points at main.js's cache: V8 sees another source length and rejects it.
    header.entries['lib/word.js'] = { ...header.entries['main.js'], source: header.entries['lib/word.js'].source };
    writeHeader(dir, header, data.subarray(start));
    const r = run(dir);
    expect(r.out).toBe(EXPECTED);
    expect(r.stats).toMatchObject({ used: 1, rejected: 1 });
  });

  test('a cache written by another Node version, a truncated file or a foreign file is ignored', () => {
    const dir = project();
    writeCache(dir);
    const { header, start, data } = readHeader(dir);
    writeHeader(dir, { ...header, node: 'v0.0.1' }, data.subarray(start));
    expect(run(dir)).toEqual({ out: EXPECTED, stats: { used: 0, rejected: 0, stale: 0, corrupt: 0, recorded: 0 } });
    fs.writeFileSync(cacheFile(dir), data.subarray(0, start - 40));
    expect(run(dir).out).toBe(EXPECTED);
    fs.writeFileSync(cacheFile(dir), data.subarray(start + 3));
    expect(run(dir)).toEqual({ out: EXPECTED, stats: { used: 0, rejected: 0, stale: 0, corrupt: 0, recorded: 0 } });
  });

  test('a FIFO in place of the code cache or of the dependency cache: the command runs without them, never waits', () => {
    // Reading a FIFO waits for a writer for ever; the run is bounded here so that the old code fails, not hangs.
    const dir = project();
    const bounded = () => spawnSync(process.execPath, ['-e',
      "const l = require('./bin/load'); process.stdout.write(l.load('main').run())"],
    { cwd: dir, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
    for (const file of [cacheFile(dir), path.join(dir, 'build', '.load-deps.json')]) {
      fs.rmSync(file, { force: true });
      spawnSync('mkfifo', [file]);
      expect(fs.statSync(file).isFIFO()).toBe(true);
      const r = bounded();
      expect(r.signal).toBeNull();
      expect({ status: r.status, out: r.stdout, err: r.stderr }).toEqual({ status: 0, out: EXPECTED, err: '' });
      fs.rmSync(file);
    }
  });

  test('V8 flags other than the ones that wrote the cache: V8 rejects it and compiles from the text', () => {
    const dir = project();
    writeCache(dir);
    const r = run(dir, ['--no-lazy']);
    expect(r.out).toBe(EXPECTED);
    expect(r.stats.used).toBe(0);
  });

  test('stale sources still win over the cache: the TypeScript runs, the cache is not read', () => {
    const dir = project();
    writeCache(dir);
    fs.writeFileSync(path.join(dir, 'lib', 'word.ts'), "export const word = () => 'CCCC';\n");
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    const r = spawnSync(process.execPath, ['-e',
      "const l = require('./bin/load'); const m = l.load('main'); process.stdout.write(m.word() + JSON.stringify(l.codeCacheStats))"],
    { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('CCCC{"used":0,"rejected":0,"stale":0,"corrupt":0,"recorded":0}');
  });
});
