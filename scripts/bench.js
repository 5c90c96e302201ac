#!/usr/bin/env node
'use strict';
// `npm run bench [-- --check] [--runs N] [--no-10k] [--profile]`: times the project's commands as child processes and
// prints ratios against baselines measured in the same run, so the figures mean the same on a slow or busy machine.
//   1. `cdk8s synth` of the default app vs the cdk8s CLI's own start-up (`cdk8s --version`): target <= 1.5x.
//   2. `nginx-rollouts synth` of the seed app (cdk8s.yaml: two charts, compiled build) vs the start-up floor of any
//      cdk8s app, `node -e "require('cdk8s'); require('cdk8s-plus-27')"`: target <= 1.5x.
//   3. `nginx-rollouts gitops` writing 1,000 Rollouts (10 environments x 100 apps) vs 2: target <= 3x, peak RSS
//      < 512 MiB; and the cost per Rollout from 1,000 to 10,000 (10 x 1,000).
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

const TARGETS = { synthRatio: 1.5, startupRatio: 1.5, gitopsRatio: 3, rssMiB: 512 };

function parseArgs(argv) {
  const options = { check: false, runs: 5, big: true, profile: false, startupOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') options.check = true;
    else if (a === '--no-10k') options.big = false;
    else if (a === '--profile') options.profile = true;
    else if (a === '--startup-only') options.startupOnly = true;
    else if (a === '--runs') options.runs = Number(argv[++i]);
    else throw new Error(`unknown option '${a}' (options: --check, --runs N, --no-10k, --profile, --startup-only)`);
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

function stats(samples) {
  const seconds = samples.map((s) => s.seconds);
  const rss = samples.map((s) => s.rssKiB).filter((x) => x !== undefined);
  return {
    median: median(seconds),
    min: Math.min(...seconds),
    max: Math.max(...seconds),
    rssMiB: rss.length ? Math.max(...rss) / 1024 : undefined,
  };
}

/** Interleaves the cases run by run (a, b, a, b, ...) so that a busy moment of the machine hits all of them. */
function measureInterleaved(cases, runs) {
  for (const c of cases) c.run(); // warm-up: file cache, npx resolution
  const samples = cases.map(() => []);
  for (let i = 0; i < runs; i++) cases.forEach((c, j) => samples[j].push(c.run()));
  return samples.map(stats);
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

function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = new Date();
  const build = ensureBuild();
  process.stdout.write(`nginx-rollouts bench, ${started.toISOString()}, node ${process.version}, ${os.cpus().length} CPUs ` +
    `(${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load avg ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  process.stdout.write(`${build.note}\nmedian of ${options.runs} runs each, interleaved, after one warm-up run\n\n`);

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
    if (options.profile) profileSynth(build.compiled);
    process.exitCode = options.check && !startupResult[2] ? 1 : 0;
    return;
  }

  const synth = synthCases();
  const [version, synthApp] = measureInterleaved(synth.cases, options.runs);
  fs.rmSync(synth.out, { recursive: true, force: true });

  const small = gitopsCase(1, 2, build.compiled);
  const thousand = gitopsCase(10, 100, build.compiled);
  const smallRerun = gitopsCase(1, 2, build.compiled, { fresh: false });
  const thousandRerun = gitopsCase(10, 100, build.compiled, { fresh: false });
  const [two, k1, twoRerun, k1Rerun] = measureInterleaved([small, thousand, smallRerun, thousandRerun], options.runs);
  let k10;
  const big = gitopsCase(10, 1000, build.compiled);
  if (options.big) {
    const bigRuns = Math.max(1, Math.min(3, options.runs));
    [k10] = measureInterleaved([big], bigRuns);
    k10.runs = bigRuns;
  }

  const rows = [
    ...startupRows,
    { name: synth.cases[0].name, ...version },
    { name: synth.cases[1].name, ...synthApp },
    { name: small.name, rollouts: 2, ...two },
    { name: thousand.name, rollouts: 1000, ...k1 },
    { name: smallRerun.name, rollouts: 2, ...twoRerun },
    { name: thousandRerun.name, rollouts: 1000, ...k1Rerun },
  ];
  if (k10) rows.push({ name: `${big.name} (${k10.runs} runs)`, rollouts: 10000, ...k10 });
  process.stdout.write(`${table(rows)}\n\n`);

  const synthRatio = synthApp.median / version.median;
  const gitopsRatio = k1.median / two.median;
  const rerunRatio = k1Rerun.median / twoRerun.median;
  const rss = Math.max(k1.rssMiB, k1Rerun.rssMiB);
  const results = [
    startupResult,
    [`cdk8s synth / cdk8s start-up: ${synthRatio.toFixed(2)}x`, `<= ${TARGETS.synthRatio}x`, synthRatio <= TARGETS.synthRatio],
    [`gitops 1,000 / 2 Rollouts, new tree: ${gitopsRatio.toFixed(2)}x`, `<= ${TARGETS.gitopsRatio}x`, gitopsRatio <= TARGETS.gitopsRatio],
    [`gitops 1,000 / 2 Rollouts, rerun: ${rerunRatio.toFixed(2)}x`, `<= ${TARGETS.gitopsRatio}x`, rerunRatio <= TARGETS.gitopsRatio],
    [`gitops 1,000 Rollouts peak RSS: ${rss.toFixed(0)} MiB`, `< ${TARGETS.rssMiB} MiB`, rss < TARGETS.rssMiB],
  ];
  for (const [what, target, ok] of results) process.stdout.write(`${verdict(ok)}  ${pad(what, 48)} target ${target}\n`);

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

  process.stdout.write(`nginx-rollouts synth of the seed app: ${((seedSynth.median - floor.median) * 1000).toFixed(0)} ms over the floor\n`);

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
 * `nginx-rollouts synth` of the seed app under `--cpu-prof`: the CLI's own process (which mostly waits for the app)
 * and the app's (`node bin/app.js` as cdk8s.yaml runs it, profiled separately: the CLI starts it by its command).
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
  runProfiled('nginx-rollouts synth (the CLI process; "node (internal)" is mostly the wait for the app)', [BIN, 'synth', '--out', out]);
  runProfiled('the seed app (node bin/app.js)', [path.join(ROOT, 'bin', 'app.js')], { CDK8S_OUTDIR: out });
  fs.rmSync(out, { recursive: true, force: true });
}

try {
  main();
} catch (e) {
  process.stderr.write(`bench: ${e.message}\n`);
  process.exitCode = 2;
}
