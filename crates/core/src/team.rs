//! Who leads can belong to (the organization's members, as the last sync brought them; on a laptop
//! without a team, its one local member) and giving many leads to one of them at once.

use crate::error::Result;
use crate::lists::{LeadReference, Previous};
use crate::Store;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Member {
    pub id: String,
    /// The full name, else the email.
    pub name: String,
    pub email: String,
    pub role: String,
    /// The member signed in here.
    pub me: bool,
}

impl Store {
    /// The organization's members: the one signed in here first, then by name.
    pub fn team_members(&self) -> Result<Vec<Member>> {
        let me = self.identity().user_id.clone();
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, coalesce(nullif(trim(full_name), ''), email), email, role FROM profiles
             WHERE deleted_at IS NULL AND (organization_id = ?1 OR id = ?2)
             ORDER BY id <> ?2, outpost_sort_key(coalesce(nullif(trim(full_name), ''), email))",
        )?;
        let rows = stmt.query_map([&self.identity().organization_id, &me], |r| {
            let id: String = r.get(0)?;
            Ok(Member { me: id == me, id, name: r.get(1)?, email: r.get(2)?, role: r.get(3)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Gives the leads to `owner` (None: to no one), in one transaction. Returns each lead it
    /// changed with the owner it had, for an Undo; a lead deleted meanwhile is passed over.
    pub fn assign_leads(&mut self, lead_ids: &[String], owner: Option<&str>) -> Result<Vec<Previous>> {
        self.set_lead_reference(lead_ids, LeadReference::Owner, owner)
    }
}
