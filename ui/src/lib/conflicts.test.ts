import { describe, expect, it } from 'vitest';
import {
  codeExplanation,
  deletionSides,
  editText,
  fieldName,
  opLabel,
  parseEditValue,
  rowLabel,
  tableNoun,
  valueLines,
} from './conflicts';

describe('values', () => {
  it('reads every JSON type', () => {
    expect(valueLines(null)).toEqual(['(empty)']);
    expect(valueLines('')).toEqual(['(empty)']);
    expect(valueLines('Ada')).toEqual(['Ada']);
    expect(valueLines(42)).toEqual(['42']);
    expect(valueLines(true)).toEqual(['Yes']);
    expect(valueLines(['vip', 'demo'])).toEqual(['vip, demo']);
    expect(valueLines([])).toEqual(['(empty)']);
    expect(valueLines({ city: 'Paris', postal_code: null })).toEqual(['City: Paris', 'Postal code: (empty)']);
    expect(valueLines({})).toEqual(['(empty)']);
  });

  it('names fields', () => {
    expect(fieldName('first_name')).toBe('First name');
    expect(fieldName('email')).toBe('Email');
  });
});

describe('editing a value', () => {
  it('starts from the value as text', () => {
    expect(editText('Ada')).toBe('Ada');
    expect(editText(12.5)).toBe('12.5');
    expect(editText(false)).toBe('false');
    expect(editText(null)).toBe('');
    expect(editText({ a: 1 })).toBe('{"a":1}');
  });

  it('keeps text as text and empty as null', () => {
    expect(parseEditValue('Ada L.', 'Ada', 'Ada Lovelace')).toEqual({ ok: true, value: 'Ada L.' });
    expect(parseEditValue('  ', 'Ada', 'Bea')).toEqual({ ok: true, value: null });
    expect(parseEditValue('x', null, null)).toEqual({ ok: true, value: 'x' });
  });

  it('gives numbers for numbers', () => {
    expect(parseEditValue('1,200', 1000, 1500)).toEqual({ ok: true, value: 1200 });
    expect(parseEditValue('7', null, 3)).toEqual({ ok: true, value: 7 });
    expect(parseEditValue('lots', 1, 2)).toEqual({ ok: false, error: 'Enter a number' });
  });

  it('gives booleans for booleans', () => {
    expect(parseEditValue('yes', false, true)).toEqual({ ok: true, value: true });
    expect(parseEditValue('False', true, null)).toEqual({ ok: true, value: false });
    expect(parseEditValue('maybe', true, false).ok).toBe(false);
  });

  it('reads JSON for objects and lists', () => {
    expect(parseEditValue('{"city":"Oslo"}', { city: 'Paris' }, null)).toEqual({ ok: true, value: { city: 'Oslo' } });
    expect(parseEditValue('["a"]', ['b'], ['c'])).toEqual({ ok: true, value: ['a'] });
    expect(parseEditValue('{oops', { a: 1 }, null).ok).toBe(false);
  });

  it('round-trips each type', () => {
    for (const v of ['text', 3, true, { a: 'b' }, ['x']]) {
      expect(parseEditValue(editText(v), v, v)).toEqual({ ok: true, value: v });
    }
  });
});

describe('rejections and labels', () => {
  it('explains the usual database codes', () => {
    expect(codeExplanation('23505')).toBe('another record already uses this value');
    expect(codeExplanation('42501')).toBe('you don’t have permission (row-level security)');
    expect(codeExplanation('P0002')).toContain('you may not change this record');
    expect(codeExplanation('23503')).toContain('doesn’t exist');
    expect(codeExplanation('23514')).toContain('check constraint');
    expect(codeExplanation('XX000')).toBeNull();
    expect(codeExplanation(null)).toBeNull();
  });

  it('names operations and rows', () => {
    expect(opLabel('insert')).toBe('New record');
    expect(opLabel('update')).toBe('Change');
    expect(opLabel('delete')).toBe('Deletion');
    expect(opLabel('upsert')).toBe('Upsert');
    expect(rowLabel({ label: 'Ada Lovelace', table: 'leads', row_id: 'x' })).toBe('Ada Lovelace');
    expect(rowLabel({ label: null, table: 'lead_lists', row_id: '0123456789abcdef' })).toBe('List 01234567');
    expect(rowLabel({ label: '  ', table: 'deals', row_id: 'abc' })).toBe('Deals abc');
    expect(tableNoun('leads')).toBe('Lead');
  });

  it('phrases a deletion clash from either side', () => {
    expect(deletionSides('2026-05-06T10:00:00Z')).toMatchObject({
      mineDeleted: true,
      heading: 'You deleted this; they edited it',
      keepMine: 'Keep deleted',
      keepTheirs: 'Keep their version',
    });
    expect(deletionSides(null)).toMatchObject({ mineDeleted: false, keepTheirs: 'Accept deletion' });
  });
});
