// A screen's table read from the store when the screen opens and again whenever leads change
// elsewhere (an import, an undo, a sync: the 'reload' lead event), with the error of the last read.
import { errorMessage } from './api';
import { onLeadEvent } from './events';

export class Reloaded<T> {
  value = $state.raw<T>() as T;
  /** False until the first read has answered (the screen says "Loading…" meanwhile). */
  loaded = $state(false);
  error = $state<string | null>(null);
  #read: () => Promise<T>;

  constructor(read: () => Promise<T>, initial: T) {
    this.#read = read;
    this.value = initial;
  }

  /** For onMount: reads now and on every reload event; returns the unsubscribe. */
  watch = (): (() => void) => {
    void this.load();
    return onLeadEvent((e) => {
      if (e.kind === 'reload') void this.load();
    });
  };

  async load(): Promise<void> {
    try {
      this.value = await this.#read();
      this.error = null;
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.loaded = true;
    }
  }
}
