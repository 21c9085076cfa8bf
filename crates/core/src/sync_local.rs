//! The store's side of sync: reading the outbox for a push, acknowledging what the server took,
//! recording conflicts and rejections, and applying pulled rows with capture off — all generic over
//! the catalog, one SQLite transaction per step, so a crash at any point loses nothing.

use std::collections::HashSet;
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::catalog::Table;
use crate::error::{Error, Result};
use crate::values::{from_sql, row_from_sql, select_list, to_sql, Row};
use crate::{rows, time, Store};

/// One pending local change, as the push needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub seq: i64,
    pub table: String,
    pub row_id: String,
    pub op: String,
    pub base_version: Option<i64>,
    /// The row as it is now (None if it was hard-deleted locally).
    pub row: Option<Row>,
    /// Changed columns with their values before the first local edit (updates only).
    pub bases: Map<String, Value>,
}

/// What the server said about one change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub seq: i64,
    pub table: String,
    pub id: String,
    /// applied | conflict | rejected
    pub status: String,
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "ConflictSent")]
pub struct Conflict {
    pub column: String,
    pub base: Value,
    pub mine: Value,
    pub theirs: Value,
}

/// A conflict as sync_push answers it: an object or array of theirs comes as its JSON text
/// (`theirs_json`), parsed here on its own within serde_json's depth limit; one nested deeper
/// stays text rather than making the whole answer unreadable.
#[derive(Deserialize)]
struct ConflictSent {
    column: String,
    base: Value,
    mine: Value,
    #[serde(default)]
    theirs: Value,
    #[serde(default)]
    theirs_json: Option<String>,
}

impl From<ConflictSent> for Conflict {
    fn from(c: ConflictSent) -> Conflict {
        let theirs = match c.theirs_json {
            Some(text) => crate::values::json_from_text(text),
            None => c.theirs,
        };
        Conflict { column: c.column, base: c.base, mine: c.mine, theirs }
    }
}

/// A row or a deletion from the server.
#[derive(Debug, Clone, PartialEq)]
pub enum Pulled {
    Upsert {
        table: String,
        row: Row,
    },
    /// A row as pull pages send it: its values in the order of `columns`, which every row of the
    /// table in the page shares (no names per row to read, look up and free).
    Values {
        table: String,
        id: String,
        columns: Arc<[String]>,
        values: Vec<Value>,
    },
    Delete {
        table: String,
        id: String,
    },
}

/// Where the next pull starts: the server's epoch and the last (_xid, id) applied.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    pub epoch: Option<String>,
    pub xid: Option<String>,
    pub id: Option<String>,
    /// The horizon of the last completed pull: every change below it has been seen.
    #[serde(default)]
    pub seen_below: Option<String>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    pub upserted: usize,
    pub deleted: usize,
    /// Rows kept as they are because the rep has unpushed changes to them.
    pub kept_pending: usize,
    /// Local rows moved aside because a pulled row took their unique key (e.g. an email).
    pub displaced: usize,
    /// Of those, unpushed changes that became rejected changes.
    pub rejected: usize,
}

/// The push batch sent last, until its answer is recorded (see [`Store::record_push`]).
const PUSH_IN_FLIGHT: &str = "push_in_flight";
/// The change last sent alone that the server gave up on, and how many times in a row.
const PUSH_TIMEOUTS: &str = "push_timeouts";

impl Store {
    /// Keeps the exact batch about to be sent until its answer is recorded by
    /// [`Store::acknowledge`]. If the answer is lost (a dropped connection, a crash), the next push
    /// sends this same batch again, with its sequence numbers: the server answers from what it
    /// recorded, and edits made since are rebased on what was really sent. Read afresh from the
    /// outbox, the batch would get new numbers and keep stale bases, and an edit made meanwhile
    /// would come back as a conflict with the rep's own earlier value.
    pub fn record_push(&mut self, batch: &Value) -> Result<()> {
        self.set_setting(PUSH_IN_FLIGHT, &batch.to_string())
    }

    /// The batch sent last whose answer was never recorded, if any.
    pub fn push_in_flight(&self) -> Result<Option<Value>> {
        Ok(self.setting(PUSH_IN_FLIGHT)?.and_then(|t| serde_json::from_str(&t).ok()))
    }

    /// The server certainly did not apply the batch sent last (it refused or rolled it back): its
    /// changes are read afresh from the outbox.
    pub fn forget_push(&mut self) -> Result<()> {
        self.conn().execute("DELETE FROM local_settings WHERE key = ?1", [PUSH_IN_FLIGHT])?;
        Ok(())
    }

    /// How many syncs in a row the server gave up on the change `key` sent alone (its statement
    /// timeout).
    pub fn push_timeouts(&self, key: &str) -> Result<u32> {
        let recorded = self.setting(PUSH_TIMEOUTS)?;
        Ok(recorded
            .as_deref()
            .and_then(|v| v.rsplit_once(' '))
            .filter(|(k, _)| *k == key)
            .and_then(|(_, n)| n.parse().ok())
            .unwrap_or(0))
    }

    /// Counts one more such time; returns the count. Another change's count starts again at one.
    pub fn push_timed_out(&mut self, key: &str) -> Result<u32> {
        let strikes = self.push_timeouts(key)? + 1;
        self.set_setting(PUSH_TIMEOUTS, &format!("{key} {strikes}"))?;
        Ok(strikes)
    }

    /// This laptop's sync identity; created once.
    pub fn client_id(&mut self) -> Result<String> {
        self.setting_or_init("client_id", crate::ids::new_id)
    }

    pub fn pending_count(&self) -> Result<i64> {
        Ok(self.conn().query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))?)
    }

    /// Up to `limit` pending changes, parents' tables first, then in edit order (`edit_seq`) — given
    /// new sending numbers (`seq`), in one transaction, so their sequence numbers rise in the order
    /// they are sent. The server applies a batch in sequence order and treats anything at or below
    /// the last sequence it saw as a replay; edits renew a row's number, so without this a child
    /// could precede its parent or a later batch could carry numbers below an earlier one.
    pub fn pending(&mut self, limit: usize) -> Result<Vec<Pending>> {
        self.pending_within(limit, &HashSet::new(), &mut |_| true)
    }

    /// [`Store::pending`] without the changes of rows in `skip` (the batch in flight: an edit made
    /// to them meanwhile must wait for its answer, which rebases it on what was sent), stopping
    /// before the first change `fits` refuses (a push batch's byte budget; the first change is
    /// always taken): only what is sent is read and renumbered.
    pub fn pending_within(
        &mut self,
        limit: usize,
        skip: &HashSet<(String, String)>,
        fits: &mut dyn FnMut(&Pending) -> bool,
    ) -> Result<Vec<Pending>> {
        let catalog = self.catalog().clone();
        let tx = self.conn_mut().transaction_with_behavior(TransactionBehavior::Immediate)?;
        type Head = (i64, String, String, String, Option<i64>);
        let heads: Vec<Head> = tx
            .prepare_cached(PENDING_HEADS)?
            .query_map([(limit + skip.len()) as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
            .filter(|h: &rusqlite::Result<Head>| {
                h.as_ref().map_or(true, |(_, t, id, _, _)| !skip.contains(&(t.clone(), id.clone())))
            })
            .take(limit)
            .collect::<rusqlite::Result<_>>()?;
        let first: i64 = tx.query_row("SELECT next_seq FROM sync_capture WHERE id = 1", [], |r| r.get(0))?;
        let mut out = Vec::with_capacity(heads.len());
        for (outbox_id, table, row_id, op, base_version) in heads {
            let seq = first + out.len() as i64;
            let t = catalog.table(&table)?;
            let row = rows::get(&tx, t, &row_id)?;
            let bases = field_bases(&tx, t, outbox_id)?;
            let p = Pending { seq, table, row_id, op, base_version, row, bases };
            if !fits(&p) && !out.is_empty() {
                break;
            }
            tx.prepare_cached("UPDATE outbox SET seq = ?1 WHERE id = ?2")?.execute((seq, outbox_id))?;
            out.push(p);
        }
        tx.execute("UPDATE sync_capture SET next_seq = next_seq + ?1 WHERE id = 1", [out.len() as i64])?;
        tx.commit()?;
        Ok(out)
    }

    /// Records the server's answers in one transaction: applied and conflicting changes leave the
    /// outbox (unless edited again meanwhile: their seq moved on), conflicts and rejections are kept
    /// for the rep, and rows take the server's version. Returns how many outbox entries left.
    pub fn acknowledge(&mut self, outcomes: &[Outcome], sent: &[Value]) -> Result<usize> {
        let now = time::now();
        let catalog = self.catalog().clone();
        let tx = self.conn_mut().transaction_with_behavior(TransactionBehavior::Immediate)?;
        capture(&tx, false)?;
        // A conflict's server value shown on an imported lead is someone's work (lead_work, V13).
        tx.execute_batch("UPDATE sync_capture SET origin = 'theirs' WHERE id = 1;")?;
        settle_recorded_push(&tx, outcomes)?;
        let left = leave_outbox(&tx, outcomes)?;
        set_versions(&tx, &catalog, outcomes, &left)?;
        for o in outcomes {
            let table = catalog.table(&o.table)?;
            let removed = left.contains(&o.seq);
            match o.status.as_str() {
                "applied" | "conflict" => {
                    if !removed {
                        rebase(&tx, table, o, sent_change(sent, o.seq))?;
                    }
                    for c in &o.conflicts {
                        // The row shows the server's value until the rep decides; "keep mine" then
                        // writes mine as a real change that the next sync pushes.
                        if let (true, Some(col)) = (removed, table.column(&c.column)) {
                            show_theirs(&tx, table, col, &o.id, &c.theirs)?;
                        }
                        tx.execute(
                            "INSERT INTO sync_conflicts (table_name, row_id, column_name, base_value, mine, theirs, server_version, detected_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                            (&o.table, &o.id, &c.column, c.base.to_string(), c.mine.to_string(), c.theirs.to_string(), o.version, &now),
                        )?;
                    }
                }
                _ => {
                    let change = sent_change(sent, o.seq).cloned().unwrap_or(Value::Null);
                    // The row goes back to the server's copy (or away, if the server has none);
                    // the change itself waits in the rejected list.
                    tx.prepare_cached("INSERT OR IGNORE INTO sync_refetch (table_name, row_id) VALUES (?1, ?2)")?
                        .execute((&o.table, &o.id))?;
                    tx.execute(
                        "INSERT INTO sync_rejected (table_name, row_id, op, code, reason, change, rejected_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        (
                            &o.table,
                            &o.id,
                            change["op"].as_str().unwrap_or("?"),
                            &o.code,
                            o.reason.as_deref().unwrap_or("refused by the server"),
                            change.to_string(),
                            &now,
                        ),
                    )?;
                }
            }
        }
        tx.execute_batch("UPDATE sync_capture SET origin = NULL WHERE id = 1;")?;
        capture(&tx, true)?;
        tx.commit()?;
        Ok(left.len())
    }

    pub fn cursor(&self) -> Result<Cursor> {
        let raw: Option<String> = self
            .conn()
            .query_row("SELECT value FROM local_settings WHERE key = 'sync_cursor'", [], |r| r.get(0))
            .optional()?;
        Ok(raw.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default())
    }

    /// Forgets the pull position (a new server epoch): the next pull starts from the beginning.
    pub fn reset_cursor(&mut self) -> Result<()> {
        let tx = self.begin()?;
        tx.execute("DELETE FROM local_settings WHERE key = 'sync_cursor'", [])?;
        Ok(tx.commit()?)
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        crate::store::setting_in(self.conn(), key)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.set_settings(&[(key, value)])
    }

    /// Sets all of `pairs` or none. Waits its turn behind another connection's write as the store's
    /// other writes do (and says so through a patient store's callback).
    pub fn set_settings(&mut self, pairs: &[(&str, &str)]) -> Result<()> {
        let tx = self.begin()?;
        for (key, value) in pairs {
            tx.prepare_cached(
                "INSERT INTO local_settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute([key, value])?;
        }
        Ok(tx.commit()?)
    }

    fn setting_or_init(&mut self, key: &str, make: impl FnOnce() -> String) -> Result<String> {
        if let Some(v) = self.setting(key)? {
            return Ok(v);
        }
        let v = make();
        self.set_setting(key, &v)?;
        Ok(v)
    }

    /// Every live row of a table as the API shows it, for convergence checks and exports.
    pub fn all_rows(&self, table: &str) -> Result<Vec<Row>> {
        let t = self.catalog().table(table)?;
        let sql = format!("SELECT {} FROM \"{}\" ORDER BY id", select_list(t), t.name);
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([], |r| row_from_sql(t, r))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The outbox in push order: tables in push order, each's entries in edit order by
/// outbox_edit_order — no sort of the outbox (a sort of a million entries per batch after a big
/// import took ~270 ms). Edit order, not the number last given for sending: changes read for a
/// batch that was then not sent keep their place.
const PENDING_HEADS: &str = "SELECT o.id, o.table_name, o.row_id, o.op, o.base_version FROM synced_tables s
     CROSS JOIN outbox o ON o.table_name = s.table_name ORDER BY s.push_order, o.edit_seq LIMIT ?1";

/// The recorded push batch (see `Store::record_push`) loses the changes answered now; what is left
/// (a part of it sent alone after a timeout) stays recorded, with its sequence numbers.
fn settle_recorded_push(conn: &Connection, outcomes: &[Outcome]) -> Result<()> {
    // Only the sequence numbers are read first (the rest of each change is skipped, not built):
    // usually every recorded change is answered and the record just goes.
    #[derive(Deserialize)]
    struct Seqs {
        changes: Vec<Seq>,
    }
    #[derive(Deserialize)]
    struct Seq {
        seq: Option<i64>,
    }
    let Some(recorded) = crate::store::setting_in(conn, PUSH_IN_FLIGHT)? else {
        return Ok(());
    };
    let answered: HashSet<i64> = outcomes.iter().map(|o| o.seq).collect();
    let all_answered = serde_json::from_str::<Seqs>(&recorded)
        .is_ok_and(|r| r.changes.iter().all(|c| c.seq.is_some_and(|s| answered.contains(&s))));
    let batch = if all_answered { None } else { serde_json::from_str::<Value>(&recorded).ok() };
    let Some(mut batch) = batch else {
        conn.execute("DELETE FROM local_settings WHERE key = ?1", [PUSH_IN_FLIGHT])?;
        return Ok(());
    };
    let left = match batch.get_mut("changes").and_then(Value::as_array_mut) {
        Some(changes) => {
            changes.retain(|c| c["seq"].as_i64().is_none_or(|s| !answered.contains(&s)));
            changes.len()
        }
        None => 0,
    };
    if left == 0 {
        conn.execute("DELETE FROM local_settings WHERE key = ?1", [PUSH_IN_FLIGHT])?;
    } else {
        conn.execute("UPDATE local_settings SET value = ?2 WHERE key = ?1", (PUSH_IN_FLIGHT, batch.to_string()))?;
    }
    Ok(())
}

/// The outbox entry (id, op) of a row, if it has unpushed changes.
pub(crate) fn outbox_entry(conn: &Connection, t: &Table, row_id: &str) -> Result<Option<(i64, String)>> {
    Ok(conn
        .prepare_cached("SELECT id, op FROM outbox WHERE table_name = ?1 AND row_id = ?2")?
        .query_row([&t.name, row_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// An outbox entry's changed columns with their values before the first local edit.
pub(crate) fn field_bases(conn: &Connection, t: &Table, outbox_id: i64) -> Result<Map<String, Value>> {
    let mut bases = Map::new();
    let mut stmt = conn.prepare_cached("SELECT column_name, base_value FROM outbox_fields WHERE outbox_id = ?1")?;
    let mut rs = stmt.query([outbox_id])?;
    while let Some(r) = rs.next()? {
        let name: String = r.get(0)?;
        if let Some(c) = t.column(&name) {
            bases.insert(name, from_sql(c, r.get_ref(1)?));
        }
    }
    Ok(bases)
}

fn sent_change(sent: &[Value], seq: i64) -> Option<&Value> {
    sent.iter().find(|c| c["seq"].as_i64() == Some(seq))
}

/// The row was edited again while its change was in flight, so its outbox entry stayed. The server
/// now holds what was sent: rebase the entry on that (new version; bases = the values sent), so the
/// next push carries only the newer edit and is not taken for a conflict with the rep's own value.
/// Conflicting columns keep their old base: the rep has not decided them yet.
fn rebase(conn: &Connection, t: &Table, o: &Outcome, sent: Option<&Value>) -> Result<()> {
    let Some(sent) = sent else { return Ok(()) };
    let Some((entry_id, op)) = outbox_entry(conn, t, &o.id)? else { return Ok(()) };
    let Some(now) = rows::get(conn, t, &o.id)? else { return Ok(()) };
    let sent_values: Map<String, Value> = match sent["op"].as_str() {
        Some("insert") => sent["row"].as_object().cloned().unwrap_or_default(),
        _ => sent["fields"]
            .as_object()
            .map(|f| f.iter().map(|(k, v)| (k.clone(), v["new"].clone())).collect())
            .unwrap_or_default(),
    };
    let conflicted = |col: &str| o.conflicts.iter().any(|c| c.column == col);
    let new_op = if op == "insert" && sent["op"] == "insert" { "update" } else { op.as_str() };
    conn.execute("UPDATE outbox SET op = ?1, base_version = ?2 WHERE id = ?3", (new_op, o.version, entry_id))?;
    for (col, value) in &sent_values {
        let Some(c) = t.column(col).filter(|c| !conflicted(&c.name) && t.captured_columns().any(|x| x.name == c.name))
        else {
            continue;
        };
        if now.get(col) == Some(value) {
            conn.execute("DELETE FROM outbox_fields WHERE outbox_id = ?1 AND column_name = ?2", (entry_id, col))?;
        } else {
            conn.execute(
                "INSERT INTO outbox_fields (outbox_id, column_name, base_value) VALUES (?1, ?2, ?3)
                 ON CONFLICT (outbox_id, column_name) DO UPDATE SET base_value = excluded.base_value",
                rusqlite::params![entry_id, col, to_sql(t, c, value)?],
            )?;
        }
    }
    let left: i64 =
        conn.query_row("SELECT count(*) FROM outbox_fields WHERE outbox_id = ?1", [entry_id], |r| r.get(0))?;
    if new_op == "update" && left == 0 {
        conn.execute("DELETE FROM outbox WHERE id = ?1", [entry_id])?;
    }
    Ok(())
}

pub(crate) fn capture(conn: &Connection, on: bool) -> Result<()> {
    conn.execute("UPDATE sync_capture SET capture = ?1 WHERE id = 1", [i64::from(on)])?;
    Ok(())
}

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    Mine,
    Theirs,
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
            "SELECT id, table_name, row_id, op, code, reason, rejected_at FROM sync_rejected WHERE resolved_at IS NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Rejection {
                id: r.get(0)?,
                table: r.get(1)?,
                row_id: r.get(2)?,
                op: r.get(3)?,
                code: r.get(4)?,
                reason: r.get(5)?,
                rejected_at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Keep theirs: the row already holds the server's value. Keep mine: write my value again, as a
    /// new local edit based on theirs, which the next sync pushes.
    pub fn resolve_conflict(&mut self, id: i64, keep: Keep) -> Result<()> {
        let c = self.open_conflict(id)?;
        let value = match keep {
            Keep::Theirs => None,
            Keep::Mine => Some(c.mine.clone()),
        };
        self.settle_conflict(&c, value)
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
        self.open_conflicts()?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| Error::NotFound { table: "sync_conflicts".into(), id: id.to_string() })
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
        let nothing = || Error::invalid(&table, "id", "nothing left to send: the record already has these values");
        self.write(|tx| {
            let current = tx.get(&table, &row_id)?;
            let live = current.as_ref().is_some_and(|r| r["deleted_at"].is_null());
            match (change["op"].as_str(), current) {
                (Some("delete"), _) if live => tx.delete(&table, &row_id)?,
                (Some("delete"), _) => return Err(nothing()),
                (Some("insert"), None) => {
                    let mut row: Map<String, Value> =
                        intended.into_iter().filter(|(c, _)| t.rep_may_write(c)).collect();
                    row.insert("id".into(), Value::String(row_id.clone()));
                    tx.insert(&table, row)?;
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

    /// Give a refused change up: the row keeps the server's copy.
    pub fn discard_rejection(&mut self, id: i64) -> Result<()> {
        self.rejected_change(id)?;
        self.write(|tx| {
            tx.conn().execute("UPDATE sync_rejected SET resolved_at = ?1 WHERE id = ?2", (time::now(), id))?;
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

/// The first sync of a large account: maintaining every lead index, the FTS5 index and the tag index
/// row by row costs ~100 µs per lead; building them once at the end costs a fraction. The dropped
/// definitions are saved in the same transaction that drops them, and `Store::open` restores them
/// if the process died in between, so a crash can cost time but never an index.
impl Store {
    /// Unique indexes stay if the table has rows: a pulled row may take a key a local row holds,
    /// and that clash is found by the index. Into an empty table every row comes from the server,
    /// whose own unique indexes (the same keys, case folded at least as much) held them apart, so
    /// those are dropped too: keeping the email index during the load cost two thirds of writing a
    /// row. A key a local edit took meanwhile is settled when the index is made again, by a pulled
    /// row giving the key up, so only keys a row can give up (a nullable column: the email, not a
    /// list's name) are dropped.
    pub fn begin_bulk_load(&mut self) -> Result<()> {
        if self.setting("bulk_load")?.is_some() {
            return Ok(());
        }
        let catalog = self.catalog().clone();
        let tables: Vec<String> = catalog.tables().iter().map(|t| t.name.clone()).collect();
        let tx = self.begin()?;
        if crate::store::setting_in(&tx, "bulk_load")?.is_some() {
            // Another connection began one meanwhile.
            return Ok(());
        }
        let mut saved: Vec<(String, String, String)> = Vec::new();
        {
            let mut stmt = tx.prepare(
                // The record of a person's edits stays: a first sync spans many transactions, and
                // an edit between its pages must count (its check costs little with capture off).
                "SELECT type, name, sql, tbl_name FROM sqlite_master WHERE type IN ('index', 'trigger')
                 AND sql IS NOT NULL AND name NOT LIKE 'capture\\_%' ESCAPE '\\' AND name <> 'lead_work_update'",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
            })?;
            for row in rows {
                let (kind, name, sql, on) = row?;
                if !tables.contains(&on) {
                    continue;
                }
                if sql.starts_with("CREATE UNIQUE") {
                    let settleable = catalog
                        .table(&on)
                        .is_ok_and(|t| t.unique_keys.iter().any(|k| k.name == name && !t.blankable(k).is_empty()));
                    let empty = settleable
                        && tx.query_row(&format!("SELECT NOT EXISTS (SELECT 1 FROM \"{on}\")"), [], |r| r.get(0))?;
                    if !empty {
                        continue;
                    }
                }
                saved.push((kind, name, sql));
            }
        }
        for (kind, name, _) in &saved {
            tx.execute_batch(&format!("DROP {} \"{name}\";", kind.to_uppercase()))?;
        }
        let sqls: Vec<&str> = saved.iter().map(|(_, _, sql)| sql.as_str()).collect();
        let json = serde_json::to_string(&sqls).map_err(|e| Error::Migration(e.to_string()))?;
        tx.execute("INSERT INTO local_settings (key, value) VALUES ('bulk_load', ?1)", [json])?;
        tx.commit()?;
        Ok(())
    }

    pub fn end_bulk_load(&mut self) -> Result<()> {
        if self.setting("bulk_load")?.is_none() {
            return Ok(());
        }
        let catalog = self.catalog().clone();
        let tx = self.begin()?;
        // Read again under the write lock: another connection (an import, the app) may have ended
        // it meanwhile, and doing it twice would rebuild everything twice.
        let Some(json) = crate::store::setting_in(&tx, "bulk_load")? else {
            return Ok(());
        };
        let sqls: Vec<String> = serde_json::from_str(&json).map_err(|e| Error::Migration(e.to_string()))?;
        crate::store::index_build_cache(&tx)?;
        // Unique indexes first: settling a clash must not fire the restored triggers.
        let (unique, rest): (Vec<&String>, Vec<&String>) =
            sqls.iter().partition(|sql| sql.starts_with("CREATE UNIQUE INDEX "));
        let mut unmade: Vec<&String> = Vec::new();
        for sql in unique {
            let create = sql.replacen("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1);
            let clash = |r: &rusqlite::Result<()>| matches!(r, Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation);
            let waiting = waiting_index(sql);
            let mut made = tx.execute_batch(&create);
            if clash(&made) {
                tx.execute_batch("SAVEPOINT settle")?;
                set_aside_clashes(&tx, &catalog, sql)?;
                made = tx.execute_batch(&create);
                if clash(&made) {
                    // Setting rows aside only helps if the index can then be made.
                    tx.execute_batch("ROLLBACK TO settle")?;
                }
                tx.execute_batch("RELEASE settle")?;
            }
            if clash(&made) {
                // Rows the rep changed hold the same key twice (no pulled row to give it up): the
                // rest of the load is restored and this index waits, tried again at every sync,
                // rather than every sync failing here. The key is still checked on writes, through
                // a plain index on the same key meanwhile.
                tracing::error!(index = %sql, "rows with local changes share a unique key; the index waits");
                if let Some((create_waiting, _)) = &waiting {
                    tx.execute_batch(create_waiting)?;
                }
                unmade.push(sql);
                continue;
            }
            made?;
            if let Some((_, drop_waiting)) = &waiting {
                tx.execute_batch(drop_waiting)?;
            }
        }
        // Only a unique index that waits from an earlier end: nothing else to rebuild.
        let load = !rest.is_empty();
        for sql in rest {
            // A migration since the drop may have made it again (with a new definition).
            let sql = sql.replacen("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1);
            tx.execute_batch(&sql.replacen("CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS ", 1))?;
        }
        if load {
            crate::store::fill_search(&tx, "INSERT INTO leads_fts (leads_fts) VALUES ('rebuild')", [])?;
            // Statistics from a sample of each index, as `PRAGMA optimize` takes them: a full ANALYZE
            // of a million leads took 1.2 s of the first sync's end.
            tx.execute_batch(
                "DELETE FROM lead_tags;
                 INSERT OR IGNORE INTO lead_tags (tag, lead_id) SELECT j.value, l.id FROM leads l, json_each(l.tags) j WHERE l.tags <> '[]';
                 PRAGMA analysis_limit = 1000; ANALYZE; PRAGMA analysis_limit = 0;",
            )?;
        }
        tx.execute("DELETE FROM local_settings WHERE key = 'bulk_load'", [])?;
        if !unmade.is_empty() {
            let json = serde_json::to_string(&unmade).map_err(|e| Error::Migration(e.to_string()))?;
            tx.execute("INSERT INTO local_settings (key, value) VALUES ('bulk_load', ?1)", [json])?;
        }
        tx.commit()?;
        // The rebuild has landed; an old connection is slower, not wrong.
        if load {
            if let Err(e) = self.reconnect() {
                tracing::warn!(error = %e, "could not reopen the database after rebuilding its indexes");
            }
        }
        Ok(())
    }
}

/// Puts the server's side of a conflict in the row. It is the server's value (its type checked
/// it), written as a pull writes one: a timestamp the local form cannot hold (`infinity`) is kept
/// as it is, past the local CHECK, instead of failing every acknowledgement of the batch.
fn show_theirs(conn: &Connection, t: &Table, col: &crate::catalog::Column, id: &str, theirs: &Value) -> Result<()> {
    let theirs = crate::values::server_sql(t, col, theirs)?;
    crate::store::check_constraints(conn, false)?;
    let written = conn
        .prepare_cached(&format!("UPDATE \"{}\" SET \"{}\" = ?1 WHERE id = ?2", t.name, col.name))
        .and_then(|mut stmt| stmt.execute(rusqlite::params![theirs, id]));
    crate::store::check_constraints(conn, true)?;
    written?;
    Ok(())
}

/// Answered changes per statement when acknowledging (three parameters each): one statement per
/// change was most of acknowledging's time.
const ACK_GROUP: usize = 200;

/// Removes the answered outbox entries still at the sequence number sent (an entry edited while in
/// flight has a newer one and stays, to be rebased); returns the sequence numbers removed.
fn leave_outbox(conn: &Connection, outcomes: &[Outcome]) -> Result<HashSet<i64>> {
    let mut left = HashSet::with_capacity(outcomes.len());
    // Every statement has ACK_GROUP rows (a short group is padded with NULLs, which match nothing):
    // one cached statement instead of one per group size.
    let sql = format!(
        "DELETE FROM outbox WHERE id IN (SELECT o.id FROM (VALUES {}) v
         JOIN outbox o ON o.seq = v.column1 AND o.table_name = v.column2 AND o.row_id = v.column3) RETURNING seq",
        vec!["(?, ?, ?)"; ACK_GROUP].join(", ")
    );
    for group in outcomes.chunks(ACK_GROUP) {
        let mut params: Vec<&dyn rusqlite::ToSql> =
            group.iter().flat_map(|o| [&o.seq as &dyn rusqlite::ToSql, &o.table, &o.id]).collect();
        params.resize(3 * ACK_GROUP, &rusqlite::types::Null);
        let mut stmt = conn.prepare_cached(&sql)?;
        let seqs = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get::<_, i64>(0))?;
        for seq in seqs {
            left.insert(seq?);
        }
    }
    Ok(left)
}

/// The server's new version on the rows whose entries left the outbox, per table, in groups.
fn set_versions(
    conn: &Connection,
    catalog: &crate::catalog::Catalog,
    outcomes: &[Outcome],
    left: &HashSet<i64>,
) -> Result<()> {
    let mut by_table: std::collections::BTreeMap<&str, Vec<(&str, i64)>> = Default::default();
    for o in outcomes.iter().filter(|o| matches!(o.status.as_str(), "applied" | "conflict") && left.contains(&o.seq)) {
        if let Some(v) = o.version {
            by_table.entry(o.table.as_str()).or_default().push((o.id.as_str(), v));
        }
    }
    for (table, rows) in by_table {
        let t = catalog.table(table)?;
        // Cached, and padded like `leave_outbox`'s: preparing a statement on `leads` compiles its
        // triggers, which costs more than running it.
        let sql = format!(
            "UPDATE \"{0}\" SET version = v.column2 FROM (VALUES {1}) AS v WHERE \"{0}\".id = v.column1",
            t.name,
            vec!["(?, ?)"; ACK_GROUP].join(", ")
        );
        for group in rows.chunks(ACK_GROUP) {
            let mut params: Vec<&dyn rusqlite::ToSql> =
                group.iter().flat_map(|(id, v)| [id as &dyn rusqlite::ToSql, v]).collect();
            params.resize(2 * ACK_GROUP, &rusqlite::types::Null);
            conn.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(params))?;
        }
    }
    Ok(())
}

/// For a unique index that has to wait: (create, drop) of a plain index on the same key, so
/// duplicate checks stay lookups.
fn waiting_index(unique_sql: &str) -> Option<(String, String)> {
    let (name, _) = crate::catalog::unique_index_name_and_table(unique_sql)?;
    // The definition after the index's name (as written: perhaps quoted): "ON table (...) WHERE ...".
    let token = unique_sql.split_whitespace().nth(3)?;
    let at = unique_sql.find(" INDEX ")? + " INDEX ".len();
    let rest = unique_sql[at..].trim_start().strip_prefix(token)?;
    let waiting = format!("{name}_waiting");
    Some((format!("CREATE INDEX IF NOT EXISTS \"{waiting}\" {rest}"), format!("DROP INDEX IF EXISTS \"{waiting}\"")))
}

/// A unique index could not be made again after a bulk load: a local edit during the load took a
/// key a pulled row also has. Each row of a clash whose key is the server's (no pending change to
/// the key's columns) gives up the key's columns locally and is fetched again after the pull, which
/// settles the clash as for any pulled row (the rep's pending insert or key edit becomes a rejected
/// change with the reason). Rows whose pending change set the key keep it.
fn set_aside_clashes(conn: &Connection, catalog: &crate::catalog::Catalog, sql: &str) -> Result<()> {
    let found = crate::catalog::unique_index_name_and_table(sql).and_then(|(name, on)| {
        let t = catalog.table(&on).ok()?;
        Some((t, t.unique_keys.iter().find(|k| k.name == name)?.clone()))
    });
    let Some((t, key)) = found else {
        return Err(Error::Migration(format!("cannot settle the rows that clash on an index: {sql}")));
    };
    let key_columns = t.key_columns(&key);
    let keys = key.exprs.join(", ");
    let filter = key.filter.as_deref().map(|f| format!("AND ({f})")).unwrap_or_default();
    let clashing: Vec<String> = conn
        .prepare(&format!(
            "SELECT id FROM \"{0}\" WHERE ({keys}) IN (SELECT {keys} FROM \"{0}\" WHERE true {filter} GROUP BY {keys} HAVING count(*) > 1) {filter}",
            t.name
        ))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let blank: Vec<String> = t.blankable(&key).iter().map(|c| format!("\"{}\" = NULL", c.name)).collect();
    capture(conn, false)?;
    let mut set_aside = 0;
    for id in &clashing {
        // Still the server's key: no pending change, or one that kept none of the key's columns.
        let servers = crate::sync_apply::kept_columns(conn, t, id)?
            .is_none_or(|kept| !key_columns.iter().any(|c| kept.contains(&c.name)));
        if servers && !blank.is_empty() {
            conn.execute(&format!("UPDATE \"{}\" SET {} WHERE id = ?1", t.name, blank.join(", ")), [id])?;
            conn.execute("INSERT OR IGNORE INTO sync_refetch (table_name, row_id) VALUES (?1, ?2)", [&t.name, id])?;
            set_aside += 1;
        }
    }
    tracing::warn!(table = %t.name, rows = set_aside, index = %key.name, "pulled rows clash with local edits; fetching them again");
    capture(conn, true)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_outbox_is_read_in_push_order_without_sorting_it() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store = crate::Store::open(dir.path().join("t.db")).unwrap_or_else(|e| panic!("{e}"));
        let plan: Vec<String> = store
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {}", super::PENDING_HEADS))
            .and_then(|mut st| st.query_map([1000], |r| r.get::<_, String>(3))?.collect())
            .unwrap_or_else(|e| panic!("{e}"));
        let plan = plan.join("; ");
        assert!(plan.contains("USING INDEX outbox_edit_order") && !plan.contains("TEMP B-TREE"), "{plan}");
    }
}
