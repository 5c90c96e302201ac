import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AntiAffinity, BlueGreenNginxRollout, CanaryNginxRollout, DEFAULT_NGINX_CONF, NginxRolloutProps,
} from '../../lib';
import { CONFIG_CHECKSUM_ANNOTATION, nginxPodTemplate } from '../../lib/nginx/nginx-pod';
import { indexOf, one, synthChart } from '../support/synth';
import { createHash } from 'crypto';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const canary = (props: NginxRolloutProps) => synthChart((c) => new CanaryNginxRollout(c, 'web', { name: 'web', ...props }));
const containers = (objects: any[]) => one(objects, 'Rollout').spec.template.spec.containers;

describe('production-ready pods', () => {
  test('nginx: TCP readiness and liveness on 80, requests and limits', () => {
    const [nginx] = containers(canary({}));
    expect(nginx.readinessProbe).toEqual({ tcpSocket: { port: 80 }, periodSeconds: 5, failureThreshold: 3 });
    expect(nginx.livenessProbe).toEqual({ tcpSocket: { port: 80 }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 });
    expect(nginx.resources).toEqual({ requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } });
  });

  test('readinessPath switches nginx readiness to an HTTP check', () => {
    const [nginx] = containers(canary({ readinessPath: '/healthz' }));
    expect(nginx.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 80 });
    expect(nginx.readinessProbe).not.toHaveProperty('tcpSocket');
  });

  test('the exporter is hardened and probed on /metrics', () => {
    const [, exporter] = containers(canary({}));
    expect(exporter.securityContext).toEqual({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(exporter.readinessProbe.httpGet).toEqual({ path: '/metrics', port: 9113 });
    expect(exporter.livenessProbe.httpGet).toEqual({ path: '/metrics', port: 9113 });
    expect(exporter.resources).toEqual({ requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } });
  });

  test('probes: false leaves them out; resources are overridable', () => {
    const [nginx, exporter] = containers(canary({
      probes: false,
      resources: { cpu: { request: kplus.Cpu.units(1) }, memory: { limit: Size.gibibytes(1) } },
      exporterResources: { memory: { request: Size.mebibytes(8) } },
    }));
    for (const c of [nginx, exporter]) {
      expect(c).not.toHaveProperty('readinessProbe');
      expect(c).not.toHaveProperty('livenessProbe');
    }
    expect(nginx.resources).toEqual({ requests: { cpu: '1' }, limits: { memory: '1024Mi' } });
    expect(exporter.resources).toEqual({ requests: { memory: '8Mi' } });
  });
});

describe('config changes that roll', () => {
  test('by default the ConfigMap keeps its name and the pod carries a checksum of nginx.conf', () => {
    const objects = canary({});
    expect(one(objects, 'ConfigMap').metadata.name).toBe('web-conf');
    expect(one(objects, 'Rollout').spec.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION])
      .toBe(`sha256:${sha256(DEFAULT_NGINX_CONF)}`);
  });

  test('a changed nginx.conf changes the pod template (so the Rollout rolls)', () => {
    const a = one(canary({}), 'Rollout').spec.template;
    const b = one(canary({ nginxConf: `${DEFAULT_NGINX_CONF}# tuned\n` }), 'Rollout').spec.template;
    expect(b).not.toEqual(a);
  });

  test('hashConfigMapName names the ConfigMap after its content and drops the checksum annotation', () => {
    const objects = canary({ hashConfigMapName: true });
    const name = `web-conf-${sha256(DEFAULT_NGINX_CONF).slice(0, 10)}`;
    expect(one(objects, 'ConfigMap').metadata.name).toBe(name);
    const rollout = one(objects, 'Rollout');
    expect(rollout.spec.template.spec.volumes[0].configMap.name).toBe(name);
    expect(rollout.spec.template.metadata.annotations).not.toHaveProperty(CONFIG_CHECKSUM_ANNOTATION);
    const other = one(canary({ hashConfigMapName: true, nginxConf: 'events {}\n' }), 'ConfigMap').metadata.name;
    expect(other).not.toBe(name);
    expect(indexOf(objects, 'ConfigMap', name)).toBeLessThan(indexOf(objects, 'Rollout', 'web'));
  });
});

describe('rollout safety options', () => {
  test.each([
    ['CanaryNginxRollout', 'canary'],
    ['BlueGreenNginxRollout', 'blueGreen'],
  ])('%s: antiAffinity goes into the %s strategy', (typeName, key) => {
    const build = typeName === 'CanaryNginxRollout' ? CanaryNginxRollout : BlueGreenNginxRollout;
    const preferred = one(synthChart((c) => new build(c, 'web', { antiAffinity: AntiAffinity.preferred(50) })), 'Rollout');
    expect(preferred.spec.strategy[key].antiAffinity).toEqual({ preferredDuringSchedulingIgnoredDuringExecution: { weight: 50 } });
    const required = one(synthChart((c) => new build(c, 'web', { antiAffinity: AntiAffinity.required() })), 'Rollout');
    expect(required.spec.strategy[key].antiAffinity).toEqual({ requiredDuringSchedulingIgnoredDuringExecution: {} });
  });

  test('progressDeadlineAbort and revisionHistoryLimit are written as given', () => {
    const rollout = one(canary({ progressDeadlineAbort: true, revisionHistoryLimit: 2 }), 'Rollout');
    expect(rollout.spec).toMatchObject({ progressDeadlineAbort: true, revisionHistoryLimit: 2 });
  });

  test('a PodDisruptionBudget selects the pods', () => {
    const objects = canary({ podDisruptionBudget: { minAvailable: kplus.PercentOrAbsolute.percent(80) } });
    const pdb = one(objects, 'PodDisruptionBudget', 'web');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec).toEqual({ minAvailable: '80%', selector: { matchLabels: { app: 'web' } } });
    const abs = one(canary({ podDisruptionBudget: { maxUnavailable: kplus.PercentOrAbsolute.absolute(1) } }), 'PodDisruptionBudget');
    expect(abs.spec.maxUnavailable).toBe(1);
  });

  test.each<[string, NginxRolloutProps, string]>([
    ['an anti-affinity weight of 0', { antiAffinity: AntiAffinity.preferred(0) }, 'antiAffinity.weight is 0; it must be an integer in 1..100'],
    ['a PodDisruptionBudget with both fields',
      { podDisruptionBudget: { minAvailable: kplus.PercentOrAbsolute.absolute(1), maxUnavailable: kplus.PercentOrAbsolute.absolute(1) } },
      'podDisruptionBudget is ["minAvailable","maxUnavailable"]; give exactly one of minAvailable and maxUnavailable'],
    ['a readinessPath without /', { readinessPath: 'healthz' }, "readinessPath is 'healthz'; it must be a URL path starting with '/'"],
  ])('rejects %s', (_, props, message) => {
    expect(() => canary(props)).toThrow(`CanaryNginxRollout 'test/web': ${message}`);
  });
});

describe('the pod template\'s constant parts', () => {
  test('are made once and shared by every pod, frozen: nothing writes into a template, and a write would be refused', () => {
    const a = nginxPodTemplate({ labels: { app: 'a' }, configMapName: 'a-conf' }) as any;
    const b = nginxPodTemplate({ labels: { app: 'b' }, configMapName: 'b-conf', image: 'nginx:1.27.3' }) as any;
    const [nginxA, exporterA] = a.spec.containers;
    const [nginxB, exporterB] = b.spec.containers;
    for (const field of ['ports', 'volumeMounts', 'resources', 'readinessProbe', 'livenessProbe']) {
      expect([field, nginxA[field]]).toEqual([field, nginxB[field]]);
      expect([field, nginxA[field] === nginxB[field], Object.isFrozen(nginxA[field])]).toEqual([field, true, true]);
    }
    for (const field of ['args', 'ports', 'resources', 'securityContext', 'readinessProbe', 'livenessProbe']) {
      expect([field, exporterA[field] === exporterB[field], Object.isFrozen(exporterA[field])]).toEqual([field, true, true]);
    }
    expect(Object.isFrozen(exporterA.securityContext.capabilities.drop)).toBe(true);
    expect(a.spec.volumes[0].configMap.items).toBe(b.spec.volumes[0].configMap.items);
    // What differs between pods is each pod's own.
    expect([nginxA.image, nginxB.image]).toEqual(['nginx:1.28.0', 'nginx:1.27.3']);
    expect(a.metadata.labels).not.toBe(b.metadata.labels);
    expect(Object.isFrozen(a.spec.containers) || Object.isFrozen(nginxA) || Object.isFrozen(a.metadata.annotations)).toBe(false);
  });

  test('props that change a part give that pod its own: resources, an HTTP readiness path, the exporter\'s args', () => {
    const plain = nginxPodTemplate({ labels: { app: 'a' }, configMapName: 'a-conf' }) as any;
    const custom = nginxPodTemplate({
      labels: { app: 'b' }, configMapName: 'b-conf', readinessPath: '/healthz', statusPath: '/status',
      resources: { cpu: { request: kplus.Cpu.millis(200) } }, exporterImage: 'nginx/nginx-prometheus-exporter:0.11.0',
    }) as any;
    const [nginx, exporter] = custom.spec.containers;
    expect(nginx.resources).toEqual({ requests: { cpu: '200m' } });
    expect(nginx.readinessProbe).toMatchObject({ httpGet: { path: '/healthz', port: { value: 80 } }, periodSeconds: 5, failureThreshold: 3 });
    expect(exporter.args).toEqual(['-nginx.scrape-uri=http://localhost/status']);
    expect(plain.spec.containers[1].args).toEqual(['--nginx.scrape-uri=http://localhost/nginx_status']);
    expect(nginxPodTemplate({ labels: {}, configMapName: 'c', probes: false }).spec!.containers[0]).not.toHaveProperty('readinessProbe');
  });
});
