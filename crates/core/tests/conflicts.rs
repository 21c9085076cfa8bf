//! The conflicts inbox offers only choices that still exist: a conflict closes when the rep edits
//! its field again (the new edit is the decision) or when its row leaves this computer (deleted on
//! the server, moved out of the rep's reach), and a newer conflict on a field replaces an older one.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::Store;
use serde_json::json;

fn conflict(store: &Store, row_id: &str, column: &str) {
    store
        .conn()
        .execute(
            "INSERT INTO sync_conflicts (table_name, row_id, column_name, base_value, mine, theirs, detected_at)
             VALUES ('leads', ?1, ?2, '\"b\"', '\"m\"', '\"t\"', '2026-01-01T00:00:00.000000Z')",
            [row_id, column],
        )
        .unwrap();
}

fn open_on(store: &Store) -> Vec<(String, String)> {
    store.open_conflicts().unwrap().into_iter().map(|c| (c.row_id, c.column)).collect()
}

#[test]
fn editing_the_field_again_or_the_row_leaving_closes_its_conflicts() {
    let mut db = open();
    let a = add_lead(&mut db.store, json!({"first_name": "A", "notes": "x"}));
    let b = add_lead(&mut db.store, json!({"first_name": "B"}));
    conflict(&db.store, &a.id, "notes");
    conflict(&db.store, &a.id, "company");
    conflict(&db.store, &b.id, "notes");
    let _: outpost_core::Lead = db.store.edit(&a.id, row(json!({"notes": "decided"}))).unwrap();
    assert_eq!(
        open_on(&db.store),
        vec![(a.id.clone(), "company".to_string()), (b.id.clone(), "notes".to_string())],
        "only the edited field's conflict closed"
    );
    // Sync removes a row the server no longer shows this rep (capture off, a plain delete).
    db.store.conn().execute_batch("UPDATE sync_capture SET capture = 0 WHERE id = 1").unwrap();
    db.store.conn().execute("DELETE FROM leads WHERE id = ?1", [&b.id]).unwrap();
    assert_eq!(open_on(&db.store), vec![(a.id.clone(), "company".to_string())]);
}
