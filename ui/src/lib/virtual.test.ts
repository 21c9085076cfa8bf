import { describe, expect, it } from 'vitest';
import { needsMore, revealRow, stepIndex, visibleRange } from './virtual';

describe('visibleRange', () => {
  it('covers the viewport plus overscan, clamped at the top', () => {
    expect(visibleRange(0, 400, 40, 1000, 5)).toEqual({ start: 0, end: 15 });
  });

  it('follows the scroll position', () => {
    // Rows 100..110 are in view at scrollTop 4000 with a 400 px viewport.
    expect(visibleRange(4000, 400, 40, 1000, 5)).toEqual({ start: 95, end: 115 });
  });

  it('includes a partly visible row', () => {
    expect(visibleRange(20, 400, 40, 1000, 0)).toEqual({ start: 0, end: 11 });
  });

  it('is clamped to the rows there are', () => {
    expect(visibleRange(3800, 400, 40, 100, 5)).toEqual({ start: 90, end: 100 });
    expect(visibleRange(0, 400, 40, 3, 5)).toEqual({ start: 0, end: 3 });
  });

  it('is empty with no rows, a zero row height or an overscrolled position', () => {
    expect(visibleRange(0, 400, 40, 0)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(0, 400, 0, 10)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(99999, 400, 40, 10, 2)).toEqual({ start: 10, end: 10 });
  });

  it('treats a negative scrollTop (elastic overscroll) as the top', () => {
    expect(visibleRange(-50, 400, 40, 1000, 0)).toEqual({ start: 0, end: 10 });
  });

  it('renders the same number of rows wherever the list is scrolled (1M rows)', () => {
    const sizes = [0, 4e5, 2e7, 3.99996e7].map((top) => {
      const r = visibleRange(top, 800, 40, 1_000_000, 8);
      return r.end - r.start;
    });
    expect(Math.max(...sizes)).toBeLessThanOrEqual(36);
  });
});

describe('needsMore', () => {
  it('asks for a page when the window nears the end of what is loaded', () => {
    expect(needsMore({ start: 40, end: 70 }, 100, 40, false)).toBe(true);
    expect(needsMore({ start: 0, end: 30 }, 100, 40, false)).toBe(false);
  });

  it('never asks once the last page is in', () => {
    expect(needsMore({ start: 90, end: 100 }, 100, 40, true)).toBe(false);
  });

  it('asks for the first page of an empty list', () => {
    expect(needsMore({ start: 0, end: 0 }, 0, 40, false)).toBe(true);
  });
});

describe('revealRow', () => {
  it('leaves the scroll alone when the row is in view', () => {
    expect(revealRow(5, 0, 400, 40)).toBe(0);
  });

  it('scrolls up to a row above the viewport', () => {
    expect(revealRow(2, 400, 400, 40)).toBe(80);
  });

  it('scrolls down just enough for a row below', () => {
    expect(revealRow(10, 0, 400, 40)).toBe(40);
  });
});

describe('stepIndex', () => {
  it('starts at the first or last row when nothing is chosen', () => {
    expect(stepIndex(-1, 1, 10)).toBe(0);
    expect(stepIndex(-1, -1, 10)).toBe(9);
  });

  it('moves and stops at the ends', () => {
    expect(stepIndex(3, 1, 10)).toBe(4);
    expect(stepIndex(9, 1, 10)).toBe(9);
    expect(stepIndex(0, -1, 10)).toBe(0);
    expect(stepIndex(2, -20, 10)).toBe(0);
  });

  it('has nowhere to go in an empty list', () => {
    expect(stepIndex(-1, 1, 0)).toBe(-1);
  });
});
