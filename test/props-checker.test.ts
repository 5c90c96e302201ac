import { Chart, Duration, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { PropsChecker, PropsError, show } from '../lib/props-checker';

describe('show: a value in a message, whatever it is', () => {
  test.each<[string, unknown, string]>([
    ['a string, quoted', 'web', "'web'"],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a boolean', false, 'false'],
    ['NaN, which JSON would write as null', NaN, 'NaN'],
    ['-Infinity', -Infinity, '-Infinity'],
    ['a BigInt, which JSON refuses', 10n, '10n'],
    ['a symbol', Symbol('x'), 'Symbol(x)'],
    ['a function', () => 1, 'a function'],
    ['a plain object as JSON', { a: [1, 'b'] }, '{"a":[1,"b"]}'],
    ['a Duration by its seconds', Duration.minutes(2), 'Duration of 120s'],
    ['a class instance by its class', new (class Step { public readonly w = 5; })(), 'a Step {"w":5}'],
    ['a long string, cut', 'x'.repeat(200), `'${'x'.repeat(79)}...`],
  ])('%s', (_, value, shown) => {
    expect(show(value)).toBe(shown);
  });

  test('a cycle does not throw', () => {
    const a: any = { name: 'a' };
    a.self = a;
    expect(show(a)).toBe('an object');
  });
});

describe('PropsChecker', () => {
  const checker = () => new PropsChecker('Thing', new Construct(new Chart(Testing.app(), 'app'), 'it'));

  test('nothing recorded, nothing thrown', () => {
    expect(() => checker().throwIfAny()).not.toThrow();
  });

  test('one problem: the construct, then the problem', () => {
    const check = checker();
    check.integer('replicas', -1, 0);
    expect(() => check.throwIfAny()).toThrow(new PropsError("Thing 'app/it': replicas is -1; it must be an integer >= 0", []));
  });

  test('many problems: all in .problems, the first 20 in the message', () => {
    const check = checker();
    for (let i = 0; i < 25; i++) check.boolean(`flags[${i}]`, 'yes');
    let error: PropsError | undefined;
    try {
      check.throwIfAny();
    } catch (e) {
      error = e as PropsError;
    }
    expect(error).toBeInstanceOf(PropsError);
    expect(error!.problems).toHaveLength(25);
    const lines = error!.message.split('\n');
    expect(lines[0]).toBe("Thing 'app/it': 25 invalid props:");
    expect(lines[1]).toBe("  - flags[0] is 'yes'; it must be true or false");
    expect(lines).toHaveLength(22);
    expect(lines[21]).toBe('  ... and 5 more');
  });

  test('type checks say whether the value can be read, and record nothing for an absent value', () => {
    const check = checker();
    expect(check.string('a', undefined)).toBe(false);
    expect(check.integer('b', undefined, 0)).toBe(false);
    expect(check.seconds('c', undefined)).toBeUndefined();
    expect(check.problems).toEqual([]);
    expect(check.string('a', 'x')).toBe(true);
    expect(check.integer('b', 2 ** 31, 0)).toBe(false);
    expect(check.seconds('c', Duration.seconds(5))).toBe(5);
    expect(check.array('d', [1, , 3])).toBe(false); // eslint-disable-line no-sparse-arrays
    expect(check.problems).toEqual([
      'b is 2147483648; it must be at most 2147483647',
      'd.length is 3; the list has holes (missing elements)',
    ]);
  });

  test('a Duration look-alike whose toSeconds throws is refused, not thrown through', () => {
    const check = checker();
    expect(check.seconds('minReady', { toSeconds: () => { throw new Error('boom'); } })).toBeUndefined();
    expect(check.problems).toEqual(['minReady is {}; it must be a Duration, such as Duration.seconds(30)']);
  });
});
