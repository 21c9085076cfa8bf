// A bulk bar step (a tag, an owner) over the ticked leads: busy while it runs, the lists reloaded
// when it changed any (a filter may now leave some out), its failure said as a toast.
import { emitLeadEvent } from './events';
import { toastError } from './toasts.svelte';

/** `busy` hears +1 when a call starts and -1 when it ends: calls may overlap (an Undo clicked while
 *  another step runs), and the bar stays busy until the last one ends. */
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
