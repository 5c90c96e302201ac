import { Testing } from 'cdk8s';
import * as kplus27 from 'cdk8s-plus-27';
import * as kplus33 from 'cdk8s-plus-33';
import { BlueGreenNginxRollout, ingressBackendFor } from '../lib';

describe('ingressBackendFor', () => {
  test('gives a cdk8s-plus-33 Ingress a backend for our (cdk8s-plus-27) Service, with its name and port', () => {
    const chart = Testing.chart();
    const bg = new BlueGreenNginxRollout(chart, 'bg', { name: 'web', servicePort: 8080 });
    const backend: kplus33.IngressBackend = ingressBackendFor(kplus33.IngressBackend, bg.activeService);
    expect(backend).toBeInstanceOf(kplus33.IngressBackend);
    new kplus33.Ingress(chart, 'ing', { defaultBackend: backend });
    const ingress = Testing.synth(chart).find((o) => o.kind === 'Ingress');
    expect(ingress.spec.defaultBackend).toEqual({ service: { name: 'web-active', port: { number: 8080 } } });
  });

  test('passes the port option on, and cdk8s-plus checks it against the Service\'s ports', () => {
    const chart = Testing.chart();
    const bg = new BlueGreenNginxRollout(chart, 'bg', { name: 'web', servicePort: 8080 });
    expect(() => ingressBackendFor(kplus33.IngressBackend, bg.previewService, { port: 80 }))
      .toThrow('backend defines port 80 but service exposes port 8080');
    expect(ingressBackendFor(kplus27.IngressBackend, bg.previewService, { port: 8080 })._toKube())
      .toEqual({ service: { name: 'web-preview', port: { number: 8080 } } });
  });
});
