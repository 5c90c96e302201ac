import { App, Chart, Testing } from 'cdk8s';
import { BlueGreenNginxRollout, CanaryNginxRollout } from '../lib';

/**
 * A second copy of the cdk8s module in one process, as a folder install gives: jest's isolated registry loads the
 * same files as a new module instance, with its own classes, as Node does for a second path.
 */
function secondCdk8s(): typeof import('cdk8s') {
  let copy: typeof import('cdk8s') | undefined;
  jest.isolateModules(() => {
    copy = require('cdk8s');
  });
  expect(copy!.Chart).not.toBe(Chart);
  return copy!;
}

describe('a chart from another copy of cdk8s', () => {
  test('is refused at construction with the cause and the fix, before anything is rendered', () => {
    const other = secondCdk8s();
    const chart = new other.Chart(new other.App(), 'web');
    expect(() => new BlueGreenNginxRollout(chart as unknown as Chart, 'bg', { name: 'web' })).toThrow(
      /^BlueGreenNginxRollout 'web\/bg': its chart 'web' was made with another copy of cdk8s than the one cdk8s-nginx-rollouts uses \(.*node_modules\/cdk8s\); cdk8s cannot render objects of two copies together \(it fails with "can't render non-simple object of type 'Lazy'"\).*npm install --install-links/,
    );
    expect(() => new CanaryNginxRollout(chart as unknown as Chart, 'c', { name: 'c' }))
      .toThrow(/^CanaryNginxRollout 'web\/c': its chart 'web' was made with another copy of cdk8s/);
  });

  test('without the check, the same mix fails only at synth, with cdk8s\' message that names no cause', () => {
    // What users saw: construct fine, synth fails. Shown with cdk8s alone, so it holds whatever our check does.
    const other = secondCdk8s();
    const chart = new other.Chart(new other.App(), 'web');
    const { ApiObject, Lazy } = require('cdk8s') as typeof import('cdk8s');
    new ApiObject(chart as unknown as Chart, 'obj', { apiVersion: 'v1', kind: 'ConfigMap', data: Lazy.any({ produce: () => ({}) }) });
    expect(() => other.Testing.synth(chart)).toThrow(/can't render non-simple object of type 'Lazy'/);
  });

  test('the app\'s own copy passes', () => {
    const chart = Testing.chart();
    expect(() => new BlueGreenNginxRollout(chart, 'bg', { name: 'web' })).not.toThrow();
    expect(new App().node.root).toBeDefined();
  });
});
