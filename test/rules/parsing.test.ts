import fc from 'fast-check';
import { parseGoDuration, pauseDurationSeconds } from '../../lib/rules/duration';
import { formatValue } from '../../lib/rules/field';
import { imageReferenceError, imageVerdictsKept } from '../../lib/rules/image';
import { intOrPercentValue } from '../../lib/rules/intstr';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPortName } from '../../lib/rules/k8s-names';
import { selectorMatches, selectorMatchesIn } from '../../lib/rules/labels';
import { strMap } from '../../lib/rules/util';
import { isDownwardApiMetadataPath } from '../../lib/rules/rollout/steps';

describe("Go's time.ParseDuration", () => {
  test.each<[string, bigint | undefined]>([
    ['0', 0n],
    ['-0', 0n],
    ['30s', 30_000_000_000n],
    ['1h30m', 5_400_000_000_000n],
    ['1.5h', 5_400_000_000_000n],
    ['.5s', 500_000_000n],
    ['1.s', 1_000_000_000n],
    ['300ms', 300_000_000n],
    ['2us', 2_000n],
    ['2\u00b5s', 2_000n],
    ['2\u03bcs', 2_000n],
    ['7ns', 7n],
    ['-5s', -5_000_000_000n],
    ['+5s', 5_000_000_000n],
    ['2562047h', 9_223_369_200_000_000_000n],
    ['', undefined],
    ['1d', undefined],
    ['10', undefined],
    ['s', undefined],
    ['.s', undefined],
    ['1 s', undefined],
    ['1s ', undefined],
    ['3000000h', undefined], // overflows int64 nanoseconds
  ])('%j', (input, expected) => {
    expect(parseGoDuration(input)).toBe(expected);
  });
});

describe('pause duration seconds (RolloutPause.DurationSeconds)', () => {
  test.each<[unknown, number]>([
    [undefined, 0],
    [null, 0],
    [0, 0],
    [45, 45],
    [-3, -3],
    ['60', 60],
    ['+60', 60],
    ['-60', -60],
    ['1m', 60],
    ['1500ms', 1],
    ['-500ms', 0],
    ['abc', -1],
    ['1d', -1],
    ['99999999999', -1], // not an int32, and no unit
    ['30s', 30],
    ['1h30m', 5400],
    ['1.5h', 5400],
    ['.5m', 30],
    ['1.s', 1],
    ['999ms', 0], // truncated to whole seconds
    ['1µs', 0],
    ['0', 0],
    ['-5s', -5], // parses, and the controller then rejects it
    ['', -1],
    ['1m5', -1],
    ['1sec', -1],
    ['s', -1],
    [1.5, -1], // not an int32-or-string
  ])('%j -> %d', (input, seconds) => {
    expect(pauseDurationSeconds(input)).toBe(seconds);
  });
});

describe('image references', () => {
  test.each([
    'nginx',
    'nginx:1.14.1',
    'library/nginx:latest',
    'docker.io/library/nginx:1.25-alpine',
    'registry:5000/a/b:tag',
    `registry:5000/a/b:tag@sha256:${'0'.repeat(64)}`,
    `nginx@sha256:${'a'.repeat(64)}`,
    'localhost:5000/web',
    'Registry.Example.com/team/web:v1', // a domain may have upper case
    '[::1]:5000/web:1',
    'a__b/c.d-e:_tag',
  ])('%s is well-formed', (image) => {
    expect(imageReferenceError(image)).toBeUndefined();
  });

  test.each([
    ['not an image', 'invalid reference format'],
    ['nginx:', 'invalid reference format'],
    [':1.0', 'invalid reference format'],
    ['nginx:1.0:2', 'invalid reference format'],
    ['-nginx', 'invalid reference format'],
    ['nginx/', 'invalid reference format'],
    ['team/Web:1', 'invalid reference format: repository name must be lowercase'],
    [`nginx@sha256:${'a'.repeat(63)}`, 'invalid checksum digest length'],
    [`nginx:${'t'.repeat(129)}`, 'invalid reference format'],
    [`${'a'.repeat(256)}`, 'repository name must not be more than 255 characters'],
  ])('%s: %s', (image, error) => {
    expect(imageReferenceError(image)).toBe(error);
  });
});

describe('image reference verdicts, kept for the references that repeat', () => {
  it('gives the same verdict the second time, for well-formed and malformed references alike', () => {
    for (const image of ['nginx:1.27.3', 'team/Web:1', `nginx@sha256:${'a'.repeat(63)}`, 'not an image', ' nginx']) {
      const first = imageReferenceError(image);
      expect(imageReferenceError(image)).toBe(first);
    }
    expect(imageReferenceError('team/Web:1')).toBe('invalid reference format: repository name must be lowercase');
    expect(imageReferenceError('nginx:1.27.3')).toBeUndefined();
  });

  it('keeps at most 128 verdicts, and none for long strings, however many references it sees', () => {
    for (let i = 0; i < 1000; i++) {
      expect(imageReferenceError(`registry.example.com/team/app-${i}:v${i}`)).toBeUndefined();
      expect(imageReferenceError(`Team/App-${i}`)).toBe('invalid reference format: repository name must be lowercase');
      expect(imageVerdictsKept()).toBeLessThanOrEqual(128);
    }
    const before = imageVerdictsKept();
    imageReferenceError(`${'a'.repeat(600)}:v1`);
    expect(imageVerdictsKept()).toBe(before);
  });
});

describe('int-or-percent (getIntOrPercentValue)', () => {
  test.each<[unknown, number]>([
    [0, 0],
    [3, 3],
    ['0', 0],
    ['0%', 0],
    ['25%', 25],
    ['3', 3],
    ['abc', 0],
    ['1.5', 0],
  ])('%j -> %d', (v, n) => expect(intOrPercentValue(v)).toBe(n));
});

describe('Kubernetes names', () => {
  it('DNS-1123 labels and subdomains', () => {
    expect(isDNS1123Label('web-1')).toEqual([]);
    expect(isDNS1123Label('a'.repeat(64))).toContain('must be no more than 63 characters');
    expect(isDNS1123Subdomain('web.example.com')).toEqual([]);
    expect(isDNS1123Subdomain('Web')).toHaveLength(1);
    expect(isDNS1035Label('1web')).toHaveLength(1);
    expect(isDNS1035Label('web-1')).toEqual([]);
  });

  it('qualified names and label values', () => {
    expect(isQualifiedName('app.kubernetes.io/name')).toEqual([]);
    expect(isQualifiedName('a/b/c')[0]).toMatch(/^a qualified name must consist of/);
    expect(isQualifiedName('/name')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('Example.com/name')[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
    expect(isValidLabelValue('')).toEqual([]);
    expect(isValidLabelValue('a'.repeat(64))).toContain('must be no more than 63 characters');
  });

  it('port names', () => {
    expect(isValidPortName('http')).toEqual([]);
    expect(isValidPortName('80')).toEqual(['must contain at least one letter (a-z)']);
    expect(isValidPortName('a--b')).toEqual(['must not contain consecutive hyphens']);
    expect(isValidPortName('-a')).toEqual(['must not begin or end with a hyphen']);
  });
});

describe('selectors and downward API paths', () => {
  it('matches labels like LabelSelectorAsSelector', () => {
    const labels = { app: 'web', tier: 'fe' };
    expect(selectorMatches({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['fe'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'Exists' }] }, labels)).toBe(false);
  });

  test.each<[string, boolean]>([
    ['metadata.name', true],
    ['metadata.namespace', true],
    ['metadata.uid', true],
    ['metadata.labels', true],
    ["metadata.labels['app']", true],
    ["metadata.annotations['Example.com/X']", true],
    ['metadata.foo', false],
    ["metadata.name['x']", false],
    ["metadata.labels['a b']", false],
  ])('%s -> %s', (p, ok) => expect(isDownwardApiMetadataPath(p)).toBe(ok));
});

describe('Go value rendering', () => {
  it('prints values as the field errors do', () => {
    expect(formatValue(120)).toBe('120');
    expect(formatValue('web')).toBe('"web"');
    expect(formatValue(undefined)).toBe('null');
    expect(formatValue(true)).toBe('true');
    expect(formatValue({ app: 'b' })).toBe('{"app":"b"}');
  });
});

describe('a selector matched against a label map in place', () => {
  // keys that a copy of the map inherits or drops (`strMap` skips `__proto__`), values that are not strings
  const key = fc.constantFrom('app', 'tier', 'constructor', 'toString', '__proto__', 'hasOwnProperty', '');
  const value = fc.oneof(fc.constantFrom('web', 'api', '', '1'), fc.constant(1), fc.constant(true), fc.constant(null));
  const map = fc.oneof(fc.dictionary(key, value, { maxKeys: 4 }), fc.constantFrom(undefined, null, [], 'app=web'));
  const selector = fc.oneof(
    fc.record({ matchLabels: map }),
    fc.record({ matchLabels: map, matchExpressions: fc.constant([{ key: 'app', operator: 'Exists' }]) }),
    fc.constantFrom({}, { matchExpressions: [] }),
  );

  it('matches exactly as against strMap of the map', () => {
    fc.assert(
      fc.property(selector, map, (sel, labels) => {
        // JSON.parse makes `__proto__` an own key, as a manifest read from a file has it
        const raw = JSON.parse(JSON.stringify(labels ?? null));
        return selectorMatchesIn(sel, raw) === selectorMatches(sel, strMap(raw));
      }),
      { numRuns: 3000 },
    );
  });

  it('does not take an inherited property for a label', () => {
    expect(selectorMatchesIn({ matchLabels: { constructor: 'x' } }, {})).toBe(false);
    expect(selectorMatchesIn({ matchLabels: { app: 'web' } }, { app: 'web', tier: 'fe' })).toBe(true);
    expect(selectorMatchesIn({ matchLabels: { app: '1' } }, { app: 1 })).toBe(true);
  });
});
