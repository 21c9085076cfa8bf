#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Recently deleted leads: newest first, gone from the list once restored; a lead merged away is
//! listed too (past the merge's Undo toast, restoring it is the way back).
mod common;

use common::*;
use outpost_core::Lead;
use serde_json::json;

fn names(db: &TestDb, limit: usize) -> Vec<String> {
    db.store.deleted_leads(limit, None).unwrap().into_iter().map(|d| d.first_name.unwrap_or_default()).collect()
}

#[test]
fn deleted_leads_come_newest_first_and_leave_the_list_when_restored() {
    let mut db = open();
    let [ada, bo, cy, dana, dup] =
        ["Ada", "Bo", "Cy", "Dana", "Dana"].map(|n| add_lead(&mut db.store, json!({"first_name": n})));
    assert!(db.store.deleted_leads(10, None).unwrap().is_empty());
    for lead in [&ada, &bo, &cy] {
        // Each in a transaction of its own, as the app deletes them: three deletion times.
        db.store.write(|tx| tx.delete("leads", &lead.id)).unwrap();
    }
    assert_eq!(names(&db, 10), ["Cy", "Bo", "Ada"]);
    assert_eq!(names(&db, 2), ["Cy", "Bo"], "the limit keeps the newest");
    let cy_row = &db.store.deleted_leads(1, None).unwrap()[0];
    assert_eq!((cy_row.id.as_str(), cy_row.deleted_at.is_empty()), (cy.id.as_str(), false));

    db.store.write(|tx| tx.restore("leads", &bo.id)).unwrap();
    assert_eq!(names(&db, 10), ["Cy", "Ada"]);

    db.store.merge_leads(&dana.id, &dup.id, &[]).unwrap();
    let newest = &db.store.deleted_leads(1, None).unwrap()[0];
    assert_eq!((newest.id.as_str(), names(&db, 10).len()), (dup.id.as_str(), 3), "the lead merged away");
}

/// A bulk delete past its Undo comes back from the screen whole: counted in all, listed from a
/// moment on, and its ids a batch at a time (restore all).
#[test]
fn deleted_leads_are_counted_and_listed_from_a_moment_on() {
    let mut db = open();
    let old = add_lead(&mut db.store, json!({"first_name": "Old"}));
    let batch: Vec<_> = (0..3).map(|i| add_lead(&mut db.store, json!({"first_name": format!("B{i}")}))).collect();
    db.store.remove::<Lead>(&old.id).unwrap();
    db.store
        .conn()
        .execute("UPDATE leads SET deleted_at = '2026-01-01T09:00:00.000000Z' WHERE id = ?1", [&old.id])
        .unwrap();
    for lead in &batch {
        db.store.remove::<Lead>(&lead.id).unwrap();
    }
    let since = Some("2026-06-01T00:00:00Z");
    assert_eq!((db.store.count_deleted(None).unwrap(), db.store.count_deleted(since).unwrap()), (4, 3));
    let listed: Vec<_> =
        db.store.deleted_leads(10, since).unwrap().into_iter().map(|d| d.first_name.unwrap_or_default()).collect();
    assert_eq!(listed, ["B2", "B1", "B0"]);
    let ids = db.store.deleted_ids(2, since).unwrap();
    assert_eq!(ids, [batch[2].id.clone(), batch[1].id.clone()]);
}
