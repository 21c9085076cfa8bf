import { describe, expect, it } from 'vitest';
import { isUnfinishedDate, UNFINISHED_DATE } from './dateInput';

describe('isUnfinishedDate', () => {
  it('is true only for a date the input cannot read', () => {
    expect(isUnfinishedDate({ validity: { badInput: true } })).toBe(true);
    expect(isUnfinishedDate({ validity: { badInput: false } })).toBe(false);
    expect(isUnfinishedDate({ validity: null })).toBe(false);
    expect(isUnfinishedDate(null)).toBe(false);
    expect(isUnfinishedDate(undefined)).toBe(false);
    expect(UNFINISHED_DATE).toBe('Finish the date or clear it');
  });
});
