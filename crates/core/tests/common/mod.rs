#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use outpost_core::{Lead, Row, Store};
use serde_json::Value;

pub struct TestDb {
    pub store: Store,
    pub dir: tempfile::TempDir,
}

pub fn open() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("outpost.db")).unwrap();
    TestDb { store, dir }
}

pub fn row(v: Value) -> Row {
    match v {
        Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

pub fn add_lead(store: &mut Store, v: Value) -> Lead {
    let values = row(v);
    store
        .write(|tx| {
            let id = tx.insert("leads", values)?;
            tx.find(&id)
        })
        .unwrap()
}

/// (op, base_version, [(column, base value)]) per outbox entry for `row_id`, or None.
/// (op, base_version, [(column, base value)])
pub type Entry = (String, Option<i64>, Vec<(String, Value)>);

pub fn outbox_entry(store: &Store, table: &str, row_id: &str) -> Option<Entry> {
    let conn = store.conn();
    let (id, op, base): (i64, String, Option<i64>) = conn
        .query_row(
            "SELECT id, op, base_version FROM outbox WHERE table_name = ?1 AND row_id = ?2",
            [table, row_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .ok()?;
    let mut stmt = conn
        .prepare(
            "SELECT column_name, json_quote(base_value) FROM outbox_fields WHERE outbox_id = ?1 ORDER BY column_name",
        )
        .unwrap();
    let fields = stmt
        .query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
        .map(|f| {
            let (c, v) = f.unwrap();
            (c, serde_json::from_str(&v).unwrap())
        })
        .collect();
    Some((op, base, fields))
}

pub fn outbox_len(store: &Store) -> i64 {
    store.conn().query_row("SELECT count(*) FROM outbox", [], |r| r.get(0)).unwrap()
}

pub fn seq_of(store: &Store, table: &str, row_id: &str) -> i64 {
    store
        .conn()
        .query_row("SELECT seq FROM outbox WHERE table_name = ?1 AND row_id = ?2", [table, row_id], |r| r.get(0))
        .unwrap()
}

/// Pretends the server has the row at `version`: what a pull does (capture off, outbox cleared).
pub fn mark_synced(store: &Store, table: &str, row_id: &str, version: i64) {
    let conn = store.conn();
    conn.execute_batch("BEGIN; UPDATE sync_capture SET capture = 0;").unwrap();
    conn.execute(&format!("UPDATE {table} SET version = ?1 WHERE id = ?2"), (version, row_id)).unwrap();
    conn.execute("DELETE FROM outbox WHERE table_name = ?1 AND row_id = ?2", [table, row_id]).unwrap();
    conn.execute_batch("UPDATE sync_capture SET capture = 1; COMMIT;").unwrap();
}

/// A teammate's profile in the store's organization, as a pull brings one.
pub fn add_teammate(store: &Store, id: &str, name: &str) {
    let org = store.identity().organization_id.clone();
    store
        .conn()
        .execute(
            "INSERT INTO profiles (id, organization_id, email, full_name, role, created_at, updated_at)
             VALUES (?1, ?2, lower(?3) || '@team.test', ?3, 'sales_rep', '2026-11-27T00:00:00.000000Z', '2026-11-27T00:00:00.000000Z')",
            [id, org.as_str(), name],
        )
        .unwrap();
}

/// How SQLite would run `sql` on the store's connection: one line per step of its plan.
pub fn query_plan(store: &Store, sql: &str) -> Vec<String> {
    let mut stmt = store.conn().prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    stmt.query_map([], |r| r.get(3)).unwrap().collect::<Result<_, _>>().unwrap()
}
