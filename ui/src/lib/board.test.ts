import { describe, expect, it } from 'vitest';
import type { StatusCount } from './api';
import { emptyColumns, findCard, placeCard, removeCard, shiftSummary, type Card } from './board';

const card = (id: string, status: Card['status'], value = 1000): Card => ({
  id,
  name: id,
  company: '',
  value,
  score: null,
  status,
});

describe('board', () => {
  it('places a card at the top of its column only', () => {
    let cols = emptyColumns();
    cols = placeCard(cols, card('a', 'new'));
    cols = placeCard(cols, card('b', 'new'));
    cols = placeCard(cols, { ...card('a', 'qualified') });
    expect(cols.new.map((c) => c.id)).toEqual(['b']);
    expect(cols.qualified.map((c) => c.id)).toEqual(['a']);
    expect(findCard(cols, 'a')?.status).toBe('qualified');
  });

  it('leaves other columns untouched (same arrays)', () => {
    const cols = placeCard(emptyColumns(), card('a', 'new'));
    const moved = placeCard(cols, card('a', 'proposal'));
    expect(moved.contacted).toBe(cols.contacted);
  });

  it('removes a card', () => {
    const cols = removeCard(placeCard(emptyColumns(), card('a', 'new')), 'a');
    expect(findCard(cols, 'a')).toBeNull();
  });

  it('moves count and value between column totals', () => {
    const summary: StatusCount[] = [
      { status: 'new', count: 3, value: 5000 },
      { status: 'qualified', count: 1, value: 1000 },
      { status: 'proposal', count: 0, value: 0 },
    ];
    expect(shiftSummary(summary, 'new', 'qualified', 2000)).toEqual([
      { status: 'new', count: 2, value: 3000 },
      { status: 'qualified', count: 2, value: 3000 },
      { status: 'proposal', count: 0, value: 0 },
    ]);
  });
});
