//! The sync loop the app and `sync --watch` run: a cycle every `interval`, moments after a local
//! edit (from any process), at once on `sync_now()` (the UI's button, or the network coming back),
//! exponential backoff with jitter while offline or the server is failing, status on a watch
//! channel, and a clean stop at any moment.

use std::sync::Arc;
use std::time::Duration;

use outpost_core::Store;
use rand::Rng;
use serde::Serialize;
use tokio::sync::{watch, Notify};

use crate::engine::{Engine, Progress};
use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Idle,
    Pushing,
    Pulling,
    /// A first sync builds its indexes.
    Indexing,
    Offline,
    SignedOut,
    Error,
}

/// What the shell shows: state, last success, counts, the current phase's progress.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    pub state: State,
    pub last_success: Option<String>,
    pub pending: i64,
    pub conflicts: usize,
    pub rejected: usize,
    /// Rows or changes done in the current phase.
    pub progress: usize,
    /// Rows a first sync expects to receive (0 when unknown or not a first sync).
    pub expected: usize,
    pub error: Option<String>,
    /// What the last successful cycle did (sent, received …).
    pub last_report: Option<crate::Report>,
    /// The last try found the local database busy with another writer (an import) and will look
    /// again shortly: not an error.
    pub waiting_for_writer: bool,
    /// Rows the cycles so far brought in or changed here (received, removed, repaired, settled by
    /// a conflict or a refusal): a screen showing data reloads when it grows. A short pull's
    /// "pulling" state can pass between two looks at the status, so that alone does not tell.
    pub received: u64,
}

impl Status {
    pub fn new() -> Status {
        Status {
            state: State::Idle,
            last_success: None,
            last_report: None,
            pending: 0,
            conflicts: 0,
            rejected: 0,
            progress: 0,
            expected: 0,
            error: None,
            waiting_for_writer: false,
            received: 0,
        }
    }
}

impl Default for Status {
    fn default() -> Self {
        Status::new()
    }
}

/// Steering a running loop from elsewhere (UI commands, a network monitor, Ctrl-C).
#[derive(Clone)]
pub struct Control {
    now: Arc<Notify>,
    stop: watch::Sender<bool>,
}

impl Control {
    pub fn new() -> (Control, watch::Receiver<bool>) {
        let (stop, stopped) = watch::channel(false);
        (Control { now: Arc::new(Notify::new()), stop }, stopped)
    }

    /// Sync now: the button, or the network came back (skips any backoff wait).
    pub fn sync_now(&self) {
        self.now.notify_one();
    }

    pub fn stop(&self) {
        let _ = self.stop.send(true);
    }
}

/// How soon a sync that found the local database busy (an import writing) looks again.
const BUSY_RETRY: Duration = Duration::from_secs(2);
/// A database busy this long is not an import (a million rows take a minute): shown as an error,
/// still retried.
const BUSY_STUCK: Duration = Duration::from_secs(15 * 60);

/// How often the loop looks for local edits between cycles, and how long it lets a burst of them
/// (a rep tabbing through the lead panel's fields) settle before sending them together.
const EDIT_POLL: Duration = Duration::from_millis(500);
const EDIT_SETTLE: Duration = Duration::from_secs(1);
/// A stream of edits that never pauses is still sent this soon after its first one.
const EDIT_MAX_DELAY: Duration = Duration::from_secs(5);

/// Returns when a change was queued locally since `since` (the stamp at the last cycle's end) and
/// the edits have paused for `EDIT_SETTLE` (or `EDIT_MAX_DELAY` passed). A read that fails (the
/// database busy a moment) is tried again at the next poll.
async fn local_edit(store: &mut Store, since: i64) {
    let stamp = |store: &mut Store| store.local_edit_stamp().ok();
    let mut last = since;
    loop {
        tokio::time::sleep(EDIT_POLL).await;
        if let Some(now) = stamp(store).filter(|now| *now != last) {
            last = now;
            break;
        }
    }
    let first = tokio::time::Instant::now();
    loop {
        tokio::time::sleep(EDIT_SETTLE).await;
        match stamp(store) {
            Some(now) if now != last && first.elapsed() < EDIT_MAX_DELAY => last = now,
            _ => return,
        }
    }
}

/// Delay before retry `attempt` (1, 2, …): 2 s doubling up to 5 min, each ±50% so a fleet of
/// laptops coming back online does not knock in step.
pub fn backoff(attempt: u32) -> Duration {
    let base =
        Duration::from_secs(2).saturating_mul(1 << attempt.min(8).saturating_sub(1)).min(Duration::from_secs(300));
    base.mul_f64(rand::rng().random_range(0.5..1.5))
}

/// Pending, conflicts, rejected — read before taking the status lock: counting a big outbox on a
/// cold cache takes a while, and readers of the status must not wait for it.
fn counts(store: &Store) -> impl FnOnce(&mut Status) {
    let (pending, conflicts, rejected) = (
        store.pending_count().ok(),
        store.open_conflicts().ok().map(|c| c.len()),
        store.open_rejections().ok().map(|r| r.len()),
    );
    move |s: &mut Status| {
        s.pending = pending.unwrap_or(s.pending);
        s.conflicts = conflicts.unwrap_or(s.conflicts);
        s.rejected = rejected.unwrap_or(s.rejected);
    }
}

/// Runs until `stop` or an error only a person can fix (returned). Stopping mid-cycle is safe: every
/// database step is its own transaction and a push whose answer is lost is applied once on retry.
pub async fn run(
    engine: &Engine,
    store: &mut Store,
    interval: Duration,
    control: &Control,
    stopped: watch::Receiver<bool>,
    status: &watch::Sender<Status>,
) -> Option<Error> {
    let ended = cycles(engine, store, interval, control, stopped, status).await;
    // Stopped in the middle of a first sync (a sign-out, new settings): the load's indexes are
    // made now, not at the next start — the app's list reads this database meanwhile.
    if let Err(e) = store.end_bulk_load() {
        tracing::warn!(error = %e, "could not rebuild the indexes a stopped first sync set aside");
    }
    store.set_load_cache(None);
    ended
}

async fn cycles(
    engine: &Engine,
    store: &mut Store,
    interval: Duration,
    control: &Control,
    mut stopped: watch::Receiver<bool>,
    status: &watch::Sender<Status>,
) -> Option<Error> {
    let mut attempt = 0;
    // Since when every try found the database busy: a lock held far longer than any import is shown.
    let mut busy_since: Option<std::time::Instant> = None;
    let set_counts = counts(store);
    status.send_modify(set_counts);
    loop {
        if *stopped.borrow() {
            return None;
        }
        status.send_modify(|s| {
            // While an import holds the database the try mostly waits for it: "waiting" stays up
            // until the try sends something.
            if !s.waiting_for_writer {
                s.state = State::Pushing;
            }
            s.progress = 0;
        });
        let on_progress = |p: Progress| {
            status.send_modify(|s| match p {
                Progress::Pushing { sent, .. } => {
                    s.state = State::Pushing;
                    s.progress = sent;
                }
                Progress::Pulling { rows } => {
                    s.state = State::Pulling;
                    s.progress = rows;
                }
                Progress::Expecting { rows } => {
                    s.state = State::Pulling;
                    s.expected = rows;
                }
                Progress::Indexing => s.state = State::Indexing,
            })
        };
        let result = tokio::select! {
            r = engine.sync_once(store, on_progress) => r,
            _ = stopped.changed() => return None,
        };
        // Local edits are sent soon after they are made, but only between regular cycles: while
        // offline or failing, the backoff (or the network coming back) decides.
        let mut edits_since = None;
        let wait = match result {
            Ok(report) => {
                edits_since = report.edit_stamp.or_else(|| store.local_edit_stamp().ok());
                // A push's own rows come back in its pull: those change nothing on screen, and
                // every edit would reload every view.
                let changed_here =
                    report.changed + report.deleted + report.repaired + report.conflicts + report.rejected;
                attempt = 0;
                busy_since = None;
                let (set_counts, last) = (counts(store), store.setting("last_sync_at").ok().flatten());
                status.send_modify(|s| {
                    s.state = State::Idle;
                    s.expected = 0;
                    s.error = None;
                    s.waiting_for_writer = false;
                    s.last_success = last;
                    s.last_report = Some(report);
                    s.received += changed_here as u64;
                    set_counts(s);
                });
                interval
            }
            // An import (or the app) is writing the database for a while: nothing failed that the
            // rep should see, and the backoff must not grow while it lasts; look again soon.
            Err(e) if e.is_busy() => {
                tracing::info!("the local database is busy with another writer; syncing again shortly");
                let since = *busy_since.get_or_insert_with(std::time::Instant::now);
                let stuck = since.elapsed() > BUSY_STUCK;
                let set_counts = counts(store);
                status.send_modify(|s| {
                    s.state = State::Idle;
                    s.waiting_for_writer = true;
                    s.error = stuck.then(|| format!("{e} (for {} minutes now)", since.elapsed().as_secs() / 60));
                    set_counts(s);
                });
                BUSY_RETRY.mul_f64(rand::rng().random_range(0.5..1.5))
            }
            Err(e) if e.is_transient() => {
                attempt += 1;
                busy_since = None;
                tracing::info!(error = %e, attempt, "sync failed; trying again later");
                let set_counts = counts(store);
                status.send_modify(|s| {
                    s.state = State::Offline;
                    s.waiting_for_writer = false;
                    s.error = Some(e.to_string());
                    set_counts(s);
                });
                backoff(attempt)
            }
            Err(e) => {
                tracing::warn!(error = %e, "sync stopped until someone acts");
                status.send_modify(|s| {
                    s.waiting_for_writer = false;
                    s.state = if matches!(e, Error::SignedOut | Error::SessionEnded | Error::OtherAccount { .. }) {
                        State::SignedOut
                    } else {
                        State::Error
                    };
                    s.error = Some(e.to_string());
                });
                return Some(e);
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = control.now.notified() => {}
            _ = local_edit(store, edits_since.unwrap_or_default()), if edits_since.is_some() => {}
            _ = stopped.changed() => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backoff;
    use std::time::Duration;

    #[test]
    fn backoff_grows_with_jitter_and_is_capped() {
        for attempt in 1..20 {
            let d = backoff(attempt);
            let base = Duration::from_secs(2 * (1u64 << (attempt.min(8) - 1))).min(Duration::from_secs(300));
            assert!(d >= base.mul_f64(0.5) && d <= base.mul_f64(1.5), "attempt {attempt}: {d:?}");
        }
    }
}
