//! The pull side of sync: applying the server's rows with capture off, one page and its cursor per
//! SQLite transaction; moving aside local rows that clash with them on a unique key; fetching rows
//! again by id; and full replacement pulls that remove what the server no longer has.

use std::borrow::Cow;

use rusqlite::types::{ToSqlOutput, Value as Sql};
use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior};
use serde_json::{json, Value};

use crate::catalog::{Table, UniqueKey};
use crate::error::{Error, Result};
use crate::sync_local::{capture, field_bases, outbox_entry, Applied, Cursor, Pulled};
use crate::values::{server_sql, server_sql_ref, Row};
use crate::{rows, time, Store};

impl Store {
    /// Applies one pulled page and moves the cursor, in one transaction. Rows with unpushed local
    /// changes keep the locally changed fields and take the rest; they are never deleted.
    /// With `cursor` None the rows are applied and the pull position stays (e.g. the user's own
    /// profile and organization, fetched at sign-in before the first pull).
    pub fn apply_pulled(&mut self, changes: &[Pulled], cursor: Option<&Cursor>) -> Result<Applied> {
        self.as_server_rows(|s| s.apply_pulled_tx(changes, cursor, None))
    }

    /// `refetched`: the rows fetched again by id (table, ids), no longer due once this commits.
    fn apply_pulled_tx(
        &mut self,
        changes: &[Pulled],
        cursor: Option<&Cursor>,
        refetched: Option<(&str, &[String])>,
    ) -> Result<Applied> {
        let catalog = self.catalog().clone();
        let replacing = self.setting("sync_replacing")?.is_some();
        let tx = self.conn_mut().transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some((table, ids)) = refetched {
            // First: applying may queue some of them again (a clash moving a row aside).
            for id in ids {
                tx.prepare_cached("DELETE FROM sync_refetch WHERE table_name = ?1 AND row_id = ?2")?
                    .execute([table, id])?;
            }
        }
        capture(&tx, false)?;
        // The server's changes to imported leads are someone's work (lead_work, V13).
        tx.execute_batch("UPDATE sync_capture SET origin = 'pull' WHERE id = 1;")?;
        let mut stats = Applied::default();
        let mut run = Run::default();
        // Nothing pending (e.g. a first sync): no row has local changes to keep, and none gains
        // any here (capture is off), so the per-row outbox lookup is skipped.
        let pending: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM outbox)", [], |r| r.get(0))?;
        // Conflicts whose "theirs" a pulled row moves on (none open, e.g. a first sync: not looked up).
        let conflicted = crate::sync_theirs::any_open(&tx)?;
        let now = time::now();
        for change in changes {
            let (table, id) = match change {
                Pulled::Upsert { table, row } => (table, row.get("id").and_then(Value::as_str).unwrap_or_default()),
                Pulled::Values { table, id, .. } | Pulled::Delete { table, id } => (table, id.as_str()),
            };
            // A table this build does not know (a newer server) is skipped; the catalog check
            // pulls it again once a migration adds it.
            let Ok(t) = catalog.table(table) else { continue };
            if replacing {
                tx.prepare_cached("DELETE FROM sync_replace WHERE table_name = ?1 AND row_id = ?2")?
                    .execute([table, id])?;
            }
            // Read while earlier rows of the page may still be queued in `run`: if one of them
            // displaces this row's local copy (and its pending change), the row is still written
            // whole below; only kept_pending counts it.
            let kept = if pending { kept_columns(&tx, t, id)? } else { None };
            if kept.is_some() {
                stats.kept_pending += 1;
            }
            let pulled = RowRef::of(change);
            if let (true, Some(row)) = (conflicted, pulled) {
                crate::sync_theirs::refresh(&tx, table, id, |c| row.get(c), &now)?;
            }
            match pulled {
                Some(row) if kept.is_none() => {
                    run.add(&tx, t, row, &mut stats)?;
                    stats.upserted += 1;
                }
                Some(row) => {
                    run.flush(&tx, &mut stats)?;
                    upsert_resolving_clashes(&tx, t, id, &row.to_row(), kept.as_deref(), &mut stats)?;
                    stats.upserted += 1;
                }
                None if kept.is_none() => {
                    run.flush(&tx, &mut stats)?;
                    stats.deleted +=
                        tx.prepare_cached(&format!("DELETE FROM \"{}\" WHERE id = ?1", t.name))?.execute([id])?;
                }
                None => {}
            }
        }
        run.flush(&tx, &mut stats)?;
        if let Some(cursor) = cursor {
            let c = serde_json::to_string(cursor).map_err(|e| Error::Migration(e.to_string()))?;
            tx.execute(
                "INSERT INTO local_settings (key, value) VALUES ('sync_cursor', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [c],
            )?;
        }
        tx.execute_batch("UPDATE sync_capture SET origin = NULL WHERE id = 1;")?;
        capture(&tx, true)?;
        tx.commit()?;
        Ok(stats)
    }

    /// Rows to fetch again by id, per table (at most `limit` ids each).
    pub fn refetch_due(&self, limit: usize) -> Result<Vec<(String, Vec<String>)>> {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        let mut stmt =
            self.conn().prepare("SELECT table_name, row_id FROM sync_refetch ORDER BY table_name, row_id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (table, id) = row?;
            match out.last_mut() {
                Some((t, ids)) if *t == table => {
                    if ids.len() < limit {
                        ids.push(id)
                    }
                }
                _ => out.push((table, vec![id])),
            }
        }
        Ok(out)
    }

    /// Applies the server's current copies of `ids` (those it returned in `rows`); an id it did not
    /// return no longer exists for this user and is removed locally, unless edited again meanwhile.
    pub fn apply_refetched(&mut self, table: &str, ids: &[String], rows: Vec<Row>) -> Result<Applied> {
        let returned: std::collections::HashSet<String> =
            rows.iter().filter_map(|r| r.get("id").and_then(Value::as_str).map(str::to_string)).collect();
        let mut changes: Vec<Pulled> =
            rows.into_iter().map(|row| Pulled::Upsert { table: table.into(), row }).collect();
        changes.extend(
            ids.iter()
                .filter(|id| !returned.contains(*id))
                .map(|id| Pulled::Delete { table: table.into(), id: id.clone() }),
        );
        // One transaction: a crash in between must not forget rows that still need the server's copy.
        self.as_server_rows(|s| s.apply_pulled_tx(&changes, None, Some((table, ids))))
    }

    /// Starts a full replacement pull: the cursor goes back to the beginning and every local row of
    /// every synced table is listed as not yet seen. In one transaction, so a crash either starts
    /// it or leaves the old position.
    pub fn begin_replacement(&mut self, why: &str) -> Result<()> {
        tracing::warn!(reason = why, "pulling everything again");
        let tables: Vec<String> = self.catalog().tables().iter().map(|t| t.name.clone()).collect();
        let tx = self.conn_mut().transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch("DELETE FROM sync_replace; DELETE FROM local_settings WHERE key = 'sync_cursor';")?;
        for t in &tables {
            tx.execute(&format!("INSERT INTO sync_replace (table_name, row_id) SELECT ?1, id FROM \"{t}\""), [t])?;
        }
        tx.execute(
            "INSERT INTO local_settings (key, value) VALUES ('sync_replacing', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [why],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Whether the signed-in member's own place in the team changed since it was noted (moved to
    /// another organization or team, removed, a new role): what they may see changed with it, and rows
    /// that came back into view did not change, so no pull would bring them — a replacement pull
    /// does (and removes what is no longer theirs to see). The first look only notes it.
    ///
    /// Returns the member's place now when it differs from the one noted, and whether one was noted
    /// at all; [`Store::note_membership`] notes it — after the replacement has begun, so a crash in
    /// between only starts it again.
    pub fn membership_change(&self) -> Result<Option<(String, bool)>> {
        let now: Option<String> = self
            .conn()
            .query_row(
                "SELECT json_array(organization_id, team_id, role, deleted_at) FROM profiles WHERE id = ?1",
                [&self.identity().user_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(now) = now else { return Ok(None) };
        let before = self.setting("sync_membership")?;
        Ok((before.as_deref() != Some(now.as_str())).then_some((now, before.is_some())))
    }

    pub fn note_membership(&mut self, now: &str) -> Result<()> {
        self.set_setting("sync_membership", now)
    }

    /// A table or column that a migration added since the last pull holds rows the cursor has
    /// already passed: start a replacement pull. Returns whether one started.
    pub fn check_catalog(&mut self) -> Result<bool> {
        let mut shape: Vec<String> = self
            .catalog()
            .tables()
            .iter()
            .map(|t| format!("{}({})", t.name, t.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(",")))
            .collect();
        shape.sort();
        let shape = shape.join(" ");
        let known = self.setting("synced_catalog")?;
        if known.as_deref() == Some(shape.as_str()) {
            return Ok(false);
        }
        let started = known.is_some() && self.cursor()?.xid.is_some();
        if started {
            self.begin_replacement("new synced tables or columns")?;
        }
        // After the replacement has begun: a crash in between only repeats it.
        self.set_setting("synced_catalog", &shape)?;
        Ok(started)
    }

    /// Ends a replacement pull whose last page has been applied: rows the server did not send are
    /// gone for this user (deleted, purged, out of scope) and leave, unless the rep has pending
    /// changes to them. Returns how many left.
    pub fn finish_replacement(&mut self) -> Result<usize> {
        if self.setting("sync_replacing")?.is_none() {
            return Ok(0);
        }
        let catalog = self.catalog().clone();
        self.without_foreign_keys(|s| {
            let tx = s.conn_mut().transaction_with_behavior(TransactionBehavior::Immediate)?;
            capture(&tx, false)?;
            let mut removed = 0;
            for t in catalog.tables() {
                removed += tx.execute(
                    &format!(
                        "DELETE FROM \"{0}\" WHERE id IN (SELECT row_id FROM sync_replace WHERE table_name = ?1)
                         AND id NOT IN (SELECT row_id FROM outbox WHERE table_name = ?1)",
                        t.name
                    ),
                    [&t.name],
                )?;
            }
            tx.execute_batch("DELETE FROM sync_replace; DELETE FROM local_settings WHERE key = 'sync_replacing';")?;
            capture(&tx, true)?;
            tx.commit()?;
            Ok(removed)
        })
    }
}

/// Rows written by one statement: SQLite sets up a statement's CHECK constraints (their IN lists
/// become temporary tables) and cursors once per execution, which costs more than writing a row.
const ROWS_PER_STATEMENT: usize = 32;

/// A pulled row, as a map or as values in the order of their columns.
#[derive(Clone, Copy)]
enum RowRef<'p> {
    Map(&'p Row),
    Values(&'p [String], &'p [Value]),
}

impl<'p> RowRef<'p> {
    /// None for a deletion.
    fn of(change: &'p Pulled) -> Option<RowRef<'p>> {
        match change {
            Pulled::Upsert { row, .. } => Some(RowRef::Map(row)),
            Pulled::Values { columns, values, .. } => Some(RowRef::Values(columns, values)),
            Pulled::Delete { .. } => None,
        }
    }

    fn len(self) -> usize {
        match self {
            RowRef::Map(m) => m.len(),
            RowRef::Values(c, _) => c.len(),
        }
    }

    fn keys(self) -> Vec<&'p str> {
        match self {
            RowRef::Map(m) => m.keys().map(String::as_str).collect(),
            RowRef::Values(c, _) => c.iter().map(String::as_str).collect(),
        }
    }

    /// Whether the row has exactly `keys`, in that order.
    fn has_keys(self, keys: &[(&str, Option<usize>)]) -> bool {
        self.len() == keys.len()
            && match self {
                RowRef::Map(m) => m.keys().zip(keys).all(|(k, (known, _))| k == known),
                RowRef::Values(c, _) => c.iter().zip(keys).all(|(k, (known, _))| k == known),
            }
    }

    /// The values with their columns (`keys` as `has_keys` confirmed), bound without copying text.
    fn bind(self, t: &Table, keys: &[(&str, Option<usize>)], args: &mut Vec<ToSqlOutput<'p>>) -> Result<()> {
        let mut push = |v: &'p Value, column: &Option<usize>| -> Result<()> {
            if let Some(i) = column {
                args.push(server_sql_ref(t, &t.columns[*i], v)?);
            }
            Ok(())
        };
        match self {
            RowRef::Map(m) => m.values().zip(keys).try_for_each(|(v, (_, c))| push(v, c)),
            RowRef::Values(_, values) => values.iter().zip(keys).try_for_each(|(v, (_, c))| push(v, c)),
        }
    }

    fn get(self, name: &str) -> Option<&'p Value> {
        match self {
            RowRef::Map(m) => m.get(name),
            RowRef::Values(c, values) => c.iter().position(|k| k == name).and_then(|i| values.get(i)),
        }
    }

    fn to_row(self) -> Cow<'p, Row> {
        match self {
            RowRef::Map(m) => Cow::Borrowed(m),
            RowRef::Values(c, values) => Cow::Owned(c.iter().cloned().zip(values.iter().cloned()).collect()),
        }
    }
}

/// Consecutive pulled rows of one table, with the same keys and no local changes to keep, upserted
/// ROWS_PER_STATEMENT at a time. A statement the database refuses (a row taking a local row's
/// unique key) is taken back whole and its rows go through the row-by-row path. Rows are read in
/// their keys' order against the run's key list (no lookup by name per value) and text is bound
/// from the row as it is: looking values up and copying them was most of a first sync's own time.
#[derive(Default)]
struct Run<'p> {
    table: Option<&'p Table>,
    /// The run's keys in the rows' order, each with its column's index (None: a column this build
    /// does not have, e.g. from a newer server: left out).
    keys: Vec<(&'p str, Option<usize>)>,
    /// The statement for a full group, made when the keys change.
    sql: String,
    rows: Vec<RowRef<'p>>,
}

impl<'p> Run<'p> {
    fn add(&mut self, conn: &Connection, t: &'p Table, row: RowRef<'p>, stats: &mut Applied) -> Result<()> {
        if !(self.table.is_some_and(|r| std::ptr::eq(r, t)) && row.has_keys(&self.keys)) {
            self.flush(conn, stats)?;
            self.table = Some(t);
            self.keys = row.keys().into_iter().map(|k| (k, t.columns.iter().position(|c| c.name == k))).collect();
            self.sql.clear();
        }
        self.rows.push(row);
        if self.rows.len() == ROWS_PER_STATEMENT {
            self.flush(conn, stats)?;
        }
        Ok(())
    }

    fn flush(&mut self, conn: &Connection, stats: &mut Applied) -> Result<()> {
        let rows = std::mem::take(&mut self.rows);
        let Some(t) = self.table else { return Ok(()) };
        if rows.len() == ROWS_PER_STATEMENT {
            if self.sql.is_empty() {
                self.sql = group_upsert(t, &self.keys, rows.len());
            }
            let mut args: Vec<ToSqlOutput<'p>> = Vec::with_capacity(self.keys.len() * rows.len());
            for row in &rows {
                row.bind(t, &self.keys, &mut args)?;
            }
            match conn.prepare_cached(&self.sql)?.execute(rusqlite::params_from_iter(args)) {
                // Every row written (e.g. a first sync): none was left for the stamp.
                Ok(n) if n == rows.len() => {
                    stats.changed += n;
                    return Ok(());
                }
                Ok(n) => {
                    stats.changed += n;
                    return stamp_updated_at(conn, t, &rows);
                }
                Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::ConstraintViolation => {}
                Err(e) => return Err(e.into()),
            }
        }
        for row in rows {
            let id = row.get("id").and_then(Value::as_str).unwrap_or_default();
            upsert_resolving_clashes(conn, t, id, &row.to_row(), None, stats)?;
        }
        Ok(())
    }
}

/// `INSERT … VALUES (…), (…) … ON CONFLICT (id) …` for `rows` rows with the run's known keys.
fn group_upsert(t: &Table, keys: &[(&str, Option<usize>)], rows: usize) -> String {
    let names: Vec<&str> = keys.iter().filter_map(|(_, i)| i.map(|i| t.columns[i].name.as_str())).collect();
    let tuple = format!("({})", vec!["?"; names.len()].join(", "));
    format!(
        "INSERT INTO \"{}\" ({}) VALUES {} ON CONFLICT (id) {}",
        t.name,
        names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", "),
        vec![tuple; rows].join(", "),
        do_update(&names)
    )
}

/// None: no pending change, take the server's row. Some(cols): keep these local columns
/// (every column for a pending insert or delete).
pub(crate) fn kept_columns(conn: &Connection, t: &Table, id: &str) -> Result<Option<Vec<String>>> {
    let Some((outbox_id, op)) = outbox_entry(conn, t, id)? else { return Ok(None) };
    if op != "update" {
        return Ok(Some(t.columns.iter().map(|c| c.name.clone()).collect()));
    }
    let mut stmt = conn.prepare_cached("SELECT column_name FROM outbox_fields WHERE outbox_id = ?1")?;
    let cols = stmt.query_map([outbox_id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(Some(cols))
}

/// The server enforces the same unique keys, so a pulled row can only clash with a local row that
/// is stale or holds an unpushed change. A stale row is removed: the server changed it (or it would
/// not have let the pulled row take the key), and its new state comes later in this pull or the
/// next. An unpushed change could never be accepted: it becomes a rejected change with the reason,
/// and the row is fetched again from the server after the pull.
fn upsert_resolving_clashes(
    conn: &Connection,
    t: &Table,
    id: &str,
    row: &Row,
    keep: Option<&[String]>,
    stats: &mut Applied,
) -> Result<()> {
    for _ in 0..=t.unique_keys.len() {
        match upsert(conn, t, row, keep) {
            Err(Error::Database(rusqlite::Error::SqliteFailure(e, _)))
                if e.code == ErrorCode::ConstraintViolation && !t.unique_keys.is_empty() =>
            {
                if !displace_clashing(conn, t, id, row, stats)? {
                    break;
                }
            }
            other => {
                stats.changed += other?;
                return Ok(());
            }
        }
    }
    stats.changed += upsert(conn, t, row, keep)?;
    Ok(())
}

fn displace_clashing(conn: &Connection, t: &Table, id: &str, row: &Row, stats: &mut Applied) -> Result<bool> {
    let mut displaced = false;
    for key in &t.unique_keys {
        let key_columns = t.key_columns(key);
        for other in clashing_rows(conn, t, key, id, row)? {
            displaced = true;
            stats.displaced += 1;
            let Some((outbox_id, op)) = outbox_entry(conn, t, &other)? else {
                conn.execute(&format!("DELETE FROM \"{}\" WHERE id = ?1", t.name), [&other])?;
                continue;
            };
            // An unrelated pending edit of a row whose key is merely stale: blank the stale key
            // (the server's current value arrives with the row's own change) and keep the edit.
            let changed = kept_columns(conn, t, &other)?.unwrap_or_default();
            let key_edited = key_columns.iter().any(|c| changed.contains(&c.name));
            let blank: Vec<String> = t.blankable(key).iter().map(|c| format!("\"{}\" = NULL", c.name)).collect();
            if op == "update" && !key_edited && !blank.is_empty() {
                conn.execute(&format!("UPDATE \"{}\" SET {} WHERE id = ?1", t.name, blank.join(", ")), [&other])?;
                continue;
            }
            reject_pending(conn, t, &key_columns, &other, outbox_id, &op, id)?;
            if op == "insert" {
                move_children(conn, &t.name, &other, id)?;
            }
            conn.execute(&format!("DELETE FROM \"{}\" WHERE id = ?1", t.name), [&other])?;
            stats.rejected += 1;
        }
    }
    Ok(displaced)
}

/// Ids of local rows (other than `id`) holding the key `row` would take.
fn clashing_rows(conn: &Connection, t: &Table, key: &UniqueKey, id: &str, row: &Row) -> Result<Vec<String>> {
    let mut args: Vec<Sql> = Vec::new();
    let mut cols = Vec::new();
    for c in &t.columns {
        args.push(match row.get(&c.name) {
            Some(v) => server_sql(t, c, v)?,
            None => Sql::Null,
        });
        cols.push(format!("? AS \"{}\"", c.name));
    }
    let filter = key.filter.as_deref().map(|f| format!("WHERE {f}")).unwrap_or_default();
    let sql = format!("SELECT {} FROM (SELECT {}) {filter}", key.exprs.join(", "), cols.join(", "));
    let values: Option<Vec<Sql>> = conn
        .prepare_cached(&sql)?
        .query_row(rusqlite::params_from_iter(args), |r| (0..key.exprs.len()).map(|i| r.get::<_, Sql>(i)).collect())
        .optional()?;
    // NULLs never clash in a unique index.
    let Some(values) = values.filter(|v| !v.contains(&Sql::Null)) else { return Ok(Vec::new()) };
    let mut cond: Vec<String> = key.exprs.iter().enumerate().map(|(i, e)| format!("{e} = ?{}", i + 2)).collect();
    cond.extend(key.filter.clone());
    let sql = format!("SELECT id FROM \"{}\" WHERE id <> ?1 AND {}", t.name, cond.join(" AND "));
    let mut params = vec![Sql::Text(id.to_string())];
    params.extend(values);
    let mut stmt = conn.prepare_cached(&sql)?;
    let ids = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// A new row of the rep's that turned out to exist on the server already (the same email): the work
/// logged on it here (activities, tasks, emails — rows that point at it, still unsent) goes to the
/// server's row instead of being refused with it. The rep's own values for the row itself wait in
/// the rejected change, which "try again" merges into the server's row.
fn move_children(conn: &Connection, table: &str, from: &str, to: &str) -> Result<()> {
    let refs: Vec<(String, String)> = conn
        .prepare_cached(
            "SELECT m.name, f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
             WHERE m.type = 'table' AND f.\"table\" = ?1",
        )?
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (child, column) in refs {
        // A child the server's row already has an equal of (the same campaign membership) stays
        // behind rather than break a unique key and with it the whole page, every sync after; it
        // leaves with the rep's row unless it waits to be sent (then it is refused and listed).
        conn.execute(
            &format!("UPDATE OR IGNORE \"{child}\" SET \"{column}\" = ?1 WHERE \"{column}\" = ?2"),
            [to, from],
        )?;
        conn.execute(
            &format!(
                "DELETE FROM \"{child}\" WHERE \"{column}\" = ?1
                   AND id NOT IN (SELECT row_id FROM outbox WHERE table_name = ?2)"
            ),
            [from, child.as_str()],
        )?;
    }
    Ok(())
}

/// Moves a pending change the server could never accept into the rejected list, with the local row
/// and base values so the rep can retry or discard it, and queues the row to be fetched again.
fn reject_pending(
    conn: &Connection,
    t: &Table,
    key_columns: &[&crate::catalog::Column],
    row_id: &str,
    outbox_id: i64,
    op: &str,
    holder: &str,
) -> Result<()> {
    let local = rows::get(conn, t, row_id)?;
    let bases = field_bases(conn, t, outbox_id)?;
    let what: Vec<&str> = key_columns.iter().map(|c| c.name.as_str()).filter(|c| *c != "organization_id").collect();
    let noun = crate::error::thing(&t.name);
    // Named as the rep knows it, when the pull brought it here.
    let named = rows::get(conn, t, holder)?.as_ref().and_then(crate::sync_conflicts::label_of);
    let which = named.map_or_else(|| holder.to_string(), |name| format!("“{name}”"));
    let mut reason = format!("another {noun} on the server ({which}) already has this {}", what.join(" and "));
    if op == "insert" {
        reason.push_str(&format!(
            "; what was logged on yours went to that {noun}, and trying again adds your details to it (a \
             detail it holds otherwise becomes a conflict for you to settle)"
        ));
    }
    let change = json!({"table": t.name, "id": row_id, "op": op, "row": local, "bases": bases, "holder": holder});
    conn.execute(
        "INSERT INTO sync_rejected (table_name, row_id, op, code, reason, change, rejected_at)
         VALUES (?1, ?2, ?3, '23505', ?4, ?5, ?6)",
        (&t.name, row_id, op, &reason, change.to_string(), time::now()),
    )?;
    conn.execute("DELETE FROM outbox_fields WHERE outbox_id = ?1", [outbox_id])?;
    conn.execute("DELETE FROM outbox WHERE id = ?1", [outbox_id])?;
    if op != "insert" {
        conn.execute("INSERT OR IGNORE INTO sync_refetch (table_name, row_id) VALUES (?1, ?2)", [&t.name, row_id])?;
    }
    Ok(())
}

/// Returns how many rows it wrote (0: the local row held every value already).
fn upsert(conn: &Connection, t: &Table, row: &Row, keep: Option<&[String]>) -> Result<usize> {
    let mut cols = Vec::new();
    let mut args: Vec<Sql> = Vec::new();
    for c in &t.columns {
        let Some(v) = row.get(&c.name) else { continue };
        cols.push(c.name.as_str());
        args.push(server_sql(t, c, v)?);
    }
    let updated: Vec<&str> =
        cols.iter().copied().filter(|c| !keep.is_some_and(|k| k.iter().any(|x| x == *c)) || *c == "version").collect();
    let sql = format!(
        "INSERT INTO \"{}\" ({}) VALUES ({}) ON CONFLICT (id) {}",
        t.name,
        cols.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "),
        vec!["?"; cols.len()].join(", "),
        do_update(&updated)
    );
    let written = conn.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(args))?;
    if written == 0 && updated.contains(&"updated_at") {
        stamp_updated_at(conn, t, &[RowRef::Map(row)])?;
    }
    Ok(written)
}

/// The `ON CONFLICT (id)` action of a pulled row writing `cols`. A local row that already holds
/// every one of its values but `updated_at` is left alone: that is the rep's own change coming
/// back from a push (the server stamped its own time), and rewriting the row would rewrite every
/// index on it — most of the time of a push's read-your-writes pull. `stamp_updated_at` then
/// takes the server's time.
fn do_update(cols: &[&str]) -> String {
    let set: Vec<String> = cols.iter().filter(|c| **c != "id").map(|c| format!("\"{c}\" = excluded.\"{c}\"")).collect();
    let compared: Vec<&str> = cols.iter().copied().filter(|c| *c != "id" && *c != "updated_at").collect();
    match (set.is_empty(), compared.is_empty()) {
        (true, _) => "DO NOTHING".into(),
        (false, true) => format!("DO UPDATE SET {}", set.join(", ")),
        (false, false) => format!(
            "DO UPDATE SET {} WHERE ({}) IS NOT ({})",
            set.join(", "),
            compared.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "),
            compared.iter().map(|c| format!("excluded.\"{c}\"")).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The server's `updated_at` for pulled rows that `do_update` left alone (one statement for the
/// lot; rows already at that time are not touched).
fn stamp_updated_at(conn: &Connection, t: &Table, rows: &[RowRef<'_>]) -> Result<()> {
    let Some(col) = t.column("updated_at") else { return Ok(()) };
    let mut args: Vec<Sql> = Vec::with_capacity(rows.len() * 2);
    for row in rows {
        let (Some(id), Some(at)) = (row.get("id").and_then(Value::as_str), row.get("updated_at")) else { continue };
        args.push(Sql::Text(id.to_string()));
        args.push(server_sql(t, col, at)?);
    }
    if args.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE \"{0}\" SET updated_at = v.column2 FROM (VALUES {1}) AS v
         WHERE \"{0}\".id = v.column1 AND \"{0}\".updated_at IS NOT v.column2",
        t.name,
        vec!["(?, ?)"; args.len() / 2].join(", ")
    );
    conn.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(args))?;
    Ok(())
}
