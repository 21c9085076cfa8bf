import { describe, expect, it } from 'vitest';
import { headerCheck, selectionText, selectLoadedTitle } from './selection';

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
});
