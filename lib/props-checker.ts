import { Duration } from 'cdk8s';
import { Construct } from 'constructs';

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
      if (value.length > 63 || !DNS1035_LABEL.test(value)) {
        this.fail(prop, value, 'a Service name must be a DNS-1035 label: at most 63 lower-case letters, digits and ' +
          "'-', starting with a letter and ending with a letter or digit");
      }
    } else if (value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
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
      if (!isLabelKey(key)) {
        this.fail(`${prop} key`, key, "a label key is an optional DNS-1123 subdomain prefix and '/', then at most 63 " +
          "letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
      }
      const value = labels[key];
      if (typeof value !== 'string' || !isLabelValue(value)) {
        this.fail(`${prop}['${key}']`, value, "a label value is at most 63 letters, digits, '-', '_' and '.', " +
          'starting and ending with a letter or digit (or empty)');
      }
    }
  }
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

function isLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && LABEL_NAME.test(value));
}

/** How a value is shown in a message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}
