//! The read connections the commands share, and the lead list's newest query taking the place of
//! the one before it.

use std::sync::{Condvar, Mutex, MutexGuard};

use outpost_core::InterruptHandle;

use crate::error::{CmdResult, CommandError};

/// Read connections for the lead list, a lead, the screens' figures: two slow reads at once still
/// leave one for a click.
pub(crate) const READS: usize = 3;
/// Count connections: the lead list's total beside the dashboard's figures.
pub(crate) const COUNTS: usize = 2;

/// Connections of one kind. A command takes a free one, or waits for the first to be let go, off
/// the async runtime's threads (two slow reads holding both of this machine's runtime threads kept
/// every other command, opening a lead too, waiting seconds).
pub(crate) struct Pool<T> {
    pub(crate) conns: Vec<Mutex<T>>,
    /// Bumped each time a connection is let go, under its own lock: a command finding none free
    /// waits for the number to move (no let-go between its look and its wait is missed).
    released: Mutex<u64>,
    freed: Condvar,
}

impl<T> Pool<T> {
    pub(crate) fn of(n: usize, mut open: impl FnMut() -> outpost_core::Result<T>) -> outpost_core::Result<Pool<T>> {
        let conns = (0..n).map(|_| open().map(Mutex::new)).collect::<Result<_, _>>()?;
        Ok(Pool { conns, released: Mutex::new(0), freed: Condvar::new() })
    }

    fn take(&self) -> CmdResult<Taken<'_, T>> {
        loop {
            let seen = *self.released.lock().map_err(|_| CommandError::unavailable())?;
            if let Some(free) = self.conns.iter().find_map(|c| c.try_lock().ok()) {
                return Ok(Taken { pool: self, conn: Some(free) });
            }
            let released = self.released.lock().map_err(|_| CommandError::unavailable())?;
            drop(self.freed.wait_while(released, |r| *r == seen).map_err(|_| CommandError::unavailable())?);
        }
    }

    pub(crate) fn run<R>(&self, f: impl FnOnce(&mut T) -> outpost_core::Result<R>) -> CmdResult<R> {
        tokio::task::block_in_place(|| {
            let mut taken = self.take()?;
            Ok(f(taken.conn()?)?)
        })
    }

    /// `run`, as the newest read of `latest`: the one before it is stopped at once (before this
    /// one waits for a connection), and this one is not run at all if a newer one came while it
    /// waited.
    pub(crate) fn run_latest<R>(
        &self,
        latest: &Latest,
        handle: impl Fn(&T) -> InterruptHandle,
        f: impl FnOnce(&mut T) -> outpost_core::Result<R>,
    ) -> CmdResult<R> {
        let ticket = {
            let mut state = latest.state.lock().map_err(|_| CommandError::unavailable())?;
            state.newest += 1;
            // (Under this lock the one before is still inside its read: its entry goes, under the
            // same lock, before its connection is let go.)
            if let Some((_, before)) = state.running.take() {
                before.interrupt();
            }
            state.newest
        };
        let superseded = || CommandError::new("superseded", "a newer search took its place");
        tokio::task::block_in_place(|| {
            let mut taken = self.take()?;
            {
                let mut state = latest.state.lock().map_err(|_| CommandError::unavailable())?;
                if state.newest != ticket {
                    return Err(superseded());
                }
                state.running = Some((ticket, handle(taken.conn()?)));
            }
            let result = taken.conn().and_then(f);
            if let Ok(mut state) = latest.state.lock() {
                if state.running.as_ref().is_some_and(|(t, _)| *t == ticket) {
                    state.running = None;
                }
            }
            match result {
                Err(e) if e.interrupted() => Err(superseded()),
                other => Ok(other?),
            }
        })
    }
}

/// A connection taken from its pool; let go (whatever way the command ends), the commands waiting
/// for one are woken.
struct Taken<'a, T> {
    pool: &'a Pool<T>,
    conn: Option<MutexGuard<'a, T>>,
}

impl<T> Taken<'_, T> {
    /// (Held from `take` until dropped: never missing.)
    fn conn(&mut self) -> outpost_core::Result<&mut T> {
        self.conn.as_deref_mut().ok_or(outpost_core::Error::Busy)
    }
}

impl<T> Drop for Taken<'_, T> {
    fn drop(&mut self) {
        drop(self.conn.take());
        if let Ok(mut released) = self.pool.released.lock() {
            *released += 1;
        }
        self.pool.freed.notify_all();
    }
}

/// The read under way for the lead list's newest query. Typing "lab" asked for a page and a count
/// for "l", "la" and "lab"; at a million leads the short ones take a second each, and the list
/// settled seconds after the last key. A newer query stops the one before it (the list drops its
/// answer anyway): SQLite interrupts its statement on the connection it runs on.
#[derive(Default)]
pub(crate) struct Latest {
    state: Mutex<LatestState>,
}

#[derive(Default)]
struct LatestState {
    /// The newest query's ticket: one older that gets a connection only now is not run.
    newest: u64,
    running: Option<(u64, InterruptHandle)>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::mpsc;

    use outpost_core::Store;

    use super::*;

    /// A query of the list still waiting for a connection when a newer one comes is not run at
    /// all (it waited behind the very read it was to stop, then took the newer one's place).
    #[test]
    fn an_older_query_waiting_for_a_connection_is_not_run() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outpost.db");
        drop(Store::open(&path).unwrap());
        let pool = Pool::of(1, || Store::connect(&path)).unwrap();
        let latest = Latest::default();
        let handle = |s: &Store| s.conn().get_interrupt_handle();
        let (release, held) = mpsc::channel::<()>();
        let (taken, holding) = mpsc::channel::<()>();
        std::thread::scope(|s| {
            // The one connection, busy with something else until released.
            let pool = &pool;
            s.spawn(move || {
                pool.run(|_| {
                    taken.send(()).unwrap();
                    held.recv().unwrap();
                    Ok(())
                })
            });
            holding.recv().unwrap();
            let older = s.spawn(|| pool.run_latest(&latest, handle, |_| Ok("older ran")));
            while latest.state.lock().unwrap().newest < 1 {
                std::thread::yield_now();
            }
            let newer = s.spawn(|| pool.run_latest(&latest, handle, |_| Ok("newer ran")));
            while latest.state.lock().unwrap().newest < 2 {
                std::thread::yield_now();
            }
            release.send(()).unwrap();
            assert_eq!(older.join().unwrap().unwrap_err().code, "superseded");
            assert_eq!(newer.join().unwrap().unwrap(), "newer ran");
        });
    }
}
