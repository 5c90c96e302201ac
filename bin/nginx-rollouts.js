#!/usr/bin/env node
'use strict';
// The command line: `nginx-rollouts synth | lint | plan | gitops` (see README).

// A closed stdout or stderr (`nginx-rollouts lint dist | head -1`) is a quiet end of the output, not a crash: Node
// reports EPIPE as an 'error' event, which kills the process with a stack trace when nobody listens. The command
// still runs to its end (a gitops commit is never cut short by a closed pipe) and exits with its own code; whatever it
// prints after the reader left is dropped.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED')) return;
    if (stream !== process.stderr) {
      try { process.stderr.write(`nginx-rollouts: cannot write the output: ${err && err.message ? err.message : err}\n`); } catch { /* stderr gone too */ }
    }
    process.exitCode = 2;
  });
}

const { load } = require('./load');
const { main } = load('lib/cli/main');
main(process.argv.slice(2)).then(
  (code) => { if (process.exitCode === undefined || process.exitCode === 0) process.exitCode = code; },
  (err) => { process.stderr.write(`nginx-rollouts: ${err && err.message ? err.message : err}\n`); process.exitCode = 2; },
).then(() => {
  // synth ran the app in this process, and the app ended (process.exit, an uncaught error) with timers or I/O still
  // scheduled: a child process would have dropped them with its exit, so this process ends now too (stdout and
  // stderr are synchronous for files, pipes and terminals on Linux: nothing printed is lost).
  if (process.argv[2] === 'synth' && load('lib/cli/run-app').appLeftWork()) process.exit();
});
