/** How bad a finding is: errors fail synth and `lint`; warnings fail only under `--strict`. */
export type Severity = 'error' | 'warning';

/** The object a finding is about. */
export interface ObjectRef {
  /** Its `apiVersion`. */
  readonly apiVersion?: string;
  /** Its `kind`. */
  readonly kind?: string;
  /** Its `metadata.name`. */
  readonly name?: string;
  /** Its `metadata.namespace`. */
  readonly namespace?: string;
}

/** One problem found in a manifest. */
export interface Finding {
  /** `error` or `warning`. */
  readonly severity: Severity;
  /** A stable, short id of the rule (for example `setweight-range`), for filtering and documentation. */
  readonly rule: string;
  /** The field path, as the Argo Rollouts controller reports it (for example `spec.strategy.steps[1].setWeight`). */
  readonly path: string;
  /** The message; for Argo's own rules the controller's text, so users can search for it. */
  readonly message: string;
  /** The object it is about. */
  readonly object?: ObjectRef;
  /** The file it came from, when it was read from a file. */
  readonly file?: string;
}

/** `Rollout/name` or `Rollout/namespace/name`. */
export function describeObject(ref: ObjectRef | undefined): string {
  if (!ref) return '';
  const ns = ref.namespace ? `${ref.namespace}/` : '';
  return `${ref.kind ?? '?'}/${ns}${ref.name ?? '?'}`;
}

/** One line: `file: Kind/name: path: message [rule]`, without the parts that are unknown. */
export function formatFinding(f: Finding): string {
  const parts = [f.file, describeObject(f.object), f.path].filter((p) => p !== undefined && p !== '');
  return `${f.severity}: ${parts.join(': ')}: ${f.message} [${f.rule}]`;
}

/** A reference to the object, taken from its metadata. */
export function refOf(obj: any): ObjectRef {
  return {
    apiVersion: obj?.apiVersion,
    kind: obj?.kind,
    name: obj?.metadata?.name,
    namespace: obj?.metadata?.namespace,
  };
}
