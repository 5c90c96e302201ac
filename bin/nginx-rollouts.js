#!/usr/bin/env node
'use strict';
// The command line: `nginx-rollouts synth | lint | plan | gitops` (see README).
const { main } = require('./load').load('lib/cli/main');
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`nginx-rollouts: ${err && err.message ? err.message : err}\n`); process.exitCode = 2; },
);
