#!/usr/bin/env node
'use strict';
// The cdk8s app (see cdk8s.yaml): runs main.ts, compiled when the build is fresh.
require('./load').load('main').main();
