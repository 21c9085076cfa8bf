//! Recently deleted leads, newest first: a lead deleted by mistake and past its Undo toast comes back
//! from the app's "Recently deleted" screen (and `outpost leads deleted`). Left out: the leads of an
//! undone import (the import history says so, and a file's worth would bury the rest) — on every
//! laptop, as the import's state syncs; a lead such an undo kept because it was worked on, deleted by
//! hand later, is left out with them (`outpost leads restore ID` still brings it back). A lead merged
//! away is listed: the merge's own Undo is a toast's, and restoring the lead is the way back after it.

use rusqlite::named_params;
use serde::Serialize;

use crate::error::Result;
use crate::Store;

/// A deleted lead as the screen lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeletedLead {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub company: Option<String>,
    pub deleted_at: String,
}

/// The deleted leads the screen holds (deleted at or after :since, '' for all): two index ranges
/// (V27), each read newest first — the leads of no import, and those of imports not undone; an
/// undone import's leads are never visited.
const SCOPE: &str = "SELECT id, first_name, last_name, email, company, deleted_at, rowid AS r FROM leads
      WHERE import_id IS NULL AND deleted_at IS NOT NULL AND deleted_at >= :since
     UNION ALL
     SELECT id, first_name, last_name, email, company, deleted_at, rowid FROM leads
      WHERE import_id IN (SELECT id FROM imports WHERE status <> 'reverted') AND deleted_at IS NOT NULL
        AND deleted_at >= :since";

impl Store {
    /// Up to `limit` deleted leads, the most recently deleted first; with `since` (RFC 3339) only
    /// those deleted then or later.
    pub fn deleted_leads(&self, limit: usize, since: Option<&str>) -> Result<Vec<DeletedLead>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT id, first_name, last_name, email, company, deleted_at FROM ({SCOPE}) ORDER BY deleted_at DESC, r DESC LIMIT :limit"
        ))?;
        let rows = stmt.query_map(named_params! {":limit": limit_arg(limit), ":since": since_arg(since)}, |r| {
            Ok(DeletedLead {
                id: r.get(0)?,
                first_name: r.get(1)?,
                last_name: r.get(2)?,
                email: r.get(3)?,
                company: r.get(4)?,
                deleted_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many deleted leads the screen holds (deleted at or after `since`): it shows the newest
    /// few hundred and says how many there are in all.
    pub fn count_deleted(&self, since: Option<&str>) -> Result<u32> {
        let sql = format!("SELECT count(*) FROM ({SCOPE})");
        Ok(self.conn().prepare_cached(&sql)?.query_row(named_params! {":since": since_arg(since)}, |r| r.get(0))?)
    }

    /// The ids of up to `limit` of them, newest first: "restore all" takes them a batch at a time.
    pub fn deleted_ids(&self, limit: usize, since: Option<&str>) -> Result<Vec<String>> {
        let sql = format!("SELECT id FROM ({SCOPE}) ORDER BY deleted_at DESC, r DESC LIMIT :limit");
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let ids =
            stmt.query_map(named_params! {":limit": limit_arg(limit), ":since": since_arg(since)}, |r| r.get(0))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    }
}

fn limit_arg(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

/// '' sorts before every time: all of them.
fn since_arg(since: Option<&str>) -> String {
    since.map(|s| crate::time::normalize(s).unwrap_or_else(|| s.to_string())).unwrap_or_default()
}
