import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { parsePlanArgs, planCommand } from '../../lib/cli/plan';
import { loadManifests } from '../../lib/manifests';

const repoRoot = path.resolve(__dirname, '..', '..');

/** The seed canary and blue/green as Rollout YAML, in a fresh folder (with a Service, which plan skips). */
function writeSeeds(extra: Record<string, unknown> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-cli-'));
  const template = { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } };
  const rollout = (name: string, strategy: unknown) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name },
    spec: { replicas: 5, selector: { matchLabels: { app: 'nginx' } }, template, strategy },
  });
  const canary = rollout('nginx-canary', {
    canary: { steps: [{ setWeight: 20 }, { pause: { duration: 60 } }, { setWeight: 80 }, { pause: { duration: 60 } }] },
  });
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'nginx' }, spec: { selector: { app: 'nginx' }, ports: [{ port: 80 }] } };
  fs.writeFileSync(path.join(dir, 'canary.yaml'), [canary, service].map((o) => stringify(o)).join('---\n'));
  fs.writeFileSync(path.join(dir, 'bluegreen.yaml'), stringify(rollout('nginx-bluegreen', {
    blueGreen: { activeService: 'nginx-active', previewService: 'nginx-preview' },
  })));
  for (const [file, obj] of Object.entries(extra)) fs.writeFileSync(path.join(dir, file), stringify(obj));
  return dir;
}

/** The first Rollout of a file, as plain JSON. */
function loadRollout(file: string): any {
  return loadManifests([file]).objects.find((o) => o.object.kind === 'Rollout')!.object;
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s: any) => { out += String(s); return true; });
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => { err += String(s); return true; });
  try {
    const code = await planCommand(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('nginx-rollouts plan', () => {
  test('prints a table per Rollout: the seed canary as documented', async () => {
    const dir = writeSeeds();
    const { code, out, err } = await run([path.join(dir, 'canary.yaml')]);
    expect(code).toBe(0);
    expect(err).toBe('');
    const lines = out.split('\n');
    expect(lines[0]).toBe(`Rollout/nginx-canary (${path.join(dir, 'canary.yaml')}): canary, 5 replicas, no traffic routing (maxSurge 2, maxUnavailable 1)`);
    expect(lines.slice(1, 7)).toEqual([
      'step  action           setWeight  canary  stable  actual %  max pods  min available  wait',
      '   0  setWeight 20            20       1       4        20         5              4  -',
      '   1  pause 60s               20       1       4        20         5              5  60s',
      '   2  setWeight 80            80       4       1        80         7              4  -',
      '   3  pause 60s               80       4       1        80         5              5  60s',
      '   4  promote to 100%        100       5       0       100         5              4  -',
    ]);
    expect(lines[7]).toMatch(/^  capacity: runs up to 7 pods, 2 more than the 5 replicas, at step 2 \(setWeight 80\)/);
    expect(out).not.toContain('warning:');
  });

  test('folders: every Rollout, other kinds skipped; blue/green columns are new/old', async () => {
    const { code, out } = await run([writeSeeds()]);
    expect(code).toBe(0);
    expect(out).toContain('Rollout/nginx-bluegreen');
    expect(out).toContain('Rollout/nginx-canary');
    expect(out.match(/^\S+\/\S+ \(/gm)).toEqual(['Rollout/nginx-bluegreen (', 'Rollout/nginx-canary (']);
    expect(out).toContain('phase  action                setWeight  new  old  actual %  max pods  min available  wait');
    expect(out).toContain('    1  switch activeService          -    5    5       100        10             10  30s');
  });

  test('--markdown: a GitHub table per Rollout', async () => {
    const { code, out } = await run(['--markdown', path.join(writeSeeds(), 'canary.yaml')]);
    expect(code).toBe(0);
    expect(out).toMatch(/^### Rollout\/nginx-canary\n/);
    expect(out).toContain([
      '| step | action | setWeight | canary | stable | actual % | max pods | min available | wait |',
      '|---:|---|---:|---:|---:|---:|---:|---:|---|',
      '| 0 | setWeight 20 | 20 | 1 | 4 | 20 | 5 | 4 | - |',
      '| 1 | pause 60s | 20 | 1 | 4 | 20 | 5 | 5 | 60s |',
      '| 2 | setWeight 80 | 80 | 4 | 1 | 80 | 7 | 4 | - |',
      '| 3 | pause 60s | 80 | 4 | 1 | 80 | 5 | 5 | 60s |',
      '| 4 | promote to 100% | 100 | 5 | 0 | 100 | 5 | 4 | - |',
    ].join('\n'));
    expect(out).toContain('- capacity: runs up to 7 pods');
  });

  test('--json: the array of plans, with the file', async () => {
    const dir = writeSeeds();
    const { code, out } = await run(['--json', dir]);
    expect(code).toBe(0);
    const plans = JSON.parse(out);
    expect(plans.map((p: any) => p.name)).toEqual(['nginx-bluegreen', 'nginx-canary']);
    const canary = plans[1];
    expect(canary).toMatchObject({ name: 'nginx-canary', strategy: 'canary', replicas: 5, trafficRouting: null, file: path.join(dir, 'canary.yaml') });
    expect(canary.steps[0]).toEqual({
      index: 0, kind: 'setWeight', action: 'setWeight 20', setWeight: 20, canaryReplicas: 1, stableReplicas: 4,
      actualWeight: 20, maxPods: 5, minAvailable: 4, wait: null, note: null,
    });
    expect(canary.steps.map((s: any) => s.wait)).toEqual([null, 60, null, 60, null]);
    expect(canary.warnings).toEqual([]);
    expect(canary.capacity).toMatch(/^runs up to 7 pods/);
    const bg = plans[0];
    expect(bg.steps.map((s: any) => [s.kind, s.canaryReplicas + s.stableReplicas])).toEqual([['preview', 10], ['switch', 10], ['scaleDown', 5]]);
  });

  test('--svg FILE writes a well-formed, deterministic SVG, besides the table', async () => {
    const dir = writeSeeds();
    const svg = path.join(dir, 'plan.svg');
    const first = await run(['--svg', svg, dir]);
    expect(first.code).toBe(0);
    expect(first.out).toContain('Rollout/nginx-canary');
    const text = fs.readFileSync(svg, 'utf8');
    expect(text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/);
    expect(text.trimEnd().endsWith('</svg>')).toBe(true);
    expect(wellFormed(text)).toBe(true);
    for (const label of ['Rollout nginx-canary', 'Rollout nginx-bluegreen', 'canary pods', 'stable pods', 'new pods', 'old pods', 'peak 7', 'replicas 5', 'setWeight 80', 'wait 60s', '80%']) {
      expect(text).toContain(`>${label}<`);
    }
    await run([`--svg=${svg}`, dir]);
    expect(fs.readFileSync(svg, 'utf8')).toBe(text);
  });

  test('finds the Rollouts in a kind: List (any object with items, as kubectl reads it)', async () => {
    const dir = writeSeeds();
    const canary = loadRollout(path.join(dir, 'canary.yaml'));
    const list = path.join(dir, 'list.yaml');
    fs.writeFileSync(list, stringify({ apiVersion: 'v1', kind: 'List', items: [canary, { ...canary, metadata: { name: 'second' } }] }));
    const { code, out, err } = await run([list]);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toContain(`Rollout/nginx-canary (${list}): canary, 5 replicas`);
    expect(out).toContain(`Rollout/second (${list}): canary, 5 replicas`);
  });

  test('finds the Rollouts in a JSON array, and says that kubectl refuses a top-level array (exit 2)', async () => {
    const dir = writeSeeds();
    const canary = loadRollout(path.join(dir, 'canary.yaml'));
    const file = path.join(dir, 'rollouts.json');
    fs.writeFileSync(file, JSON.stringify([canary]));
    const { code, out, err } = await run([file]);
    expect(code).toBe(2);
    expect(out).toContain(`Rollout/nginx-canary (${file}): canary, 5 replicas`);
    expect(out).toContain('promote to 100%');
    expect(err).toBe(`nginx-rollouts plan: ${file}: document 1 (line 1): a list of 1 item, not an object: kubectl cannot apply a top-level list; write one document per object, or an object \`kind: List\` with the objects under \`items\`\n`);
  });

  test('reads YAML as kubectl does: a merge key and an `off` are planned as kubectl applies them', async () => {
    const dir = writeSeeds();
    const file = path.join(dir, 'merge.yaml');
    fs.writeFileSync(file, `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: merged}
spec:
  replicas: 4
  selector: {matchLabels: {app: m}}
  template: {metadata: {labels: {app: m}}, spec: {containers: [{name: nginx, image: 'nginx:1.27'}]}}
  strategy:
    blueGreen:
      activeService: m-active
      <<: {previewService: m-preview, autoPromotionEnabled: off}
`);
    const { code, out } = await run(['--json', file]);
    expect(code).toBe(0);
    const [plan] = JSON.parse(out);
    expect(plan.steps[0]).toMatchObject({ kind: 'preview', wait: 'until promoted' });
  });

  test('a Rollout it cannot plan prints a plain line saying what and why; exit 0', async () => {
    const dir = writeSeeds({
      'broken.yaml': { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'broken' }, spec: { replicas: 2, strategy: { canary: { steps: [{ pause: { duration: '1d' } }] } } } },
    });
    const { code, out } = await run([path.join(dir, 'broken.yaml')]);
    expect(code).toBe(0);
    expect(out).toBe(`Rollout/broken (${path.join(dir, 'broken.yaml')}): cannot plan: spec.strategy.canary.steps[0].pause.duration "1d" is not a duration the controller accepts (seconds, or Go durations like 30s, 1m, 1h30m), so it would reject the Rollout (InvalidSpec)\n`);
  });

  test('usage and read errors exit 2', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['--bogus', 'x'])).err).toMatch(/unknown option --bogus/);
    expect((await run(['--json', '--markdown', 'x'])).code).toBe(2);
    expect((await run(['--svg'])).err).toMatch(/--svg needs a FILE/);
    const missing = await run([path.join(os.tmpdir(), 'no-such-plan-input.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no such file or folder/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-cli-'));
    fs.writeFileSync(path.join(dir, 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: x}\n');
    const none = await run([dir]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no Rollout found/);
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'kind: Rollout\nspec: [unclosed\n');
    expect((await run([bad])).code).toBe(2);
  });

  test('--help prints the usage and exits 0', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out).toMatch(/^usage: nginx-rollouts plan/);
  });

  test('parsePlanArgs', () => {
    expect(parsePlanArgs(['--markdown', '--svg', 'a.svg', 'x', '--', '--y'])).toEqual({ format: 'markdown', svg: 'a.svg', paths: ['x', '--y'] });
    expect(parsePlanArgs(['--json'])).toBe('no PATH given');
  });

  test('is reachable through the dispatcher', async () => {
    const { main } = await import('../../lib/cli/main');
    let out = '';
    const o = jest.spyOn(process.stdout, 'write').mockImplementation((s: any) => { out += String(s); return true; });
    try {
      const seed = path.join(repoRoot, 'test', 'fixtures', 'seed-canary.yaml');
      const code = await main(['plan', fs.existsSync(seed) ? seed : writeSeeds()]);
      expect(code).toBe(0);
    } finally {
      o.mockRestore();
    }
    expect(out).toContain('promote to 100%');
  });
});

/** A small XML well-formedness check: balanced tags, quoted attributes, escaped text. */
function wellFormed(xml: string): boolean {
  const stack: string[] = [];
  const token = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < xml.length && (m = token.exec(xml)) !== null) {
    pos = token.lastIndex;
    const [, close, name, , selfClose, textPart] = m;
    if (textPart !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(textPart)) return false;
      continue;
    }
    if (close) {
      if (stack.pop() !== name) return false;
    } else if (!selfClose) stack.push(name);
  }
  return pos === xml.length && stack.length === 0;
}
