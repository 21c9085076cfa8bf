//! `sync --watch`: periodic cycles, exponential backoff with jitter on transient failures, stop on
//! errors only a person can fix (signed out, refused key).

use std::time::Duration;

use outpost_core::Store;
use rand::Rng;

use crate::engine::{Engine, Report};
use crate::error::Error;

pub enum Event<'a> {
    Synced(&'a Report),
    Retrying { error: &'a Error, after: Duration },
}

/// Delay before retry `attempt` (1, 2, …): 2 s doubling up to 5 min, each ±50% so a fleet of
/// laptops coming back online does not knock in step.
pub fn backoff(attempt: u32) -> Duration {
    let base =
        Duration::from_secs(2).saturating_mul(1 << attempt.min(8).saturating_sub(1)).min(Duration::from_secs(300));
    base.mul_f64(rand::rng().random_range(0.5..1.5))
}

/// Runs until a non-transient error; the caller cancels it by dropping the future (Ctrl-C).
pub async fn watch(engine: &Engine, store: &mut Store, interval: Duration, mut on: impl FnMut(Event<'_>)) -> Error {
    let mut attempt = 0;
    loop {
        let wait = match engine.sync_once(store, |_| {}).await {
            Ok(report) => {
                attempt = 0;
                on(Event::Synced(&report));
                interval
            }
            Err(e) if e.is_transient() => {
                attempt += 1;
                let after = backoff(attempt);
                on(Event::Retrying { error: &e, after });
                after
            }
            Err(e) => return e,
        };
        tokio::time::sleep(wait).await;
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
