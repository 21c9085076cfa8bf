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

// Errors stay longer: a bulk edit's "3 of 40 leads not changed: …" takes a while to read.
const SHOWN_MS = { error: 15000, info: 5000 } as const;

class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;
  #timers = new Map<number, ReturnType<typeof setTimeout>>();
  #held = false;

  show(kind: Toast['kind'], message: string, action?: ToastAction): number {
    const id = this.#next++;
    // Keep a handful: a burst of failures should not bury the screen.
    const kept = this.items.slice(-4);
    for (const t of this.items) if (!kept.includes(t)) this.#stop(t.id);
    // Messages composed from the store's words may start low ("could not …").
    this.items = [...kept, { id, kind, message: capitalise(message), action }];
    if (!this.#held) this.#start(id, kind);
    return id;
  }

  dismiss(id: number): void {
    this.#stop(id);
    this.items = this.items.filter((t) => t.id !== id);
    // The toast under the pointer or focus may be the one removed, and then no leave event comes.
    if (this.items.length === 0) this.#held = false;
  }

  /** While the pointer or focus is on the toasts they stay; the clocks start over after. */
  hold(held: boolean): void {
    this.#held = held;
    for (const t of this.items) {
      this.#stop(t.id);
      if (!held) this.#start(t.id, t.kind);
    }
  }

  #start(id: number, kind: Toast['kind']): void {
    this.#timers.set(
      id,
      setTimeout(() => this.dismiss(id), SHOWN_MS[kind]),
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
