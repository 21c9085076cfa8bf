import { describe, expect, it, vi } from 'vitest';
import { keptInPlace, KeysetPager, type PageOf } from './pager';

type Row = { id: string };

/** A fake store of `total` rows served in pages of `size`, recording the cursors asked for. */
function source(total: number, size: number) {
  const cursors: (string | null)[] = [];
  const fetch = vi.fn(async (cursor: string | null): Promise<PageOf<Row>> => {
    cursors.push(cursor);
    const from = cursor === null ? 0 : Number(cursor);
    const items = Array.from({ length: Math.min(size, total - from) }, (_, i) => ({ id: `r${from + i}` }));
    const next = from + size < total ? String(from + size) : null;
    return { items, next };
  });
  return { fetch, cursors };
}

describe('KeysetPager', () => {
  it('appends pages, passing back each next cursor', async () => {
    const { fetch, cursors } = source(250, 100);
    const pager = new KeysetPager(fetch, () => {});
    await pager.loadMore();
    await pager.loadMore();
    expect(pager.rows).toHaveLength(200);
    expect(pager.done).toBe(false);
    await pager.loadMore();
    expect(pager.rows).toHaveLength(250);
    expect(pager.done).toBe(true);
    expect(cursors).toEqual([null, '100', '200']);
  });

  it('never fetches past the last page or twice at once', async () => {
    const { fetch } = source(50, 100);
    const pager = new KeysetPager(fetch, () => {});
    await Promise.all([pager.loadMore(), pager.loadMore()]);
    await pager.loadMore();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('drops a page that arrives after a reset', async () => {
    let release!: (p: PageOf<Row>) => void;
    const slow = () => new Promise<PageOf<Row>>((r) => (release = r));
    const pager = new KeysetPager<Row>(slow, () => {});
    const first = pager.loadMore();
    const fresh = source(3, 100);
    pager.reset(fresh.fetch);
    await pager.loadMore();
    release({ items: [{ id: 'stale' }], next: null });
    await first;
    expect(pager.rows.map((r) => r.id)).toEqual(['r0', 'r1', 'r2']);
    expect(pager.loading).toBe(false);
  });

  it('replaces the loaded rows in place and goes on from the fresh cursor', async () => {
    const { fetch, cursors } = source(500, 100);
    const pager = new KeysetPager(fetch, () => {});
    await pager.loadMore();
    let release!: (p: PageOf<Row>) => void;
    fetch.mockImplementationOnce(() => new Promise<PageOf<Row>>((r) => (release = r)));
    const inFlight = pager.loadMore();
    const rows = pager.rows;
    pager.replace([{ id: 'new0' }, { id: 'r0' }], '99');
    release({ items: [{ id: 'stale' }], next: '200' });
    await inFlight;
    expect(pager.rows).toBe(rows);
    expect(pager.rows.map((r) => r.id)).toEqual(['new0', 'r0']);
    await pager.loadMore();
    expect(cursors.at(-1)).toBe('99');
    expect(pager.rows).toHaveLength(102);
  });

  it('stops after an error until retried', async () => {
    const onError = vi.fn();
    let fail = true;
    const pager = new KeysetPager<Row>(
      async () => {
        if (fail) throw new Error('db locked');
        return { items: [{ id: 'a' }], next: null };
      },
      () => {},
      onError,
    );
    await pager.loadMore();
    expect(onError).toHaveBeenCalledOnce();
    expect(pager.canLoad).toBe(false);
    await pager.loadMore();
    expect(onError).toHaveBeenCalledOnce();
    fail = false;
    await pager.retry();
    expect(pager.rows).toEqual([{ id: 'a' }]);
  });

  it('updates and removes loaded rows in place, notifying each change', async () => {
    const onChange = vi.fn();
    const pager = new KeysetPager<Row & { v?: number }>(source(3, 100).fetch, onChange);
    await pager.loadMore();
    onChange.mockClear();
    pager.update({ id: 'r1', v: 7 });
    pager.update({ id: 'unknown', v: 1 });
    pager.remove('r0');
    expect(pager.rows).toEqual([{ id: 'r1', v: 7 }, { id: 'r2' }]);
    expect(onChange).toHaveBeenCalledTimes(2);
  });

  it('holds only what was scrolled to: pages are fetched one at a time on demand', async () => {
    const { fetch } = source(1_000_000, 100);
    const pager = new KeysetPager(fetch, () => {});
    for (let i = 0; i < 5; i++) await pager.loadMore();
    expect(pager.rows).toHaveLength(500);
    expect(fetch).toHaveBeenCalledTimes(5);
  });
});

describe('keptInPlace', () => {
  const rows = (...ids: string[]) => ids.map((id) => ({ id }));
  const ids = (r: { id: string }[]) => r.map((x) => x.id);

  it('keeps the rows shown where they were, however the fresh read orders them', () => {
    expect(ids(keptInPlace(['a', 'b', 'c'], rows('c', 'a', 'b')))).toEqual(['a', 'b', 'c']);
  });

  it('puts a new row after the row it follows in the fresh read, or first', () => {
    expect(ids(keptInPlace(['a', 'b', 'c'], rows('n', 'b', 'm', 'o', 'a', 'c')))).toEqual(['n', 'a', 'b', 'm', 'o', 'c']);
  });

  it('leaves out rows the fresh read no longer has', () => {
    expect(ids(keptInPlace(['a', 'b', 'c'], rows('c', 'a')))).toEqual(['a', 'c']);
  });

  it('takes the fresh values of a row kept in place', () => {
    expect(keptInPlace(['a'], [{ id: 'a', v: 2 }])).toEqual([{ id: 'a', v: 2 }]);
  });
});
