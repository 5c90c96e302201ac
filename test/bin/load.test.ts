import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/**
 * A project folder with this package's bin/load.js, a node_modules link (for tsx), TypeScript sources and a build/
 * made of hand-written "compiled" files, each saying where it was loaded from, so the test sees which copy ran.
 */
function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'load-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.copyFileSync(path.join(ROOT, 'bin', 'load.js'), path.join(dir, 'bin', 'load.js'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  // Sources: main.ts imports a helper at the project root (outside lib/) and the library, which imports JSON.
  write('main.ts', "import { where } from './helpers/where';\nimport { lib } from './lib';\nexport const from = `source:${where}:${lib}`;\n");
  write('helpers/where.ts', "export const where = 'helper-source';\n");
  write('lib/index.ts', "import data from './data.json';\nexport const lib = `lib-source:${data.v}`;\n");
  write('lib/data.json', '{"v": 1}\n');
  write('build/main.js', '"use strict";\nconst w = require("./helpers/where");\nconst l = require("./lib");\nexports.from = `build:${w.where}:${l.lib}`;\n');
  write('build/helpers/where.js', '"use strict";\nexports.where = "helper-build";\n');
  write('build/lib/index.js', '"use strict";\nconst data = require("./data.json");\nexports.lib = `lib-build:${data.v}`;\n');
  write('build/lib/data.json', '{"v": 1}\n');
  // Sources older than the build, as after `npm run build`, and both in the past, so an edit is clearly newer (file
  // times come from a coarse kernel clock, which can be a few ms ahead of Date.now()).
  const old = new Date(Date.now() - 60_000);
  for (const f of ['main.ts', 'helpers/where.ts', 'lib/index.ts', 'lib/data.json']) fs.utimesSync(path.join(dir, f), old, old);
  const built = new Date(Date.now() - 30_000);
  for (const f of ['main.js', 'helpers/where.js', 'lib/index.js', 'lib/data.json']) fs.utimesSync(path.join(dir, 'build', f), built, built);
  return dir;
}

function loadedFrom(dir: string): string {
  const r = spawnSync(process.execPath, ['-e', "process.stdout.write(require('./bin/load').load('main').from)"], { cwd: dir, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout;
}

function touch(file: string): void {
  const now = new Date();
  fs.utimesSync(file, now, now);
}

describe('bin/load.js: the build is used only when every source the app imports is older than its compiled copy', () => {
  test('a fresh build is used', () => {
    expect(loadedFrom(project())).toBe('build:helper-build:lib-build:1');
  });

  test('an edited helper outside lib/ that main.ts imports makes the sources run (the old check missed it)', () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, 'helpers', 'where.ts'), "export const where = 'helper-edited';\n");
    expect(loadedFrom(dir)).toBe('source:helper-edited:lib-source:1');
  });

  test('an edited library file or JSON module makes the sources run', () => {
    const dir = project();
    touch(path.join(dir, 'lib', 'index.ts'));
    expect(loadedFrom(dir)).toMatch(/^source:/);
    const dir2 = project();
    fs.writeFileSync(path.join(dir2, 'lib', 'data.json'), '{"v": 2}\n');
    expect(loadedFrom(dir2)).toBe('source:helper-source:lib-source:2');
  });

  test('a source deleted since the build is stale (the build would run code that no longer exists)', () => {
    const dir = project();
    fs.rmSync(path.join(dir, 'helpers', 'where.ts'));
    const { staleSource } = require(path.join(dir, 'bin', 'load.js'));
    expect(staleSource('main')).toEqual({ file: path.join('helpers', 'where.ts'), reason: 'missing' });
  });

  test('staleSource names the first stale file; a TypeScript file nothing imports does not matter', () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, 'unrelated.ts'), 'export const x = 1;\n');
    const { staleSource } = require(path.join(dir, 'bin', 'load.js'));
    expect(staleSource('main')).toBeUndefined();
    touch(path.join(dir, 'helpers', 'where.ts'));
    expect(staleSource('main')).toEqual({ file: path.join('helpers', 'where.ts'), reason: 'newer' });
  });

  test('the cache of requires is refreshed when a compiled file changes', () => {
    const dir = project();
    const { staleSource } = require(path.join(dir, 'bin', 'load.js'));
    expect(staleSource('main')).toBeUndefined();
    expect(fs.existsSync(path.join(dir, 'build', '.load-deps.json'))).toBe(true);
    // A rebuilt main.js that now imports a new helper, whose source is newer than its compiled copy.
    fs.writeFileSync(path.join(dir, 'build', 'main.js'), '"use strict";\nrequire("./helpers/other");\nexports.from = "x";\n');
    fs.writeFileSync(path.join(dir, 'build', 'helpers', 'other.js'), '"use strict";\n');
    const past = new Date(Date.now() - 30_000);
    fs.utimesSync(path.join(dir, 'build', 'helpers', 'other.js'), past, past);
    fs.utimesSync(path.join(dir, 'build', 'main.js'), past, past);
    fs.writeFileSync(path.join(dir, 'helpers', 'other.ts'), 'export {};\n');
    expect(staleSource('main')).toEqual({ file: path.join('helpers', 'other.ts'), reason: 'newer' });
  });

  test('a package without sources (build/ only, as published) uses the build', () => {
    const dir = project();
    for (const f of ['main.ts', 'helpers', 'lib']) fs.rmSync(path.join(dir, f), { recursive: true });
    expect(loadedFrom(dir)).toBe('build:helper-build:lib-build:1');
  });
});

describe('bin/load.js: one check per process', () => {
  test('load() does not check again what an earlier load() found fresh (synth loads the CLI, then the app)', () => {
    const dir = project();
    // Counts the file stats of each load: the first walks main's graph, the second only what is new.
    const script = `const fs = require('fs'); const l = require('./bin/load'); let n = 0; const stat = fs.statSync;
      fs.statSync = function (...a) { n++; return stat.apply(this, a); };
      const counts = []; for (const rel of ['helpers/where', 'main', 'lib/index', 'main']) { n = 0; l.load(rel); counts.push(n); }
      process.stdout.write(JSON.stringify({ counts, from: l.load('main').from }));`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const { counts, from } = JSON.parse(r.stdout);
    expect(from).toBe('build:helper-build:lib-build:1');
    // helpers/where: the entry, the file and its source; main: the entry, main.js, lib/index.js and lib/data.json
    // with their sources and the stats that resolve their requires (first run: no cache of requires yet), not
    // helpers/where.js again; later loads: only the entry's own stat.
    expect(counts).toEqual([3, 11, 1, 1]);
  });

  test('staleSource and isBuildFresh, called directly, check everything every time', () => {
    const dir = project();
    const { load, staleSource } = require(path.join(dir, 'bin', 'load.js'));
    expect(load('main').from).toBe('build:helper-build:lib-build:1');
    touch(path.join(dir, 'helpers', 'where.ts'));
    expect(staleSource('main')).toEqual({ file: path.join('helpers', 'where.ts'), reason: 'newer' });
  });
});

describe('bin/load.js for the GitOps config (lib/gitops/load-config.ts asks isBuildFresh)', () => {
  test('a helper that environments.ts imports, edited after the build, makes the config stale', () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, 'environments.ts'), "import { where } from './helpers/where';\nexport const config = where;\n");
    fs.writeFileSync(path.join(dir, 'build', 'environments.js'), '"use strict";\nexports.config = require("./helpers/where").where;\n');
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(dir, 'environments.ts'), past, past);
    const { isBuildFresh } = require(path.join(dir, 'bin', 'load.js'));
    expect(isBuildFresh('environments')).toBe(true);
    fs.writeFileSync(path.join(dir, 'helpers', 'where.ts'), "export const where = 'edited';\n");
    expect(isBuildFresh('environments')).toBe(false);
  });
});
