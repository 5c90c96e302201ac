import { formatSeconds, pauseDurationSeconds, resolveFenceposts } from '../../lib/plan';
import { pauseDurationSeconds as rulesPauseDurationSeconds } from '../../lib/rules/duration';

describe('durations', () => {
  test('the plan parses pauses with the rules engine\'s parser (tested in test/rules/parsing.test.ts)', () => {
    expect(pauseDurationSeconds).toBe(rulesPauseDurationSeconds);
  });

  test('formatSeconds writes what people write', () => {
    expect([0, 5, 60, 90, 99, 100, 150, 600, 3600, 5400, 7505].map(formatSeconds))
      .toEqual(['0s', '5s', '60s', '90s', '99s', '1m40s', '2m30s', '10m', '1h', '1h30m', '2h5m5s']);
  });
});

describe('resolveFenceposts (MaxSurge / MaxUnavailable)', () => {
  test.each([
    // replicas, surge, unavailable — the defaults "25"/"25" (percent strings)
    [0, 0, 0],
    [1, 1, 0],
    [2, 1, 0],
    [3, 1, 0],
    [4, 1, 1],
    [5, 2, 1],
    [10, 3, 2],
  ])('defaults with %i replicas → surge %i, unavailable %i', (replicas, surge, unavailable) => {
    expect(resolveFenceposts(undefined, undefined, replicas)).toEqual({ surge, unavailable });
  });

  test('ints are pods; any string is a percent; both 0 forces unavailable 1; unavailable is capped at replicas', () => {
    expect(resolveFenceposts(1, 1, 5)).toEqual({ surge: 1, unavailable: 1 });
    expect(resolveFenceposts('1', '1', 5)).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts('50%', '50%', 5)).toEqual({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts(0, '10', 5)).toEqual({ surge: 0, unavailable: 1 });
    expect(resolveFenceposts(0, 9, 5)).toEqual({ surge: 0, unavailable: 5 });
  });
});
