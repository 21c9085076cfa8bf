import { describe, expect, it } from 'vitest';
import { periodStart } from './deletedPeriod';

describe('Recently deleted periods', () => {
  const now = new Date(2026, 10, 28, 14, 30, 0);

  it('begin an hour, a day or a week back, or not at all', () => {
    expect(periodStart('hour', now)).toBe(new Date(2026, 10, 28, 13, 30, 0).toISOString());
    expect(periodStart('today', now)).toBe(new Date(2026, 10, 28).toISOString());
    expect(periodStart('week', now)).toBe(new Date(now.getTime() - 7 * 86_400_000).toISOString());
    expect(periodStart('all', now)).toBeNull();
  });
});
