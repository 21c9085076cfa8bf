#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Recently deleted leads: newest first, gone from the list once restored; a lead merged away is
//! listed too (past the merge's Undo toast, restoring it is the way back).
mod common;

use common::*;
use serde_json::json;

fn names(db: &TestDb, limit: usize) -> Vec<String> {
    db.store.deleted_leads(limit).unwrap().into_iter().map(|d| d.first_name.unwrap_or_default()).collect()
}

#[test]
fn deleted_leads_come_newest_first_and_leave_the_list_when_restored() {
    let mut db = open();
    let [ada, bo, cy, dana, dup] =
        ["Ada", "Bo", "Cy", "Dana", "Dana"].map(|n| add_lead(&mut db.store, json!({"first_name": n})));
    assert!(db.store.deleted_leads(10).unwrap().is_empty());
    for lead in [&ada, &bo, &cy] {
        // Each in a transaction of its own, as the app deletes them: three deletion times.
        db.store.write(|tx| tx.delete("leads", &lead.id)).unwrap();
    }
    assert_eq!(names(&db, 10), ["Cy", "Bo", "Ada"]);
    assert_eq!(names(&db, 2), ["Cy", "Bo"], "the limit keeps the newest");
    let cy_row = &db.store.deleted_leads(1).unwrap()[0];
    assert_eq!((cy_row.id.as_str(), cy_row.deleted_at.is_empty()), (cy.id.as_str(), false));

    db.store.write(|tx| tx.restore("leads", &bo.id)).unwrap();
    assert_eq!(names(&db, 10), ["Cy", "Ada"]);

    db.store.merge_leads(&dana.id, &dup.id, &[]).unwrap();
    let newest = &db.store.deleted_leads(1).unwrap()[0];
    assert_eq!((newest.id.as_str(), names(&db, 10).len()), (dup.id.as_str(), 3), "the lead merged away");
}
