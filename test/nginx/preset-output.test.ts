import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { BlueGreenNginxRollout, CanaryNginxRollout } from '../../lib';
import { validBlueGreen, validCanary } from '../support/preset-props';

/**
 * The presets' output with no additions, against the output of the renderer before the nginx and exporter
 * containers became cdk8s-plus `Container`s (commit 853a389): the SHA-256 of every chart's objects, as JSON with
 * their key order, for a fixed sample of the valid props of test/support/preset-props.ts. The digests were written by
 * this file run on that commit's tree (`PRESET_OUTPUT_WRITE=1 npx jest test/nginx/preset-output`); a change to the
 * arbitraries changes the sample, and the digests are then written again on a commit whose output is known good.
 */
const EXPECTED = path.join(__dirname, 'preset-output.expected.json');
const SEED = 20261201;
const RUNS = 100;

function digests(): string[] {
  return fc.sample(fc.tuple(validCanary, validBlueGreen), { seed: SEED, numRuns: RUNS }).map(([c, b]) => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'ns' });
    new CanaryNginxRollout(chart, 'canary', c);
    new BlueGreenNginxRollout(chart, 'bluegreen', { ...b, name: `${b.name}-bg` });
    return createHash('sha256').update(JSON.stringify(Testing.synth(chart))).digest('hex');
  });
}

describe('the presets with no additions write what they wrote before their containers were cdk8s-plus Containers', () => {
  test(`property: ${RUNS} samples of the valid props, byte for byte`, () => {
    const actual = digests();
    if (process.env.PRESET_OUTPUT_WRITE) {
      fs.writeFileSync(EXPECTED, JSON.stringify({ seed: SEED, runs: RUNS, digests: actual }, null, 2) + '\n');
    }
    const expected = JSON.parse(fs.readFileSync(EXPECTED, 'utf8'));
    expect({ seed: expected.seed, runs: expected.runs }).toEqual({ seed: SEED, runs: RUNS });
    // The first sample that differs, with its props, rather than 100 hashes.
    const i = actual.findIndex((d, k) => d !== expected.digests[k]);
    const sample = i < 0 ? undefined : fc.sample(fc.tuple(validCanary, validBlueGreen), { seed: SEED, numRuns: RUNS })[i];
    expect({ differs: i, sample }).toEqual({ differs: -1, sample: undefined });
  });
});
