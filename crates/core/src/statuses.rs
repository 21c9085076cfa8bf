//! One status given to many leads at once (the lead list's selection), each lead through the
//! store's rules: one refused (a closed-won lead's rules, a do-not-contact mark) does not stop the
//! others.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::records::LeadStatus;
use crate::Store;

/// A lead whose status changed, with the one it had (what an Undo gives back).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PreviousStatus {
    pub lead_id: String,
    pub status: LeadStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StatusChanges {
    pub changed: Vec<PreviousStatus>,
    /// Leads the store's rules refused, with the first refusal's words.
    pub refused: Vec<String>,
    pub first_refusal: Option<String>,
}

impl Store {
    /// Gives each lead `status`, in one transaction; with `only_from`, only the leads whose status
    /// is that one now (an Undo leaves a lead moved on since as it is). A lead with the status
    /// already, or deleted meanwhile, is passed over.
    pub fn set_status(&mut self, lead_ids: &[String], status: &str, only_from: Option<&str>) -> Result<StatusChanges> {
        let Some(to) = LeadStatus::parse(status) else {
            return Err(Error::invalid("leads", "status", format!("'{status}' is not a lead status")));
        };
        self.write(|tx| {
            let mut out = StatusChanges { changed: Vec::new(), refused: Vec::new(), first_refusal: None };
            for id in lead_ids {
                let Some(lead) = tx.live_lead(id)? else { continue };
                if lead.status == to || only_from.is_some_and(|from| from != lead.status.as_str()) {
                    continue;
                }
                let mut patch = Map::new();
                patch.insert("status".into(), Value::from(to.as_str()));
                // A refusal is found before anything is written (or undone with its statement):
                // the transaction goes on with the next lead.
                match tx.update("leads", id, patch) {
                    Ok(_) => out.changed.push(PreviousStatus { lead_id: id.clone(), status: lead.status }),
                    Err(e) if e.is_refusal() => {
                        // Said with the lead's name: the rep knows their leads by name, not by id.
                        let said = e.to_string().replace(&format!("lead {id}"), &lead.display_name());
                        out.first_refusal.get_or_insert(said);
                        out.refused.push(id.clone());
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(out)
        })
    }
}
