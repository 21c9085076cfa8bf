import { describe, expect, it } from 'vitest';
import type { Lead } from './api';
import { DETAIL_FIELDS, fieldText, isChanged, parseField, type EditableKey, type FieldDef } from './leadFields';

const def = (key: EditableKey): FieldDef => DETAIL_FIELDS.find((d) => d.key === key)!;
const lead = {
  company: 'Analytical',
  phone: null,
  tags: ['vip', 'demo'],
  next_follow_up_at: '2026-12-01T09:00:00.000000Z',
  current_score: 42,
  status: 'new',
} as unknown as Lead;

describe('detail fields', () => {
  it('covers every editable field once', () => {
    const keys = DETAIL_FIELDS.map((d) => d.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(14);
  });

  it('shows values as input text', () => {
    expect(fieldText(lead, def('company'))).toBe('Analytical');
    expect(fieldText(lead, def('phone'))).toBe('');
    expect(fieldText(lead, def('tags'))).toBe('vip, demo');
    expect(fieldText(lead, def('next_follow_up_at'))).toBe('2026-12-01');
    expect(fieldText(lead, def('current_score'))).toBe('42');
  });

  it('turns input text into stored values', () => {
    expect(parseField(def('company'), '  Engines Ltd ')).toBe('Engines Ltd');
    expect(parseField(def('company'), '   ')).toBeNull();
    expect(parseField(def('current_score'), '77')).toBe(77);
    expect(parseField(def('current_score'), '')).toBeNull();
    expect(parseField(def('current_score'), 'high')).toBe('high');
    expect(parseField(def('next_follow_up_at'), '2026-12-03')).toBe('2026-12-03T09:00:00Z');
    expect(parseField(def('next_follow_up_at'), '')).toBeNull();
    expect(parseField(def('tags'), 'a, b,')).toEqual(['a', 'b']);
    expect(parseField(def('notes'), 'line 1\nline 2\n\n')).toBe('line 1\nline 2');
  });

  it('sees no change when only the formatting differs', () => {
    expect(isChanged(def('tags'), 'vip,demo', 'vip, demo')).toBe(false);
    expect(isChanged(def('company'), 'Analytical ', 'Analytical')).toBe(false);
    expect(isChanged(def('company'), 'Analytical Engines', 'Analytical')).toBe(true);
    expect(isChanged(def('next_follow_up_at'), '2026-12-01', '2026-12-01')).toBe(false);
    expect(isChanged(def('phone'), '', '')).toBe(false);
  });
});
