//! A push's read-your-writes pull brings back the rep's own changes, stamped with the server's
//! `updated_at`. Rows that already hold every other value are left alone (rewriting them rewrote
//! every index on them) and only take the server's time; rows that differ in anything are written
//! whole — in groups (a page) and one by one (rows with local changes to keep).
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::sync_local::Pulled;
use outpost_core::{Row, Store};
use serde_json::json;

const SERVER_TIME: &str = "2030-01-02T03:04:05.678000Z";

/// The row as the server would send it back: same values, the server's time.
fn came_back(store: &Store, id: &str) -> Row {
    let mut r = store.get("leads", id).unwrap().unwrap();
    r.insert("updated_at".into(), json!(SERVER_TIME));
    r
}

/// Counts the rows whose `first_name` an UPDATE statement set (whatever the value), i.e. rewrites.
fn count_rewrites(store: &Store) {
    store
        .conn()
        .execute_batch(
            "CREATE TEMP TABLE rewrites (id TEXT);
             CREATE TEMP TRIGGER count_rewrites AFTER UPDATE OF first_name ON main.leads
             BEGIN INSERT INTO rewrites VALUES (new.id); END;",
        )
        .unwrap();
}

fn rewrites(store: &Store) -> Vec<String> {
    let mut stmt = store.conn().prepare("SELECT id FROM temp.rewrites ORDER BY id").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

#[test]
fn own_changes_coming_back_only_take_the_server_time() {
    let mut db = open();
    let ids: Vec<String> = (0..40)
        .map(|i| {
            let lead =
                add_lead(&mut db.store, json!({"first_name": format!("L{i}"), "email": format!("l{i}@acme.com")}));
            mark_synced(&db.store, "leads", &lead.id, 2);
            lead.id
        })
        .collect();
    let mut page: Vec<Row> = ids.iter().map(|id| came_back(&db.store, id)).collect();
    // Someone else changed one row of the first group of 32 and one of the rest meanwhile.
    for i in [5, 35] {
        page[i].insert("company".into(), json!("Globex"));
        page[i].insert("version".into(), json!(3));
    }
    count_rewrites(&db.store);
    let pulled: Vec<Pulled> = page.iter().map(|r| Pulled::Upsert { table: "leads".into(), row: r.clone() }).collect();
    let applied = db.store.apply_pulled(&pulled, None).unwrap();
    assert_eq!(applied.upserted, 40);

    let mut changed = vec![ids[5].clone(), ids[35].clone()];
    changed.sort();
    assert_eq!(rewrites(&db.store), changed, "only the rows that differ are rewritten");
    for (id, sent) in ids.iter().zip(&page) {
        assert_eq!(&db.store.get("leads", id).unwrap().unwrap(), sent, "every row is the server's copy");
    }
    assert_eq!(outbox_len(&db.store), 0);
}

#[test]
fn a_row_with_a_pending_edit_keeps_it_and_takes_the_server_time() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Ada", "email": "ada@acme.com"}));
    mark_synced(&db.store, "leads", &lead.id, 2);
    let server = came_back(&db.store, &lead.id);
    let _: outpost_core::Lead = db.store.edit(&lead.id, row(json!({"notes": "call back Friday"}))).unwrap();
    count_rewrites(&db.store);
    db.store.apply_pulled(&[Pulled::Upsert { table: "leads".into(), row: server }], None).unwrap();

    let now = db.store.get("leads", &lead.id).unwrap().unwrap();
    assert_eq!((&now["notes"], &now["updated_at"]), (&json!("call back Friday"), &json!(SERVER_TIME)));
    assert!(rewrites(&db.store).is_empty());
    assert_eq!(outbox_len(&db.store), 1, "the edit still waits to be pushed");
}
