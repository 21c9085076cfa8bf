// The files waiting for the import wizard: dropped on the window or picked with "Import CSV". The
// wizard shows one at a time ("File 1 of 3"); more files dropped meanwhile join the queue.
import { api } from './api';
import { app } from './app.svelte';
import { countOf } from './format';
import { refusedMessage, splitFiles } from './importWizard';
import { sync } from './sync.svelte';
import { toastError, toastInfo, toasts } from './toasts.svelte';

class ImportQueue {
  files = $state<string[]>([]);
  index = $state(0);
  /** A dry run or an import is running: the wizard stays open until it ends or is cancelled. */
  busy = $state(false);
  /** The wizard is past its first step with choices not yet imported (set by the wizard). */
  dirty = $state(false);
  /** The phone region of the last import this session: the next file starts with it. */
  region: string | null = null;
  #escToast: number | null = null;
  #armedUntil = 0;

  get open(): boolean {
    return this.files.length > 0;
  }

  get current(): string | null {
    return this.files[this.index] ?? null;
  }

  get hasNext(): boolean {
    return this.index < this.files.length - 1;
  }

  /** Queues the CSV-like files among `paths` (opening the wizard) and says which were left out. */
  add(paths: readonly string[]): void {
    if (refusedForViewer()) return;
    const { accepted, refused } = splitFiles(paths);
    if (refused.length) toasts.show('error', refusedMessage(refused));
    const waiting = this.files.slice(this.index);
    const fresh = accepted.filter((p) => !waiting.includes(p));
    if (!fresh.length) return;
    if (this.open) {
      this.files = [...this.files, ...fresh];
      toastInfo(`${countOf(fresh.length, 'file')} added to the import queue`);
    } else {
      this.files = fresh;
      this.index = 0;
    }
    // The wizard is the topmost layer now.
    app.paletteOpen = false;
    app.newLeadOpen = false;
  }

  next(): void {
    if (this.hasNext && !this.busy) this.index++;
  }

  close(): void {
    if (this.busy) return;
    this.files = [];
    this.index = 0;
    this.dirty = false;
    // "Press Esc again to close…" is moot once closed.
    if (this.#escToast !== null) toasts.dismiss(this.#escToast);
    this.#escToast = null;
  }

  /** Escape (or the wizard's ×) closes the wizard at once on its first step; with column choices
   *  made or more files waiting, which closing throws away, only a second one within a few seconds
   *  does. */
  escape(how: 'Press Esc' | 'Click ×' | 'Click Close' = 'Press Esc'): void {
    if (this.busy) return;
    const waiting = this.files.length - this.index - 1;
    if ((!this.dirty && waiting === 0) || Date.now() < this.#armedUntil) {
      this.#armedUntil = 0;
      this.close();
      return;
    }
    this.#armedUntil = Date.now() + 3000;
    const lost = [this.dirty ? 'the choices made' : '', waiting ? `${countOf(waiting, 'file')} waiting` : '']
      .filter(Boolean)
      .join(' and ');
    if (this.#escToast !== null) toasts.dismiss(this.#escToast);
    this.#escToast = toasts.show('info', `${how} again to close the import (${lost} would be dropped).`);
  }
}

export const importQueue = new ImportQueue();

/** A viewer imports nothing: said before a file is picked or queued. */
function refusedForViewer(): boolean {
  const viewOnly = sync.status?.view_only;
  if (viewOnly) toasts.show('error', `Nothing can be imported: ${viewOnly}.`);
  return Boolean(viewOnly);
}

let picking = false;

/** The file picker, then the wizard (a cancelled picker returns no paths: nothing happens). */
export async function pickImportFiles(): Promise<void> {
  if (picking || refusedForViewer()) return;
  picking = true;
  try {
    const paths = await api.pickImportFiles();
    if (paths.length) importQueue.add(paths);
  } catch (e) {
    toastError(e);
  } finally {
    picking = false;
  }
}
