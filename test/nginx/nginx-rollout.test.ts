import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus27 from 'cdk8s-plus-27';
import * as kplus33 from 'cdk8s-plus-33';
import {
  BlueGreenNginxRollout, CanaryNginxRollout, DEFAULT_EXPORTER_IMAGE, DEFAULT_NGINX_CONF, DEFAULT_NGINX_IMAGE,
  NginxRolloutProps,
} from '../../lib';
import { isImageReference } from '../../lib/nginx/nginx-rollout';
import { indexOf, one, synthChart } from '../support/synth';

// What both strategies share is tested once, through each of them.
const STRATEGIES: Array<[string, (c: Chart, props: NginxRolloutProps) => unknown]> = [
  ['CanaryNginxRollout', (c, p) => new CanaryNginxRollout(c, 'web', p)],
  ['BlueGreenNginxRollout', (c, p) => new BlueGreenNginxRollout(c, 'web', p)],
];

describe.each(STRATEGIES)('the nginx workload of %s', (typeName, create) => {
  const synth = (props: NginxRolloutProps) => synthChart((c) => create(c, props));

  test('defaults: 5 replicas for a canary (its default steps need them), 1 for blue/green, nginx:1.28.0, exporter 1.5.3, labels { app: name }, ConfigMap `${name}-conf`', () => {
    const objects = synth({ name: 'web' });
    const rollout = one(objects, 'Rollout', 'web');
    expect(rollout.spec.replicas).toBe(typeName === 'CanaryNginxRollout' ? 5 : 1);
    expect(rollout.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(rollout.spec.template.metadata.labels).toEqual({ app: 'web' });
    const [nginx, exporter] = rollout.spec.template.spec.containers;
    expect(nginx.image).toBe(DEFAULT_NGINX_IMAGE);
    expect(exporter.image).toBe(DEFAULT_EXPORTER_IMAGE);
    // Pinned current releases, not `latest`: a default must not change under a user between two syntheses.
    expect([DEFAULT_NGINX_IMAGE, DEFAULT_EXPORTER_IMAGE]).toEqual(['nginx:1.28.0', 'nginx/nginx-prometheus-exporter:1.5.3']);
    expect(one(objects, 'ConfigMap', 'web-conf').data).toEqual({ 'nginx.conf': DEFAULT_NGINX_CONF });
  });

  test("a HorizontalPodAutoscaler of the app's cdk8s-plus (27 or 33) takes the preset as target; the default replicas are left to it", () => {
    // The preset's default (5 or 1) is no fixed count the user chose: cdk8s-plus' autoscaler refused it
    // ("target cannot have a fixed number of replicas (5)") until the preset reported only the replicas its props give.
    for (const hpa of [
      (c: Chart, target: any) => new kplus27.HorizontalPodAutoscaler(c, 'hpa', { target, maxReplicas: 10 }),
      (c: Chart, target: CanaryNginxRollout) => new kplus33.HorizontalPodAutoscaler(c, 'hpa', { target, maxReplicas: 10 }),
    ]) {
      const objects = synthChart((c) => hpa(c, create(c, { name: 'web' }) as CanaryNginxRollout));
      expect(one(objects, 'Rollout', 'web').spec).not.toHaveProperty('replicas');
      expect(one(objects, 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web' });
    }
    // Replicas the props give are a fixed count: the autoscaler refuses them, as it does for a Deployment.
    expect(() => synthChart((c) => new kplus27.HorizontalPodAutoscaler(c, 'hpa', { target: create(c, { name: 'web', replicas: 3 }) as CanaryNginxRollout, maxReplicas: 10 })))
      .toThrow(/cannot have a fixed number of replicas \(3\)/);
  });

  test('the default nginx.conf serves stub_status at /nginx_status to localhost only', () => {
    expect(DEFAULT_NGINX_CONF).toMatch(/location \/nginx_status \{\s*stub_status;\s*access_log off;\s*allow 127\.0\.0\.1;\s*deny all;\s*\}/);
    expect(DEFAULT_NGINX_CONF).toContain('listen 80;');
  });

  test("the default nginx.conf serves the image's page at / by absolute paths (the image's prefix is /etc/nginx)", () => {
    // Run for real (200 on /) in test/nginx/real-pod.test.ts; this pins the reason: no path relative to the prefix.
    expect(DEFAULT_NGINX_CONF).toMatch(/location \/ \{\s*root \/usr\/share\/nginx\/html;\s*index index\.html index\.htm;\s*\}/);
    expect(DEFAULT_NGINX_CONF).toContain('include /etc/nginx/mime.types;');
    expect(DEFAULT_NGINX_CONF).not.toMatch(/root html;/);
  });

  test('nginx mounts the ConfigMap at /etc/nginx/nginx.conf by subPath, read-only', () => {
    const rollout = one(synth({ name: 'web' }), 'Rollout');
    const spec = rollout.spec.template.spec;
    expect(spec.volumes).toEqual([{
      name: 'nginx-conf',
      configMap: { name: 'web-conf', items: [{ key: 'nginx.conf', path: 'nginx.conf' }] },
    }]);
    expect(spec.containers[0]).toMatchObject({
      name: 'nginx',
      ports: [{ containerPort: 80 }],
      volumeMounts: [{ mountPath: '/etc/nginx/nginx.conf', readOnly: true, name: 'nginx-conf', subPath: 'nginx.conf' }],
    });
  });

  test('the exporter sidecar scrapes stub_status on localhost and is announced to Prometheus on 9113', () => {
    const rollout = one(synth({ name: 'web' }), 'Rollout');
    const exporter = rollout.spec.template.spec.containers[1];
    expect(exporter).toMatchObject({
      name: 'nginx-exporter',
      image: 'nginx/nginx-prometheus-exporter:1.5.3',
      args: ['--nginx.scrape-uri=http://localhost/nginx_status'],
      ports: [{ containerPort: 9113 }],
    });
    expect(rollout.spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9113',
    });
  });

  test.each([
    // 0.x documents Go `flag` syntax; the seed's 0.11.0 output stays as it was written.
    ['nginx/nginx-prometheus-exporter:0.11.0', '-'],
    ['registry.example.com:5000/mirror/nginx-prometheus-exporter:v0.10.0', '-'],
    [`nginx/nginx-prometheus-exporter:0.11.0@sha256:${'ab'.repeat(32)}`, '-'],
    // 1.x documents kingpin's two dashes and warns on one; unknown versions get two, which every version takes.
    ['nginx/nginx-prometheus-exporter:1.0.0', '--'],
    ['nginx/nginx-prometheus-exporter:1.5.3', '--'],
    ['registry.example.com:5000/nginx-prometheus-exporter', '--'],
    ['nginx/nginx-prometheus-exporter:latest', '--'],
    [`nginx/nginx-prometheus-exporter@sha256:${'cd'.repeat(32)}`, '--'],
  ])('exporter image %s gets the flag syntax of its version (%s)', (exporterImage, dashes) => {
    const exporter = one(synth({ name: 'web', exporterImage }), 'Rollout').spec.template.spec.containers[1];
    expect(exporter.args).toEqual([`${dashes}nginx.scrape-uri=http://localhost/nginx_status`]);
  });

  test('props override the defaults', () => {
    const objects = synth({
      name: 'shop',
      namespace: 'prod',
      replicas: 3,
      image: 'registry.example.com:5000/web/nginx:1.25.3',
      exporterImage: 'nginx/nginx-prometheus-exporter:1.5.3',
      labels: { app: 'shop', tier: 'web' },
      podAnnotations: { team: 'payments' },
      nginxConf: 'events {}\nhttp { server { listen 80; location /status { stub_status; } } }\n',
      statusPath: '/status',
      configMapName: 'shop-nginx',
      revisionHistoryLimit: 3,
      minReady: Duration.seconds(5),
      progressDeadline: Duration.minutes(5),
    });
    const rollout = one(objects, 'Rollout', 'shop');
    expect(rollout.metadata.namespace).toBe('prod');
    expect(rollout.spec).toMatchObject({
      replicas: 3, revisionHistoryLimit: 3, minReadySeconds: 5, progressDeadlineSeconds: 300,
      selector: { matchLabels: { app: 'shop', tier: 'web' } },
    });
    expect(rollout.spec.template.metadata.labels).toEqual({ app: 'shop', tier: 'web' });
    expect(rollout.spec.template.metadata.annotations.team).toBe('payments');
    const [nginx, exporter] = rollout.spec.template.spec.containers;
    expect(nginx.image).toBe('registry.example.com:5000/web/nginx:1.25.3');
    expect(exporter.image).toBe('nginx/nginx-prometheus-exporter:1.5.3');
    expect(exporter.args).toEqual(['--nginx.scrape-uri=http://localhost/status']);
    const cm = one(objects, 'ConfigMap', 'shop-nginx');
    expect(cm.metadata.namespace).toBe('prod');
    expect(cm.data['nginx.conf']).toContain('location /status');
    expect(rollout.spec.template.spec.volumes[0].configMap.name).toBe('shop-nginx');
  });

  test('the ConfigMap comes before the Rollout, whatever order things are created in', () => {
    const objects = synth({ name: 'web' });
    expect(indexOf(objects, 'ConfigMap', 'web-conf')).toBeLessThan(indexOf(objects, 'Rollout', 'web'));
  });

  test('the parts are reachable for customization', () => {
    const chart = new Chart(Testing.app(), 'test');
    const construct = create(chart, { name: 'web' }) as CanaryNginxRollout;
    expect(construct.name).toBe('web');
    expect(construct.labels).toEqual({ app: 'web' });
    expect(construct.configMap.name).toBe('web-conf');
    expect(construct.rollout.name).toBe('web');
  });

  test('without a name, the chart names the Rollout from the construct path', () => {
    const objects = synth({});
    const rollout = one(objects, 'Rollout');
    expect(rollout.metadata.name).toBe('test-web');
    expect(one(objects, 'ConfigMap').metadata.name).toBe('test-web-conf');
  });

  test.each<[string, NginxRolloutProps, string]>([
    ['a negative replica count', { replicas: -1 }, 'replicas is -1; it must be an integer >= 0'],
    ['a fractional replica count', { replicas: 1.5 }, 'replicas is 1.5; it must be an integer >= 0'],
    ['an invalid name', { name: 'Web_1' }, "name is 'Web_1'; it must be a DNS-1123 subdomain"],
    ['an invalid ConfigMap name', { name: 'web', configMapName: 'conf!' }, "configMapName is 'conf!'; it must be a DNS-1123 subdomain"],
    ['an invalid image', { image: 'not an image' }, "image is 'not an image'; it must be a container image reference"],
    ['an invalid exporter image', { exporterImage: 'Exporter:latest' }, "exporterImage is 'Exporter:latest'; it must be a container image reference"],
    ['no labels', { labels: {} }, 'labels is {}; it needs at least one label to select the pods'],
    ['a bad label value', { labels: { app: 'a b' } }, "labels['app'] is 'a b'; a label value is at most 63"],
    ['a bad label key', { labels: { 'a b': 'x' } }, "labels key is 'a b'; a label key is"],
    ['a status path without /', { statusPath: 'status' }, "statusPath is 'status'; it must be a URL path starting with '/'"],
    ['progressDeadline not above minReady', { minReady: Duration.seconds(30), progressDeadline: Duration.seconds(30) },
      "progressDeadline is '30s'; it must be longer than minReady (30s)"],
    ['minReady at the default progressDeadline', { minReady: Duration.seconds(600) },
      "minReady is '600s'; it must be shorter than progressDeadline (default 600s)"],
    ['a fractional minReady', { minReady: Duration.millis(500) }, "minReady is '0.5s'; it must be whole seconds"],
  ])('rejects %s naming the construct, the prop, the value and the rule', (_, props, message) => {
    expect(() => synth(props)).toThrow(`${typeName} 'test/web': ${message}`);
  });
});

describe('isImageReference', () => {
  test.each([
    'nginx', 'nginx:1.14.2', 'library/nginx:latest', 'nginx/nginx-prometheus-exporter:0.11.0',
    'registry.example.com:5000/team/nginx:1.25', 'localhost:5000/nginx',
    `nginx@sha256:${'a'.repeat(64)}`, `ghcr.io/org/nginx:1.2@sha256:${'0'.repeat(64)}`,
  ])('accepts %s', (image) => expect(isImageReference(image)).toBe(true));

  test.each([
    '', 'not an image', 'Nginx:1.0', 'nginx:', 'nginx:-1', ':1.0', 'nginx@sha256:abc', 'nginx:1.0 ', `nginx:${'x'.repeat(129)}`,
  ])('rejects %p', (image) => expect(isImageReference(image)).toBe(false));
});
