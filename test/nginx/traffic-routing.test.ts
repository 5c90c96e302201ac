import { Duration } from 'cdk8s';
import { CanaryNginxRollout, CanaryNginxRolloutProps, CanaryStep, TrafficRouting } from '../../lib';
import { indexOf, one, synthChart } from '../support/synth';

const synth = (props: CanaryNginxRolloutProps) =>
  synthChart((c) => new CanaryNginxRollout(c, 'web', { name: 'web', replicas: 4, ...props }));

describe('canary Services and traffic routing', () => {
  test('canaryServices creates selector-matched canary and stable Services before the Rollout', () => {
    const objects = synth({ canaryServices: true });
    const rollout = one(objects, 'Rollout');
    expect(rollout.spec.strategy.canary).toMatchObject({ canaryService: 'web-canary', stableService: 'web-stable' });
    expect(rollout.spec.strategy.canary).not.toHaveProperty('trafficRouting');
    for (const name of ['web-canary', 'web-stable']) {
      expect(one(objects, 'Service', name).spec.selector).toEqual(rollout.spec.template.metadata.labels);
      expect(indexOf(objects, 'Service', name)).toBeLessThan(indexOf(objects, 'Rollout', 'web'));
    }
  });

  test('NGINX Ingress routing creates the Services and a stable Ingress, all before the Rollout', () => {
    const objects = synth({ trafficRouting: TrafficRouting.nginxIngress({ host: 'shop.example.com' }) });
    const rollout = one(objects, 'Rollout');
    expect(rollout.spec.strategy.canary.trafficRouting).toEqual({ nginx: { stableIngress: 'web' } });
    const ingress = one(objects, 'Ingress', 'web');
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{
        host: 'shop.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web-stable', port: { number: 80 } } } }] },
      }],
    });
    expect(objects.map((o) => o.kind)).toEqual(['ConfigMap', 'Service', 'Service', 'Ingress', 'Rollout']);
  });

  test('an existing Ingress is referenced, not created', () => {
    const objects = synth({ trafficRouting: TrafficRouting.nginxIngress({ stableIngress: 'shop-ingress' }) });
    expect(objects.filter((o) => o.kind === 'Ingress')).toEqual([]);
    expect(one(objects, 'Rollout').spec.strategy.canary.trafficRouting.nginx).toEqual({ stableIngress: 'shop-ingress' });
  });

  test('SMI routing names the root Service and TrafficSplit', () => {
    const rollout = one(synth({ trafficRouting: TrafficRouting.smi() }), 'Rollout');
    expect(rollout.spec.strategy.canary.trafficRouting).toEqual({ smi: { rootService: 'web-stable', trafficSplitName: 'web' } });
  });

  test('with routing, the routing-only features are written', () => {
    const rollout = one(synth({
      trafficRouting: TrafficRouting.nginxIngress({ maxTrafficWeight: 1000 }),
      steps: [CanaryStep.setCanaryScale({ replicas: 1 }), CanaryStep.setWeight(5), CanaryStep.setCanaryScale({ matchTrafficWeight: true })],
      scaleDownDelay: Duration.seconds(60),
    }), 'Rollout');
    const canary = rollout.spec.strategy.canary;
    expect(canary.steps).toEqual([{ setCanaryScale: { replicas: 1 } }, { setWeight: 5 }, { setCanaryScale: { matchTrafficWeight: true } }]);
    expect(canary.scaleDownDelaySeconds).toBe(60);
    expect(canary.trafficRouting.maxTrafficWeight).toBe(1000);
    expect(one(synth({ trafficRouting: TrafficRouting.smi(), dynamicStableScale: true }), 'Rollout').spec.strategy.canary.dynamicStableScale).toBe(true);
  });

  test.each<[string, CanaryNginxRolloutProps, string]>([
    ['setCanaryScale without routing', { steps: [CanaryStep.setCanaryScale({ replicas: 1 })] },
      'steps[0].setCanaryScale is {"replicas":1}; it needs trafficRouting'],
    ['dynamicStableScale without routing', { dynamicStableScale: true }, 'dynamicStableScale is true; it needs trafficRouting'],
    ['a canary scaleDownDelay without routing', { scaleDownDelay: Duration.seconds(30) }, "scaleDownDelay is '30s'; it needs trafficRouting"],
    ['dynamicStableScale with scaleDownDelay', { trafficRouting: TrafficRouting.smi(), dynamicStableScale: true, scaleDownDelay: Duration.seconds(30) },
      "scaleDownDelay is '30s'; it can not be used with dynamicStableScale"],
    ['routing without Services', { trafficRouting: TrafficRouting.smi(), canaryServices: false },
      'canaryServices is false; trafficRouting needs the canary and stable Services'],
    ['the same canary and stable Service', { canaryServices: true, canaryServiceName: 'web', stableServiceName: 'web' },
      "stableServiceName is 'web'; the canary and stable Services must differ"],
    ['a setWeight above maxTrafficWeight', { trafficRouting: TrafficRouting.nginxIngress({ maxTrafficWeight: 10 }), steps: [CanaryStep.setWeight(20)] },
      'steps[0].setWeight is 20; it must be an integer in 0..10'],
    ['a setCanaryScale with two fields', { trafficRouting: TrafficRouting.smi(), steps: [CanaryStep.setCanaryScale({ replicas: 1, weight: 5 })] },
      'steps[0].setCanaryScale is {"replicas":1,"weight":5}; give exactly one of replicas, weight and matchTrafficWeight'],
  ])('rejects %s', (_, props, message) => {
    expect(() => synth(props)).toThrow(`CanaryNginxRollout 'test/web': ${message}`);
  });
});
