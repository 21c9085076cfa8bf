//! Faults the gateway injects, for tests of retries, timeouts and exactly-once delivery.

use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Default, Clone)]
pub struct Faults(Arc<Mutex<State>>);

#[derive(Default)]
struct State {
    latency: Duration,
    fail: Vec<u16>,
    drop_responses: u32,
    max_body: Option<usize>,
    pull_rows: Option<u64>,
    pulls_timed_out: usize,
}

/// What the gateway does with the next request.
pub enum Action {
    Forward,
    /// Answer with this status without forwarding.
    Fail(u16),
    /// Forward (the server applies it), then close the connection without answering.
    ForwardThenDrop,
}

impl Faults {
    /// Every request waits this long before it is handled.
    pub fn set_latency(&self, d: Duration) {
        self.lock().latency = d;
    }

    /// The next `n` requests get `status` (500, 503, 429…) without reaching the server.
    pub fn fail_next(&self, n: usize, status: u16) {
        let mut s = self.lock();
        s.fail.extend(std::iter::repeat_n(status, n));
    }

    /// The next `n` requests reach the server but their responses are lost.
    pub fn drop_next_responses(&self, n: u32) {
        self.lock().drop_responses += n;
    }

    /// Request bodies over `bytes` are refused with 413, as a proxy's body limit does (nginx's
    /// `client_max_body_size` is 1 MB unless raised).
    pub fn set_max_body(&self, bytes: usize) {
        self.lock().max_body = Some(bytes);
    }

    pub(crate) fn max_body(&self) -> Option<usize> {
        self.lock().max_body
    }

    /// `sync_pull` calls asking for more than `rows` rows fail as the statement timeout does (500,
    /// 57014): the server giving up on a page of large rows, without having to build one.
    pub fn time_out_pulls_over(&self, rows: u64) {
        self.lock().pull_rows = Some(rows);
    }

    /// Whether a `sync_pull` call asking for `page_size` rows times out.
    pub(crate) fn pull_times_out(&self, page_size: Option<u64>) -> bool {
        let mut s = self.lock();
        let out = s.pull_rows.is_some_and(|max| page_size.is_some_and(|n| n > max));
        s.pulls_timed_out += usize::from(out);
        out
    }

    /// How many `sync_pull` calls [`Faults::time_out_pulls_over`] has failed.
    pub fn pulls_timed_out(&self) -> usize {
        self.lock().pulls_timed_out
    }

    pub fn clear(&self) {
        *self.lock() = State::default();
    }

    pub(crate) fn next(&self) -> (Duration, Action) {
        let mut s = self.lock();
        let latency = s.latency;
        if !s.fail.is_empty() {
            return (latency, Action::Fail(s.fail.remove(0)));
        }
        if s.drop_responses > 0 {
            s.drop_responses -= 1;
            return (latency, Action::ForwardThenDrop);
        }
        (latency, Action::Forward)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}
