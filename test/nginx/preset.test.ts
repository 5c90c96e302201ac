import { ApiObject, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BlueGreenNginxRollout, CanaryNginxRollout, CanaryStep, Rollout, RolloutStep } from '../../lib';
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
