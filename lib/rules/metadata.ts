/** `ObjectMeta` rules every Kubernetes object must pass: name, namespace, label and annotation syntax. */
import type { Finding } from './finding';
import { invalid, required } from './field';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from './k8s-names';
import { isNamespaceName } from './names';
import { validateAnnotations, validateLabels } from './labels';
import { finding } from './report';
import { isSet, obj, str } from './util';

/**
 * How the kind's names are checked: most kinds take a DNS-1123 subdomain, Services a DNS-1035 label, Namespaces
 * (and so every `metadata.namespace`) a DNS-1123 label.
 */
export type NameSyntax = 'dns1123-subdomain' | 'dns1035-label' | 'dns1123-label';

const NAME_CHECKS: Record<NameSyntax, (value: string) => string[]> = {
  'dns1123-subdomain': isDNS1123Subdomain,
  'dns1035-label': isDNS1035Label,
  'dns1123-label': isDNS1123Label,
};

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
    for (const msg of NAME_CHECKS[nameSyntax](name)) out.push(finding('metadata-name', 'metadata.name', invalid(name, msg)));
  }
  const namespace = str(meta.namespace);
  if (namespace !== '') {
    for (const msg of isNamespaceName(namespace)) out.push(finding('metadata-namespace', 'metadata.namespace', invalid(namespace, msg)));
  }
  out.push(...validateLabels(meta.labels, 'metadata.labels'));
  out.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  return out;
}
