// Keeping what the rep types in a form and has not saved (a lead's activity forms, a template being
// written): in memory and in the store, so closing the window, a crash or a restart loses none of it.

import { CLOSE_CANCELLED, SAVE_TYPED } from './events';

export interface KeptDraft {
  key: string;
  draft: unknown;
}

export interface KeeperOptions<T> {
  /** `patient`: the window is closing — the write waits its turn however long, and the close asks
   *  while it does. */
  write: (key: string, draft: T | null, patient: boolean) => Promise<unknown>;
  failed: (e: unknown) => void;
  /** A refusal that passes (the database busy with an import): tried again, not said. */
  passing?: (e: unknown) => boolean;
  /** A draft as read back (kept by this or another version of Outpost); null: nothing usable. */
  parse: (value: unknown) => T | null;
  isEmpty: (draft: T) => boolean;
  delayMs?: number;
  retryMs?: number;
}

/** The drafts of a form, by key (a lead, a template), in memory and written to the store: a write a
 *  moment after the typing stops, one at a time per key (the latest text goes next), none when the
 *  store already holds the text. */
export class DraftKeeper<T> {
  private readonly drafts = new Map<string, T>();
  /** The text the store holds per key ('' for none), as far as this window knows. */
  private readonly stored = new Map<string, string>();
  /** Text to write next per key ('' forgets). */
  private readonly next = new Map<string, string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Text being written per key. */
  private readonly writing = new Map<string, string>();
  private lastError = '';
  /** The window is closing (from `flush` until `reopen`): every write goes at once and patiently,
   *  and a busy refusal is not waited out. */
  private closing = false;
  loaded = false;

  constructor(private readonly o: KeeperOptions<T>) {}

  /** Reads the store's drafts in; a form typed in meanwhile keeps what was typed. */
  async load(read: () => Promise<KeptDraft[]>): Promise<void> {
    try {
      for (const { key, draft } of await read()) {
        const parsed = this.o.parse(draft);
        if (!parsed) continue;
        if (!this.stored.has(key)) this.stored.set(key, JSON.stringify(parsed));
        // (A form typed in, or forgotten by a log and being written, meanwhile keeps its state.)
        if (!this.drafts.has(key) && !this.next.has(key) && !this.writing.has(key)) this.drafts.set(key, parsed);
      }
    } finally {
      this.loaded = true;
      for (const told of this.listeners) told();
    }
  }

  get(key: string): T | undefined {
    return this.drafts.get(key);
  }

  /** The keys holding a draft. */
  keys(): string[] {
    return [...this.drafts.keys()];
  }

  /** Told whenever the keys holding a draft may have changed (a list marks them). */
  readonly listeners = new Set<() => void>();

  /** Keeps the form as it is; `now` writes at once (a logged text forgotten: a crash in the pause
   *  would bring it back, to be logged twice). */
  keep(key: string, draft: T, now = false): void {
    const empty = this.o.isEmpty(draft);
    if (empty !== !this.drafts.has(key)) queueMicrotask(() => this.listeners.forEach((told) => told()));
    if (empty) this.drafts.delete(key);
    else this.drafts.set(key, draft);
    const text = empty ? '' : JSON.stringify(draft);
    if (text === (this.next.get(key) ?? this.writing.get(key) ?? this.stored.get(key) ?? '')) return;
    this.next.set(key, text);
    clearTimeout(this.timers.get(key));
    // (While the window closes, what is typed goes at once: the close waits for what is on its way.)
    if (now || this.closing) this.send(key);
    else this.timers.set(
        key,
        setTimeout(() => this.send(key), this.o.delayMs ?? 400),
      );
  }

  /** The window stays open after all: writes wait for a pause in the typing again. */
  reopen(): void {
    this.closing = false;
  }

  /** Writes every waiting draft now, patiently (the window is closing). */
  flush(): void {
    this.closing = true;
    for (const [key, timer] of [...this.timers]) {
      clearTimeout(timer);
      this.send(key);
    }
  }

  private send(key: string): void {
    this.timers.delete(key);
    const text = this.next.get(key);
    if (text === undefined || this.writing.has(key)) return;
    this.next.delete(key);
    this.writing.set(key, text);
    this.o.write(key, text ? (JSON.parse(text) as T) : null, this.closing).then(
      () => {
        this.stored.set(key, text);
        this.lastError = '';
        this.sent(key);
      },
      (e: unknown) => {
        if (this.o.passing?.(e)) {
          if (!this.next.has(key)) this.next.set(key, text);
          this.writing.delete(key);
          if (this.closing) this.send(key);
          else if (!this.timers.has(key)) this.timers.set(key, setTimeout(() => this.send(key), this.o.retryMs ?? 2000));
          return;
        }
        // Said once, not at every pause in the typing; the text stays in memory and goes with the
        // next change.
        const said = e instanceof Error ? e.message : String(e);
        if (said !== this.lastError) this.o.failed(e);
        this.lastError = said;
        this.sent(key);
      },
    );
  }

  /** A write answered: newer text typed meanwhile goes next, unless its own pause is still running. */
  private sent(key: string): void {
    this.writing.delete(key);
    if (this.next.has(key) && !this.timers.has(key)) this.send(key);
  }
}

/** The keeper follows the window: its drafts go at once (patiently) as the window closes, and wait
 *  for pauses in the typing again once the close is called off. */
export function followingTheWindow<T>(keeper: DraftKeeper<T>): DraftKeeper<T> {
  if (typeof window !== 'undefined') {
    window.addEventListener(SAVE_TYPED, () => keeper.flush());
    window.addEventListener(CLOSE_CANCELLED, () => keeper.reopen());
  }
  return keeper;
}
