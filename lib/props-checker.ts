import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { Construct, IConstruct, Node, RootConstruct } from 'constructs';
import { isQualifiedName, isValidLabelValue } from './rules/k8s-names';
import { nameRuleBroken } from './rules/names';

/** The largest value of the int32 fields Kubernetes and Argo Rollouts use for counts and seconds. */
export const INT32_MAX = 2_147_483_647;

/** How many problems an error message lists (all are in {@link PropsError.problems}). */
const MAX_LISTED = 20;

/**
 * The error a construct throws for bad props: every problem found, in one message that names the construct.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export class PropsError extends Error {
  public constructor(
    message: string,
    /** Each problem, as `prop is value; rule`. */
    public readonly problems: readonly string[],
  ) {
    super(message);
    this.name = 'PropsError';
  }
}

/**
 * Checks a construct's props in its constructor, as plain JavaScript (and other jsii languages) can pass anything.
 * Each check records a problem naming the prop, its value and the rule; {@link PropsChecker.throwIfAny} then throws
 * one error listing all of them: `CanaryNginxRollout 'app/web': steps[2].setWeight is 150; it must be an integer in
 * 0..100`. The type checks return whether the value is present and of the right type, so that range checks only run
 * on values they can read (and nothing throws a TypeError on the way).
 */
export class PropsChecker {
  private readonly found: string[] = [];

  /**
   * @param scope the construct the props are of; only its path is read, and only for a message, so a preset can name
   * the construct it is about to create
   */
  public constructor(private readonly typeName: string, private readonly scope: { readonly node: { readonly path: string } }) {}

  /** `CanaryNginxRollout 'app/web'`: how messages name the construct. */
  public get subject(): string {
    return `${this.typeName} '${this.scope.node.path}'`;
  }

  /** The problems recorded so far. */
  public get problems(): readonly string[] {
    return this.found;
  }

  /** Records that `prop` having `value` breaks `rule`. */
  public fail(prop: string, value: unknown, rule: string): void {
    this.found.push(`${prop} is ${show(value)}; ${rule}`);
  }

  /** Throws one {@link PropsError} listing every problem recorded, if any. */
  public throwIfAny(): void {
    if (this.found.length === 0) return;
    const shown = this.found.slice(0, MAX_LISTED).map((p) => `  - ${p}`);
    if (this.found.length > MAX_LISTED) shown.push(`  ... and ${this.found.length - MAX_LISTED} more`);
    const message = this.found.length === 1
      ? `${this.subject}: ${this.found[0]}`
      : `${this.subject}: ${this.found.length} invalid props:\n${shown.join('\n')}`;
    throw new PropsError(message, [...this.found]);
  }

  /** Runs `checks` and throws for what they found: a construct's whole validation in one call. */
  public run(checks: (check: PropsChecker) => void): void {
    checks(this);
    this.throwIfAny();
  }

  /** A plain object (not null, not an array), e.g. a props bag. */
  public object(prop: string, value: unknown): value is Record<string, unknown> {
    if (value === undefined) return false;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(prop, value, 'it must be an object');
      return false;
    }
    return true;
  }

  /** An array (each element is checked by the caller). */
  public array(prop: string, value: unknown): value is unknown[] {
    if (value === undefined) return false;
    if (!Array.isArray(value)) {
      this.fail(prop, value, 'it must be a list');
      return false;
    }
    // `new Array(1e9)` or `[, x]` from plain JavaScript: holes would be skipped by the checks and written as null.
    if (Object.keys(value).length !== value.length) {
      this.fail(`${prop}.length`, value.length, 'the list has holes (missing elements)');
      return false;
    }
    return true;
  }

  /** A string; not empty (nor only blanks) where `nonEmpty`. */
  public string(prop: string, value: unknown, options: { nonEmpty?: boolean } = {}): value is string {
    if (value === undefined) return false;
    if (typeof value !== 'string') {
      this.fail(prop, value, 'it must be a string');
      return false;
    }
    if (options.nonEmpty && value.trim() === '') {
      this.fail(prop, value, 'it must not be empty');
      return false;
    }
    return true;
  }

  /** A boolean: `true` or `false`, not the string "false" (which YAML would write as a string the API rejects). */
  public boolean(prop: string, value: unknown): value is boolean {
    if (value === undefined) return false;
    if (typeof value !== 'boolean') {
      this.fail(prop, value, 'it must be true or false');
      return false;
    }
    return true;
  }

  /**
   * An integer in `min..max` (inclusive). Without `max`, at most {@link INT32_MAX}: the API server's int32 fields
   * refuse more (`replicas: 1e10` never reaches a cluster).
   */
  public integer(prop: string, value: unknown, min: number, max?: number): value is number {
    if (value === undefined) return false;
    const ok = typeof value === 'number' && Number.isInteger(value);
    if (!ok || value < min || (max !== undefined && value > max)) {
      this.fail(prop, value, `it must be an integer ${max === undefined ? `>= ${min}` : `in ${min}..${max}`}`);
      return false;
    }
    if (max === undefined && value > INT32_MAX) {
      this.fail(prop, value, `it must be at most ${INT32_MAX}`);
      return false;
    }
    return true;
  }

  /**
   * The whole seconds of a `Duration` (Argo's `...Seconds` fields take int32 integers), or undefined when absent or
   * invalid (then a problem is recorded).
   */
  public seconds(prop: string, value: unknown): number | undefined {
    if (value === undefined) return undefined;
    const seconds = durationSeconds(value);
    if (seconds === undefined) {
      this.fail(prop, value, 'it must be a Duration, such as Duration.seconds(30)');
      return undefined;
    }
    if (!Number.isInteger(seconds) || seconds < 0) {
      this.fail(prop, `${seconds}s`, 'it must be whole seconds, 0 or more');
      return undefined;
    }
    if (seconds > INT32_MAX) {
      this.fail(prop, `${seconds}s`, `it must be at most ${INT32_MAX} seconds`);
      return undefined;
    }
    return seconds;
  }

  /**
   * An instance of `type` (a value object made by its factories, not a look-alike plain object). An element of a list
   * is `required`: undefined there is a problem, not an absent prop.
   */
  public instance<T>(prop: string, value: unknown, type: Function & { readonly prototype: T }, hint: string, required = false): value is T {
    if (value === undefined && !required) return false;
    if (!(value instanceof type)) {
      this.fail(prop, value, `it must be ${hint}`);
      return false;
    }
    return true;
  }

  /**
   * A Kubernetes name: a DNS-1123 subdomain for most objects, a DNS-1035 label for Services, a DNS-1123 label for
   * namespaces (what the API server checks for each).
   */
  public objectName(prop: string, value: unknown, kind: 'subdomain' | 'service' | 'namespace'): value is string {
    if (!this.string(prop, value)) return false;
    // One owner for each name rule and its words: the engine's NAME_RULES (lib/rules/names.ts).
    const rule = nameRuleBroken(kind === 'subdomain' ? 'object' : kind, value);
    if (rule !== undefined) {
      // A construct's own name prop is said of itself: "it must be ...", not "an object name must be ...".
      this.fail(prop, value, kind === 'subdomain' ? rule.replace(/^an object name must/, 'it must') : rule);
      return false;
    }
    return true;
  }

  /** Label keys and values that Kubernetes accepts; at least one label where `nonEmpty`. */
  public labels(prop: string, labels: unknown, nonEmpty: boolean): labels is Record<string, string> {
    if (!this.object(prop, labels)) return false;
    const keys = Object.keys(labels);
    if (nonEmpty && keys.length === 0) {
      this.fail(prop, labels, 'it needs at least one label to select the pods');
      return false;
    }
    let ok = true;
    for (const key of keys) {
      ok = this.metadataKey(prop, key, 'label') && ok;
      const value = labels[key];
      if (typeof value !== 'string' || isValidLabelValue(value).length > 0) {
        this.fail(`${prop}['${key}']`, value, "a label value is at most 63 letters, digits, '-', '_' and '.', " +
          'starting and ending with a letter or digit (or empty), as a string');
        ok = false;
      }
    }
    return ok;
  }

  /** Annotation keys (the label key syntax) with string values. */
  public annotations(prop: string, annotations: unknown): annotations is Record<string, string> {
    if (!this.object(prop, annotations)) return false;
    let ok = true;
    for (const [key, value] of Object.entries(annotations)) {
      ok = this.metadataKey(prop, key, 'annotation') && ok;
      if (typeof value !== 'string') {
        this.fail(`${prop}['${key}']`, value, 'an annotation value must be a string');
        ok = false;
      }
    }
    return ok;
  }

  private metadataKey(prop: string, key: string, what: 'label' | 'annotation'): boolean {
    if (isQualifiedName(key).length === 0) return true;
    this.fail(`${prop} key`, key, `${what === 'label' ? 'a label' : 'an annotation'} key is an optional` + " DNS-1123 subdomain prefix and '/', then " +
      "at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
    return false;
  }

  /**
   * A `PercentOrAbsolute` (from cdk8s-plus, checked by shape so that another copy of the library also passes): a
   * whole number of pods, or a whole percent in `0..100`.
   */
  public percentOrAbsolute(prop: string, value: unknown): value is { value: number | string } {
    if (value === undefined) return false;
    const v = (value !== null && typeof value === 'object') ? (value as { value?: unknown }).value : undefined;
    if (typeof v === 'number') {
      if (Number.isInteger(v) && v >= 0 && v <= INT32_MAX) return true;
      this.fail(prop, v, 'it must be a whole number of pods, 0 or more');
      return false;
    }
    if (typeof v === 'string') {
      const m = /^(\d{1,3})%$/.exec(v);
      if (m && Number(m[1]) <= 100) return true;
      this.fail(prop, v, 'it must be a whole percent in 0..100');
      return false;
    }
    this.fail(prop, value, 'it must be a PercentOrAbsolute: PercentOrAbsolute.percent(25) or PercentOrAbsolute.absolute(1)');
    return false;
  }

  /** A cdk8s `Size` (by shape, as for `Duration`), in whole kibibytes; returns the kibibytes. */
  public size(prop: string, value: unknown): number | undefined {
    if (value === undefined) return undefined;
    let kib: number | undefined;
    if (value instanceof Size || (value !== null && typeof value === 'object' && typeof (value as Size).toKibibytes === 'function')) {
      try {
        kib = (value as Size).toKibibytes({ rounding: SizeRoundingBehavior.NONE });
      } catch {
        kib = undefined;
      }
    }
    if (kib === undefined || typeof kib !== 'number') {
      this.fail(prop, value, 'it must be a Size, such as Size.mebibytes(64)');
      return undefined;
    }
    if (!Number.isInteger(kib) || kib < 0 || !Number.isSafeInteger(kib)) {
      this.fail(prop, `${kib}KiB`, 'it must be whole kibibytes, 0 or more');
      return undefined;
    }
    return kib;
  }
}

/** The seconds of a `Duration` (or of a look-alike from another copy of cdk8s), or undefined for anything else. */
export function durationSeconds(value: unknown): number | undefined {
  if (!(value instanceof Duration) && !(value !== null && typeof value === 'object' && typeof (value as Duration).toSeconds === 'function')) {
    return undefined;
  }
  try {
    const seconds = (value as Duration).toSeconds({ integral: false });
    return typeof seconds === 'number' && Number.isFinite(seconds) ? seconds : undefined;
  } catch {
    return undefined;
  }
}

const MAX_SHOWN = 80;

/**
 * How a value is shown in a message: strings quoted, value objects by their class, everything else as JSON; long
 * values are cut, and nothing here throws (cycles, BigInt, functions and symbols included).
 */
export function show(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = `'${value}'`;
  else if (value === undefined) text = 'undefined';
  else if (typeof value === 'function') text = 'a function';
  else if (typeof value === 'symbol' || typeof value === 'bigint') text = String(value) + (typeof value === 'bigint' ? 'n' : '');
  else if (typeof value === 'number') text = String(value); // NaN and Infinity, which JSON would write as null
  else if (typeof value === 'boolean' || value === null) text = String(value);
  else if (value instanceof Duration) text = `Duration of ${durationSeconds(value)}s`;
  else {
    const proto = value === null ? null : Object.getPrototypeOf(value);
    const className = proto && proto !== Object.prototype && proto !== Array.prototype ? proto.constructor?.name : undefined;
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = className ? '' : 'an object';
    }
    if (className) text = `${/^[AEIOU]/.test(className) ? 'an' : 'a'} ${className}${text && text !== '{}' ? ` ${text}` : ''}`;
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}...` : text;
}

/**
 * What the checks read of the construct `new X(scope, id)` will be, without adding it to the tree: its scope, root
 * and path. The path is computed on first read (only an error message reads it), with the id sanitized by constructs
 * itself (a root construct of that id), as the real construct's will be.
 */
export function futureConstruct(scope: Construct, id: string): IConstruct {
  return { node: new FutureNode(scope, id) } as unknown as IConstruct;
}

/** The part of a construct's `node` that `checkSameCdk8s` and `PropsChecker` read (a class: one shape for all). */
class FutureNode {
  private futurePath?: string;
  public constructor(public readonly scope: Construct, private readonly id: string) {}

  public get root(): IConstruct {
    return this.scope.node.root;
  }

  public get path(): string {
    if (this.futurePath === undefined) {
      const own = new RootConstruct(this.id).node.id;
      this.futurePath = this.scope.node.path ? `${this.scope.node.path}${Node.PATH_SEP}${own}` : own;
    }
    return this.futurePath;
  }
}
