#!/usr/bin/env node
'use strict';
// Build step after `tsc` and scripts/compile-schemas.js (`npm run build`): writes V8's code cache of the build/
// modules that the commands load into build/.v8-code-cache (see bin/load.js, which uses it). The cache is taken after
// one run of the seed app's `synth` (which runs the app in this process), `lint --strict` and `plan` of its output,
// so that it holds the code V8 compiled for every function those runs called, not only the modules' top level.
//
// The file fits only the Node version (V8 version, flags, architecture) that wrote it: bin/load.js ignores it under
// another one, and the published package leaves it out. Nothing is written outside build/ but a temporary folder.
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');

async function main() {
  const loader = require(path.join(root, 'bin', 'load.js'));
  if (!loader.isBuildFresh('lib/cli/main') || !loader.isBuildFresh('main')) {
    fs.rmSync(loader.CODE_CACHE, { force: true });
    process.stderr.write('code-cache: skipped, build/ is missing or older than the sources (run tsc first: npm run build does)\n');
    return 0;
  }
  const started = Date.now();
  loader.recordCodeCache();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-rollouts-code-cache-'));
  // The commands' output is not the build's: kept, and shown only when a command fails.
  const printed = [];
  const writes = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = (chunk, ...rest) => { printed.push(String(chunk)); return typeof rest[rest.length - 1] === 'function' ? rest[rest.length - 1]() || true : true; };
  process.stderr.write = process.stdout.write;
  const codes = [];
  const savedCwd = process.cwd();
  const savedOutdir = process.env.CDK8S_OUTDIR;
  try {
    process.chdir(root); // cdk8s.yaml: the seed app
    const { main: cli } = loader.load('lib/cli/main');
    const out = path.join(tmp, 'dist');
    codes.push(await cli(['synth', '--out', out]));
    // The app's modules, when synth had to run it as a child (lib/cli/run-app.ts: another `node` first on PATH).
    process.env.CDK8S_OUTDIR = path.join(tmp, 'app');
    loader.load('main').main();
    codes.push(await cli(['lint', '--strict', out]));
    codes.push(await cli(['plan', out]));
  } finally {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    if (savedOutdir === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = savedOutdir;
    process.chdir(savedCwd);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (codes.some((c) => c !== 0)) {
    // The build itself is fine: the commands load and run their modules as before, without the cache.
    fs.rmSync(loader.CODE_CACHE, { force: true });
    process.stderr.write(`code-cache: skipped, a command failed (exit codes ${codes.join(', ')}); build/ has no code cache:\n` +
      `${printed.join('')}`);
    return 0;
  }
  const file = loader.writeCodeCache();
  process.stdout.write(`code-cache: ${path.relative(root, file)} (${loader.codeCacheStats.recorded} modules, ` +
    `${Math.round(fs.statSync(file).size / 1024)} KiB, ${(Date.now() - started) / 1000} s)\n`);
  return 0;
}

main().then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`code-cache: ${e && e.stack ? e.stack : e}\n`);
  process.exitCode = 1;
});
