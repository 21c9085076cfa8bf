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

/// What adding leads to a campaign did: those added, and those left out as do-not-contact.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CampaignAdds {
    pub added: Vec<String>,
    pub do_not_contact: Vec<String>,
}

/// A lead moved to another list or owner, with the one it had (what an Undo gives back).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Previous {
    pub lead_id: String,
    pub value: Option<String>,
}

/// The lead column a bulk step set and its Undo puts back.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum LeadReference {
    Owner,
    List,
}

impl LeadReference {
    fn column(self) -> &'static str {
        match self {
            LeadReference::Owner => "assigned_to",
            LeadReference::List => "list_id",
        }
    }

    fn of(self, lead: &crate::records::Lead) -> Option<&str> {
        match self {
            LeadReference::Owner => lead.assigned_to.as_deref(),
            LeadReference::List => lead.list_id.as_deref(),
        }
    }
}

/// The list and the campaigns a lead is in, as its panel says them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Memberships {
    pub list: Option<LeadList>,
    pub campaigns: Vec<Membership>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Membership {
    pub campaign: Campaign,
    /// pending, in_progress, completed… as the campaign left it.
    pub status: Option<String>,
}

/// A list or a campaign: what the Lists screen renames, deletes and brings back alike.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Group {
    List,
    Campaign,
}

impl Group {
    fn table(self) -> &'static str {
        match self {
            Group::List => "lead_lists",
            Group::Campaign => "campaigns",
        }
    }
}

/// What an Undo of a list or owner change did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PutBack {
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub back: usize,
    /// Leads changed again since (by the rep or a sync): left as they are now.
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub moved_since: usize,
    /// Leads the store refused to give back (a former teammate's profile gone, a list deleted).
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub refused: usize,
    pub first_refusal: Option<String>,
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
            // (A deleted lead's membership stays, for its Undo; it is not counted.)
            "SELECT count(*) FROM campaign_leads c JOIN leads ON leads.id = c.lead_id
             WHERE c.campaign_id = l.id AND c.deleted_at IS NULL AND leads.deleted_at IS NULL",
        )?
        .into_iter()
        .map(|(id, leads)| Ok(CampaignSummary { campaign: self.find(&id)?, leads }))
        .collect()
    }

    fn live_with_counts(&self, table: &str, count: &str) -> Result<Vec<(String, i64)>> {
        let sql =
            format!("SELECT l.id, ({count}) FROM {table} l WHERE l.deleted_at IS NULL ORDER BY outpost_sort_key(l.name), l.name");
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

    /// The live list and campaigns of a lead (a deleted one is none of them).
    pub fn memberships(&self, lead_id: &str) -> Result<Memberships> {
        let lead: crate::records::Lead = self.find(lead_id)?;
        let list = match lead.list_id.as_deref() {
            Some(id) => self.find::<LeadList>(id).ok().filter(|l| l.deleted_at.is_none()),
            None => None,
        };
        let rows: Vec<(String, Option<String>)> = self
            .conn()
            .prepare_cached(
                "SELECT c.id, m.status FROM campaign_leads m JOIN campaigns c ON c.id = m.campaign_id
                 WHERE m.lead_id = ?1 AND m.deleted_at IS NULL AND c.deleted_at IS NULL ORDER BY outpost_sort_key(c.name), c.name",
            )?
            .query_map([lead_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let campaigns = rows
            .into_iter()
            .map(|(id, status)| Ok(Membership { campaign: self.find(&id)?, status }))
            .collect::<Result<_>>()?;
        Ok(Memberships { list, campaigns })
    }

    /// Renames a list or a campaign; the name is one no other live one has (in any case).
    pub fn rename_group(&mut self, group: Group, id: &str, name: &str) -> Result<()> {
        let (table, name) = (group.table(), name.trim());
        if name.is_empty() {
            return Err(Error::invalid(table, "name", "a name is needed"));
        }
        self.write(|tx| {
            refuse_taken_rename(tx, table, id, name)?;
            let mut patch = Map::new();
            patch.insert("name".into(), Value::from(name));
            tx.update(table, id, patch)?;
            Ok(())
        })
    }

    /// Deletes a list or a campaign (soft: `restore_group` is its Undo). Its leads are not
    /// touched: a lead whose list is gone is in no list (a list of a million imported leads goes
    /// at once), and memberships of a campaign gone stay with it, for its Undo.
    pub fn delete_group(&mut self, group: Group, id: &str) -> Result<()> {
        self.write(|tx| tx.delete(group.table(), id))
    }

    /// Brings a deleted list or campaign back with its leads; returns its name, which is "Q4
    /// (2)" when another took "Q4" meanwhile (refused, it would be lost from sight for good).
    pub fn restore_group(&mut self, group: Group, id: &str) -> Result<String> {
        let table = group.table();
        self.write(|tx| restore_named(tx, table, id))
    }

    /// A list or campaign by a name no other live one has (in any case): two "Spring" campaigns
    /// would look the same in every menu; the lists' unique index would say so in its own words.
    fn create_named<R: crate::Record>(&mut self, table: &str, values: Value) -> Result<R> {
        let values: Map<String, Value> = values.as_object().cloned().unwrap_or_default();
        let name = values.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        self.write(|tx| {
            refuse_taken_name(tx, table, &name, None)?;
            let id = tx.insert(table, values)?;
            tx.find(&id)
        })
    }

    /// Puts the leads in the list (or in no list with None), in one transaction: a lead is in one
    /// list at a time, so one in another list moves. Returns each lead changed with the list it was
    /// in, for an Undo.
    pub fn assign_to_list(&mut self, list_id: Option<&str>, lead_ids: &[String]) -> Result<Vec<Previous>> {
        self.set_lead_reference(lead_ids, LeadReference::List, list_id)
    }

    /// The Undo of a list or owner change that gave the leads `given`: each lead still there gets
    /// back the value it had, in one transaction; one changed since is left as it is now, and one
    /// the store refuses is counted (the others still go back).
    pub fn put_back(&mut self, what: LeadReference, given: Option<&str>, previous: &[Previous]) -> Result<PutBack> {
        let column = what.column();
        self.write(|tx| {
            let mut out = PutBack { back: 0, moved_since: 0, refused: 0, first_refusal: None };
            for p in previous {
                let Some(lead) = tx.live_lead(&p.lead_id)? else { continue };
                if what.of(&lead) != given {
                    out.moved_since += 1;
                    continue;
                }
                let mut patch = Map::new();
                patch.insert(column.into(), p.value.as_deref().map_or(Value::Null, Value::from));
                match tx.update("leads", &p.lead_id, patch) {
                    Ok(_) => out.back += 1,
                    Err(e) if e.is_refusal() => {
                        let name = lead.display_name();
                        let said = match (&e, what) {
                            (Error::Invalid { column, .. }, LeadReference::List) if column == "list_id" => {
                                format!("{name}: the list it was in is gone")
                            }
                            (Error::Invalid { column, .. }, LeadReference::Owner) if column == "assigned_to" => {
                                format!("{name}: its owner is no longer in the team")
                            }
                            _ => e.to_string().replace(&format!("lead {}", p.lead_id), &name),
                        };
                        out.first_refusal.get_or_insert(said);
                        out.refused += 1;
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(out)
        })
    }

    /// Sets one reference column (the list, the owner) of many leads in one transaction, leaving
    /// those that have the value already and passing over those deleted meanwhile.
    pub(crate) fn set_lead_reference(
        &mut self,
        lead_ids: &[String],
        what: LeadReference,
        value: Option<&str>,
    ) -> Result<Vec<Previous>> {
        self.write(|tx| {
            let mut changed = Vec::new();
            for id in lead_ids {
                let Some(lead) = tx.live_lead(id)? else { continue };
                // A lead whose list was deleted is in no list: taking it "out" would cut the link
                // that list's Undo brings it back by.
                let mut had = what.of(&lead).map(str::to_string);
                if let (LeadReference::List, Some(list)) = (what, &had) {
                    let row = tx.get("lead_lists", list)?;
                    if !row.is_some_and(|l| l.get("deleted_at").is_none_or(Value::is_null)) {
                        had = None;
                    }
                }
                if had.as_deref() == value {
                    continue;
                }
                let mut patch = Map::new();
                patch.insert(what.column().into(), value.map_or(Value::Null, Value::from));
                tx.update("leads", id, patch)?;
                changed.push(Previous { lead_id: id.clone(), value: had });
            }
            Ok(changed)
        })
    }

    /// Adds the leads to the campaign, skipping those already in it and leaving out those marked
    /// do-not-contact (counted). One taken out of it before is enrolled again as new: its row stays,
    /// deleted, and comes back pending with no attempts.
    pub fn add_to_campaign(&mut self, campaign_id: &str, lead_ids: &[String]) -> Result<CampaignAdds> {
        self.write(|tx| {
            let mut out = CampaignAdds { added: Vec::new(), do_not_contact: Vec::new() };
            for id in lead_ids {
                let Some(lead) = tx.live_lead(id)? else { continue };
                let there: Option<(String, bool)> = tx
                    .conn()
                    .prepare_cached(
                        "SELECT id, deleted_at IS NOT NULL FROM campaign_leads WHERE campaign_id = ?1 AND lead_id = ?2",
                    )?
                    .query_row([campaign_id, id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                if matches!(there, Some((_, false))) {
                    continue;
                }
                if lead.do_not_contact {
                    out.do_not_contact.push(id.clone());
                    continue;
                }
                match there {
                    Some((row, _)) => {
                        tx.restore("campaign_leads", &row)?;
                        let fresh = json!({"status": "pending", "attempts": 0, "last_attempt_at": null});
                        tx.update("campaign_leads", &row, fresh.as_object().cloned().unwrap_or_default())?;
                    }
                    None => {
                        let values = json!({"campaign_id": campaign_id, "lead_id": id});
                        tx.insert("campaign_leads", values.as_object().cloned().unwrap_or_default())?;
                    }
                }
                out.added.push(id.clone());
            }
            Ok(out)
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

/// The live row of `table` (other than `except`) whose name is `name` however cased, by its name
/// as spelled. Every letter folds (SQLite's lower() folds ASCII only; the server's unique index
/// on lists folds "Été" too); lists, campaigns and templates are few.
fn taken_by(tx: &crate::Tx<'_>, table: &str, name: &str, except: Option<&str>) -> Result<Option<String>> {
    Ok(live_named(tx, table, name, except)?.map(|(_, n)| n))
}

/// The live row of `table` named `name` however cased, any letter (SQLite's lower() folds ASCII
/// only: "ÄRZTE" is not "ärzte" to it): its id and name as spelled.
fn live_named(tx: &crate::Tx<'_>, table: &str, name: &str, except: Option<&str>) -> Result<Option<(String, String)>> {
    let wanted = name.trim().to_lowercase();
    let sql = format!("SELECT id, name FROM {table} WHERE deleted_at IS NULL AND id IS NOT ?1");
    let mut stmt = tx.conn().prepare_cached(&sql)?;
    let rows = stmt.query_map([except], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (id, n) = row?;
        if n.trim().to_lowercase() == wanted {
            return Ok(Some((id, n)));
        }
    }
    Ok(None)
}

/// The live list named `name` however cased (as its name is taken: see `refuse_taken_name`).
pub fn live_list_named(tx: &crate::Tx<'_>, name: &str) -> Result<Option<String>> {
    Ok(live_named(tx, "lead_lists", name, None)?.map(|(id, _)| id))
}

/// Refuses `name` for a new row of `table` (or for row `except`, renamed) when another live one
/// has it, however cased: two lists, campaigns or templates of one name cannot be told apart in
/// a menu. The error names the one there, as it is spelled.
pub(crate) fn refuse_taken_name(tx: &crate::Tx<'_>, table: &str, name: &str, except: Option<&str>) -> Result<()> {
    match taken_by(tx, table, name, except)? {
        Some(existing) if !name.trim().is_empty() => {
            let thing = match table {
                "campaigns" => "campaign",
                "email_templates" => "template",
                _ => "list",
            };
            Err(Error::invalid(table, "name", format!("a {thing} named “{existing}” already exists")))
        }
        _ => Ok(()),
    }
}

/// Refuses a new name for row `id` that another has; its own name, however recased, is no clash
/// (two rows of one name pulled from teammates offline must still be editable).
pub(crate) fn refuse_taken_rename(tx: &crate::Tx<'_>, table: &str, id: &str, name: &str) -> Result<()> {
    let own: Option<String> =
        tx.get(table, id)?.and_then(|r| r.get("name").and_then(Value::as_str).map(str::to_string));
    if own.is_some_and(|own| own.trim().to_lowercase() == name.trim().to_lowercase()) {
        return Ok(());
    }
    refuse_taken_name(tx, table, name, Some(id))
}

/// Restores row `id` of `table` (a list, a campaign, a template) under its name, or under a free
/// one when another took it since; returns the name it has.
pub(crate) fn restore_named(tx: &mut crate::Tx<'_>, table: &str, id: &str) -> Result<String> {
    let row = tx.get(table, id)?.ok_or_else(|| Error::NotFound { table: table.into(), id: id.into() })?;
    let name = row.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
    // Live already (an Undo clicked twice, a sync brought it back): nothing to restore or rename.
    if row.get("deleted_at").is_none_or(Value::is_null) {
        return Ok(name);
    }
    let free = free_name(tx, table, &name, id)?;
    if free == name {
        tx.restore(table, id)?;
        return Ok(name);
    }
    // Its delete may not have left this laptop, and the row that took its name be new since: the
    // server must see this one renamed before it sees that one (its unique index on list names
    // would refuse the new row while this one is live there under the name). Its pending change
    // keeps its place in the push order, ahead of the new row's.
    let order = "SELECT edit_seq FROM outbox WHERE table_name = ?1 AND row_id = ?2";
    let pending: Option<i64> = tx.conn().query_row(order, (table, id), |r| r.get(0)).optional()?;
    // Renamed while still deleted (an update takes live rows only; live, the lists' unique name
    // index would refuse it): the capture trigger records the change like any other.
    tx.conn().execute(&format!("UPDATE {table} SET name = ?1 WHERE id = ?2"), (&free, id))?;
    tx.restore(table, id)?;
    if let Some(edit_seq) = pending {
        tx.conn()
            .execute("UPDATE outbox SET edit_seq = ?1 WHERE table_name = ?2 AND row_id = ?3", (edit_seq, table, id))?;
    }
    Ok(free)
}

/// `name`, or "name (2)", "name (3)"… whichever no other live row of `table` has. A list's or a
/// campaign's stays within the name limit (the name cut short before its number), so it can be
/// renamed without being cut by hand first.
pub(crate) fn free_name(tx: &crate::Tx<'_>, table: &str, name: &str, except: &str) -> Result<String> {
    let limit = crate::rules::name_limit(table).unwrap_or(usize::MAX);
    let mut candidate = name.to_string();
    for n in 2.. {
        if taken_by(tx, table, &candidate, Some(except))?.is_none() {
            break;
        }
        let number = format!(" ({n})");
        let kept: String = name.chars().take(limit.saturating_sub(number.chars().count())).collect();
        candidate = format!("{}{number}", kept.trim_end());
    }
    Ok(candidate)
}
