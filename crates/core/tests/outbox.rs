#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::Lead;
use serde_json::json;

#[test]
fn insert_then_edits_stay_one_insert_entry() {
    let mut db = open();
    assert_eq!(outbox_len(&db.store), 0, "the local placeholder organization is not a change");
    let lead = add_lead(&mut db.store, json!({"first_name": "Ana", "email": "ana@acme.com"}));
    assert_eq!(outbox_entry(&db.store, "leads", &lead.id), Some(("insert".into(), None, vec![])));
    let first_seq = seq_of(&db.store, "leads", &lead.id);
    let _: Lead = db.store.edit(&lead.id, row(json!({"company": "Acme"}))).unwrap();
    assert_eq!(outbox_entry(&db.store, "leads", &lead.id), Some(("insert".into(), None, vec![])));
    assert!(seq_of(&db.store, "leads", &lead.id) > first_seq, "every edit renews the sequence number");
    assert_eq!(outbox_len(&db.store), 1);
}

#[test]
fn updates_of_a_synced_row_coalesce_keeping_first_base_values() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Ana", "email": "ana@acme.com", "company": "Acme"}));
    mark_synced(&db.store, "leads", &lead.id, 7);
    let _: Lead = db.store.edit(&lead.id, row(json!({"company": "Acme Inc"}))).unwrap();
    assert_eq!(
        outbox_entry(&db.store, "leads", &lead.id),
        Some(("update".into(), Some(7), vec![("company".into(), json!("Acme"))]))
    );
    let seq1 = seq_of(&db.store, "leads", &lead.id);
    let _: Lead = db.store.edit(&lead.id, row(json!({"company": "Acme GmbH", "status": "contacted"}))).unwrap();
    let _: Lead = db.store.edit(&lead.id, row(json!({"tags": ["vip"], "current_score": 40}))).unwrap();
    assert_eq!(
        outbox_entry(&db.store, "leads", &lead.id),
        Some((
            "update".into(),
            Some(7),
            vec![
                ("company".into(), json!("Acme")),
                ("current_score".into(), json!(0)),
                ("status".into(), json!("new")),
                ("tags".into(), json!("[]")),
            ]
        ))
    );
    assert!(seq_of(&db.store, "leads", &lead.id) > seq1);
    assert_eq!(outbox_len(&db.store), 1);
}

/// The importer's update: the same write as `update` (checked, captured), answering with the row
/// as it was before — what undo puts back.
#[test]
fn an_update_returning_the_old_row_writes_like_update() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Ana", "company": "Acme"}));
    mark_synced(&db.store, "leads", &lead.id, 3);
    let (old, new) =
        db.store.write(|tx| tx.update_before_after("leads", &lead.id, row(json!({"company": "Globex"})))).unwrap();
    assert_eq!((&old["company"], &old["first_name"]), (&json!("Acme"), &json!("Ana")));
    assert_eq!(new, row(json!({"company": "Globex"})), "only the changed columns, as stored");
    let now = db.store.get("leads", &lead.id).unwrap().unwrap();
    assert_eq!(now["company"], json!("Globex"));
    assert_eq!(
        outbox_entry(&db.store, "leads", &lead.id),
        Some(("update".into(), Some(3), vec![("company".into(), json!("Acme"))]))
    );
    let bad = db.store.write(|tx| tx.update_before_after("leads", &lead.id, row(json!({"status": "asleep"}))));
    assert!(bad.is_err(), "checked like update");
    db.store.remove::<Lead>(&lead.id).unwrap();
    let gone = db.store.write(|tx| tx.update_before_after("leads", &lead.id, row(json!({"company": "X"}))));
    assert!(matches!(gone, Err(outpost_core::Error::NotFound { .. })));
}

/// The push batch recorded before sending stays until every change in it is answered: a part of
/// it answered alone (after a timeout) leaves the rest recorded, with their sequence numbers.
#[test]
fn a_recorded_push_batch_leaves_change_by_change_as_answers_come() {
    use outpost_core::sync_local::Outcome;
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Ana"}));
    let change = |seq: i64| json!({"seq": seq, "table": "leads", "id": lead.id, "op": "insert", "row": {}});
    let answer = |seq: i64| Outcome {
        seq,
        table: "leads".into(),
        id: lead.id.clone(),
        status: "applied".into(),
        version: Some(1),
        at_base: true,
        conflicts: vec![],
        code: None,
        reason: None,
    };
    db.store.record_push(&json!({"client_id": "c", "changes": [change(7), change(8), change(9)]})).unwrap();
    db.store.acknowledge(&[answer(7), answer(8)], &[]).unwrap();
    let left = db.store.push_in_flight().unwrap().unwrap();
    assert_eq!(left["changes"], json!([change(9)]));
    db.store.acknowledge(&[answer(1)], &[]).unwrap();
    assert!(db.store.push_in_flight().unwrap().is_some(), "another batch's answer leaves it alone");
    db.store.acknowledge(&[answer(9)], &[]).unwrap();
    assert_eq!(db.store.push_in_flight().unwrap(), None);
}

#[test]
fn an_update_that_changes_nothing_records_nothing() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Ana"}));
    mark_synced(&db.store, "leads", &lead.id, 1);
    let _: Lead = db.store.edit(&lead.id, row(json!({"first_name": "Ana"}))).unwrap();
    assert_eq!(outbox_entry(&db.store, "leads", &lead.id), None, "updated_at alone is not a change");
}

#[test]
fn soft_delete_is_an_update_of_deleted_at() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Ana"}));
    mark_synced(&db.store, "leads", &lead.id, 3);
    db.store.remove::<Lead>(&lead.id).unwrap();
    assert_eq!(
        outbox_entry(&db.store, "leads", &lead.id),
        Some(("update".into(), Some(3), vec![("deleted_at".into(), json!(null))]))
    );
}

#[test]
fn hard_deletes_are_captured_and_a_never_pushed_row_vanishes() {
    let mut db = open();
    let local = add_lead(&mut db.store, json!({"first_name": "Local"}));
    let synced = add_lead(&mut db.store, json!({"first_name": "Synced"}));
    mark_synced(&db.store, "leads", &synced.id, 2);
    let _: Lead = db.store.edit(&synced.id, row(json!({"first_name": "Synced 2"}))).unwrap();
    let conn = db.store.conn();
    conn.execute("DELETE FROM leads WHERE id = ?1", [&local.id]).unwrap();
    conn.execute("DELETE FROM leads WHERE id = ?1", [&synced.id]).unwrap();
    assert_eq!(outbox_entry(&db.store, "leads", &local.id), None);
    assert_eq!(
        outbox_entry(&db.store, "leads", &synced.id),
        Some(("delete".into(), Some(2), vec![("first_name".into(), json!("Synced"))]))
    );
}

#[test]
fn pulled_rows_are_not_captured() {
    let db = open();
    let conn = db.store.conn();
    let org = &db.store.identity().organization_id;
    conn.execute_batch("BEGIN; UPDATE sync_capture SET capture = 0;").unwrap();
    conn.execute(
        "INSERT INTO leads (id, organization_id, first_name, created_at, updated_at, version)
         VALUES ('0193a000-0000-7000-8000-000000000001', ?1, 'Pulled', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z', 5)",
        [org],
    )
    .unwrap();
    conn.execute_batch("UPDATE sync_capture SET capture = 1; COMMIT;").unwrap();
    assert_eq!(outbox_len(&db.store), 0);
}

#[test]
fn every_synced_table_has_capture_triggers() {
    let db = open();
    for t in db.store.catalog().tables() {
        for op in ["insert", "update", "delete"] {
            let name = format!("capture_{}_{op}", t.name);
            let n: i64 = db
                .store
                .conn()
                .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?1", [&name], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(n, 1, "{name}");
        }
    }
    assert!(db.store.catalog().tables().len() >= 23);
}

#[test]
fn rolled_back_writes_leave_no_outbox_entry() {
    let mut db = open();
    let err = db.store.write(|tx| {
        tx.insert("leads", row(json!({"first_name": "Ana"})))?;
        tx.insert("leads", row(json!({"first_name": "Bo", "status": "bogus"})))
    });
    assert!(err.is_err());
    assert_eq!(outbox_len(&db.store), 0);
    let n: i64 = db.store.conn().query_row("SELECT count(*) FROM leads", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0);
}

/// Every edit moves its row to the back of the edit order (edit_seq, with seq); reading a batch
/// gives new sending numbers (seq) and leaves the edit order alone.
#[test]
fn edits_set_the_edit_order_and_reading_a_batch_keeps_it() {
    let mut db = open();
    let a = add_lead(&mut db.store, json!({"first_name": "A"}));
    let b = add_lead(&mut db.store, json!({"first_name": "B"}));
    let edit_seq = |db: &TestDb, id: &str| -> i64 {
        db.store.conn().query_row("SELECT edit_seq FROM outbox WHERE row_id = ?1", [id], |r| r.get(0)).unwrap()
    };
    assert_eq!(edit_seq(&db, &a.id), seq_of(&db.store, "leads", &a.id));
    let _: Lead = db.store.edit(&a.id, row(json!({"company": "Later"}))).unwrap();
    assert!(edit_seq(&db, &a.id) > edit_seq(&db, &b.id), "the edited row goes behind");
    let before = (edit_seq(&db, &a.id), edit_seq(&db, &b.id));
    let batch = db.store.pending(10).unwrap();
    let order: Vec<&str> = batch.iter().map(|p| p.row_id.as_str()).collect();
    assert_eq!(order, [b.id.as_str(), a.id.as_str()]);
    assert_eq!((edit_seq(&db, &a.id), edit_seq(&db, &b.id)), before, "reading renumbers seq only");
    assert!(seq_of(&db.store, "leads", &b.id) > before.1);
}
