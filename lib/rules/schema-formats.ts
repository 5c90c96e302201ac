/**
 * The OpenAPI formats of Argo's CRD schemas that the strict schema check knows. Its own module because two kinds of
 * validator use it: ajv's run-time compile (`addFormat`) and the standalone validators generated at build time by
 * `scripts/compile-schemas.js`, whose code requires this module (`./schema-formats`) instead of carrying a copy.
 */
export const SCHEMA_FORMATS = {
  // Go decodes int32/int64 fields into fixed-width integers: a fraction or an out-of-range int32 is rejected.
  int32: { type: 'number' as const, validate: (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 },
  int64: { type: 'number' as const, validate: (n: number) => Number.isInteger(n) },
  // Any string: this check never validated date-times (ajv's `true` format), and both validators keep that.
  'date-time': true as const,
};
