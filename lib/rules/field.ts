/**
 * Kubernetes field-error bodies (`k8s.io/apimachinery/pkg/util/validation/field`), so our messages read exactly like
 * the controller's `The Rollout "x" is invalid: <path>: <body>` and users can search for them.
 */

/** Go's rendering of a bad value: numbers and booleans bare, strings quoted, nil as `null`, anything else as JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value);
}

function withDetail(head: string, detail: string): string {
  return detail ? `${head}: ${detail}` : head;
}

/** `Invalid value: <v>: <detail>` */
export function invalid(value: unknown, detail: string): string {
  return withDetail(`Invalid value: ${formatValue(value)}`, detail);
}

/** `Required value[: <detail>]` */
export function required(detail = ''): string {
  return withDetail('Required value', detail);
}

/** `Forbidden: <detail>` */
export function forbidden(detail: string): string {
  return withDetail('Forbidden', detail);
}

/** `Unsupported value: <v>: supported values: "a", "b"` */
export function notSupported(value: unknown, supported: readonly string[]): string {
  const list = supported.map((s) => JSON.stringify(s)).join(', ');
  return withDetail(`Unsupported value: ${formatValue(value)}`, `supported values: ${list}`);
}

/** `Duplicate value: <v>` */
export function duplicate(value: unknown): string {
  return `Duplicate value: ${formatValue(value)}`;
}

/** `Not found: <v>` */
export function notFound(value: unknown): string {
  return `Not found: ${formatValue(value)}`;
}

/** `Internal error: <detail>` */
export function internalError(detail: string): string {
  return withDetail('Internal error', detail);
}
