import { describe, expect, it } from 'vitest';
import { parseTypedDay } from './typedDay';

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
  });

  it('reads no day where there is none', () => {
    for (const text of ['TBD', '30 Feb 2024', '13/13/2027', 'Jan 2027', '', '2027-02-30', 'Foo 3, 2027']) {
      expect(parseTypedDay(text, 'en-US'), text).toBeNull();
    }
  });
});
