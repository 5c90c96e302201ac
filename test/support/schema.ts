import { execFileSync } from 'child_process';
import * as path from 'path';

/** One object's result from the independent schema library. */
export interface SchemaResult {
  readonly kind: string;
  readonly name: string;
  /** The library's error, or undefined when the object is valid. */
  readonly error?: string;
}

/**
 * Validates objects with `kubernetes-models` and `@kubernetes-models/argo-rollouts` / `argo-cd`, which are ESM-only,
 * so they run in a child Node process (schema-validate.mjs) rather than inside jest's CommonJS sandbox.
 */
export function validateWithSchemaLibrary(objects: unknown[]): SchemaResult[] {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'schema-validate.mjs')], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
  });
  return JSON.parse(out) as SchemaResult[];
}
