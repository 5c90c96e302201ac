'use strict';
// Summarizes a V8 .cpuprofile (`node --cpu-prof`): self time by package or project file, and total (inclusive) time
// of the heaviest functions, so a slow run points at a function and its share of the time.
const path = require('path');

/** Milliseconds of self time per profile node id. */
function selfTimes(profile) {
  const self = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time before sample i; attribute the time after it to sample i instead (the next delta)
    const dt = (timeDeltas[i + 1] ?? 0) / 1000;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + dt);
  }
  return self;
}

/** `cdk8s`, `cdk8s-plus-27`, `node:internal`, or a project path such as `lib/gitops/synth.ts`. */
function whereOf(url, root) {
  if (!url) return '(native/gc/idle)';
  const file = url.startsWith('file://') ? decodeURIComponent(url.slice(7)) : url;
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (file.startsWith('node:')) return 'node (internal)';
  return path.isAbsolute(file) ? path.relative(root, file) : file;
}

function summarizeProfile(profile, root, top = 12) {
  const self = selfTimes(profile);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = [...self.values()].reduce((a, b) => a + b, 0);

  const byWhere = new Map();
  const inclusive = new Map();
  for (const [id, ms] of self) {
    const node = byId.get(id);
    const where = whereOf(node.callFrame.url, root);
    byWhere.set(where, (byWhere.get(where) ?? 0) + ms);
    // inclusive: every distinct function on the stack gets the sample once (recursion counted once)
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur).callFrame;
      if (!f.functionName && !f.url) continue;
      const key = `${f.functionName || '(anonymous)'}  ${whereOf(f.url, root)}:${f.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
  }
  const pct = (ms) => `${((ms / total) * 100).toFixed(1).padStart(5)}%`;
  const lines = [`  sampled ${(total / 1000).toFixed(2)} s`, '  self time by package / file:'];
  for (const [where, ms] of [...byWhere].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`    ${pct(ms)}  ${(ms / 1000).toFixed(2).padStart(6)} s  ${where}`);
  }
  lines.push('  total time (self + callees) of the heaviest functions:');
  // Node's module loader and the process entry wrap everything; they say nothing about where the time goes.
  const skip = /^\((root|program|idle|garbage collector)\)|  node \(internal\)|  \(native|  bin\//;
  const ranked = [...inclusive].filter(([k]) => !skip.test(k)).sort((a, b) => b[1] - a[1]);
  for (const [fn, ms] of ranked.slice(0, top * 2)) lines.push(`    ${pct(ms)}  ${fn}`);
  return `${lines.join('\n')}\n`;
}

module.exports = { summarizeProfile };
