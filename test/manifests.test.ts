import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadManifests } from '../lib/manifests';

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifests-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\n`;
const names = (dir: string, inputs = [dir]) => loadManifests(inputs).objects.map((o) => o.object.metadata.name);

describe('loadManifests', () => {
  test('reads every document of every YAML or JSON file, folders sorted by name, sub-folders after', () => {
    const dir = tree({
      'b.yaml': `${cm('b1')}---\n${cm('b2')}`,
      'a.yml': cm('a'),
      'c.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }),
      'sub/d.yaml': cm('d'),
      'notes.txt': cm('ignored'),
    });
    expect(names(dir)).toEqual(['a', 'b1', 'b2', 'c', 'd']);
    expect(loadManifests([dir]).objects.map((o) => [path.basename(o.file), o.index])).toEqual([
      ['a.yml', 0], ['b.yaml', 0], ['b.yaml', 1], ['c.json', 0], ['d.yaml', 0],
    ]);
  });

  test('skips empty documents and expands a List', () => {
    const dir = tree({ 'x.yaml': `---\n---\napiVersion: v1\nkind: List\nitems:\n- ${cm('one').replace(/\n/g, '\n  ').trim()}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: two}}\n` });
    expect(names(dir)).toEqual(['one', 'two']);
  });

  test('reads a file once even when named twice', () => {
    const dir = tree({ 'a.yaml': cm('a') });
    expect(names(dir, [dir, path.join(dir, 'a.yaml'), `${dir}/./a.yaml`])).toEqual(['a']);
  });

  test('a kustomize folder is read in the order its resources list (the apply order), without the kustomization', () => {
    const dir = tree({
      'kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - z-first.yaml\n  - a-second.yaml\n',
      'a-second.yaml': cm('second'),
      'z-first.yaml': cm('first'),
      'extra.yaml': cm('unlisted'),
    });
    expect(names(dir)).toEqual(['first', 'second', 'unlisted']);
  });

  test('reports unreadable input and YAML errors, and reads the rest', () => {
    const dir = tree({ 'bad.yaml': 'a: [1, 2\n', 'good.yaml': cm('good') });
    const result = loadManifests([dir, path.join(dir, 'missing.yaml')]);
    expect(result.objects.map((o) => o.object.metadata.name)).toEqual(['good']);
    // Missing inputs are found while the inputs are listed, before any file is parsed.
    expect(result.errors.map((e) => path.basename(e.file))).toEqual(['missing.yaml', 'bad.yaml']);
    expect(result.errors[0].message).toBe('no such file or folder');
  });
});
