//! One tag added to, or taken off, many leads at once (the lead list's selection).

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::Store;

impl Store {
    /// Adds `tag` to each lead (or takes it off with `add` false), in one transaction. A lead that
    /// already has it (or lacks it) is left untouched; tags match without regard to case, as the
    /// filter does. Returns the leads it changed: what an Undo turns back, and no more.
    pub fn tag_leads(&mut self, lead_ids: &[String], tag: &str, add: bool) -> Result<Vec<String>> {
        let tag = tag.trim();
        if tag.is_empty() {
            return Err(Error::invalid("leads", "tags", "a tag needs at least one letter or digit"));
        }
        let folded = tag.to_lowercase();
        self.write(|tx| {
            let mut changed = Vec::new();
            for id in lead_ids {
                let Some(lead) = tx.live_lead(id)? else { continue };
                let has = lead.tags.iter().any(|t| t.to_lowercase() == folded);
                if has == add {
                    continue;
                }
                let tags: Vec<Value> = if add {
                    lead.tags.iter().map(String::as_str).chain([tag]).map(Value::from).collect()
                } else {
                    lead.tags.iter().filter(|t| t.to_lowercase() != folded).map(|t| Value::from(t.as_str())).collect()
                };
                let mut patch = Map::new();
                patch.insert("tags".into(), Value::Array(tags));
                tx.update("leads", id, patch)?;
                changed.push(id.clone());
            }
            Ok(changed)
        })
    }
}
