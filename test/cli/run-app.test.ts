/**
 * synth runs a `node FILE.js` app in its own process when that is equivalent to the child process `cdk8s synth` starts
 * (lib/cli/run-app.ts). Each app below runs both ways (NGINX_ROLLOUTS_SYNTH_SPAWN=1 forces the child), and the two
 * must agree: exit code, what was printed, the output folder.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { inProcessScript } from '../../lib/cli/run-app';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'nginx-rollouts.js');

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  version: "1"\n';

/** The app: what each APP_MODE does; `write(name, data)` writes a ConfigMap into CDK8S_OUTDIR. */
const APP = `const fs = require('fs');
const path = require('path');
const write = (name, data) => fs.writeFileSync(path.join(process.env.CDK8S_OUTDIR, name + '.k8s.yaml'),
  'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: ' + name + '\\ndata:\\n' +
  Object.entries(data).map(([k, v]) => '  ' + k + ': ' + JSON.stringify(String(v)) + '\\n').join(''));
const mode = process.env.APP_MODE;
const modes = {
  ok: () => write('conf', { version: '1' }),
  exit3: () => { write('conf', {}); process.exit(3); write('late', {}); },
  exitCode4: () => { write('conf', {}); process.exitCode = 4; },
  throws: () => { throw new Error('the app broke'); },
  rejects: () => { write('conf', {}); Promise.reject(new Error('async broke')); },
  timerThrows: () => { write('conf', {}); setTimeout(() => { throw new Error('timer broke'); }, 5); },
  asyncWrite: () => setTimeout(() => fs.promises.writeFile(path.join(process.env.CDK8S_OUTDIR, 'a.k8s.yaml'), ${JSON.stringify(CONFIG_MAP)}), 20),
  exitInTimer: () => setTimeout(() => { write('conf', {}); process.exit(0); write('late', {}); }, 5),
  exitWithInterval: () => { write('conf', {}); setInterval(() => write('late', {}), 1); process.exit(0); },
  exitWithDueTimer: () => { write('conf', {}); setTimeout(() => write('late', {}), 0); const t = Date.now(); while (Date.now() - t < 20); process.exit(0); },
  nothing: () => undefined,
  elsewhere: () => { fs.mkdirSync('dist', { recursive: true }); fs.writeFileSync('dist/own.k8s.yaml', 'kind: ConfigMap\\n'); },
  prints: () => { console.log('to stdout'); console.error('to stderr'); process.stdout.write('more\\n'); write('conf', {}); },
  argv: () => write('conf', { n: process.argv.length, script: path.basename(process.argv[1]), node: process.argv[0] === process.execPath }),
  main: () => { if (require.main === module) write('conf', { main: true }); },
  beforeExit: () => { let once = false; process.on('beforeExit', () => { if (!once) { once = true; setTimeout(() => write('conf', {}), 1); } }); },
  exitListener: () => { write('conf', {}); process.on('exit', (code) => { process.exitCode = code + 5; }); },
  chdir: () => { const out = process.env.CDK8S_OUTDIR; process.chdir(os.tmpdir()); write('conf', { cwd: path.isAbsolute(out) }); },
  handled: () => { process.on('uncaughtException', () => write('conf', { handled: true })); setTimeout(() => { throw new Error('x'); }, 1); },
  whichProcess: () => write('conf', { inProcess: Object.keys(require.cache).some((f) => /lib[\\\\/]cli[\\\\/]synth\\.[jt]s$/.test(f)) }),
  staging: () => write('conf', { staging: process.env.NGINX_ROLLOUTS_SYNTH_STAGING === process.env.CDK8S_OUTDIR && /[\\\\/]\\.synth-dist\\.new$/.test(process.env.CDK8S_OUTDIR) }),
};
const os = require('os');
modes[mode]();
`;

interface Run {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
  readonly files: Record<string, string>;
}

function digest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  for (const f of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, f);
    out[f] = fs.statSync(p).isDirectory() ? 'folder' : createHash('sha256').update(fs.readFileSync(p)).digest('hex').slice(0, 12);
  }
  return out;
}

function synth(mode: string, spawnChild: boolean): Run {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-app-'));
  try {
    fs.writeFileSync(path.join(dir, 'app.js'), APP);
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'app: node app.js\noutput: dist\n');
    const env: NodeJS.ProcessEnv = { ...process.env, APP_MODE: mode, NGINX_ROLLOUTS_SYNTH_SPAWN: spawnChild ? '1' : undefined };
    if (!spawnChild) delete env.NGINX_ROLLOUTS_SYNTH_SPAWN;
    const r = spawnSync(process.execPath, [BIN, 'synth'], { cwd: dir, encoding: 'utf8', env, timeout: 60_000 });
    // Node's report of an uncaught error: only the child's starts with the file, line and source excerpt (three
    // lines), and the stack frames differ; compare the rest.
    const lines = r.stderr.split('\n');
    const excerpt = lines.findIndex((l) => /app\.js:\d+$/.test(l));
    if (excerpt >= 0) lines.splice(excerpt, 3);
    const err = lines.filter((l) => !/^\s+at |^$/.test(l)).join('\n');
    return { code: r.status, out: r.stdout, err, files: digest(path.join(dir, 'dist')) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('an app run in synth\'s process behaves as the child process', () => {
  test('the seed-like app runs in synth\'s own process, unless NGINX_ROLLOUTS_SYNTH_SPAWN is set', () => {
    const inProcess = synth('whichProcess', false);
    const child = synth('whichProcess', true);
    expect(inProcess.code).toBe(0);
    expect(child.code).toBe(0);
    expect(inProcess.files['conf.k8s.yaml']).not.toEqual(child.files['conf.k8s.yaml']); // "true" against "false"
  });

  test('synth tells the app, both ways, that CDK8S_OUTDIR is its staging folder (bin/app.js then leaves the marker to synth)', () => {
    const inProcess = synth('staging', false);
    expect(inProcess.code).toBe(0);
    expect(inProcess).toEqual(synth('staging', true));
    const wrote = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  staging: "true"\n';
    expect(inProcess.files['conf.k8s.yaml']).toBe(createHash('sha256').update(wrote).digest('hex').slice(0, 12));
  });

  test.each([
    ['ok', 0, ''],
    ['exit3', 1, 'the app failed (exited 3)'],
    ['exitCode4', 1, 'the app failed (exited 4)'],
    ['throws', 1, 'Error: the app broke'],
    ['rejects', 1, 'Error: async broke'],
    ['timerThrows', 1, 'Error: timer broke'],
    ['asyncWrite', 0, ''],
    ['exitInTimer', 0, ''],
    ['exitWithInterval', 0, ''],
    ['exitWithDueTimer', 0, ''],
    ['nothing', 1, 'wrote nothing'],
    ['elsewhere', 1, 'the app wrote to dist itself'],
    ['prints', 0, 'to stderr'],
    ['argv', 0, ''],
    ['main', 0, ''],
    ['beforeExit', 0, ''],
    ['exitListener', 1, 'the app failed (exited 5)'],
    ['chdir', 0, ''],
    ['handled', 0, ''],
  ])('%s: exit %s, and the same output, messages and folder both ways', (mode, code, message) => {
    const inProcess = synth(mode, false);
    const child = synth(mode, true);
    expect(child.code).toBe(code);
    expect(child.err).toContain(message);
    expect(inProcess).toEqual(child);
    if (code === 0) expect(Object.keys(inProcess.files)).toContain('.nginx-rollouts-synth');
    else expect(inProcess.files['.nginx-rollouts-synth']).toBeUndefined(); // nothing put in place
  });
});

describe('inProcessScript: only `node FILE.js` with the node on PATH', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-app-script-'));
  fs.writeFileSync(path.join(dir, 'app.js'), '');
  fs.writeFileSync(path.join(dir, 'app.mjs'), '');
  fs.mkdirSync(path.join(dir, 'esm'));
  fs.writeFileSync(path.join(dir, 'esm', 'package.json'), '{"type": "module"}');
  fs.writeFileSync(path.join(dir, 'esm', 'app.js'), '');
  const env = { PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` };

  test('node app.js is run in-process, unless this process was started with Node flags', () => {
    expect(inProcessScript('node app.js', env, dir, ['--require', 'x'])).toBeUndefined();
    expect(inProcessScript('node app.js', env, dir, ['--cpu-prof-dir', '--require'])).toBe(path.join(dir, 'app.js'));
    expect(inProcessScript('node app.js', env, dir, ['--cpu-prof', '--cpu-prof-interval=100', '--require', 'x'])).toBeUndefined();
    expect(inProcessScript('node app.js', env, dir, [])).toBe(path.join(dir, 'app.js'));
    expect(inProcessScript('  node  app.js ', env, dir, [])).toBe(path.join(dir, 'app.js'));
  });

  test.each([
    ['npx ts-node main.ts'], ['node app.mjs'], ['node esm/app.js'], ['node missing.js'], ['node app.js --flag'],
    ['node --require x app.js'], ['node "app.js"'], ['node $APP.js'], ['node app.js > log'], ['node app.js && echo'],
    ['FOO=1 node app.js'], ['nodejs app.js'],
  ])('%s runs as a child', (command) => {
    expect(inProcessScript(command, env, dir, [])).toBeUndefined();
  });

  test('NGINX_ROLLOUTS_SYNTH_SPAWN, or another node first on PATH, runs a child', () => {
    expect(inProcessScript('node app.js', { ...env, NGINX_ROLLOUTS_SYNTH_SPAWN: '1' }, dir, [])).toBeUndefined();
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'run-app-bin-'));
    fs.writeFileSync(path.join(bin, 'node'), '#!/bin/sh\n', { mode: 0o755 });
    expect(inProcessScript('node app.js', { PATH: `${bin}${path.delimiter}${env.PATH}` }, dir, [])).toBeUndefined();
  });
});
