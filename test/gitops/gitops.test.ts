import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { config as exampleConfig } from '../../environments';
import { BlueGreenNginxRollout, CanaryNginxRollout } from '../../lib';
import { gitopsCommand } from '../../lib/cli/gitops';
import {
  GitOpsConfig, GitOpsInputError, GitOpsValidationError, MANIFEST_FILE, SYNC_WAVE_ANNOTATION, generateRepository,
} from '../../lib/gitops';
import { formatFinding, validateObjects } from '../../lib/rules';
import { validateWithSchemaLibrary } from '../support/schema';
import { captureOutput, cleanup, hashTree, listTree, readObject, tempDir, withNginxImage, yamlDocs } from './support';

const ROOT = path.join(__dirname, '..', '..');
const CONFIG_FILE = path.join(ROOT, 'environments.ts');

afterAll(cleanup);

/** Writes the example repository into a fresh folder (or `out`) and returns the folder. */
async function generateExample(out = tempDir(), config: GitOpsConfig = exampleConfig): Promise<string> {
  await generateRepository(config, { out });
  return out;
}

/** The objects of an environment folder, in its kustomization's order. */
function environmentObjects(out: string, env: string): { file: string; object: any }[] {
  const kustomization = readObject(path.join(out, env, 'kustomization.yaml'));
  return kustomization.resources.map((file: string) => ({ file, object: readObject(path.join(out, env, file)) }));
}

/** A small config: one environment with a canary and a blue/green app, or only the canary. */
function smallConfig(options: { withBlueGreen?: boolean; replicas?: number; extraEnv?: boolean } = {}): GitOpsConfig {
  const apps = [
    { name: 'web', build: (chart: any, env: any) => new CanaryNginxRollout(chart, 'web', { name: 'web', replicas: options.replicas ?? 2, image: env.image }) },
    ...(options.withBlueGreen === false ? [] : [{
      name: 'shop',
      build: (chart: any, env: any) => new BlueGreenNginxRollout(chart, 'shop', {
        name: 'shop', replicas: 2, image: env.image, scaleDownDelay: Duration.seconds(30),
      }),
    }]),
  ];
  return {
    argocd: { repoURL: 'https://git.example.com/gitops.git' },
    environments: [
      { name: 'dev', namespace: 'dev', apps },
      ...(options.extraEnv ? [{ name: 'qa', namespace: 'qa', apps }] : []),
    ],
  };
}

describe('layout', () => {
  test('one folder per environment with one file per object, a kustomization, and argocd/<env>.yaml', async () => {
    const out = await generateExample();
    expect(listTree(out)).toEqual([
      MANIFEST_FILE,
      'argocd/',
      'argocd/kustomization.yaml',
      'argocd/production.yaml',
      'argocd/staging.yaml',
      'production/',
      'production/analysistemplate-web-health.yaml',
      'production/configmap-catalog-conf.yaml',
      'production/configmap-web-conf.yaml',
      'production/ingress-web.yaml',
      'production/kustomization.yaml',
      'production/rollout-catalog.yaml',
      'production/rollout-web.yaml',
      'production/service-catalog-active.yaml',
      'production/service-catalog-preview.yaml',
      'production/service-web-canary.yaml',
      'production/service-web-stable.yaml',
      'staging/',
      'staging/configmap-catalog-conf.yaml',
      'staging/configmap-web-conf.yaml',
      'staging/kustomization.yaml',
      'staging/rollout-catalog.yaml',
      'staging/rollout-web.yaml',
      'staging/service-catalog-active.yaml',
      'staging/service-catalog-preview.yaml',
    ]);
  });

  test('each file is named <kind>-<name>.yaml after the one object it holds, in the environment namespace', async () => {
    const out = await generateExample();
    for (const [env, namespace] of [['staging', 'nginx-staging'], ['production', 'nginx-production']]) {
      for (const { file, object } of environmentObjects(out, env)) {
        expect(file).toBe(`${object.kind.toLowerCase()}-${object.metadata.name}.yaml`);
        expect(object.metadata.namespace).toBe(namespace);
      }
    }
  });

  test('the environments differ in replicas, image and namespace', async () => {
    const out = await generateExample();
    const rollout = (env: string, name: string) => readObject(path.join(out, env, `rollout-${name}.yaml`));
    const nginxImage = (r: any) => r.spec.template.spec.containers.find((c: any) => c.name === 'nginx').image;
    expect(rollout('staging', 'web').spec.replicas).toBe(2);
    expect(rollout('production', 'web').spec.replicas).toBe(6);
    expect(nginxImage(rollout('staging', 'web'))).toBe('nginx:1.27.3');
    expect(nginxImage(rollout('production', 'catalog'))).toBe('nginx:1.26.2');
    expect(rollout('staging', 'catalog').spec.strategy.blueGreen).toBeDefined();
    expect(rollout('production', 'web').spec.strategy.canary).toBeDefined();
  });

  test('the manifest lists exactly the files the tool wrote', async () => {
    const out = await generateExample();
    const manifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST_FILE), 'utf8'));
    expect(Object.keys(manifest.files)).toEqual(listTree(out).filter((p) => !p.endsWith('/') && p !== MANIFEST_FILE));
  });
});

describe('apply order', () => {
  const RANK: Record<string, number> = { ConfigMap: 0, Service: 1, AnalysisTemplate: 2, Ingress: 2, Rollout: 3 };

  test.each(['staging', 'production'])('%s: kustomization lists ConfigMaps, Services, AnalysisTemplates/Ingress, then Rollouts', async (env) => {
    const out = await generateExample();
    const objects = environmentObjects(out, env);
    const ranks = objects.map(({ object }) => RANK[object.kind]);
    expect(ranks.every((r) => r !== undefined)).toBe(true);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    // every object file of the folder is listed, once
    const files = fs.readdirSync(path.join(out, env)).filter((f) => f !== 'kustomization.yaml').sort();
    expect(objects.map((o) => o.file).sort()).toEqual(files);
  });

  test('kustomize keeps that order (sortOptions: fifo)', async () => {
    const out = await generateExample();
    expect(readObject(path.join(out, 'production', 'kustomization.yaml')).sortOptions).toEqual({ order: 'fifo' });
  });
});

describe('sync waves', () => {
  const wave = (o: any) => Number(o.metadata.annotations?.[SYNC_WAVE_ANNOTATION]);

  test.each(['staging', 'production'])('%s: every object has a wave; what a Rollout references comes in an earlier wave', async (env) => {
    const out = await generateExample();
    const objects = environmentObjects(out, env).map((o) => o.object);
    for (const o of objects) expect(Number.isInteger(wave(o))).toBe(true);
    const waveOf = (kind: string, name: string) => {
      const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
      if (!found) throw new Error(`no ${kind} ${name} in ${env}`);
      return wave(found);
    };
    for (const rollout of objects.filter((o) => o.kind === 'Rollout')) {
      const spec = rollout.spec;
      const configMaps = spec.template.spec.volumes.filter((v: any) => v.configMap).map((v: any) => v.configMap.name);
      const strategy = spec.strategy.canary ?? spec.strategy.blueGreen;
      const services = [strategy.canaryService, strategy.stableService, strategy.activeService, strategy.previewService]
        .filter((s) => s !== undefined);
      const templates = (strategy.steps ?? []).flatMap((s: any) => s.analysis?.templates ?? []).map((t: any) => t.templateName);
      expect(configMaps.length + services.length).toBeGreaterThan(0);
      for (const name of configMaps) expect(waveOf('ConfigMap', name)).toBeLessThan(wave(rollout));
      for (const name of services) expect(waveOf('Service', name)).toBeLessThan(wave(rollout));
      for (const name of templates) expect(waveOf('AnalysisTemplate', name)).toBeLessThan(wave(rollout));
    }
  });

  test('ConfigMaps and Services 0, AnalysisTemplates 1, Rollouts 2; an Ingress goes with the Rollouts', async () => {
    const out = await generateExample();
    const byKind = new Map<string, Set<number>>();
    for (const { object } of environmentObjects(out, 'production')) {
      byKind.set(object.kind, (byKind.get(object.kind) ?? new Set()).add(wave(object)));
    }
    expect(Object.fromEntries([...byKind].map(([k, v]) => [k, [...v]]))).toEqual({
      ConfigMap: [0], Service: [0], AnalysisTemplate: [1], Ingress: [2], Rollout: [2],
    });
  });
});

describe('validity', () => {
  test('every object and every Application is valid for the kubernetes-models schemas', async () => {
    const out = await generateExample();
    const objects = [
      ...environmentObjects(out, 'staging').map((o) => o.object),
      ...environmentObjects(out, 'production').map((o) => o.object),
      ...environmentObjects(out, 'argocd').map((o) => o.object),
    ];
    expect(objects.filter((o) => o.kind === 'Application')).toHaveLength(2);
    const results = validateWithSchemaLibrary(objects);
    expect(results).toHaveLength(objects.length);
    expect(results.filter((r) => r.error)).toEqual([]);
  });

  test('an Application syncs its folder into the environment namespace', async () => {
    const out = await generateExample();
    const app = readObject(path.join(out, 'argocd', 'production.yaml'));
    expect(app.metadata).toEqual({ name: 'nginx-production', namespace: 'argocd' });
    expect(app.spec.source).toEqual({
      repoURL: 'https://github.com/example/nginx-rollouts-gitops.git', targetRevision: 'main', path: 'production',
    });
    expect(app.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'nginx-production' });
    expect(app.spec.syncPolicy).toEqual({ automated: { prune: false, selfHeal: true }, syncOptions: ['CreateNamespace=true'] });
  });

  test('Application defaults: HEAD, path under argocd.path, manual sync; destination by cluster name', async () => {
    const out = tempDir();
    const base = smallConfig();
    await generateRepository({
      argocd: { repoURL: 'https://git.example.com/r.git', path: './clusters/' },
      environments: [{ ...base.environments[0], destination: { name: 'edge' }, application: { syncPolicy: { createNamespace: false } } }],
    }, { out });
    const app = readObject(path.join(out, 'argocd', 'dev.yaml'));
    expect(app.spec.source).toEqual({ repoURL: 'https://git.example.com/r.git', targetRevision: 'HEAD', path: 'clusters/dev' });
    expect(app.spec.destination).toEqual({ name: 'edge', namespace: 'dev' });
    expect(app.spec.project).toBe('default');
    expect(app.spec.syncPolicy).toBeUndefined();
    expect(validateWithSchemaLibrary([app]).filter((r) => r.error)).toEqual([]);
  });

  test('repoURL defaults to the origin remote when --out is a git checkout, and is required otherwise', async () => {
    const out = tempDir();
    execFileSync('git', ['init', '-q', out]);
    execFileSync('git', ['-C', out, 'remote', 'add', 'origin', 'git@example.com:team/gitops.git']);
    const config = { ...smallConfig(), argocd: undefined };
    await generateRepository(config, { out });
    expect(readObject(path.join(out, 'argocd', 'dev.yaml')).spec.source.repoURL).toBe('git@example.com:team/gitops.git');
    await expect(generateRepository(config, { out: tempDir() })).rejects.toThrow(/argocd\.repoURL is not set/);
  });
});

describe('reruns', () => {
  test('a second run writes byte-identical files', async () => {
    const out = await generateExample();
    const first = hashTree(out);
    await generateExample(out);
    expect(hashTree(out)).toBe(first);
    // and a run into another folder gives the same bytes: nothing depends on the folder or the time
    expect(hashTree(await generateExample())).toBe(first);
  });

  test('files of objects, apps and environments that left the config are removed', async () => {
    const out = tempDir();
    await generateRepository(smallConfig({ extraEnv: true }), { out });
    expect(fs.existsSync(path.join(out, 'dev', 'rollout-shop.yaml'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'qa'))).toBe(true);
    await generateRepository(smallConfig({ withBlueGreen: false }), { out });
    expect(listTree(out)).toEqual([
      MANIFEST_FILE, 'argocd/', 'argocd/dev.yaml', 'argocd/kustomization.yaml',
      'dev/', 'dev/configmap-web-conf.yaml', 'dev/kustomization.yaml', 'dev/rollout-web.yaml',
    ]);
    expect(readObject(path.join(out, 'dev', 'kustomization.yaml')).resources).toEqual(['configmap-web-conf.yaml', 'rollout-web.yaml']);
  });

  test('files the tool did not write survive: .git, a README, a note inside an environment folder', async () => {
    const out = tempDir();
    execFileSync('git', ['init', '-q', out]);
    fs.writeFileSync(path.join(out, 'README.md'), '# our GitOps repository\n');
    await generateRepository(smallConfig({ extraEnv: true }), { out });
    fs.writeFileSync(path.join(out, 'dev', 'NOTES.md'), 'dev is shared with team B\n');
    fs.mkdirSync(path.join(out, 'qa', 'extra'));
    fs.writeFileSync(path.join(out, 'qa', 'extra', 'secret.enc'), 'xyz');
    const before = (p: string) => fs.readFileSync(path.join(out, p), 'utf8');
    const kept = ['README.md', '.git/HEAD', '.git/config', 'dev/NOTES.md', 'qa/extra/secret.enc'];
    const contents = kept.map(before);

    await generateRepository(smallConfig({ withBlueGreen: false }), { out }); // qa left the config
    expect(kept.map(before)).toEqual(contents);
    expect(fs.existsSync(path.join(out, 'qa', 'kustomization.yaml'))).toBe(false);
    expect(listTree(out).filter((p) => p.startsWith('.git/')).length).toBeGreaterThan(3);
    expect(listTree(out).some((p) => p.includes('.synth-'))).toBe(false);
  });

  test('a rerun keeps unchanged files as they are (same inode) and replaces changed ones', async () => {
    const out = tempDir();
    await generateRepository(smallConfig(), { out });
    fs.writeFileSync(path.join(out, 'dev', 'NOTES.md'), 'mine\n');
    const inode = (p: string) => fs.statSync(path.join(out, p)).ino;
    const before = { conf: inode('dev/configmap-web-conf.yaml'), rollout: inode('dev/rollout-web.yaml'), notes: inode('dev/NOTES.md') };
    await generateRepository(smallConfig({ replicas: 5 }), { out });
    expect(inode('dev/configmap-web-conf.yaml')).toBe(before.conf);
    expect(inode('dev/NOTES.md')).toBe(before.notes);
    expect(inode('dev/rollout-web.yaml')).not.toBe(before.rollout);
    expect(readObject(path.join(out, 'dev', 'rollout-web.yaml')).spec.replicas).toBe(5);
  });

  test('a file the tool did not write is never overwritten: the run fails and changes nothing', async () => {
    const out = tempDir();
    fs.mkdirSync(path.join(out, 'dev'));
    fs.writeFileSync(path.join(out, 'dev', 'rollout-web.yaml'), 'hand-written\n');
    const before = hashTree(out);
    await expect(generateRepository(smallConfig(), { out })).rejects.toThrow(/refusing to overwrite .*rollout-web\.yaml/);
    expect(hashTree(out)).toBe(before);
  });
});

describe('many files (written by the writer thread)', () => {
  /** `envs` environments of `apps` canary apps each: 2 files per app, past the inline limit of 200 files. */
  function manyApps(envs: number, apps: number, replicas = 1): GitOpsConfig {
    const app = (i: number) => ({
      name: `app-${i}`,
      build: (chart: any, env: any) => new CanaryNginxRollout(chart, `app-${i}`, { name: `app-${i}`, replicas, image: env.image }),
    });
    return {
      argocd: { repoURL: 'https://git.example.com/gitops.git' },
      environments: Array.from({ length: envs }, (_, e) => ({
        name: `env-${e}`, namespace: `ns-${e}`, apps: Array.from({ length: apps }, (_, i) => app(i)),
      })),
    };
  }

  test('every file is written, listed and byte-stable', async () => {
    const out = tempDir();
    await generateRepository(manyApps(3, 120), { out });
    const files = listTree(out).filter((p) => !p.endsWith('/'));
    expect(files).toHaveLength(1 + 3 * (2 * 120 + 1) + 4);
    expect(readObject(path.join(out, 'env-2', 'rollout-app-119.yaml')).metadata.namespace).toBe('ns-2');
    const hash = hashTree(out);
    await generateRepository(manyApps(3, 120), { out });
    expect(hashTree(out)).toBe(hash);
  });

  test('a failure after the writer thread wrote earlier folders keeps the previous tree', async () => {
    const out = tempDir();
    await generateRepository(manyApps(2, 120), { out });
    const hash = hashTree(out);
    const config = manyApps(2, 120, 3);
    const broken: GitOpsConfig = { ...config, environments: [...config.environments, smallConfig({ replicas: -1 }).environments[0]] };
    await expect(generateRepository(broken, { out })).rejects.toThrow(/replicas is -1/);
    expect(hashTree(out)).toBe(hash);
    expect(listTree(out).some((p) => p.includes('.synth-'))).toBe(false);
  });
});

describe('a failed run keeps the previous tree byte-identical', () => {
  /** A repository from the example config, with a README beside it, and its hash. */
  async function previousTree(): Promise<{ out: string; hash: string }> {
    const out = await generateExample();
    fs.writeFileSync(path.join(out, 'README.md'), 'keep me\n');
    return { out, hash: hashTree(out) };
  }

  test('a construct refusing its props (replicas -1) in a later environment', async () => {
    const { out, hash } = await previousTree();
    const bad = smallConfig({ replicas: -1 });
    const config: GitOpsConfig = { ...exampleConfig, environments: [...exampleConfig.environments, { ...bad.environments[0] }] };
    await expect(generateRepository(config, { out })).rejects.toThrow(GitOpsValidationError);
    await expect(generateRepository(config, { out })).rejects.toThrow(/environment 'dev', app 'web': .*replicas is -1/);
    expect(hashTree(out)).toBe(hash);
  });

  test('cdk8s validation failing at synth', async () => {
    const { out, hash } = await previousTree();
    const config = smallConfig();
    const failing: GitOpsConfig = {
      ...config,
      environments: [{
        ...config.environments[0],
        apps: [...config.environments[0].apps, {
          name: 'broken',
          build: (chart) => chart.node.addValidation({ validate: () => ['the broken app is broken'] }),
        }],
      }],
    };
    await expect(generateRepository(failing, { out })).rejects.toThrow(/app 'broken': Validation failed.*\n.*the broken app is broken/);
    expect(hashTree(out)).toBe(hash);
  });

  test('a bad config: every problem is reported, nothing is written', async () => {
    const { out, hash } = await previousTree();
    const config = smallConfig();
    const env = config.environments[0];
    const bad = {
      environments: [
        { ...env, name: 'argocd' },
        { ...env, name: 'Dev', namespace: 'not_a_namespace', image: 'NGINX:latest' },
        { ...env, apps: [] },
        { ...env },
      ],
    } as GitOpsConfig;
    let error: Error | undefined;
    try {
      await generateRepository(bad, { out, source: 'environments.ts' });
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(GitOpsInputError);
    expect(error!.message).toMatch(/^environments\.ts: invalid config:/);
    expect(error!.message).toMatch(/environments\[0\]\.name is 'argocd'/);
    expect(error!.message).toMatch(/environments\[1\]\.name is 'Dev'/);
    expect(error!.message).toMatch(/namespace is 'not_a_namespace'/);
    expect(error!.message).toMatch(/image is 'NGINX:latest'/);
    expect(error!.message).toMatch(/'apps' must be a non-empty array/);
    expect(error!.message).toMatch(/environments\[3\]\.name 'dev' is used by an earlier environment/);
    expect(hashTree(out)).toBe(hash);
  });

  test('two apps writing the same object', async () => {
    const { out, hash } = await previousTree();
    const config = smallConfig({ withBlueGreen: false });
    const env = config.environments[0];
    const twice = { ...config, environments: [{ ...env, apps: [env.apps[0], { ...env.apps[0], name: 'web2' }] }] };
    await expect(generateRepository(twice, { out })).rejects.toThrow(/apps 'web' and 'web2' both define ConfigMap 'web-conf'/);
    expect(hashTree(out)).toBe(hash);
  });

  test('the run did not create the folder: a failed first run leaves nothing behind', async () => {
    const parent = tempDir();
    const out = path.join(parent, 'repo');
    await expect(generateRepository(smallConfig({ replicas: -1 }), { out })).rejects.toThrow();
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('the command', () => {
  const run = (args: string[]) => captureOutput(() => gitopsCommand(args));

  test('writes the repository and says what it wrote', async () => {
    const out = tempDir();
    const { result, stdout } = await withNginxImage(undefined, () => run(['--out', out, '--config', CONFIG_FILE]));
    expect(result).toBe(0);
    expect(stdout).toMatch(/staging\/: 6 objects, 2 Rollouts/);
    expect(stdout).toMatch(/argocd\/: 2 Applications/);
    expect(hashTree(out)).toBe(hashTree(await generateExample()));
  });

  test('NGINX_IMAGE overrides the nginx image of every environment', async () => {
    const out = tempDir();
    const { result } = await withNginxImage('registry.example.com/nginx:1.27.4', () => run(['--out', out, '--config', CONFIG_FILE]));
    expect(result).toBe(0);
    let rollouts = 0;
    for (const env of ['staging', 'production']) {
      for (const { object } of environmentObjects(out, env).filter((o) => o.object.kind === 'Rollout')) {
        rollouts++;
        const nginx = object.spec.template.spec.containers.find((c: any) => c.name === 'nginx');
        expect(nginx.image).toBe('registry.example.com/nginx:1.27.4');
      }
    }
    expect(rollouts).toBe(4);
  });

  test.each([
    ['not an image!', /NGINX_IMAGE is 'not an image!'; it must be a container image reference/],
    ['', /NGINX_IMAGE is set but empty/],
  ])('NGINX_IMAGE=%j fails with exit 2, names the value, and keeps the previous tree', async (value, message) => {
    const out = await generateExample();
    const hash = hashTree(out);
    const { result, stderr } = await withNginxImage(value, () => run(['--out', out, '--config', CONFIG_FILE]));
    expect(result).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/is unchanged/);
    expect(hashTree(out)).toBe(hash);
  });

  test('usage errors exit 2', async () => {
    expect((await run([])).result).toBe(2);
    expect((await run(['--out'])).result).toBe(2);
    expect((await run(['--out', tempDir(), '--bogus'])).stderr).toMatch(/unknown option '--bogus'/);
    const missing = await run(['--out', tempDir(), '--config', 'no-such-config.ts']);
    expect(missing.result).toBe(2);
    expect(missing.stderr).toMatch(/config file no-such-config\.ts not found/);
  });

  test('through the bin, a bad NGINX_IMAGE is reported with its value and exit code 2', async () => {
    const out = await generateExample();
    const hash = hashTree(out);
    const child = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'nginx-rollouts.js'), 'gitops', '--out', out], {
      cwd: ROOT, env: { ...process.env, NGINX_IMAGE: 'nginx:::1' }, encoding: 'utf8',
    });
    expect(child.stderr).toMatch(/NGINX_IMAGE is 'nginx:::1'/);
    expect(child.status).toBe(2);
    expect(hashTree(out)).toBe(hash);
  });
});

describe('kubectl kustomize', () => {
  const kubectl = findKubectl();
  if (!kubectl) {
    console.warn('kubectl not found (looked on PATH and at /usr/bin/kubectl): the kustomize build tests are skipped');
    test.skip('kubectl kustomize builds every environment (skipped: kubectl not found)', () => undefined);
    return;
  }

  test.each(['staging', 'production', 'argocd'])('kubectl kustomize %s builds every object, in the kustomization order', async (env) => {
    const out = await generateExample();
    const built = yamlDocs(execFileSync(kubectl, ['kustomize', path.join(out, env)], { encoding: 'utf8' }));
    const expected = environmentObjects(out, env).map((o) => o.object);
    expect(built.map(idOf)).toEqual(expected.map(idOf));
    expect(built).toEqual(expected);
    // what kustomize applies, in its order, passes the rules engine: every reference comes before its Rollout
    expect(validateObjects(built, { missingReference: 'error' }).map(formatFinding)).toEqual([]);
  });
});

function idOf(o: any): string {
  return `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
}

function findKubectl(): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin']) {
    const candidate = path.join(dir, 'kubectl');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

describe('apps with charts of their own', () => {
  test('objects of a nested chart are written too, with their sync waves', async () => {
    const out = tempDir();
    const { Chart: CdkChart } = await import('cdk8s');
    const config = smallConfig({ withBlueGreen: false });
    const env = config.environments[0];
    await generateRepository({
      ...config,
      environments: [{
        ...env,
        apps: [{
          name: 'web',
          build: (chart, ctx) => {
            const inner = new CdkChart(chart, 'inner', { namespace: ctx.namespace, disableResourceNameHashes: true });
            new BlueGreenNginxRollout(inner, 'shop', { name: 'shop', image: ctx.image });
            new CanaryNginxRollout(chart, 'web', { name: 'web', image: ctx.image });
          },
        }],
      }],
    }, { out });
    const objects = environmentObjects(out, 'dev').map((o) => o.object);
    expect(objects.map(idOf).sort()).toEqual([
      'ConfigMap/dev/shop-conf', 'ConfigMap/dev/web-conf', 'Rollout/dev/shop', 'Rollout/dev/web',
      'Service/dev/shop-active', 'Service/dev/shop-preview',
    ]);
    for (const o of objects) expect(o.metadata.annotations[SYNC_WAVE_ANNOTATION]).toMatch(/^[012]$/);
  });
});
