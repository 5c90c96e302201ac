// The module object itself (not an import namespace, whose properties are fixed), so that jest can spy on it.
import crypto = require('crypto');
import { ApiObject, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { BlueGreenNginxRollout, CanaryNginxRollout, CanaryStep, Rollout, RolloutStep, RolloutStrategy } from '../../lib';
import { userPodParts } from '../../lib/nginx/preset';
import { PropsChecker } from '../../lib/props-checker';
import { validateObjects } from '../../lib/rules';
import { validateWithSchemaLibrary } from '../support/schema';
import { one, synthChart } from '../support/synth';

/** The presets are the general Rollout with nginx parts added: the pod API and mutators work on them. */
describe('nginx presets on the general Rollout', () => {
  test('a preset is a Rollout whose default child (id Resource) is the Argo Rollout object', () => {
    const chart = new Chart(Testing.app(), 'test');
    const canary = new CanaryNginxRollout(chart, 'web', { name: 'web' });
    expect(canary).toBeInstanceOf(Rollout);
    expect(canary.node.defaultChild).toBe(canary.rollout);
    expect(canary.rollout.node.id).toBe('Resource');
    expect(ApiObject.of(canary).kind).toBe('Rollout');
  });

  test('containers, init containers, volumes, a service account and tolerations are added after the preset\'s own', () => {
    const objects = synthChart((chart) => {
      const secret = new kplus.Secret(chart, 'tls', { metadata: { name: 'web-tls' }, stringData: { 'tls.crt': 'x' } });
      const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'web' } });
      const web = new BlueGreenNginxRollout(chart, 'web', { name: 'web', serviceAccount: sa });
      const sidecar = web.addContainer({ name: 'log-shipper', image: 'fluent/fluent-bit:3.1', resources: {} });
      sidecar.mount('/etc/tls', kplus.Volume.fromSecret(chart, 'tls-volume', secret));
      web.addInitContainer({ name: 'warm-cache', image: 'busybox:1.36', args: ['true'], resources: {} });
      web.scheduling.tolerate(new kplus.TaintedNode([kplus.NodeTaintQuery.is('edge', 'true')]));
      web.podMetadata.addAnnotation('team', 'web');
    });
    const pod = one(objects, 'Rollout').spec.template;
    expect(pod.spec.containers.map((c: any) => c.name)).toEqual(['nginx', 'nginx-exporter', 'log-shipper']);
    expect(pod.spec.initContainers.map((c: any) => c.name)).toEqual(['warm-cache']);
    expect(pod.spec.volumes.map((v: any) => v.name)).toEqual(['nginx-conf', 'secret-web-tls']);
    expect(pod.spec.tolerations).toEqual([{ key: 'edge', operator: 'Equal', value: 'true' }]);
    expect(pod.spec.serviceAccountName).toBe('web');
    expect(pod.metadata.annotations.team).toBe('web');
    // The preset selects by its labels alone; cdk8s-plus' address label is not on its pods.
    expect(pod.metadata.labels).toEqual({ app: 'web' });
    // cdk8s-plus' pod-level defaults are not forced on the nginx pod (its master runs as root).
    expect(pod.spec).not.toHaveProperty('securityContext');
    expect(pod.spec).not.toHaveProperty('automountServiceAccountToken');
    expect(validateObjects(objects)).toEqual([]);
    expect(validateWithSchemaLibrary(objects).filter((r) => r.error)).toEqual([]);
  });

  test('addStep appends to the preset\'s steps', () => {
    const rollout = one(synthChart((chart) => {
      const web = new CanaryNginxRollout(chart, 'web', { name: 'web', steps: [CanaryStep.setWeight(20), CanaryStep.pause(Duration.seconds(30))] });
      web.addStep(RolloutStep.weight(60), RolloutStep.pauseUntilPromoted());
    }), 'Rollout');
    expect(rollout.spec.strategy.canary.steps).toEqual([{ setWeight: 20 }, { pause: { duration: 30 } }, { setWeight: 60 }, { pause: {} }]);
  });

  test('exposeViaService: a Service over all the nginx pods, by the preset\'s labels', () => {
    const objects = synthChart((chart) => {
      new CanaryNginxRollout(chart, 'web', { name: 'web' }).exposeViaService({ name: 'web', ports: [{ port: 80, targetPort: 80 }] });
    });
    expect(one(objects, 'Service', 'web').spec.selector).toEqual({ app: 'web' });
  });
});

/** How a preset stands in the construct tree: what it adds, under which ids, and nothing more. */
describe('nginx presets in the construct tree', () => {
  const newChart = () => new Chart(Testing.app(), 'test', { disableResourceNameHashes: true });
  const ids = (c: { node: { children: ReadonlyArray<{ node: { id: string } }> } }) => c.node.children.map((x) => x.node.id);

  test.each([
    ['CanaryNginxRollout', (c: Chart, id: string, p: any) => new CanaryNginxRollout(c, id, p)],
    ['BlueGreenNginxRollout', (c: Chart, id: string, p: any) => new BlueGreenNginxRollout(c, id, p)],
  ] as const)('%s adds itself to its scope and nothing else; its children and default child', (typeName, create) => {
    const chart = newChart();
    const web = create(chart, 'web', { name: 'web' });
    expect(ids(chart)).toEqual(['web']);
    const services = typeName === 'CanaryNginxRollout' ? [] : ['ActiveService', 'PreviewService'];
    expect(ids(web)).toEqual(['Resource', 'PodPrerequisites', 'StrategyPrerequisites', ...services, 'ConfigMap']);
    expect(web.node.defaultChild).toBe(web.rollout);
    // The ConfigMap's pod volume (a cdk8s-plus Volume is a construct) is made with the containers, when first asked for.
    expect(web.configVolume.node.id).toBe('ConfigVolume');
    expect(ids(web)).toEqual(['Resource', 'PodPrerequisites', 'StrategyPrerequisites', ...services, 'ConfigMap', 'ConfigVolume']);
  });

  test('without a name, the name is generated from the construct path and nothing else stays in the tree', () => {
    const chart = new Chart(Testing.app(), 'test');
    const web = new CanaryNginxRollout(chart, 'web');
    expect(ids(chart)).toEqual(['web']);
    expect(web.name).toBe(Chart.of(chart).generateObjectName({ node: web.node, kind: 'Rollout' } as unknown as ApiObject));
    expect(web.configMap.name).toBe(`${web.name}-conf`);
  });

  // constructs stores the id `a/b` as `a--b` (a path separator in an id would read as two components).
  test.each([
    ['CanaryNginxRollout', (c: Chart, id: string, p: any) => new CanaryNginxRollout(c, id, p)],
    ['BlueGreenNginxRollout', (c: Chart, id: string, p: any) => new BlueGreenNginxRollout(c, id, p)],
  ] as const)('%s with an id holding a "/" is built, as the id constructs makes of it', (_, create) => {
    const chart = newChart();
    const web = create(chart, 'a/b', { name: 'web' });
    expect(web.node.path).toBe('test/a--b');
    expect(ids(chart)).toEqual(['a--b']);
    expect(one(Testing.synth(chart), 'Rollout', 'web').metadata.name).toBe('web');
  });

  test.each([
    [{ name: 'web', replicas: -1 }],
    [{ replicas: -1 }],
  ])('bad props (%p) leave nothing in the tree, even under an id holding a "/"; the id can be used again', (props) => {
    const chart = newChart();
    expect(() => new CanaryNginxRollout(chart, 'a/b', props)).toThrow("CanaryNginxRollout 'test/a--b': replicas is -1; it must be an integer >= 0");
    expect(ids(chart)).toEqual([]);
    new CanaryNginxRollout(chart, 'a/b', { name: 'web' });
    expect(ids(chart)).toEqual(['a--b']);
  });

  test('several bad props are reported together, naming the construct by its path-to-be', () => {
    const chart = newChart();
    const scope = new Construct(chart, 'team');
    expect(() => new CanaryNginxRollout(scope, 'web', { name: 'web', replicas: -1, image: 'not an image', servicePort: 0 } as any)).toThrow([
      "CanaryNginxRollout 'test/team/web': 3 invalid props:",
      '  - replicas is -1; it must be an integer >= 0',
      '  - servicePort is 0; it must be an integer in 1..65535',
      "  - image is 'not an image'; it must be a container image reference such as nginx:1.14.2",
    ].join('\n'));
    expect(ids(scope)).toEqual([]);
  });

  test('an id already taken is refused by constructs first, before the props are read (as before)', () => {
    const chart = newChart();
    new CanaryNginxRollout(chart, 'web', { name: 'web' });
    expect(() => new CanaryNginxRollout(chart, 'web', { name: 'other', replicas: -1 })).toThrow(/There is already a Construct with name 'web'/);
    expect(ids(chart)).toEqual(['web']);
  });

  test('the props are checked once: by the preset, not again by the general Rollout (whose own props still are)', () => {
    const strategyCheck = jest.spyOn(RolloutStrategy.prototype, '_check');
    try {
      const chart = newChart();
      new CanaryNginxRollout(chart, 'canary', { name: 'canary' });
      new BlueGreenNginxRollout(chart, 'bg', { name: 'bg' });
      expect(strategyCheck).not.toHaveBeenCalled();
      new Rollout(chart, 'plain', { containers: [{ image: 'nginx:1.28.0', portNumber: 80 }] });
      expect(strategyCheck).toHaveBeenCalledTimes(1);
    } finally {
      strategyCheck.mockRestore();
    }
  });

  test('the pod metadata is made only when read: a preset whose podMetadata nobody read is written without making it', () => {
    const podMetadata = jest.spyOn(kplus.Workload.prototype, 'podMetadata', 'get');
    try {
      const plain = synthChart((chart) => {
        new CanaryNginxRollout(chart, 'a', { name: 'a' });
        new BlueGreenNginxRollout(chart, 'b', { name: 'b' });
      });
      expect(podMetadata).not.toHaveBeenCalled();
      // Read but left alone: the same output; read and added to: the additions, after the preset's own.
      const read = synthChart((chart) => {
        new CanaryNginxRollout(chart, 'a', { name: 'a' }).podMetadata;
        const b = new BlueGreenNginxRollout(chart, 'b', { name: 'b' });
        b.podMetadata.addLabel('tier', 'web');
        b.podMetadata.addAnnotation('team', 'web');
      });
      expect(podMetadata).toHaveBeenCalled();
      expect(one(read, 'Rollout', 'a')).toEqual(one(plain, 'Rollout', 'a'));
      const pod = one(read, 'Rollout', 'b').spec.template.metadata;
      expect(pod.labels).toEqual({ app: 'b', tier: 'web' });
      expect(Object.entries(pod.annotations).at(-1)).toEqual(['team', 'web']);
    } finally {
      podMetadata.mockRestore();
    }
  });

  test('a preset nobody added to is written from its own template: no lists of additions are built and merged', () => {
    const chart = new Chart(Testing.app(), 'test');
    const owner = (scope: Construct) => ({ scope, typeName: 'CanaryNginxRollout' });
    const plain = new CanaryNginxRollout(chart, 'plain', { name: 'plain' });
    expect(userPodParts(plain, owner(plain), undefined)).toBeUndefined();
    // Each addition through the pod API (or a read of the metadata) takes the general path, which writes it.
    const added: Array<[string, (r: CanaryNginxRollout) => void]> = [
      ['a container', (r) => r.addContainer({ name: 'side', image: 'busybox:1.36', resources: {} })],
      ['an init container', (r) => r.addInitContainer({ name: 'init', image: 'busybox:1.36', resources: {} })],
      ['a volume', (r) => r.addVolume(kplus.Volume.fromEmptyDir(r, 'cache', 'cache'))],
      ['a host alias', (r) => r.addHostAlias({ ip: '10.0.0.1', hostnames: ['db'] })],
      ['a toleration', (r) => r.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.is('gpu', 'yes')))],
      ['a node', (r) => r.scheduling.assign(kplus.Node.named('node-1'))],
      ['pod metadata', (r) => r.podMetadata.addLabel('tier', 'web')],
    ];
    for (const [what, add] of added) {
      const r = new CanaryNginxRollout(chart, what.replace(/ /g, '-'), { name: what.replace(/ /g, '-') });
      add(r);
      expect([what, userPodParts(r, owner(r), (r as any).parts) === undefined]).toEqual([what, false]);
    }
    const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'web' } });
    const withAccount = new CanaryNginxRollout(chart, 'sa-web', { name: 'sa-web', serviceAccount: sa });
    expect(userPodParts(withAccount, owner(withAccount), undefined)?.spec).toEqual({ serviceAccountName: 'web' });
  });

  test('the general Rollout does not check a preset\'s pod props again; the two it passes on as given still are', () => {
    const checkObject = jest.spyOn(PropsChecker.prototype, 'object');
    try {
      const chart = newChart();
      new CanaryNginxRollout(chart, 'canary', { name: 'canary' });
      new BlueGreenNginxRollout(chart, 'bg', { name: 'bg' });
      expect(checkObject.mock.calls.map(([prop]) => prop)).not.toContain('podMetadata');
      new Rollout(chart, 'plain', { containers: [{ image: 'nginx:1.28.0', portNumber: 80 }] });
      expect(checkObject.mock.calls.map(([prop]) => prop)).toContain('podMetadata');
    } finally {
      checkObject.mockRestore();
    }
    const chart = newChart();
    expect(() => new CanaryNginxRollout(chart, 'a', { name: 'a', serviceAccount: 'sa' } as any))
      .toThrow("CanaryNginxRollout 'test/a': serviceAccount is 'sa'; it must be an object");
    expect(() => new BlueGreenNginxRollout(chart, 'b', { name: 'b', dockerRegistryAuth: 5 } as any))
      .toThrow("BlueGreenNginxRollout 'test/b': dockerRegistryAuth is 5; it must be an object");
  });

  test('the config checksum annotation is hashed once per nginx.conf content, and is the SHA-256 of it', () => {
    const nginxConf = `events {}\nhttp { server { listen 80; location /nginx_status { stub_status; } } } # ${Math.random()}\n`;
    const createHash = jest.spyOn(crypto, 'createHash');
    try {
      const objects = synthChart((chart) => {
        for (const name of ['a', 'b', 'c']) new CanaryNginxRollout(chart, name, { name, nginxConf });
      });
      expect(createHash.mock.calls.filter(([algorithm]) => algorithm === 'sha256')).toHaveLength(1);
      const expected = `sha256:${crypto.createHash('sha256').update(nginxConf).digest('hex')}`;
      for (const name of ['a', 'b', 'c']) {
        expect(one(objects, 'Rollout', name).spec.template.metadata.annotations['checksum/nginx-conf']).toBe(expected);
      }
    } finally {
      createHash.mockRestore();
    }
  });

  test('mutators after construction show in the output: addContainer, addVolume, addStep, exposeViaService', () => {
    const objects = synthChart((chart) => {
      const web = new CanaryNginxRollout(chart, 'web', { name: 'web' });
      const cache = kplus.Volume.fromEmptyDir(chart, 'cache', 'cache');
      web.addVolume(cache);
      web.addContainer({ name: 'side', image: 'busybox:1.36', resources: {} }).mount('/cache', cache);
      web.addStep(RolloutStep.weight(90));
      web.exposeViaService({ name: 'web', ports: [{ port: 8080, targetPort: 80 }] });
    });
    const rollout = one(objects, 'Rollout', 'web');
    expect(rollout.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['nginx', 'nginx-exporter', 'side']);
    expect(rollout.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['nginx-conf', 'cache']);
    expect(rollout.spec.strategy.canary.steps.at(-1)).toEqual({ setWeight: 90 });
    expect(one(objects, 'Service', 'web').spec).toMatchObject({ selector: { app: 'web' }, ports: [{ port: 8080, targetPort: 80 }] });
  });
});

/** What a preset keeps after construction: only what it needs later (construction cost is per Rollout). */
describe('nginx presets: construction', () => {
  test('a preset holds no props checker until something after construction needs one; its messages still name it', () => {
    const chart = new Chart(Testing.app(), 'test', { disableResourceNameHashes: true });
    const web = new BlueGreenNginxRollout(chart, 'web', { name: 'web' });
    const holdsChecker = () => Object.values(web).some((v) => v instanceof PropsChecker);
    expect(holdsChecker()).toBe(false);
    expect(() => web.addStep(RolloutStep.weight(20))).toThrow("BlueGreenNginxRollout 'test/web': addStep is 'blueGreen'; it needs a canary strategy");
    expect(holdsChecker()).toBe(true);
  });
});
