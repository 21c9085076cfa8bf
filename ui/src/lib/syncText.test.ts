import { describe, expect, it } from 'vitest';
import type { SyncStatus } from './api';
import { formatRelative } from './format';
import {
  awaitingFirstSync,
  demoAllowed,
  describeSync,
  inboxSyncLine,
  isLocalOnly,
  needsAttention,
  offlineMessage,
  pendingText,
} from './syncText';

const NOW = Date.parse('2026-05-06T12:00:00Z');

function status(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    configured: true,
    project_url: 'https://abc.supabase.co',
    signed_in_as: 'ada@example.com',
    state: 'idle',
    online: true,
    last_success: '2026-05-06T11:58:00Z',
    pending: 0,
    conflicts: 0,
    rejected: 0,
    progress: 0,
    expected: 0,
    error: null,
    waiting_for_import: false,
    interval_secs: 60,
    view_only: null,
    received: 0,
    ...over,
  };
}

describe('server trouble', () => {
  it('is not called offline while the network is there', () => {
    const v = describeSync(status({ state: 'offline', online: true, error: 'the server answered 503' }), NOW);
    expect([v.label, v.tone, v.error, v.detail]).toEqual(['Sync delayed', 'warn', null, 'the server answered 503']);
    expect(v.note).toContain('The server is not answering properly');
    expect(inboxSyncLine(status({ state: 'offline', online: true, error: 'x' }))).toBe('The last sync failed.');
  });
});

describe('an empty CRM', () => {
  it('is a first sync on its way until the first sync ends', () => {
    expect(awaitingFirstSync(status({ last_success: null, state: 'pulling' }))).toBe(true);
    expect(awaitingFirstSync(status({ last_success: null, state: 'offline' }))).toBe(true);
    expect(awaitingFirstSync(status({ last_success: null, state: 'error', error: 'not set up' }))).toBe(false);
    expect(awaitingFirstSync(status())).toBe(false);
    expect(awaitingFirstSync(status({ last_success: null, signed_in_as: null, state: 'signed_out' }))).toBe(false);
    expect(awaitingFirstSync(status({ configured: false, state: 'local_only', last_success: null }))).toBe(false);
    expect(awaitingFirstSync(null)).toBe(false);
  });

  it('offers demo data only with no team project', () => {
    expect(demoAllowed(status({ configured: false, state: 'local_only' }))).toBe(true);
    expect(demoAllowed(null)).toBe(true);
    expect(demoAllowed(status())).toBe(false);
    expect(demoAllowed(status({ signed_in_as: null, state: 'signed_out' }))).toBe(false);
  });
});

describe('describeSync', () => {
  it('labels every state', () => {
    const label = (state: string) => describeSync(status({ state, online: state !== 'offline' }), NOW).label;
    expect(label('local_only')).toBe('Local only');
    expect(label('signed_out')).toBe('Signed out');
    expect(label('idle')).toBe('Synced');
    expect(label('pushing')).toBe('Syncing…');
    expect(label('pulling')).toBe('Syncing…');
    expect(label('offline')).toBe('Offline');
    expect(label('error')).toBe('Sync error');
    expect(label('something_new')).toBe('something_new');
  });

  it('does not say the last try failed while a new one runs', () => {
    const v = describeSync(status({ state: 'pushing', pending: 3, error: 'cannot reach Supabase: no connection' }), NOW);
    expect([v.label, v.error, v.activity]).toEqual(['Syncing…', null, 'Sending 3 changes']);
    expect(describeSync(status({ state: 'idle', error: 'x' }), NOW).error).toBe('x');
    expect(describeSync(status({ state: 'pushing', pending: 0, progress: 0 }), NOW).activity).toBe('Checking for changes…');
  });

  it('is not a green "Synced" while changes wait for the rep', () => {
    const v = describeSync(status({ rejected: 1, conflicts: 2 }), NOW);
    expect([v.label, v.tone]).toEqual(['Needs attention', 'warn']);
    expect(v.title).toContain('Synced, but 3 changes need your decision (Conflicts).');
    expect(describeSync(status({ rejected: 1 }), NOW).title).toContain('1 change needs');
  });

  it('colours by state', () => {
    expect(describeSync(status({ state: 'idle' }), NOW).tone).toBe('ok');
    expect(describeSync(status({ state: 'error', error: 'x' }), NOW).tone).toBe('error');
    expect(describeSync(status({ state: 'signed_out' }), NOW).tone).toBe('warn');
    // Being offline is routine: no warning colour.
    expect(describeSync(status({ state: 'offline', online: false }), NOW).tone).toBe('muted');
  });

  it('says when it last synced', () => {
    expect(describeSync(status(), NOW).last).toBe('Last synced 2 min ago');
    expect(describeSync(status({ last_success: null }), NOW).last).toBe('Never synced');
    expect(describeSync(status({ last_success: '2026-05-06T11:59:50Z' }), NOW).last).toBe('Last synced just now');
  });

  it('shows a first sync’s progress', () => {
    const v = describeSync(status({ state: 'pulling', progress: 12000, expected: 1_000_000 }), NOW, 'en-US');
    expect(v.progress).toEqual({ value: 12000, max: 1_000_000 });
    expect(v.activity).toBe('12,000 of 1,000,000 rows');
    const later = describeSync(status({ state: 'pulling', progress: 5, expected: 0 }), NOW);
    expect(later.progress).toBeNull();
    expect(later.activity).toBe('Received 5 rows');
    expect(describeSync(status({ state: 'pulling' }), NOW).activity).toBe('Receiving changes…');
    const indexing = describeSync(status({ state: 'indexing', progress: 1_000_000, expected: 1_000_000 }), NOW);
    expect([indexing.label, indexing.tone, indexing.activity]).toEqual(['Syncing…', 'busy', 'Building indexes…']);
  });

  it('counts the changes being sent', () => {
    expect(describeSync(status({ state: 'pushing', pending: 1200 }), NOW, 'en-US').activity).toBe('Sending 1,200 changes');
    expect(describeSync(status({ state: 'pushing', pending: 1 }), NOW).activity).toBe('Sending 1 change');
    // The last batch answered: nothing waits, and the line says what went (QA: "Sending 1 change"
    // beside "0 changes waiting").
    expect(describeSync(status({ state: 'pushing', pending: 0, progress: 1 }), NOW).activity).toBe('Sent 1 change');
    expect(describeSync(status({ state: 'idle', pending: 4 }), NOW).activity).toBeNull();
    const waiting = describeSync(status({ state: 'idle', pending: 4, waiting_for_import: true }), NOW);
    expect([waiting.activity, waiting.error]).toEqual(['Waiting its turn (an import, or a sync in another window)…', null]);
  });

  it('offers Sync now only with a project and a signed-in user', () => {
    expect(describeSync(status({ state: 'local_only', configured: false }), NOW).canSync).toBe(false);
    expect(describeSync(status({ state: 'signed_out', signed_in_as: null }), NOW).canSync).toBe(false);
    expect(describeSync(status({ state: 'signed_out', signed_in_as: null }), NOW).syncNowTitle).toBe('Sign in (Settings) to sync');
    expect(describeSync(status({ state: 'local_only', configured: false }), NOW).syncNowTitle).toBe(
      'Set up team sync in Settings first',
    );
    expect(describeSync(status({ state: 'offline' }), NOW).syncNowTitle).toBe('Sync now');
    expect(describeSync(status({ state: 'offline' }), NOW).canSync).toBe(true);
    expect(describeSync(null, NOW).canSync).toBe(false);
  });

  it('puts the error and the account in the tooltip', () => {
    const v = describeSync(status({ state: 'error', error: 'JWT expired' }), NOW);
    expect(v.error).toBe('JWT expired');
    expect(v.title).toContain('JWT expired');
    expect(v.title).toContain('ada@example.com');
    expect(describeSync(status(), NOW).error).toBeNull();
  });

  it('says offline calmly, with the technical reason only in the tooltip', () => {
    const reason = 'cannot reach Supabase: no connection to the server (Connection refused (os error 111))';
    const v = describeSync(status({ state: 'offline', online: false, error: reason }), NOW);
    expect(v.error).toBeNull();
    expect(v.label).toBe('Offline');
    expect(v.note).toBe('Your changes are kept and sent when the connection is back.');
    expect(v.detail).toBe(reason);
    expect(v.title).toContain(reason);
    expect(describeSync(status({ state: 'error', error: 'JWT expired' }), NOW)).toMatchObject({ note: null, detail: null });
  });

  it('words a refusal for being offline calmly', () => {
    expect(offlineMessage('offline')).toBe('Can’t reach the project — check its URL, or try again when you’re back online.');
    expect(offlineMessage('auth')).toBeNull();
    expect(offlineMessage(null)).toBeNull();
  });

  it('reads null counts as zero', () => {
    const v = describeSync(status({ pending: null, conflicts: 2, rejected: null }), NOW);
    expect([v.pending, v.conflicts, v.rejected]).toEqual([0, 2, 0]);
    expect(needsAttention(status({ conflicts: 2, rejected: 1 }))).toBe(3);
    expect(needsAttention(null)).toBe(0);
  });

  it('has a neutral state before the first status', () => {
    expect(describeSync(null, NOW)).toMatchObject({ state: 'unknown', label: 'Checking sync…', last: '' });
  });

  it('words pending changes', () => {
    expect(pendingText(1)).toBe('1 change waiting');
    expect(pendingText(1500, 'en-US')).toBe('1,500 changes waiting');
  });
});

describe('local only', () => {
  const alone = status({ configured: false, project_url: null, signed_in_as: null, state: 'local_only', last_success: null, pending: 406 });

  it('says nothing about changes waiting or never syncing', () => {
    const v = describeSync(alone, NOW);
    expect(v.localOnly).toBe(true);
    expect(v.last).toBe('');
    expect(v.canSync).toBe(false);
    expect(v.label).toBe('Local only');
  });

  it('is told by the status either way', () => {
    expect(isLocalOnly(alone)).toBe(true);
    expect(isLocalOnly(status({ configured: false }))).toBe(true);
    expect(isLocalOnly(status())).toBe(false);
    expect(isLocalOnly(null)).toBe(false);
    expect(describeSync(status({ last_success: null, state: 'signed_out' }), NOW).last).toBe('Never synced');
  });
});

describe('inboxSyncLine', () => {
  it('claims "in sync" only when the last sync worked and nothing waits', () => {
    expect(inboxSyncLine(status())).toBe('Everything is in sync.');
    expect(inboxSyncLine(status({ pending: 3 }))).toBe('3 changes waiting to be sent with the next sync.');
    expect(inboxSyncLine(status({ last_success: null }))).toBe('Not synced yet.');
    expect(inboxSyncLine(status({ last_success: null, pending: 1 }))).toBe('1 change waiting to be sent; not synced yet.');
    expect(inboxSyncLine(status({ state: 'error', error: 'boom' }))).toBe('The last sync failed.');
    expect(inboxSyncLine(status({ state: 'offline', online: false, pending: 2 }))).toBe(
      'Offline — 2 changes waiting, kept here and sent when the connection is back.',
    );
    expect(inboxSyncLine(status({ state: 'offline', online: false, error: 'cannot reach Supabase: x' }))).toBe(
      'Offline — your changes are kept and sent when the connection is back.',
    );
    expect(inboxSyncLine(status({ state: 'signed_out', pending: 0 }))).toBe('Sign in (Settings) to sync.');
    expect(inboxSyncLine(status({ state: 'pushing', pending: 0 }))).toBe('Syncing…');
  });

  it('says team sync is off in local-only mode, whatever waits', () => {
    expect(inboxSyncLine(status({ configured: false, state: 'local_only', pending: 406, last_success: null }))).toBe(
      'Team sync is off — your leads are on this computer only.',
    );
    expect(inboxSyncLine(null)).toBe('');
  });
});

describe('formatRelative', () => {
  const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString();

  it('reads minutes, hours and days', () => {
    expect(formatRelative(at(10), NOW)).toBe('just now');
    expect(formatRelative(at(-30), NOW)).toBe('just now');
    expect(formatRelative(at(50), NOW)).toBe('1 min ago');
    expect(formatRelative(at(59 * 60 + 59), NOW)).toBe('59 min ago');
    expect(formatRelative(at(3600), NOW)).toBe('1 hour ago');
    expect(formatRelative(at(5 * 3600), NOW)).toBe('5 hours ago');
    expect(formatRelative(at(30 * 3600), NOW)).toBe('yesterday');
    expect(formatRelative(at(3 * 86400), NOW)).toBe('3 days ago');
    expect(formatRelative('2026-04-01T09:00:00Z', NOW, 'en-GB')).toBe('1 Apr 2026');
    expect(formatRelative(null, NOW)).toBe('');
    expect(formatRelative('garbage', NOW)).toBe('');
  });
});
