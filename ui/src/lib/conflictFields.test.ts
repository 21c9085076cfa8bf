import { describe, expect, it } from 'vitest';
import { controlStart, editControl, isTimestamp, parseControl, toLocalInput } from './conflictFields';

const lead = (column: string) => ({ table: 'leads', column });

describe('editControl', () => {
  it('offers the lead panel’s control for a lead field', () => {
    expect(editControl(lead('status'), 'new', 'proposal').kind).toBe('status');
    expect(editControl(lead('next_follow_up_at'), null, '2026-12-01T09:00:00Z').kind).toBe('day');
    expect(editControl(lead('do_not_contact'), true, false).kind).toBe('checkbox');
    const choice = editControl(lead('engagement_level'), 'low', 'high');
    expect(choice.kind).toBe('choice');
    expect(choice.options?.map((o) => o.value)).toContain('very_high');
    // A panel text field stays text even when a value looks like something else.
    expect(editControl(lead('company'), 'true', null).kind).toBe('text');
    // Notes keep their lines: edited in a box of several lines, read back as typed.
    const notes = editControl(lead('notes'), 'one\ntwo', 'three');
    expect(notes.kind).toBe('textarea');
    expect(parseControl(notes, 'Line one\n  Line two\n')).toEqual({ ok: true, value: 'Line one\n  Line two\n' });
    expect(parseControl(notes, '  \n ')).toEqual({ ok: true, value: null });
    expect(parseControl(notes, 'true')).toEqual({ ok: true, value: 'true' });
    expect(editControl({ table: 'activities', column: 'description' }, 'a\nb', 'c').kind).toBe('textarea');
  });

  it('goes by the values for other fields', () => {
    expect(editControl({ table: 'activities', column: 'scheduled_at' }, null, null).kind).toBe('day');
    expect(editControl({ table: 'campaigns', column: 'active' }, true, null).kind).toBe('checkbox');
    expect(editControl({ table: 'activities', column: 'completed_at' }, '2026-12-01T10:15:00Z', null).kind).toBe('datetime');
    expect(editControl({ table: 'campaigns', column: 'name' }, 'Spring', 'Autumn').kind).toBe('text');
    expect(editControl({ table: 'campaigns', column: 'budget' }, 3, null).kind).toBe('text');
  });
});

describe('values for the controls', () => {
  it('recognises the store’s and the server’s timestamps', () => {
    expect(isTimestamp('2026-12-05T09:00:00.000000Z')).toBe(true);
    expect(isTimestamp('2026-12-01T09:00:00+00:00')).toBe(true);
    expect(isTimestamp('2026-12-01')).toBe(false);
    expect(isTimestamp('Acme')).toBe(false);
    expect(isTimestamp(3)).toBe(false);
  });

  it('round-trips a date and time through the datetime-local input', () => {
    const local = toLocalInput('2026-12-05T09:30:00Z');
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(parseControl({ kind: 'datetime' }, local)).toEqual({ ok: true, value: '2026-12-05T09:30:00.000Z' });
    expect(parseControl({ kind: 'datetime' }, '')).toEqual({ ok: true, value: null });
    expect(parseControl({ kind: 'datetime' }, 'soon')?.ok).toBe(false);
    expect(toLocalInput(null)).toBe('');
  });

  it('starts from the rep’s side and stores the panel’s shapes', () => {
    expect(controlStart({ kind: 'status' }, null, null)).toBe('new');
    expect(controlStart({ kind: 'choice' }, 'replied', 'bounced')).toBe('replied');
    expect(controlStart({ kind: 'day' }, null, '2026-12-01T09:00:00Z')).toBe('');
    expect(parseControl({ kind: 'choice' }, '')).toEqual({ ok: true, value: null });
    expect(parseControl({ kind: 'day' }, '2026-13-45x')?.ok).toBe(false);
    expect(parseControl({ kind: 'text' }, 'x')).toBeNull();
  });
});
