//! A first sync into an empty table drops its unique indexes too (the server kept its rows apart)
//! and makes them again at the end; a clash a local edit made meanwhile is settled then, not
//! lost. A table that already has rows keeps its unique indexes during the load.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::sync_local::Pulled;
use outpost_core::Store;
use serde_json::json;

fn has_email_index(store: &Store) -> bool {
    store
        .conn()
        .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'leads_org_email_key'", [], |r| r.get::<_, i64>(0))
        .unwrap()
        == 1
}

fn server_lead(store: &Store, n: u32, email: &str) -> Pulled {
    let at = "2030-01-02T03:04:05.678000Z";
    Pulled::Upsert {
        table: "leads".into(),
        row: row(json!({
            "id": format!("00000000-0000-7000-8000-{n:012}"), "organization_id": store.identity().organization_id,
            "first_name": format!("S{n}"), "email": email, "created_at": at, "updated_at": at, "version": 1,
        })),
    }
}

#[test]
fn an_empty_table_loads_without_its_unique_index_and_gets_it_back() {
    let mut db = open();
    db.store.begin_bulk_load().unwrap();
    assert!(!has_email_index(&db.store), "dropped for the load");
    let other = Store::connect(db.dir.path().join("outpost.db")).unwrap();
    let key = &other.catalog().table("leads").unwrap().unique_keys;
    assert_eq!(key.len(), 1, "a connection opened during the load still knows the key: {key:?}");
    assert_eq!(key[0].exprs, vec!["organization_id", "lower(email)"]);
    db.store
        .apply_pulled(&[server_lead(&db.store, 1, "a@acme.com"), server_lead(&db.store, 2, "b@acme.com")], None)
        .unwrap();
    db.store.end_bulk_load().unwrap();
    assert!(has_email_index(&db.store));
    let refetch: i64 = db.store.conn().query_row("SELECT count(*) FROM sync_refetch", [], |r| r.get(0)).unwrap();
    assert_eq!(refetch, 0, "nothing clashed");
}

#[test]
fn a_table_with_rows_keeps_its_unique_index_during_the_load() {
    let mut db = open();
    add_lead(&mut db.store, json!({"first_name": "Local", "email": "l@acme.com"}));
    db.store.begin_bulk_load().unwrap();
    assert!(has_email_index(&db.store), "a pulled row may clash with the local one");
    db.store.end_bulk_load().unwrap();
    assert!(has_email_index(&db.store));
}

#[test]
fn a_key_a_local_edit_took_during_the_load_is_settled_when_the_index_comes_back() {
    let mut db = open();
    db.store.begin_bulk_load().unwrap();
    // The rep adds a lead while the first sync runs; a later page brings the server's lead with
    // the same email (the server has not seen the rep's yet).
    let mine = add_lead(&mut db.store, json!({"first_name": "Mine", "email": "Dup@acme.com"}));
    db.store
        .apply_pulled(&[server_lead(&db.store, 7, "dup@acme.com"), server_lead(&db.store, 8, "x@acme.com")], None)
        .unwrap();
    db.store.end_bulk_load().unwrap();
    assert!(has_email_index(&db.store));
    let server = db.store.get("leads", "00000000-0000-7000-8000-000000000007").unwrap().unwrap();
    assert_eq!(server["email"], json!(null), "the pulled row gave up the key for now");
    assert_eq!(db.store.get("leads", &mine.id).unwrap().unwrap()["email"], json!("Dup@acme.com"), "the rep's is kept");
    let refetch: Vec<String> = db
        .store
        .conn()
        .prepare("SELECT row_id FROM sync_refetch")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(refetch, vec!["00000000-0000-7000-8000-000000000007"], "and is fetched again after the pull");
    assert_eq!(outbox_len(&db.store), 1, "settling it is no local change: only the rep's insert is pending");
}

fn index_exists(store: &Store, name: &str) -> bool {
    store
        .conn()
        .query_row("SELECT count(*) FROM sqlite_master WHERE name = ?1", [name], |r| r.get::<_, i64>(0))
        .unwrap()
        == 1
}

#[test]
fn a_key_no_row_can_give_up_stays_during_the_load() {
    let mut db = open();
    db.store.begin_bulk_load().unwrap();
    // A list's name is NOT NULL: a clash on it could not be settled by a pulled row stepping aside.
    assert!(index_exists(&db.store, "lead_lists_org_name_key"));
    assert!(!has_email_index(&db.store));
    db.store.end_bulk_load().unwrap();
}

#[test]
fn a_pulled_row_the_rep_edited_elsewhere_still_gives_up_the_key() {
    let mut db = open();
    db.store.begin_bulk_load().unwrap();
    let mine = add_lead(&mut db.store, json!({"first_name": "Mine", "email": "x@acme.com"}));
    db.store.apply_pulled(&[server_lead(&db.store, 3, "x@acme.com")], None).unwrap();
    // The rep edits the pulled lead's notes: its email is still the server's.
    let pulled = "00000000-0000-7000-8000-000000000003";
    let _: outpost_core::Lead = db.store.edit(pulled, row(json!({"notes": "met at the fair"}))).unwrap();
    db.store.end_bulk_load().unwrap();
    assert!(has_email_index(&db.store));
    let got = db.store.get("leads", pulled).unwrap().unwrap();
    assert_eq!((&got["email"], &got["notes"]), (&json!(null), &json!("met at the fair")), "the edit is kept");
    assert_eq!(db.store.get("leads", &mine.id).unwrap().unwrap()["email"], json!("x@acme.com"));
}

#[test]
fn rows_the_rep_changed_that_share_a_key_leave_the_index_waiting_not_the_sync_stuck() {
    let mut db = open();
    db.store.begin_bulk_load().unwrap();
    // Two pending local inserts with one email (written around the rules, as a race could).
    let org = db.store.identity().organization_id.clone();
    for n in [1, 2] {
        db.store
            .conn()
            .execute(
                "INSERT INTO leads (id, organization_id, email, created_at, updated_at) VALUES (?1, ?2, 'twice@acme.com', ?3, ?3)",
                (format!("00000000-0000-7000-8000-00000000000{n}"), &org, "2030-01-02T03:04:05.678000Z"),
            )
            .unwrap();
    }
    // And a clash that could be settled (a pulled row and the rep's new lead): with the index
    // waiting anyway, the pulled row keeps its email (setting it aside would only churn).
    add_lead(&mut db.store, json!({"first_name": "Mine", "email": "y@acme.com"}));
    db.store.apply_pulled(&[server_lead(&db.store, 9, "y@acme.com")], None).unwrap();
    db.store.end_bulk_load().expect("the rest of the load is restored");
    assert!(!has_email_index(&db.store), "the index waits");
    let pulled = db.store.get("leads", "00000000-0000-7000-8000-000000000009").unwrap().unwrap();
    assert_eq!(pulled["email"], json!("y@acme.com"));
    let refetch: i64 = db.store.conn().query_row("SELECT count(*) FROM sync_refetch", [], |r| r.get(0)).unwrap();
    assert_eq!(refetch, 0);
    assert!(index_exists(&db.store, "leads_org_email_key_waiting"), "a plain index keeps email lookups fast meanwhile");
    assert!(index_exists(&db.store, "leads_assigned_to_idx"), "the other indexes are back");
    assert_eq!(db.store.search_leads("twice", 10).unwrap().len(), 2, "and the search index");
    let other = Store::connect(db.dir.path().join("outpost.db")).unwrap();
    assert_eq!(other.catalog().table("leads").unwrap().unique_keys.len(), 1, "the key is still known");
    drop(other);
    db.store.conn().execute("DELETE FROM leads WHERE id = '00000000-0000-7000-8000-000000000002'", []).unwrap();
    db.store.end_bulk_load().unwrap();
    assert!(has_email_index(&db.store), "made once the clash is gone");
    let pulled = db.store.get("leads", "00000000-0000-7000-8000-000000000009").unwrap().unwrap();
    assert_eq!(pulled["email"], json!(null), "now the settleable clash is settled");
    assert!(!index_exists(&db.store, "leads_org_email_key_waiting"));
    assert_eq!(db.store.setting("bulk_load").unwrap(), None);
}
