#!/usr/bin/env node
// Runs inside `unshare --net --pid --fork --kill-child` as the new PID namespace's init. It brings up `lo` (a new
// network namespace has only `lo`, and down), then serves one JSON request per stdin line with one JSON reply per
// stdout line: start a program, run one to completion, make an HTTP request, open a TCP connection. Every socket it
// opens and every program it starts lives in the private namespace, so nothing on the host can be reached or bound.
// When stdin closes (the test ended, or died) it kills its programs and exits; the kernel then kills whatever is
// left in the PID namespace, so no process outlives the test.
'use strict';
const { spawn, execFile } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const readline = require('readline');

const children = new Map(); // pid -> { name, exit: null | { code, signal } }

function reply(id, body) {
  process.stdout.write(`${JSON.stringify({ id, ...body })}\n`);
}

function run(cmd, args, timeoutMs) {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, signal: err && err.signal ? err.signal : null, stdout, stderr });
    });
  });
}

const ops = {
  async start({ name, cmd, args, log, uid, gid }) {
    const out = fs.openSync(log, 'a');
    const child = spawn(cmd, args, { stdio: ['ignore', out, out], uid, gid });
    fs.closeSync(out);
    await new Promise((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    const entry = { name, exit: null };
    children.set(child.pid, entry);
    child.on('exit', (code, signal) => { entry.exit = { code, signal }; });
    return { pid: child.pid };
  },
  async run({ cmd, args, timeoutMs }) {
    return run(cmd, args, timeoutMs);
  },
  async exits() {
    return Object.fromEntries([...children.values()].map((c) => [c.name, c.exit]));
  },
  async http({ url, headers, timeoutMs, localAddress }) {
    return new Promise((resolve) => {
      const req = http.get(url, { headers, timeout: timeoutMs, localAddress, agent: false }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
      req.on('error', (e) => resolve({ error: e.message }));
    });
  },
  async tcp({ host, port, timeoutMs }) {
    return new Promise((resolve) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => { socket.destroy(); resolve({ error: `no connection in ${timeoutMs} ms` }); }, timeoutMs);
      socket.once('connect', () => { clearTimeout(timer); socket.destroy(); resolve({ connected: true }); });
      socket.once('error', (e) => { clearTimeout(timer); resolve({ error: e.message }); });
    });
  },
};

function shutdown() {
  for (const [pid, c] of children) if (!c.exit) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  process.exit(0);
}

(async () => {
  const lo = await run('ip', ['link', 'set', 'lo', 'up'], 5000);
  if (lo.code !== 0) {
    reply(0, { error: `ip link set lo up failed: ${lo.stderr || lo.signal}` });
    process.exit(1);
  }
  reply(0, { ready: true });
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    let request;
    try { request = JSON.parse(line); } catch (e) { reply(-1, { error: `bad request: ${e.message}` }); return; }
    const op = ops[request.op];
    if (!op) { reply(request.id, { error: `unknown op '${request.op}'` }); return; }
    op(request).then((result) => reply(request.id, { result }), (e) => reply(request.id, { error: e.message }));
  });
  lines.on('close', shutdown);
  process.on('SIGTERM', shutdown);
})();
