'use strict';
// The per-Rollout cost of synthesis, measured as a library user sees it: N Rollouts (alternating CanaryNginxRollout
// and BlueGreenNginxRollout, 100 per chart) built and written with `app.synthYaml()`, against the floor of the very
// same objects written as raw cdk8s `ApiObject`s, and the GitOps path (`generateRepository`) into a fresh folder.
// Each case runs in a fresh child process (no JIT warm-up shared between cases); the parent reports medians.
//
//   node scripts/bench/per-rollout.js [--runs 5] [--sizes 2,1000,10000] [--profile lib|raw|gitops:N]
//
// Needs the compiled build (`npm run build`): the library is loaded through bin/load.js like the CLI loads it.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..', '..');
const PER_CHART = 100;

function libApp(n, first = 0) {
  const { App, Chart, Duration } = require('cdk8s');
  const { load } = require('../../bin/load');
  const lib = load('lib/index');
  const app = new App();
  let chart;
  for (let i = first; i < first + n; i++) {
    if (i % PER_CHART === 0 || !chart) {
      const c = Math.floor(i / PER_CHART);
      chart = new Chart(app, `c${String(c).padStart(3, '0')}`, { namespace: `ns-${c}` });
    }
    const name = `app-${String(i).padStart(5, '0')}`;
    if (i % 2 === 0) new lib.CanaryNginxRollout(chart, name, { name, replicas: 3, image: 'nginx:1.27.3' });
    else new lib.BlueGreenNginxRollout(chart, name, { name, replicas: 3, image: 'nginx:1.27.3', scaleDownDelay: Duration.seconds(30) });
  }
  return app;
}

/**
 * The objects the library writes for N Rollouts, per chart, as plain JSON (the raw case's input, read untimed). One
 * App per chart: `chart.toJson()` validates the whole app each time, which over 100 charts is quadratic.
 */
function fixture(n) {
  const file = path.join(os.tmpdir(), `per-rollout-fixture-${process.pid}-${n}.json`);
  const charts = [];
  for (let first = 0; first < n; first += PER_CHART) {
    const c = libApp(Math.min(PER_CHART, n - first), first).charts[0];
    charts.push({ id: c.node.id, namespace: c.namespace, objects: c.toJson() });
  }
  fs.writeFileSync(file, JSON.stringify(charts));
  return file;
}

function rawApp(file) {
  const { App, Chart, ApiObject } = require('cdk8s');
  const charts = JSON.parse(fs.readFileSync(file, 'utf8'));
  return () => {
    const app = new App();
    for (const c of charts) {
      const chart = new Chart(app, c.id, { namespace: c.namespace });
      c.objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o));
    }
    return app;
  };
}

async function gitops(n) {
  process.env.BENCH_ENVS = String(Math.max(1, Math.ceil(n / PER_CHART)));
  process.env.BENCH_APPS = String(Math.min(n, PER_CHART));
  const { config } = require('./config');
  const { load } = require('../../bin/load');
  const { generateRepository } = load('lib/gitops/index');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'per-rollout-gitops-'));
  try {
    const t0 = process.hrtime.bigint();
    await generateRepository(config, { out });
    return Number(process.hrtime.bigint() - t0) / 1e6;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/** Bytes of the `.k8s.yaml` files in `dir`. */
function outputBytes(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.k8s.yaml')).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
}

/** Child: one measurement, printed as JSON. */
async function child(kind, arg) {
  let ms;
  let bytes = 0;
  if (kind === 'lib') {
    require('cdk8s'); require('../../bin/load').load('lib/index'); // loading is the start-up half, not timed here
    const t0 = process.hrtime.bigint();
    bytes = libApp(Number(arg)).synthYaml().length;
    ms = Number(process.hrtime.bigint() - t0) / 1e6;
  } else if (kind === 'lib-folder') {
    // app.synth() into a new folder (CDK8S_OUTDIR, as `cdk8s synth` runs an app): one file per chart
    require('cdk8s'); require('../../bin/load').load('lib/index');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'per-rollout-out-'));
    process.env.CDK8S_OUTDIR = out;
    try {
      const t0 = process.hrtime.bigint();
      libApp(Number(arg)).synth();
      ms = Number(process.hrtime.bigint() - t0) / 1e6;
      bytes = outputBytes(out);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  } else if (kind === 'raw' || kind === 'raw-folder' || kind === 'raw+emitter') {
    const make = rawApp(arg);
    // raw+emitter: the floor with the same direct YAML emitter that the library's synth uses
    const restore = kind === 'raw+emitter' ? require('../../bin/load').load('lib/gitops/yaml').useDirectEmitter() : () => {};
    if (kind === 'raw-folder') {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'per-rollout-out-'));
      process.env.CDK8S_OUTDIR = out;
      try {
        const t0 = process.hrtime.bigint();
        make().synth();
        ms = Number(process.hrtime.bigint() - t0) / 1e6;
        bytes = outputBytes(out);
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    } else {
      const t0 = process.hrtime.bigint();
      bytes = make().synthYaml().length;
      ms = Number(process.hrtime.bigint() - t0) / 1e6;
    }
    restore();
  } else if (kind === 'gitops') {
    require('cdk8s'); require('../../bin/load').load('lib/gitops/index');
    ms = await gitops(Number(arg));
  } else if (kind === 'fixture') {
    process.stdout.write(fixture(Number(arg)));
    return;
  } else {
    throw new Error(`unknown case ${kind}`);
  }
  process.stdout.write(JSON.stringify({ ms, bytes, rssMiB: process.resourceUsage().maxRSS / 1024 }));
}

function run(args, extra = []) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...extra, __filename, '--child', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stderr}`);
  return { wall, out: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main() {
  const argv = process.argv.slice(2);
  const opt = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
  const runs = Number(opt('--runs', 5));
  const sizes = opt('--sizes', '2,1000,10000').split(',').map(Number);
  const profile = opt('--profile', undefined);
  if (profile) {
    const [kind, n = '1000'] = profile.split(':');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'per-rollout-prof-'));
    const arg = kind === 'raw' ? run(['fixture', n]).out : n;
    run([kind, arg], ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '200']);
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    const { summarizeProfile } = require('./profile');
    console.log(`profile of ${kind} ${n} (${path.join(dir, file)}):`);
    console.log(summarizeProfile(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), ROOT, 15));
    return;
  }
  const rows = [];
  const fixtures = new Map(sizes.map((n) => [n, run(['fixture', String(n)]).out]));
  try {
    for (const n of sizes) {
      const cases = [['lib', String(n)], ['raw', fixtures.get(n)], ['raw+emitter', fixtures.get(n)], ['gitops', String(n)]];
      const results = cases.map(() => []);
      // Interleaved, so a slow moment of the shared machine lands on every case alike.
      for (let r = 0; r < runs; r++) {
        cases.forEach((c, i) => {
          const { wall, out } = run(c);
          results[i].push({ wall, ...JSON.parse(out) });
        });
      }
      // The library and the raw floor must write the very same YAML (same length here; tests compare the bytes).
      const lengths = new Set(results.slice(0, 3).flatMap((rs) => rs.map((x) => x.bytes)));
      if (lengths.size !== 1) throw new Error(`${n} Rollouts: the cases wrote different YAML (${[...lengths].join(', ')} bytes)`);
      cases.forEach(([kind], i) => rows.push({
        n, kind,
        ms: median(results[i].map((x) => x.ms)),
        wall: median(results[i].map((x) => x.wall)),
        rssMiB: Math.max(...results[i].map((x) => x.rssMiB)),
      }));
    }
  } finally {
    for (const f of fixtures.values()) fs.rmSync(f, { force: true });
  }
  console.log(`medians of ${runs} runs; ms = construction + synth in the process, wall = whole process`);
  console.log('  Rollouts  case         synth ms   wall ms   peak RSS MiB');
  for (const r of rows) {
    console.log(`  ${String(r.n).padStart(8)}  ${r.kind.padEnd(11)} ${r.ms.toFixed(0).padStart(9)} ${r.wall.toFixed(0).padStart(9)} ${r.rssMiB.toFixed(0).padStart(10)}`);
  }
  const get = (n, kind) => rows.find((r) => r.n === n && r.kind === kind);
  const [small, ...big] = sizes;
  for (const n of big) {
    for (const kind of ['lib', 'raw', 'raw+emitter', 'gitops']) {
      console.log(`  ${kind} ${n} vs ${small}: wall ${(get(n, kind).wall / get(small, kind).wall).toFixed(2)}x`);
    }
    const per = (kind) => (get(n, kind).ms - get(small, kind).ms) / (n - small);
    console.log(`  per Rollout at ${n}: lib ${per('lib').toFixed(3)} ms, raw ApiObjects ${per('raw').toFixed(3)} ms: ${(per('lib') / per('raw')).toFixed(2)}x;`
      + ` raw ApiObjects with the direct emitter ${per('raw+emitter').toFixed(3)} ms: ${(per('lib') / per('raw+emitter')).toFixed(2)}x`);
  }
}

module.exports = { PER_CHART };

if (require.main !== module) {
  // required by scripts/bench.js for its constants; it runs this file as a child for each measurement
} else if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]).catch((e) => { console.error(e); process.exit(1); });
} else {
  main();
}
