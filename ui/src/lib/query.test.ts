import { describe, expect, it } from 'vitest';
import { buildQuery, defaultFilters, isUnfiltered, statusMatches } from './query';

describe('buildQuery', () => {
  it('maps the default filters to an unfiltered query', () => {
    const q = buildQuery(defaultFilters());
    expect(q).toEqual({
      statuses: [],
      owner: null,
      list_id: null,
      tag: null,
      text: null,
      sort: 'updated_at',
      descending: true,
    });
    expect(isUnfiltered(q)).toBe(true);
  });

  it('treats blank text as no search and trims the rest', () => {
    const q = buildQuery({ text: '  ', tag: ' vip ', status: 'qualified', sort: 'name', descending: false });
    expect(q.text).toBeNull();
    expect(q.tag).toBe('vip');
    expect(q.statuses).toEqual(['qualified']);
    expect(isUnfiltered(q)).toBe(false);
  });

  it('knows whether a status still matches', () => {
    expect(statusMatches(buildQuery(defaultFilters()), 'new')).toBe(true);
    const q = buildQuery({ ...defaultFilters(), status: 'new' });
    expect(statusMatches(q, 'new')).toBe(true);
    expect(statusMatches(q, 'qualified')).toBe(false);
  });
});
