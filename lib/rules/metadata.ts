/** `ObjectMeta` rules every Kubernetes object must pass: name, namespace, label and annotation syntax. */
import type { Finding } from './finding';
import { invalid, required } from './field';
import { dns1035LabelOk, dns1123LabelOk, dns1123SubdomainOk, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from './k8s-names';
import { isNamespaceName, namespaceNameOk } from './names';
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

/** Their boolean twins, for the common case of a valid name (no message list made). */
const NAME_OK: Record<NameSyntax, (value: string) => boolean> = {
  'dns1123-subdomain': dns1123SubdomainOk,
  'dns1035-label': dns1035LabelOk,
  'dns1123-label': dns1123LabelOk,
};

/** The object's metadata rules; findings are added to `out`. */
export function validateMetadata(o: any, nameSyntax: NameSyntax = 'dns1123-subdomain', out: Finding[] = []): Finding[] {
  const meta = obj(o?.metadata) ?? {};
  const name = str(meta.name);
  if (name === '') {
    // `generateName` is fine for `kubectl create`; the server then picks the name.
    if (!isSet(meta.generateName)) {
      out.push(finding('metadata-name', 'metadata.name', required('name or generateName is required')));
    }
  } else if (!NAME_OK[nameSyntax](name)) {
    for (const msg of NAME_CHECKS[nameSyntax](name)) out.push(finding('metadata-name', 'metadata.name', invalid(name, msg)));
  }
  const namespace = str(meta.namespace);
  if (namespace !== '' && !namespaceNameOk(namespace)) {
    for (const msg of isNamespaceName(namespace)) out.push(finding('metadata-namespace', 'metadata.namespace', invalid(namespace, msg)));
  }
  validateLabels(meta.labels, 'metadata.labels', 'label-syntax', out);
  validateAnnotations(meta.annotations, 'metadata.annotations', out);
  return out;
}
