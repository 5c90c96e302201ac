import { Chart, Duration, Testing } from 'cdk8s';
import { BlueGreenNginxRollout, BlueGreenNginxRolloutProps, CanaryNginxRollout } from '../../lib';
import { planWarnings } from '../../lib/plan';
import { validateObjects, validateSchema } from '../../lib/rules';
import { indexOf, one, synthChart } from '../support/synth';

const synth = (props: BlueGreenNginxRolloutProps) =>
  synthChart((c) => new BlueGreenNginxRollout(c, 'web', { name: 'web', ...props }));

describe('BlueGreenNginxRollout', () => {
  test('its defaults pass --strict: no rule error, no schema error, no plan warning', () => {
    const objects = synthChart((c) => new BlueGreenNginxRollout(c, 'web', { name: 'web' }));
    expect(one(objects, 'Rollout').spec.replicas).toBe(1);
    expect(validateObjects(objects, { missingReference: 'error' })).toEqual([]);
    expect(objects.flatMap((o) => validateSchema(o))).toEqual([]);
    expect(planWarnings(one(objects, 'Rollout'))).toEqual([]);
  });

  test('creates a ConfigMap, the active and preview Services, then the Rollout naming them', () => {
    const objects = synth({});
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ConfigMap/web-conf', 'Service/web-active', 'Service/web-preview', 'Rollout/web',
    ]);
    expect(one(objects, 'Rollout').spec.strategy).toEqual({
      blueGreen: { activeService: 'web-active', previewService: 'web-preview' },
    });
  });

  test('both Services select exactly the pod labels and forward port 80 to nginx', () => {
    const objects = synth({ labels: { app: 'shop', track: 'web' } });
    const rollout = one(objects, 'Rollout');
    for (const name of ['web-active', 'web-preview']) {
      const svc = one(objects, 'Service', name);
      expect(svc.spec.selector).toEqual(rollout.spec.template.metadata.labels);
      expect(svc.spec.selector).toEqual(rollout.spec.selector.matchLabels);
      expect(svc.spec.ports).toEqual([{ port: 80, targetPort: 80, protocol: 'TCP' }]);
      expect(svc.spec).not.toHaveProperty('externalIPs');
    }
  });

  test('Argo fields are written only when set, with Durations as seconds', () => {
    const rollout = one(synth({
      activeServiceName: 'shop',
      previewServiceName: 'shop-next',
      servicePort: 8080,
      scaleDownDelay: Duration.minutes(1),
      autoPromotionEnabled: false,
      autoPromotionDelay: Duration.seconds(45),
      previewReplicaCount: 1,
    }), 'Rollout');
    expect(rollout.spec.strategy.blueGreen).toEqual({
      activeService: 'shop', previewService: 'shop-next', scaleDownDelaySeconds: 60,
      autoPromotionEnabled: false, autoPromotionSeconds: 45, previewReplicaCount: 1,
    });
  });

  test('a custom service port is exposed and still reaches nginx on 80', () => {
    const svc = one(synth({ servicePort: 8080 }), 'Service', 'web-active');
    expect(svc.spec.ports).toEqual([{ port: 8080, targetPort: 80, protocol: 'TCP' }]);
  });

  test('Services come before the Rollout even when a user creates more objects around it', () => {
    const objects = synthChart((c) => {
      new CanaryNginxRollout(c, 'other', { name: 'other' });
      new BlueGreenNginxRollout(c, 'web', { name: 'web' });
    });
    const rollout = indexOf(objects, 'Rollout', 'web');
    expect(indexOf(objects, 'Service', 'web-active')).toBeLessThan(rollout);
    expect(indexOf(objects, 'Service', 'web-preview')).toBeLessThan(rollout);
    expect(indexOf(objects, 'ConfigMap', 'web-conf')).toBeLessThan(rollout);
  });

  test('exposes the Services', () => {
    const bg = new BlueGreenNginxRollout(new Chart(Testing.app(), 'test'), 'web', { name: 'web' });
    expect(bg.activeService.name).toBe('web-active');
    expect(bg.previewService.name).toBe('web-preview');
  });

  test.each<[string, BlueGreenNginxRolloutProps, string]>([
    ['the same active and preview Service', { activeServiceName: 'web', previewServiceName: 'web' },
      "previewServiceName is 'web'; the active and preview Services must differ"],
    ['a Service name that is not a DNS-1035 label', { activeServiceName: '1web' },
      "activeServiceName is '1web'; a Service name must be a DNS-1035 label"],
    ['a port out of range', { servicePort: 70000 }, 'servicePort is 70000; it must be an integer in 1..65535'],
    ['a negative previewReplicaCount', { previewReplicaCount: -1 }, 'previewReplicaCount is -1; it must be an integer >= 0'],
    ['a fractional scaleDownDelay', { scaleDownDelay: Duration.millis(2500) }, "scaleDownDelay is '2.5s'; it must be whole seconds"],
  ])('rejects %s', (_, props, message) => {
    expect(() => synth(props)).toThrow(`BlueGreenNginxRollout 'test/web': ${message}`);
  });
});
