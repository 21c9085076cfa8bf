//! Undoing an import after its leads synced: a lead someone changed since on another computer (a
//! teammate, or the rep elsewhere) stays, as one edited here does; the others go, on the server too.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_import::{import, undo, ImportOptions, Undone};
use serde_json::json;

fn lead_id(laptop: &Laptop, email: &str) -> String {
    laptop.store.conn().query_row("SELECT id FROM leads WHERE email = ?1", [email], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn undo_keeps_an_imported_lead_a_teammate_changed_since() {
    let (s, org) = team(2);
    let mut ana = rep(&s, 0).await;
    let mut bob = rep(&s, 1).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("leads.csv");
    // The unmapped columns go into custom_fields, which the server keeps as jsonb (keys in its own
    // order): its copy coming back must not look like someone's change.
    std::fs::write(
        &file,
        "Email,First Name,Favourite Colour,Shoe Size\n\
         one@x.test,One,red,42\ntwo@x.test,Two,blue,39\nthree@x.test,Three,green,44\n",
    )
    .unwrap();
    let imported = import(&mut ana.store, &file, &ImportOptions::default(), &mut |_| true).unwrap();
    ana.sync().await;
    bob.sync().await;
    bob.edit(&lead_id(&bob, "two@x.test"), json!({"status": "qualified"}));
    bob.sync().await;
    ana.sync().await;
    let undone = undo(&mut ana.store, imported.import_id.as_deref().unwrap()).unwrap();
    assert_eq!(undone, Undone { removed: 2, restored: 0, kept: 1 }, "Bob's lead stays");
    ana.sync().await;
    let live =
        format!("SELECT email || '|' || status FROM leads WHERE organization_id = '{org}' AND deleted_at IS NULL");
    assert_eq!(s.sql(&live).unwrap(), vec!["two@x.test|qualified"]);
    bob.sync().await;
    assert_eq!(bob.leads(), ana.leads());
}
