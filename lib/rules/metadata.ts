/** `ObjectMeta` rules every Kubernetes object must pass: name, namespace, label and annotation syntax. */
import type { Finding } from './finding';
import { invalid, required } from './field';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from './k8s-names';
import { validateAnnotations, validateLabels } from './labels';
import { finding } from './report';
import { isSet, obj, str } from './util';

/** How the kind's names are checked: most kinds take a DNS-1123 subdomain, Services a DNS-1035 label. */
export type NameSyntax = 'dns1123-subdomain' | 'dns1035-label';

export function validateMetadata(o: any, nameSyntax: NameSyntax = 'dns1123-subdomain'): Finding[] {
  const meta = obj(o?.metadata) ?? {};
  const out: Finding[] = [];
  const name = str(meta.name);
  if (name === '') {
    // `generateName` is fine for `kubectl create`; the server then picks the name.
    if (!isSet(meta.generateName)) {
      out.push(finding('metadata-name', 'metadata.name', required('name or generateName is required')));
    }
  } else {
    const check = nameSyntax === 'dns1035-label' ? isDNS1035Label : isDNS1123Subdomain;
    for (const msg of check(name)) out.push(finding('metadata-name', 'metadata.name', invalid(name, msg)));
  }
  const namespace = str(meta.namespace);
  if (namespace !== '') {
    for (const msg of isDNS1123Label(namespace)) out.push(finding('metadata-namespace', 'metadata.namespace', invalid(namespace, msg)));
  }
  out.push(...validateLabels(meta.labels, 'metadata.labels'));
  out.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  return out;
}
