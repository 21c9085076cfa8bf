import { describe, expect, it, vi } from 'vitest';
import {
  dayToRfc3339,
  pastDayToRfc3339,
  dueDayText,
  dueState,
  endOfDay,
  endOfTodayRfc3339,
  startOfTodayRfc3339,
  countOf,
  formatCompact,
  formatDateTime,
  formatDay,
  formatNumber,
  formatTags,
  formatWeek,
  leadName,
  localDay,
  numberLocale,
  parseTags,
  rfc3339ToDay,
  startOfDay,
  toAmount,
  winRate,
} from './format';

const blank = { first_name: null, last_name: null, email: null, company: null };

describe('leadName', () => {
  it('joins first and last name', () => {
    expect(leadName({ ...blank, first_name: 'Ada', last_name: 'Lovelace' })).toBe('Ada Lovelace');
    expect(leadName({ ...blank, first_name: ' Ada ', last_name: '' })).toBe('Ada');
  });

  it('falls back to email, company, then a placeholder', () => {
    expect(leadName({ ...blank, email: 'ada@x.example', company: 'X' })).toBe('ada@x.example');
    expect(leadName({ ...blank, company: 'Analytical' })).toBe('Analytical');
    expect(leadName(blank)).toBe('(no name)');
  });
});

describe('days', () => {
  it('stores a picked day at 09:00 UTC', () => {
    expect(dayToRfc3339('2026-12-01')).toBe('2026-12-01T09:00:00Z');
    expect(dayToRfc3339(' 2026-12-01 ')).toBe('2026-12-01T09:00:00Z');
    expect(dayToRfc3339('')).toBeNull();
    expect(dayToRfc3339('tomorrow')).toBeNull();
  });

  it('stores the day a call or reply happened as now (empty, today) or exactly noon UTC of that day', () => {
    const now = new Date(2026, 10, 27, 8, 15);
    expect(pastDayToRfc3339('', now)).toBeNull();
    expect(pastDayToRfc3339('2026-11-27', now)).toBeNull();
    expect(pastDayToRfc3339('2026-11-25', now)).toBe('2026-11-25T12:00:00.000Z');
    expect(pastDayToRfc3339('2024-02-29', now)).toBe('2024-02-29T12:00:00.000Z');
    expect(pastDayToRfc3339('monday', now)).toBeNull();
    expect(pastDayToRfc3339('0001-01-01', now)?.startsWith('0001-01-01')).toBe(true);
  });

  it('stores yesterday as its midnight UTC just after midnight in Auckland, where its noon is to come', () => {
    // (Node reads TZ again when it changes.)
    vi.stubEnv('TZ', 'Pacific/Auckland');
    try {
      const now = new Date(Date.UTC(2026, 10, 26, 11, 30)); // 00:30 on the 27th, UTC+13
      expect(localDay(now, -1)).toBe('2026-11-26');
      expect(pastDayToRfc3339('2026-11-26', now)).toBe('2026-11-26T00:00:00.000Z');
      expect(pastDayToRfc3339('2026-11-25', now)).toBe('2026-11-25T12:00:00.000Z');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("shows a stored timestamp as its UTC day in the date input", () => {
    expect(rfc3339ToDay('2026-12-01T09:00:00.000000Z')).toBe('2026-12-01');
    expect(rfc3339ToDay('2026-12-01T23:30:00-02:00')).toBe('2026-12-02');
    expect(rfc3339ToDay(null)).toBe('');
    expect(rfc3339ToDay('garbage')).toBe('');
  });

  it('round-trips a picked day', () => {
    expect(rfc3339ToDay(dayToRfc3339('2027-02-28'))).toBe('2027-02-28');
  });

  it('formats days and times for a given locale', () => {
    expect(formatDay('2026-12-01T09:00:00Z', 'en-GB')).toBe('1 Dec 2026');
    expect(formatDay(null)).toBe('');
    expect(formatDateTime('2026-12-01T09:05:00Z', 'en-GB', 'UTC')).toBe('1 Dec 2026, 09:05');
    expect(formatDateTime('nope')).toBe('');
  });

  it('knows the local day bounds', () => {
    const now = new Date(2026, 10, 25, 15, 30);
    expect(startOfDay(now)).toEqual(new Date(2026, 10, 25));
    expect(endOfDay(now)).toEqual(new Date(2026, 10, 25, 23, 59, 59, 999));
    expect(localDay(now)).toBe('2026-11-25');
    expect(localDay(now, 7)).toBe('2026-12-02');
  });
});

describe('dueState', () => {
  const now = new Date(2026, 10, 25, 15, 30);

  it('goes by the stored day against the local today', () => {
    expect(dueState('2026-11-24T09:00:00Z', now)).toBe('overdue');
    expect(dueState('2026-11-25T09:00:00Z', now)).toBe('today');
    expect(dueState('2026-11-25T23:59:00Z', now)).toBe('today');
    expect(dueState('2026-11-26T00:00:00Z', now)).toBe('later');
  });

  it('is null without a date', () => {
    expect(dueState(null, now)).toBeNull();
    expect(dueState('', now)).toBeNull();
    expect(dueState('soon', now)).toBeNull();
  });
});

describe('amounts', () => {
  it('reads decimal text and numbers', () => {
    expect(toAmount('12500.50')).toBe(12500.5);
    expect(toAmount(3)).toBe(3);
    expect(toAmount(null)).toBe(0);
    expect(toAmount('n/a')).toBe(0);
  });

  it('formats compactly', () => {
    expect(formatCompact(12500, 'en-US')).toBe('12.5K');
    expect(formatCompact(999, 'en-US')).toBe('999');
  });
});

describe('tags', () => {
  it('parses comma separated text, trimmed and without duplicates', () => {
    expect(parseTags('vip, demo ,, vip')).toEqual(['vip', 'demo']);
    expect(parseTags('VIP, vip , New')).toEqual(['VIP', 'New']);
    expect(parseTags('  ')).toEqual([]);
  });

  it('formats for editing', () => {
    expect(formatTags(['vip', 'demo'])).toBe('vip, demo');
    expect(formatTags(null)).toBe('');
  });
});

describe('end of today and task dues', () => {
  it('asks for dues up to the end of the day with the local date (dues are days)', () => {
    expect(endOfTodayRfc3339(new Date(2026, 4, 6, 0, 5))).toBe('2026-05-06T23:59:59.999Z');
    expect(endOfTodayRfc3339(new Date(2026, 4, 6, 23, 55))).toBe('2026-05-06T23:59:59.999Z');
    expect(startOfTodayRfc3339(new Date(2026, 4, 6, 23, 55))).toBe('2026-05-06T00:00:00.000Z');
  });

  it('compares a task by its due day with the local today', () => {
    const now = new Date(2026, 4, 6, 23, 0);
    expect(dueState('2026-05-05T09:00:00Z', now)).toBe('overdue');
    expect(dueState('2026-05-06T09:00:00Z', now)).toBe('today');
    expect(dueState('2026-05-07T09:00:00Z', now)).toBe('later');
    expect(dueState(null, now)).toBeNull();
    expect(dueState('nonsense', now)).toBeNull();
  });

  it('labels weeks by their Monday', () => {
    expect(formatWeek('2026-05-04', 'en-GB')).toBe('4 May');
    expect(formatWeek('bad')).toBe('bad');
  });
});

describe('winRate', () => {
  it('gives the rate with its basis', () => {
    expect(winRate(31, 0)).toEqual({ value: '100%', basis: '31 won of 31 closed' });
    expect(winRate(1, 2)).toEqual({ value: '33%', basis: '1 won of 3 closed' });
    expect(winRate(1000, 1000, 'en-US').basis).toBe('1,000 won of 2,000 closed');
  });

  it('groups thousands under a POSIX locale too (a webview started with LANG=C)', () => {
    expect(winRate(33578, 0, 'en-US-u-va-posix').basis).toBe('33,578 won of 33,578 closed');
  });

  it('has no rate before a lead is closed', () => {
    expect(winRate(0, 0)).toEqual({ value: '–', basis: 'no closed leads yet' });
  });
});

describe('counts', () => {
  it('groups thousands', () => {
    expect(formatNumber(200000, 'en-US')).toBe('200,000');
    expect(formatNumber(200000, 'en-US-u-va-posix')).toBe('200,000');
    expect(formatCompact(12500, 'en-US-u-va-posix')).toBe('12.5K');
    expect(countOf(200000, 'lead', undefined, 'en-US')).toBe('200,000 leads');
    expect(countOf(1, 'lead')).toBe('1 lead');
  });

  it('keeps a real locale and replaces only POSIX', () => {
    expect(numberLocale('de-DE')).toBe('de-DE');
    expect(numberLocale('en-US-POSIX')).toBe('en-US');
    expect(formatNumber(1234567, 'de-DE')).toBe('1.234.567');
  });
});

describe('dueDayText', () => {
  it('says Today for today, else the day', () => {
    const now = new Date(2026, 10, 27, 15, 0);
    expect(dueDayText('2026-11-27T09:00:00Z', now, 'en-US')).toBe('Today');
    expect(dueDayText('2026-11-26T09:00:00Z', now, 'en-US')).toBe('Nov 26, 2026');
    expect(dueDayText(null, now)).toBe('');
  });
});
