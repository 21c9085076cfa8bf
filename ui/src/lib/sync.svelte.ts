// The sync status the shell shows (nav indicator, conflicts badge, settings): fetched at start,
// then pushed by Rust as `sync-status` events, and asked for again every few seconds and after
// lead edits (each one is a change waiting to be sent).
import { api, type SyncStatus } from './api';
import { refreshLeadTotal } from './actions';
import { emitLeadEvent, onLeadEvent } from './events';
import { awaitingFirstSync } from './syncText';
import { onTauriEvent } from './tauriEvents';
import { toastError, toastInfo } from './toasts.svelte';

const REFRESH_MS = 5000;

class Sync {
  status = $state.raw<SyncStatus | null>(null);
  /** The clock relative times are read against; moves with each refresh. */
  now = $state(Date.now());

  async refresh(): Promise<void> {
    try {
      this.show(await api.syncStatus());
    } catch {
      // No Tauri (a plain browser) or a passing failure: the indicator keeps what it has.
    } finally {
      this.now = Date.now();
    }
  }

  /** Starts a sync at once; `quiet` for the automatic ones (a network coming back). */
  async syncNow(quiet = false): Promise<void> {
    const state = this.status?.state;
    if (state === 'local_only' || state === 'signed_out') {
      if (!quiet) {
        toastInfo(state === 'local_only' ? 'Team sync isn’t set up yet — connect a project in Settings' : 'Sign in (Settings) to sync');
      }
      return;
    }
    try {
      await api.syncNow();
    } catch (e) {
      if (!quiet) toastError(e);
    }
    await this.refresh();
  }

  /** Rows syncs have brought in or changed so far (`received`), as last seen. */
  private received: number | null = null;

  /** When the lead total was last asked for during a first sync (see show). */
  private totalAsked = 0;

  /** Takes a status; when syncs changed rows here since the last one, the open screens reload. */
  show(s: SyncStatus): void {
    const received = s.received ?? 0;
    if (this.received !== null && received > this.received) {
      emitLeadEvent({ kind: 'reload', keepPlace: true });
      void refreshLeadTotal();
    } else if (awaitingFirstSync(s) && s.state === 'pulling' && (s.progress ?? 0) > 0 && Date.now() - this.totalAsked > 2000) {
      // A first sync's pages are in the database as they come (its count only grows at its end):
      // the empty list gives way to the leads received so far, rather than wait for all of them.
      this.totalAsked = Date.now();
      void refreshLeadTotal();
    }
    this.received = received;
    this.status = s;
    this.now = Date.now();
  }
}

export const sync = new Sync();

/** Keeps `sync.status` current while the app runs; returns the teardown. */
export function startSync(): () => void {
  void sync.refresh();
  // A short pull's "pulling" can pass unseen between two events: the status counts what syncs
  // changed here, and the screens reload when that count grows.
  const stopEvents = onTauriEvent<SyncStatus>('sync-status', (s) => sync.show(s));
  const timer = setInterval(() => void sync.refresh(), REFRESH_MS);
  // A burst of edits (a bulk change) asks once.
  let soon: ReturnType<typeof setTimeout> | null = null;
  const stopLeads = onLeadEvent(() => {
    if (soon) clearTimeout(soon);
    soon = setTimeout(() => void sync.refresh(), 300);
  });
  // The browser knows first when the network is back: sync without waiting for the next round.
  const online = () => void sync.syncNow(true);
  window.addEventListener('online', online);
  return () => {
    stopEvents();
    stopLeads();
    clearInterval(timer);
    if (soon) clearTimeout(soon);
    window.removeEventListener('online', online);
  };
}
