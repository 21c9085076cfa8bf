//! Unlogged text of a lead's activity forms (local table `activity_drafts`): the UI keeps it here
//! as it is typed, so a closed window, a crash or a restart does not lose it. The store keeps the
//! draft as the UI gave it (a JSON object); reading it back is the UI's business.

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::{time, Store};

/// Beyond this a draft is not a draft but a pasted file: refused with a reason, not kept silently cut.
pub const MAX_DRAFT_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ActivityDraft {
    pub lead_id: String,
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Unknown))]
    pub draft: Value,
}

impl Store {
    /// The kept drafts of live leads.
    pub fn activity_drafts(&self) -> Result<Vec<ActivityDraft>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT d.lead_id, d.draft FROM activity_drafts d JOIN leads l ON l.id = d.lead_id
             WHERE l.deleted_at IS NULL ORDER BY d.updated_at",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (lead_id, text) = row?;
            // (The table's CHECK makes it an object; a row that still fails to parse is skipped.)
            if let Ok(draft) = serde_json::from_str(&text) {
                out.push(ActivityDraft { lead_id, draft });
            }
        }
        Ok(out)
    }

    /// Keeps `draft` as the lead's unlogged text; `None` (or an empty object) forgets it.
    pub fn keep_activity_draft(&mut self, lead_id: &str, draft: Option<&Value>) -> Result<()> {
        let text = match draft {
            Some(Value::Object(fields)) if !fields.is_empty() => Some(
                serde_json::to_string(fields).map_err(|e| Error::invalid("activity_drafts", "draft", e.to_string()))?,
            ),
            None | Some(Value::Object(_)) => None,
            Some(_) => return Err(Error::invalid("activity_drafts", "draft", "a draft is a set of fields")),
        };
        if text.as_ref().is_some_and(|t| t.len() > MAX_DRAFT_BYTES) {
            return Err(Error::invalid(
                "activity_drafts",
                "draft",
                format!("this draft is longer than {} KB: log it or shorten it", MAX_DRAFT_BYTES / 1024),
            ));
        }
        self.write(|tx| {
            // (A draft names a lead this database has: a stray id would keep text nobody reads.)
            if text.is_some() && tx.get("leads", lead_id)?.is_none() {
                return Err(Error::NotFound { table: "leads".into(), id: lead_id.into() });
            }
            match &text {
                Some(text) => tx.conn().execute(
                    "INSERT INTO activity_drafts (lead_id, draft, updated_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (lead_id) DO UPDATE SET draft = excluded.draft, updated_at = excluded.updated_at",
                    (lead_id, text, time::now()),
                )?,
                None => tx.conn().execute("DELETE FROM activity_drafts WHERE lead_id = ?1", [lead_id])?,
            };
            Ok(())
        })
    }
}
