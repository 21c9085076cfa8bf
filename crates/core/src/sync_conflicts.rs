//! Conflicts and rejected changes as the rep sees and settles them: keep mine, keep theirs, a value
//! of the rep's own; retry or discard a change the server refused.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::values::Row;
use crate::{time, Store};

/// What a row is called, whatever its table: its name-like columns.
pub fn label_of(row: &Row) -> Option<String> {
    let text = |c: &str| row.get(c).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    let person = [text("first_name"), text("last_name")].into_iter().flatten().collect::<Vec<_>>().join(" ");
    text("full_name")
        .map(str::to_string)
        .or((!person.is_empty()).then_some(person))
        .or_else(|| ["name", "title", "subject", "email"].into_iter().find_map(text).map(str::to_string))
}

/// A conflict waiting for the rep, as the conflicts inbox shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenConflict {
    pub id: i64,
    pub table: String,
    pub row_id: String,
    pub column: String,
    pub base: Value,
    pub mine: Value,
    pub theirs: Value,
    pub detected_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejection {
    pub id: i64,
    pub table: String,
    pub row_id: String,
    pub op: String,
    pub code: Option<String>,
    pub reason: String,
    pub rejected_at: String,
    /// What the record is called: the row's name-like columns, or the refused change's when the
    /// row is no longer here (a new lead the server refused leaves this computer).
    pub label: Option<String>,
    /// What the rep's change said, field by field (the values an edit set, a new record's own):
    /// a record gone from this computer (moved out of the rep's reach) keeps them nowhere else.
    pub changed: Vec<(String, Value)>,
    /// The record to open for it: its own row while it is here, else the one on the server that
    /// holds its key (a new lead refused for a teammate's with its email); None when neither is
    /// here.
    pub opens: Option<String>,
}

/// The refused change's own values, by column, without the bookkeeping a row carries.
fn changed_values(sent: Option<&Value>) -> Vec<(String, Value)> {
    const BOOKKEEPING: [&str; 9] = [
        "id",
        "organization_id",
        "created_by",
        "created_at",
        "updated_at",
        "version",
        "deleted_at",
        "import_id",
        "search_vector",
    ];
    let Some(sent) = sent else { return Vec::new() };
    let values: Vec<(String, Value)> = match (sent["fields"].as_object(), sent["row"].as_object()) {
        (Some(fields), _) => {
            fields.iter().map(|(c, f)| (c.clone(), f.get("new").cloned().unwrap_or(Value::Null))).collect()
        }
        (None, Some(row)) => row
            .iter()
            .filter(|(c, v)| !v.is_null() && !BOOKKEEPING.contains(&c.as_str()) && !c.ends_with("_id"))
            .filter(|(_, v)| {
                !matches!(v, Value::Array(a) if a.is_empty()) && !matches!(v, Value::Object(o) if o.is_empty())
            })
            .map(|(c, v)| (c.clone(), v.clone()))
            .collect(),
        (None, None) => Vec::new(),
    };
    values
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    Mine,
    Theirs,
}

impl Keep {
    /// What settling `c` this way writes: mine again, or nothing (the row holds theirs).
    fn value(self, c: &OpenConflict) -> Option<Value> {
        match self {
            Keep::Theirs => None,
            Keep::Mine => Some(c.mine.clone()),
        }
    }
}

impl Store {
    pub fn open_conflicts(&self) -> Result<Vec<OpenConflict>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, table_name, row_id, column_name, base_value, mine, theirs, detected_at FROM sync_conflicts
             WHERE resolved_at IS NULL ORDER BY id",
        )?;
        let json = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or(Value::Null);
        let rows = stmt.query_map([], |r| {
            Ok(OpenConflict {
                id: r.get(0)?,
                table: r.get(1)?,
                row_id: r.get(2)?,
                column: r.get(3)?,
                base: json(r.get(4)?),
                mine: json(r.get(5)?),
                theirs: json(r.get(6)?),
                detected_at: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn open_rejections(&self) -> Result<Vec<Rejection>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, table_name, row_id, op, code, reason, rejected_at, change FROM sync_rejected WHERE resolved_at IS NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            let change: Option<String> = r.get(7)?;
            let sent = change.and_then(|c| serde_json::from_str::<Value>(&c).ok());
            let label = sent.as_ref().and_then(|c| c["row"].as_object()).and_then(label_of);
            let changed = changed_values(sent.as_ref());
            Ok(Rejection {
                id: r.get(0)?,
                table: r.get(1)?,
                row_id: r.get(2)?,
                op: r.get(3)?,
                code: r.get(4)?,
                reason: r.get(5)?,
                rejected_at: r.get(6)?,
                label,
                changed,
                // (The holder for now: see below.)
                opens: sent.as_ref().and_then(|c| c["holder"].as_str()).map(str::to_string),
            })
        })?;
        let mut found: Vec<Rejection> = rows.collect::<rusqlite::Result<_>>()?;
        for r in &mut found {
            let live = |row: &Row| row.get("deleted_at").is_none_or(Value::is_null);
            if let Some(now) = self.get(&r.table, &r.row_id)? {
                r.label = label_of(&now).or(r.label.take());
                if live(&now) {
                    r.opens = Some(r.row_id.clone());
                    continue;
                }
            }
            let found = match &r.opens {
                Some(h) => self.get(&r.table, h)?,
                None => None,
            };
            // Deleted since: trying again adds the rep's record as a new one (see retry_rejection).
            if let (Some(h), Some(_)) = (&r.opens, found.as_ref().filter(|row| !live(row))) {
                r.reason = r
                    .reason
                    .replace(&format!("({h})"), "(deleted since)")
                    .replace("trying again adds your details to it", "trying again adds yours as a new one");
            }
            // The holder came with a pull since: named as the rep knows it, not by its id.
            match (&r.opens, found.filter(live)) {
                (Some(h), Some(row)) => {
                    if let Some(name) = label_of(&row) {
                        r.reason = r.reason.replace(&format!("({h})"), &format!("(“{name}”)"));
                    }
                }
                _ => r.opens = None,
            }
        }
        Ok(found)
    }

    /// Keep theirs: the row already holds the server's value. Keep mine: write my value again, as a
    /// new local edit based on theirs, which the next sync pushes.
    pub fn resolve_conflict(&mut self, id: i64, keep: Keep) -> Result<()> {
        let c = self.open_conflict(id)?;
        self.settle_conflict(&c, keep.value(&c))
    }

    /// Every open conflict settled the same way (after a bulk edit met a teammate's). Each in its
    /// own transaction, as one by one; one that cannot be settled (its row deleted here since) is
    /// left open and the rest go on. Returns how many were settled and how many were left open with
    /// the first one's reason, or that refusal if none was settled.
    pub fn resolve_all_conflicts(&mut self, keep: Keep) -> Result<(usize, usize, Option<Error>)> {
        let (mut settled, mut left, mut refused) = (0, 0, None);
        for c in self.open_conflicts()? {
            match self.settle_conflict(&c, keep.value(&c)) {
                Ok(()) => settled += 1,
                Err(e) if e.is_refusal() || matches!(e, Error::AlreadyDone(_)) => {
                    left += 1;
                    refused = refused.or(Some(e));
                }
                Err(e) => return Err(e),
            }
        }
        match refused {
            Some(e) if settled == 0 => Err(e),
            why => Ok((settled, left, why)),
        }
    }

    /// Neither side: the rep typed a third value, pushed like any edit.
    pub fn resolve_conflict_with(&mut self, id: i64, value: Value) -> Result<()> {
        let c = self.open_conflict(id)?;
        if c.column == "deleted_at" {
            return Err(Error::Invalid {
                table: c.table,
                column: c.column,
                reason: "a deletion is kept or undone, not edited".into(),
            });
        }
        self.settle_conflict(&c, Some(value))
    }

    /// What the inbox calls a row: its name-like columns, whatever the table.
    pub fn row_label(&self, table: &str, id: &str) -> Result<Option<String>> {
        Ok(self.get(table, id)?.as_ref().and_then(label_of))
    }

    fn open_conflict(&self, id: i64) -> Result<OpenConflict> {
        if let Some(open) = self.open_conflicts()?.into_iter().find(|c| c.id == id) {
            return Ok(open);
        }
        let settled: bool =
            self.conn().query_row("SELECT EXISTS (SELECT 1 FROM sync_conflicts WHERE id = ?1)", [id], |r| r.get(0))?;
        Err(if settled {
            // (A choice made on a card whose "theirs" a sync moved on: see sync_theirs.)
            Error::AlreadyDone(
                "this conflict was settled, or the teammate's value changed again since: look at it again as it is now"
                    .into(),
            )
        } else {
            Error::NotFound { table: "sync_conflicts".into(), id: id.to_string() }
        })
    }

    /// `value` None keeps theirs (the row already holds it); Some writes it as a new local edit.
    fn settle_conflict(&mut self, c: &OpenConflict, value: Option<Value>) -> Result<()> {
        let now = time::now();
        let resolution = if value.is_some() { "mine" } else { "theirs" };
        self.write(|tx| {
            match (value, c.column.as_str()) {
                (None, _) => {}
                // A delete that raced someone's edit: deleting again is a new decision.
                (Some(Value::Null), "deleted_at") => {
                    tx.restore(&c.table, &c.row_id)?;
                }
                (Some(_), "deleted_at") => tx.delete(&c.table, &c.row_id)?,
                (Some(v), _) => {
                    // A record deleted here since: "no lead …" said nothing of what to do.
                    if tx.get(&c.table, &c.row_id)?.is_some_and(|r| !r["deleted_at"].is_null()) {
                        return Err(Error::AlreadyDone(format!(
                            "this {} was deleted here since the conflict: restore it first (Undo, or `outpost leads restore`), or keep theirs",
                            crate::error::thing(&c.table)
                        )));
                    }
                    let mut patch = Map::new();
                    patch.insert(c.column.clone(), v);
                    tx.update(&c.table, &c.row_id, patch)?;
                }
            }
            tx.conn().execute(
                "UPDATE sync_conflicts SET resolved_at = ?1, resolution = ?2 WHERE id = ?3",
                (&now, resolution, c.id),
            )?;
            Ok(())
        })
    }

    /// Try a refused change again: what the rep meant (the sent values, or a clash's local row) is
    /// written as a new local edit over the row as it is now, so the next sync sends it once more.
    /// Refused with a reason when nothing would be sent, rather than settled silently.
    pub fn retry_rejection(&mut self, id: i64) -> Result<()> {
        let (table, row_id, change) = self.rejected_change(id)?;
        let waiting: i64 = self.conn().query_row(
            "SELECT count(*) FROM sync_refetch WHERE table_name = ?1 AND row_id = ?2",
            [&table, &row_id],
            |r| r.get(0),
        )?;
        if waiting > 0 {
            return Err(Error::invalid(
                &table,
                "id",
                "this record is still being fetched again from the server; retry after the next sync",
            ));
        }
        let t = self.catalog().table(&table)?.clone();
        let intended: Map<String, Value> = match (change["fields"].as_object(), change["row"].as_object()) {
            (Some(fields), _) => {
                fields.iter().map(|(c, f)| (c.clone(), f.get("new").cloned().unwrap_or(Value::Null))).collect()
            }
            // A unique-key clash found while pulling keeps the whole local row and the edited columns'
            // bases; an insert sent whole keeps its row.
            (None, Some(row)) => match change["bases"].as_object() {
                Some(bases) if change["op"] != "insert" => {
                    bases.keys().map(|c| (c.clone(), row.get(c).cloned().unwrap_or(Value::Null))).collect()
                }
                _ => row.clone(),
            },
            (None, None) => Map::new(),
        };
        let nothing = || {
            Error::AlreadyDone("nothing left to send: the record already has these values — discard this change".into())
        };
        self.write(|tx| {
            let current = tx.get(&table, &row_id)?;
            let live = current.as_ref().is_some_and(|r| r["deleted_at"].is_null());
            // A holder deleted since takes nothing: the rep's lead goes in as a new one below.
            let holder = match change["holder"].as_str() {
                Some(h) if tx.get(&table, h)?.is_some_and(|r| r["deleted_at"].is_null()) => Some(h.to_string()),
                _ => None,
            };
            match (change["op"].as_str(), current) {
                // Edits made before the delete are made again with it.
                (Some("delete"), Some(now)) if live => {
                    let patch: Map<String, Value> =
                        intended.into_iter().filter(|(c, v)| t.rep_may_write(c) && now.get(c) != Some(v)).collect();
                    if !patch.is_empty() {
                        tx.update(&table, &row_id, patch)?;
                    }
                    tx.delete(&table, &row_id)?
                }
                (Some("delete"), _) => return Err(nothing()),
                // A new row whose key the server's row had: the rep's values fill that row's gaps.
                (Some("insert"), None) if holder.is_some() => {
                    if !merge_into_holder(tx, &t, &holder.unwrap_or_default(), intended)? {
                        return Err(nothing());
                    }
                }
                (Some("insert"), None) => {
                    let mut row: Map<String, Value> =
                        intended.clone().into_iter().filter(|(c, _)| t.rep_may_write(c)).collect();
                    crate::rules::set_aside_bad_web_addresses(&mut row, true);
                    row.insert("id".into(), Value::String(row_id.clone()));
                    // An imported lead's insert stays the import's (its undo finds it).
                    let inserted = if row.get("import_id").is_some_and(|v| !v.is_null()) {
                        tx.as_import(|tx| tx.insert(&table, row))
                    } else {
                        tx.insert(&table, row)
                    };
                    match inserted {
                        // The server refused it for a lead the team had (the same email; a lead
                        // made before signing in, sent before the pull met it): the rep's values
                        // fill that lead's gaps, as for a clash found while pulling.
                        Err(Error::DuplicateEmail { existing_id, .. }) => {
                            if !merge_into_holder(tx, &t, &existing_id, intended)? {
                                return Err(nothing());
                            }
                        }
                        other => {
                            other?;
                        }
                    }
                }
                (_, None) => return Err(Error::NotFound { table: table.clone(), id: row_id.clone() }),
                (_, Some(now)) => {
                    let patch: Map<String, Value> =
                        intended.into_iter().filter(|(c, v)| t.rep_may_write(c) && now.get(c) != Some(v)).collect();
                    if patch.is_empty() {
                        return Err(nothing());
                    }
                    tx.update(&table, &row_id, patch)?;
                }
            }
            tx.conn().execute("UPDATE sync_rejected SET resolved_at = ?1 WHERE id = ?2", (time::now(), id))?;
            Ok(())
        })
    }

    /// Give a refused change up: the row keeps the server's copy, fetched again with the next sync
    /// (it may have left this computer when the change was refused, and be visible again since).
    pub fn discard_rejection(&mut self, id: i64) -> Result<()> {
        let (table, row_id, _) = self.rejected_change(id)?;
        self.write(|tx| {
            tx.conn().execute("UPDATE sync_rejected SET resolved_at = ?1 WHERE id = ?2", (time::now(), id))?;
            tx.conn().execute(
                "INSERT OR IGNORE INTO sync_refetch (table_name, row_id) VALUES (?1, ?2)",
                [&table, &row_id],
            )?;
            Ok(())
        })
    }

    fn rejected_change(&self, id: i64) -> Result<(String, String, Value)> {
        let found: Option<(String, String, String)> = self
            .conn()
            .query_row(
                "SELECT table_name, row_id, change FROM sync_rejected WHERE id = ?1 AND resolved_at IS NULL",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (table, row_id, change) =
            found.ok_or_else(|| Error::NotFound { table: "sync_rejected".into(), id: id.to_string() })?;
        Ok((table, row_id, serde_json::from_str(&change).unwrap_or(Value::Null)))
    }
}

/// A column both sides hold differently: its name, mine, theirs.
type Differing = (String, Value, Value);

/// What a rep's values add to a row that already exists: a field it lacks takes the rep's value, tags
/// are joined, notes written on both are kept one after the other, custom fields the row lacks are
/// added; its own values otherwise stay (they are the team's, and may be newer). An opt-out is
/// never lost, and of two last-contact times the later stands. A value both hold differently (the
/// rep's "Dorothy", the team's "Dot"; a custom field's key) is not dropped: it comes back in the
/// second list, column, mine and theirs, for the rep to settle as a conflict — but not a column's
/// default (a new lead's status "new"), the key the rows met on, nor where the lead came from.
fn merged_into(
    t: &crate::catalog::Table,
    now: &Map<String, Value>,
    intended: Map<String, Value>,
) -> (Map<String, Value>, Vec<Differing>) {
    let mut differing = Vec::new();
    let empty = |v: &Value| match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    };
    let mut patch = Map::new();
    for (c, mine) in intended {
        // Who owns it, its team, list or import are the team's routing, not the rep's details.
        let routing = t.column(&c).is_some_and(|col| col.references.is_some());
        if c == "id" || routing || !t.rep_may_write(&c) || empty(&mine) {
            continue;
        }
        let theirs = now.get(&c).cloned().unwrap_or(Value::Null);
        let merged = match (&theirs, &mine) {
            (had, _) if empty(had) => mine,
            (Value::Array(had), Value::Array(add)) => {
                let mut all = had.clone();
                all.extend(add.iter().filter(|v| !had.contains(v)).cloned());
                Value::Array(all)
            }
            (Value::Object(had), Value::Object(add)) => {
                let mut all = had.clone();
                let mut clash = false;
                for (k, v) in add {
                    match had.get(k) {
                        None => {
                            all.insert(k.clone(), v.clone());
                        }
                        Some(h) => clash |= h != v && !empty(v),
                    }
                }
                if clash {
                    // The rep's keys over what the row will hold, against that.
                    let mut mine_all = all.clone();
                    mine_all.extend(add.iter().filter(|(_, v)| !empty(v)).map(|(k, v)| (k.clone(), v.clone())));
                    differing.push((c.clone(), Value::Object(mine_all), Value::Object(all.clone())));
                }
                Value::Object(all)
            }
            (Value::String(had), Value::String(add)) if c == "notes" && !had.contains(add.as_str()) => {
                Value::String(format!("{had}\n\n{add}"))
            }
            (_, add) if c == "do_not_contact" && (*add == Value::Bool(true) || add.as_i64() == Some(1)) => mine,
            (Value::String(had), Value::String(add)) if matches!(c.as_str(), "last_contacted_at" | "last_reply_at") => {
                if add > had {
                    mine
                } else {
                    continue;
                }
            }
            (had, add) => {
                let same = match (had, add) {
                    (Value::String(h), Value::String(a)) => h.trim() == a.trim(),
                    _ => had == add,
                };
                if !(same || c == "email" || c == "source" || c == "do_not_contact" || is_default(t, &c, add)) {
                    differing.push((c, mine.clone(), theirs.clone()));
                }
                continue;
            }
        };
        if merged != theirs {
            patch.insert(c, merged);
        }
    }
    (patch, differing)
}

/// Whether `v` is what the column holds when nobody sets it (a new lead's status "new", score 0).
fn is_default(t: &crate::catalog::Table, column: &str, v: &Value) -> bool {
    let Some(default) = t.column(column).and_then(|c| c.default.clone()) else { return false };
    match v {
        Value::String(s) => default == format!("'{s}'"),
        Value::Number(n) => default == n.to_string(),
        Value::Bool(b) => default == if *b { "1" } else { "0" } || default == b.to_string(),
        _ => false,
    }
}

/// A refused new row's values put into the row that holds its key: only the gaps that row has
/// (`merged_into`). Whether anything was left to write.
fn merge_into_holder(
    tx: &mut crate::Tx<'_>,
    t: &crate::catalog::Table,
    holder: &str,
    intended: Map<String, Value>,
) -> Result<bool> {
    let now =
        tx.get(&t.name, holder)?.ok_or_else(|| Error::NotFound { table: t.name.clone(), id: holder.to_string() })?;
    let (mut patch, differing) = merged_into(t, &now, intended);
    crate::rules::set_aside_bad_web_addresses(&mut patch, false);
    let wrote = !patch.is_empty();
    if wrote {
        tx.update(&t.name, holder, patch)?;
    }
    // After the gaps are written: a local edit of a column settles its open conflicts.
    let version = now.get("version").and_then(Value::as_i64);
    let at = time::now();
    for (column, mine, theirs) in &differing {
        let c = crate::sync_local::Conflict {
            column: column.clone(),
            base: Value::Null,
            mine: mine.clone(),
            theirs: theirs.clone(),
        };
        crate::sync_local::record_conflict(tx.conn(), &t.name, holder, &c, version, &at)?;
    }
    Ok(wrote || !differing.is_empty())
}
