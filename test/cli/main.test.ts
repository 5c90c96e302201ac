/**
 * The `nginx-rollouts` process itself: a closed stdout or stderr (`nginx-rollouts lint dist | head -1`, a CI step
 * whose reader went away) is a quiet end of the output for every command, never an EPIPE crash with a stack trace.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'nginx-rollouts.js');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-main-'));
  // Enough output to fill a pipe several times over: 20 Rollouts, each with findings.
  const rollouts = Array.from({ length: 20 }, (_, i) => `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web-${i}}
spec:
  replicas: 5
  selector: {matchLabels: {app: web-${i}}}
  template:
    metadata: {labels: {app: web-${i}}}
    spec: {containers: [{name: nginx, image: 'nginx:1.25.3'}]}
  strategy: {canary: {steps: [{setWeight: 20}, {pause: {duration: 60}}]}}
`);
  fs.writeFileSync(path.join(dir, 'many.yaml'), rollouts.join('---\n'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * Runs the command with the reading end of stdout (or of stderr) closed before the command writes anything (it takes
 * far longer to start than this takes to close), and returns its exit code and what it wrote to the other stream.
 */
function runClosed(args: string[], closed: 'stdout' | 'stderr'): Promise<{ code: number | null; signal: string | null; other: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child[closed].destroy();
    const open = closed === 'stdout' ? child.stderr : child.stdout;
    let other = '';
    open.setEncoding('utf8');
    open.on('data', (d: string) => (other += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, other });
    });
  });
}

describe('a closed output is a quiet exit, for every command', () => {
  // [command line, the stream whose reader is gone, the exit code the command has anyway]
  const cases: Array<[string, string[], 'stdout' | 'stderr', number]> = [
    ['help', ['help'], 'stdout', 0],
    ['no command (usage)', [], 'stdout', 2],
    ['lint --help', ['lint', '--help'], 'stdout', 0],
    ['lint with hundreds of findings', ['lint', '__MANY__'], 'stdout', 0],
    ['lint --json', ['lint', '--json', '__MANY__'], 'stdout', 0],
    ['plan --help', ['plan', '--help'], 'stdout', 0],
    ['plan of 20 Rollouts', ['plan', '__MANY__'], 'stdout', 0],
    ['gitops --help', ['gitops', '--help'], 'stdout', 0],
    ['synth --help', ['synth', '--help'], 'stdout', 0],
    ['synth usage error (to stderr)', ['synth', '--no-such-option'], 'stderr', 2],
    ['lint usage error (to stderr)', ['lint'], 'stderr', 2],
    ['unknown command (to stderr)', ['no-such-command'], 'stderr', 2],
  ];
  test.each(cases)('%s', async (_name, args, closed, code) => {
    const r = await runClosed(args.map((a) => (a === '__MANY__' ? path.join(dir, 'many.yaml') : a)), closed);
    expect({ code: r.code, signal: r.signal }).toEqual({ code, signal: null });
    expect(r.other).not.toMatch(/EPIPE|Error:|\n\s+at /);
  });
});
