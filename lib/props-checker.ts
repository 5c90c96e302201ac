import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { isDNS1035Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from './rules/k8s-names';

/**
 * Checks a construct's props in its constructor and throws with one message that names the construct, the prop,
 * the value and the rule: `CanaryNginxRollout 'app/web': steps[2].setWeight is 150; it must be 0..100`.
 */
export class PropsChecker {
  public constructor(private readonly typeName: string, private readonly scope: Construct) {}

  /** Throws for `prop` having `value`, which breaks `rule`. */
  public fail(prop: string, value: unknown, rule: string): never {
    throw new Error(`${this.typeName} '${this.scope.node.path}': ${prop} is ${show(value)}; ${rule}`);
  }

  /** An integer in `min..max` (inclusive). */
  public integer(prop: string, value: number | undefined, min: number, max?: number): void {
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
      const range = max === undefined ? `an integer >= ${min}` : `an integer in ${min}..${max}`;
      this.fail(prop, value, `it must be ${range}`);
    }
  }

  /** The whole seconds of a duration (Argo's `...Seconds` fields take integers). */
  public seconds(prop: string, value: Duration | undefined): number | undefined {
    if (value === undefined) return undefined;
    const seconds = value.toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < 0) this.fail(prop, `${seconds}s`, 'it must be whole seconds, 0 or more');
    return seconds;
  }

  /** A Kubernetes object name: a DNS-1123 subdomain, or a DNS-1035 label for Services. */
  public objectName(prop: string, value: string | undefined, kind: 'subdomain' | 'service'): void {
    if (value === undefined) return;
    if (kind === 'service') {
      if (isDNS1035Label(value).length > 0) {
        this.fail(prop, value, 'a Service name must be a DNS-1035 label: at most 63 lower-case letters, digits and ' +
          "'-', starting with a letter and ending with a letter or digit");
      }
    } else if (isDNS1123Subdomain(value).length > 0) {
      this.fail(prop, value, "it must be a DNS-1123 subdomain: at most 253 lower-case letters, digits, '-' and '.', " +
        'starting and ending with a letter or digit');
    }
  }

  /** Label keys and values that Kubernetes accepts; at least one label where `nonEmpty`. */
  public labels(prop: string, labels: Record<string, string> | undefined, nonEmpty: boolean): void {
    if (labels === undefined) return;
    const keys = Object.keys(labels);
    if (nonEmpty && keys.length === 0) this.fail(prop, labels, 'it needs at least one label to select the pods');
    for (const key of keys) {
      if (isQualifiedName(key).length > 0) {
        this.fail(`${prop} key`, key, "a label key is an optional DNS-1123 subdomain prefix and '/', then at most 63 " +
          "letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
      }
      const value = labels[key];
      if (typeof value !== 'string' || isValidLabelValue(value).length > 0) {
        this.fail(`${prop}['${key}']`, value, "a label value is at most 63 letters, digits, '-', '_' and '.', " +
          'starting and ending with a letter or digit (or empty)');
      }
    }
  }
}

/** How a value is shown in a message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}
