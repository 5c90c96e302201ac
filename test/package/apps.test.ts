/**
 * The package in the apps people have today: one made the way `cdk8s init typescript-app` makes it now (cdk8s-plus-33,
 * ts-node, the template's tsconfig.json and cdk8s.yaml, three charts) and one on cdk8s-plus-27. Each installs the packed
 * tarball (offline, see support.ts), uses our Services and ConfigMap with its OWN cdk8s-plus objects, builds a general
 * Rollout from its own Volume, Env, Probe, Handler, Secret and ServiceAccount with its own HPA on it, type-checks
 * with the template's settings and synthesizes: with ts-node as `cdk8s synth` runs it, and with the real cdk8s CLI
 * and `--stdout`. Then the install people get from `npm install ../folder`: a second cdk8s, which must fail with a
 * message naming the cause, and the fix the message gives, which must work.
 *
 * Set KEEP_CONSUMER=1 to keep the apps for a look.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import {
  CDK8S_CLI, childEnv, installOffline, mustRun, NAME, pack, Packed, ROOT, run, TSC, walk,
} from './support';

// cdk8s-cli 2.207's typescript-app template, as `cdk8s init typescript-app` writes it (its tsconfig has no
// skipLibCheck, so our .d.ts files are checked with lib es2016 and every strict flag).
const TEMPLATE = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app');

/**
 * A general Rollout of an HTTP API, built with the app's OWN cdk8s-plus objects (the same source in both apps, each
 * importing its major as \`kplus\`): volumes, env from a ConfigMap and a Secret, a probe, a preStop hook, a service
 * account, a container added later that mounts a volume, the app's HorizontalPodAutoscaler on it, and scheduling
 * (node affinity, a toleration, pod anti-affinity) with its node queries and pod selector, and the app's Service
 * selecting the Rollout's pods. No casts.
 */
const API_CHART = `
function apiChart(app: App): void {
  const chart = new Chart(app, 'api', { disableResourceNameHashes: true });
  const settings = new kplus.ConfigMap(chart, 'settings', { metadata: { name: 'api-settings' }, data: { MODE: 'fast' } });
  const token = new kplus.Secret(chart, 'token', { metadata: { name: 'api-token' }, stringData: { token: 't' } });
  const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'api' } });
  const tmp = kplus.Volume.fromEmptyDir(chart, 'tmp', 'tmp');
  const cache = kplus.Volume.fromEmptyDir(chart, 'cache', 'cache');
  const api = new Rollout(chart, 'api', {
    metadata: { name: 'api' },
    serviceAccount: sa,
    dockerRegistryAuth: token,
    volumes: [tmp],
    containers: [{
      image: 'ghcr.io/acme/api:1.2.3',
      portNumber: 8080,
      envVariables: { TOKEN: kplus.EnvValue.fromSecretValue({ secret: token, key: 'token' }) },
      envFrom: [kplus.Env.fromConfigMap(settings)],
      volumeMounts: [{ path: '/tmp', volume: tmp }],
      readiness: kplus.Probe.fromHttpGet('/healthz'),
      liveness: kplus.Probe.fromTcpSocket(),
      lifecycle: { preStop: kplus.Handler.fromCommand(['sleep', '5']) },
      resources: { cpu: { request: kplus.Cpu.millis(100) } },
    }],
    strategy: RolloutStrategy.canary({ steps: [RolloutStep.weight(20), RolloutStep.pauseUntilPromoted()] }),
  });
  api.addVolume(cache);
  api.addContainer({ name: 'warmer', image: 'busybox:1.36', envFrom: [kplus.Env.fromSecret(token)] }).mount('/cache', cache);
  new kplus.HorizontalPodAutoscaler(chart, 'hpa', { metadata: { name: 'api' }, target: api, maxReplicas: 5 });
  api.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('disk', 'ssd')));
  api.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.exists('gpu')));
  api.scheduling.separate(kplus.Pods.select(chart, 'batch', { labels: { tier: 'batch' } }));
  new kplus.Service(chart, 'all', { metadata: { name: 'api-all' }, selector: api, ports: [{ port: 80, targetPort: 8080 }] });
}
`;

/** cdk8s-plus-33, three charts: our constructs and the app's own kplus-33 objects built on them. */
const PLUS33_MAIN = `import { Construct } from 'constructs';
import { App, Chart, ChartProps, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { BlueGreenNginxRollout, CanaryNginxRollout, CanaryStep, ingressBackendFor, Rollout, RolloutStep, RolloutStrategy } from '${NAME}';
${API_CHART}
export class WebChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const blueGreen = new BlueGreenNginxRollout(this, 'bluegreen', {
      name: 'web', replicas: 2, servicePort: 8080, autoPromotionEnabled: false, scaleDownDelay: Duration.seconds(30),
    });

    // An Ingress of the app's cdk8s-plus-33 in front of our active and preview Services.
    const ingress = new kplus.Ingress(this, 'ingress', {
      defaultBackend: ingressBackendFor(kplus.IngressBackend, blueGreen.activeService),
    });
    ingress.addRule('/preview', ingressBackendFor(kplus.IngressBackend, blueGreen.previewService, { port: 8080 }));

    // A kplus-33 Deployment that mounts our ConfigMap: IConfigMap is an interface, our ConfigMap fits it as it is.
    const checker = new kplus.Deployment(this, 'conf-checker', {
      replicas: 1,
      containers: [{ name: 'check', image: 'busybox:1.36', command: ['sh', '-c', 'cat /conf/nginx.conf; sleep 3600'] }],
    });
    checker.containers[0].mount('/conf', kplus.Volume.fromConfigMap(this, 'conf', blueGreen.configMap));

    // RBAC of the app's major over our objects (IApiResource, also an interface).
    const reader = new kplus.Role(this, 'reader', { metadata: { name: 'web-reader' } });
    reader.allowRead(blueGreen.configMap, blueGreen.activeService);
  }
}

export class CanaryChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    // Props typed with cdk8s-plus-27 value classes take the app's cdk8s-plus-33 values.
    new CanaryNginxRollout(this, 'canary', {
      name: 'shop',
      replicas: 4,
      maxSurge: kplus.PercentOrAbsolute.percent(50),
      resources: { cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(250) }, memory: { limit: Size.mebibytes(96) } },
      steps: [CanaryStep.setWeight(25), CanaryStep.pause(Duration.seconds(30)), CanaryStep.pause()],
    });
  }
}

const app = new App();
new WebChart(app, 'web', { disableResourceNameHashes: true });
new CanaryChart(app, 'canary', { disableResourceNameHashes: true });
apiChart(app);
app.synth();
`;

/** cdk8s-plus-27: our Services are its own class, so its IngressBackend takes them directly. */
const PLUS27_MAIN = `import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BlueGreenNginxRollout, ingressBackendFor, Rollout, RolloutStep, RolloutStrategy } from '${NAME}';
${API_CHART}
const app = new App();
const chart = new Chart(app, 'web', { disableResourceNameHashes: true });
const blueGreen = new BlueGreenNginxRollout(chart, 'bluegreen', { name: 'web', servicePort: 8080 });
const ingress = blueGreen.activeService.exposeViaIngress('/');
ingress.addRule('/preview', kplus.IngressBackend.fromService(blueGreen.previewService));
ingress.addRule('/also', ingressBackendFor(kplus.IngressBackend, blueGreen.activeService));
const checker = new kplus.Deployment(chart, 'conf-checker', {
  replicas: 1,
  containers: [{ name: 'check', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'] }],
});
checker.containers[0].mount('/conf', kplus.Volume.fromConfigMap(chart, 'conf', blueGreen.configMap));
apiChart(app);
app.synth();
`;

// ts-node type-checks main.ts on every run, as long again as the synth on this machine; the tsc test above does that
// check with the same tsconfig once, so the synth runs only transpile.
const TRANSPILE_ONLY = { TS_NODE_TRANSPILE_ONLY: 'true' };

let work: string;
let packed: Packed;
let plus33: string;
let plus27: string;

/** Every object of every YAML file under `dir`, by file. */
function readOutput(dir: string): Record<string, any[]> {
  const out: Record<string, any[]> = {};
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    const docs = parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8'));
    expect(docs.flatMap((d) => d.errors)).toEqual([]);
    out[f] = docs.map((d) => d.toJS()).filter((o) => o !== null);
  }
  return out;
}

const find = (objects: any[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata?.name === name);

/** One folder per package name in the app: proof that npm kept one copy of each. */
function copiesOf(app: string, name: string): string[] {
  const nm = path.join(app, 'node_modules');
  return walk(nm).filter((f) => f.endsWith(`${path.sep}node_modules${path.sep}${name}${path.sep}package.json`))
    .map((f) => path.relative(app, path.dirname(f)));
}

/** A cdk8s-init-style app: the template's cdk8s.yaml and tsconfig.json, our main.ts, installed offline. */
function makeApp(name: string, plus: string, main: string, devDependencies: string[]): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  const template = JSON.parse(fs.readFileSync(path.join(TEMPLATE, 'package.json'), 'utf8'));
  installOffline(dir, {
    dependencies: ['cdk8s', plus, 'constructs'],
    devDependencies,
    tarball: packed.tarball,
    extra: { main: 'main.js', types: 'main.ts', scripts: template.scripts },
  });
  // `imports: [k8s]` needs the network (`cdk8s import k8s`) and the app does not use imports/.
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), fs.readFileSync(path.join(TEMPLATE, 'cdk8s.yaml'), 'utf8')
    .replace(/^imports:\n(  - .*\n?)+/m, ''));
  fs.copyFileSync(path.join(TEMPLATE, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  fs.writeFileSync(path.join(dir, 'main.ts'), main);
  return dir;
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-rollouts-apps-'));
  packed = pack(work);
  plus33 = makeApp('plus33', 'cdk8s-plus-33', PLUS33_MAIN, ['ts-node', 'typescript', '@types/node']);
  plus27 = makeApp('plus27', 'cdk8s-plus-27', PLUS27_MAIN, ['ts-node', 'typescript']);
}, 300_000);

afterAll(() => {
  if (!work) return;
  if (process.env.KEEP_CONSUMER) process.stdout.write(`apps kept in ${work}\n`);
  else fs.rmSync(work, { recursive: true, force: true });
});

describe('a cdk8s-plus-33 app as `cdk8s init typescript-app` makes it', () => {
  test('has one copy each of cdk8s, constructs and each cdk8s-plus major (they are peers, not ours)', () => {
    for (const name of ['cdk8s', 'constructs', 'cdk8s-plus-33', 'cdk8s-plus-27']) {
      expect([name, copiesOf(plus33, name)]).toEqual([name, [path.join('node_modules', name)]]);
    }
  });

  test('type-checks with the template\'s tsconfig (no skipLibCheck): our .d.ts and kplus-33 objects together', () => {
    const r = run(process.execPath, [TSC, '--noEmit', '-p', 'tsconfig.json'], plus33, 120_000);
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  test('synthesizes with ts-node as `app: npx ts-node main.ts` runs it: the app\'s objects use ours', () => {
    const outdir = path.join(plus33, 'dist');
    mustRun('npx', ['--offline', 'ts-node', 'main.ts'], plus33, 120_000, childEnv({ CDK8S_OUTDIR: outdir, ...TRANSPILE_ONLY }));
    const files = readOutput(outdir);
    expect(Object.keys(files)).toEqual(['api.k8s.yaml', 'canary.k8s.yaml', 'web.k8s.yaml']);
    const web = files['web.k8s.yaml'];

    expect(find(web, 'Rollout', 'web').spec.strategy.blueGreen)
      .toMatchObject({ activeService: 'web-active', previewService: 'web-preview', autoPromotionEnabled: false });
    const ingress = web.find((o) => o.kind === 'Ingress');
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.spec.defaultBackend).toEqual({ service: { name: 'web-active', port: { number: 8080 } } });
    expect(ingress.spec.rules).toEqual([{ http: { paths: [{ path: '/preview', pathType: 'Prefix',
      backend: { service: { name: 'web-preview', port: { number: 8080 } } } }] } }]);

    const checker = web.find((o) => o.kind === 'Deployment');
    expect(checker.spec.template.spec.volumes).toEqual([{ name: expect.any(String), configMap: { name: 'web-conf' } }]);
    expect(checker.spec.template.spec.containers[0].volumeMounts)
      .toEqual([{ mountPath: '/conf', name: checker.spec.template.spec.volumes[0].name }]);
    expect(find(web, 'ConfigMap', 'web-conf').data['nginx.conf']).toContain('stub_status');

    const role = find(web, 'Role', 'web-reader');
    expect(role.rules).toEqual(expect.arrayContaining([
      expect.objectContaining({ resources: ['configmaps'], resourceNames: ['web-conf'] }),
      expect.objectContaining({ resources: ['services'], resourceNames: ['web-active'] }),
    ]));

    const shop = find(files['canary.k8s.yaml'], 'Rollout', 'shop');
    expect(shop.spec.strategy.canary.maxSurge).toBe('50%');
    expect(shop.spec.template.spec.containers[0].resources)
      .toEqual({ requests: { cpu: '50m' }, limits: { cpu: '250m', memory: '96Mi' } });
    // The general Rollout with the app's own kplus-33 pod objects, and the app's HPA on it.
    const api = files['api.k8s.yaml'];
    const pod = find(api, 'Rollout', 'api').spec.template.spec;
    expect(pod.serviceAccountName).toBe('api');
    expect(pod.imagePullSecrets).toEqual([{ name: 'api-token' }]);
    expect(pod.volumes.map((v: any) => v.name).sort()).toEqual(['cache', 'tmp']);
    expect(pod.containers.map((c: any) => [c.name, c.envFrom, c.volumeMounts])).toEqual([
      ['main', [{ configMapRef: { name: 'api-settings' } }], [{ mountPath: '/tmp', name: 'tmp' }]],
      ['warmer', [{ secretRef: { name: 'api-token' } }], [{ mountPath: '/cache', name: 'cache' }]],
    ]);
    expect(pod.containers[0]).toMatchObject({
      env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-token', key: 'token' } } }],
      readinessProbe: { httpGet: { path: '/healthz', port: 8080 } },
      livenessProbe: { tcpSocket: { port: 8080 } },
      lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
    });
    expect(find(api, 'HorizontalPodAutoscaler', 'api').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'api' });
    expect(find(api, 'Rollout', 'api').spec.replicas).toBeUndefined(); // left to the HPA
    const address = find(api, 'Rollout', 'api').spec.template.metadata.labels['cdk8s.io/metadata.addr'];
    expect(find(api, 'Service', 'api-all').spec.selector).toEqual({ 'cdk8s.io/metadata.addr': address });
    expect(pod.tolerations).toEqual([{ key: 'gpu', operator: 'Exists' }]);
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
      .toEqual([{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }]);
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution)
      .toEqual([{ labelSelector: { matchLabels: { tier: 'batch' } }, topologyKey: 'kubernetes.io/hostname' }]);

    // app.synth() started each file with a document marker itself: the app has no such line.
    expect(fs.readFileSync(path.join(plus33, 'main.ts'), 'utf8')).not.toContain('markYamlDocumentStarts');
    for (const f of Object.keys(files)) expect(fs.readFileSync(path.join(outdir, f), 'utf8')).toMatch(/^---\n/);
  }, 120_000);

  test('`cdk8s synth --stdout` with the real CLI prints every chart as valid multi-document YAML', () => {
    // The CLI deletes its output folder (dist/) even with --stdout: run it in a copy of the app.
    const copy = fs.mkdtempSync(path.join(work, 'cli-'));
    for (const f of ['cdk8s.yaml', 'tsconfig.json', 'main.ts', 'package.json']) {
      fs.copyFileSync(path.join(plus33, f), path.join(copy, f));
    }
    fs.symlinkSync(path.join(plus33, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    const r = run(CDK8S_CLI, ['synth', '--stdout', '--no-check-upgrade'], copy, 180_000, childEnv(TRANSPILE_ONLY));
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    const docs = parseAllDocuments(r.stdout);
    expect(docs.flatMap((d) => d.errors.map((e) => e.message))).toEqual([]);
    const printed = docs.map((d) => d.toJS()).filter((o) => o !== null);
    // Exactly the objects the two files hold: no object of one chart merged into the last object of the other.
    const expected = Object.values(readOutput(path.join(plus33, 'dist'))).flat();
    expect(printed.map((o) => `${o.kind}/${o.metadata.name}`).sort())
      .toEqual(expected.map((o) => `${o.kind}/${o.metadata.name}`).sort());
    expect(printed.filter((o) => o.kind === 'Rollout').map((o) => o.metadata.name).sort()).toEqual(['api', 'shop', 'web']);
  }, 180_000);
});

describe('a cdk8s-plus-27 app', () => {
  test('has one copy each of cdk8s, constructs and cdk8s-plus-27', () => {
    for (const name of ['cdk8s', 'constructs', 'cdk8s-plus-27']) {
      expect([name, copiesOf(plus27, name)]).toEqual([name, [path.join('node_modules', name)]]);
    }
    expect(copiesOf(plus27, 'cdk8s-plus-33')).toEqual([]);
  });

  test('type-checks with the template\'s tsconfig and synthesizes with ts-node', () => {
    const tsc = run(process.execPath, [TSC, '--noEmit', '-p', 'tsconfig.json'], plus27, 120_000);
    expect(`${tsc.stdout}${tsc.stderr}`).toBe('');
    const outdir = path.join(plus27, 'dist');
    mustRun('npx', ['--offline', 'ts-node', 'main.ts'], plus27, 120_000, childEnv({ CDK8S_OUTDIR: outdir, ...TRANSPILE_ONLY }));
    const web = readOutput(outdir)['web.k8s.yaml'];
    const ingress = web.find((o) => o.kind === 'Ingress');
    const backends = ingress.spec.rules[0].http.paths.map((p: any) => [p.path, p.backend.service.name, p.backend.service.port.number]);
    expect(backends).toEqual([['/', 'web-active', 8080], ['/also', 'web-active', 8080], ['/preview', 'web-preview', 8080]]);
    const checker = web.find((o) => o.kind === 'Deployment');
    expect(checker.spec.template.spec.volumes[0].configMap).toEqual({ name: 'web-conf' });
  }, 240_000);

  test('the API chart\'s source, on cdk8s-plus-27 objects, gives the Rollout the cdk8s-plus-33 app\'s objects give', () => {
    const with27 = readOutput(path.join(plus27, 'dist'))['api.k8s.yaml'];
    const with33 = readOutput(path.join(plus33, 'dist'))['api.k8s.yaml'];
    expect(find(with27, 'Rollout', 'api')).toEqual(find(with33, 'Rollout', 'api'));
    expect(find(with27, 'Rollout', 'api').spec.template.spec.containers).toHaveLength(2);
    const names = (objects: any[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(names(with27)).toEqual(names(with33));
  });
});

describe('installed from a folder, as `npm install ../folder` and `npm link` do', () => {
  let app: string;
  let folder: string;

  beforeAll(() => {
    // The folder: the package's files (what `npm pack` takes) and, like any checkout, its own node_modules with
    // cdk8s and the rest of the devDependencies (here: links into this repository's node_modules).
    folder = path.join(work, 'checkout');
    fs.mkdirSync(folder);
    mustRun('tar', ['-xzf', packed.tarball, '-C', folder, '--strip-components=1'], work);
    // The tarball already has node_modules/ with the bundled dependencies (ajv, yaml): the checkout adds the rest.
    fs.mkdirSync(path.join(folder, 'node_modules'), { recursive: true });
    for (const name of ['cdk8s', 'constructs', 'cdk8s-plus-27', 'ajv', 'yaml']) {
      if (fs.existsSync(path.join(folder, 'node_modules', name))) continue;
      fs.symlinkSync(path.join(ROOT, 'node_modules', name), path.join(folder, 'node_modules', name), 'dir');
    }
    app = path.join(work, 'linked');
    fs.mkdirSync(app);
    installOffline(app, { dependencies: ['cdk8s', 'cdk8s-plus-27', 'constructs', 'ajv', 'yaml'] });
    fs.writeFileSync(path.join(app, 'main.js'), `const { App, Chart } = require('cdk8s');
const { BlueGreenNginxRollout } = require('${NAME}');
const app = new App({ outdir: 'dist' });
new BlueGreenNginxRollout(new Chart(app, 'web'), 'bluegreen', { name: 'web' });
app.synth();
`);
  }, 180_000);

  test('a second cdk8s fails at construction, naming the cause and the fix (not "non-simple object of type \'Lazy\'")', () => {
    // --ignore-scripts: npm runs the folder's `prepare` (the build) on install; this folder holds the built package.
    mustRun('npm', ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error',
      '--no-save', folder], app);
    expect(fs.lstatSync(path.join(app, 'node_modules', NAME)).isSymbolicLink()).toBe(true);
    const r = run(process.execPath, ['main.js'], app, 60_000);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("BlueGreenNginxRollout 'web/bluegreen': its chart 'web' was made with another copy of cdk8s");
    // Where the second copy is (Node reports real paths; here the folder's node_modules links into this repository's).
    expect(r.stderr).toContain(`(${fs.realpathSync(path.join(folder, 'node_modules', 'cdk8s'))})`);
    expect(r.stderr).not.toMatch(/^Error: can't render/m);
    expect(r.stderr).toContain('npm install --install-links');
    expect(fs.existsSync(path.join(app, 'dist', 'web.k8s.yaml'))).toBe(false);
  }, 120_000);

  test('the fix the message gives works: `npm install --install-links` copies the folder, peers come from the app', () => {
    fs.rmSync(path.join(app, 'node_modules', NAME), { recursive: true, force: true });
    // --legacy-peer-deps only because this install is offline: npm 11 checks the new package's peers against the
    // registry's full packuments (cdk8s, ...), and `npm ci` caches only the abbreviated ones, so on a fresh clone's
    // cache (CI) the check fails with ERESOLVE "Found: cdk8s@undefined". Online, the README's command resolves the
    // peers to the app's own copies; here they are already installed, and the checks below prove they are the ones used.
    mustRun('npm', ['install', '--offline', '--install-links', '--legacy-peer-deps', '--ignore-scripts', '--no-audit',
      '--no-fund', '--loglevel=error', '--no-save', folder], app, 120_000);
    expect(fs.lstatSync(path.join(app, 'node_modules', NAME)).isSymbolicLink()).toBe(false);
    expect(copiesOf(app, 'cdk8s')).toEqual([path.join('node_modules', 'cdk8s')]);
    mustRun(process.execPath, ['main.js'], app, 60_000);
    const web = readOutput(path.join(app, 'dist'))['web.k8s.yaml'];
    expect(find(web, 'Rollout', 'web').spec.strategy.blueGreen.activeService).toBe('web-active');
  }, 180_000);
});
