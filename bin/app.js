#!/usr/bin/env node
'use strict';
// The cdk8s app (see cdk8s.yaml): runs main.ts, compiled when the build is fresh.
const { load } = require('./load');
load('main').main();
// Marks the output as this project's own (the marker `nginx-rollouts synth` checks before it replaces a folder), so
// that `npx cdk8s synth`, which empties the folder and runs this app, leaves a dist/ that `npm run synth` may replace.
// Under `nginx-rollouts synth` the folder is synth's staging folder (it says so in NGINX_ROLLOUTS_SYNTH_STAGING,
// lib/cli/run-app.ts), which already holds synth's own marker and gets the full one, with every file hashed and
// synced, after synth's checks: writing it here too would hash and sync every file twice.
const outdir = process.env.CDK8S_OUTDIR || 'dist';
const underSynth = process.env.NGINX_ROLLOUTS_SYNTH_STAGING !== undefined && process.env.NGINX_ROLLOUTS_SYNTH_STAGING === outdir;
if (!process.exitCode && !underSynth) load('lib/atomic-dir').writeMarker(outdir);
