/**
 * Kubernetes name and label syntax (`k8s.io/apimachinery/pkg/util/validation`), returning the same error strings.
 * Each function returns the list of problems; empty means valid.
 */
import { VerdictCache } from './util';

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL = new RegExp(`^${DNS1035_LABEL_FMT}$`);
const QNAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QNAME = new RegExp(`^${QNAME_FMT}$`);
const LABEL_VALUE_FMT = `(${QNAME_FMT})?`;
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FMT}$`);

/*
 * The checks below run on every name, label and annotation of every object at each synth, nearly always on valid
 * values. Each has a boolean twin (`...Ok`) that accepts exactly what its function finds nothing wrong with, with one
 * regex test and no allocation (the regexes run as native code; a charCode loop measured slower on the first pass,
 * where the rules run unoptimized); only an invalid value goes on to the function that words the messages.
 * test/rules/names.test.ts holds each twin to its function's verdict on random and edge strings. A value that is not
 * a string (a caller's bad input) is never "ok": it takes the function's own path.
 */

/** `[prefix/]name` in one test: a DNS-1123 subdomain, a slash and a name part (lengths checked apart). */
const PREFIXED_QNAME = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}/${QNAME_FMT}$`);

/** Whether {@link isDNS1123Label} finds nothing. */
export function dns1123LabelOk(value: string): boolean {
  return typeof value === 'string' && value.length <= 63 && DNS1123_LABEL.test(value);
}

/** Whether {@link isDNS1123Subdomain} finds nothing. */
export function dns1123SubdomainOk(value: string): boolean {
  return typeof value === 'string' && value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** Whether {@link isDNS1035Label} finds nothing. */
export function dns1035LabelOk(value: string): boolean {
  return typeof value === 'string' && value.length <= 63 && DNS1035_LABEL.test(value);
}

/**
 * Recent verdicts of {@link qualifiedNameOk}, by key. Label and annotation keys repeat across objects (an app uses a
 * handful: `app`, `prometheus.io/scrape`, ...) and every object's maps are checked at each synth, so a key is tested
 * once, not once per object. Bounded like the image verdicts (lib/rules/image.ts): at most 256 entries, and a key
 * longer than any valid one (253 + 1 + 63 = 317 characters) is not kept.
 */
const QUALIFIED_NAME_VERDICTS = new VerdictCache<boolean>(256, 253 + 1 + 63);

/**
 * How many qualified-name verdicts are kept now (the tests of the bound read it).
 *
 * @internal
 */
export function qualifiedNameVerdictsKept(): number {
  return QUALIFIED_NAME_VERDICTS.size;
}

/** Whether {@link isQualifiedName} finds nothing: `[prefix/]name`, the prefix a DNS-1123 subdomain. */
export function qualifiedNameOk(value: string): boolean {
  if (typeof value !== 'string') return false;
  const known = QUALIFIED_NAME_VERDICTS.get(value);
  if (known !== undefined) return known;
  const ok = qualifiedNameTest(value);
  QUALIFIED_NAME_VERDICTS.set(value, ok);
  return ok;
}

/** {@link qualifiedNameOk}, uncached. */
function qualifiedNameTest(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return value.length <= 63 && QNAME.test(value);
  return slash <= 253 && value.length - slash - 1 <= 63 && PREFIXED_QNAME.test(value);
}

/** Whether {@link isValidLabelValue} finds nothing: empty, or a qualified name's name part. */
export function labelValueOk(value: string): boolean {
  return typeof value === 'string' && value.length <= 63 && LABEL_VALUE.test(value);
}

export function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}

export const EMPTY_ERROR = 'must be non-empty';

/** Go's `RegexError`: the message, the examples and the regex used. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  const shown = examples.map((e) => `'${e}', `).join(' or ');
  return `${msg} (e.g. ${shown}regex used for validation is '${fmt}')`;
}

export function isDNS1123Label(value: string): string[] {
  if (dns1123LabelOk(value)) return [];
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!DNS1123_LABEL.test(value)) {
    // A valid subdomain that is not a valid label can only be wrong because of its dots.
    if (DNS1123_SUBDOMAIN.test(value)) errs.push('must not contain dots');
    else {
      errs.push(
        regexError(
          'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character',
          DNS1123_LABEL_FMT,
          'my-name',
          '123-abc',
        ),
      );
    }
  }
  return errs;
}

export function isDNS1123Subdomain(value: string): string[] {
  if (dns1123SubdomainOk(value)) return [];
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errs.push(
      regexError(
        'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character',
        DNS1123_SUBDOMAIN_FMT,
        'example.com',
      ),
    );
  }
  return errs;
}

export function isDNS1035Label(value: string): string[] {
  if (dns1035LabelOk(value)) return [];
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!DNS1035_LABEL.test(value)) {
    errs.push(
      regexError(
        'a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character',
        DNS1035_LABEL_FMT,
        'my-name',
        'abc-123',
      ),
    );
  }
  return errs;
}

const QNAME_MSG = 'must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character';

/** A label or annotation key: `[prefix/]name`. */
export function isQualifiedName(value: string): string[] {
  if (qualifiedNameOk(value)) return [];
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push(`prefix part ${EMPTY_ERROR}`);
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push(`name part ${EMPTY_ERROR}`);
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!QNAME.test(name)) errs.push(`name part ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

export function isValidLabelValue(value: string): string[] {
  if (labelValueOk(value)) return [];
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!LABEL_VALUE.test(value)) {
    errs.push(
      regexError(
        'a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character',
        LABEL_VALUE_FMT,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  }
  return errs;
}

/** An IANA service name, as used for container port names. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}
