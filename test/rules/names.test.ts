import fc from 'fast-check';
import { isDNS1035Label, isNamespaceName, NAME_RULES, nameRuleBroken, validateObjects } from '../../lib/rules';
import {
  dns1035LabelOk,
  dns1123LabelOk,
  dns1123SubdomainOk,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  labelValueOk,
  qualifiedNameOk,
  qualifiedNameVerdictsKept,
} from '../../lib/rules/k8s-names';
import { namespaceNameOk } from '../../lib/rules/names';
import { configMap, mutate, BLUE_GREEN, service } from './fixtures';

describe('name rules by kind of name', () => {
  it('takes a namespace as a DNS-1123 label: 1team is a namespace, not a Service name', () => {
    expect(isNamespaceName('1team')).toEqual([]);
    expect(nameRuleBroken('namespace', '1team')).toBeUndefined();
    expect(isDNS1035Label('1team')).not.toEqual([]);
    expect(nameRuleBroken('service', '1team')).toBe(NAME_RULES.service.rule);
  });

  test.each([
    ['Team', 'upper case'],
    ['team.a', 'a dot (a subdomain, not a label)'],
    ['-team', 'a leading hyphen'],
    ['a'.repeat(64), '64 characters'],
    ['', 'empty'],
  ])('refuses the namespace %j (%s) with a rule about a namespace', (value) => {
    expect(isNamespaceName(value)).not.toEqual([]);
    const rule = nameRuleBroken('namespace', value);
    expect(rule).toMatch(/^a namespace must be a DNS-1123 label: /);
    expect(rule).not.toMatch(/Service/);
  });

  it('refuses a value that is not a string, for every kind', () => {
    for (const kind of ['namespace', 'service', 'object'] as const) {
      expect(nameRuleBroken(kind, 5)).toBe(NAME_RULES[kind].rule);
      expect(nameRuleBroken(kind, undefined)).toBe(NAME_RULES[kind].rule);
    }
  });

  it('keeps object names as DNS-1123 subdomains', () => {
    expect(nameRuleBroken('object', 'web.v2')).toBeUndefined();
    expect(nameRuleBroken('object', 'Web')).toMatch(/^an object name must be a DNS-1123 subdomain: /);
  });
});

describe('namespaces in object sets', () => {
  it('accepts objects in the namespace 1team, and a Namespace named 1team', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: '1team' } };
    const inTeam = (o: any) => mutate(o, (x) => (x.metadata.namespace = '1team'));
    const objects = [ns, inTeam(configMap('web-conf')), service('web-active', { app: 'web' }, '1team'), service('web-preview', { app: 'web' }, '1team'), inTeam(BLUE_GREEN)];
    expect(validateObjects(objects)).toEqual([]);
  });

  it('checks a Namespace name as a label: no dots', () => {
    const findings = validateObjects([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team.a' } }]);
    expect(findings).toEqual([
      { severity: 'error', rule: 'metadata-name', path: 'metadata.name', message: 'Invalid value: "team.a": must not contain dots', object: expect.objectContaining({ kind: 'Namespace' }) },
    ]);
  });
});

describe('boolean twins of the name checks (the fast path of every object)', () => {
  // Strings built from the characters the regexes care about, so that valid values, near misses and the length limits
  // (63, 253) are all common; plus fast-check's own strings.
  const pieces = fc.constantFrom('a', 'z', 'A', 'Z', '0', '9', '-', '.', '_', '/', ' ', 'é', 'a.b', 'web', 'x'.repeat(30), 'k8s.io/');
  const candidates = fc.oneof(
    fc.array(pieces, { maxLength: 12 }).map((p) => p.join('')),
    fc.array(pieces, { minLength: 8, maxLength: 40 }).map((p) => p.join('')),
    fc.string({ maxLength: 80 }),
    fc.constantFrom('', 'a', '-', 'a-', '-a', 'a.b', 'a..b', '/a', 'a/', 'a/b/c', 'a'.repeat(63), 'a'.repeat(64), `${'a.'.repeat(126)}a`, `${'a'.repeat(253)}/a`, `${'a'.repeat(254)}/a`, `a/${'b'.repeat(63)}`, `a/${'b'.repeat(64)}`),
  );
  const twins: Array<[string, (v: string) => boolean, (v: string) => string[]]> = [
    ['dns1123LabelOk', dns1123LabelOk, isDNS1123Label],
    ['dns1123SubdomainOk', dns1123SubdomainOk, isDNS1123Subdomain],
    ['dns1035LabelOk', dns1035LabelOk, isDNS1035Label],
    ['qualifiedNameOk', qualifiedNameOk, isQualifiedName],
    ['labelValueOk', labelValueOk, isValidLabelValue],
    ['namespaceNameOk', namespaceNameOk, isNamespaceName],
  ];

  test.each(twins)('%s accepts exactly what its function finds nothing wrong with', (_name, ok, check) => {
    fc.assert(
      fc.property(candidates, (value) => ok(value) === (check(value).length === 0)),
      { numRuns: 3000 },
    );
  });

  test.each(twins)('%s never accepts a value that is not a string', (_name, ok) => {
    for (const value of [5, 0, true, null, undefined, {}, []]) expect(ok(value as any)).toBe(false);
  });
});

describe('label maps read in place', () => {
  it('passes over a `__proto__` key, as the copy through strMap always did (assigning it sets no property)', () => {
    const rollout = mutate(BLUE_GREEN, (o) => {
      o.metadata.labels = JSON.parse('{"__proto__": "x", "app": "web"}');
      o.spec.template.metadata.annotations = JSON.parse('{"__proto__": "x"}');
    });
    const objects = [configMap('web-conf'), service('web-active'), service('web-preview'), rollout];
    expect(validateObjects(objects)).toEqual([]);
  });
});

describe('qualified-name verdicts (label and annotation keys)', () => {
  it('gives the same verdict the second time, and keeps at most 256 keys, none longer than a valid one', () => {
    for (const key of ['app', 'prometheus.io/scrape', 'Bad Key', 'a/b/c', `${'a'.repeat(253)}/x`]) {
      const first = qualifiedNameOk(key);
      expect(first).toBe(isQualifiedName(key).length === 0);
      expect(qualifiedNameOk(key)).toBe(first);
    }
    for (let i = 0; i < 1000; i++) {
      expect(qualifiedNameOk(`team-${i}.example.com/key-${i}`)).toBe(true);
      expect(qualifiedNameOk(`-bad-${i}`)).toBe(false);
      expect(qualifiedNameVerdictsKept()).toBeLessThanOrEqual(256);
    }
    const before = qualifiedNameVerdictsKept();
    expect(qualifiedNameOk(`${'a'.repeat(400)}/x`)).toBe(false);
    expect(qualifiedNameVerdictsKept()).toBe(before);
  });
});
