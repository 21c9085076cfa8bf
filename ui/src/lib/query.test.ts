import { describe, expect, it } from 'vitest';
import { buildQuery, clearedFilters, defaultFilters, emptyText, filtersFromQuery, isUnfiltered, sameQuery, statusMatches, ownerFromValue, ownerValue, stillMatches } from './query';

describe('buildQuery', () => {
  it('maps the default filters to an unfiltered query', () => {
    const q = buildQuery(defaultFilters());
    expect(q).toEqual({
      statuses: [],
      owner: null,
      list_id: null,
      campaign_id: null,
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

describe('saved views and lists', () => {
  it('filters by list', () => {
    const q = buildQuery({ ...defaultFilters(), listId: 'L1' });
    expect(q.list_id).toBe('L1');
    expect(isUnfiltered(q)).toBe(false);
  });

  it('round-trips a query through the filters', () => {
    const q = buildQuery({
      ...defaultFilters(),
      text: 'ana',
      status: 'qualified',
      listId: 'L1',
      owner: { kind: 'unassigned' },
      sort: 'score',
      descending: false,
    });
    expect(buildQuery(filtersFromQuery(q))).toEqual(q);
  });

  it('keeps the first of several statuses and fills what a query leaves out', () => {
    const f = filtersFromQuery({ statuses: ['new', 'contacted'] });
    expect(f.status).toBe('new');
    expect(f.sort).toBe('updated_at');
    expect(f.descending).toBe(true);
    expect(f.listId).toBeNull();
  });

  it('tells equal queries apart from different ones', () => {
    const base = buildQuery(defaultFilters());
    expect(sameQuery(base, { ...base, text: '  ' })).toBe(true);
    expect(sameQuery(base, { ...base, tag: 'vip' })).toBe(false);
    expect(sameQuery(base, { ...base, list_id: 'L1' })).toBe(false);
  });
});

describe('clearedFilters', () => {
  it('drops what narrows the list and keeps the sort', () => {
    const f = { ...defaultFilters(), text: 'ana', tag: 'vip', status: 'won', listId: 'l1', sort: 'company' as const, descending: false };
    const c = clearedFilters(f);
    expect(isUnfiltered(buildQuery(c))).toBe(true);
    expect([c.sort, c.descending]).toEqual(['company', false]);
  });
});

describe('owner filter', () => {
  it('round-trips through the select', () => {
    expect(ownerValue(null)).toBe('');
    expect(ownerFromValue('')).toBeNull();
    expect(ownerFromValue(ownerValue({ kind: 'unassigned' }))).toEqual({ kind: 'unassigned' });
    expect(ownerFromValue(ownerValue({ kind: 'user', id: 'u1' }))).toEqual({ kind: 'user', id: 'u1' });
  });
});

describe('stillMatches', () => {
  it('leaves out a lead edited out of the status or owner filter', () => {
    const q = { ...buildQuery(defaultFilters()), owner: { kind: 'user' as const, id: 'me' } };
    expect(stillMatches(q, { status: 'new', assigned_to: 'me' })).toBe(true);
    expect(stillMatches(q, { status: 'new', assigned_to: 'bo' })).toBe(false);
    expect(stillMatches({ ...q, owner: { kind: 'unassigned' } }, { status: 'new', assigned_to: null })).toBe(true);
    expect(stillMatches({ ...q, owner: null, statuses: ['won'] }, { status: 'new' })).toBe(false);
  });
});

describe('campaign filter', () => {
  it('is part of the query, a saved view and what Clear filters clears', () => {
    const f = { ...defaultFilters(), campaignId: 'c1' };
    const q = buildQuery(f);
    expect(q.campaign_id).toBe('c1');
    expect(isUnfiltered(q)).toBe(false);
    expect(filtersFromQuery(q).campaignId).toBe('c1');
    expect(clearedFilters(f).campaignId).toBeNull();
  });

  it('says how leads join an empty list or campaign', () => {
    expect(emptyText({ ...defaultFilters(), campaignId: 'c1' })).toContain('Add to campaign');
    expect(emptyText({ ...defaultFilters(), listId: 'l1' })).toContain('Add to list');
    expect(emptyText({ ...defaultFilters(), listId: 'l1', text: 'ann' })).toBe('No leads match these filters.');
    expect(emptyText({ ...defaultFilters(), listId: 'l1' }, true)).toContain('was deleted');
  });
});
