//! Recently deleted leads, newest first: a lead deleted by mistake and past its Undo toast comes back
//! from the app's "Recently deleted" screen (and `outpost leads deleted`). Left out: the leads an
//! import's undo took back (the import history says so, and a file's worth would bury the rest)
//! and those merged into another lead on this laptop (the merge's own Undo brings them back whole).

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

impl Store {
    /// Up to `limit` deleted leads, the most recently deleted first.
    pub fn deleted_leads(&self, limit: usize) -> Result<Vec<DeletedLead>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT l.id, l.first_name, l.last_name, l.email, l.company, l.deleted_at FROM leads l
             WHERE l.deleted_at IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = l.import_id AND i.status = 'reverted'
                                  AND i.updated_at = l.deleted_at)
               AND l.id NOT IN (SELECT json_extract(m.merged, '$.merged') FROM lead_merges m)
             ORDER BY l.deleted_at DESC, l.rowid DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
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
}
