//! Two leads that are one person made one: the rep keeps one lead, the other's details fill it in
//! (where both have a value the rep picks), its work and history move onto it, and the other is
//! deleted. One transaction; what it changed comes back so an Undo can take it all back.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::catalog::{Column, Kind, Table};
use crate::error::{Error, Result};
use crate::values::Row;
use crate::{Store, Tx};

/// How a field of the kept lead comes out of a merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FieldMerge {
    /// Both leads hold the same value, or only the kept one has a value: it stays.
    Same,
    /// The kept lead had none: the other's fills it.
    Filled,
    /// Both are kept: tags and custom fields added together, notes one after the other, the later
    /// contact date, counts added, an opt-out kept.
    Combined,
    /// Different values: the kept lead's unless the rep takes the other's.
    Choice,
    /// The import's possible-duplicate mark (its tag, the email it kept aside) goes: this pair is
    /// the one it named.
    Settled,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MergeField {
    pub field: String,
    /// The kept lead's value.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Unknown))]
    pub mine: Value,
    /// The other lead's value.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Unknown))]
    pub theirs: Value,
    /// What the kept lead will hold (for a choice: with its own value kept).
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Unknown))]
    pub result: Value,
    pub how: FieldMerge,
}

/// What merging `other` into `keep` would do: each field either lead has a value for, and how many
/// records of each kind move to the kept lead.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MergePlan {
    pub keep: String,
    pub other: String,
    pub fields: Vec<MergeField>,
    /// (table, rows) for each kind of record of the other lead that moves to the kept one.
    pub moves: Vec<(String, f64)>,
    /// (table, rows) of its campaign memberships that end instead: the kept lead is in that
    /// campaign already, or the person is not to be contacted.
    pub ends: Vec<(String, f64)>,
    /// The kept lead's own running campaign memberships that end (the other lead brings an
    /// opt-out).
    pub kept_ends: f64,
}

/// A row a merge changed besides the two leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowRef {
    pub table: String,
    pub id: String,
    /// The column that names the lead.
    pub column: String,
}

/// A field of the kept lead a merge changed: what it held and what the merge wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Value,
    pub after: Value,
}

/// What a merge did, kept (table `lead_merges`) for its Undo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Merged {
    pub kept: String,
    pub merged: String,
    pub changes: Vec<FieldChange>,
    /// Records moved from the other lead to the kept one.
    pub moved: Vec<RowRef>,
    /// The other lead's records ended instead of moved: the kept lead had their twin (one
    /// membership per campaign and lead), or the person is not to be contacted.
    pub closed: Vec<RowRef>,
    /// The kept lead's deleted twins brought back in their place.
    pub reopened: Vec<RowRef>,
}

/// A merge done: its number (for the Undo) and how many records moved or ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MergeDone {
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub id: i64,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub moved: usize,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub closed: usize,
}

/// What an Undo of a merge could not put back: fields of the kept lead changed again since, and
/// records that stay with the kept lead (a campaign membership cannot go back to a lead not to be
/// contacted).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Unmerged {
    pub changed_since: Vec<String>,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub stayed: usize,
    /// Fields given back as none: the list or owner they had is gone since.
    pub cleared: Vec<String>,
}

/// A tag the importer puts on a lead it made although another lead seemed the same person, and the
/// custom field where it kept the email the other lead has: merging that pair settles both.
const DUPLICATE_TAG: &str = "possible-duplicate";
const DUPLICATE_EMAIL: &str = "duplicate_email";

/// Fields where the losing value is kept on the lead, in a custom field: a second address or
/// number is how the rep reaches the person.
const KEPT_AS_CUSTOM: [(&str, &str); 2] = [("email", "Other email"), ("phone", "Other phone")];

/// The lead an import took another for (see [`Store::duplicate_of`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DuplicateOf {
    pub id: String,
    pub name: String,
}

impl Store {
    /// The lead an import's "create anyway" took `id` for: the one with the email it kept aside
    /// (custom field duplicate_email), or with its LinkedIn profile — while `id` still carries the
    /// possible-duplicate tag. What the panel offers to merge it with.
    pub fn duplicate_of(&self, id: &str) -> Result<Option<DuplicateOf>> {
        let lead: crate::Lead = self.find(id)?;
        let tagged = lead.tags.iter().any(|t| t.eq_ignore_ascii_case(DUPLICATE_TAG));
        if lead.deleted_at.is_some() || !tagged {
            return Ok(None);
        }
        let org = &self.identity().organization_id;
        let live = "organization_id = ?1 AND deleted_at IS NULL AND id <> ?2";
        let mut found: Option<String> = None;
        if let Some(email) = lead.custom_fields.get(DUPLICATE_EMAIL).and_then(Value::as_str) {
            let sql = format!("SELECT id FROM leads WHERE {live} AND lower(email) = lower(?3) LIMIT 1");
            found = self.conn().query_row(&sql, (org, id, email.trim()), |r| r.get(0)).optional()?;
        }
        if let (None, Some(email)) = (&found, lead.custom_fields.get(DUPLICATE_EMAIL).and_then(Value::as_str)) {
            // The lead it was taken for was merged into another since: that one holds the address
            // aside (rare, so a scan of the kept-aside addresses is fine).
            let sql = format!(
                "SELECT id FROM leads WHERE {live} AND instr(lower(custom_fields), lower(?3)) > 0
                 AND EXISTS (SELECT 1 FROM json_each(custom_fields)
                 WHERE key LIKE 'Other email%' AND lower(value) = lower(?3)) ORDER BY rowid LIMIT 1"
            );
            found = self.conn().query_row(&sql, (org, id, email.trim()), |r| r.get(0)).optional()?;
        }
        let profile = lead.linkedin_url.as_deref().map(crate::rules::linkedin_profile).filter(|p| !p.is_empty());
        if let (None, Some(profile)) = (&found, profile) {
            let sql = format!(
                "SELECT id FROM leads WHERE {live} AND linkedin_url IS NOT NULL AND {} = ?3 LIMIT 1",
                crate::rules::LINKEDIN_PROFILE
            );
            found = self.conn().query_row(&sql, (org, id, profile), |r| r.get(0)).optional()?;
        }
        let Some(other) = found else { return Ok(None) };
        let name = self.find::<crate::Lead>(&other)?.display_name();
        Ok(Some(DuplicateOf { id: other, name }))
    }

    /// What merging `other` into `keep` would do.
    pub fn merge_plan(&self, keep: &str, other: &str) -> Result<MergePlan> {
        let (mine, theirs) = two_leads(|id| self.get("leads", id), keep, other)?;
        let t = self.catalog().table("leads")?;
        let mut fields = plan_fields(t, &mine, &theirs, |parent, id| live_parent(self.conn(), parent, id));
        settle_duplicate(&mut fields, &mine, &theirs);
        let dnc = is_true(mine.get("do_not_contact")) || is_true(theirs.get("do_not_contact"));
        let (mut moves, mut ends) = (Vec::new(), Vec::new());
        for (table, column) in lead_references(self.catalog()) {
            let name = &table.name;
            let n: i64 = self.conn().query_row(
                &format!("SELECT count(*) FROM \"{name}\" WHERE \"{column}\" = ?1 AND deleted_at IS NULL"),
                [other],
                |r| r.get(0),
            )?;
            // As `move_records` will: a membership of a campaign the kept lead is in, or any for a
            // person not to be contacted, ends.
            let ending = if name != "campaign_leads" {
                0
            } else if dnc {
                n
            } else {
                self.conn().query_row(
                    "SELECT count(*) FROM campaign_leads o WHERE o.lead_id = ?1 AND o.deleted_at IS NULL
                     AND EXISTS (SELECT 1 FROM campaign_leads k WHERE k.lead_id = ?2 AND k.campaign_id = o.campaign_id
                                 AND k.deleted_at IS NULL)",
                    [other, keep],
                    |r| r.get(0),
                )?
            };
            if n > ending {
                moves.push((name.clone(), (n - ending) as f64));
            }
            if ending > 0 {
                ends.push((name.clone(), ending as f64));
            }
        }
        // The other lead brings an opt-out: the kept lead leaves its own running campaigns too.
        let kept_ends: i64 = if dnc && !is_true(mine.get("do_not_contact")) {
            self.conn().query_row(
                "SELECT count(*) FROM campaign_leads WHERE lead_id = ?1 AND deleted_at IS NULL
                 AND status IN ('pending', 'in_progress')",
                [keep],
                |r| r.get(0),
            )?
        } else {
            0
        };
        Ok(MergePlan { keep: keep.into(), other: other.into(), fields, moves, ends, kept_ends: kept_ends as f64 })
    }

    /// Merges `other` into `keep`, taking the other's value for the fields named in `take` (of
    /// those where both have one). The other lead is deleted; [`Store::unmerge_leads`] with the
    /// returned id takes it all back.
    pub fn merge_leads(&mut self, keep: &str, other: &str, take: &[String]) -> Result<MergeDone> {
        self.write(|tx| {
            let (mine, theirs) = two_leads(|id| tx.get("leads", id), keep, other)?;
            let t = tx.catalog().table("leads")?;
            let mut fields = plan_fields(t, &mine, &theirs, |parent, id| live_parent(tx.conn(), parent, id));
            settle_duplicate(&mut fields, &mine, &theirs);
            let patch = merged_values(&mine, &fields, take);
            let contactable = !is_true(patch.get("do_not_contact").or_else(|| mine.get("do_not_contact")));
            // The other lead goes first (its email is then free for the kept one), then the kept
            // lead takes its new values, then the records move: each record meets the lead as it
            // now is (a client record a won lead, a campaign a lead that may be contacted).
            tx.delete("leads", other)?;
            // Becoming a person not to be contacted ends the kept lead's own campaigns too: ended
            // here, so the Undo brings them back (the update would end them unrecorded).
            let mut ended = Vec::new();
            if !contactable && !is_true(mine.get("do_not_contact")) {
                for id in tx.end_outreach(keep)? {
                    ended.push(RowRef { table: "campaign_leads".into(), id, column: "lead_id".into() });
                }
            }
            let changes = if patch.is_empty() {
                Vec::new()
            } else {
                let (before, after) = tx.carrying_values(|tx| tx.update_before_after("leads", keep, patch))?;
                after
                    .into_iter()
                    .map(|(field, after)| {
                        let before = before.get(&field).cloned().unwrap_or(Value::Null);
                        FieldChange { field, before, after }
                    })
                    .collect()
            };
            let (moved, mut closed, reopened) = move_records(tx, keep, other, contactable)?;
            closed.extend(ended);
            let done = Merged { kept: keep.into(), merged: other.into(), changes, moved, closed, reopened };
            let text = serde_json::to_string(&done).map_err(|e| Error::Io(std::io::Error::other(e)))?;
            tx.conn().execute(
                "INSERT INTO lead_merges (merged, created_at) VALUES (?1, ?2)",
                (text, tx.now().to_string()),
            )?;
            Ok(MergeDone { id: tx.conn().last_insert_rowid(), moved: done.moved.len(), closed: done.closed.len() })
        })
    }

    /// Takes merge `id` back: the kept lead's fields get their values back (those changed again
    /// since stay, and are named), the other lead comes back with its records. Once.
    pub fn unmerge_leads(&mut self, id: i64) -> Result<Unmerged> {
        self.write(|tx| {
            let text: Option<String> =
                tx.conn().query_row("SELECT merged FROM lead_merges WHERE id = ?1", [id], |r| r.get(0)).optional()?;
            let Some(text) = text else {
                return Err(Error::AlreadyDone("this merge was already undone".into()));
            };
            let m: Merged = serde_json::from_str(&text).map_err(|e| Error::invalid("leads", "", e.to_string()))?;
            let now =
                match tx.get("leads", &m.kept)? {
                    Some(row) if row.get("deleted_at").is_none_or(Value::is_null) => row,
                    _ => return Err(Error::invalid(
                        "leads",
                        "",
                        "the lead it was merged into has been deleted since: bring it back from Recently deleted first",
                    )),
                };
            let mut patch = Map::new();
            let mut changed_since = Vec::new();
            let mut cleared = Vec::new();
            // A do-not-contact mark the merge brought goes back with the person it was theirs —
            // while it has not left this laptop (the rules let only a merge's Undo clear one, see
            // rules.rs). Once on the team's server it stays: the server keeps every opt-out.
            let opt_out_here_only = opt_out_unsent(tx, &m.kept)?;
            let leads = tx.catalog().table("leads")?.clone();
            for c in &m.changes {
                let holds = now.get(&c.field).cloned().unwrap_or(Value::Null);
                if c.field == "do_not_contact" && !opt_out_here_only {
                    changed_since.push(c.field.clone());
                } else if holds == c.after {
                    // A list or owner gone since is given back as none (it cannot be pointed at).
                    let parent = leads.column(&c.field).and_then(|col| col.references.as_deref());
                    let gone = match (parent, c.before.as_str()) {
                        (Some(parent), Some(id)) => !live_parent(tx.conn(), parent, id),
                        _ => false,
                    };
                    if gone {
                        cleared.push(c.field.clone());
                    }
                    patch.insert(c.field.clone(), if gone { Value::Null } else { c.before.clone() });
                } else {
                    changed_since.push(c.field.clone());
                }
            }
            if !patch.is_empty() {
                tx.carrying_values(|tx| tx.update("leads", &m.kept, patch))?;
            }
            tx.restore("leads", &m.merged)?;
            let mut stayed = 0;
            for r in &m.moved {
                let points_here = tx.get(&r.table, &r.id)?.is_some_and(|row| {
                    row.get(&r.column).and_then(Value::as_str) == Some(m.kept.as_str())
                        && row.get("deleted_at").is_none_or(Value::is_null)
                });
                if points_here {
                    let back = Map::from_iter([(r.column.clone(), Value::from(m.merged.clone()))]);
                    match tx.update(&r.table, &r.id, back) {
                        Ok(_) => {}
                        Err(Error::DoNotContact { .. }) => stayed += 1,
                        Err(e) => return Err(e),
                    }
                }
            }
            for r in &m.reopened {
                if tx.get(&r.table, &r.id)?.is_some_and(|row| row.get("deleted_at").is_none_or(Value::is_null)) {
                    tx.delete(&r.table, &r.id)?;
                }
            }
            for r in &m.closed {
                match tx.restore(&r.table, &r.id) {
                    Ok(_) => {}
                    // The lead kept its opt-out (it reached the server): its campaigns stay ended.
                    Err(Error::DoNotContact { .. }) => stayed += 1,
                    Err(e) => return Err(e),
                }
            }
            tx.conn().execute("DELETE FROM lead_merges WHERE id = ?1", [id])?;
            Ok(Unmerged { changed_since, stayed, cleared })
        })
    }
}

/// Whether lead `id`'s do-not-contact mark is a change no push has read yet: the lead itself not
/// sent yet, or its pending change of the mark starting from "not marked".
fn opt_out_unsent(tx: &Tx<'_>, id: &str) -> Result<bool> {
    Ok(tx.conn().query_row(
        "SELECT EXISTS (SELECT 1 FROM outbox o WHERE o.table_name = 'leads' AND o.row_id = ?1 AND o.sent = 0
           AND (o.op = 'insert' OR EXISTS (SELECT 1 FROM outbox_fields f WHERE f.outbox_id = o.id
             AND f.column_name = 'do_not_contact' AND NOT f.base_value)))",
        [id],
        |r| r.get(0),
    )?)
}

/// The kept lead's new values: the plan's (the duplicate mark already settled there), the other's
/// where the rep took it, and a losing email or phone kept as a custom field — after both leads'
/// own custom fields, so an "Other email" one of them had is kept too.
fn merged_values(mine: &Row, fields: &[MergeField], take: &[String]) -> Row {
    let mut patch = Map::new();
    let mut custom = object(mine.get("custom_fields"));
    let mut lost = Vec::new();
    for f in fields {
        let taken = f.how == FieldMerge::Choice && take.contains(&f.field);
        let value = if taken { f.theirs.clone() } else { f.result.clone() };
        if f.how == FieldMerge::Choice {
            if let Some((_, label)) = KEPT_AS_CUSTOM.iter().find(|(c, _)| *c == f.field) {
                lost.push((*label, if taken { f.mine.clone() } else { f.theirs.clone() }));
            }
        }
        if f.field == "custom_fields" {
            custom = object(Some(&value));
        } else if value != f.mine {
            patch.insert(f.field.clone(), value);
        }
    }
    for (label, value) in lost {
        keep_aside(&mut custom, label, &value);
    }
    if Value::Object(custom.clone()) != *mine.get("custom_fields").unwrap_or(&Value::Null) {
        patch.insert("custom_fields".into(), Value::Object(custom));
    }
    patch
}

/// The importer made one of the two for the other's email or LinkedIn profile: one lead again, its
/// possible-duplicate tag and the email it kept aside go (in the plan, so the dialog shows it).
fn settle_duplicate(fields: &mut [MergeField], mine: &Row, theirs: &Row) {
    // A lead's addresses: its email, and those merges kept aside ("Other email", "Other email 2").
    let addresses = |row: &Row| -> Vec<String> {
        let custom = object(row.get("custom_fields"));
        let aside = custom.iter().filter(|(k, _)| k.starts_with("Other email")).filter_map(|(_, v)| v.as_str());
        row.get("email").and_then(Value::as_str).into_iter().chain(aside).map(str::to_lowercase).collect()
    };
    let pointer = |row: &Row| {
        object(row.get("custom_fields")).get(DUPLICATE_EMAIL).and_then(Value::as_str).map(str::to_lowercase)
    };
    let profile = |row: &Row| row.get("linkedin_url").and_then(Value::as_str).map(crate::rules::linkedin_profile);
    let same_profile = profile(mine).is_some_and(|p| !p.is_empty() && Some(&p) == profile(theirs).as_ref());
    let pair = same_profile
        || [(mine, theirs), (theirs, mine)]
            .iter()
            .any(|(a, b)| pointer(a).is_some_and(|d| !d.is_empty() && addresses(b).contains(&d)));
    if !pair {
        return;
    }
    for f in fields.iter_mut() {
        let removed = match (f.field.as_str(), &mut f.result) {
            ("tags", Value::Array(tags)) => {
                let before = tags.len();
                tags.retain(|t| !t.as_str().is_some_and(|s| s.eq_ignore_ascii_case(DUPLICATE_TAG)));
                tags.len() < before
            }
            ("custom_fields", Value::Object(custom)) => custom.remove(DUPLICATE_EMAIL).is_some(),
            _ => false,
        };
        if removed {
            f.how = FieldMerge::Settled;
        }
    }
}

/// Keeps `value` under `label` ("Other email"), or "Other email 2" and on when that is taken by
/// another value: a third lead merged in keeps its address too.
fn keep_aside(custom: &mut Map<String, Value>, label: &str, value: &Value) {
    let blank = value.as_str().is_none_or(|s| s.trim().is_empty());
    if blank || custom.values().any(|v| same(v, value)) {
        return;
    }
    let free = (1..)
        .map(|n| if n == 1 { label.to_string() } else { format!("{label} {n}") })
        .find(|k| !custom.contains_key(k));
    if let Some(key) = free {
        custom.insert(key, value.clone());
    }
}

/// The two leads' rows, both live and not the same lead; `get` reads a row (the store's or a
/// transaction's).
fn two_leads(get: impl Fn(&str) -> Result<Option<Row>>, keep: &str, other: &str) -> Result<(Row, Row)> {
    if keep == other {
        return Err(Error::invalid("leads", "id", "a lead cannot be merged with itself"));
    }
    let live = |id: &str| -> Result<Row> {
        match get(id)? {
            Some(row) if row.get("deleted_at").is_none_or(Value::is_null) => Ok(row),
            _ => Err(not_found(id)),
        }
    };
    Ok((live(keep)?, live(other)?))
}

fn live_parent(conn: &rusqlite::Connection, parent: &str, id: &str) -> bool {
    let sql = format!("SELECT 1 FROM \"{parent}\" WHERE id = ?1 AND deleted_at IS NULL");
    conn.prepare_cached(&sql).and_then(|mut s| s.exists([id])).unwrap_or(false)
}

/// The synced tables' columns that name a lead (activities, campaign memberships, tasks…), of the
/// tables the laptop writes and whose rows can be deleted.
fn lead_references(catalog: &crate::catalog::Catalog) -> Vec<(&Table, String)> {
    let mut refs = Vec::new();
    let writable = |t: &&Table| {
        t.name != "leads" && t.writable && t.writable_columns.is_none() && t.column("deleted_at").is_some()
    };
    for t in catalog.tables().into_iter().filter(writable) {
        for c in t.columns.iter().filter(|c| c.references.as_deref() == Some("leads")) {
            refs.push((t, c.name.clone()));
        }
    }
    refs
}

type Moves = (Vec<RowRef>, Vec<RowRef>, Vec<RowRef>);

/// Points the other lead's live records at the kept lead. A record whose unique key the kept lead
/// already holds (a membership of the same campaign) ends instead, and the kept lead's own, if
/// deleted, comes back with the other's values; for a person not to be contacted, campaign
/// memberships and emails waiting to go end too (the rules refuse them).
fn move_records(tx: &mut Tx<'_>, keep: &str, other: &str, contactable: bool) -> Result<Moves> {
    let (mut moved, mut closed, mut reopened) = (Vec::new(), Vec::new(), Vec::new());
    for (t, column) in lead_references(tx.catalog()) {
        let ids: Vec<(String, Option<String>)> = tx
            .conn()
            .prepare(&format!(
                "SELECT id, {} FROM \"{}\" WHERE \"{column}\" = ?1 AND deleted_at IS NULL ORDER BY rowid",
                if t.name == "emails" { "status" } else { "NULL" },
                t.name
            ))?
            .query_map([other], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, status) in ids {
            let at = RowRef { table: t.name.clone(), id: id.clone(), column: column.clone() };
            let waiting_to_go = matches!(status.as_deref(), Some("queued"));
            if !contactable && waiting_to_go {
                tx.delete(&t.name, &id)?;
                closed.push(at);
                continue;
            }
            match twin(tx, t, &column, &id, keep)? {
                None => match tx.update(&t.name, &id, Map::from_iter([(column.clone(), Value::from(keep))])) {
                    Ok(_) => moved.push(at),
                    Err(Error::DoNotContact { .. }) => {
                        tx.delete(&t.name, &id)?;
                        closed.push(at);
                    }
                    Err(e) => return Err(e),
                },
                Some((twin_id, twin_live)) => {
                    if !twin_live && contactable {
                        let row = tx.get(&t.name, &id)?.unwrap_or_default();
                        tx.restore(&t.name, &twin_id)?;
                        let values: Map<String, Value> = row
                            .into_iter()
                            .filter(|(k, _)| *k != column && t.rep_may_write(k) && !in_unique_key(t, k))
                            .collect();
                        tx.update(&t.name, &twin_id, values)?;
                        reopened.push(RowRef { table: t.name.clone(), id: twin_id, column: column.clone() });
                    }
                    tx.delete(&t.name, &id)?;
                    closed.push(at);
                }
            }
        }
    }
    Ok((moved, closed, reopened))
}

fn in_unique_key(t: &Table, column: &str) -> bool {
    t.unique_keys.iter().any(|k| k.exprs.iter().any(|e| e == column))
}

/// The kept lead's row (and whether it is live) that holds the same unique key as row `id` would
/// once moved, for a table with a unique key over the lead column and plain columns.
fn twin(tx: &Tx<'_>, t: &Table, column: &str, id: &str, keep: &str) -> Result<Option<(String, bool)>> {
    for key in t.unique_keys.iter().filter(|k| k.exprs.iter().any(|e| e == column)) {
        let same: Vec<String> = key
            .exprs
            .iter()
            .filter(|e| *e != column && t.column(e).is_some())
            .map(|e| format!("\"{e}\" IS (SELECT \"{e}\" FROM \"{}\" WHERE id = ?2)", t.name))
            .collect();
        let cond = if same.is_empty() { String::new() } else { format!(" AND {}", same.join(" AND ")) };
        let found = tx
            .conn()
            .query_row(
                &format!("SELECT id, deleted_at IS NULL FROM \"{}\" WHERE \"{column}\" = ?1{cond}", t.name),
                [keep, id],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)),
            )
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// Each field either lead has a value for, with how it merges. `live` says whether a referenced
/// row is there (a list or an owner deleted since is no value to take).
fn plan_fields(t: &Table, mine: &Row, theirs: &Row, live: impl Fn(&str, &str) -> bool) -> Vec<MergeField> {
    let dnc = is_true(mine.get("do_not_contact")) || is_true(theirs.get("do_not_contact"));
    let mut out = Vec::new();
    for c in t.columns.iter().filter(|c| t.rep_may_write(&c.name) && c.name != "import_id") {
        let m = mine.get(&c.name).cloned().unwrap_or(Value::Null);
        let mut o = theirs.get(&c.name).cloned().unwrap_or(Value::Null);
        if let (Some(parent), Some(id)) = (c.references.as_deref(), o.as_str()) {
            if !live(parent, id) {
                o = Value::Null;
            }
        }
        // Not to be contacted: the lead cannot move on to an outreach status (rules.rs).
        if c.name == "status" && dnc && o.as_str().is_some_and(|s| crate::rules::OUTREACH_STATUSES.contains(&s)) {
            o = Value::Null;
        }
        let (m_empty, o_empty) = (is_empty(c, &m), is_empty(c, &o));
        if m_empty && o_empty {
            continue;
        }
        let counted = matches!(c.name.as_str(), "reply_count" | "emails_sent_count");
        let (result, how) = if counted && !m_empty && !o_empty {
            (combine(c, &m, &o).unwrap_or_else(|| m.clone()), FieldMerge::Combined)
        } else if o_empty || same(&m, &o) {
            (m.clone(), FieldMerge::Same)
        } else if m_empty {
            (o.clone(), FieldMerge::Filled)
        } else {
            combine(c, &m, &o).map_or((m.clone(), FieldMerge::Choice), |v| (v, FieldMerge::Combined))
        };
        out.push(MergeField { field: c.name.clone(), mine: m, theirs: o, result, how });
    }
    out
}

/// Both values in one, for the fields where both are kept.
fn combine(c: &Column, mine: &Value, theirs: &Value) -> Option<Value> {
    match (c.name.as_str(), mine, theirs) {
        ("tags", Value::Array(a), Value::Array(b)) => {
            let mut all = a.clone();
            for t in b {
                if !all.iter().any(|x| same(x, t)) {
                    all.push(t.clone());
                }
            }
            Some(Value::Array(all))
        }
        ("custom_fields", Value::Object(a), Value::Object(b)) => {
            let mut all = a.clone();
            for (k, v) in b {
                match all.get(k) {
                    None => {
                        all.insert(k.clone(), v.clone());
                    }
                    // Both leads had the field, with other values: the other's is kept beside it.
                    Some(mine) if !same(mine, v) => keep_aside(&mut all, &format!("{k} (merged)"), v),
                    Some(_) => {}
                }
            }
            Some(Value::Object(all))
        }
        ("notes", Value::String(a), Value::String(b)) => Some(Value::String(format!("{a}\n\n{b}"))),
        // An address that bounced or unsubscribed says so whichever lead learnt it.
        ("email_status", _, Value::String(b)) if b == "unsubscribed" || b == "bounced" => Some(theirs.clone()),
        ("reply_count" | "emails_sent_count", Value::Number(a), Value::Number(b)) => {
            Some(Value::from(a.as_i64().unwrap_or(0).saturating_add(b.as_i64().unwrap_or(0))))
        }
        ("last_contacted_at" | "last_reply_at", Value::String(a), Value::String(b)) => {
            Some(Value::String(if b > a { b.clone() } else { a.clone() }))
        }
        _ => None,
    }
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(a), Value::String(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        _ => a == b,
    }
}

fn is_true(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Bool(true))) || v.and_then(Value::as_i64) == Some(1)
}

/// No value, a blank one, or the column's default (a lead's "new" status, a zero count): nothing
/// a rep entered or the lead earned.
fn is_empty(c: &Column, v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) if s.trim().is_empty() => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        v => default_of(c).is_some_and(|d| d == *v),
    }
}

fn default_of(c: &Column) -> Option<Value> {
    let d = c.default.as_deref()?.trim();
    let text = d.strip_prefix('\'').and_then(|s| s.strip_suffix('\''));
    match (c.kind, text) {
        (Kind::Text, Some(s)) => Some(Value::String(s.to_string())),
        (Kind::Bool, None) => Some(Value::Bool(d == "1")),
        (Kind::Integer, None) => d.parse::<i64>().ok().map(Value::from),
        _ => None,
    }
}

fn object(v: Option<&Value>) -> Map<String, Value> {
    match v {
        Some(Value::Object(o)) => o.clone(),
        _ => Map::new(),
    }
}

fn not_found(id: &str) -> Error {
    Error::NotFound { table: "leads".into(), id: id.into() }
}
