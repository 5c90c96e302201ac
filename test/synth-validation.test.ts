import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { CanaryNginxRollout } from '../lib';

const outdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'synth-validation-'));

describe('synth validates the whole app as one set, as lint of its output folder does', () => {
  test('the same Rollout in two charts fails app.synth() with duplicate-object, naming the construct and both charts', () => {
    const app = new App({ outdir: outdir() });
    new CanaryNginxRollout(new Chart(app, 'a'), 'web', { name: 'web' });
    new CanaryNginxRollout(new Chart(app, 'b'), 'web', { name: 'web' });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("CanaryNginxRollout 'b/web': Rollout/web: metadata.name: Duplicate value: \"web\": " +
      "Rollout \"web\" is defined more than once in this set (charts 'a' and 'b' are written to one folder) [duplicate-object]");
    expect(fs.readdirSync(app.outdir)).toEqual([]);
  });

  test('a plain object of another chart that clashes with one of ours is reported too, under its chart', () => {
    const app = new App({ outdir: outdir() });
    const a = new Chart(app, 'a');
    new CanaryNginxRollout(a, 'web', { name: 'web' });
    const ours = a.toJson().find((o: any) => o.kind === 'ConfigMap');
    expect(ours?.metadata?.name).toEqual(expect.any(String));
    new ApiObject(new Chart(app, 'b'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ours.metadata.name } });
    expect(() => app.synth()).toThrow(
      `Chart 'b': ConfigMap/${ours.metadata.name}: metadata.name: Duplicate value: "${ours.metadata.name}": ConfigMap ` +
      `"${ours.metadata.name}" is defined more than once in this set (charts 'a' and 'b' are written to one folder) [duplicate-object]`);
  });

  test('the same name in two namespaces, or in one chart of each of two apps, is fine', () => {
    const app = new App({ outdir: outdir() });
    new CanaryNginxRollout(new Chart(app, 'a', { namespace: 'one' }), 'web', { name: 'web' });
    new CanaryNginxRollout(new Chart(app, 'b', { namespace: 'two' }), 'web', { name: 'web' });
    expect(() => app.synth()).not.toThrow();
    for (const n of ['c', 'd']) {
      const other = new App({ outdir: outdir() });
      new CanaryNginxRollout(new Chart(other, n), 'web', { name: 'web' });
      expect(() => other.synth()).not.toThrow();
    }
  });
});
