'use strict';
// The benchmark's GitOps config: BENCH_ENVS environments of BENCH_APPS apps each, alternating a canary and a
// blue/green app, one Rollout per app. The library comes through bin/load.js, so it is the very copy (compiled or
// TypeScript) that the command itself runs.
const { Duration } = require('cdk8s');
const { load } = require('../../bin/load');

const lib = load('lib/index');
const envs = positive('BENCH_ENVS', 1);
const apps = positive('BENCH_APPS', 2);

function positive(name, fallback) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

function app(i) {
  const name = `app-${String(i).padStart(4, '0')}`;
  if (i % 2 === 0) {
    return {
      name,
      build: (chart, env) => new lib.CanaryNginxRollout(chart, name, { name, replicas: 3, image: env.image }),
    };
  }
  return {
    name,
    build: (chart, env) => new lib.BlueGreenNginxRollout(chart, name, {
      name, replicas: 3, image: env.image, scaleDownDelay: Duration.seconds(30),
    }),
  };
}

exports.config = {
  argocd: { repoURL: 'https://git.example.com/bench.git' },
  environments: Array.from({ length: envs }, (_, e) => ({
    name: `env-${String(e).padStart(3, '0')}`,
    namespace: `bench-${e}`,
    image: 'nginx:1.27.3',
    apps: Array.from({ length: apps }, (_, a) => app(a)),
  })),
};
