/**
 * What an `IngressBackend.fromService` of cdk8s-plus reads from a Service: its name and its ports. cdk8s-plus 22 to
 * 33 read nothing else (the backend is `{ service: { name, port: { number } } }`).
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export interface ServicePortsRef {
  /** The Service's Kubernetes name. */
  readonly name: string;
  /** The Service's ports; the backend uses the only one, or the one given in `options.port`. */
  readonly ports: ReadonlyArray<{ readonly port: number }>;
}

/**
 * The `IngressBackend` class of the app's own cdk8s-plus (`kplus.IngressBackend` of any major). Declared with method
 * syntax on purpose: TypeScript then accepts each major's `fromService(serv: Service, ...)`, whose `Service` class
 * has the name and ports above.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export interface IngressBackendClass<B> {
  /** cdk8s-plus' `IngressBackend.fromService`. */
  fromService(service: ServicePortsRef, options?: { readonly port?: number }): B;
}

/**
 * An Ingress backend of your app's cdk8s-plus major for one of this package's Services.
 *
 * The constructs make their Services with cdk8s-plus-27. Classes of two cdk8s-plus majors are distinct types
 * (their `apiObject` members are protected), so `kplus.IngressBackend.fromService(blueGreen.activeService)` does not
 * compile in a cdk8s-plus-33 app. Everything else that takes a resource takes an interface (`IConfigMap`,
 * `IResource`, `IApiResource`) and accepts our objects as they are; this helper covers the one class-typed case:
 *
 * ```ts
 * import * as kplus from 'cdk8s-plus-33';
 * new kplus.Ingress(chart, 'ingress', {
 *   defaultBackend: ingressBackendFor(kplus.IngressBackend, blueGreen.activeService),
 * });
 * ```
 * In a cdk8s-plus-27 app, `kplus.IngressBackend.fromService(blueGreen.activeService)` works directly.
 */
export function ingressBackendFor<B>(
  backendClass: IngressBackendClass<B>,
  service: ServicePortsRef,
  options: { readonly port?: number } = {},
): B {
  return backendClass.fromService(service, options);
}
