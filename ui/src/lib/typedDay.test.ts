import { describe, expect, it } from 'vitest';
import { looksLikeDay, parseTypedDay } from './typedDay';

describe('parseTypedDay', () => {
  it('reads the ways a rep writes a day', () => {
    for (const text of ['2027-01-15', 'Jan 15, 2027', 'January 15 2027', '15 Jan 2027', ' 1/15/2027 ']) {
      expect(parseTypedDay(text, 'en-US'), text).toBe('2027-01-15');
    }
  });

  it('reads numbers in the order the locale writes them, and its month names', () => {
    expect(parseTypedDay('15/01/2027', 'en-GB')).toBe('2027-01-15');
    expect(parseTypedDay('15.01.2027', 'de-DE')).toBe('2027-01-15');
    expect(parseTypedDay('15. Januar 2027', 'de-DE')).toBe('2027-01-15');
    expect(parseTypedDay('01/02/2027', 'en-US')).toBe('2027-01-02');
    // Only one reading is a day, whatever the locale; dots are day first; year first too.
    expect(parseTypedDay('15/01/2027', 'en-US')).toBe('2027-01-15');
    expect(parseTypedDay('15.01.2027', 'en-US')).toBe('2027-01-15');
    expect(parseTypedDay('2027/01/15', 'en-US')).toBe('2027-01-15');
  });

  it('tells a day written wrong from text that is no day', () => {
    for (const text of ['2027-02-30', '30 Feb 2027', '13/13/2027', 'Jan 15, 2027']) expect(looksLikeDay(text), text).toBe(true);
    for (const text of ['TBD', 'Q1 2027', 'next week', '2027', 'Sprint 14 2025', 'Windows 10 2019']) expect(looksLikeDay(text, 'en-US'), text).toBe(false);
  });

  it('reads no day where there is none', () => {
    for (const text of ['TBD', '30 Feb 2024', '13/13/2027', 'Jan 2027', '', '2027-02-30', 'Foo 3, 2027']) {
      expect(parseTypedDay(text, 'en-US'), text).toBeNull();
    }
  });
});
