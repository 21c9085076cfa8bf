import { describe, expect, it } from 'vitest';
import { fuzzyFilter, fuzzyScore } from './fuzzy';

const LABELS = [
  'Go to Leads',
  'Go to Pipeline',
  'Go to My day',
  'Go to Dashboard',
  'New lead',
  'Search leads',
  'Export CSV',
  'Load demo data',
];

const filter = (q: string) => fuzzyFilter(LABELS, q, (s) => s);

describe('fuzzyScore', () => {
  it('matches letters in order, case-insensitively', () => {
    expect(fuzzyScore('PIPE', 'Go to Pipeline')).not.toBeNull();
    expect(fuzzyScore('gtp', 'Go to Pipeline')).not.toBeNull();
  });

  it('refuses letters out of order or missing', () => {
    expect(fuzzyScore('epip', 'Pipeline')).toBeNull();
    expect(fuzzyScore('xyz', 'Go to Leads')).toBeNull();
  });

  it('scores an empty query as a match', () => {
    expect(fuzzyScore('  ', 'anything')).toBe(0);
  });

  it('still matches when jumping to a word start would strand a letter', () => {
    expect(fuzzyScore('ac', 'xac a')).not.toBeNull();
  });

  it('ranks word starts and runs above scattered letters', () => {
    expect(fuzzyScore('nl', 'New lead')!).toBeGreaterThan(fuzzyScore('nl', 'Dashboard online')!);
    expect(fuzzyScore('dash', 'Go to Dashboard')!).toBeGreaterThan(fuzzyScore('dash', 'Load demo as shown')!);
  });
});

describe('fuzzyFilter', () => {
  it('keeps everything, in order, for a blank query', () => {
    expect(filter('')).toEqual(LABELS);
  });

  it('finds actions by initials', () => {
    expect(filter('gdb')[0]).toBe('Go to Dashboard');
    expect(filter('gtmd')[0]).toBe('Go to My day');
    expect(filter('nl')[0]).toBe('New lead');
    expect(filter('ldd')[0]).toBe('Load demo data');
  });

  it('finds actions by a word', () => {
    expect(filter('export')).toEqual(['Export CSV']);
    expect(filter('pipe')[0]).toBe('Go to Pipeline');
    expect(filter('my day')[0]).toBe('Go to My day');
  });

  it('drops what does not match', () => {
    expect(filter('zzz')).toEqual([]);
  });
});
