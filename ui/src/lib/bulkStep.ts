// A bulk bar step (a tag, an owner) over the ticked leads: busy while it runs, the lists reloaded
// when it changed any (a filter may now leave some out), its failure said as a toast.
import { emitLeadEvent } from './events';
import { toastError } from './toasts.svelte';

export async function bulkStep<T extends unknown[]>(busy: (on: boolean) => void, call: () => Promise<T>): Promise<T | null> {
  busy(true);
  try {
    const changed = await call();
    if (changed.length) emitLeadEvent({ kind: 'reload', keepPlace: true });
    return changed;
  } catch (e) {
    toastError(e);
    return null;
  } finally {
    busy(false);
  }
}
