// Window math for the virtualised lead list: which rows to render for a scroll position, when to
// fetch the next page, and where to scroll to reveal a row. Rows have one fixed height, so all of
// it is arithmetic and nothing is measured per row.

export interface Range {
  /** First row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
}

/** Rows visible in the viewport plus `overscan` on each side, clamped to the rows there are. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 6,
): Range {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const top = Math.max(0, scrollTop);
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight);
  const start = Math.min(count, Math.max(0, first - overscan));
  const end = Math.min(count, Math.max(start, last + overscan));
  return { start, end };
}

/**
 * Whether to fetch the next page: the rendered window has come within `threshold` rows of the end
 * of what is loaded. Fetching ahead of the edge keeps scrolling smooth without ever loading rows
 * the rep has not scrolled towards.
 */
export function needsMore(range: Range, loaded: number, threshold: number, done: boolean): boolean {
  return !done && range.end + threshold >= loaded;
}

/** The scrollTop that brings row `index` fully into view, moving as little as possible. */
export function revealRow(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/** Index `delta` rows away from `current` (-1 = none yet), clamped to the loaded rows. */
export function stepIndex(current: number, delta: number, count: number): number {
  if (count <= 0) return -1;
  if (current < 0) return delta > 0 ? 0 : count - 1;
  return Math.min(count - 1, Math.max(0, current + delta));
}
