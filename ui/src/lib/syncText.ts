// What the sync indicator says about a SyncStatus: its label and colour, when it last synced, what
// it is doing now (with a progress bar for a first sync) and the tooltip. Pure, so tests pass
// their own "now" and locale.
import type { SyncStatus } from './api';
import { formatDateTime, formatNumber, formatRelative } from './format';

export type SyncTone = 'muted' | 'ok' | 'busy' | 'warn' | 'error';

export interface SyncView {
  /** status.state, or "unknown" before the first status arrives. */
  state: string;
  online: boolean;
  label: string;
  tone: SyncTone;
  /** "Last synced 2 min ago" / "Never synced". */
  last: string;
  /** The exact time of the last sync, for a tooltip. */
  lastExact: string;
  /** What a running sync is doing: "Sending 3 changes", "12,000 of 1,000,000 rows". */
  activity: string | null;
  /** A first sync's rows received out of those expected. */
  progress: { value: number; max: number } | null;
  pending: number;
  conflicts: number;
  rejected: number;
  /** No team project is set up: nothing waits to be sent anywhere, so nothing is said about it. */
  localOnly: boolean;
  /** "Sync now" makes sense: a project is set up and someone is signed in. */
  canSync: boolean;
  /** The Sync now button's tooltip: what it does, or the step missing before it can. */
  syncNowTitle: string;
  /** A failure to show as one (in the error colour); never being offline. */
  error: string | null;
  /** A calm line on a routine state: "Your changes are kept and sent when the connection is back". */
  note: string | null;
  /** The technical reason behind `note` ("cannot reach Supabase: …"), for a tooltip or details. */
  detail: string | null;
  /** Everything above in a sentence or two, for the tooltip. */
  title: string;
}

export const OFFLINE_NOTE = 'Your changes are kept and sent when the connection is back.';

const LABELS: Record<string, { label: string; tone: SyncTone; explain: string }> = {
  local_only: { label: 'Local only', tone: 'muted', explain: 'Not connected to a team: everything stays on this computer.' },
  signed_out: { label: 'Signed out', tone: 'warn', explain: 'Sign in (Settings) to sync with your team.' },
  idle: { label: 'Synced', tone: 'ok', explain: 'Up to date with your team.' },
  pushing: { label: 'Syncing…', tone: 'busy', explain: 'Sending your changes.' },
  pulling: { label: 'Syncing…', tone: 'busy', explain: 'Receiving your team’s changes.' },
  indexing: { label: 'Syncing…', tone: 'busy', explain: 'Building the search and list indexes for the rows received.' },
  // Routine for a laptop: said calmly, not as an error (the reason is in the tooltip).
  offline: { label: 'Offline', tone: 'muted', explain: OFFLINE_NOTE },
  error: { label: 'Sync error', tone: 'error', explain: 'The last sync failed.' },
};

// The loop backs off the same way when the server answers with failures (a 503, too many
// requests) as when it cannot be reached; only the second is being offline.
const SERVER_TROUBLE = {
  label: 'Sync delayed',
  tone: 'warn' as const,
  explain: 'The server is not answering properly; trying again shortly. Your changes are kept.',
};

/** The scheduler's "offline" while the network is there: the server is failing. */
const serverTrouble = (status: SyncStatus) => status.state === 'offline' && status.online !== false;

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** "3 changes waiting". */
export function pendingText(n: number, locale?: string): string {
  return `${formatNumber(n, locale)} ${plural(n, 'change', 'changes')} waiting`;
}

export function describeSync(status: SyncStatus | null, now: Date | number, locale?: string): SyncView {
  if (!status) {
    return {
      state: 'unknown',
      online: true,
      label: 'Checking sync…',
      tone: 'muted',
      last: '',
      lastExact: '',
      activity: null,
      progress: null,
      pending: 0,
      conflicts: 0,
      rejected: 0,
      localOnly: false,
      canSync: false,
      syncNowTitle: 'Checking sync…',
      error: null,
      note: null,
      detail: null,
      title: 'Checking sync…',
    };
  }
  const attention = needsAttention(status);
  const known = serverTrouble(status)
    ? SERVER_TROUBLE
    : status.state === 'idle' && attention > 0
      ? {
          label: 'Needs attention',
          tone: 'warn' as const,
          explain: `Synced, but ${formatNumber(attention, locale)} ${plural(attention, 'change needs', 'changes need')} your decision (Conflicts).`,
        }
      : (LABELS[status.state] ?? { label: status.state, tone: 'muted' as const, explain: '' });
  const localOnly = isLocalOnly(status);
  const pending = status.pending ?? 0;
  const progressed = status.progress ?? 0;
  const expected = status.expected ?? 0;
  let activity: string | null = null;
  let progress: SyncView['progress'] = null;
  if (status.state === 'pulling') {
    if (expected > 0) {
      progress = { value: Math.min(progressed, expected), max: expected };
      activity = `${formatNumber(progressed, locale)} of ${formatNumber(expected, locale)} rows`;
    } else {
      activity = progressed > 0 ? `Received ${formatNumber(progressed, locale)} ${plural(progressed, 'row', 'rows')}` : 'Receiving changes…';
    }
  } else if (status.state === 'indexing') {
    activity = 'Building indexes…';
  } else if (status.state === 'pushing') {
    // (A cycle starts as "pushing" before it knows whether it has anything to send; once the
    // last batch is answered nothing waits, and "Sending 1" beside "0 changes waiting" read wrong.)
    if (pending > 0) activity = `Sending ${formatNumber(pending, locale)} ${plural(pending, 'change', 'changes')}`;
    else if (progressed > 0) activity = `Sent ${formatNumber(progressed, locale)} ${plural(progressed, 'change', 'changes')}`;
    else activity = 'Checking for changes…';
  } else if (status.state === 'idle' && status.waiting_for_import) {
    activity = 'Waiting its turn (an import, or a sync in another window)…';
  }
  // A rep who works alone never syncs: "Never synced" would read as something left undone.
  const last = status.last_success
    ? `Last synced ${formatRelative(status.last_success, now, locale)}`
    : localOnly
      ? ''
      : 'Never synced';
  const lastExact = status.last_success ? formatDateTime(status.last_success, locale) : '';
  const offline = status.state === 'offline' && !serverTrouble(status);
  // A new try is under way: the last one's failure is no longer news (it comes back if this fails).
  const trying = ['pushing', 'pulling', 'indexing'].includes(status.state);
  // A server failing for a while (a 503 "schema cache" while it restarts) is said in plain words;
  // its own (PGRST002 …) go in the tooltip.
  const calm = offline || serverTrouble(status);
  const error = !calm && !trying && (status.state === 'error' || status.error) ? (status.error ?? null) : null;
  const detail = calm ? (status.error ?? null) : null;
  const title = [
    known.label.replace('…', ''),
    known.explain,
    status.signed_in_as ? `Signed in as ${status.signed_in_as}.` : '',
    lastExact ? `Last synced ${lastExact}.` : '',
    error ?? '',
    detail ? `(${detail})` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return {
    state: status.state,
    online: status.online,
    label: known.label,
    tone: known.tone,
    last,
    lastExact,
    activity,
    progress,
    pending,
    conflicts: status.conflicts ?? 0,
    rejected: status.rejected ?? 0,
    localOnly,
    canSync: !localOnly && status.state !== 'signed_out',
    syncNowTitle: localOnly
      ? 'Set up team sync in Settings first'
      : status.state === 'signed_out'
        ? 'Sign in (Settings) to sync'
        : 'Sync now',
    error,
    note: offline ? OFFLINE_NOTE : serverTrouble(status) ? SERVER_TROUBLE.explain : null,
    detail,
    title,
  };
}

/** A refusal because the server can't be reached (code "offline"), said calmly; null for any
 *  other. The network's own words belong in a tooltip. No connection and a mistyped host look
 *  alike from here (a refused connection, an unknown name), so both are named. */
export function offlineMessage(code: string | null | undefined): string | null {
  return code === 'offline' ? 'Can’t reach the project — check its URL, or try again when you’re back online.' : null;
}

/** Conflicts plus rejected changes: what the inbox badge counts. */
export function needsAttention(status: SyncStatus | null): number {
  return status ? (status.conflicts ?? 0) + (status.rejected ?? 0) : 0;
}

/** Signed in to a team whose first sync has not finished: an empty list is its leads on their way.
 *  Not once it failed for good (a project not set up): the rep gets the ways in back. */
export function awaitingFirstSync(status: SyncStatus | null): boolean {
  return (
    status !== null && !isLocalOnly(status) && !!status.signed_in_as && !status.last_success && status.state !== 'error'
  );
}

/** Demo leads are for trying Outpost alone: with a team project set up they would be sent to it. */
export function demoAllowed(status: SyncStatus | null): boolean {
  return !status?.configured;
}

/** No team project set up (the status says so either way). */
export function isLocalOnly(status: SyncStatus | null): boolean {
  return status !== null && (status.state === 'local_only' || !status.configured);
}

/** The line under "No conflicts": "everything is in sync" only when it is — the last sync worked
 *  and nothing waits to be sent. */
export function inboxSyncLine(status: SyncStatus | null, locale?: string): string {
  if (!status) return '';
  if (isLocalOnly(status)) return 'Team sync is off — your leads are on this computer only.';
  const pending = status.pending ?? 0;
  const waiting = pending > 0 ? `${pendingText(pending, locale)} to be sent` : '';
  if (status.state === 'signed_out') return waiting ? `${waiting} — sign in (Settings) to sync.` : 'Sign in (Settings) to sync.';
  // Before the error: offline carries the network's message, and is no failure.
  if (status.state === 'offline' && !serverTrouble(status)) {
    return pending > 0
      ? `Offline — ${pendingText(pending, locale)}, kept here and sent when the connection is back.`
      : 'Offline — your changes are kept and sent when the connection is back.';
  }
  if (status.state === 'error' || status.error) return waiting ? `${waiting}; the last sync failed.` : 'The last sync failed.';
  if (!status.last_success) return waiting ? `${waiting}; not synced yet.` : 'Not synced yet.';
  if (status.state !== 'idle') return 'Syncing…';
  return waiting ? `${waiting} with the next sync.` : 'Everything is in sync.';
}
