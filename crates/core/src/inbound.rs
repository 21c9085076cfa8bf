//! Messages from leads waiting for the rep: inbound conversations marked as needing action (a web
//! form sent again by someone who is already a lead, a reply filed by a mail integration), for
//! "My day", and marking one handled. Both are ordinary rows and edits: they sync like any other.

use serde::Serialize;
use serde_json::{json, Map};

use crate::error::Result;
use crate::records::Lead;
use crate::Store;

/// At most this many are listed: past it the list says so.
pub const INBOUND_LIMIT: usize = 200;

/// The messages that need the rep's action: listed by [`Store::inbound_needing_action`], counted
/// for My day's count.
pub(crate) const NEEDING_ACTION: &str = "FROM conversations c LEFT JOIN leads l ON l.id = c.lead_id
     WHERE c.requires_action = 1 AND c.direction = 'inbound' AND c.deleted_at IS NULL
       AND (c.lead_id IS NULL OR l.deleted_at IS NULL)";

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InboundItem {
    pub id: String,
    pub lead_id: Option<String>,
    pub lead_name: Option<String>,
    pub channel: String,
    pub platform: Option<String>,
    pub subject: Option<String>,
    pub content: String,
    pub from_address: Option<String>,
    pub occurred_at: String,
}

impl Store {
    /// Inbound messages that need the rep's action, newest first (at most [`INBOUND_LIMIT`]); those
    /// of deleted leads are left out.
    pub fn inbound_needing_action(&self) -> Result<Vec<InboundItem>> {
        let rows: Vec<InboundItem> = self
            .conn()
            .prepare_cached(&format!(
                "SELECT c.id, c.lead_id, c.channel, c.platform, c.subject, c.content, c.from_address, c.occurred_at
                 {NEEDING_ACTION} ORDER BY c.occurred_at DESC, c.rowid DESC LIMIT ?1"
            ))?
            .query_map([INBOUND_LIMIT as i64], |r| {
                Ok(InboundItem {
                    id: r.get(0)?,
                    lead_id: r.get(1)?,
                    lead_name: None,
                    channel: r.get(2)?,
                    platform: r.get(3)?,
                    subject: r.get(4)?,
                    content: r.get(5)?,
                    from_address: r.get(6)?,
                    occurred_at: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|mut item| {
                if let Some(lead) = &item.lead_id {
                    item.lead_name = Some(self.find::<Lead>(lead)?.display_name());
                }
                Ok(item)
            })
            .collect()
    }

    /// Marks a message handled (`handled`: true) or back to needing action (an undo).
    pub fn settle_inbound(&mut self, id: &str, handled: bool) -> Result<()> {
        let mut patch = Map::new();
        patch.insert("requires_action".into(), json!(!handled));
        patch.insert("action_taken".into(), if handled { json!("handled") } else { json!(null) });
        self.write(|tx| tx.update("conversations", id, patch).map(|_| ()))
    }
}
