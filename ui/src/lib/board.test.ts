import { describe, expect, it } from 'vitest';
import type { StatusCount } from './api';
import {
  cardToward,
  EDGE_PX,
  edgeStep,
  emptyColumns,
  findCard,
  placeCard,
  removeCard,
  shiftSummary,
  type Card,
} from './board';

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

describe('cardToward', () => {
  it('moves within a column and to the nearest column with cards', () => {
    let cols = emptyColumns();
    for (const c of [card('a', 'new'), card('b', 'new'), card('c', 'new'), card('d', 'qualified')]) cols = placeCard(cols, c);
    const ids = (s: Card['status']) => cols[s].map((c) => c.id);
    const [first, second] = ids('new');
    expect(cardToward(cols, first, 'ArrowDown')).toBe(second);
    expect(cardToward(cols, second, 'ArrowUp')).toBe(first);
    expect(cardToward(cols, first, 'ArrowUp')).toBeNull();
    // "contacted" between them is empty: skipped; a lower card lands on the last one there.
    expect(cardToward(cols, ids('new')[2], 'ArrowRight')).toBe('d');
    expect(cardToward(cols, 'd', 'ArrowLeft')).toBe(first);
    expect(cardToward(cols, 'd', 'ArrowRight')).toBeNull();
    expect(cardToward(cols, 'nope', 'ArrowDown')).toBeNull();
  });
});

describe('edgeStep', () => {
  it('scrolls the board only near its sides, faster nearer them', () => {
    expect(edgeStep(500, 0, 1000)).toBe(0);
    expect(edgeStep(EDGE_PX + 1, 0, 1000)).toBe(0);
    expect(edgeStep(0, 0, 1000)).toBe(-24);
    expect(edgeStep(-30, 0, 1000)).toBe(-24);
    expect(edgeStep(1000, 0, 1000)).toBe(24);
    const near = edgeStep(990, 0, 1000);
    const far = edgeStep(960, 0, 1000);
    expect(near > far && far > 0).toBe(true);
  });
});
