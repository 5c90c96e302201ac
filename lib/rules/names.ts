/**
 * Which name syntax each kind of name follows, with a rule text for people (the constructs' prop errors) next to
 * Kubernetes' own messages (the engine's findings). Kubernetes checks a namespace as a DNS-1123 label
 * (`ValidateNamespaceName`: `1team` is fine), a Service name as a DNS-1035 label (it becomes a DNS name and an
 * environment variable prefix, so it must start with a letter), and most other names as DNS-1123 subdomains.
 */
import { dns1123LabelOk, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from './k8s-names';

/** The kinds of names with a rule of their own. */
export type NameKind = 'namespace' | 'service' | 'object';

/** One name rule: Kubernetes' check (its messages) and the rule in words. */
export interface NameRule {
  /** Kubernetes' messages for the value; empty when valid. */
  readonly check: (value: string) => string[];
  /** The rule in words, naming what the name is for. */
  readonly rule: string;
}

/** The name rules by kind of name. */
export const NAME_RULES: Readonly<Record<NameKind, NameRule>> = {
  namespace: {
    check: isDNS1123Label,
    rule: "a namespace must be a DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit",
  },
  service: {
    check: isDNS1035Label,
    rule: "a Service name must be a DNS-1035 label: at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit",
  },
  object: {
    check: isDNS1123Subdomain,
    rule: "an object name must be a DNS-1123 subdomain: at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit",
  },
};

/** Whether {@link isNamespaceName} finds nothing (no message list made: every object's namespace is checked). */
export function namespaceNameOk(value: string): boolean {
  return dns1123LabelOk(value);
}

/** Kubernetes' `ValidateNamespaceName`: the messages for a namespace that is not a DNS-1123 label; empty when valid. */
export function isNamespaceName(value: string): string[] {
  return NAME_RULES.namespace.check(value);
}

/** The rule in words when `value` is not a valid name of that kind (a non-string never is), else undefined. */
export function nameRuleBroken(kind: NameKind, value: unknown): string | undefined {
  const { check, rule } = NAME_RULES[kind];
  return typeof value === 'string' && check(value).length === 0 ? undefined : rule;
}
