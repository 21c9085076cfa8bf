//! A conflict's "theirs" moves on with the server: a teammate's newer value pulled before the rep
//! settles it is what the card shows, and "keep mine" on the card that showed the older value is
//! refused rather than written over the newer one unseen.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::sync_local::{Keep, Pulled};
use outpost_core::{Lead, Store};
use serde_json::{json, Value};

/// The lead as the server sends it at `version`, with `notes`.
fn pulled(store: &Store, id: &str, version: i64, notes: &str) -> Pulled {
    let mut r = store.get("leads", id).unwrap().unwrap();
    r.insert("notes".into(), json!(notes));
    r.insert("version".into(), json!(version));
    Pulled::Upsert { table: "leads".into(), row: r }
}

fn open_notes(store: &Store) -> Vec<(i64, Value, Value)> {
    let open = store.open_conflicts().unwrap();
    open.into_iter().filter(|c| c.column == "notes").map(|c| (c.id, c.mine, c.theirs)).collect()
}

/// A conflict as an edit over a teammate's value records it: mine "Offline note", theirs "Teammate note".
fn conflicted(db: &mut TestDb) -> String {
    let lead = add_lead(&mut db.store, json!({"first_name": "B", "notes": "Old"}));
    mark_synced(&db.store, "leads", &lead.id, 1);
    db.store.apply_pulled(&[pulled(&db.store, &lead.id, 2, "Teammate note")], None).unwrap();
    let refused =
        db.store.edit_expecting::<Lead>(&lead.id, row(json!({"notes": "Offline note"})), &row(json!({"notes": "Old"})));
    assert!(refused.is_err(), "the edit over a value changed meanwhile is a conflict");
    lead.id
}

#[test]
fn a_newer_value_of_theirs_replaces_the_card_and_the_old_cards_choice_is_refused() {
    let mut db = open();
    let id = conflicted(&mut db);
    let [(old, mine, theirs)] = &open_notes(&db.store)[..] else { panic!("one open conflict") };
    assert_eq!((mine, theirs), (&json!("Offline note"), &json!("Teammate note")));

    db.store.apply_pulled(&[pulled(&db.store, &id, 3, "Teammate note v2 - DO NOT LOSE")], None).unwrap();
    let [(new, mine, theirs)] = &open_notes(&db.store)[..] else { panic!("still one open conflict") };
    assert_ne!(new, old, "a new card");
    assert_eq!((mine, theirs), (&json!("Offline note"), &json!("Teammate note v2 - DO NOT LOSE")));

    let stale = db.store.resolve_conflict(*old, Keep::Mine).unwrap_err();
    assert!(stale.to_string().contains("changed again since"), "{stale}");
    assert_eq!(db.store.get("leads", &id).unwrap().unwrap()["notes"], json!("Teammate note v2 - DO NOT LOSE"));
    db.store.resolve_conflict(*new, Keep::Mine).unwrap();
    assert_eq!(db.store.get("leads", &id).unwrap().unwrap()["notes"], json!("Offline note"), "chosen, seen");
}

#[test]
fn theirs_becoming_mine_settles_the_conflict_and_an_unchanged_value_keeps_the_card() {
    let mut db = open();
    let id = conflicted(&mut db);
    let [(card, ..)] = &open_notes(&db.store)[..] else { panic!("one open conflict") };
    // Another column of the row moved on: the notes card stands as it was.
    let mut other = db.store.get("leads", &id).unwrap().unwrap();
    other.insert("company".into(), json!("Acme"));
    other.insert("version".into(), json!(3));
    db.store.apply_pulled(&[Pulled::Upsert { table: "leads".into(), row: other }], None).unwrap();
    assert_eq!(open_notes(&db.store).iter().map(|c| c.0).collect::<Vec<_>>(), [*card]);
    // The teammate typed the rep's very words: nothing left to choose.
    db.store.apply_pulled(&[pulled(&db.store, &id, 4, "Offline note")], None).unwrap();
    assert!(open_notes(&db.store).is_empty());
}

/// A deal value kept as text here and sent as a number by the server is the same value: pulling
/// the row again does not make a new card (a choice on the card the rep was reading was refused).
#[test]
fn a_deal_value_in_the_servers_form_is_the_same_theirs() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "D", "predicted_value": "1000"}));
    mark_synced(&db.store, "leads", &lead.id, 1);
    let mut theirs = db.store.get("leads", &lead.id).unwrap().unwrap();
    theirs.insert("predicted_value".into(), json!(1234.5));
    theirs.insert("version".into(), json!(2));
    db.store.apply_pulled(&[Pulled::Upsert { table: "leads".into(), row: theirs.clone() }], None).unwrap();
    let refused = db.store.edit_expecting::<Lead>(
        &lead.id,
        row(json!({"predicted_value": "2000"})),
        &row(json!({"predicted_value": "1000"})),
    );
    assert!(refused.is_err());
    let card = |s: &Store| s.open_conflicts().unwrap().into_iter().map(|c| c.id).collect::<Vec<_>>();
    let before = card(&db.store);
    assert_eq!(before.len(), 1);
    theirs.insert("version".into(), json!(3));
    db.store.apply_pulled(&[Pulled::Upsert { table: "leads".into(), row: theirs }], None).unwrap();
    assert_eq!(card(&db.store), before, "the same card");
}
