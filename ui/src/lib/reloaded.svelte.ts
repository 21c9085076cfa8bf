// A screen's table read from the store when the screen opens and again whenever leads change
// elsewhere (an import, an undo, a sync: the 'reload' lead event, and the events the screen names),
// with the error of the last read.
import { errorMessage } from './api';
import { onLeadEvent, type LeadEvent } from './events';

export class Reloaded<T> {
  value = $state.raw<T>() as T;
  /** False until the first read has answered (the screen says "Loading…" meanwhile). */
  loaded = $state(false);
  error = $state<string | null>(null);
  #read: () => Promise<T>;
  #reloadsOn: (e: LeadEvent) => boolean;
  #reads = 0;

  /** `reloadsOn`: which lead events read again besides 'reload' (a screen of deleted leads: a
   *  lead deleted from the panel meanwhile). */
  constructor(read: () => Promise<T>, initial: T, reloadsOn: (e: LeadEvent) => boolean = () => false) {
    this.#read = read;
    this.value = initial;
    this.#reloadsOn = reloadsOn;
  }

  /** For onMount: reads now and on every reload event; returns the unsubscribe. */
  watch = (): (() => void) => {
    void this.load();
    return onLeadEvent((e) => {
      if (e.kind === 'reload' || this.#reloadsOn(e)) void this.load();
    });
  };

  /** Reads again; of reads that overlap, the last one started is the one kept (an earlier read
   *  answering late would put back a row just restored). */
  async load(): Promise<void> {
    const read = ++this.#reads;
    try {
      const value = await this.#read();
      if (read !== this.#reads) return;
      this.value = value;
      this.error = null;
    } catch (e) {
      if (read === this.#reads) this.error = errorMessage(e);
    } finally {
      this.loaded = true;
    }
  }
}

/** For onMount: several tables of one screen watched together; returns one unsubscribe. */
export function watchAll(...tables: { watch: () => () => void }[]): () => void {
  const offs = tables.map((t) => t.watch());
  return () => offs.forEach((off) => off());
}
