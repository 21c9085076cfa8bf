// Toast notifications: every error the rep should see, and short confirmations (like the path of
// an exported file). Kept in a module so any component or action can raise one.
import { errorMessage } from './api';
import { capitalise } from './errorText';

export interface ToastAction {
  label: string;
  run: () => void;
}

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
  action?: ToastAction;
}

// Errors stay longer: a bulk edit's "3 of 40 leads not changed: …" takes a while to read; so does
// a toast with an Undo, often the only way back (a status set on a thousand leads).
const SHOWN_MS = { error: 15000, info: 5000, undoable: 15000 } as const;

class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;
  #timers = new Map<number, ReturnType<typeof setTimeout>>();
  /** Whether the rep is on the toasts (pointer over them, focus in them): asked when a toast's time
   *  is up, which then starts over. Asked, not tracked from enter/leave events: a toast removed from
   *  under the pointer or focus sends no leave event, and the toasts would stay for good. */
  isHeld: () => boolean = () => false;

  show(kind: Toast['kind'], message: string, action?: ToastAction): number {
    const id = this.#next++;
    // Keep a handful: a burst of failures should not bury the screen.
    const kept = this.items.slice(-4);
    for (const t of this.items) if (!kept.includes(t)) this.#stop(t.id);
    // Messages composed from the store's words may start low ("could not …").
    this.items = [...kept, { id, kind, message: capitalise(message), action }];
    this.#start(id, kind === 'info' && action ? 'undoable' : kind);
    return id;
  }

  dismiss(id: number): void {
    this.#stop(id);
    this.items = this.items.filter((t) => t.id !== id);
  }

  #start(id: number, shown: keyof typeof SHOWN_MS): void {
    this.#timers.set(
      id,
      setTimeout(() => (this.isHeld() ? this.#start(id, shown) : this.dismiss(id)), SHOWN_MS[shown]),
    );
  }

  #stop(id: number): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
  }
}

export const toasts = new Toasts();

export function toastError(e: unknown): void {
  toasts.show('error', errorMessage(e));
}

export function toastInfo(message: string, action?: ToastAction): void {
  toasts.show('info', message, action);
}
