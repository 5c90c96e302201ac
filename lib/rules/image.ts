/**
 * Container image references, following the grammar of `github.com/distribution/reference` (what the kubelet and
 * container runtimes parse): `[host[:port]/]path[:tag][@digest]`, path components lower case.
 * Kubernetes only rejects an empty image; a malformed one fails later on the node as `InvalidImageName`.
 */
import { VerdictCache } from './util';

const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@(${DIGEST}))?$`);

/** Hex lengths of the digest algorithms the OCI spec registers. */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/**
 * An image reference split as the runtimes read it, whether well-formed or not: the name, the tag (after a `:` that
 * follows the last `/`, so a registry port is no tag) and the digest (after the first `@`).
 */
export function splitImageReference(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const base = at >= 0 ? image.slice(0, at) : image;
  const colon = base.lastIndexOf(':');
  const tagged = colon > base.lastIndexOf('/');
  return {
    name: tagged ? base.slice(0, colon) : base,
    tag: tagged ? base.slice(colon + 1) : undefined,
    digest: at >= 0 ? image.slice(at + 1) : undefined,
  };
}

/** The reference with its name (not tag or digest) in lower case. */
function lowerCaseName(image: string): string {
  const { name, tag, digest } = splitImageReference(image);
  return name.toLowerCase() + (tag === undefined ? '' : `:${tag}`) + (digest === undefined ? '' : `@${digest}`);
}

/**
 * Recent verdicts ('' for a well-formed reference), by reference. An app uses a handful of images across all its
 * Rollouts and the rules see each one on every pod template, while the reference regex is the costliest check of a
 * container: at most 128 entries of up to 512 characters, so it stays a few KiB whatever the app.
 */
const VERDICTS = new VerdictCache<string>(128, 512);

/** What is wrong with an image reference, or undefined when it is well-formed. */
export function imageReferenceError(image: string): string | undefined {
  const known = VERDICTS.get(image);
  if (known !== undefined) return known === '' ? undefined : known;
  const error = referenceError(image);
  VERDICTS.set(image, error ?? '');
  return error;
}

/**
 * How many verdicts are kept now (the tests of the bound read it).
 *
 * @internal
 */
export function imageVerdictsKept(): number {
  return VERDICTS.size;
}

/** {@link imageReferenceError}, uncached. */
function referenceError(image: string): string | undefined {
  const m = REFERENCE.exec(image);
  if (!m) {
    // Docker says so explicitly when lower-casing would fix it.
    const lowered = lowerCaseName(image);
    if (lowered !== image && REFERENCE.test(lowered)) return 'invalid reference format: repository name must be lowercase';
    return 'invalid reference format';
  }
  if (m[1].length > 255) return 'repository name must not be more than 255 characters';
  if (m[2]) {
    const [algorithm, hex] = m[2].split(':');
    const expected = DIGEST_HEX_LENGTH[algorithm];
    if (expected !== undefined && hex.length !== expected) return 'invalid checksum digest length';
  }
  return undefined;
}
