import { ApiObject, Chart, Duration, Names, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  AnalysisArgument, AnalysisTemplateRef, AntiAffinity, ExperimentSpecRef, NginxAnalysisTemplate, PodTemplateHash, Rollout,
  RolloutAnalysis, RolloutProps, RolloutStep, RolloutStrategy, StringMatch, TrafficRouter, TrafficRouterKind,
} from '../../lib';
import { apiObjectOf } from '../../lib/rollout/rollout';
import { validateObjects, validateSchema } from '../../lib/rules';
import { validateWithSchemaLibrary } from '../support/schema';
import { indexOf, one, synthChart } from '../support/synth';

const IMAGE = 'ghcr.io/acme/api:1.2.3';
const container = { image: IMAGE, portNumber: 8080 };

/**
 * A chart with `before` objects, then one Rollout 'api' (named 'api'), after `extra` ran on it; the chart's objects in
 * output order.
 */
function synth(props: RolloutProps, extra: (r: Rollout, chart: Chart) => void = () => undefined, before: (chart: Chart) => void = () => undefined): any[] {
  return synthChart((chart) => {
    before(chart);
    extra(new Rollout(chart, 'api', { metadata: { name: 'api' }, containers: [container], ...props }), chart);
  });
}

/** An Ingress named `name` to `service`. */
function ingress(chart: Chart, name: string, service: string): void {
  new kplus.k8s.KubeIngress(chart, name, {
    metadata: { name },
    spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: 8080 } } } }] } }] },
  });
}

const canary = (objects: any[]) => one(objects, 'Rollout').spec.strategy.canary;
const blueGreen = (objects: any[]) => one(objects, 'Rollout').spec.strategy.blueGreen;
const order = (objects: any[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);

describe('Rollout: the construct', () => {
  test('the Rollout is the default child, id Resource, so ApiObject.of and escape hatches work', () => {
    const chart = new Chart(Testing.app(), 'test');
    const r = new Rollout(chart, 'api', { containers: [container] });
    const child = r.node.defaultChild;
    expect(child).toBeInstanceOf(ApiObject);
    expect(child!.node.id).toBe('Resource');
    expect((child as ApiObject).kind).toBe('Rollout');
    expect(ApiObject.of(r)).toBe(child);
    ApiObject.of(r).addJsonPatch({ _toJson: () => ({ op: 'add', path: '/spec/paused', value: true }) } as any);
    expect(one(Testing.synth(chart), 'Rollout').spec.paused).toBe(true);
  });

  test('the spec is rendered at synth: containers, volumes and steps added after construction are in it', () => {
    const objects = synth({ strategy: RolloutStrategy.canary() }, (r, chart) => {
      r.addContainer({ name: 'sidecar', image: 'busybox:1.36', args: ['sleep', 'infinity'] });
      r.addVolume(kplus.Volume.fromEmptyDir(chart, 'scratch', 'scratch'));
      r.addStep(RolloutStep.weight(10));
    });
    const rollout = one(objects, 'Rollout');
    expect(rollout.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['main', 'sidecar']);
    expect(rollout.spec.template.spec.volumes).toEqual([{ name: 'scratch', emptyDir: {} }]);
    expect(rollout.spec.strategy.canary.steps).toEqual([{ setWeight: 10 }]);
  });

  test('defaults: 1 replica written out, a canary without steps, the pod selected by its cdk8s-plus label', () => {
    const rollout = one(synthChart((c) => new Rollout(c, 'api', { containers: [container] })), 'Rollout');
    expect(rollout.spec.replicas).toBe(1);
    expect(rollout.spec.strategy).toEqual({ canary: { steps: [] } });
    const selector = rollout.spec.selector.matchLabels;
    expect(Object.keys(selector)).toEqual(['cdk8s.io/metadata.addr']);
    expect(rollout.spec.template.metadata.labels).toMatchObject(selector);
  });

  test('Rollout-level fields: Durations as seconds, rollback window', () => {
    const spec = one(synth({
      replicas: 4, minReady: Duration.seconds(10), progressDeadline: Duration.minutes(5), progressDeadlineAbort: true,
      revisionHistoryLimit: 3, rollbackWindowRevisions: 2,
    }), 'Rollout').spec;
    expect(spec).toMatchObject({
      replicas: 4, minReadySeconds: 10, progressDeadlineSeconds: 300, progressDeadlineAbort: true,
      revisionHistoryLimit: 3, rollbackWindow: { revisions: 2 },
    });
  });

  test('analysisRunHistory: the AnalysisRuns the controller keeps (spec.analysis), left out when no limit is given', () => {
    expect(one(synth({ analysisRunHistory: { successfulRunHistoryLimit: 2, unsuccessfulRunHistoryLimit: 0 } }), 'Rollout').spec.analysis)
      .toEqual({ successfulRunHistoryLimit: 2, unsuccessfulRunHistoryLimit: 0 });
    expect(one(synth({ analysisRunHistory: { unsuccessfulRunHistoryLimit: 10 } }), 'Rollout').spec.analysis).toEqual({ unsuccessfulRunHistoryLimit: 10 });
    expect(one(synth({ analysisRunHistory: {} }), 'Rollout').spec).not.toHaveProperty('analysis');
    expect(one(synth({}), 'Rollout').spec).not.toHaveProperty('analysis');
    expect(() => synth({ analysisRunHistory: { successfulRunHistoryLimit: -1 } }))
      .toThrow("Rollout 'test/api': analysisRunHistory.successfulRunHistoryLimit is -1; it must be an integer >= 0");
    expect(() => synth({ analysisRunHistory: 5 as any })).toThrow(/analysisRunHistory is 5; it must be an object/);
  });

  test('the pod API of cdk8s-plus: env from values and Secrets, ConfigMap volumes, service account, scheduling, pull secrets', () => {
    const objects = synthChart((chart) => {
      const config = new kplus.ConfigMap(chart, 'config', { metadata: { name: 'api-config' }, data: { 'app.yaml': 'a: 1' } });
      const secret = new kplus.Secret(chart, 'secret', { metadata: { name: 'api-db' }, stringData: { password: 'x' } });
      const pull = new kplus.Secret(chart, 'pull', { metadata: { name: 'registry' }, type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{}' } });
      const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'api' } });
      const r = new Rollout(chart, 'api', {
        metadata: { name: 'api' },
        serviceAccount: sa,
        dockerRegistryAuth: pull,
        securityContext: { user: 1000, group: 1000 },
        podMetadata: { annotations: { team: 'payments' } },
        initContainers: [{ name: 'migrate', image: IMAGE, args: ['migrate'] }],
        containers: [{
          ...container,
          envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue('info') },
          resources: { memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) } },
        }],
      });
      r.containers[0].env.addVariable('DB_PASSWORD', kplus.EnvValue.fromSecretValue({ secret, key: 'password' }));
      r.containers[0].mount('/etc/api', kplus.Volume.fromConfigMap(chart, 'config-volume', config));
      r.scheduling.tolerate(new kplus.TaintedNode([kplus.NodeTaintQuery.is('dedicated', 'api')]));
      r.scheduling.spread({ topology: kplus.Topology.ZONE });
    });
    const pod = one(objects, 'Rollout').spec.template;
    expect(pod.metadata.annotations).toEqual({ team: 'payments' });
    const spec = pod.spec;
    expect(spec.serviceAccountName).toBe('api');
    expect(spec.imagePullSecrets).toEqual([{ name: 'registry' }]);
    expect(spec.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['migrate']);
    expect(spec.containers[0].env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'api-db', key: 'password' } } },
    ]);
    // Quantities and volumes reach the output as Kubernetes writes them (the CRD's L1 passes these through as is).
    expect(spec.containers[0].resources).toEqual({ requests: { memory: '128Mi' }, limits: { memory: '256Mi' } });
    expect(spec.volumes).toEqual([{ name: 'configmap-api-config', configMap: { name: 'api-config' } }]);
    expect(spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'api' }]);
    expect(spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey)
      .toBe('topology.kubernetes.io/zone');
    expect(validateObjects(objects)).toEqual([]);
    expect(validateWithSchemaLibrary(objects).filter((r) => r.error)).toEqual([]);
  });

  test('a HorizontalPodAutoscaler targets the Rollout, and replicas are left to it', () => {
    const objects = synthChart((chart) => {
      const r = new Rollout(chart, 'api', { metadata: { name: 'api' }, containers: [{ ...container, resources: { cpu: { request: kplus.Cpu.millis(200) } } }] });
      new kplus.HorizontalPodAutoscaler(chart, 'hpa', { target: r, minReplicas: 2, maxReplicas: 10 });
    });
    expect(one(objects, 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'api' });
    expect(one(objects, 'Rollout').spec).not.toHaveProperty('replicas');
  });

  test('exposeViaService and exposeViaIngress: a Service over all the pods, with the container ports', () => {
    const objects = synth({}, (r) => { r.exposeViaIngress('/api', { name: 'api' }); });
    const svc = one(objects, 'Service', 'api');
    expect(svc.spec.ports).toEqual([{ port: 8080, targetPort: 8080 }]);
    expect(svc.spec.selector).toEqual(one(objects, 'Rollout').spec.selector.matchLabels);
    expect(svc.spec).not.toHaveProperty('externalIPs');
    expect(one(objects, 'Ingress').spec.rules[0].http.paths[0]).toMatchObject({ path: '/api', backend: { service: { name: 'api' } } });
  });

  test('with select: false the address label is computed when first read, to the value cdk8s-plus computes', () => {
    const chart = new Chart(Testing.app(), 'test');
    const toLabelValue = jest.spyOn(Names, 'toLabelValue');
    let lazy: Rollout;
    try {
      lazy = new Rollout(chart, 'lazy', { select: false, containers: [container] });
      // cdk8s-plus' Workload asks once for every Rollout; not for this one, which is not selected by the label.
      expect(toLabelValue).not.toHaveBeenCalled();
      new Rollout(chart, 'eager', { containers: [container] });
      expect(toLabelValue).toHaveBeenCalledTimes(1);
    } finally {
      toLabelValue.mockRestore();
    }
    const value = Names.toLabelValue(lazy);
    expect(value).toMatch(/^test-lazy-[0-9a-f]{8}$/);
    // Where cdk8s-plus reads it: the pod metadata (made on first read) and the pods as a selector.
    expect(lazy.podMetadata.getLabel(kplus.Pod.ADDRESS_LABEL)).toBe(value);
    expect(lazy.toPodSelectorConfig().labelSelector._toKube()).toEqual({ matchLabels: { [kplus.Pod.ADDRESS_LABEL]: value } });
    expect(Object.keys(lazy.matchLabels)).toEqual([]);
    const eager = chart.node.findChild('eager') as Rollout;
    expect(eager.matchLabels).toEqual({ [kplus.Pod.ADDRESS_LABEL]: Names.toLabelValue(eager) });
  });

  test('Names.toLabelValue is cdk8s\' own again however a Rollout\'s constructor ends, and answers everyone else as before', () => {
    const own = Names.toLabelValue;
    const chart = new Chart(Testing.app(), 'test');
    new Rollout(chart, 'api', { select: false, containers: [container] });
    expect(Names.toLabelValue).toBe(own);
    // constructs refuses the id inside cdk8s-plus' constructor, before the label is asked for.
    expect(() => new Rollout(chart, 'api', { select: false, containers: [container] })).toThrow(/There is already a Construct with name 'api'/);
    expect(Names.toLabelValue).toBe(own);
    const deployment = new kplus.Deployment(chart, 'web', { containers: [container] });
    expect(deployment.matchLabels).toEqual({ [kplus.Pod.ADDRESS_LABEL]: own(deployment) });
  });
});

describe('Rollout: canary', () => {
  test('every canary field of the CRD, with Durations as seconds, in Argo\'s names', () => {
    const objects = synth({
      strategy: RolloutStrategy.canary({
        steps: [RolloutStep.weight(20), RolloutStep.pause(Duration.minutes(2))],
        maxSurge: kplus.PercentOrAbsolute.percent(50),
        maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
        antiAffinity: AntiAffinity.preferred(50),
        routers: [TrafficRouter.smi()],
        scaleDownDelay: Duration.seconds(45),
        scaleDownDelayRevisionLimit: 2,
        abortScaleDownDelay: Duration.seconds(0),
        minPodsPerReplicaSet: 2,
        replicaProgressThreshold: kplus.PercentOrAbsolute.percent(90),
        canaryMetadata: { labels: { role: 'canary' } },
        stableMetadata: { annotations: { role: 'stable' } },
      }),
    });
    expect(objects.flatMap((o) => validateSchema(o))).toEqual([]);
    const c = canary(objects);
    expect(c).toEqual({
      canaryService: 'api-canary',
      stableService: 'api-stable',
      steps: [{ setWeight: 20 }, { pause: { duration: 120 } }],
      maxSurge: '50%',
      maxUnavailable: 0,
      antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 50 } },
      trafficRouting: { smi: { rootService: 'api-stable', trafficSplitName: 'api' } },
      scaleDownDelaySeconds: 45,
      scaleDownDelayRevisionLimit: 2,
      abortScaleDownDelaySeconds: 0,
      minPodsPerReplicaSet: 2,
      replicaProgressThreshold: { type: 'Percent', value: 90 },
      canaryMetadata: { labels: { role: 'canary' } },
      stableMetadata: { annotations: { role: 'stable' } },
    });
  });

  test('every step action renders as Argo writes it, in order', () => {
    const steps = canary(synth({
      strategy: RolloutStrategy.canary({
        routers: [TrafficRouter.istio({ virtualServices: [{ name: 'api', routes: ['primary'] }] })],
        managedRoutes: ['header', 'mirror'],
        steps: [
          RolloutStep.weight(5),
          RolloutStep.pause(Duration.seconds(30)),
          RolloutStep.pauseUntilPromoted(),
          RolloutStep.canaryScaleReplicas(2),
          RolloutStep.canaryScaleWeight(25),
          RolloutStep.canaryScaleMatchTrafficWeight(),
          RolloutStep.headerRoute('header', [{ headerName: 'x-canary', headerValue: StringMatch.exact('yes') }]),
          RolloutStep.mirrorRoute('mirror', { percentage: 10, matches: [{ method: StringMatch.exact('GET'), path: StringMatch.prefix('/v2') }] }),
          RolloutStep.removeMirrorRoute('mirror'),
          RolloutStep.removeHeaderRoute('header'),
          RolloutStep.analysis(RolloutAnalysis.templates([AnalysisTemplateRef.fromClusterTemplateName('success-rate')], {
            args: [AnalysisArgument.fromValue('service', 'api'), AnalysisArgument.fromPodTemplateHash('hash', PodTemplateHash.LATEST)],
          })),
          RolloutStep.experiment({
            duration: Duration.minutes(10),
            templates: [{ name: 'baseline', specRef: ExperimentSpecRef.STABLE, replicas: 1, weight: 5, service: true }],
            analyses: [{ name: 'compare', templateName: 'compare', args: [AnalysisArgument.fromFieldPath('ns', 'metadata.namespace')] }],
          }),
          RolloutStep.plugin('acme/notify', { channel: '#deploys' }),
        ],
      }),
    })).steps;
    expect(steps).toEqual([
      { setWeight: 5 },
      { pause: { duration: 30 } },
      { pause: {} },
      { setCanaryScale: { replicas: 2 } },
      { setCanaryScale: { weight: 25 } },
      { setCanaryScale: { matchTrafficWeight: true } },
      { setHeaderRoute: { name: 'header', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] } },
      { setMirrorRoute: { name: 'mirror', percentage: 10, match: [{ method: { exact: 'GET' }, path: { prefix: '/v2' } }] } },
      { setMirrorRoute: { name: 'mirror' } },
      { setHeaderRoute: { name: 'header' } },
      {
        analysis: {
          templates: [{ templateName: 'success-rate', clusterScope: true }],
          args: [{ name: 'service', value: 'api' }, { name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } }],
        },
      },
      {
        experiment: {
          duration: '600s',
          templates: [{ name: 'baseline', specRef: 'stable', replicas: 1, weight: 5, service: {} }],
          analyses: [{ name: 'compare', templateName: 'compare', args: [{ name: 'ns', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }] }],
        },
      },
      { plugin: { name: 'acme/notify', config: { channel: '#deploys' } } },
    ]);
  });

  test('every experiment field of the CRD: pod annotations, a named Service, dry-run metrics, AnalysisRun metadata, scale-down delay', () => {
    const objects = synth({
      strategy: RolloutStrategy.canary({
        routers: [TrafficRouter.smi()],
        steps: [RolloutStep.experiment({
          duration: Duration.minutes(10),
          templates: [
            { name: 'baseline', specRef: ExperimentSpecRef.STABLE, labels: { role: 'baseline' }, annotations: { team: 'api' }, serviceName: 'api-baseline' },
            { name: 'candidate', specRef: ExperimentSpecRef.CANARY, service: true },
          ],
          analyses: [{ name: 'compare', templateName: 'compare' }],
          dryRunMetrics: ['latency'],
          analysisRunLabels: { experiment: 'yes' },
          analysisRunAnnotations: { owner: 'api' },
          scaleDownDelay: Duration.seconds(60),
        })],
      }),
    });
    expect(canary(objects).steps[0].experiment).toEqual({
      duration: '600s',
      templates: [
        { name: 'baseline', specRef: 'stable', service: { name: 'api-baseline' }, metadata: { labels: { role: 'baseline' }, annotations: { team: 'api' } } },
        { name: 'candidate', specRef: 'canary', service: {} },
      ],
      analyses: [{ name: 'compare', templateName: 'compare' }],
      dryRun: [{ metricName: 'latency' }],
      analysisRunMetadata: { labels: { experiment: 'yes' }, annotations: { owner: 'api' } },
      scaleDownDelaySeconds: 60,
    });
    expect(objects.flatMap((o) => validateSchema(o))).toEqual([]);
    // Every field of the CRD's experiment step has a prop (the template's selector defaults to the Rollout's).
    const crd = require('../../imports/schemas/rollout.json');
    const step = crd.properties.spec.properties.strategy.properties.canary.properties.steps.items.properties.experiment;
    expect(Object.keys(step.properties).sort()).toEqual(Object.keys(canary(objects).steps[0].experiment).sort());
  });

  test('addStep appends after the steps of the props, in call order', () => {
    const objects = synth({ strategy: RolloutStrategy.canary({ steps: [RolloutStep.weight(10)] }) }, (r) => {
      r.addStep(RolloutStep.pause(Duration.seconds(5)));
      r.addStep(RolloutStep.weight(50), RolloutStep.pauseUntilPromoted());
      expect(r.canarySteps.map((s) => s.action)).toEqual(['setWeight', 'pause', 'setWeight', 'pause']);
    });
    expect(canary(objects).steps).toEqual([{ setWeight: 10 }, { pause: { duration: 5 } }, { setWeight: 50 }, { pause: {} }]);
  });

  test('no Services without routing unless asked; with services: true, both before the Rollout', () => {
    expect(order(synth({}))).toEqual(['Rollout/api']);
    const objects = synth({ strategy: RolloutStrategy.canary({ services: true, canaryServiceName: 'api-next' }) });
    expect(order(objects)).toEqual(['Service/api-next', 'Service/api-stable', 'Rollout/api']);
    expect(canary(objects)).toMatchObject({ canaryService: 'api-next', stableService: 'api-stable' });
    expect(one(objects, 'Service', 'api-next').spec.ports).toEqual([{ port: 8080, targetPort: 8080 }]);
  });

  test('servicePorts sets the ports of the strategy Services', () => {
    const objects = synth({
      servicePorts: [{ port: 80, targetPort: 8080, name: 'http' }],
      strategy: RolloutStrategy.canary({ services: true }),
    });
    expect(one(objects, 'Service', 'api-stable').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080 }]);
  });

  test('NGINX routing without stableIngress creates the Ingress to the stable Service, before the Rollout', () => {
    const objects = synth({
      strategy: RolloutStrategy.canary({
        routers: [TrafficRouter.nginx({ host: 'api.example.com', additionalIngressAnnotations: { 'canary-by-header': 'X-Canary' } })],
        maxTrafficWeight: 1000,
        steps: [RolloutStep.weight(500)],
      }),
    });
    expect(order(objects)).toEqual(['Service/api-canary', 'Service/api-stable', 'Ingress/api', 'Rollout/api']);
    const ingress = one(objects, 'Ingress');
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{ host: 'api.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api-stable', port: { number: 8080 } } } }] } }],
    });
    expect(canary(objects).trafficRouting).toEqual({
      nginx: { stableIngress: 'api', additionalIngressAnnotations: { 'canary-by-header': 'X-Canary' } },
      maxTrafficWeight: 1000,
    });
    expect(validateObjects(objects)).toEqual([]);
  });

  test('NGINX routing through an Ingress of the app', () => {
    const objects = synth({
      strategy: RolloutStrategy.canary({ routers: [TrafficRouter.nginx({ stableIngress: 'public' })] }),
    }, undefined, (chart) => ingress(chart, 'public', 'api-stable'));
    expect(objects.filter((o) => o.kind === 'Ingress').map((o) => o.metadata.name)).toEqual(['public']);
    expect(canary(objects).trafficRouting).toEqual({ nginx: { stableIngress: 'public' } });
  });

  test('ALB, Istio, Traefik, Ambassador, Gateway API and plugin routers render their CRD fields', () => {
    // The Ingresses the ALB router names are in the app, before the Rollout, as the synth-time reference checks want.
    const rollouts: any[] = [];
    const routing = (router: TrafficRouter) => {
      const objects = synth({ strategy: RolloutStrategy.canary({ routers: [router] }) }, undefined,
        (chart) => ['alb-a', 'alb-b'].forEach((name) => ingress(chart, name, 'api-stable')));
      rollouts.push(one(objects, 'Rollout'));
      return canary(objects).trafficRouting;
    };
    expect(routing(TrafficRouter.alb({ ingress: 'alb-a', servicePort: 8080, stickiness: Duration.hours(1) })))
      .toEqual({ alb: { ingress: 'alb-a', servicePort: 8080, stickinessConfig: { enabled: true, durationSeconds: 3600 } } });
    expect(routing(TrafficRouter.alb({ ingress: 'alb-a', additionalIngresses: ['alb-b'], servicePort: 8080, annotationPrefix: 'custom.alb' })))
      .toEqual({ alb: { ingresses: ['alb-a', 'alb-b'], servicePort: 8080, annotationPrefix: 'custom.alb' } });
    expect(routing(TrafficRouter.istio({
      virtualServices: [{ name: 'api-vs', routes: ['primary'], tcpRoutePorts: [9000] }],
      destinationRule: { name: 'api-dr', canarySubsetName: 'canary', stableSubsetName: 'stable' },
    }))).toEqual({
      istio: {
        virtualServices: [{ name: 'api-vs', routes: ['primary'], tcpRoutes: [{ port: 9000 }] }],
        destinationRule: { name: 'api-dr', canarySubsetName: 'canary', stableSubsetName: 'stable' },
      },
    });
    expect(routing(TrafficRouter.traefik('api-weighted'))).toEqual({ traefik: { weightedTraefikServiceName: 'api-weighted' } });
    expect(routing(TrafficRouter.ambassador(['api-mapping']))).toEqual({ ambassador: { mappings: ['api-mapping'] } });
    expect(routing(TrafficRouter.gatewayApi({ httpRoute: 'api-route', namespace: 'edge' })))
      .toEqual({ plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'api-route', namespace: 'edge' } } });
    expect(routing(TrafficRouter.plugin('acme/mesh', { weights: 'x' }))).toEqual({ plugins: { 'acme/mesh': { weights: 'x' } } });
    // Each is a valid Rollout for the strict CRD schema and the independent schema library.
    expect(rollouts.flatMap((r) => validateSchema(r))).toEqual([]);
    expect(validateWithSchemaLibrary(rollouts).filter((r) => r.error)).toEqual([]);
  });

  test('APISIX, App Mesh, Istio TLS routes and extra subsets: every router field of the v1.9.1 CRD has a prop', () => {
    const rollouts: any[] = [];
    const routing = (router: TrafficRouter) => {
      const objects = synth({ strategy: RolloutStrategy.canary({ routers: [router] }) });
      rollouts.push(one(objects, 'Rollout'));
      expect(canary(objects)).toMatchObject({ canaryService: 'api-canary', stableService: 'api-stable' });
      return canary(objects).trafficRouting;
    };
    expect(routing(TrafficRouter.apisix({ route: 'api-route', rules: ['main'] })))
      .toEqual({ apisix: { route: { name: 'api-route', rules: ['main'] } } });
    expect(routing(TrafficRouter.apisix({ route: 'api-route' }))).toEqual({ apisix: { route: { name: 'api-route' } } });
    expect(routing(TrafficRouter.appMesh({
      virtualService: 'api-vsvc', routes: ['primary'], canaryVirtualNode: 'api-canary-vn', stableVirtualNode: 'api-stable-vn',
    }))).toEqual({
      appMesh: {
        virtualService: { name: 'api-vsvc', routes: ['primary'] },
        virtualNodeGroup: { canaryVirtualNodeRef: { name: 'api-canary-vn' }, stableVirtualNodeRef: { name: 'api-stable-vn' } },
      },
    });
    expect(routing(TrafficRouter.istio({
      virtualServices: [{ name: 'api-vs', tlsRoutes: [{ port: 443, sniHosts: ['api.example.com'] }, { port: 8443 }] }],
      destinationRule: { name: 'api-dr', canarySubsetName: 'canary', stableSubsetName: 'stable', additionalSubsetNames: ['v0'] },
    }))).toEqual({
      istio: {
        virtualServices: [{ name: 'api-vs', tlsRoutes: [{ port: 443, sniHosts: ['api.example.com'] }, { port: 8443 }] }],
        destinationRule: { name: 'api-dr', canarySubsetName: 'canary', stableSubsetName: 'stable', additionalSubsetNames: ['v0'] },
      },
    });
    // The factories of TrafficRouter cover every router key the CRD knows (plugins through plugin()/gatewayApi()).
    const crd = require('../../imports/schemas/rollout.json');
    const keys = Object.keys(crd.properties.spec.properties.strategy.properties.canary.properties.trafficRouting.properties)
      .filter((k) => k !== 'managedRoutes' && k !== 'maxTrafficWeight');
    expect(keys.sort()).toEqual(Object.values(TrafficRouterKind).sort());
    expect(rollouts.flatMap((r) => validateSchema(r))).toEqual([]);
    expect(validateWithSchemaLibrary(rollouts).filter((r) => r.error)).toEqual([]);
  });

  test('several routers merge into one trafficRouting; plugins share one map; managedRoutes are kept in order', () => {
    const c = canary(synth({
      strategy: RolloutStrategy.canary({
        routers: [TrafficRouter.smi({ trafficSplitName: 'split' }), TrafficRouter.gatewayApi({ httpRoute: 'r' }), TrafficRouter.plugin('acme/x')],
        managedRoutes: ['b', 'a'],
      }),
    }));
    expect(c.trafficRouting).toEqual({
      smi: { rootService: 'api-stable', trafficSplitName: 'split' },
      plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'r' }, 'acme/x': {} },
      managedRoutes: [{ name: 'b' }, { name: 'a' }],
    });
  });

  test('ping-pong Services replace the canary and stable Services', () => {
    const objects = synth({
      strategy: RolloutStrategy.canary({
        pingPong: {},
        routers: [TrafficRouter.alb({ ingress: 'edge', servicePort: 8080, rootService: 'api-root' })],
      }),
    }, undefined, (chart) => ingress(chart, 'edge', 'api-root'));
    const c = canary(objects);
    expect(c.pingPong).toEqual({ pingService: 'api-ping', pongService: 'api-pong' });
    expect(c).not.toHaveProperty('canaryService');
    expect(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name)).toEqual(expect.arrayContaining(['api-ping', 'api-pong']));
  });

  test('background analysis with its starting step, merged with addBackgroundAnalysis; templates of the app come first', () => {
    const objects = synthChart((chart) => {
      const t = new NginxAnalysisTemplate(chart, 'ok', { name: 'ok', prometheusAddress: 'http://prom:9090' });
      const r = new Rollout(chart, 'api', {
        metadata: { name: 'api' },
        containers: [container],
        strategy: RolloutStrategy.canary({
          steps: [RolloutStep.weight(20), RolloutStep.pause(Duration.minutes(1))],
          analysis: RolloutAnalysis.templates([AnalysisTemplateRef.fromTemplate(t)], {
            args: [AnalysisArgument.fromFieldPath('namespace', 'metadata.namespace'), AnalysisArgument.fromFieldPath('rollout', 'metadata.name'),
              AnalysisArgument.fromPodTemplateHash('latest-hash', PodTemplateHash.LATEST), AnalysisArgument.fromPodTemplateHash('stable-hash', PodTemplateHash.STABLE)],
            dryRunMetrics: ['request-rate'],
            measurementRetention: { 'nginx-up': 20 },
            analysisRunLabels: { team: 'api' },
          }),
          analysisStartingStep: 1,
        }),
      });
      r.addBackgroundAnalysis(RolloutAnalysis.templates([AnalysisTemplateRef.fromClusterTemplateName('error-rate')]));
    });
    const analysis = canary(objects).analysis;
    expect(analysis.templates).toEqual([{ templateName: 'ok' }, { templateName: 'error-rate', clusterScope: true }]);
    expect(analysis.args.map((a: any) => a.name)).toEqual(['namespace', 'rollout', 'latest-hash', 'stable-hash']);
    expect(analysis).toMatchObject({
      startingStep: 1,
      dryRun: [{ metricName: 'request-rate' }],
      measurementRetention: [{ metricName: 'nginx-up', limit: 20 }],
      analysisRunMetadata: { labels: { team: 'api' } },
    });
    expect(indexOf(objects, 'AnalysisTemplate', 'ok')).toBeLessThan(indexOf(objects, 'Rollout', 'api'));
  });
});

describe('Rollout: references', () => {
  test('objects it names by name may live outside the chart (a ClusterAnalysisTemplate, an Ingress of another app)', () => {
    const objects = synth({
      strategy: RolloutStrategy.canary({
        routers: [TrafficRouter.nginx({ stableIngress: 'shared-edge' })],
        analysis: RolloutAnalysis.templates([AnalysisTemplateRef.fromClusterTemplateName('platform-slo'), AnalysisTemplateRef.fromName('team-slo')]),
      }),
    });
    expect(canary(objects).trafficRouting.nginx.stableIngress).toBe('shared-edge');
  });

  test('an object of the chart that it names must still come before it', () => {
    expect(() => synth({
      strategy: RolloutStrategy.canary({ routers: [TrafficRouter.nginx({ stableIngress: 'late' })] }),
    }, (_, chart) => ingress(chart, 'late', 'api-stable'))).toThrow(
      "Rollout 'test/api': Rollout/api: spec.strategy.canary.trafficRouting.nginx.stableIngress: Invalid value: \"late\": ingress \"late\" must come before the Rollout that uses it [ingress-order]");
  });
});

describe('Rollout: blue/green', () => {
  test('every blue/green field of the CRD, and both Services before the Rollout', () => {
    const objects = synth({
      strategy: RolloutStrategy.blueGreen({
        autoPromotionEnabled: true,
        autoPromotionDelay: Duration.minutes(1),
        scaleDownDelay: Duration.seconds(30),
        scaleDownDelayRevisionLimit: 1,
        abortScaleDownDelay: Duration.seconds(10),
        previewReplicaCount: 1,
        previewMetadata: { labels: { role: 'preview' } },
        activeMetadata: { labels: { role: 'active' } },
        antiAffinity: AntiAffinity.required(),
        maxUnavailable: kplus.PercentOrAbsolute.percent(10),
        prePromotionAnalysis: RolloutAnalysis.templates([AnalysisTemplateRef.fromClusterTemplateName('smoke')]),
      }),
    });
    expect(order(objects)).toEqual(['Service/api-active', 'Service/api-preview', 'Rollout/api']);
    expect(objects.flatMap((o) => validateSchema(o))).toEqual([]);
    expect(blueGreen(objects)).toEqual({
      activeService: 'api-active',
      previewService: 'api-preview',
      autoPromotionEnabled: true,
      autoPromotionSeconds: 60,
      scaleDownDelaySeconds: 30,
      scaleDownDelayRevisionLimit: 1,
      abortScaleDownDelaySeconds: 10,
      previewReplicaCount: 1,
      previewMetadata: { labels: { role: 'preview' } },
      activeMetadata: { labels: { role: 'active' } },
      antiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} },
      maxUnavailable: '10%',
      prePromotionAnalysis: { templates: [{ templateName: 'smoke', clusterScope: true }] },
    });
  });

  test('without a preview Service; promotion analysis added by the mutators, in call order', () => {
    const objects = synth({ strategy: RolloutStrategy.blueGreen({ previewService: false, activeServiceName: 'api' }) }, (r) => {
      r.addPrePromotionAnalysis(RolloutAnalysis.templates([AnalysisTemplateRef.fromName('a')]));
      r.addPrePromotionAnalysis(RolloutAnalysis.templates([AnalysisTemplateRef.fromName('b')]));
      r.addPostPromotionAnalysis(RolloutAnalysis.templates([AnalysisTemplateRef.fromName('c')], { args: [AnalysisArgument.fromValue('x', '1')] }));
    }).map((o) => o);
    const bg = blueGreen(objects);
    expect(bg.activeService).toBe('api');
    expect(bg).not.toHaveProperty('previewService');
    expect(bg.prePromotionAnalysis.templates).toEqual([{ templateName: 'a' }, { templateName: 'b' }]);
    expect(bg.postPromotionAnalysis).toEqual({ templates: [{ templateName: 'c' }], args: [{ name: 'x', value: '1' }] });
  });
});

describe('Rollout: errors name the construct, the prop, the value and the rule', () => {
  const build = (props: RolloutProps, extra: (r: Rollout) => void = () => undefined) => () => synth(props, extra);

  test.each<[string, () => unknown, string]>([
    ['a fractional pause', build({ strategy: RolloutStrategy.canary({ steps: [RolloutStep.weight(1), RolloutStep.pause(Duration.millis(1500))] }) }),
      "steps[1].pause.duration is '1.5s'; it must be whole seconds, 0 or more"],
    ['a negative weight', build({ strategy: RolloutStrategy.canary({ steps: [RolloutStep.weight(-5)] }) }),
      'steps[0].setWeight is -5; it must be a whole percent, 0 or more'],
    ['a bad weight added later', build({}, (r) => r.addStep(RolloutStep.weight(10), RolloutStep.weight(2.5))),
      'steps[1].setWeight is 2.5; it must be a whole percent, 0 or more'],
    ['a canary scale above 100%', build({ strategy: RolloutStrategy.canary({ steps: [RolloutStep.canaryScaleWeight(120)] }) }),
      'steps[0].setCanaryScale.weight is 120; it must be an integer in 0..100'],
    ['a bad Service name', build({ strategy: RolloutStrategy.canary({ services: true, canaryServiceName: 'API' }) }),
      "canaryServiceName is 'API'; a Service name must be a DNS-1035 label"],
    ['routing without Services', build({ strategy: RolloutStrategy.canary({ services: false, routers: [TrafficRouter.smi()] }) }),
      'services is false; traffic routing needs the canary and stable Services'],
    ['the same router twice', build({ strategy: RolloutStrategy.canary({ routers: [TrafficRouter.smi(), TrafficRouter.smi()] }) }),
      `routers is ["smi","smi"]; each router may be given once ('smi' repeats)`],
    ['an analysis without templates', build({ strategy: RolloutStrategy.canary({ steps: [RolloutStep.analysis(RolloutAnalysis.templates([]))] }) }),
      'steps[0].analysis.templates is []; it needs at least one template'],
    ['an experiment that never ends', build({ strategy: RolloutStrategy.canary({ steps: [RolloutStep.experiment({ templates: [{ name: 'a', specRef: ExperimentSpecRef.CANARY }] })] }) }),
      'steps[0].experiment.duration is undefined; an experiment without a duration needs an analysis with requiredForCompletion'],
    ['an Istio router without VirtualServices', build({ strategy: RolloutStrategy.canary({ routers: [TrafficRouter.istio({ virtualServices: [] })] }) }),
      'routers[0].virtualServices is []; it needs at least one VirtualService'],
    ['an App Mesh router with one VirtualNode for both sides', build({ strategy: RolloutStrategy.canary({ routers: [TrafficRouter.appMesh({ virtualService: 'vs', canaryVirtualNode: 'vn', stableVirtualNode: 'vn' })] }) }),
      "routers[0].stableVirtualNode is 'vn'; the canary and stable VirtualNodes must differ"],
    ['an APISIX route that is not an object name', build({ strategy: RolloutStrategy.canary({ routers: [TrafficRouter.apisix({ route: 'API Route' })] }) }),
      "routers[0].route is 'API Route'; it must be"],
    ['an Istio TLS route port out of range', build({ strategy: RolloutStrategy.canary({ routers: [TrafficRouter.istio({ virtualServices: [{ name: 'vs', tlsRoutes: [{ port: 0 }] }] })] }) }),
      'routers[0].virtualServices[0].tlsRoutes[0].port is 0; it must be an integer in 1..65535'],
    ['an experiment Service name that is not a DNS-1035 label', build({ strategy: RolloutStrategy.canary({ steps: [RolloutStep.experiment({ duration: Duration.minutes(1), templates: [{ name: 'a', specRef: ExperimentSpecRef.CANARY, serviceName: 'API' }] })] }) }),
      "steps[0].experiment.templates[0].serviceName is 'API'; a Service name must be a DNS-1035 label"],
    ['a fractional experiment scale-down delay', build({ strategy: RolloutStrategy.canary({ steps: [RolloutStep.experiment({ duration: Duration.minutes(1), scaleDownDelay: Duration.millis(1500), templates: [{ name: 'a', specRef: ExperimentSpecRef.CANARY }] })] }) }),
      "steps[0].experiment.scaleDownDelay is '1.5s'; it must be whole seconds, 0 or more"],
    ['a starting step past the steps', build({ strategy: RolloutStrategy.canary({ steps: [RolloutStep.weight(1)], analysis: RolloutAnalysis.templates([AnalysisTemplateRef.fromName('a')]), analysisStartingStep: 3 }) }),
      'analysisStartingStep is 3; it must be an integer in 0..0'],
    ['addStep on a blue/green Rollout', build({ strategy: RolloutStrategy.blueGreen() }, (r) => r.addStep(RolloutStep.weight(1))),
      "addStep is 'blueGreen'; it needs a canary strategy"],
    ['promotion analysis on a canary', build({}, (r) => r.addPrePromotionAnalysis(RolloutAnalysis.templates([AnalysisTemplateRef.fromName('a')]))),
      "addPrePromotionAnalysis is 'canary'; it needs a blueGreen strategy"],
    ['conflicting analysis arguments', build({ strategy: RolloutStrategy.blueGreen({ prePromotionAnalysis: RolloutAnalysis.templates([AnalysisTemplateRef.fromName('a')], { args: [AnalysisArgument.fromValue('x', '1')] }) }) },
      (r) => r.addPrePromotionAnalysis(RolloutAnalysis.templates([AnalysisTemplateRef.fromName('b')], { args: [AnalysisArgument.fromValue('x', '2')] }))),
    `prePromotionAnalysis is ["x"]; analysis argument 'x' is given twice with different values`],
    ['Services without a port', () => synthChart((c) => new Rollout(c, 'api', { containers: [{ image: IMAGE }], strategy: RolloutStrategy.blueGreen() })),
      'servicePorts is []; the blueGreen Services need a port: give servicePorts, or a container with a port in containers'],
    ['a negative replica count', build({ replicas: -1 }), 'replicas is -1; it must be an integer >= 0'],
  ])('%s', (_, run, message) => {
    expect(run).toThrow(`Rollout 'test/api': ${message}`);
  });

  test.each<[string, RolloutProps, string]>([
    ['setWeight above 100 (the engine owns the range, which depends on maxTrafficWeight)',
      { strategy: RolloutStrategy.canary({ steps: [RolloutStep.weight(150)] }) },
      'spec.strategy.steps[0].setWeight: Invalid value: 150: SetWeight needs to be between 0 and 100 [setweight-range]'],
    ['setCanaryScale without routing', { strategy: RolloutStrategy.canary({ steps: [RolloutStep.canaryScaleReplicas(1)] }) },
      '[set-canary-scale-needs-traffic-routing]'],
    ['a header route with NGINX', {
      strategy: RolloutStrategy.canary({
        routers: [TrafficRouter.nginx()], managedRoutes: ['h'],
        steps: [RolloutStep.headerRoute('h', [{ headerName: 'x', headerValue: StringMatch.exact('1') }])],
      }),
    }, '[set-header-route-router]'],
  ])('at synth, the rules engine: %s', (_, props, fragment) => {
    expect(() => synth(props)).toThrow(/Rollout 'test\/api': Rollout\/api: /);
    expect(() => synth(props)).toThrow(fragment);
  });
});

describe('Rollout: output validity', () => {
  /** A canary and a blue/green Rollout using most of the API. */
  function fullChart(): any[] {
    return synthChart((chart) => {
      const secret = new kplus.Secret(chart, 'secret', { metadata: { name: 'api-db' }, stringData: { password: 'x' } });
      const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'api' } });
      const template = new NginxAnalysisTemplate(chart, 'ok', { name: 'ok', prometheusAddress: 'http://prom:9090' });
      const nginxArgs = [AnalysisArgument.fromFieldPath('namespace', 'metadata.namespace'), AnalysisArgument.fromFieldPath('rollout', 'metadata.name'),
        AnalysisArgument.fromPodTemplateHash('latest-hash', PodTemplateHash.LATEST), AnalysisArgument.fromPodTemplateHash('stable-hash', PodTemplateHash.STABLE)];
      const api = new Rollout(chart, 'api', {
        metadata: { name: 'api' },
        replicas: 3,
        serviceAccount: sa,
        containers: [{ ...container, envVariables: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }) } }],
        strategy: RolloutStrategy.canary({
          routers: [TrafficRouter.nginx()],
          steps: [RolloutStep.weight(20), RolloutStep.analysis(RolloutAnalysis.templates([AnalysisTemplateRef.fromTemplate(template)], { args: nginxArgs }))],
          dynamicStableScale: true,
          analysis: RolloutAnalysis.templates([AnalysisTemplateRef.fromTemplate(template)], { args: nginxArgs }),
        }),
      });
      api.addStep(RolloutStep.canaryScaleReplicas(1), RolloutStep.pause(Duration.minutes(1)), RolloutStep.weight(60), RolloutStep.pauseUntilPromoted());
      const web = new Rollout(chart, 'web', {
        metadata: { name: 'web' },
        containers: [{ image: 'ghcr.io/acme/web:2.0.0', portNumber: 80 }],
        strategy: RolloutStrategy.blueGreen({ autoPromotionEnabled: false, scaleDownDelay: Duration.seconds(30) }),
      });
      web.addPrePromotionAnalysis(RolloutAnalysis.templates([AnalysisTemplateRef.fromTemplate(template)], { args: nginxArgs }));
    });
  }

  const objects = fullChart();

  test('the rules engine finds nothing, references present and in order', () => {
    expect(validateObjects(objects, { missingReference: 'error' })).toEqual([]);
  });

  test('the strict CRD schema and the independent schema library accept every object', () => {
    expect(objects.flatMap((o) => validateSchema(o))).toEqual([]);
    const results = validateWithSchemaLibrary(objects);
    expect(results).toHaveLength(objects.length);
    expect(results.filter((r) => r.error)).toEqual([]);
  });

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('Rollout: props from plain JavaScript', () => {
  // A function for props whose factories threw on old code, so that each case fails on its own there.
  const build = (props: any) => () => synthChart((c) => new Rollout(c, 'api', { containers: [container], ...(typeof props === 'function' ? props() : props) }));

  test.each<[string, any, string]>([
    ['a strategy that is a plain object', { strategy: { canary: {} } },
      'strategy is {"canary":{}}; it must be RolloutStrategy.canary({...}) or RolloutStrategy.blueGreen({...})'],
    ['steps that are not a list', { strategy: RolloutStrategy.canary({ steps: 'weight 20' as any }) }, "strategy.steps is 'weight 20'; it must be a list"],
    ['a step that is a plain object', { strategy: RolloutStrategy.canary({ steps: [{ setWeight: 20 } as any] }) },
      'steps[0] is {"setWeight":20}; it must be a RolloutStep, such as RolloutStep.weight(20)'],
    ['a router given by name', { strategy: RolloutStrategy.canary({ routers: ['nginx' as any] }) },
      "routers[0] is 'nginx'; it must be a TrafficRouter, such as TrafficRouter.nginx()"],
    ['an analysis that is a list of names', { strategy: RolloutStrategy.blueGreen({ prePromotionAnalysis: ['smoke'] as any }) },
      'prePromotionAnalysis is ["smoke"]; it must be a RolloutAnalysis, from RolloutAnalysis.templates([...])'],
    // Issue 9's failures, on the general Rollout: each was written to YAML as given (`image: 5`,
    // `autoPromotionEnabled: "false"`), which the API server's schema and lint --strict refuse.
    ['an image that is a number', { containers: [{ image: 5 }] }, 'containers[0].image is 5; it must be a string'],
    ['a container without an image', { containers: [container, { name: 'side' }] }, 'containers[1].image is undefined; it must be a string'],
    ['autoPromotionEnabled as a string', { containers: [{ ...container, portNumber: 80 }], strategy: RolloutStrategy.blueGreen({ autoPromotionEnabled: 'false' as any }) },
      "autoPromotionEnabled is 'false'; it must be true or false"],
    ['previewService as a string', { strategy: RolloutStrategy.blueGreen({ previewService: 'no' as any }) }, "previewService is 'no'; it must be true or false"],
    ['progressDeadlineAbort as a string', { progressDeadlineAbort: 'yes' }, "progressDeadlineAbort is 'yes'; it must be true or false"],
    ['services as a string', { strategy: RolloutStrategy.canary({ services: 'true' as any }) }, "services is 'true'; it must be true or false"],
    ['dynamicStableScale as a number', { strategy: RolloutStrategy.canary({ dynamicStableScale: 1 as any }) }, 'dynamicStableScale is 1; it must be true or false'],
    // Was "maxSurge is undefined": the value's own `.value` was shown.
    ['maxSurge as a plain number', { strategy: RolloutStrategy.canary({ maxSurge: 5 as any }) },
      'maxSurge is 5; it must be a PercentOrAbsolute: PercentOrAbsolute.percent(25) or PercentOrAbsolute.absolute(1)'],
    // Was a TypeError naming nothing: `c.antiAffinity?.toJson is not a function`, `routes.find is not a function`.
    ['antiAffinity as a plain object', { strategy: RolloutStrategy.canary({ antiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } as any }) },
      'antiAffinity is {"requiredDuringSchedulingIgnoredDuringExecution":{}}; it must be AntiAffinity.preferred(weight) or AntiAffinity.required()'],
    ['an antiAffinity weight out of range', { strategy: RolloutStrategy.blueGreen({ antiAffinity: AntiAffinity.preferred(0) }) }, 'antiAffinity.weight is 0; it must be an integer in 1..100'],
    ['managedRoutes as a string', { strategy: RolloutStrategy.canary({ managedRoutes: 'h' as any }) }, "managedRoutes is 'h'; it must be a list"],
    ['a managed route that is not a string', { strategy: RolloutStrategy.canary({ managedRoutes: [5] as any }) }, 'managedRoutes[0] is 5; it must be a string'],
    ['canaryMetadata annotations that are not strings', { strategy: RolloutStrategy.canary({ canaryMetadata: { annotations: { team: true } } as any }) },
      "canaryMetadata.annotations['team'] is true; an annotation value must be a string"],
    ['activeMetadata as a string', { strategy: RolloutStrategy.blueGreen({ activeMetadata: 'x' as any }) }, "activeMetadata is 'x'; it must be an object"],
    ['servicePorts as a string', { servicePorts: '80' }, "servicePorts is '80'; it must be a list"],
    ['a service port out of range', { strategy: RolloutStrategy.canary({ services: true }), servicePorts: [{ port: 70000 }] }, 'servicePorts[0].port is 70000; it must be an integer in 1..65535'],
    // Written as given before (`labels: {a: true}`, `value: 5`), or a TypeError naming nothing.
    ['a label value that is not a string', { metadata: { labels: { a: true } } },
      "metadata.labels['a'] is true; a label value is at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit (or empty), as a string"],
    ['an annotation value that is not a string', { metadata: { annotations: { b: 5 } } }, "metadata.annotations['b'] is 5; an annotation value must be a string"],
    ['canary options that are null', { strategy: RolloutStrategy.canary(null as any) }, 'strategy options is null; it must be an object'],
    ['a pause of a number, not a Duration', () => ({ strategy: RolloutStrategy.canary({ steps: [RolloutStep.weight(10), RolloutStep.pause(30 as any)] }) }),
      'steps[1].pause.duration is 30; it must be a Duration, such as Duration.seconds(30)'],
    ['a pause without a duration', () => ({ strategy: RolloutStrategy.canary({ steps: [(RolloutStep.pause as any)()] }) }),
      'steps[0].pause.duration is undefined; it must be a Duration, such as Duration.seconds(30)'],
    ['analysis templates given by name', { strategy: RolloutStrategy.canary({ analysis: RolloutAnalysis.templates(['smoke'] as any) }) },
      "analysis.templates[0] is 'smoke'; it must be an AnalysisTemplateRef, such as AnalysisTemplateRef.fromName(name)"],
    ['analysis templates that are not a list', () => ({ strategy: RolloutStrategy.canary({ analysis: RolloutAnalysis.templates(5 as any) }) }),
      'analysis.templates is 5; it must be a list'],
    ['an analysis argument value that is a number', { strategy: RolloutStrategy.canary({ analysis: RolloutAnalysis.templates([AnalysisTemplateRef.fromName('a')], { args: [AnalysisArgument.fromValue('x', 5 as any)] }) }) },
      'analysis.args[0].value is 5; it must be a string'],
    ['an analysis argument given as a plain object', { strategy: RolloutStrategy.blueGreen({ prePromotionAnalysis: RolloutAnalysis.templates([AnalysisTemplateRef.fromName('a')], { args: [{ name: 'x', value: '1' }] as any }) }) },
      'prePromotionAnalysis.args[0] is {"name":"x","value":"1"}; it must be an AnalysisArgument, such as AnalysisArgument.fromValue(name, value)'],
    ['dryRunMetrics as a string', { strategy: RolloutStrategy.canary({ analysis: RolloutAnalysis.templates([AnalysisTemplateRef.fromName('a')], { dryRunMetrics: 'm' as any }) }) },
      "analysis.dryRunMetrics is 'm'; it must be a list"],
    // Were TypeErrors naming nothing: `matches.map is not a function`, `Cannot read properties of undefined (reading
    // 'length')`, `options.duration?.toSeconds is not a function`.
    ['pingPong as a string', { strategy: RolloutStrategy.canary({ pingPong: 'yes' as any }) }, "pingPong is 'yes'; it must be an object"],
    ['header route matches that are not a list', { strategy: RolloutStrategy.canary({ routers: [TrafficRouter.istio({ virtualServices: [{ name: 'vs' }] })], managedRoutes: ['h'], steps: [RolloutStep.headerRoute('h', 'x-canary' as any)] }) },
      "steps[0].setHeaderRoute.match is 'x-canary'; it must be a list"],
    ['a header value that is a plain string', { strategy: RolloutStrategy.canary({ routers: [TrafficRouter.istio({ virtualServices: [{ name: 'vs' }] })], managedRoutes: ['h'], steps: [RolloutStep.headerRoute('h', [{ headerName: 'x', headerValue: '1' as any }])] }) },
      "steps[0].setHeaderRoute.match[0].headerValue is '1'; it must be a StringMatch, such as StringMatch.exact(value)"],
    ['a StringMatch of a number', { strategy: RolloutStrategy.canary({ routers: [TrafficRouter.istio({ virtualServices: [{ name: 'vs' }] })], managedRoutes: ['h'], steps: [RolloutStep.mirrorRoute('h', { matches: [{ path: StringMatch.prefix(5 as any) }] })] }) },
      'steps[0].setMirrorRoute.match[0].path.prefix is 5; it must be a string'],
    ['mirror route options that are null', () => ({ strategy: RolloutStrategy.canary({ routers: [TrafficRouter.istio({ virtualServices: [{ name: 'vs' }] })], managedRoutes: ['h'], steps: [RolloutStep.mirrorRoute('h', null as any)] }) }),
      'steps[0].setMirrorRoute options is null; it must be an object'],
    ['experiment options that are a string', () => ({ strategy: RolloutStrategy.canary({ steps: [RolloutStep.experiment('a' as any)] }) }),
      "steps[0].experiment options is 'a'; it must be an object"],
    ['an experiment template with an unknown specRef', { strategy: RolloutStrategy.canary({ steps: [RolloutStep.experiment({ templates: [{ name: 'a', specRef: 'preview' as any }], duration: Duration.minutes(1) })] }) },
      "steps[0].experiment.templates[0].specRef is 'preview'; it must be ExperimentSpecRef.STABLE or ExperimentSpecRef.CANARY"],
    ['an experiment duration that is a number', () => ({ strategy: RolloutStrategy.canary({ steps: [RolloutStep.experiment({ templates: [{ name: 'a', specRef: ExperimentSpecRef.CANARY }], duration: 60 as any })] }) }),
      'steps[0].experiment.duration is 60; it must be a Duration, such as Duration.seconds(30)'],
    ['analysisRunLabels with a number', { strategy: RolloutStrategy.canary({ steps: [RolloutStep.analysis(RolloutAnalysis.templates([AnalysisTemplateRef.fromName('a')], { analysisRunLabels: { l: 1 } as any }))] }) },
      "steps[0].analysis.analysisRunLabels['l'] is 1; a label value is at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit (or empty), as a string"],
    // Traffic router options from plain JavaScript: were "Cannot read properties of null (reading 'stableIngress')",
    // "options.virtualServices.forEach is not a function", "Cannot read properties of null (reading 'stickiness')" (the
    // last two thrown by the factory itself, before any construct existed), or written as given.
    ['nginx router options that are null', () => ({ strategy: RolloutStrategy.canary({ routers: [TrafficRouter.nginx(null as any)] }) }),
      'routers[0] options is null; it must be an object'],
    ['nginx router annotations that are a string', { strategy: RolloutStrategy.canary({ routers: [TrafficRouter.nginx({ additionalIngressAnnotations: 'x' as any })] }) },
      "routers[0].additionalIngressAnnotations is 'x'; it must be an object"],
    ['an nginx stable Ingress that is a number', { strategy: RolloutStrategy.canary({ routers: [TrafficRouter.nginx({ stableIngress: 5 as any })] }) },
      'routers[0].stableIngress is 5; it must be a string'],
    ['Istio VirtualServices given as a string', () => ({ strategy: RolloutStrategy.canary({ routers: [TrafficRouter.istio({ virtualServices: 'vs' as any })] }) }),
      "routers[0].virtualServices is 'vs'; it must be a list"],
    ['an Istio VirtualService without a name', { strategy: RolloutStrategy.canary({ routers: [TrafficRouter.istio({ virtualServices: [{}] as any })] }) },
      'routers[0].virtualServices[0].name is null; it must be a string'],
    ['ALB options that are null', () => ({ strategy: RolloutStrategy.canary({ routers: [TrafficRouter.alb(null as any)] }) }),
      'routers[0] options is null; it must be an object'],
    ['ALB stickiness that is a number', () => ({ strategy: RolloutStrategy.canary({ routers: [TrafficRouter.alb({ ingress: 'web', servicePort: 80, stickiness: 60 as any })] }) }),
      'routers[0].stickiness is 60; it must be a Duration, such as Duration.hours(1)'],
    ['Ambassador mappings given as a string', { strategy: RolloutStrategy.canary({ routers: [TrafficRouter.ambassador('m' as any)] }) },
      "routers[0].mappings is 'm'; it must be a list"],
    ['Gateway API options that are null', () => ({ strategy: RolloutStrategy.canary({ routers: [TrafficRouter.gatewayApi(null as any)] }) }),
      'routers[0] options is null; it must be an object'],
    ['a plugin without a name', { strategy: RolloutStrategy.canary({ routers: [TrafficRouter.plugin(undefined as any)] }) },
      'routers[0].name is undefined; it must name a traffic router plugin'],
    // The pod props cdk8s-plus reads before the Rollout's own checks: were `props.volumes.forEach is not a function`,
    // or dropped without a word (`securityContext: 'x'`, `serviceAccount: 'sa'`).
    ['volumes as a string', { volumes: 'v' }, "volumes is 'v'; it must be a list"],
    ['initContainers as an object', { initContainers: {} }, 'initContainers is {}; it must be a list'],
    ['containers as a string', { containers: 'nginx' }, "containers is 'nginx'; it must be a list"],
    ['a container that is null', { containers: [null] }, 'containers[0] is null; it must be an object'],
    ['securityContext as a string', { securityContext: 'x' }, "securityContext is 'x'; it must be an object"],
    ['serviceAccount given by name', { serviceAccount: 'sa' }, "serviceAccount is 'sa'; it must be an object"],
    ['podMetadata as a string', { podMetadata: 'x' }, "podMetadata is 'x'; it must be an object"],
    ['hostNetwork as a string', { hostNetwork: 'true' }, "hostNetwork is 'true'; it must be true or false"],
    ['terminationGracePeriod as a number', { terminationGracePeriod: 30 }, 'terminationGracePeriod is 30; it must be a Duration, such as Duration.seconds(30)'],
  ])('%s is an error naming the construct, not a crash', (_, props, message) => {
    expect(build(props)).toThrow(`Rollout 'test/api': ${message}`);
  });

  test('several bad props are reported together, in one error', () => {
    expect(build({ progressDeadlineAbort: 'yes', containers: [{ image: 5 }], strategy: RolloutStrategy.blueGreen({ autoPromotionEnabled: 'false' as any }), servicePorts: [{ port: 80 }] }))
      .toThrow("Rollout 'test/api': 3 invalid props:\n  - progressDeadlineAbort is 'yes'; it must be true or false\n  - containers[0].image is 5; it must be a string\n  - autoPromotionEnabled is 'false'; it must be true or false");
  });

  test('props that are null: an error naming the construct, and nothing left in the tree', () => {
    const chart = Testing.chart();
    expect(() => new Rollout(chart, 'api', null as any)).toThrow(`Rollout '${chart.node.path}/api': props is null; it must be an object`);
    expect(chart.node.children).toHaveLength(0);
  });

  test('addStep with a plain object', () => {
    expect(() => synthChart((c) => new Rollout(c, 'api', { containers: [container] }).addStep({ setWeight: 1 } as any)))
      .toThrow("Rollout 'test/api': steps[0] is {\"setWeight\":1}; it must be a RolloutStep");
  });
});

/** What construction keeps and looks up: only what a Rollout needs later (construction cost is per Rollout). */
describe('Rollout: construction', () => {
  test("apiObjectOf reads a cdk8s-plus resource's own ApiObject, its default child Resource, as ApiObject.of finds it", () => {
    const chart = new Chart(Testing.app(), 'test');
    const map = new kplus.ConfigMap(chart, 'conf');
    const svc = new kplus.Service(chart, 'svc', { ports: [{ port: 80 }] });
    expect(apiObjectOf(map)).toBe(ApiObject.of(map));
    expect(apiObjectOf(svc)).toBe(ApiObject.of(svc));
    const l1 = new kplus.k8s.KubeConfigMap(chart, 'l1');
    expect(apiObjectOf(l1)).toBe(l1);
  });

  test('apiObjectOf falls back to ApiObject.of when a resource keeps its ApiObject otherwise (a changed cdk8s-plus)', () => {
    const chart = new Chart(Testing.app(), 'test');
    // No `apiObject` member at all: the default child is found by id.
    const plain = new Construct(chart, 'plain');
    const child = new kplus.k8s.KubeConfigMap(plain, 'Resource');
    expect(apiObjectOf(plain)).toBe(child);
    // An `apiObject` member that is not the default child (held elsewhere, or under another id): the default child wins.
    const odd = new Construct(chart, 'odd') as Construct & { apiObject?: ApiObject };
    const own = new kplus.k8s.KubeConfigMap(odd, 'Default');
    odd.apiObject = new kplus.k8s.KubeConfigMap(chart, 'elsewhere');
    expect(apiObjectOf(odd)).toBe(own);
    const under = new Construct(chart, 'under') as Construct & { apiObject?: ApiObject };
    under.apiObject = new kplus.k8s.KubeConfigMap(under, 'Other');
    const dflt = new kplus.k8s.KubeConfigMap(under, 'Resource');
    expect(apiObjectOf(under)).toBe(dflt);
  });
});
