//! A pulled row that takes a unique key (an email) a local row still holds: the local row is stale
//! or holds an unpushed change; either way the page applies and nothing is lost.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::sync_local::Pulled;
use outpost_core::{Lead, Row, Store};
use serde_json::{json, Value};

/// A server copy of `like` with a new id and the given changes.
fn server_row(store: &Store, like: &str, changes: Value) -> Row {
    let mut r = store.get("leads", like).unwrap().unwrap();
    r.insert("id".into(), json!(uuid::Uuid::now_v7().to_string()));
    for (k, v) in row(changes) {
        r.insert(k, v);
    }
    r
}

fn upsert(r: &Row) -> Pulled {
    Pulled::Upsert { table: "leads".into(), row: r.clone() }
}

fn email(store: &Store, id: &str) -> Value {
    store.get("leads", id).unwrap().map_or(json!("<gone>"), |r| r["email"].clone())
}

#[test]
fn a_stale_local_row_makes_way_and_comes_back_with_the_rest_of_the_pull() {
    let mut db = open();
    let a = add_lead(&mut db.store, json!({"first_name": "A", "email": "x@acme.com"}));
    mark_synced(&db.store, "leads", &a.id, 1);
    // On the server, in one transaction: A's email moved to a new lead B. B sorts first.
    let b = server_row(&db.store, &a.id, json!({"first_name": "B"}));
    let mut a_now = db.store.get("leads", &a.id).unwrap().unwrap();
    a_now.insert("email".into(), json!("y@acme.com"));
    a_now.insert("version".into(), json!(2));
    let applied = db.store.apply_pulled(&[upsert(&b), upsert(&a_now)], None).unwrap();
    assert_eq!((applied.upserted, applied.displaced, applied.rejected), (2, 1, 0));
    assert_eq!(email(&db.store, b["id"].as_str().unwrap()), json!("x@acme.com"));
    assert_eq!(email(&db.store, &a.id), json!("y@acme.com"));
    assert_eq!(outbox_len(&db.store), 0, "pulled rows are not local changes");
}

#[test]
fn an_unrelated_pending_edit_of_a_row_with_a_stale_email_is_kept() {
    let mut db = open();
    let a = add_lead(&mut db.store, json!({"first_name": "A", "email": "x@acme.com"}));
    mark_synced(&db.store, "leads", &a.id, 1);
    let _: Lead = db.store.edit(&a.id, row(json!({"notes": "called, call back Friday"}))).unwrap();
    let b = server_row(&db.store, &a.id, json!({"first_name": "B", "notes": null}));
    db.store.apply_pulled(&[upsert(&b)], None).unwrap();
    assert_eq!(email(&db.store, &a.id), Value::Null, "the stale email waits for A's own server change");
    let mut a_now = b.clone();
    a_now.insert("id".into(), json!(a.id));
    a_now.insert("email".into(), json!("y@acme.com"));
    db.store.apply_pulled(&[upsert(&a_now)], None).unwrap();
    let a_row = db.store.get("leads", &a.id).unwrap().unwrap();
    assert_eq!((&a_row["email"], &a_row["notes"]), (&json!("y@acme.com"), &json!("called, call back Friday")));
    assert_eq!(
        outbox_entry(&db.store, "leads", &a.id),
        Some(("update".into(), Some(1), vec![("notes".into(), Value::Null)])),
        "the rep's edit is still pending"
    );
    assert!(db.store.open_rejections().unwrap().is_empty());
}

#[test]
fn a_pending_email_change_the_server_gave_to_someone_else_becomes_a_rejected_change() {
    let mut db = open();
    let a = add_lead(&mut db.store, json!({"first_name": "A", "email": "a@acme.com"}));
    mark_synced(&db.store, "leads", &a.id, 1);
    let _: Lead = db.store.edit(&a.id, row(json!({"email": "x@acme.com"}))).unwrap();
    let b = server_row(&db.store, &a.id, json!({"first_name": "B"}));
    let applied = db.store.apply_pulled(&[upsert(&b)], None).unwrap();
    assert_eq!((applied.displaced, applied.rejected), (1, 1));
    let rejected = db.store.open_rejections().unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!((rejected[0].row_id.as_str(), rejected[0].code.as_deref()), (a.id.as_str(), Some("23505")));
    assert!(rejected[0].reason.contains("already has this email"), "{}", rejected[0].reason);
    assert_eq!(outbox_entry(&db.store, "leads", &a.id), None);
    assert_eq!(db.store.refetch_due(100).unwrap(), vec![("leads".to_string(), vec![a.id.clone()])]);
    // The server's copy of A comes back through the refetch.
    let mut a_server = b.clone();
    a_server.insert("id".into(), json!(a.id));
    a_server.insert("email".into(), json!("a@acme.com"));
    db.store.apply_refetched("leads", std::slice::from_ref(&a.id), vec![a_server]).unwrap();
    assert_eq!(email(&db.store, &a.id), json!("a@acme.com"));
    assert!(db.store.refetch_due(100).unwrap().is_empty());
}

#[test]
fn a_new_local_lead_whose_email_the_server_already_has_is_rejected_with_its_row() {
    let mut db = open();
    let mine = add_lead(&mut db.store, json!({"first_name": "Mine", "email": "x@acme.com"}));
    let theirs = server_row(&db.store, &mine.id, json!({"first_name": "Theirs", "version": 1}));
    db.store.apply_pulled(&[upsert(&theirs)], None).unwrap();
    assert_eq!(email(&db.store, &mine.id), json!("<gone>"));
    let rejected = db.store.open_rejections().unwrap();
    assert_eq!((rejected.len(), rejected[0].op.as_str()), (1, "insert"));
    let change: Value = db
        .store
        .conn()
        .query_row("SELECT change FROM sync_rejected", [], |r| r.get::<_, String>(0))
        .map(|s| serde_json::from_str(&s).unwrap())
        .unwrap();
    assert_eq!(change["row"]["first_name"], json!("Mine"), "the rep's lead is kept in the rejected change");
    assert!(db.store.refetch_due(100).unwrap().is_empty(), "the server never had it");
}

#[test]
fn a_clash_inside_a_full_page_group_is_resolved_and_the_other_rows_land() {
    let mut db = open();
    let a = add_lead(&mut db.store, json!({"first_name": "A", "email": "x@acme.com"}));
    mark_synced(&db.store, "leads", &a.id, 1);
    // 70 server rows (two full statements of 32 and a rest); row 40 takes A's stale email.
    let rows: Vec<Row> = (0..70)
        .map(|i| {
            let email = if i == 40 { "x@acme.com".to_string() } else { format!("p{i}@acme.com") };
            server_row(&db.store, &a.id, json!({"first_name": format!("P{i}"), "email": email}))
        })
        .collect();
    let page: Vec<Pulled> = rows.iter().map(upsert).collect();
    let applied = db.store.apply_pulled(&page, None).unwrap();
    assert_eq!((applied.upserted, applied.displaced, applied.rejected), (70, 1, 0));
    for (i, r) in rows.iter().enumerate() {
        let stored = db.store.get("leads", r["id"].as_str().unwrap()).unwrap().unwrap();
        assert_eq!((&stored["first_name"], &stored["email"]), (&r["first_name"], &r["email"]), "row {i}");
    }
    assert_eq!(email(&db.store, &a.id), json!("<gone>"), "the stale row made way");
    // The same page again (a retried response) changes nothing and clashes with nothing.
    let again = db.store.apply_pulled(&page, None).unwrap();
    assert_eq!((again.upserted, again.displaced), (70, 0));
    assert_eq!(outbox_len(&db.store), 0);
}
