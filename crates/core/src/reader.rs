//! A second, read-only connection to the same database. In WAL mode readers never wait for the
//! writer nor it for them, so a slow read (counting a million leads on a cold cache) can run beside
//! the list pages and edits of the main connection instead of queueing in front of them.

use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};
use crate::pipeline::StatusCount;
use crate::{query, LeadQuery, Store};

pub struct Reader {
    conn: Connection,
}

impl Reader {
    /// Stops this connection's statement under way from another thread (a read taken back).
    pub fn interrupt_handle(&self) -> rusqlite::InterruptHandle {
        self.conn.get_interrupt_handle()
    }
}

impl Store {
    /// A read-only connection to this store's database (see [`Reader`]).
    pub fn reader(&self) -> Result<Reader> {
        let open_err =
            |e: rusqlite::Error| Error::Open { path: self.path().display().to_string(), reason: e.to_string() };
        let conn = Connection::open_with_flags(
            self.path(),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open_err)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        crate::sort_key::register(&conn)?;
        // Counts scan an index once: no memory map and a small cache keep this connection's
        // memory from doubling the app's.
        conn.execute_batch("PRAGMA query_only = ON; PRAGMA mmap_size = 0; PRAGMA cache_size = -8192;")?;
        Ok(Reader { conn })
    }
}

impl Reader {
    pub fn count_leads(&self, q: &LeadQuery) -> Result<i64> {
        query::count_leads(&self.conn, q)
    }

    pub fn status_summary(&self) -> Result<Vec<StatusCount>> {
        crate::pipeline::status_summary(&self.conn)
    }

    /// Changes waiting to be sent, open conflicts, open rejected changes (the sync indicator's
    /// numbers; a big outbox takes a moment to count on a cold cache).
    pub fn sync_counts(&self) -> Result<(i64, i64, i64)> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM outbox),
                    (SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL),
                    (SELECT count(*) FROM sync_rejected WHERE resolved_at IS NULL)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?)
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        crate::store::setting_in(&self.conn, key)
    }

    /// [`Store::view_only`] as the database says now (the role comes with a pull).
    pub fn view_only(&self) -> Result<Option<String>> {
        match self.setting("user_id")? {
            Some(user) => crate::rows::view_only(&self.conn, &user),
            None => Ok(None),
        }
    }
}
