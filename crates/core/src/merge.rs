//! Two leads that are one person made one: the rep keeps one lead, the other's details fill it in
//! (where both have a value the rep picks), its work and history move onto it, and the other is
//! deleted. One transaction; what it changed comes back so an Undo can take it all back.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::catalog::{Column, Kind, Table};
use crate::error::{Error, Result};
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
    /// (table, rows) for each kind of record the other lead has.
    pub moves: Vec<(String, f64)>,
}

/// A row a merge changed besides the two leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RowRef {
    pub table: String,
    pub id: String,
    /// The column that names the lead.
    pub column: String,
}

/// A field of the kept lead a merge changed: what it held and what the merge wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldChange {
    pub field: String,
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Unknown))]
    pub before: Value,
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Unknown))]
    pub after: Value,
}

/// What a merge did, for its Undo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Merged {
    pub kept: String,
    pub merged: String,
    pub changes: Vec<FieldChange>,
    /// Records moved from the other lead to the kept one.
    pub moved: Vec<RowRef>,
    /// The other lead's records deleted because the kept lead had their twin (one membership per
    /// campaign and lead).
    pub closed: Vec<RowRef>,
    /// The kept lead's deleted twins brought back in their place.
    pub reopened: Vec<RowRef>,
}

/// What an Undo of a merge could not put back: fields of the kept lead changed again since, and a
/// do-not-contact mark the merge brought (never cleared).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Unmerged {
    pub changed_since: Vec<String>,
}

/// A tag the importer puts on a lead it made although another lead seemed the same person, and the
/// custom field where it kept the email the other lead has: a merge settles both.
const DUPLICATE_TAG: &str = "possible-duplicate";
const DUPLICATE_EMAIL: &str = "duplicate_email";

/// Fields where the losing value is kept on the lead, in a custom field: a second address or
/// number is how the rep reaches the person.
const KEPT_AS_CUSTOM: [(&str, &str); 2] = [("email", "Other email"), ("phone", "Other phone")];

impl Store {
    /// What merging `other` into `keep` would do.
    pub fn merge_plan(&self, keep: &str, other: &str) -> Result<MergePlan> {
        let (mine, theirs) = two_leads(|id| self.get("leads", id), keep, other)?;
        let t = self.catalog().table("leads")?;
        let fields = plan_fields(t, &mine, &theirs);
        let mut moves = Vec::new();
        for (table, column) in lead_references(self.catalog()) {
            let live = if table.column("deleted_at").is_some() { " AND deleted_at IS NULL" } else { "" };
            let n: i64 = self.conn().query_row(
                &format!("SELECT count(*) FROM \"{}\" WHERE \"{column}\" = ?1{live}", table.name),
                [other],
                |r| r.get(0),
            )?;
            if n > 0 {
                moves.push((table.name.clone(), n as f64));
            }
        }
        Ok(MergePlan { keep: keep.into(), other: other.into(), fields, moves })
    }

    /// Merges `other` into `keep`, taking the other's value for the fields named in `take` (of
    /// those where both have one). The other lead is deleted (Deleted leads can bring it back, as
    /// can [`Store::unmerge_leads`]).
    pub fn merge_leads(&mut self, keep: &str, other: &str, take: &[String]) -> Result<Merged> {
        self.write(|tx| {
            let (mine, theirs) = two_leads(|id| tx.get("leads", id), keep, other)?;
            let t = tx.catalog().table("leads")?;
            let mut patch = Map::new();
            let mut custom = object(mine.get("custom_fields"));
            for f in plan_fields(t, &mine, &theirs) {
                let taken = f.how == FieldMerge::Choice && take.contains(&f.field);
                let value = if taken { f.theirs.clone() } else { f.result.clone() };
                if f.how == FieldMerge::Choice {
                    if let Some((_, label)) = KEPT_AS_CUSTOM.iter().find(|(c, _)| *c == f.field) {
                        let lost = if taken { &f.mine } else { &f.theirs };
                        custom.entry(label.to_string()).or_insert_with(|| lost.clone());
                    }
                }
                if f.field == "custom_fields" {
                    for (k, v) in object(Some(&value)) {
                        custom.entry(k).or_insert(v);
                    }
                } else if value != f.mine {
                    patch.insert(f.field.clone(), value);
                }
            }
            let email = patch.get("email").or_else(|| mine.get("email")).and_then(Value::as_str).unwrap_or("");
            if custom.get(DUPLICATE_EMAIL).and_then(Value::as_str).is_some_and(|d| d.eq_ignore_ascii_case(email)) {
                custom.remove(DUPLICATE_EMAIL);
            }
            if Value::Object(custom.clone()) != *mine.get("custom_fields").unwrap_or(&Value::Null) {
                patch.insert("custom_fields".into(), Value::Object(custom));
            }
            let tags = patch.get("tags").or_else(|| mine.get("tags")).cloned().unwrap_or(Value::Null);
            if let Value::Array(list) = &tags {
                let kept: Vec<Value> = list
                    .iter()
                    .filter(|t| !t.as_str().is_some_and(|s| s.eq_ignore_ascii_case(DUPLICATE_TAG)))
                    .cloned()
                    .collect();
                if kept.len() != list.len() {
                    patch.insert("tags".into(), Value::Array(kept));
                }
            }
            // The other lead goes first: its email is free for the kept one once it is deleted.
            let (moved, closed, reopened) = move_records(tx, keep, other)?;
            tx.delete("leads", other)?;
            let changes = if patch.is_empty() {
                Vec::new()
            } else {
                let (before, after) = tx.update_before_after("leads", keep, patch)?;
                after
                    .into_iter()
                    .map(|(field, after)| {
                        let before = before.get(&field).cloned().unwrap_or(Value::Null);
                        FieldChange { field, before, after }
                    })
                    .collect()
            };
            Ok(Merged { kept: keep.into(), merged: other.into(), changes, moved, closed, reopened })
        })
    }

    /// Takes a merge back: the kept lead's fields get their values back (those changed again since
    /// stay, and are named), the other lead comes back with its records.
    pub fn unmerge_leads(&mut self, m: &Merged) -> Result<Unmerged> {
        self.write(|tx| {
            let t = tx.catalog().table("leads")?;
            let now = tx.get("leads", &m.kept)?.ok_or_else(|| not_found(&m.kept))?;
            let mut patch = Map::new();
            let mut changed_since = Vec::new();
            for c in &m.changes {
                let holds = now.get(&c.field).cloned().unwrap_or(Value::Null);
                // A do-not-contact mark is never cleared (rules.rs): it stays, said as kept.
                if c.field == "do_not_contact" {
                    changed_since.push(c.field.clone());
                } else if holds == c.after {
                    patch.insert(c.field.clone(), c.before.clone());
                } else if t.column(&c.field).is_some() {
                    changed_since.push(c.field.clone());
                }
            }
            if !patch.is_empty() {
                tx.update("leads", &m.kept, patch)?;
            }
            tx.restore("leads", &m.merged)?;
            for r in &m.moved {
                let points_here = tx.get(&r.table, &r.id)?.is_some_and(|row| {
                    row.get(&r.column).and_then(Value::as_str) == Some(m.kept.as_str())
                        && row.get("deleted_at").is_none_or(Value::is_null)
                });
                if points_here {
                    let back = Map::from_iter([(r.column.clone(), Value::from(m.merged.clone()))]);
                    match tx.update(&r.table, &r.id, back) {
                        // The lead coming back is do-not-contact: its campaign membership stays
                        // with the kept lead.
                        Ok(_) | Err(Error::DoNotContact { .. }) => {}
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
                tx.restore(&r.table, &r.id)?;
            }
            Ok(Unmerged { changed_since })
        })
    }
}

/// The two leads' rows, both live and not the same lead; `get` reads a row (the store's or a
/// transaction's).
fn two_leads(
    get: impl Fn(&str) -> Result<Option<Map<String, Value>>>,
    keep: &str,
    other: &str,
) -> Result<(Map<String, Value>, Map<String, Value>)> {
    if keep == other {
        return Err(Error::invalid("leads", "id", "a lead cannot be merged with itself"));
    }
    let live = |id: &str| -> Result<Map<String, Value>> {
        match get(id)? {
            Some(row) if row.get("deleted_at").is_none_or(Value::is_null) => Ok(row),
            _ => Err(not_found(id)),
        }
    };
    Ok((live(keep)?, live(other)?))
}

/// The synced tables' columns that name a lead (activities, campaign memberships, tasks…).
fn lead_references(catalog: &crate::catalog::Catalog) -> Vec<(&Table, String)> {
    let mut refs = Vec::new();
    for t in catalog.tables().into_iter().filter(|t| t.name != "leads" && t.writable && t.writable_columns.is_none()) {
        for c in t.columns.iter().filter(|c| c.references.as_deref() == Some("leads")) {
            refs.push((t, c.name.clone()));
        }
    }
    refs
}

type Moves = (Vec<RowRef>, Vec<RowRef>, Vec<RowRef>);

/// Points the other lead's live records at the kept lead. A record whose unique key the kept lead
/// already holds (a membership of the same campaign) is deleted instead; the kept lead's own, if
/// deleted, comes back with the other's values.
fn move_records(tx: &mut Tx<'_>, keep: &str, other: &str) -> Result<Moves> {
    let (mut moved, mut closed, mut reopened) = (Vec::new(), Vec::new(), Vec::new());
    for (t, column) in lead_references(tx.catalog()) {
        let live = if t.column("deleted_at").is_some() { " AND deleted_at IS NULL" } else { "" };
        let ids: Vec<String> = tx
            .conn()
            .prepare(&format!("SELECT id FROM \"{}\" WHERE \"{column}\" = ?1{live} ORDER BY rowid", t.name))?
            .query_map([other], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            let at = RowRef { table: t.name.clone(), id: id.clone(), column: column.clone() };
            match twin(tx, t, &column, &id, keep)? {
                None => match tx.update(&t.name, &id, Map::from_iter([(column.clone(), Value::from(keep))])) {
                    Ok(_) => moved.push(at),
                    // A campaign membership cannot go to a do-not-contact lead: it ends here.
                    Err(Error::DoNotContact { .. }) => {
                        tx.delete(&t.name, &id)?;
                        closed.push(at);
                    }
                    Err(e) => return Err(e),
                },
                Some((twin_id, twin_live)) => {
                    if !twin_live {
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

/// Each field either lead has a value for, with how it merges.
fn plan_fields(t: &Table, mine: &Map<String, Value>, theirs: &Map<String, Value>) -> Vec<MergeField> {
    let mut out = Vec::new();
    for c in t.columns.iter().filter(|c| t.rep_may_write(&c.name) && c.name != "import_id") {
        let m = mine.get(&c.name).cloned().unwrap_or(Value::Null);
        let o = theirs.get(&c.name).cloned().unwrap_or(Value::Null);
        let (m_empty, o_empty) = (is_empty(c, &m), is_empty(c, &o));
        if m_empty && o_empty {
            continue;
        }
        let (result, how) = if o_empty || same(&m, &o) {
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
                let known = all.iter().any(|x| match (x.as_str(), t.as_str()) {
                    (Some(x), Some(t)) => x.eq_ignore_ascii_case(t),
                    _ => x == t,
                });
                if !known {
                    all.push(t.clone());
                }
            }
            Some(Value::Array(all))
        }
        ("custom_fields", Value::Object(a), Value::Object(b)) => {
            let mut all = a.clone();
            for (k, v) in b {
                all.entry(k.clone()).or_insert_with(|| v.clone());
            }
            Some(Value::Object(all))
        }
        ("notes", Value::String(a), Value::String(b)) => Some(Value::String(format!("{a}\n\n{b}"))),
        ("do_not_contact" | "email_opt_out", _, Value::Bool(true)) => Some(Value::Bool(true)),
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
