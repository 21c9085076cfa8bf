import { describe, expect, it } from 'vitest';
import { keptWith } from './toasts.svelte';

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
