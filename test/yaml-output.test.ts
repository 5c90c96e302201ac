import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { parseAllDocuments } from 'yaml';
import { BlueGreenNginxRollout, markYamlDocumentStarts } from '../lib';
import { markedText, marksWrittenFile, markYamlDocumentStartsOnSynth, synthMarkedBy } from '../lib/yaml-output';

const dirs: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-output-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** What `cdk8s synth --stdout` prints: the output files one after the other, in name order, nothing between. */
function concatenated(outdir: string): string {
  return fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml')).sort()
    .map((f) => fs.readFileSync(path.join(outdir, f), 'utf8')).join('');
}

/** Two charts, the first ending with a ConfigMap of another library, the second starting with one. */
function twoCharts(outdir: string, withOurs: boolean): App {
  const app = new App({ outdir });
  const a = new Chart(app, 'a', { disableResourceNameHashes: true });
  new kplus.ConfigMap(a, 'first', { metadata: { name: 'first' }, data: { k: 'v' } });
  const b = new Chart(app, 'b', { disableResourceNameHashes: true });
  new kplus.ConfigMap(b, 'second', { metadata: { name: 'second' }, data: { k: 'v' } });
  if (withOurs) new BlueGreenNginxRollout(b, 'web', { name: 'web' });
  return app;
}

describe('app.synth() of an app with our constructs', () => {
  test('starts every file it writes with ---, so the files printed back to back are valid YAML', () => {
    const outdir = tmp();
    twoCharts(outdir, true).synth();
    for (const f of ['a.k8s.yaml', 'b.k8s.yaml']) expect(fs.readFileSync(path.join(outdir, f), 'utf8')).toMatch(/^---\napiVersion: v1\n/);
    const docs = parseAllDocuments(concatenated(outdir));
    expect(docs.flatMap((d) => d.errors)).toEqual([]);
    expect(docs.map((d) => d.toJS()).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ConfigMap/first', 'ConfigMap/second', 'ConfigMap/web-conf', 'Service/web-active', 'Service/web-preview',
      'Rollout/web',
    ]);
  });

  test('without them the app is left as cdk8s makes it, and the stream is broken: what the hook fixes', () => {
    const outdir = tmp();
    twoCharts(outdir, false).synth();
    expect(fs.readFileSync(path.join(outdir, 'b.k8s.yaml'), 'utf8')).toMatch(/^apiVersion: v1\n/);
    // The second file's first object runs into the first file's last: duplicate keys in one document.
    expect(parseAllDocuments(concatenated(outdir)).flatMap((d) => d.errors).length).toBeGreaterThan(0);
  });

  test('leaves YAML files it did not write alone, and synthesizing twice writes one marker', () => {
    const outdir = tmp();
    const foreign = path.join(outdir, 'kept.yaml');
    fs.writeFileSync(foreign, 'kind: Hand\n');
    const app = twoCharts(outdir, true);
    app.synth();
    app.synth();
    expect(fs.readFileSync(foreign, 'utf8')).toBe('kind: Hand\n');
    expect(fs.readFileSync(path.join(outdir, 'a.k8s.yaml'), 'utf8').match(/^---$/gm)).toHaveLength(1);
  });

  test('markYamlDocumentStarts still marks a whole folder, once', () => {
    const outdir = tmp();
    twoCharts(outdir, false).synth();
    markYamlDocumentStarts(outdir);
    markYamlDocumentStarts(outdir);
    expect(fs.readFileSync(path.join(outdir, 'b.k8s.yaml'), 'utf8')).toMatch(/^---\napiVersion: v1\n/);
    expect(parseAllDocuments(concatenated(outdir)).flatMap((d) => d.errors)).toEqual([]);
  });
});

describe('the marker of a file that a synth writes itself (lib/synth-folder.ts)', () => {
  test('markedText: what the wrapper makes of the file', () => {
    expect(markedText('kind: A\n')).toBe('---\nkind: A\n');
    expect(markedText('kind: A')).toBe('---\nkind: A\n');
    // an empty chart's file
    expect(markedText('')).toBe('---\n\n');
    expect(markedText('---\nkind: A\n')).toBe('---\nkind: A\n');
  });

  test('marksWrittenFile: the YAML files the wrapper finds in the output folder, through real folders only', () => {
    const outdir = tmp();
    fs.mkdirSync(path.join(outdir, 'real'));
    fs.symlinkSync(path.join(outdir, 'real'), path.join(outdir, 'link'));
    const isFolder = (d: string) => fs.lstatSync(d, { throwIfNoEntry: false })?.isDirectory() ?? false;
    const marks = (f: string) => marksWrittenFile(outdir, path.join(outdir, f), isFolder);
    expect(['a.k8s.yaml', 'a.yml', 'real/a.yaml'].filter(marks)).toEqual(['a.k8s.yaml', 'a.yml', 'real/a.yaml']);
    expect(['a.json', 'a.YAML', 'a', 'link/a.yaml', 'missing/a.yaml', '../a.yaml'].filter(marks)).toEqual([]);
  });

  test('synthMarkedBy: the synth an app\'s wrapper wraps', () => {
    const app = twoCharts(tmp(), true);
    expect(synthMarkedBy(app.synth)).toBeUndefined(); // our synth step's wrapper, around the marker's
    expect(synthMarkedBy(App.prototype.synth)).toBeUndefined();
    const plain = new App({ outdir: tmp() });
    markYamlDocumentStartsOnSynth(new Chart(plain, 'c'));
    expect(synthMarkedBy(plain.synth)).toBe(App.prototype.synth);
  });
});
