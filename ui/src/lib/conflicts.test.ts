import { describe, expect, it } from 'vitest';
import {
  codeExplanation,
  deletionSides,
  editStart,
  editText,
  fieldName,
  opLabel,
  parseEdit,
  parseEditValue,
  rowLabel,
  tableNoun,
  valueLines,
} from './conflicts';
import { formatDateTime, formatDay } from './format';

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

  it('names fields as the lead panel does', () => {
    expect(fieldName('first_name')).toBe('First name');
    expect(fieldName('email')).toBe('Email');
    expect(fieldName('next_follow_up_at')).toBe('Follow-up');
    expect(fieldName('current_score')).toBe('Score');
    expect(fieldName('linkedin_url')).toBe('LinkedIn');
    expect(fieldName('some_column')).toBe('Some column');
  });

  it('reads a lead field as the panel shows it', () => {
    const status = { table: 'leads', column: 'status' };
    expect(valueLines('proposal', status)).toEqual(['Proposal']);
    expect(valueLines('closed_won', status)).toEqual(['Closed won']);
    const followUp = { table: 'leads', column: 'next_follow_up_at' };
    expect(valueLines('2026-12-05T09:00:00.000000Z', followUp)).toEqual([formatDay('2026-12-05T09:00:00Z')]);
    expect(valueLines('2026-12-01T09:00:00+00:00', followUp)).toEqual([formatDay('2026-12-01T09:00:00Z')]);
    expect(valueLines(null, followUp)).toEqual(['(empty)']);
    expect(valueLines('no_reply', { table: 'leads', column: 'email_status' })).toEqual(['No reply']);
    const at = '2026-12-05T14:30:00Z';
    expect(valueLines(at, { table: 'leads', column: 'last_contacted_at' })).toEqual([formatDateTime(at)]);
    // A status of another table is not a lead status; text stays text.
    expect(valueLines('proposal', { table: 'campaigns', column: 'name' })).toEqual(['proposal']);
    expect(valueLines('Acme', { table: 'leads', column: 'company' })).toEqual(['Acme']);
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

  it('edits with the control the field needs, storing what the panel stores', () => {
    const status = { kind: 'status' } as const;
    expect(editStart(status, 'proposal', 'qualified')).toBe('proposal');
    expect(editStart(status, null, 'qualified')).toBe('qualified');
    expect(parseEdit(status, 'negotiation', 'proposal', 'qualified')).toEqual({ ok: true, value: 'negotiation' });
    expect(parseEdit(status, 'bogus', 'proposal', 'qualified').ok).toBe(false);

    const day = { kind: 'day' } as const;
    expect(editStart(day, '2026-12-05T09:00:00.000000Z', null)).toBe('2026-12-05');
    expect(parseEdit(day, '2026-12-07', null, null)).toEqual({ ok: true, value: '2026-12-07T09:00:00Z' });
    expect(parseEdit(day, '', 'x', 'y')).toEqual({ ok: true, value: null });

    const check = { kind: 'checkbox' } as const;
    expect(editStart(check, true, false)).toBe('true');
    expect(parseEdit(check, 'false', true, false)).toEqual({ ok: true, value: false });

    const text = { kind: 'text' } as const;
    expect(editStart(text, 12.5, 3)).toBe('12.5');
    expect(parseEdit(text, '7', 12.5, 3)).toEqual({ ok: true, value: 7 });
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
    expect(codeExplanation('42501', 'new row violates row-level security policy for table "leads"')).toBe(
      'you don’t have permission (row-level security)',
    );
    // A server rule's own refusal (QA: a do-not-contact lead read as a permissions problem).
    expect(codeExplanation('42501', 'leads.status: lead 01a2 is marked do-not-contact')).toBe('a rule of your team’s server forbids it');
    expect(codeExplanation('23505', 'duplicate key value violates unique constraint "leads_org_email_key"')).toBe(
      'another lead already has this email',
    );
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
      heading: 'You deleted this lead; a teammate edited it',
      mine: 'You deleted this lead',
      keepMine: 'Keep deleted',
      keepTheirs: 'Keep their version',
    });
    expect(deletionSides(null)).toMatchObject({
      mineDeleted: false,
      heading: 'You edited this lead; it was deleted by a teammate',
      mine: 'You edited this lead',
      theirs: 'Deleted by a teammate',
      keepTheirs: 'Accept deletion',
    });
    expect(deletionSides(null, 'lead_lists').mine).toBe('You edited this list');
  });
});
