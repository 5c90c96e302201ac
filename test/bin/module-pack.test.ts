/**
 * bin/load.js runs the build/ modules of the commands and of the seed app from one file, build/.module-pack, that
 * `npm run build` writes (scripts/module-pack.js): one read instead of Node's resolution, package scope lookup and
 * read per module. These tests check that a packed module is the module Node would load (same instance for every
 * `require` of it, same wrapper, same file name in its errors), and that whatever is wrong with the pack (a compiled
 * file changed since, a damaged or foreign file, a FIFO) the compiled file itself runs, silently. No timing here:
 * the figures are `npm run bench`'s.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadProject } from '../support/load-project';

const ROOT = path.join(__dirname, '..', '..');
const MAGIC = 'nginx-rollouts module pack 1\n';

/** A project with this package's bin/load.js, sources older than a hand-written build/ of three modules. */
function project(): string {
  return loadProject('module-pack-', {
    'main.ts': "export * from './lib/word';\n",
    'lib/word.ts': "export const word = () => 'AAAA';\n",
    'lib/boom.ts': "throw new Error('boom');\n",
    'lib/data.json': '{"v": 1}\n',
  }, {
    // `require.main`, `require.resolve` and `module` as Node gives them, so the test sees the wrapper is Node's; a
    // JSON require and a lazy require of a module that throws.
    'main.js': '"use strict";\nconst w = require("./lib/word");\nconst d = require("./lib/data.json");\n' +
      'exports.boom = () => require("./lib/boom");\nexports.w = w;\n' +
      'exports.run = () => `${w.word()}:${d.v}:${typeof require.resolve("./lib/word")}:${module.id === __filename}:' +
      '${require.cache === require("module")._cache}:${module.loaded}`;\n',
    'lib/word.js': '"use strict";\nexports.word = () => "AAAA";\n',
    'lib/boom.js': '"use strict";\nthrow new Error("boom");\n',
    'lib/data.json': '{"v": 1}\n',
  });
}

const packFile = (dir: string) => path.join(dir, 'build', '.module-pack');

/** Writes build/.module-pack as the build step does. */
function writePack(dir: string): void {
  const r = spawnSync(process.execPath, ['-e',
    "const l = require('./bin/load'); l.writeModulePack(l.compiledGraph(['main']))"], { cwd: dir, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

interface Run {
  readonly out: string;
  readonly pack: { used: number; fallback: number };
}

/** Runs `script` (with `l`, bin/load.js) in a fresh Node; stderr must stay empty (a fallback is silent). */
function run(dir: string, script = 'const out = l.load(\'main\').run();', env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, ['-e',
    `const l = require('./bin/load'); ${script} process.stdout.write(JSON.stringify({ out, pack: l.modulePackStats }))`],
  { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

const EXPECTED = 'AAAA:1:string:true:true:true';

describe('bin/load.js: module pack of build/', () => {
  test('the build step packs the .js modules of the graph; load() runs them from the pack, as Node would', () => {
    const dir = project();
    expect(run(dir)).toEqual({ out: EXPECTED, pack: { used: 0, fallback: 0 } });
    writePack(dir);
    const data = fs.readFileSync(packFile(dir));
    const header = JSON.parse(data.toString('utf8', MAGIC.length, data.indexOf(10, MAGIC.length)));
    expect(Object.keys(header.modules)).toEqual(['lib/boom.js', 'lib/word.js', 'main.js']); // no JSON
    expect(header.modules['main.js'].requires).toEqual({ './lib/word': 'lib/word.js', './lib/boom': 'lib/boom.js' });
    expect(run(dir)).toEqual({ out: EXPECTED, pack: { used: 2, fallback: 0 } });
    expect(run(dir, 'const out = l.load(\'main\').run();', { NGINX_ROLLOUTS_NO_MODULE_PACK: '1' }).pack).toEqual({ used: 0, fallback: 0 });
  });

  test('one instance of each module: Node\'s own require and the pack\'s give the same exports, in either order', () => {
    const dir = project();
    writePack(dir);
    // The pack first (the command), then the app's own `require` of the same files.
    let r = run(dir, "const m = l.load('main'); const w = require('./build/lib/word'); const out = m.w === w && " +
      "m === require('./build/main') && require.cache[require.resolve('./build/lib/word')].loaded && " +
      "require.cache[require.resolve('./build/main')].children.includes(require.cache[require.resolve('./build/lib/word')]);");
    expect(r).toEqual({ out: true, pack: { used: 2, fallback: 0 } });
    // Node first: the pack's require returns the module Node loaded, and does not run it again.
    r = run(dir, "const w = require('./build/lib/word'); const m = l.load('main'); const out = m.w === w && m === require('./build/main');");
    expect(r).toEqual({ out: true, pack: { used: 1, fallback: 0 } });
  });

  test('an error thrown by a packed module names the module\'s own file; a module that threw is not cached', () => {
    const dir = project();
    writePack(dir);
    const r = run(dir, "const m = l.load('main'); const stacks = [];" +
      "for (let i = 0; i < 2; i++) try { m.boom(); } catch (e) { stacks.push(e.stack.split('\\n')[1]); }" +
      "const out = { stacks: stacks.map((s) => s.includes(require('path').join('build', 'lib', 'boom.js:2'))), " +
      "cached: Object.keys(require.cache).some((f) => f.endsWith('boom.js')) };");
    // Run twice from the pack (as Node runs it again on the next require), both times with its own file name.
    expect(r).toEqual({ out: { stacks: [true, true], cached: false }, pack: { used: 4, fallback: 0 } });
  });

  test('a compiled file changed after the pack was written runs its new text, the others still come from the pack', () => {
    const dir = project();
    writePack(dir);
    const file = path.join(dir, 'build', 'lib', 'word.js');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('AAAA', 'BBBB')); // same length, a newer time
    expect(run(dir)).toEqual({ out: EXPECTED.replace('AAAA', 'BBBB'), pack: { used: 1, fallback: 1 } });
    // Only a file's time changed: the pack is not trusted for it either.
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('BBBB', 'AAAA'));
    expect(run(dir)).toEqual({ out: EXPECTED, pack: { used: 1, fallback: 1 } });
  });

  test('a damaged, truncated or foreign pack, or a FIFO in its place, is ignored: the build runs as without it', () => {
    const dir = project();
    writePack(dir);
    const data = fs.readFileSync(packFile(dir));
    for (const bad of [data.subarray(0, MAGIC.length + 20), data.subarray(3), Buffer.from('{"modules":{}}\n')]) {
      fs.writeFileSync(packFile(dir), bad);
      expect(run(dir)).toEqual({ out: EXPECTED, pack: { used: 0, fallback: 0 } });
    }
    // A pack whose texts were cut short: the modules past its end are read from their files.
    fs.writeFileSync(packFile(dir), data.subarray(0, data.length - 10));
    expect(run(dir).out).toBe(EXPECTED);
    fs.rmSync(packFile(dir));
    spawnSync('mkfifo', [packFile(dir)]);
    expect(fs.statSync(packFile(dir)).isFIFO()).toBe(true);
    const r = spawnSync(process.execPath, ['-e', "process.stdout.write(require('./bin/load').load('main').run())"],
      { cwd: dir, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
    expect({ signal: r.signal, status: r.status, out: r.stdout, err: r.stderr }).toEqual({ signal: null, status: 0, out: EXPECTED, err: '' });
  });

  test('with the code cache, the pack\'s texts and the caches are each checked by one hash of their file', () => {
    const dir = project();
    writePack(dir);
    const record = spawnSync(process.execPath, ['-e',
      "const l = require('./bin/load'); l.recordCodeCache(); l.load('main').run(); l.writeCodeCache()"], { cwd: dir, encoding: 'utf8' });
    expect(record.stderr).toBe('');
    const counted = "const c = require('crypto'); const h = c.createHash; let hashes = 0; c.createHash = (...a) => { hashes++; return h(...a); };" +
      "const out = [l.load('main').run(), hashes, l.codeCacheStats.used, l.codeCacheStats.stale];";
    // Before: a hash of each module's text and one of each module's cache (4 here, about 175 for synth).
    expect(run(dir, counted)).toEqual({ out: [EXPECTED, 2, 2, 0], pack: { used: 2, fallback: 0 } });
    // A text damaged inside the pack (same length, the compiled file untouched): the pack's hash no longer matches,
    // each text is hashed again, and the cache made for the undamaged text is not given to V8 with it.
    const data = fs.readFileSync(packFile(dir));
    const at = data.lastIndexOf('AAAA');
    data.write('ZZZZ', at, 'latin1');
    fs.writeFileSync(packFile(dir), data);
    const r = run(dir, counted);
    expect((r.out as unknown as unknown[]).slice(2)).toEqual([1, 1]);
  });

  test('stale sources still win over the pack: the TypeScript runs', () => {
    const dir = project();
    writePack(dir);
    fs.writeFileSync(path.join(dir, 'lib', 'word.ts'), "export const word = () => 'CCCC';\n");
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    const r = run(dir, "const out = l.load('main').word();");
    expect(r).toEqual({ out: 'CCCC', pack: { used: 0, fallback: 0 } });
  });

  test('npm run build packs what the commands and the seed app load; synth runs all of ours from it', () => {
    // build/ is this checkout's (the tests run after a build).
    const data = fs.readFileSync(path.join(ROOT, 'build', '.module-pack'));
    const header = JSON.parse(data.toString('utf8', MAGIC.length, data.indexOf(10, MAGIC.length)));
    for (const key of ['lib/cli/main.js', 'lib/cli/synth.js', 'main.js', 'lib/index.js', 'imports/argo-rollouts-argoproj.io.js']) {
      expect(header.modules[key]).toBeDefined();
    }
    expect(Object.keys(header.modules).filter((k) => /schema-validator-/.test(k))).toEqual([]);
    // synth runs the seed app in its own process (lib/cli/run-app.ts): the CLI's modules and the app's, one each.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'module-pack-synth-'));
    const preload = path.join(tmp, 'report.js');
    fs.writeFileSync(preload, `process.on('exit', () => {
      const l = require(${JSON.stringify(path.join(ROOT, 'bin', 'load.js'))});
      const ours = Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(path.join(ROOT, 'build') + path.sep)}));
      require('fs').writeFileSync(${JSON.stringify(path.join(tmp, 'report.json'))}, JSON.stringify({ pack: l.modulePackStats, ours }));
    });\n`);
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'nginx-rollouts.js'), 'synth', '--out', path.join(tmp, 'dist')],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NGINX_IMAGE: undefined, NODE_OPTIONS: `-r ${preload}` } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(tmp, 'report.json'), 'utf8'));
    // All but the schema validators' formats, which the generated validator requires (lib/rules/schema.ts loads it).
    const packed = report.ours.filter((f: string) => header.modules[path.relative(path.join(ROOT, 'build'), f)] !== undefined &&
      !f.endsWith(path.join('rules', 'schema-formats.js')));
    expect(packed).toContain(path.join(ROOT, 'build', 'lib', 'rollout', 'rollout.js')); // the app's modules
    expect(packed).toContain(path.join(ROOT, 'build', 'lib', 'cli', 'check.js')); // the command's
    expect(report.pack).toEqual({ used: packed.length, fallback: 0 });
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
