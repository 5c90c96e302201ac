// The pods the nginx presets write, run with real programs: Debian's nginx, prometheus-nginx-exporter and prometheus,
// inside a private network and PID namespace (test/support/netns-agent.js), as root. For each preset (canary and
// blue/green, default props and the seed app's props) the test takes the pod template from the synthesized Rollout and
// checks that `nginx -t` accepts the ConfigMap's nginx.conf, that nginx serves `/` and `/nginx_status`, that the
// exporter started with the sidecar's args reports `nginx_up 1`, that every probe passes as the kubelet runs it, and
// that every query of the NginxAnalysisTemplate, with the Rollout's analysis args, meets its successCondition on a real
// Prometheus scraping the pod as the usual Kubernetes pod job does.
//
// What it does not check: the image versions. Debian 12 ships nginx 1.22 and exporter 0.11.0 whatever the pod's image
// tags say (nginx:1.28.0 and exporter 1.5.3 by default), so it checks the pod's config, args, probes and queries, which
// the exporter's flags table (0.11 takes `--flag=value` too) and nginx's stable config syntax make version-independent.
//
// Missing programs: with CI=true the test fails; elsewhere it is skipped with a message saying how to install them.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import {
  BlueGreenNginxRollout, CanaryNginxRollout, CanaryStep, DEFAULT_NGINX_CONF, NginxAnalysisTemplate,
} from '../../lib';
import { buildSeedApp, SEED_NGINX_CONF } from '../../main';
import {
  evaluateSuccessCondition, exporterArgsFor, exporterVersion, findProgram, hostNginxConf, IMAGE_NGINX_CONF_PATH,
  IMAGE_NGINX_PREFIX, INSTALL_HINT, missingPrerequisites, POD_TEST_PACKAGES, PodNamespace, prometheusConfig, promQuery, runProbe,
  sdLabelName, substituteArgs, waitFor,
} from '../support/pod-runtime';
import { one, synthChart } from '../support/synth';

/** Where the test's Prometheus listens, and so what the AnalysisTemplate's provider address is. */
const PROMETHEUS = 'http://127.0.0.1:9090';
/** The pod's IP: inside the namespace only `lo` exists, so the pod (all its containers share one network) is here. */
const POD_IP = '127.0.0.1';
/** The exporter image's user (`USER 1001:1001` in its Dockerfile); the sidecar's securityContext requires non-root. */
const EXPORTER_USER = { uid: 1001, gid: 1001 };

// ---------------------------------------------------------------------------------------------------------------------
// What runs

interface Scenario { title: string; strategy: 'canary' | 'blueGreen'; objects: any[]; nginxConf: string }

function seedChart(id: string): any[] {
  const app = buildSeedApp(Testing.app());
  return Testing.synth(app.node.findChild(id) as Chart);
}

const SCENARIOS: Scenario[] = [
  { title: 'CanaryNginxRollout, default props', strategy: 'canary', nginxConf: DEFAULT_NGINX_CONF,
    objects: synthChart((c) => new CanaryNginxRollout(c, 'web', {})) },
  { title: 'BlueGreenNginxRollout, default props', strategy: 'blueGreen', nginxConf: DEFAULT_NGINX_CONF,
    objects: synthChart((c) => new BlueGreenNginxRollout(c, 'web', {})) },
  { title: 'the seed app\'s canary', strategy: 'canary', nginxConf: SEED_NGINX_CONF, objects: seedChart('canary') },
  { title: 'the seed app\'s blue/green', strategy: 'blueGreen', nginxConf: SEED_NGINX_CONF, objects: seedChart('bluegreen') },
];

/**
 * The default NginxAnalysisTemplate, and the analysis args each strategy's Rollout passes to it (a canary step's
 * `analysis`, a blue/green `prePromotionAnalysis`), as the presets write them.
 */
const ANALYSIS = (() => {
  const objects = synthChart((c) => {
    const template = new NginxAnalysisTemplate(c, 'analysis', { name: 'nginx-health', prometheusAddress: PROMETHEUS });
    new CanaryNginxRollout(c, 'canary', { steps: [CanaryStep.analysis(template)] });
    new BlueGreenNginxRollout(c, 'bluegreen', { prePromotionAnalysis: [template] });
  });
  const rollouts = objects.filter((o) => o.kind === 'Rollout');
  return {
    template: one(objects, 'AnalysisTemplate'),
    args: {
      canary: rollouts.find((r) => r.spec.strategy.canary).spec.strategy.canary.steps[0].analysis.args,
      blueGreen: rollouts.find((r) => r.spec.strategy.blueGreen).spec.strategy.blueGreen.prePromotionAnalysis.args,
    } as Record<string, Array<{ name: string; value?: string; valueFrom?: any }>>,
  };
})();

/**
 * The values the controller gives the AnalysisRun's args: `fieldRef` from the Rollout object, `podTemplateHashValue`
 * the Latest (new) or Stable pods' `rollouts-pod-template-hash`.
 */
function resolveArgs(wiring: Array<{ name: string; value?: string; valueFrom?: any }>, rollout: any,
  hashes: { Latest: string; Stable: string }): Record<string, string> {
  const fields: Record<string, string> = {
    'metadata.name': rollout.metadata.name,
    'metadata.namespace': rollout.metadata.namespace ?? 'default',
  };
  return Object.fromEntries(wiring.map((a) => {
    if (a.value !== undefined) return [a.name, a.value];
    const from = a.valueFrom ?? {};
    if (from.fieldRef) {
      const v = fields[from.fieldRef.fieldPath];
      if (v === undefined) throw new Error(`arg ${a.name}: fieldRef ${from.fieldRef.fieldPath} is not modelled`);
      return [a.name, v];
    }
    if (from.podTemplateHashValue) return [a.name, hashes[from.podTemplateHashValue as 'Latest' | 'Stable']];
    throw new Error(`arg ${a.name}: ${JSON.stringify(a)} is not modelled`);
  }));
}

/** The image's repository, without registry port confusion: the digest, then the tag, removed. */
function repository(image: string): string {
  return image.replace(/@.*$/, '').replace(/:[^:/]+$/, '');
}

/** The ConfigMap content mounted at `mountPath` in `container`. */
function mountedFile(objects: any[], podSpec: any, container: any, mountPath: string): string {
  const mount = (container.volumeMounts ?? []).find((m: any) => m.mountPath === mountPath);
  if (!mount) throw new Error(`container '${container.name}' mounts nothing at ${mountPath}`);
  const volume = podSpec.volumes.find((v: any) => v.name === mount.name);
  const cm = one(objects, 'ConfigMap', volume.configMap.name);
  const item = (volume.configMap.items ?? []).find((i: any) => i.path === mount.subPath);
  const key = item ? item.key : mount.subPath;
  if (typeof cm.data?.[key] !== 'string') throw new Error(`ConfigMap '${cm.metadata.name}' has no key '${key}'`);
  return cm.data[key];
}

// ---------------------------------------------------------------------------------------------------------------------
// The helpers on their own (no programs needed)

describe('real-pod helpers', () => {
  const dir = '/tmp/pod';

  test('hostNginxConf changes only the user, the log paths and the access log of the default nginx.conf', () => {
    const host = hostNginxConf(DEFAULT_NGINX_CONF, dir);
    expect(host).toBe(DEFAULT_NGINX_CONF
      .replace('user nginx;', 'user www-data;')
      .replace('error_log /var/log/nginx/error.log;', 'error_log /tmp/pod/error.log;')
      .replace('http {\n', 'http {\n  access_log /tmp/pod/access.log;\n'));
  });

  test('hostNginxConf keeps the seed conf\'s relative root (so / resolves where the image resolves it)', () => {
    const host = hostNginxConf(SEED_NGINX_CONF, dir);
    expect(host).toContain('root html;');
    expect(host).toBe(SEED_NGINX_CONF
      .replace('user nginx;', 'user www-data;')
      .replace('error_log /var/log/nginx/error.log;', 'error_log /tmp/pod/error.log;')
      .replace('http {\n', 'http {\n  access_log /tmp/pod/access.log;\n'));
  });

  test('hostNginxConf moves a pid file and an explicit access log, and keeps a conf without them otherwise as is', () => {
    expect(hostNginxConf('pid /run/nginx.pid;\nevents {}\nhttp {\n  access_log /var/log/nginx/a.log main;\n}\n', dir))
      .toBe('pid /tmp/pod/nginx.pid;\nevents {}\nhttp {\n  access_log /tmp/pod/access.log;\n  access_log /tmp/pod/a.log main;\n}\n');
    expect(hostNginxConf('events {}\n', dir)).toBe('events {}\n');
  });

  test('exporter args: 0.11 takes the presets\' flags unchanged (one or two dashes); a 1.x exporter takes anything', () => {
    for (const s of SCENARIOS) {
      const exporter = one(s.objects, 'Rollout').spec.template.spec.containers.find((c: any) => c.name === 'nginx-exporter');
      expect(exporterArgsFor('0.11.0', exporter.args)).toEqual(exporter.args);
    }
    expect(exporterArgsFor('0.11.0', ['-nginx.scrape-uri=http://a/s', '--nginx.scrape-uri=http://b/s', '--web.listen-address', ':1']))
      .toEqual(['-nginx.scrape-uri=http://a/s', '--nginx.scrape-uri=http://b/s', '--web.listen-address', ':1']);
    expect(exporterArgsFor('1.4.1', ['--log.level=debug'])).toEqual(['--log.level=debug']);
  });

  test('exporter args: 1.x-only spellings are translated for 0.11, and a flag 0.11 lacks is an error', () => {
    expect(exporterArgsFor('0.11.0', ['--no-nginx.ssl-verify', '--prometheus.const-label=a=1', '--prometheus.const-label=b=2']))
      .toEqual(['-nginx.ssl-verify=false', '-prometheus.const-labels=a=1,b=2']);
    expect(() => exporterArgsFor('0.11.0', ['--web.config.file=/etc/web.yml']))
      .toThrow("exporter arg '--web.config.file=/etc/web.yml' has no equivalent in the installed exporter 0.11.0");
  });

  test.each<[string, number[], boolean | string]>([
    ['len(result) > 0 && result[0] == 1', [1], true],
    ['len(result) > 0 && result[0] == 1', [0], false],
    ['len(result) > 0 && result[0] == 1', [], false],
    ['len(result) > 0 && result[0] >= 0', [0.25], true],
    ['len(result) > 0 && result[0] >= 0', [-1], false],
    ['result[0] == 1', [], 'result[0] is out of range (len 0)'],
    ['result[0] < 0.5 && result[1] != 2', [0.4, 3], true],
    ['all(result, {# > 0})', [1], "'all(result, {# > 0})' is not an expression this evaluator knows"],
    ['isNaN(result[0]) || result[0] > 1', [2], 'is not an expression this evaluator knows'],
  ])('successCondition %s over %j', (condition, result, expected) => {
    if (typeof expected === 'string') expect(() => evaluateSuccessCondition(condition, result)).toThrow(expected);
    else expect(evaluateSuccessCondition(condition, result)).toBe(expected);
  });

  test('every successCondition of the default NginxAnalysisTemplate is one the evaluator knows', () => {
    for (const m of ANALYSIS.template.spec.metrics) expect(() => evaluateSuccessCondition(m.successCondition, [1])).not.toThrow();
  });

  test('CI installs exactly these packages (npm run pod-test:setup) before npm test, and sets CI so a gap fails', () => {
    const root = path.join(__dirname, '..', '..');
    const setup = fs.readFileSync(path.join(root, 'scripts', 'pod-test-setup.sh'), 'utf8');
    expect(setup).toContain(`apt-get install -y --no-install-recommends ${POD_TEST_PACKAGES.join(' ')}\n`);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts['pod-test:setup']).toBe('sh scripts/pod-test-setup.sh');
    const ci = fs.readFileSync(path.join(root, '.ci', 'run'), 'utf8').split('\n');
    expect(ci.indexOf('npm run pod-test:setup')).toBeGreaterThan(ci.indexOf('npm ci'));
    expect(ci.indexOf('npm test')).toBeGreaterThan(ci.indexOf('npm run pod-test:setup'));
    expect(ci).toContain('export CI="${CI:-true}"');
  });

  test('substituteArgs fills every {{args.x}} and rejects an argument without a value', () => {
    expect(substituteArgs('up{a="{{args.namespace}}",b="{{ args.latest-hash }}"}', { 'namespace': 'ns', 'latest-hash': 'h' }))
      .toBe('up{a="ns",b="h"}');
    expect(() => substituteArgs('{{args.rollout}}', {})).toThrow('uses args.rollout, which has no value');
  });

  test('the analysis args are wired from the Rollout, and cover every arg the template declares', () => {
    for (const wiring of Object.values(ANALYSIS.args)) {
      const values = resolveArgs(wiring, { metadata: { name: 'r', namespace: 'ns' } }, { Latest: 'new', Stable: 'old' });
      expect(values).toEqual({ 'namespace': 'ns', 'rollout': 'r', 'latest-hash': 'new', 'stable-hash': 'old' });
      expect(Object.keys(values).sort()).toEqual(ANALYSIS.template.spec.args.map((a: any) => a.name).sort());
    }
  });

  test('the Prometheus config keeps the pod, scrapes the annotated port and labels series as Kubernetes SD would', () => {
    const config = prometheusConfig({
      namespace: 'ns', name: 'p', ip: '10.0.0.1', labels: { 'app': 'web', 'rollouts-pod-template-hash': 'h' },
      annotations: { 'prometheus.io/scrape': 'true' }, containers: [{ name: 'a', ports: [{ containerPort: 80 }] }],
    });
    expect(config.scrape_configs[0].static_configs).toEqual([{
      targets: ['10.0.0.1:80'],
      labels: {
        __meta_kubernetes_namespace: 'ns', __meta_kubernetes_pod_name: 'p', __meta_kubernetes_pod_ip: '10.0.0.1',
        __meta_kubernetes_pod_label_app: 'web', __meta_kubernetes_pod_label_rollouts_pod_template_hash: 'h',
        __meta_kubernetes_pod_annotation_prometheus_io_scrape: 'true',
        __meta_kubernetes_pod_container_name: 'a', __meta_kubernetes_pod_container_port_number: '80',
      },
    }]);
    expect(sdLabelName('rollouts-pod-template-hash')).toBe('rollouts_pod_template_hash');
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// The real processes


/** One scenario's pod, running in its own namespace. */
interface RunningPod {
  ns: PodNamespace;
  dir: string;
  nginxTest: { code: number | null; stdout: string; stderr: string };
  exporterArgs: string[];
}

/** What the test reads from a scenario's synthesized objects. */
function podOf(scenario: Scenario) {
  const rollout = one(scenario.objects, 'Rollout');
  const template = rollout.spec.template;
  const podSpec = template.spec;
  // A pod-template-hash as the controller would write it (any stable 10 characters do: queries match it exactly).
  const hash = createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);
  return {
    rollout, template, podSpec, hash,
    stableHash: '0000000000',
    labels: { ...template.metadata.labels, 'rollouts-pod-template-hash': hash },
    namespace: rollout.metadata.namespace ?? 'default',
    nginx: podSpec.containers.find((c: any) => repository(c.image).split('/').pop() === 'nginx'),
    exporter: podSpec.containers.find((c: any) => repository(c.image).endsWith('nginx-prometheus-exporter')),
  };
}

/** The last lines of the pod's logs, for a failure message. */
function logs(dir: string): string {
  return ['nginx.log', 'error.log', 'exporter.log', 'prometheus.log']
    .map((f) => path.join(dir, f)).filter((f) => fs.existsSync(f))
    .map((f) => `--- ${path.basename(f)}\n${fs.readFileSync(f, 'utf8').split('\n').slice(-15).join('\n')}`).join('\n');
}

/**
 * Starts the scenario's pod in a new namespace: Prometheus first (its scrape manager applies targets on a 5 s tick),
 * `nginx -t`, nginx, then the exporter once nginx listens. Every wait is bounded; on failure the namespace is stopped
 * and the error carries the programs' exit states and logs.
 */
async function startPod(scenario: Scenario, dirs: string[]): Promise<RunningPod> {
  const pod = podOf(scenario);
  const { rollout, template, podSpec, nginx, exporter } = pod;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'real-pod-'));
  dirs.push(dir);
  fs.chmodSync(dir, 0o755); // nginx's workers (www-data) and the exporter (1001) write nothing here, but traverse it
  // Every container must be one this test knows how to run: nothing is skipped silently.
  if (!nginx || !exporter || podSpec.containers.length !== 2) {
    throw new Error(`${scenario.title}: containers ${podSpec.containers.map((c: any) => c.image)} are not nginx + exporter`);
  }
  if (nginx.command || nginx.args || exporter.command) {
    throw new Error(`${scenario.title}: a command or nginx args replace the image's entrypoint; not modelled here`);
  }
  const conf = mountedFile(scenario.objects, podSpec, nginx, IMAGE_NGINX_CONF_PATH);
  fs.writeFileSync(path.join(dir, 'nginx.conf'), hostNginxConf(conf, dir));
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), stringify(prometheusConfig({
    namespace: pod.namespace, name: `${rollout.metadata.name}-${pod.hash}-x7k2p`, ip: POD_IP, labels: pod.labels,
    annotations: template.metadata.annotations ?? {}, containers: podSpec.containers,
  })));
  const exporterArgs = exporterArgsFor(exporterVersion(findProgram('prometheus-nginx-exporter')!), exporter.args ?? []);

  const ns = await PodNamespace.start();
  try {
    await ns.start('prometheus', findProgram('prometheus')!, [
      `--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
      `--web.listen-address=${new URL(PROMETHEUS).host}`,
    ], path.join(dir, 'prometheus.log'));
    const nginxArgs = ['-p', IMAGE_NGINX_PREFIX, '-c', path.join(dir, 'nginx.conf')];
    const pid = `pid ${path.join(dir, 'nginx.pid')};`;
    const nginxTest = await ns.run(findProgram('nginx')!, ['-t', ...nginxArgs, '-g', pid]);
    const listening = async (c: any) => {
      for (const p of c.ports ?? []) {
        await waitFor(`${c.name} listening on ${POD_IP}:${p.containerPort}`, 5000, async () => (await ns.tcp(POD_IP, p.containerPort)).connected);
      }
    };
    await ns.start('nginx', findProgram('nginx')!, [...nginxArgs, '-g', `${pid} daemon off;`], path.join(dir, 'nginx.log'));
    await listening(nginx);
    // After nginx listens: 0.11 exits when its first scrape fails (1.x retries), and the kubelet would restart it.
    await ns.start('exporter', findProgram('prometheus-nginx-exporter')!, exporterArgs, path.join(dir, 'exporter.log'), EXPORTER_USER);
    await listening(exporter);
    await waitFor('Prometheus ready', 10000, async () => ((await ns.http(`${PROMETHEUS}/-/ready`)).status === 200 ? true : undefined));
    return { ns, dir, nginxTest, exporterArgs };
  } catch (e) {
    const exits = await ns.exits().catch(() => ({}));
    await ns.stop();
    throw new Error(`${scenario.title}: ${(e as Error).message}\nexits: ${JSON.stringify(exits)}\n${logs(dir)}`);
  }
}

const missing = missingPrerequisites();

if (missing.length > 0) {
  const message = `real-process pod test cannot run here: it needs ${missing.join(', ')}. As root, ${INSTALL_HINT}.`;
  if (process.env.CI && process.env.CI !== 'false') {
    test('real-process pod test prerequisites (required when CI is set)', () => {
      throw new Error(message);
    });
  } else {
    // eslint-disable-next-line no-console
    console.log(`SKIPPED ${message}`);
    test.skip('real-process pod test (skipped: see the message above)', () => undefined);
  }
} else {
  // The pods start together, each in its own namespace (so each has its own ports 80, 9113 and 9090), which overlaps
  // the Prometheus waits; each scenario's tests then read its own pod.
  const dirs: string[] = [];
  const started = new Map<Scenario, Promise<RunningPod>>();
  beforeAll(async () => {
    for (const s of SCENARIOS) started.set(s, startPod(s, dirs));
    await Promise.allSettled(started.values());
  }, 30000);
  afterAll(async () => {
    const pods = await Promise.allSettled(started.values());
    await Promise.all(pods.map((p) => (p.status === 'fulfilled' ? p.value.ns.stop() : undefined)));
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  describe.each(SCENARIOS)('the pod of $title, run for real', (scenario) => {
    const { rollout, template, podSpec, hash, stableHash, namespace, exporter } = podOf(scenario);
    const running = () => started.get(scenario)!;

    test('nginx -t accepts the ConfigMap\'s nginx.conf (run as the image runs it, paths moved for the host)', async () => {
      const { nginxTest } = await running();
      expect(mountedFile(scenario.objects, podSpec, podOf(scenario).nginx, IMAGE_NGINX_CONF_PATH)).toBe(scenario.nginxConf);
      expect({ code: nginxTest.code, stderr: nginxTest.stderr }).toEqual({ code: 0, stderr: expect.stringContaining('test is successful') });
    });

    if (scenario.nginxConf === DEFAULT_NGINX_CONF) {
      test('nginx serves the image\'s page at / with 200', async () => {
        const r = await (await running()).ns.http(`http://${POD_IP}/`);
        expect(r.status).toBe(200);
        expect(r.body).toContain('<title>Welcome to nginx!</title>');
      });
    } else {
      test('the seed nginx.conf answers / with 404 (root html is /etc/nginx/html in the image): why the default changed', async () => {
        expect((await (await running()).ns.http(`http://${POD_IP}/`)).status).toBe(404);
      });
    }

    test('nginx serves stub_status at /nginx_status to localhost only', async () => {
      const { ns } = await running();
      const local = await ns.http(`http://${POD_IP}/nginx_status`);
      expect(local.status).toBe(200);
      expect(local.body).toMatch(/^Active connections: \d+/);
      // Any other source address (another pod, the kubelet, a Service) is denied.
      expect((await ns.http(`http://${POD_IP}/nginx_status`, { localAddress: '127.0.0.2' })).status).toBe(403);
    });

    test('the exporter runs with the sidecar\'s args and reports nginx_up 1', async () => {
      const { ns, exporterArgs } = await running();
      expect(exporterArgs).toEqual(exporter.args); // 0.11 takes the presets' flags as they are (see the helpers' tests)
      const r = await ns.http(`http://${POD_IP}:${exporter.ports[0].containerPort}/metrics`);
      expect(r.status).toBe(200);
      expect(r.body).toMatch(/^nginx_up 1$/m);
      expect(await ns.exits()).toEqual({ prometheus: null, nginx: null, exporter: null });
    });

    test('every probe of the pod template passes as the kubelet runs it', async () => {
      const { ns } = await running();
      const probes = podSpec.containers.flatMap((c: any) => ['startupProbe', 'readinessProbe', 'livenessProbe']
        .filter((k) => c[k]).map((k) => ({ c, k, probe: c[k] })));
      expect(probes.map(({ c, k }: any) => `${c.name} ${k}`)).toEqual([
        'nginx readinessProbe', 'nginx livenessProbe', 'nginx-exporter readinessProbe', 'nginx-exporter livenessProbe',
      ]);
      const failures: string[] = [];
      for (const { c, k, probe } of probes) {
        const failure = await runProbe(ns, c, probe, POD_IP);
        if (failure) failures.push(`${c.name} ${k}: ${failure}`);
      }
      expect(failures).toEqual([]);
    });

    test('Prometheus scrapes the exporter with the pod\'s labels, and every AnalysisTemplate query meets its successCondition', async () => {
      const { ns } = await running();
      // Two scrapes at least, so that rate() has two samples; the wait is on the data, not on what is asserted.
      await waitFor('two scrapes of the pod', 15000, async () => {
        const n = await promQuery(ns, PROMETHEUS, 'count_over_time(up{job="kubernetes-pods"}[1m])');
        return n.length > 0 && Math.min(...n) >= 2 ? n : undefined;
      });
      const selector = `namespace="${namespace}",pod=~".+",rollouts_pod_template_hash="${hash}",${
        Object.entries(template.metadata.labels).map(([k, v]) => `${sdLabelName(k)}="${v}"`).join(',')}`;
      expect(await promQuery(ns, PROMETHEUS, `up{${selector}}`)).toEqual([1]);

      const args = resolveArgs(ANALYSIS.args[scenario.strategy], rollout, { Latest: hash, Stable: stableHash });
      const metrics = ANALYSIS.template.spec.metrics;
      expect(metrics.map((m: any) => m.name)).toEqual(['nginx-up', 'request-rate']);
      const measure = async (values: Record<string, string>) => Promise.all(metrics.map(async (m: any) => {
        const result = await promQuery(ns, m.provider.prometheus.address, substituteArgs(m.provider.prometheus.query, values));
        return { metric: m.name, result, success: evaluateSuccessCondition(m.successCondition, result) };
      }));
      const measured = await measure(args);
      expect(measured.map((m) => [m.metric, m.success])).toEqual(metrics.map((m: any) => [m.name, true]));
      expect(measured[0].result).toEqual([1]);
      // The same queries for pods that do not exist (another hash) fail: the queries really select by the pod's labels.
      const other = await measure({ ...args, 'latest-hash': stableHash });
      expect(other.map((m) => m.success)).toEqual(metrics.map(() => false));
    });
  });
}
