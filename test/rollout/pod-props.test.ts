/**
 * The pod props and pod methods of the general Rollout take the app's own cdk8s-plus objects of any major
 * (lib/rollout/pod-props.ts). The cdk8s-plus-33 builder below has no casts: `npm run typecheck` compiles it, which it
 * did not before (TS2322/TS2345: each major's `Volume`, `EnvFrom`, `Probe`, `Handler`, `Container`, node query and
 * `LabelSelector` classes are distinct types, and the Rollout was no cdk8s-plus-33 `IScalable` nor `IPodSelector`). What the objects of either major render is the
 * same YAML.
 */
import { Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus27 from 'cdk8s-plus-27';
import * as kplus33 from 'cdk8s-plus-33';
import { Rollout, RolloutStrategy } from '../../lib';
import { one, synthChart } from '../support/synth';

const IMAGE = 'ghcr.io/acme/api:1.2.3';

/**
 * An HTTP API with env from a ConfigMap and a Secret, volumes, probes, a preStop hook, a service account, an HPA,
 * scheduling (node affinity, a toleration, pod affinity and anti-affinity) and an extra selector label.
 */
function apiWith33(chart: Chart): Rollout {
  const kplus = kplus33;
  const cm = new kplus.ConfigMap(chart, 'settings', { metadata: { name: 'api-settings' }, data: { MODE: 'fast' } });
  const secret = new kplus.Secret(chart, 'token', { metadata: { name: 'api-token' }, stringData: { token: 't' } });
  const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'api' } });
  const tmp = kplus.Volume.fromEmptyDir(chart, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) });
  const conf = kplus.Volume.fromConfigMap(chart, 'conf', cm, { name: 'conf' });
  const cache = kplus.Volume.fromEmptyDir(chart, 'cache', 'cache');
  const r = new Rollout(chart, 'api', {
    metadata: { name: 'api' },
    serviceAccount: sa,
    dockerRegistryAuth: secret,
    volumes: [tmp],
    containers: [{
      image: IMAGE,
      portNumber: 8080,
      envVariables: { TOKEN: kplus.EnvValue.fromSecretValue({ secret, key: 'token' }), LEVEL: kplus.EnvValue.fromValue('info') },
      envFrom: [kplus.Env.fromConfigMap(cm), kplus.Env.fromSecret(secret)],
      volumeMounts: [{ path: '/tmp', volume: tmp }, { path: '/etc/api', volume: conf, readOnly: true }],
      readiness: kplus.Probe.fromHttpGet('/healthz'),
      liveness: kplus.Probe.fromTcpSocket({ periodSeconds: Duration.seconds(20) }),
      startup: kplus.Probe.fromCommand(['cat', '/tmp/ready']),
      lifecycle: { preStop: kplus.Handler.fromCommand(['sleep', '5']) },
      resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { limit: Size.mebibytes(256) } },
    }],
    strategy: RolloutStrategy.canary(),
  });
  r.addVolume(cache);
  r.addContainer({ name: 'sidecar', image: 'busybox:1.36', envFrom: [kplus.Env.fromConfigMap(cm)] }).mount('/cache', cache);
  r.containers[0].mount('/var/cache', cache);
  r.addInitContainer({ name: 'init', image: 'busybox:1.36', volumeMounts: [{ path: '/cache', volume: cache }] });
  new kplus.HorizontalPodAutoscaler(chart, 'hpa', { metadata: { name: 'api' }, target: r, maxReplicas: 5 });
  const db = new kplus.Deployment(chart, 'db', { metadata: { name: 'db' }, containers: [{ image: 'postgres:16' }] });
  r.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('disk', 'ssd')));
  r.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.exists('gpu')));
  r.scheduling.colocate(db, { topology: kplus.Topology.ZONE, weight: 50 });
  r.scheduling.separate(kplus.Pods.select(chart, 'batch', { labels: { tier: 'batch' } }));
  r.podMetadata.addLabel('tier', 'api');
  r.select(kplus.LabelSelector.of({ labels: { tier: 'api' } }));
  // The Rollout as the app's own pod selector.
  new kplus.Service(chart, 'all', { metadata: { name: 'api-all' }, selector: r, ports: [{ port: 80, targetPort: 8080 }] });
  db.scheduling.separate(r);
  return r;
}

/**
 * The same, with cdk8s-plus-27's objects (as the Rollout always took them). A copy on purpose, not a function of the
 * module: what is tested is that each major's own classes type-check at each call, and a parameter typed as either
 * module would make TypeScript check a union instead.
 */
function apiWith27(chart: Chart): Rollout {
  const kplus = kplus27;
  const cm = new kplus.ConfigMap(chart, 'settings', { metadata: { name: 'api-settings' }, data: { MODE: 'fast' } });
  const secret = new kplus.Secret(chart, 'token', { metadata: { name: 'api-token' }, stringData: { token: 't' } });
  const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'api' } });
  const tmp = kplus.Volume.fromEmptyDir(chart, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) });
  const conf = kplus.Volume.fromConfigMap(chart, 'conf', cm, { name: 'conf' });
  const cache = kplus.Volume.fromEmptyDir(chart, 'cache', 'cache');
  const r = new Rollout(chart, 'api', {
    metadata: { name: 'api' },
    serviceAccount: sa,
    dockerRegistryAuth: secret,
    volumes: [tmp],
    containers: [{
      image: IMAGE,
      portNumber: 8080,
      envVariables: { TOKEN: kplus.EnvValue.fromSecretValue({ secret, key: 'token' }), LEVEL: kplus.EnvValue.fromValue('info') },
      envFrom: [kplus.Env.fromConfigMap(cm), kplus.Env.fromSecret(secret)],
      volumeMounts: [{ path: '/tmp', volume: tmp }, { path: '/etc/api', volume: conf, readOnly: true }],
      readiness: kplus.Probe.fromHttpGet('/healthz'),
      liveness: kplus.Probe.fromTcpSocket({ periodSeconds: Duration.seconds(20) }),
      startup: kplus.Probe.fromCommand(['cat', '/tmp/ready']),
      lifecycle: { preStop: kplus.Handler.fromCommand(['sleep', '5']) },
      resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { limit: Size.mebibytes(256) } },
    }],
    strategy: RolloutStrategy.canary(),
  });
  r.addVolume(cache);
  r.addContainer({ name: 'sidecar', image: 'busybox:1.36', envFrom: [kplus.Env.fromConfigMap(cm)] }).mount('/cache', cache);
  r.containers[0].mount('/var/cache', cache);
  r.addInitContainer({ name: 'init', image: 'busybox:1.36', volumeMounts: [{ path: '/cache', volume: cache }] });
  new kplus.HorizontalPodAutoscaler(chart, 'hpa', { metadata: { name: 'api' }, target: r, maxReplicas: 5 });
  const db = new kplus.Deployment(chart, 'db', { metadata: { name: 'db' }, containers: [{ image: 'postgres:16' }] });
  r.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('disk', 'ssd')));
  r.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.exists('gpu')));
  r.scheduling.colocate(db, { topology: kplus.Topology.ZONE, weight: 50 });
  r.scheduling.separate(kplus.Pods.select(chart, 'batch', { labels: { tier: 'batch' } }));
  r.podMetadata.addLabel('tier', 'api');
  r.select(kplus.LabelSelector.of({ labels: { tier: 'api' } }));
  // The Rollout as the app's own pod selector.
  new kplus.Service(chart, 'all', { metadata: { name: 'api-all' }, selector: r, ports: [{ port: 80, targetPort: 8080 }] });
  db.scheduling.separate(r);
  return r;
}

describe('Rollout: pod objects of the app\'s own cdk8s-plus major', () => {
  test('cdk8s-plus-33 objects give the Rollout the cdk8s-plus-27 objects give, field for field', () => {
    const with33 = synthChart((c) => apiWith33(c));
    const with27 = synthChart((c) => apiWith27(c));
    const rollout = one(with33, 'Rollout', 'api');
    expect(rollout).toEqual(one(with27, 'Rollout', 'api'));

    // Everything of the pod is there: the env sources, the three volumes and their mounts, the probes, the hook.
    const pod = rollout.spec.template.spec;
    expect(pod.serviceAccountName).toBe('api');
    expect(pod.imagePullSecrets).toEqual([{ name: 'api-token' }]);
    expect(pod.volumes.map((v: any) => v.name).sort()).toEqual(['cache', 'conf', 'tmp']);
    const [main, sidecar] = pod.containers;
    expect(main.envFrom).toEqual([{ configMapRef: { name: 'api-settings' } }, { secretRef: { name: 'api-token' } }]);
    expect(main.env).toEqual(expect.arrayContaining([{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-token', key: 'token' } } }]));
    expect(main.volumeMounts.map((m: any) => [m.mountPath, m.name])).toEqual([['/tmp', 'tmp'], ['/etc/api', 'conf'], ['/var/cache', 'cache']]);
    expect(main.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8080, scheme: 'HTTP' });
    expect(main.livenessProbe).toMatchObject({ tcpSocket: { port: 8080 }, periodSeconds: 20 });
    expect(main.startupProbe.exec).toEqual({ command: ['cat', '/tmp/ready'] });
    expect(main.lifecycle.preStop).toEqual({ exec: { command: ['sleep', '5'] } });
    expect(sidecar.volumeMounts).toEqual([{ mountPath: '/cache', name: 'cache' }]);
    expect(pod.initContainers[0].volumeMounts).toEqual([{ mountPath: '/cache', name: 'cache' }]);

    expect(pod.tolerations).toEqual([{ key: 'gpu', operator: 'Exists' }]);
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
      .toEqual([{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }]);
    expect(pod.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0])
      .toMatchObject({ weight: 50, podAffinityTerm: { topologyKey: 'topology.kubernetes.io/zone' } });
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution)
      .toEqual([{ labelSelector: { matchLabels: { tier: 'batch' } }, topologyKey: 'kubernetes.io/hostname' }]);
    expect(rollout.spec.selector.matchLabels).toMatchObject({ tier: 'api' });
  });

  test('the Rollout is a pod selector of cdk8s-plus-33: a Service selects its pods, a Deployment keeps away from them', () => {
    const objects = synthChart((c) => apiWith33(c));
    // cdk8s-plus selects a workload's pods by their address label only (`toPodSelectorConfig`), not by every label.
    const address = one(objects, 'Rollout', 'api').spec.template.metadata.labels['cdk8s.io/metadata.addr'];
    const selector = { 'cdk8s.io/metadata.addr': address };
    expect(address).toEqual(expect.any(String));
    expect(one(objects, 'Service', 'api-all').spec.selector).toEqual(selector);
    expect(one(objects, 'Deployment', 'db').spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution)
      .toEqual([{ labelSelector: { matchLabels: selector }, topologyKey: 'kubernetes.io/hostname' }]);
    const with27 = synthChart((c) => apiWith27(c));
    expect(one(with27, 'Service', 'api-all').spec.selector).toEqual(selector);
  });

  test('a cdk8s-plus-33 HorizontalPodAutoscaler targets the Rollout, which then leaves replicas to it', () => {
    const objects = synthChart((c) => apiWith33(c));
    expect(one(objects, 'HorizontalPodAutoscaler', 'api').spec.scaleTargetRef)
      .toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'api' });
    expect(one(objects, 'Rollout', 'api').spec.replicas).toBeUndefined();
  });

  test('the other objects (ConfigMap, Secret, ServiceAccount, HPA) are each major\'s own: the same kinds and names', () => {
    const names = (objects: any[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(names(synthChart((c) => apiWith33(c)))).toEqual(names(synthChart((c) => apiWith27(c))));
  });
});

describe('Rollout: pod objects from plain JavaScript are checked for what cdk8s-plus calls on them', () => {
  // Each was a TypeError at synth naming nothing (`vol._toKube is not a function`, `storage.asVolume is not a function`,
  // `this._readiness._toKube is not a function`, ...), or, for the mounts, a crash inside cdk8s-plus' constructor.
  const build = (props: (chart: Chart) => any) => () => synthChart((c) => new Rollout(c, 'api', props(c)));
  const configMap = (c: Chart) => new kplus27.ConfigMap(c, 'conf', { data: { a: '1' } });

  test.each<[string, (c: Chart) => any, string]>([
    ['a ConfigMap where a Volume goes', (c) => ({ volumes: [configMap(c)] }),
      "volumes[0] is a ConfigMap; it must be a cdk8s-plus Volume, such as kplus.Volume.fromConfigMap(chart, 'conf', configMap)"],
    ['a volume as a plain object', () => ({ volumes: [{ name: 'tmp', emptyDir: {} }] }),
      'volumes[0] is {"name":"tmp","emptyDir":{}}; it must be a cdk8s-plus Volume, such as kplus.Volume.fromConfigMap(chart, \'conf\', configMap)'],
    ['a ConfigMap where an EnvFrom goes', (c) => ({ containers: [{ image: IMAGE, envFrom: [configMap(c)] }] }),
      'containers[0].envFrom[0] is a ConfigMap; it must be a cdk8s-plus EnvFrom: kplus.Env.fromConfigMap(configMap) or kplus.Env.fromSecret(secret)'],
    ['envFrom as a string', () => ({ containers: [{ image: IMAGE, envFrom: 'settings' }] }),
      "containers[0].envFrom is 'settings'; it must be a list"],
    ['a mount of a volume given by name', () => ({ initContainers: [{ image: IMAGE, volumeMounts: [{ path: '/tmp', volume: 'tmp' }] }] }),
      "initContainers[0].volumeMounts[0].volume is 'tmp'; it must be a cdk8s-plus Volume, such as kplus.Volume.fromConfigMap(chart, 'conf', configMap)"],
    ['a mount without a volume', () => ({ containers: [{ image: IMAGE, volumeMounts: [{ path: '/tmp' }] }] }),
      "containers[0].volumeMounts[0].volume is undefined; it must be a cdk8s-plus Volume, such as kplus.Volume.fromConfigMap(chart, 'conf', configMap)"],
    ['a readiness probe given as a path', () => ({ containers: [{ image: IMAGE, readiness: '/healthz' }] }),
      "containers[0].readiness is '/healthz'; it must be a cdk8s-plus Probe, such as kplus.Probe.fromHttpGet('/healthz')"],
    ['a liveness probe as a plain object', () => ({ containers: [{ image: IMAGE, liveness: { httpGet: { path: '/' } } }] }),
      'containers[0].liveness is {"httpGet":{"path":"/"}}; it must be a cdk8s-plus Probe, such as kplus.Probe.fromHttpGet(\'/healthz\')'],
    ['a preStop hook given as a command', () => ({ containers: [{ image: IMAGE, lifecycle: { preStop: ['sleep', '5'] } }] }),
      'containers[0].lifecycle.preStop is ["sleep","5"]; it must be a cdk8s-plus Handler, such as kplus.Handler.fromCommand([\'sleep\', \'5\'])'],
  ])('%s is an error naming the construct, the prop, the value and the rule', (_, props, message) => {
    expect(build(props)).toThrow(`Rollout 'test/api': ${message}`);
  });

  test.each<[string, (r: Rollout, c: Chart) => unknown, string]>([
    ['addVolume of a ConfigMap', (r, c) => r.addVolume(configMap(c) as any),
      "volumes[0] is a ConfigMap; it must be a cdk8s-plus Volume, such as kplus.Volume.fromConfigMap(chart, 'conf', configMap)"],
    ['addVolume of nothing', (r) => r.addVolume(undefined as any),
      "volumes[0] is null; it must be a cdk8s-plus Volume, such as kplus.Volume.fromConfigMap(chart, 'conf', configMap)"],
    ['addContainer with a probe given as a path', (r) => r.addContainer({ image: IMAGE, readiness: '/healthz' as any }),
      "containers[1].readiness is '/healthz'; it must be a cdk8s-plus Probe, such as kplus.Probe.fromHttpGet('/healthz')"],
    ['addContainer of null', (r) => r.addContainer(null as any), 'containers[1] is null; it must be an object'],
    ['addInitContainer with an image that is a number', (r) => r.addInitContainer({ image: 5 as any }),
      'initContainers[0].image is 5; it must be a string'],
    ['addInitContainer with a mount of a volume given by name', (r) => r.addInitContainer({ image: IMAGE, volumeMounts: [{ path: '/x', volume: 'x' as any }] }),
      "initContainers[0].volumeMounts[0].volume is 'x'; it must be a cdk8s-plus Volume, such as kplus.Volume.fromConfigMap(chart, 'conf', configMap)"],
  ])('%s after construction is an error at the call, naming the construct', (_, call, message) => {
    const chart = Testing.chart();
    const r = new Rollout(chart, 'api', { containers: [{ image: IMAGE, portNumber: 8080 }] });
    expect(() => call(r, chart)).toThrow(`Rollout '${chart.node.path}/api': ${message}`);
  });

  test('objects of cdk8s-plus-33 pass the checks by their shape (no instanceof of one major)', () => {
    expect(() => synthChart((c) => apiWith33(c))).not.toThrow();
  });

  test('every bad pod object is reported at once, before cdk8s-plus reads any', () => {
    const chart = Testing.chart();
    expect(() => new Rollout(chart, 'api', {
      volumes: [{ name: 'a' } as any],
      containers: [{ image: IMAGE, readiness: 'x' as any, lifecycle: { postStart: 'y' as any } }],
    })).toThrow(/3 invalid props:\n {2}- volumes\[0\].*\n {2}- containers\[0\]\.readiness.*\n {2}- containers\[0\]\.lifecycle\.postStart/);
    expect(chart.node.children).toHaveLength(0);
  });
});
