import { describe, expect, it } from 'vitest';
import type { LeadStatus } from './bindings';
import {
  fetchMatching,
  headerCheck,
  matchingOffer,
  SELECT_ALL_CAP,
  selectAllText,
  selectionText,
  selectLoadedTitle,
  type MatchingPage,
} from './selection';

describe('selection', () => {
  it('says the loaded leads are selected, not all of them', () => {
    expect(selectionText({ selected: 100, loaded: 100, total: 200000 }, 'en-US')).toBe(
      '100 loaded leads selected of 200,000 — scroll to load more, or narrow the filter',
    );
    expect(headerCheck({ selected: 100, loaded: 100, total: 200000 })).toBe('some');
    expect(selectLoadedTitle({ selected: 0, loaded: 100, total: 200000 }, 'en-US')).toBe(
      'Select the loaded leads (100 of 200,000; scroll to load more)',
    );
  });

  it('counts a few ticked rows against the total', () => {
    expect(selectionText({ selected: 2, loaded: 300, total: 1204 }, 'en-US')).toBe('2 leads selected of 1,204');
    expect(selectionText({ selected: 1, loaded: 100, total: 1204 }, 'en-US')).toBe('1 lead selected of 1,204');
    expect(headerCheck({ selected: 2, loaded: 300, total: 1204 })).toBe('some');
    expect(headerCheck({ selected: 0, loaded: 300, total: 1204 })).toBe('none');
  });

  it('says all when every matching lead is ticked', () => {
    expect(selectionText({ selected: 301, loaded: 301, total: 301 }, 'en-US')).toBe('All 301 leads selected');
    expect(selectionText({ selected: 1, loaded: 1, total: 1 })).toBe('1 lead selected');
    expect(headerCheck({ selected: 301, loaded: 301, total: 301 })).toBe('all');
    expect(selectLoadedTitle({ selected: 0, loaded: 301, total: 301 })).toBe('Select the loaded leads');
  });

  it('does without a total while it is being counted', () => {
    expect(selectionText({ selected: 100, loaded: 100, total: null }, 'en-US')).toBe('100 leads selected');
    expect(selectLoadedTitle({ selected: 0, loaded: 100, total: null })).toBe('Select the loaded leads');
    expect(headerCheck({ selected: 3, loaded: 100, total: null })).toBe('some');
  });

  it('offers every matching lead once the loaded ones are ticked, up to the cap', () => {
    const loaded = { selected: 100, loaded: 100, total: 1204 };
    expect(matchingOffer(loaded, true)).toBe('offer');
    expect(selectAllText(1204, 'en-US')).toBe('Select all 1,204 matching');
    // Not every loaded row ticked, nothing loaded, or the count not in yet.
    expect(matchingOffer(loaded, false)).toBeNull();
    expect(matchingOffer({ selected: 0, loaded: 0, total: 1204 }, true)).toBeNull();
    expect(matchingOffer({ selected: 100, loaded: 100, total: null }, true)).toBeNull();
    // Everything loaded, or every matching lead already ticked.
    expect(matchingOffer({ selected: 301, loaded: 301, total: 301 }, true)).toBeNull();
    expect(matchingOffer({ selected: 1204, loaded: 100, total: 1204 }, true)).toBeNull();
    // The cap itself is offered; one more is not.
    expect(matchingOffer({ selected: 100, loaded: 100, total: SELECT_ALL_CAP }, true)).toBe('offer');
    expect(matchingOffer({ selected: 100, loaded: 100, total: SELECT_ALL_CAP + 1 }, true)).toBe('too-many');
    expect(matchingOffer({ selected: 10, loaded: 10, total: 30 }, true, 20)).toBe('too-many');
  });

  it('says to narrow the filter above the cap, and all matching once fetched', () => {
    expect(selectionText({ selected: 100, loaded: 100, total: 200000, cap: 10000 }, 'en-US')).toBe(
      '100 loaded leads selected of 200,000 — scroll to load more, or narrow the filter to 10,000 leads or fewer to select them all',
    );
    expect(selectionText({ selected: 100, loaded: 100, total: 1204, cap: 10000 }, 'en-US')).toBe(
      '100 loaded leads selected of 1,204 — scroll to load more, or narrow the filter',
    );
    expect(selectionText({ selected: 1204, loaded: 100, total: 1204, matching: true, cap: 10000 }, 'en-US')).toBe(
      'All 1,204 matching leads selected',
    );
    expect(headerCheck({ selected: 1204, loaded: 100, total: 1204, matching: true })).toBe('all');
    // One unticked afterwards: counted against the total again.
    expect(selectionText({ selected: 1203, loaded: 100, total: 1204, matching: true }, 'en-US')).toBe(
      '1,203 leads selected of 1,204',
    );
  });
});

describe('fetchMatching', () => {
  const lead = (i: number, status: LeadStatus = 'new') => ({ id: `l${i}`, status });
  /** A store of `n` leads served in pages of `size`, the cursor being the next index. */
  function store(n: number, size: number) {
    const cursors: (string | null)[] = [];
    const fetchPage = (cursor: string | null): Promise<MatchingPage> => {
      cursors.push(cursor);
      const from = cursor === null ? 0 : Number(cursor);
      const leads = Array.from({ length: Math.max(0, Math.min(size, n - from)) }, (_, k) => lead(from + k, k % 2 ? 'contacted' : 'new'));
      return Promise.resolve({ leads, next_cursor: from + size < n ? String(from + size) : null });
    };
    return { fetchPage, cursors };
  }

  it('follows the cursor to the last page and keeps each status', async () => {
    const { fetchPage, cursors } = store(12, 5);
    const statuses = await fetchMatching(fetchPage, 100);
    expect(cursors).toEqual([null, '5', '10']);
    expect(statuses.size).toBe(12);
    expect(statuses.get('l0')).toBe('new');
    expect(statuses.get('l6')).toBe('contacted');
    expect(statuses.get('l11')).toBe('contacted');
  });

  it('reads one page when it is the whole answer (next_cursor left out)', async () => {
    const statuses = await fetchMatching(() => Promise.resolve({ leads: [lead(1), lead(2)] }));
    expect([...statuses.keys()]).toEqual(['l1', 'l2']);
  });

  it('refuses more than the cap without reading further', async () => {
    const { fetchPage, cursors } = store(30, 5);
    await expect(fetchMatching(fetchPage, 12, 'en-US')).rejects.toThrow(
      'The filter now matches more than 12 leads — narrow it to 12 or fewer to select them all',
    );
    expect(cursors).toEqual([null, '5', '10']);
    await expect(fetchMatching(store(12, 5).fetchPage, 12)).resolves.toHaveProperty('size', 12);
  });

  it('passes a failed page on', async () => {
    let calls = 0;
    const failing = (cursor: string | null) =>
      ++calls === 2 ? Promise.reject(new Error('database is locked')) : store(12, 5).fetchPage(cursor);
    await expect(fetchMatching(failing)).rejects.toThrow('database is locked');
    expect(calls).toBe(2);
  });

  it('stops at an empty page even if it names a next one', async () => {
    let calls = 0;
    const statuses = await fetchMatching(() => {
      calls++;
      return Promise.resolve({ leads: calls === 1 ? [lead(1)] : [], next_cursor: 'again' });
    });
    expect(calls).toBe(2);
    expect(statuses.size).toBe(1);
  });
});
