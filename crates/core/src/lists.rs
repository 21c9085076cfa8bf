//! Lead lists and campaigns: what exists with how many leads, creating them, and putting leads in.

use rusqlite::OptionalExtension;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::error::{Error, Result};
use crate::records::{Campaign, LeadList};
use crate::Store;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ListSummary {
    pub list: LeadList,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub leads: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CampaignSummary {
    pub campaign: Campaign,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub leads: i64,
}

/// A lead moved to another list or owner, with the one it had (what an Undo gives back).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Previous {
    pub lead_id: String,
    pub value: Option<String>,
}

impl Store {
    pub fn lead_lists(&self) -> Result<Vec<ListSummary>> {
        self.live_with_counts("lead_lists", "SELECT count(*) FROM leads WHERE list_id = l.id AND deleted_at IS NULL")?
            .into_iter()
            .map(|(id, leads)| Ok(ListSummary { list: self.find(&id)?, leads }))
            .collect()
    }

    pub fn campaigns(&self) -> Result<Vec<CampaignSummary>> {
        self.live_with_counts(
            "campaigns",
            "SELECT count(*) FROM campaign_leads WHERE campaign_id = l.id AND deleted_at IS NULL",
        )?
        .into_iter()
        .map(|(id, leads)| Ok(CampaignSummary { campaign: self.find(&id)?, leads }))
        .collect()
    }

    fn live_with_counts(&self, table: &str, count: &str) -> Result<Vec<(String, i64)>> {
        let sql =
            format!("SELECT l.id, ({count}) FROM {table} l WHERE l.deleted_at IS NULL ORDER BY l.name COLLATE NOCASE");
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn create_list(&mut self, name: &str, description: Option<&str>) -> Result<LeadList> {
        self.create_named("lead_lists", json!({"name": name.trim(), "description": description, "source": "manual"}))
    }

    pub fn create_campaign(&mut self, name: &str, channel: Option<&str>) -> Result<Campaign> {
        self.create_named("campaigns", json!({"name": name.trim(), "channel": channel, "status": "draft"}))
    }

    /// A list or campaign by a name no other live one has (in any case): two "Spring" campaigns
    /// would look the same in every menu; the lists' unique index would say so in its own words.
    fn create_named<R: crate::Record>(&mut self, table: &str, values: Value) -> Result<R> {
        let values: Map<String, Value> = values.as_object().cloned().unwrap_or_default();
        let name = values.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        self.write(|tx| {
            let sql = format!("SELECT 1 FROM {table} WHERE lower(name) = lower(?1) AND deleted_at IS NULL");
            if !name.is_empty() && tx.conn().prepare_cached(&sql)?.exists([&name])? {
                let thing = if table == "campaigns" { "campaign" } else { "list" };
                return Err(Error::invalid(table, "name", format!("a {thing} named “{name}” already exists")));
            }
            let id = tx.insert(table, values)?;
            tx.find(&id)
        })
    }

    /// Puts the leads in the list (or in no list with None), in one transaction: a lead is in one
    /// list at a time, so one in another list moves. Returns each lead changed with the list it was
    /// in, for an Undo.
    pub fn assign_to_list(&mut self, list_id: Option<&str>, lead_ids: &[String]) -> Result<Vec<Previous>> {
        self.set_lead_reference(lead_ids, "list_id", list_id)
    }

    /// Sets one reference column (the list, the owner) of many leads in one transaction, leaving
    /// those that have the value already and passing over those deleted meanwhile.
    pub(crate) fn set_lead_reference(
        &mut self,
        lead_ids: &[String],
        column: &str,
        value: Option<&str>,
    ) -> Result<Vec<Previous>> {
        self.write(|tx| {
            let mut changed = Vec::new();
            for id in lead_ids {
                let Some(lead) = tx.live_lead(id)? else { continue };
                let had = match column {
                    "list_id" => lead.list_id,
                    _ => lead.assigned_to,
                };
                if had.as_deref() == value {
                    continue;
                }
                let mut patch = Map::new();
                patch.insert(column.into(), value.map_or(Value::Null, Value::from));
                tx.update("leads", id, patch)?;
                changed.push(Previous { lead_id: id.clone(), value: had });
            }
            Ok(changed)
        })
    }

    /// Adds the leads to the campaign, skipping those already in it (one taken out of it before is
    /// enrolled again: its row stays, deleted). Returns the leads added, for the Undo.
    pub fn add_to_campaign(&mut self, campaign_id: &str, lead_ids: &[String]) -> Result<Vec<String>> {
        self.write(|tx| {
            let mut added = Vec::new();
            for id in lead_ids {
                let there: Option<(String, bool)> = tx
                    .conn()
                    .prepare_cached(
                        "SELECT id, deleted_at IS NOT NULL FROM campaign_leads WHERE campaign_id = ?1 AND lead_id = ?2",
                    )?
                    .query_row([campaign_id, id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                match there {
                    Some((_, false)) => continue,
                    Some((row, true)) => {
                        tx.restore("campaign_leads", &row)?;
                    }
                    None => {
                        let values = json!({"campaign_id": campaign_id, "lead_id": id});
                        tx.insert("campaign_leads", values.as_object().cloned().unwrap_or_default())?;
                    }
                }
                added.push(id.clone());
            }
            Ok(added)
        })
    }

    /// Takes the leads out of the campaign (the Undo of adding them).
    pub fn remove_from_campaign(&mut self, campaign_id: &str, lead_ids: &[String]) -> Result<usize> {
        self.write(|tx| {
            let mut removed = 0;
            for id in lead_ids {
                let row: Option<String> = tx
                    .conn()
                    .prepare_cached(
                        "SELECT id FROM campaign_leads WHERE campaign_id = ?1 AND lead_id = ?2 AND deleted_at IS NULL",
                    )?
                    .query_row([campaign_id, id], |r| r.get(0))
                    .optional()?;
                if let Some(row) = row {
                    tx.delete("campaign_leads", &row)?;
                    removed += 1;
                }
            }
            Ok(removed)
        })
    }
}
