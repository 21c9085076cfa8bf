import { describe, expect, it, vi } from 'vitest';
import { keptWith, toasts } from './toasts.svelte';

describe('toast time', () => {
  it('goes after its time, unless it stays', () => {
    vi.useFakeTimers();
    const undo = { label: 'Undo', run: () => {} };
    const gone = toasts.show('info', '1 lead deleted', undo);
    const kept = toasts.show('info', '900 leads deleted', undo, true);
    vi.advanceTimersByTime(60_000);
    expect(toasts.items.map((t) => t.id)).toEqual([kept]);
    expect(toasts.items.some((t) => t.id === gone)).toBe(false);
    toasts.dismiss(kept);
    vi.useRealTimers();
  });
});

describe('toasts kept', () => {
  it('lets the oldest without an action go first', () => {
    const t = (id: number, undo = false) => ({ id, action: undo ? { label: 'Undo' } : undefined });
    const items = [t(1, true), t(2), t(3, true), t(4), t(5)];
    expect(keptWith(items, 4).map((x) => x.id)).toEqual([1, 3, 4, 5]);
    expect(keptWith(items, 2).map((x) => x.id)).toEqual([1, 3]);
    expect(keptWith(items, 1).map((x) => x.id)).toEqual([3]);
    expect(keptWith([t(1), t(2)], 4).map((x) => x.id)).toEqual([1, 2]);
  });
});
