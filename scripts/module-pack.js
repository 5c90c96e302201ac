#!/usr/bin/env node
'use strict';
// Build step after `tsc` and scripts/compile-schemas.js, before scripts/code-cache.js (`npm run build`): writes the
// module pack of build/ (see bin/load.js): the text of every compiled module that the command line
// (build/lib/cli/main.js) and the seed app (build/main.js) can load, with their relative requires resolved, in one
// file, build/.module-pack. It holds copies of build/'s files as they are now: bin/load.js uses a packed module only
// while its compiled file still has the time and size it was packed with.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const ENTRIES = ['lib/cli/main', 'main'];

function main() {
  const loader = require(path.join(root, 'bin', 'load.js'));
  if (ENTRIES.some((rel) => !loader.isBuildFresh(rel))) {
    fs.rmSync(loader.MODULE_PACK, { force: true });
    process.stderr.write('module-pack: skipped, build/ is missing or older than the sources (run tsc first: npm run build does)\n');
    return 0;
  }
  const started = Date.now();
  const keys = loader.compiledGraph(ENTRIES);
  const file = loader.writeModulePack(keys);
  process.stdout.write(`module-pack: ${path.relative(root, file)} (${keys.length} modules, ` +
    `${Math.round(fs.statSync(file).size / 1024)} KiB, ${(Date.now() - started) / 1000} s)\n`);
  return 0;
}

process.exitCode = main();
