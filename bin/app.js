#!/usr/bin/env node
'use strict';
// The cdk8s app (see cdk8s.yaml): runs main.ts, compiled when the build is fresh.
const { load } = require('./load');
load('main').main();
// Marks the output as this project's own (the marker `nginx-rollouts synth` checks before it replaces a folder), so
// that `npx cdk8s synth`, which empties the folder and runs this app, leaves a dist/ that `npm run synth` may replace.
// Under `nginx-rollouts synth` this is the staging folder, whose marker synth rewrites after its checks.
if (!process.exitCode) load('lib/atomic-dir').writeMarker(process.env.CDK8S_OUTDIR || 'dist');
