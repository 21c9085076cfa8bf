//! The store's side of sync: reading the outbox for a push, acknowledging what the server took,
//! recording conflicts and rejections, and applying pulled rows with capture off — all generic over
//! the catalog, one SQLite transaction per step, so a crash at any point loses nothing.

use std::collections::HashSet;
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::catalog::Table;
use crate::error::Result;
use crate::values::{from_sql, row_from_sql, select_list, to_sql, Row};
use crate::{rows, time, Store};

pub use crate::sync_conflicts::{label_of, Keep, OpenConflict, Rejection};

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
    /// Written at the version the change was made on (not merged into someone's newer row).
    #[serde(default)]
    pub at_base: bool,
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
    /// Of those, rows written with values this computer did not have (not the rep's own change
    /// coming back from a push with its version taken already): what a screen must show anew.
    pub changed: usize,
    pub deleted: usize,
    /// Rows kept as they are because the rep has unpushed changes to them.
    pub kept_pending: usize,
    /// Local rows moved aside because a pulled row took their unique key (e.g. an email).
    pub displaced: usize,
    /// Of those, unpushed changes that became rejected changes.
    pub rejected: usize,
}

/// What recording a push's answers did with the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Acknowledged {
    /// Entries that left it.
    pub left: usize,
    /// Refused changes that go again behind their table's others (see `retry_later`), not yet
    /// kept as refused.
    pub retried: usize,
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

    /// A new sync identity, for a database found to be a copy of another that syncs under the same
    /// one (a restored backup, a file moved to a new laptop while the old one still syncs). The batch
    /// recorded as sent goes with the old identity: the server never applied it under this one.
    /// Sequence numbers go on from where they were (above nothing the new identity has sent).
    pub fn renew_client_id(&mut self) -> Result<String> {
        let id = crate::ids::new_id();
        let tx = self.conn_mut().transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM local_settings WHERE key = ?1", [PUSH_IN_FLIGHT])?;
        tx.execute(
            "INSERT INTO local_settings (key, value) VALUES ('client_id', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [&id],
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Whether a new row waits to be sent to a table with a unique key besides its id (a lead's
    /// email): the server may hold that key already (a teammate added the same person), which a pull
    /// first finds, so the rep's row meets the server's here, where its logged work can move over.
    pub fn pending_inserts_with_unique_keys(&self) -> Result<bool> {
        for t in self.catalog().tables() {
            for key in &t.unique_keys {
                // The key's own values (not the organization every row has) must all be set.
                let set: Vec<String> = t
                    .key_columns(key)
                    .iter()
                    .filter(|c| c.name != "organization_id")
                    .map(|c| format!("r.\"{}\" IS NOT NULL", c.name))
                    .collect();
                if set.is_empty() {
                    continue;
                }
                let sql = format!(
                    "SELECT EXISTS (SELECT 1 FROM outbox o JOIN \"{}\" r ON r.id = o.row_id
                     WHERE o.op = 'insert' AND o.table_name = ?1 AND {})",
                    t.name,
                    set.join(" AND ")
                );
                if self.conn().query_row(&sql, [&t.name], |r| r.get::<_, bool>(0))? {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    pub fn pending_count(&self) -> Result<i64> {
        Ok(self.conn().query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))?)
    }

    /// A number that moves whenever a change is queued for the server, by any connection (the
    /// capture triggers count every local write; a sync's pulled rows are not captured): a sync
    /// loop that reads it between cycles sees a rep's edit within moments, without counting the
    /// outbox (which a million-lead import makes slow).
    pub fn local_edit_stamp(&self) -> Result<i64> {
        Ok(self.conn().query_row("SELECT next_seq FROM sync_capture WHERE id = 1", [], |r| r.get(0))?)
    }

    /// Up to `limit` pending changes, parents' tables first, then in edit order (`edit_seq`) — given
    /// new sending numbers (`seq`), in one transaction, so their sequence numbers rise in the order
    /// they are sent. The server applies a batch in sequence order and treats anything at or below
    /// the last sequence it saw as a replay; edits renew a row's number, so without this a child
    /// could precede its parent or a later batch could carry numbers below an earlier one.
    pub fn pending(&mut self, limit: usize) -> Result<Vec<Pending>> {
        Ok(self.pending_within(limit, &HashSet::new(), &mut |_| true)?.0)
    }

    /// [`Store::pending`] without the changes of rows in `skip` (the batch in flight: an edit made
    /// to them meanwhile must wait for its answer, which rebases it on what was sent), stopping
    /// before the first change `fits` refuses (a push batch's byte budget; the first change is
    /// always taken): only what is sent is read and renumbered. With them, the
    /// [`Store::local_edit_stamp`] as this read left it: an edit it did not see moves it on.
    pub fn pending_within(
        &mut self,
        limit: usize,
        skip: &HashSet<(String, String)>,
        fits: &mut dyn FnMut(&Pending) -> bool,
    ) -> Result<(Vec<Pending>, i64)> {
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
            // Columns the server keeps (a list's total_contacts) are not the laptop's to send: the
            // server refuses an insert that sets them.
            let row = rows::get(&tx, t, &row_id)?.map(|mut r| {
                r.retain(|k, _| !t.server_columns.contains(k));
                r
            });
            let bases = field_bases(&tx, t, outbox_id)?;
            let p = Pending { seq, table, row_id, op, base_version, row, bases };
            if !fits(&p) && !out.is_empty() {
                break;
            }
            tx.prepare_cached("UPDATE outbox SET seq = ?1, sent = 1 WHERE id = ?2")?.execute((seq, outbox_id))?;
            out.push(p);
        }
        tx.execute("UPDATE sync_capture SET next_seq = next_seq + ?1 WHERE id = 1", [out.len() as i64])?;
        tx.commit()?;
        let stamp = first + out.len() as i64;
        Ok((out, stamp))
    }

    /// Records the server's answers in one transaction: applied and conflicting changes leave the
    /// outbox (unless edited again meanwhile: their seq moved on), conflicts and rejections are kept
    /// for the rep, and rows take the server's version. A change refused for a clash a later change
    /// may clear goes behind its table's other changes instead, once (`retry_later`).
    pub fn acknowledge(&mut self, outcomes: &[Outcome], sent: &[Value]) -> Result<Acknowledged> {
        let now = time::now();
        let catalog = self.catalog().clone();
        let tx = self.conn_mut().transaction_with_behavior(TransactionBehavior::Immediate)?;
        capture(&tx, false)?;
        // A conflict's server value shown on an imported lead is someone's work (lead_work, V13).
        tx.execute_batch("UPDATE sync_capture SET origin = 'theirs' WHERE id = 1;")?;
        settle_recorded_push(&tx, outcomes)?;
        let retried = retry_later(&tx, outcomes)?;
        let answered: Vec<&Outcome> = outcomes.iter().filter(|o| !retried.contains(&o.seq)).collect();
        let left = leave_outbox(&tx, &answered)?;
        let sent_by_seq: std::collections::HashMap<i64, &Value> =
            sent.iter().filter_map(|c| Some((c["seq"].as_i64()?, c))).collect();
        set_versions(&tx, &catalog, outcomes.iter().filter(|o| left.contains(&o.seq) && server_row_is_ours(o)))?;
        // Keys of an object field only the rep changed, written (as the rep's edit) once capture is
        // back on: their conflict keeps only the keys both sides changed (object_conflicts.rs), and
        // is recorded after that write (which would settle it, as an edit of its field does).
        let mut land_apart: Vec<(&Outcome, &crate::catalog::Column, Value, Conflict)> = Vec::new();
        for o in answered {
            let table = catalog.table(&o.table)?;
            let removed = left.contains(&o.seq);
            match o.status.as_str() {
                "applied" | "conflict" => {
                    if !removed {
                        rebase(&tx, table, o, sent_by_seq.get(&o.seq).copied())?;
                        // Its change landed: the newer edit gets its own retry if refused early.
                        tx.prepare_cached("UPDATE outbox SET retried = 0 WHERE table_name = ?1 AND row_id = ?2")?
                            .execute((&o.table, &o.id))?;
                    }
                    for c in &o.conflicts {
                        // The row shows the server's value until the rep decides; "keep mine" then
                        // writes mine as a real change that the next sync pushes.
                        if let (true, Some(col)) = (removed, table.column(&c.column)) {
                            show_theirs(&tx, table, col, &o.id, &c.theirs)?;
                            if let Some((write, narrowed)) = crate::object_conflicts::narrow(c) {
                                land_apart.push((o, col, write, narrowed));
                                continue;
                            }
                        }
                        record_conflict(&tx, &o.table, &o.id, c, o.version, &now)?;
                    }
                }
                _ => {
                    let change = sent_by_seq.get(&o.seq).map_or(Value::Null, |c| (*c).clone());
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
        for (o, col, value, narrowed) in land_apart {
            let t = catalog.table(&o.table)?;
            let value = crate::values::server_sql(t, col, &value)?;
            tx.prepare_cached(&format!("UPDATE \"{}\" SET \"{}\" = ?1 WHERE id = ?2", t.name, col.name))?
                .execute(rusqlite::params![value, &o.id])?;
            record_conflict(&tx, &o.table, &o.id, &narrowed, o.version, &now)?;
        }
        tx.commit()?;
        Ok(Acknowledged { left: left.len(), retried: retried.len() })
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

/// Whether the server's row is now what this laptop holds: the server wrote the change at the
/// version it was made on (or made the row with it), so nobody else's write is in it. A change
/// merged into a row a teammate had changed — or one with nothing left to write because their
/// version already held it — leaves their values on the server only: the local row keeps its old
/// version until the pull brings the row, so an edit made before that is sent against the old
/// version and merged field by field (a conflict, if it touches their field) instead of
/// overwriting their values.
fn server_row_is_ours(o: &Outcome) -> bool {
    o.status == "applied" && o.at_base
}

/// The row was edited again while its change was in flight, so its outbox entry stayed. The server
/// now holds what was sent: rebase the entry on that (new version; bases = the values sent), so the
/// next push carries only the newer edit and is not taken for a conflict with the rep's own value.
/// Conflicting columns keep their old base: the rep has not decided them yet.
/// A change merged into a teammate's newer row keeps the entry's old version (see
/// `server_row_is_ours`), so the next push is merged field by field against the values sent.
fn rebase(conn: &Connection, t: &Table, o: &Outcome, sent: Option<&Value>) -> Result<()> {
    let Some(sent) = sent else { return Ok(()) };
    let Some((entry_id, op)) = outbox_entry(conn, t, &o.id)? else { return Ok(()) };
    let Some(now) = rows::get(conn, t, &o.id)? else { return Ok(()) };
    let sent_values: Map<String, Value> = match sent["op"].as_str() {
        Some("insert") => sent["row"].as_object().cloned().unwrap_or_default(),
        // The server holds the row deleted now (its own time, which the answer does not carry): a
        // restore made meanwhile is a change from deleted, not nothing to send.
        Some("delete") => {
            let deleted = now.get("deleted_at").filter(|v| !v.is_null()).cloned();
            let mut sent = sent_fields(sent);
            sent.insert("deleted_at".to_string(), deleted.unwrap_or_else(|| Value::String(time::now())));
            sent
        }
        _ => sent_fields(sent),
    };
    let conflicted = |col: &str| o.conflicts.iter().any(|c| c.column == col);
    let new_op = if op == "insert" && sent["op"] == "insert" { "update" } else { op.as_str() };
    if server_row_is_ours(o) {
        conn.execute("UPDATE outbox SET op = ?1, base_version = ?2 WHERE id = ?3", (new_op, o.version, entry_id))?;
    } else {
        conn.execute("UPDATE outbox SET op = ?1 WHERE id = ?2", (new_op, entry_id))?;
    }
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

/// Keeps a conflict for the rep to settle (keep mine / keep theirs); an older open one on the same
/// field is superseded by it.
pub(crate) fn record_conflict(
    conn: &Connection,
    table: &str,
    row_id: &str,
    c: &Conflict,
    version: Option<i64>,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE sync_conflicts SET resolved_at = ?4, resolution = 'theirs'
         WHERE resolved_at IS NULL AND table_name = ?1 AND row_id = ?2 AND column_name = ?3",
    )?
    .execute((table, row_id, &c.column, now))?;
    conn.prepare_cached(
        "INSERT INTO sync_conflicts (table_name, row_id, column_name, base_value, mine, theirs, server_version, detected_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute((table, row_id, &c.column, c.base.to_string(), c.mine.to_string(), c.theirs.to_string(), version, now))?;
    Ok(())
}

/// The new values a change sent, by column.
fn sent_fields(sent: &Value) -> Map<String, Value> {
    sent["fields"]
        .as_object()
        .map(|f| f.iter().map(|(k, v)| (k.clone(), v["new"].clone())).collect())
        .unwrap_or_default()
}

pub(crate) fn capture(conn: &Connection, on: bool) -> Result<()> {
    conn.execute("UPDATE sync_capture SET capture = ?1 WHERE id = 1", [i64::from(on)])?;
    Ok(())
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

/// Codes of refusals that may only be early: another row holds the unique value (23505), or a row
/// referred to is not on the server (23503). Either may be cleared by a change later in the outbox.
const MAYBE_EARLY: [&str; 2] = ["23505", "23503"];

/// Moves the entries of changes refused as [`MAYBE_EARLY`] for the first time behind every other
/// entry of their table (a new `edit_seq`), marked as retried; returns their answers' seqs. Matched
/// by row, not seq: an entry edited again meanwhile goes again anyway, and is not kept as refused.
/// A refusal rolled the change back on the server: an entry not edited since is unsent again (an
/// undo of its import may forget it).
fn retry_later(conn: &Connection, outcomes: &[Outcome]) -> Result<HashSet<i64>> {
    let mut retried = HashSet::new();
    for o in outcomes {
        if o.status != "rejected" || !o.code.as_deref().is_some_and(|c| MAYBE_EARLY.contains(&c)) {
            continue;
        }
        conn.prepare_cached("UPDATE sync_capture SET next_seq = next_seq + 1 WHERE id = 1")?.execute([])?;
        let moved = conn
            .prepare_cached(
                "UPDATE outbox SET edit_seq = (SELECT next_seq - 1 FROM sync_capture WHERE id = 1), retried = 1,
                 sent = CASE WHEN seq = ?3 THEN 0 ELSE sent END
                 WHERE table_name = ?1 AND row_id = ?2 AND retried = 0",
            )?
            .execute((&o.table, &o.id, o.seq))?;
        if moved > 0 {
            retried.insert(o.seq);
        }
    }
    Ok(retried)
}

/// Removes the answered outbox entries still at the sequence number sent (an entry edited while in
/// flight has a newer one and stays, to be rebased); returns the sequence numbers removed.
fn leave_outbox(conn: &Connection, outcomes: &[&Outcome]) -> Result<HashSet<i64>> {
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

/// The server's new version on the rows whose entries left the outbox and whose server copy is
/// theirs alone (`server_row_is_ours`), per table, in groups.
fn set_versions<'a>(
    conn: &Connection,
    catalog: &crate::catalog::Catalog,
    outcomes: impl Iterator<Item = &'a Outcome>,
) -> Result<()> {
    let mut by_table: std::collections::BTreeMap<&str, Vec<(&str, i64)>> = Default::default();
    for o in outcomes {
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
