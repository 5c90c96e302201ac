import { isDNS1035Label, isNamespaceName, NAME_RULES, nameRuleBroken, validateObjects } from '../../lib/rules';
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
