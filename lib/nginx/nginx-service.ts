import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { NGINX_PORT } from './nginx-pod';

/** What a Service in front of the nginx pods needs. */
export interface NginxServiceOptions {
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly port?: number;
}

/**
 * A ClusterIP Service selecting exactly the Rollout's pod labels, forwarding `port` to nginx on 80. The Argo
 * controller adds `rollouts-pod-template-hash` to its selector to point it at one ReplicaSet.
 */
export function nginxService(scope: Construct, id: string, options: NginxServiceOptions): kplus.Service {
  const svc = new kplus.Service(scope, id, {
    metadata: { name: options.name, namespace: options.namespace },
    ports: [{ port: options.port ?? NGINX_PORT, targetPort: NGINX_PORT, protocol: kplus.Protocol.TCP }],
  });
  for (const [key, value] of Object.entries(options.labels)) svc.selectLabel(key, value);
  // cdk8s-plus writes an empty externalIPs list; the API server drops it, so a GitOps diff would never settle.
  ApiObject.of(svc).addJsonPatch(JsonPatch.remove('/spec/externalIPs'));
  return svc;
}
