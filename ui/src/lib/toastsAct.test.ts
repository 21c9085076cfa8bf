import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACTED_MS, toasts } from './toasts.svelte';

describe('a toast whose action was taken', () => {
  afterEach(() => vi.useRealTimers());

  it('runs the action once and goes a moment later', () => {
    vi.useFakeTimers();
    let runs = 0;
    const id = toasts.show('info', 'Tagged 2 leads', { label: 'Undo', run: () => runs++ });
    toasts.act(id);
    toasts.act(id);
    expect(runs).toBe(1);
    expect(toasts.items.find((t) => t.id === id)?.acted).toBe(true);
    vi.advanceTimersByTime(ACTED_MS + 1);
    expect(toasts.items.some((t) => t.id === id)).toBe(false);
  });
});
