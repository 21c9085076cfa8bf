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
  /** Its action was taken: the button stays, disabled, a moment before the toast goes. */
  acted?: boolean;
}

/** How long a toast whose action was taken stays: a double-click's second click meets its disabled
 *  button, not the toast that would slide into its place (and that one's Undo). */
export const ACTED_MS = 700;
/** Toasts kept at once; past it the oldest without an action go first (an Undo may be the only way
 *  back from a change to thousands of leads). */
export const KEPT = 5;

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

  /** `stays`: until dismissed or pushed out by newer ones — the Undo of a deletion of many leads,
   *  which the app has no other way back from. */
  show(kind: Toast['kind'], message: string, action?: ToastAction, stays = false): number {
    const id = this.#next++;
    // Keep a handful: a burst of failures should not bury the screen.
    const kept = keptWith(this.items, KEPT - 1);
    for (const t of this.items) if (!kept.includes(t)) this.#stop(t.id);
    // Messages composed from the store's words may start low ("could not …").
    this.items = [...kept, { id, kind, message: capitalise(message), action }];
    if (!stays) this.#start(id, kind === 'info' && action ? 'undoable' : kind);
    return id;
  }

  /** Takes the toast's action (once): the toast goes a moment later. */
  act(id: number): void {
    const t = this.items.find((t) => t.id === id);
    if (!t?.action || t.acted) return;
    this.#stop(id);
    this.items = this.items.map((x) => (x.id === id ? { ...x, acted: true } : x));
    this.#timers.set(
      id,
      setTimeout(() => this.dismiss(id), ACTED_MS),
    );
    t.action.run();
  }

  /** Ctrl/Cmd+Z: the newest Undo still offered, taken; false when none is. */
  undoLatest(): boolean {
    const t = [...this.items].reverse().find((t) => t.action?.label === 'Undo' && !t.acted);
    if (!t) return false;
    this.act(t.id);
    return true;
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

/** The `room` toasts kept when one more comes: the newest, the oldest without an action first to go. */
export function keptWith<T extends { action?: unknown }>(items: readonly T[], room: number): T[] {
  const drop: T[] = [];
  for (const plain of [true, false]) {
    for (const t of items) {
      if (items.length - drop.length <= room) break;
      if (!t.action === plain) drop.push(t);
    }
  }
  return items.filter((t) => !drop.includes(t));
}

export function toastError(e: unknown): void {
  toasts.show('error', errorMessage(e));
}

export function toastInfo(message: string, action?: ToastAction): void {
  toasts.show('info', message, action);
}
