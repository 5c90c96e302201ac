import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BlueGreenNginxRollout, CanaryNginxRollout } from '../../lib';
import { validateObjects } from '../../lib/rules';
import { defaultPullPolicy } from '../../lib/nginx/nginx-pod';
import { renderOwned } from '../../lib/rollout/render';
import { validateWithSchemaLibrary } from '../support/schema';
import { one, synthChart } from '../support/synth';

const pod = (objects: any[]) => one(objects, 'Rollout').spec.template.spec;
/** The preset's pod with no additions, to compare a pod with additions against field by field. */
const plainPod = () => pod(synthChart((chart) => new CanaryNginxRollout(chart, 'web', { name: 'web' })));
const without = (o: Record<string, unknown>, ...keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

/** The nginx container and the exporter sidecar as cdk8s-plus Containers of the workload (issue 10). */
describe('the presets\' containers through the pod API', () => {
  test.each([
    ['CanaryNginxRollout', (c: Chart) => new CanaryNginxRollout(c, 'web', { name: 'web', image: 'nginx:1.27.3', exporterImage: 'nginx/nginx-prometheus-exporter:0.11.0' })],
    ['BlueGreenNginxRollout', (c: Chart) => new BlueGreenNginxRollout(c, 'web', { name: 'web', image: 'nginx:1.27.3', exporterImage: 'nginx/nginx-prometheus-exporter:0.11.0' })],
  ] as const)('%s: nginx and the exporter are the first and second of containers, holding what the preset writes', (_, create) => {
    const web = create(new Chart(Testing.app(), 'test'));
    expect(web.containers).toEqual([web.nginxContainer, web.exporterContainer]);
    expect(web.nginxContainer).toBeInstanceOf(kplus.Container);
    const nginx = web.nginxContainer;
    expect([nginx.name, nginx.image, nginx.ports.map((p) => p.number)]).toEqual(['nginx', 'nginx:1.27.3', [80]]);
    expect(nginx.mounts.map((m) => [m.path, m.volume, m.subPath, m.readOnly])).toEqual([['/etc/nginx/nginx.conf', web.configVolume, 'nginx.conf', true]]);
    expect(web.configVolume.name).toBe('nginx-conf');
    expect(nginx.securityContext.ensureNonRoot).toBe(false);
    expect(nginx.resources?.cpu?.limit?.amount).toBe('500m');
    const exporter = web.exporterContainer;
    expect([exporter.name, exporter.image, exporter.args, exporter.ports.map((p) => p.number)])
      .toEqual(['nginx-exporter', 'nginx/nginx-prometheus-exporter:0.11.0', ['-nginx.scrape-uri=http://localhost/nginx_status'], [9113]]);
    expect(exporter.securityContext).toMatchObject({ ensureNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    // The preset writes no pull policy: the objects say what the API server then sets.
    expect([nginx.imagePullPolicy, exporter.imagePullPolicy]).toEqual([kplus.ImagePullPolicy.IF_NOT_PRESENT, kplus.ImagePullPolicy.IF_NOT_PRESENT]);
    expect(web.toScalingTarget().containers).toEqual([nginx, exporter]);
  });

  test('a container added before the preset\'s are first asked for still comes after them, in containers and in the pod', () => {
    const chart = new Chart(Testing.app(), 'test', { disableResourceNameHashes: true });
    const web = new CanaryNginxRollout(chart, 'web', { name: 'web' });
    const side = web.addContainer({ name: 'side', image: 'busybox:1.36', resources: {} });
    expect(web.containers).toEqual([web.nginxContainer, web.exporterContainer, side]);
    web.nginxContainer.env.addVariable('A', kplus.EnvValue.fromValue('1'));
    expect(pod(Testing.synth(chart)).containers.map((c: any) => [c.name, c.env])).toEqual([
      ['nginx', [{ name: 'A', value: '1' }]], ['nginx-exporter', undefined], ['side', undefined],
    ]);
  });

  test('the pull policy the API server defaults to: Always for latest or no tag, else IfNotPresent', () => {
    expect(defaultPullPolicy('nginx')).toBe(kplus.ImagePullPolicy.ALWAYS);
    expect(defaultPullPolicy('nginx:latest')).toBe(kplus.ImagePullPolicy.ALWAYS);
    expect(defaultPullPolicy('registry.example.com:5000/web/nginx')).toBe(kplus.ImagePullPolicy.ALWAYS);
    expect(defaultPullPolicy('registry.example.com:5000/web/nginx:1.28.0')).toBe(kplus.ImagePullPolicy.IF_NOT_PRESENT);
    expect(defaultPullPolicy(`nginx@sha256:${'a'.repeat(64)}`)).toBe(kplus.ImagePullPolicy.IF_NOT_PRESENT);
    expect(defaultPullPolicy(`nginx:latest@sha256:${'a'.repeat(64)}`)).toBe(kplus.ImagePullPolicy.ALWAYS);
  });

  test('env vars and env from a ConfigMap added to nginx after construction are written on nginx, and nothing else changes', () => {
    const objects = synthChart((chart) => {
      // Before the Rollout, as for any workload: the configmap-order rule (the pods would not start without it).
      const cm = new kplus.ConfigMap(chart, 'env', { metadata: { name: 'web-env' }, data: { A: '1' } });
      const web = new CanaryNginxRollout(chart, 'web', { name: 'web' });
      web.nginxContainer.env.addVariable('TZ', kplus.EnvValue.fromValue('UTC'));
      web.nginxContainer.env.addVariable('POD', kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME));
      web.nginxContainer.env.copyFrom(kplus.Env.fromConfigMap(cm, 'CFG_'));
    });
    const [nginx, exporter] = pod(objects).containers;
    const [plainNginx, plainExporter] = plainPod().containers;
    expect(nginx.env).toEqual([{ name: 'TZ', value: 'UTC' }, { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]);
    expect(nginx.envFrom).toEqual([{ configMapRef: { name: 'web-env' }, prefix: 'CFG_' }]);
    expect(without(nginx, 'env', 'envFrom')).toEqual(plainNginx);
    expect(exporter).toEqual(plainExporter);
    expect(validateObjects(objects)).toEqual([]);
    expect(validateWithSchemaLibrary(objects).filter((r) => r.error)).toEqual([]);
  });

  test('env from a Secret and an env var added to the exporter are written on the exporter', () => {
    const objects = synthChart((chart) => {
      const secret = new kplus.Secret(chart, 'auth', { metadata: { name: 'web-auth' }, stringData: { PASSWORD: 'x' } });
      const web = new BlueGreenNginxRollout(chart, 'web', { name: 'web' });
      web.exporterContainer.env.addVariable('SSL_VERIFY', kplus.EnvValue.fromValue('false'));
      web.exporterContainer.env.copyFrom(kplus.Env.fromSecret(secret));
    });
    const [nginx, exporter] = pod(objects).containers;
    expect(exporter.env).toEqual([{ name: 'SSL_VERIFY', value: 'false' }]);
    expect(exporter.envFrom).toEqual([{ secretRef: { name: 'web-auth' } }]);
    expect(nginx).not.toHaveProperty('env');
    expect(validateObjects(objects)).toEqual([]);
  });

  test('a mount and a port added to nginx follow the preset\'s own; a volume mounted twice and added is in volumes once', () => {
    const objects = synthChart((chart) => {
      const web = new CanaryNginxRollout(chart, 'web', { name: 'web' });
      const cache = kplus.Volume.fromEmptyDir(chart, 'cache', 'cache');
      web.nginxContainer.mount('/var/cache/nginx', cache);
      web.exporterContainer.mount('/tmp', cache, { readOnly: true });
      web.addVolume(cache);
      web.nginxContainer.addPort({ number: 443, name: 'https' });
    });
    const spec = pod(objects);
    const [nginx, exporter] = spec.containers;
    const [plainNginx] = plainPod().containers;
    expect(nginx.volumeMounts).toEqual([...plainNginx.volumeMounts, { name: 'cache', mountPath: '/var/cache/nginx' }]);
    expect(nginx.ports).toEqual([{ containerPort: 80 }, { containerPort: 443, name: 'https' }]);
    expect(exporter.volumeMounts).toEqual([{ name: 'cache', mountPath: '/tmp', readOnly: true }]);
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['nginx-conf', 'cache']);
    expect(spec.volumes[0]).toEqual(plainPod().volumes[0]);
    expect(validateObjects(objects)).toEqual([]);
    expect(validateWithSchemaLibrary(objects).filter((r) => r.error)).toEqual([]);
  });

  test('a preset with additions is written the same by the fast path of synthYaml as by cdk8s\' own toJson', () => {
    const chart = new Chart(Testing.app(), 'test', { disableResourceNameHashes: true });
    const secret = new kplus.Secret(chart, 'auth', { metadata: { name: 'web-auth' }, stringData: { PASSWORD: 'x' } });
    const web = new CanaryNginxRollout(chart, 'web', { name: 'web' });
    web.nginxContainer.env.addVariable('MEM', kplus.EnvValue.fromResource(kplus.ResourceFieldPaths.MEMORY_LIMIT, { divisor: '1Mi' }));
    web.nginxContainer.env.addVariable('PASSWORD', kplus.EnvValue.fromSecretValue({ secret, key: 'PASSWORD' }, { optional: true }));
    web.nginxContainer.addPort({ number: 443, name: 'https', protocol: kplus.Protocol.TCP, hostPort: 8443 });
    web.nginxContainer.mount('/var/cache/nginx', kplus.Volume.fromEmptyDir(chart, 'cache', 'cache', { sizeLimit: Size.mebibytes(64) }), { subPathExpr: '$(POD)' });
    web.exporterContainer.env.copyFrom(kplus.Env.fromSecret(secret));
    const object = web.rollout;
    expect(JSON.stringify(renderOwned(object))).toBe(JSON.stringify(object.toJson()));
    expect(object.toJson().spec.template.spec.containers[0].env[0].valueFrom.resourceFieldRef).toEqual({ divisor: '1Mi', resource: 'limits.memory' });
  });

  test('configVolume mounted into another container (a config reloader) is in volumes once, as the preset writes it', () => {
    const spec = pod(synthChart((chart) => {
      const web = new CanaryNginxRollout(chart, 'web', { name: 'web' });
      web.addContainer({ name: 'reloader', image: 'busybox:1.36', resources: {} }).mount('/etc/nginx', web.configVolume, { readOnly: true });
    }));
    expect(spec.volumes).toEqual(plainPod().volumes);
    expect(spec.containers[2].volumeMounts).toEqual([{ name: 'nginx-conf', mountPath: '/etc/nginx', readOnly: true }]);
  });

  test('additions made after other mutators and after the Services exist are still written (the spec is rendered at synth)', () => {
    const chart = new Chart(Testing.app(), 'test', { disableResourceNameHashes: true });
    const web = new CanaryNginxRollout(chart, 'web', { name: 'web', canaryServices: true });
    const before = pod(Testing.synth(chart)).containers[0];
    expect(before).not.toHaveProperty('env');
    web.exposeViaService({ name: 'web', ports: [{ port: 80, targetPort: 80 }] });
    web.nginxContainer.env.addVariable('LATE', kplus.EnvValue.fromValue('1'));
    expect(pod(Testing.synth(chart)).containers[0].env).toEqual([{ name: 'LATE', value: '1' }]);
  });
});

describe('bad additions to the presets\' containers name the construct, the prop, the value and the rule', () => {
  const newWeb = () => {
    const chart = new Chart(Testing.app(), 'test', { disableResourceNameHashes: true });
    return { chart, web: new CanaryNginxRollout(chart, 'web', { name: 'web' }) };
  };

  test('a mount over nginx.conf', () => {
    const { chart, web } = newWeb();
    expect(() => web.nginxContainer.mount('/etc/nginx/nginx.conf', kplus.Volume.fromEmptyDir(chart, 'v', 'v'))).toThrow(
      "CanaryNginxRollout 'test/web': nginxContainer.mount path is '/etc/nginx/nginx.conf'; the preset mounts nginx.conf there " +
      "(a container's mount paths must be unique); give the config as the nginxConf prop");
    expect(web.nginxContainer.mounts).toHaveLength(1);
  });

  test('plain JavaScript mounting something that is no storage (null, a ConfigMap)', () => {
    const { chart, web } = newWeb();
    expect(() => web.nginxContainer.mount('/x', null as any)).toThrow(
      "CanaryNginxRollout 'test/web': nginxContainer.mount storage is null; it must be a cdk8s-plus Volume (or other IStorage), such as kplus.Volume.fromEmptyDir(chart, id, name)");
    expect(() => web.exporterContainer.mount('/x', new kplus.ConfigMap(chart, 'cm') as any)).toThrow(/exporterContainer\.mount storage is .*; it must be a cdk8s-plus Volume/);
    expect(web.nginxContainer.mounts).toHaveLength(1);
    expect(web.exporterContainer.mounts).toHaveLength(0);
  });

  test('a second mount at a path a container mounts already', () => {
    const { chart, web } = newWeb();
    web.exporterContainer.mount('/tmp', kplus.Volume.fromEmptyDir(chart, 'a', 'a'));
    expect(() => web.exporterContainer.mount('/tmp', kplus.Volume.fromEmptyDir(chart, 'b', 'b'))).toThrow(
      "CanaryNginxRollout 'test/web': exporterContainer.mount path is '/tmp'; this container mounts a volume there already (a container's mount paths must be unique)");
  });

  test('a port the preset\'s container listens on already; another protocol on that number is fine', () => {
    const { web } = newWeb();
    expect(() => web.nginxContainer.addPort({ number: 80 })).toThrow(
      "CanaryNginxRollout 'test/web': nginxContainer.addPort number is 80; the preset's nginx container listens on 80/TCP already " +
      "(a container's ports must differ in number or protocol)");
    expect(() => web.exporterContainer.addPort({ number: 9113, protocol: kplus.Protocol.TCP })).toThrow(
      "CanaryNginxRollout 'test/web': exporterContainer.addPort number is 9113; the preset's nginx-exporter container listens on 9113/TCP already");
    web.nginxContainer.addPort({ number: 80, protocol: kplus.Protocol.UDP, name: 'quic' });
    expect(() => web.nginxContainer.addPort({ number: 80, protocol: kplus.Protocol.UDP })).toThrow(
      "CanaryNginxRollout 'test/web': nginxContainer.addPort number is 80; the container has port 80/UDP already");
  });

  test('another volume named like the preset\'s nginx.conf volume, mounted or added, fails at synth', () => {
    const mounted = newWeb();
    mounted.web.addContainer({ name: 'side', image: 'busybox:1.36', resources: {} }).mount('/x', kplus.Volume.fromEmptyDir(mounted.chart, 'v', 'nginx-conf'));
    expect(() => Testing.synth(mounted.chart)).toThrow(
      "CanaryNginxRollout 'test/web': containers[2].mounts[0].volume.name is 'nginx-conf'; it is the name of the preset's nginx.conf volume " +
      "(configVolume); a pod's volumes need different names");
    const added = newWeb();
    added.web.addVolume(kplus.Volume.fromEmptyDir(added.chart, 'v', 'nginx-conf'));
    expect(() => Testing.synth(added.chart)).toThrow("CanaryNginxRollout 'test/web': volumes[0].name is 'nginx-conf'; it is the name of the preset's nginx.conf volume");
  });

  test('two different volumes of one name fail at synth (they were one, silently)', () => {
    const { chart, web } = newWeb();
    web.nginxContainer.mount('/a', kplus.Volume.fromEmptyDir(chart, 'a', 'cache'));
    web.exporterContainer.mount('/b', kplus.Volume.fromEmptyDir(chart, 'b', 'cache', { medium: kplus.EmptyDirMedium.MEMORY }));
    expect(() => Testing.synth(chart)).toThrow(
      "CanaryNginxRollout 'test/web': containers[1].mounts[0].volume.name is 'cache'; another volume of the pod has this name; a pod's volumes need different names");
  });
});
