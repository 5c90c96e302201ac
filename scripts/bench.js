#!/usr/bin/env node
'use strict';
// `npm run bench [-- --check] [--runs N] [--no-10k] [--profile] [--startup-only | --scale-only]`: times the project's commands as child processes and
// prints ratios against baselines measured in the same run, so the figures mean the same on a slow or busy machine.
//   1. `cdk8s synth` of the default app vs the cdk8s CLI's own start-up (`cdk8s --version`): target <= 1.5x.
//   2. `nginx-rollouts synth` of the seed app (cdk8s.yaml: two charts, compiled build; the app runs in synth's own
//      process, see lib/cli/run-app.ts) vs the start-up floor of any cdk8s app,
//      `node -e "require('cdk8s'); require('cdk8s-plus-27')"`: target <= 1.5x.
//   3. Scale, as a library user builds an app (100 Rollouts a chart, alternating canary and blue/green; construction
//      plus `app.synthYaml()` in memory, and `app.synth()` into a new folder): 2 vs 1,000 vs 10,000 Rollouts, whole
//      process, target 1,000 <= 3x of 2; the per-Rollout cost against the same objects as raw cdk8s ApiObjects
//      (target <= 1.3x); peak RSS at 10,000 < 512 MiB; and `kubectl kustomize` building the 1,000-Rollout GitOps tree
//      (a peer that users run on the same files), and the start-up floors (`node`, `require('cdk8s')`).
//   4. `nginx-rollouts gitops` writing 1,000 Rollouts (10 environments x 100 apps) vs 2, peak RSS; and the cost per
//      Rollout from 1,000 to 10,000 (10 x 1,000).
// Medians of several runs each. Exit 0 whatever the result, unless --check is given and a target fails.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { summarizeProfile } = require('./bench/profile');
const { newestSource: loaderNewestSource } = require('../bin/load');

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'nginx-rollouts.js');
const CONFIG = path.join(__dirname, 'bench', 'config.js');
const RSS_PRELOAD = path.join(__dirname, 'bench', 'rss.js');

const PER_ROLLOUT = path.join(__dirname, 'bench', 'per-rollout.js');

const TARGETS = { synthRatio: 1.5, startupRatio: 1.5, gitopsRatio: 3, scaleRatio: 3, rawRatio: 1.3, rssMiB: 512 };

function parseArgs(argv) {
  const options = { check: false, runs: 5, big: true, profile: false, startupOnly: false, scaleOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') options.check = true;
    else if (a === '--no-10k') options.big = false;
    else if (a === '--profile') options.profile = true;
    else if (a === '--startup-only') options.startupOnly = true;
    else if (a === '--scale-only') options.scaleOnly = true;
    else if (a === '--runs') options.runs = Number(argv[++i]);
    else throw new Error(`unknown option '${a}' (options: --check, --runs N, --no-10k, --profile, --startup-only, --scale-only)`);
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error('--runs needs a positive integer');
  return options;
}

// ---------------------------------------------------------------------------------------------------------------
// Build: the app and the command run from build/ when it is at least as new as every source (bin/load.js).

// The config (environments.ts) is compiled with the rest, and the gitops command runs its compiled copy when fresh.
const newestSource = () => loaderNewestSource(['environments.ts']);

function buildIsFresh() {
  const newest = newestSource().mtime;
  // The generated schema validators too (scripts/compile-schemas.js): without them synth compiles at run time.
  return ['main.js', 'lib/cli/main.js', 'lib/index.js', 'lib/rules/schema-validator-rollout.js'].every((f) => {
    try { return fs.statSync(path.join(ROOT, 'build', f)).mtimeMs >= newest; } catch { return false; }
  });
}

/** Builds when build/ is stale; returns a line for the report. Others may be mid-change: a failed build is reported. */
function ensureBuild() {
  if (buildIsFresh()) return { compiled: true, note: 'build/ is fresh: the app and the command run compiled' };
  const stale = newestSource().file;
  process.stdout.write(`build/ is older than ${stale}: running npm run build ...\n`);
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status === 0 && buildIsFresh()) return { compiled: true, note: `built (build/ was older than ${stale})` };
  const errors = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() !== '').slice(0, 15).join('\n    ');
  return {
    compiled: false,
    note: `npm run build FAILED (exit ${r.status}); the figures below run the TypeScript sources through tsx, ` +
      `which is slower:\n    ${errors}`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring

/** Runs a command once; returns seconds and the child's peak RSS (KiB, when it is a node child with the preload). */
function timeOnce(command, args, options = {}) {
  const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const env = { ...process.env, ...options.env, BENCH_RSS_FILE: rssFile };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${r.status}):\n${(r.stderr || r.stdout || '').slice(0, 2000)}`);
  }
  let rssKiB;
  try { rssKiB = Number(fs.readFileSync(rssFile, 'utf8')); fs.rmSync(rssFile); } catch { /* not a preloaded node child */ }
  return { seconds, rssKiB };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function stats(samples, keep = []) {
  const seconds = samples.map((s) => s.seconds);
  const rss = samples.map((s) => s.rssKiB).filter((x) => x !== undefined);
  const result = {
    median: median(seconds),
    min: Math.min(...seconds),
    max: Math.max(...seconds),
    rssMiB: rss.length ? Math.max(...rss) / 1024 : undefined,
  };
  // other figures a case reports (its in-process ms): their medians
  for (const k of keep) result[k] = median(samples.map((x) => x[k]));
  return result;
}

/** Interleaves the cases run by run (a, b, a, b, ...) so that a busy moment of the machine hits all of them. */
function measureInterleaved(cases, runs, { keep = [], warm = true } = {}) {
  if (warm) for (const c of cases) c.run(); // warm-up: file cache, npx resolution
  const samples = cases.map(() => []);
  for (let i = 0; i < runs; i++) cases.forEach((c, j) => samples[j].push(c.run()));
  return samples.map((x) => stats(x, keep));
}

// ---------------------------------------------------------------------------------------------------------------
// The cases

function synthCases() {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  const npx = (args) => () => timeOnce('npx', args);
  return {
    out,
    cases: [
      { name: 'cdk8s --version (CLI start-up)', run: npx(['cdk8s', '--version', '--no-check-upgrade']) },
      { name: 'cdk8s synth (default app)', run: npx(['cdk8s', 'synth', '--no-check-upgrade', '-o', out]) },
    ],
  };
}

/**
 * The start-up floor of a cdk8s app that uses cdk8s-plus (what any such app loads before it does anything) and
 * `nginx-rollouts synth` of the seed app (cdk8s.yaml, main.ts: two charts) into a temporary folder: the CLI, the app
 * it runs, and the check of everything the app wrote (the rules, the strict CRD schema, the plan's warnings).
 */
function startupCases(compiled) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-seed-'));
  const tsx = compiled ? [] : ['--import', 'tsx'];
  return {
    out,
    cases: [
      { name: 'node + require cdk8s, cdk8s-plus-27 (floor)', run: () => timeOnce(process.execPath, ['-e', "require('cdk8s'); require('cdk8s-plus-27')"]) },
      { name: 'nginx-rollouts synth (seed app)', run: () => timeOnce(process.execPath, [...tsx, BIN, 'synth', '--out', out]) },
    ],
  };
}

/** Whether the synth measured above could use V8's code cache and the module pack of build/ (bin/load.js; both written by `npm run build`). */
function startupConditions() {
  const cache = fs.existsSync(path.join(ROOT, 'build', '.v8-code-cache'))
    ? 'build/.v8-code-cache present (NGINX_ROLLOUTS_NO_CODE_CACHE=1 runs without it)'
    : 'no code cache in build/ (npm run build writes it)';
  const pack = fs.existsSync(path.join(ROOT, 'build', '.module-pack'))
    ? 'build/.module-pack present (NGINX_ROLLOUTS_NO_MODULE_PACK=1 runs without it)'
    : 'no module pack in build/ (npm run build writes it)';
  return `${cache}; ${pack}`;
}

/**
 * `nginx-rollouts gitops` of envs x apps Rollouts into a temporary folder (not inside the project, where other tools
 * would crawl thousands of files; check that it is on the same kind of disk, see docs/bench.md). `fresh`: into an
 * empty folder every time (every file is created); otherwise a regeneration into the previous run's tree (a CI job
 * rerunning on its checkout).
 */
function gitopsCase(envs, apps, compiled, { fresh = true, extraNodeArgs = [], out: given } = {}) {
  const out = given ?? fs.mkdtempSync(path.join(os.tmpdir(), `bench-gitops-${envs}x${apps}-`));
  const nodeArgs = [...(compiled ? [] : ['--import', 'tsx']), ...extraNodeArgs, '-r', RSS_PRELOAD, BIN, 'gitops', '--out', out, '--config', CONFIG];
  return {
    name: `gitops ${envs} env x ${apps} apps, ${fresh ? 'new tree' : 'rerun'}`,
    rollouts: envs * apps,
    out,
    run: () => {
      if (fresh) fs.rmSync(out, { recursive: true, force: true });
      return timeOnce(process.execPath, nodeArgs, { env: { BENCH_ENVS: String(envs), BENCH_APPS: String(apps), NGINX_IMAGE: undefined } });
    },
  };
}

/**
 * One measurement of scripts/bench/per-rollout.js in a fresh child: `kind` is lib (construction + app.synthYaml()),
 * lib-folder (construction + app.synth() into a new folder), raw or raw-folder (the same objects as plain cdk8s
 * ApiObjects, read from a fixture file before the clock starts). Whole-process seconds, the in-process ms, bytes.
 */
function perRolloutCase(name, kind, arg, rollouts) {
  return {
    name,
    rollouts,
    run: () => {
      const start = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [PER_ROLLOUT, '--child', kind, arg], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (r.status !== 0) throw new Error(`${name} failed (exit ${r.status}):\n${(r.stderr || r.stdout || '').slice(0, 2000)}`);
      const { ms, bytes, rssMiB } = JSON.parse(r.stdout);
      return { seconds, rssKiB: rssMiB * 1024, ms, bytes };
    },
  };
}

function fixtureFor(n) {
  const r = spawnSync(process.execPath, [PER_ROLLOUT, '--child', 'fixture', String(n)], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the raw fixture of ${n} Rollouts failed:\n${r.stderr}`);
  return r.stdout;
}

/**
 * 2, 1,000 (and 10,000) Rollouts through the library and as raw ApiObjects, in memory and into a folder, interleaved;
 * plus the start-up floors. Returns rows and results for the report.
 */
function scaleSection(options) {
  const sizes = options.big ? [2, 1000, 10000] : [2, 1000];
  const fixtures = new Map(sizes.map((n) => [n, fixtureFor(n)]));
  try {
    const floors = [
      { name: 'node -e 0 (Node start-up)', run: () => timeOnce(process.execPath, ['-e', '0']) },
      { name: "node + require('cdk8s') (start-up floor)", run: () => timeOnce(process.execPath, ['-e', "require('cdk8s')"]) },
    ];
    const casesOf = (n) => [
      perRolloutCase(`library, app.synthYaml(), ${n}`, 'lib', String(n), n),
      perRolloutCase(`library, app.synth() to a folder, ${n}`, 'lib-folder', String(n), n),
      perRolloutCase(`raw ApiObjects, app.synthYaml(), ${n}`, 'raw', fixtures.get(n), n),
      perRolloutCase(`raw ApiObjects, app.synth() to a folder, ${n}`, 'raw-folder', fixtures.get(n), n),
    ];
    const small = [...floors, ...casesOf(2), ...casesOf(1000)];
    const measured = measureInterleaved(small, options.runs, { keep: ['ms', 'bytes'] });
    const rows = small.map((c, i) => ({ name: c.name, rollouts: c.rollouts, kind: c.kind, ...measured[i] }));
    if (options.big) {
      const bigRuns = Math.max(1, Math.min(3, options.runs));
      const big = casesOf(10000);
      measureInterleaved(big, bigRuns, { keep: ['ms', 'bytes'], warm: false })
        .forEach((m, i) => rows.push({ name: `${big[i].name} (${bigRuns} runs)`, rollouts: 10000, ...m }));
    }
    return { rows, sizes };
  } finally {
    for (const f of fixtures.values()) fs.rmSync(f, { force: true });
  }
}

function scaleResults(rows, sizes) {
  const find = (prefix, n) => rows.find((r) => r.name.startsWith(prefix) && r.rollouts === n);
  const results = [];
  const lines = [];
  for (const [label, prefix, raw] of [['in memory', 'library, app.synthYaml()', 'raw ApiObjects, app.synthYaml()'],
    ['into a folder', 'library, app.synth()', 'raw ApiObjects, app.synth()']]) {
    const two = find(prefix, 2);
    const k1 = find(prefix, 1000);
    const ratio = k1.median / two.median;
    results.push([`library 1,000 / 2 Rollouts, ${label}: ${ratio.toFixed(2)}x`, `<= ${TARGETS.scaleRatio}x`, ratio <= TARGETS.scaleRatio]);
    for (const n of sizes.slice(1)) {
      const lib = find(prefix, n);
      const floor = find(raw, n);
      const per = (r) => (r.ms - find(r.name.startsWith('raw') ? raw : prefix, 2).ms) / (n - 2);
      const rawRatio = per(lib) / per(floor);
      if (n === 1000) {
        results.push([`per Rollout vs raw ApiObjects, ${label}: ${rawRatio.toFixed(2)}x`, `<= ${TARGETS.rawRatio}x`, rawRatio <= TARGETS.rawRatio]);
      }
      lines.push(`per Rollout ${label}, 2 -> ${n.toLocaleString('en')}: library ${per(lib).toFixed(3)} ms, raw ApiObjects ` +
        `${per(floor).toFixed(3)} ms (${rawRatio.toFixed(2)}x); ${n.toLocaleString('en')} / 2 whole process: library ` +
        `${(lib.median / find(prefix, 2).median).toFixed(2)}x, raw ${(floor.median / find(raw, 2).median).toFixed(2)}x`);
    }
    const big = find(prefix, 10000);
    if (big) results.push([`library 10,000 Rollouts peak RSS, ${label}: ${big.rssMiB.toFixed(0)} MiB`, `< ${TARGETS.rssMiB} MiB`, big.rssMiB < TARGETS.rssMiB]);
  }
  // same objects, same bytes: the library's YAML and the raw floor's must be identical in memory
  for (const n of sizes) {
    const a = find('library, app.synthYaml()', n);
    const b = find('raw ApiObjects, app.synthYaml()', n);
    if (a.bytes !== b.bytes) throw new Error(`${n} Rollouts: the library wrote ${a.bytes} bytes, the raw floor ${b.bytes}`);
  }
  return { results, lines };
}

/**
 * `kubectl kustomize` of every environment of a generated GitOps tree, one after the other as a CI job validating
 * the tree would: the time a peer tool takes on the same files. Undefined when kubectl is not installed.
 */
function kustomizeCase(tree) {
  const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return undefined;
  const envs = fs.readdirSync(tree).filter((d) => fs.existsSync(path.join(tree, d, 'kustomization.yaml'))).sort();
  return {
    name: `kubectl kustomize of that tree (${envs.length} environments, one by one)`,
    rollouts: 1000,
    run: () => {
      const start = process.hrtime.bigint();
      for (const env of envs) {
        const r = spawnSync('kubectl', ['kustomize', path.join(tree, env)], { encoding: 'utf8', maxBuffer: 1 << 28 });
        if (r.status !== 0) throw new Error(`kubectl kustomize ${env} failed:\n${r.stderr}`);
      }
      return { seconds: Number(process.hrtime.bigint() - start) / 1e9 };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Report

const s = (x) => (x === undefined ? '-' : x.toFixed(2));
const pad = (text, n) => String(text).padEnd(n);
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

function table(rows) {
  const header = ['case', 'Rollouts', 'median s', 'min s', 'max s', 'peak RSS MiB'];
  const lines = [header, ...rows.map((r) => [r.name, r.rollouts ?? '-', s(r.median), s(r.min), s(r.max),
    r.rssMiB === undefined ? '-' : r.rssMiB.toFixed(0)])];
  const widths = header.map((_, i) => Math.max(...lines.map((l) => String(l[i]).length)) + 2);
  return lines.map((l) => l.map((c, i) => pad(c, widths[i])).join('').trimEnd()).join('\n');
}

function report(rows, results, lines) {
  process.stdout.write(`${table(rows)}\n\n`);
  for (const [what, target, ok] of results) process.stdout.write(`${verdict(ok)}  ${pad(what, 56)} target ${target}\n`);
  process.stdout.write('\n');
  for (const line of lines) process.stdout.write(`${line}\n`);
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = new Date();
  const build = ensureBuild();
  process.stdout.write(`nginx-rollouts bench, ${started.toISOString()}, node ${process.version}, ${os.cpus().length} CPUs ` +
    `(${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load avg ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  process.stdout.write(`${build.note}\nmedian of ${options.runs} runs each, interleaved, after one warm-up run\n\n`);

  if (options.scaleOnly) {
    const scale = scaleSection(options);
    const { results, lines } = scaleResults(scale.rows, scale.sizes);
    report(scale.rows, results, lines);
    process.exitCode = options.check && results.some(([, , ok]) => !ok) ? 1 : 0;
    return;
  }

  const startup = startupCases(build.compiled);
  const [floor, seedSynth] = measureInterleaved(startup.cases, options.runs);
  fs.rmSync(startup.out, { recursive: true, force: true });
  const startupRatio = seedSynth.median / floor.median;
  const startupRows = [{ name: startup.cases[0].name, ...floor }, { name: startup.cases[1].name, ...seedSynth }];
  const startupResult = [`nginx-rollouts synth / require floor: ${startupRatio.toFixed(2)}x`, `<= ${TARGETS.startupRatio}x`, startupRatio <= TARGETS.startupRatio];
  if (options.startupOnly) {
    process.stdout.write(`${table(startupRows)}\n\n`);
    process.stdout.write(`${verdict(startupResult[2])}  ${pad(startupResult[0], 48)} target ${startupResult[1]}\n`);
    process.stdout.write(`synth costs ${((seedSynth.median - floor.median) * 1000).toFixed(0)} ms over the floor\n`);
    process.stdout.write(`${startupConditions()}\n`);
    if (options.profile) profileSynth(build.compiled);
    process.exitCode = options.check && !startupResult[2] ? 1 : 0;
    return;
  }

  const scale = scaleSection(options);
  const scaleReport = scaleResults(scale.rows, scale.sizes);

  const synth = synthCases();
  const [version, synthApp] = measureInterleaved(synth.cases, options.runs);
  fs.rmSync(synth.out, { recursive: true, force: true });

  const small = gitopsCase(1, 2, build.compiled);
  const thousand = gitopsCase(10, 100, build.compiled);
  const smallRerun = gitopsCase(1, 2, build.compiled, { fresh: false });
  const thousandRerun = gitopsCase(10, 100, build.compiled, { fresh: false });
  const [two, k1, twoRerun, k1Rerun] = measureInterleaved([small, thousand, smallRerun, thousandRerun], options.runs);
  // the peer: kubectl kustomize building the tree the 1,000-Rollout case wrote (its last run's)
  const kustomize = kustomizeCase(thousandRerun.out);
  const [kustomized] = kustomize ? measureInterleaved([kustomize], options.runs) : [];
  let k10;
  const big = gitopsCase(10, 1000, build.compiled);
  if (options.big) {
    const bigRuns = Math.max(1, Math.min(3, options.runs));
    [k10] = measureInterleaved([big], bigRuns);
    k10.runs = bigRuns;
  }

  const rows = [
    ...startupRows,
    ...scale.rows,
    { name: synth.cases[0].name, ...version },
    { name: synth.cases[1].name, ...synthApp },
    { name: small.name, rollouts: 2, ...two },
    { name: thousand.name, rollouts: 1000, ...k1 },
    { name: smallRerun.name, rollouts: 2, ...twoRerun },
    { name: thousandRerun.name, rollouts: 1000, ...k1Rerun },
  ];
  if (kustomized) rows.push({ name: kustomize.name, rollouts: 1000, ...kustomized });
  if (k10) rows.push({ name: `${big.name} (${k10.runs} runs)`, rollouts: 10000, ...k10 });
  process.stdout.write(`${table(rows)}\n\n`);

  const synthRatio = synthApp.median / version.median;
  const gitopsRatio = k1.median / two.median;
  const rerunRatio = k1Rerun.median / twoRerun.median;
  const rss = Math.max(k1.rssMiB, k1Rerun.rssMiB);
  const results = [
    startupResult,
    ...scaleReport.results,
    [`cdk8s synth / cdk8s start-up: ${synthRatio.toFixed(2)}x`, `<= ${TARGETS.synthRatio}x`, synthRatio <= TARGETS.synthRatio],
    [`gitops 1,000 / 2 Rollouts, new tree: ${gitopsRatio.toFixed(2)}x`, `<= ${TARGETS.gitopsRatio}x`, gitopsRatio <= TARGETS.gitopsRatio],
    [`gitops 1,000 / 2 Rollouts, rerun: ${rerunRatio.toFixed(2)}x`, `<= ${TARGETS.gitopsRatio}x`, rerunRatio <= TARGETS.gitopsRatio],
    [`gitops 1,000 Rollouts peak RSS: ${rss.toFixed(0)} MiB`, `< ${TARGETS.rssMiB} MiB`, rss < TARGETS.rssMiB],
  ];
  for (const [what, target, ok] of results) process.stdout.write(`${verdict(ok)}  ${pad(what, 56)} target ${target}\n`);

  const perRollout1k = ((k1.median - two.median) / 998) * 1000;
  const perRolloutRerun = ((k1Rerun.median - twoRerun.median) / 998) * 1000;
  process.stdout.write(`\nmarginal cost per Rollout, 2 -> 1,000: ${perRollout1k.toFixed(2)} ms (new tree), ` +
    `${perRolloutRerun.toFixed(2)} ms (rerun)\n`);
  if (k10) {
    const perRollout10k = ((k10.median - k1.median) / 9000) * 1000;
    process.stdout.write(`marginal cost per Rollout, 1,000 -> 10,000 (new tree): ${perRollout10k.toFixed(2)} ms ` +
      `(${(perRollout10k / perRollout1k).toFixed(2)}x the first; 1.00x = linear); ` +
      `10,000 Rollouts: ${k10.median.toFixed(2)} s, peak RSS ${k10.rssMiB.toFixed(0)} MiB\n`);
  }
  process.stdout.write(`fixed cost (2 Rollouts, mostly start-up): ${two.median.toFixed(2)} s\n`);
  for (const line of scaleReport.lines) process.stdout.write(`${line}\n`);
  if (kustomized) {
    process.stdout.write(`kubectl kustomize of the 1,000-Rollout tree: ${kustomized.median.toFixed(2)} s; nginx-rollouts gitops ` +
      `writing it (rerun): ${k1Rerun.median.toFixed(2)} s (${(k1Rerun.median / kustomized.median).toFixed(2)}x the peer)\n`);
  } else {
    process.stdout.write('kubectl kustomize: not installed here, the peer comparison is left out\n');
  }

  process.stdout.write(`nginx-rollouts synth of the seed app: ${((seedSynth.median - floor.median) * 1000).toFixed(0)} ms over the floor\n`);
  process.stdout.write(`${startupConditions()}\n`);

  if (options.profile) {
    profileSynth(build.compiled);
    profile(build.compiled);
  }
  for (const c of [small, thousand, smallRerun, thousandRerun, big]) fs.rmSync(c.out, { recursive: true, force: true });

  const failed = results.some(([, , ok]) => !ok);
  if (failed && !options.check) process.stdout.write('\n(a target failed; exit 0 without --check; --profile shows where the time goes)\n');
  process.exitCode = options.check && failed ? 1 : 0;
}

/**
 * One 1,000-Rollout regeneration under `--cpu-prof` (a rerun, so that creating 3,000 files does not drown the CPU
 * work): where the time goes, by package/file and by function.
 */
function profile(compiled) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-prof-'));
  const seed = gitopsCase(10, 100, compiled, { fresh: false });
  seed.run(); // the tree to regenerate
  const measured = gitopsCase(10, 100, compiled, { fresh: false, out: seed.out, extraNodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir] });
  measured.run();
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  process.stdout.write(`\nCPU profile of one 1,000-Rollout rerun (${path.join(dir, file)}):\n`);
  process.stdout.write(summarizeProfile(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), ROOT));
  fs.rmSync(seed.out, { recursive: true, force: true });
}

/**
 * `nginx-rollouts synth` of the seed app under `--cpu-prof`: one process, as measured above (synth runs the seed app's
 * `node bin/app.js` in its own process, lib/cli/run-app.ts; --cpu-prof keeps it there), and the app alone for
 * comparison. With NGINX_ROLLOUTS_SYNTH_SPAWN=1 in the environment the app runs as a child, which the first profile
 * does not see: its label says so.
 */
function profileSynth(compiled) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-prof-synth-'));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-seed-prof-'));
  const tsx = compiled ? [] : ['--import', 'tsx'];
  const runProfiled = (label, args, env) => {
    const sub = path.join(dir, label);
    timeOnce(process.execPath, [...tsx, '--cpu-prof', '--cpu-prof-dir', sub, ...args], { env });
    const file = fs.readdirSync(sub).find((f) => f.endsWith('.cpuprofile'));
    process.stdout.write(`\nCPU profile of ${label} (${path.join(sub, file)}):\n`);
    process.stdout.write(summarizeProfile(JSON.parse(fs.readFileSync(path.join(sub, file), 'utf8')), ROOT, 8));
  };
  const label = process.env.NGINX_ROLLOUTS_SYNTH_SPAWN
    ? 'nginx-rollouts synth (NGINX_ROLLOUTS_SYNTH_SPAWN is set: the CLI process only; "node (internal)" is mostly the wait for the app)'
    : 'nginx-rollouts synth (one process: the CLI, the seed app run in it, and the check of its output)';
  runProfiled(label, [BIN, 'synth', '--out', out]);
  runProfiled('the seed app alone (node bin/app.js, as cdk8s synth runs it)', [path.join(ROOT, 'bin', 'app.js')], { CDK8S_OUTDIR: out });
  fs.rmSync(out, { recursive: true, force: true });
}

try {
  main();
} catch (e) {
  process.stderr.write(`bench: ${e.message}\n`);
  process.exitCode = 2;
}
