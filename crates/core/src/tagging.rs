//! One tag added to, or taken off, many leads at once (the lead list's selection).

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::Store;

/// A lead a tag went on or came off, with the tag as it was written there: an Undo of a removal
/// puts back "VIP" where "VIP" was, though the rep typed "vip".
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TagChange {
    pub lead_id: String,
    pub tag: String,
}

impl Store {
    /// Adds `tag` to each lead (or takes it off with `add` false), in one transaction. A lead that
    /// already has it (or lacks it) is left untouched; tags match without regard to case, as the
    /// filter does. Returns the leads it changed: what an Undo turns back, and no more.
    pub fn tag_leads(&mut self, lead_ids: &[String], tag: &str, add: bool) -> Result<Vec<TagChange>> {
        let tag = tag.trim();
        if tag.is_empty() {
            return Err(Error::invalid("leads", "tags", "a tag needs at least one letter or digit"));
        }
        // The lead panel and a CSV's tag column split at these: such a tag would not stay one.
        if tag.contains([',', ';']) {
            let reason =
                format!("“{tag}”: a tag cannot hold a comma or a semicolon (they separate tags); add one at a time");
            return Err(Error::invalid("leads", "tags", reason));
        }
        let folded = tag.to_lowercase();
        self.write(|tx| {
            let mut changed = Vec::new();
            for id in lead_ids {
                let Some(lead) = tx.live_lead(id)? else { continue };
                let had = lead.tags.iter().find(|t| t.to_lowercase() == folded).cloned();
                let tags: Vec<&str> = match (&had, add) {
                    (None, true) => lead.tags.iter().map(String::as_str).chain([tag]).collect(),
                    (Some(_), false) => {
                        lead.tags.iter().map(String::as_str).filter(|t| t.to_lowercase() != folded).collect()
                    }
                    _ => continue,
                };
                let mut patch = Map::new();
                patch.insert("tags".into(), Value::Array(tags.into_iter().map(Value::from).collect()));
                tx.update("leads", id, patch)?;
                changed.push(TagChange { lead_id: id.clone(), tag: had.unwrap_or_else(|| tag.to_string()) });
            }
            Ok(changed)
        })
    }
}
