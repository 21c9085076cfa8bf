// Toast notifications: every error the rep should see, and short confirmations (like the path of
// an exported file). Kept in a module so any component or action can raise one.
import { errorMessage } from './api';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
}

class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;

  show(kind: Toast['kind'], message: string, ms = kind === 'error' ? 8000 : 5000): number {
    const id = this.#next++;
    // Keep a handful: a burst of failures should not bury the screen.
    this.items = [...this.items.slice(-4), { id, kind, message }];
    setTimeout(() => this.dismiss(id), ms);
    return id;
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();

export function toastError(e: unknown): void {
  toasts.show('error', errorMessage(e));
}

export function toastInfo(message: string): void {
  toasts.show('info', message);
}
