// A bulk bar step (a tag, an owner, a list) over the ticked leads: busy while it runs, the lists
// reloaded when it changed any (a filter may now leave some out), its failure said as a toast.
import { api, type Previous } from './api';
import { undoneText } from './bulkText';
import { emitLeadEvent } from './events';
import { toastError, toasts } from './toasts.svelte';

/** Calls under way in one part of the bar, said to `set` as busy or not: an Undo may start while a
 *  step runs, and the bar stays busy until the last one ends. */
export function busyCount(set: (busy: boolean) => void): (delta: 1 | -1) => void {
  let active = 0;
  return (delta) => {
    active += delta;
    set(active > 0);
  };
}

export async function bulkStep<T extends unknown[]>(busy: (delta: 1 | -1) => void, call: () => Promise<T>): Promise<T | null> {
  busy(1);
  try {
    const changed = await call();
    if (changed.length) emitLeadEvent({ kind: 'reload', keepPlace: true });
    return changed;
  } catch (e) {
    toastError(e);
    return null;
  } finally {
    busy(-1);
  }
}

/** The Undo of an owner or list change that gave the leads `given`: each still there gets back
 *  what it had; the toast says what went back, what changed since and what could not. */
export async function putBack(
  busy: (delta: 1 | -1) => void,
  what: 'owner' | 'list',
  given: string | null,
  previous: Previous[],
): Promise<void> {
  busy(1);
  try {
    const r = undoneText(what === 'owner' ? 'Owner change' : 'List change', await api.putBackLeads(what, given, previous));
    toasts.show(r.error ? 'error' : 'info', r.text);
    emitLeadEvent({ kind: 'reload', keepPlace: true });
  } catch (e) {
    toastError(e);
  } finally {
    busy(-1);
  }
}
