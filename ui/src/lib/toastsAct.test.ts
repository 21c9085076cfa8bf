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

describe('undoLatest (Ctrl/Cmd+Z)', () => {
  afterEach(() => vi.useRealTimers());

  it('takes the newest Undo still offered, once, and says when there is none', () => {
    vi.useFakeTimers();
    for (const t of [...toasts.items]) toasts.dismiss(t.id);
    const ran: string[] = [];
    toasts.show('info', 'Tagged 2 leads', { label: 'Undo', run: () => ran.push('tag') });
    toasts.show('info', 'Exported', { label: 'Show in folder', run: () => ran.push('folder') });
    toasts.show('info', '2 leads deleted', { label: 'Undo', run: () => ran.push('delete') });
    expect(toasts.undoLatest()).toBe(true);
    expect(toasts.undoLatest()).toBe(true);
    expect(toasts.undoLatest()).toBe(false);
    expect(ran).toEqual(['delete', 'tag']);
  });
});
