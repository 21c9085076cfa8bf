//! Undoing an import after its leads synced: a lead someone changed since on another computer (a
//! teammate, or the rep elsewhere) stays, as one edited here does; the others go, on the server too.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_import::{import, undo, ImportOptions, OnDuplicate, Undone};
use serde_json::json;

/// Imports `csv` (its text) into the laptop's store; returns the import's id.
fn import_text(laptop: &mut Laptop, csv: &str, on_duplicate: OnDuplicate) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("leads.csv");
    std::fs::write(&file, csv).unwrap();
    let opts = ImportOptions { on_duplicate, ..ImportOptions::default() };
    import(&mut laptop.store, &file, &opts, &mut |_| true).unwrap().import_id.unwrap()
}

fn lead_id(laptop: &Laptop, email: &str) -> String {
    laptop.store.conn().query_row("SELECT id FROM leads WHERE email = ?1", [email], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn undo_keeps_an_imported_lead_a_teammate_changed_since() {
    let (s, org) = team(2);
    let mut ana = rep(&s, 0).await;
    let mut bob = rep(&s, 1).await;
    // The unmapped columns go into custom_fields, which the server keeps as jsonb (keys in its own
    // order): its copy coming back must not look like someone's change.
    let imported = import_text(
        &mut ana,
        "Email,First Name,Favourite Colour,Shoe Size\n\
         one@x.test,One,red,42\ntwo@x.test,Two,blue,39\nthree@x.test,Three,green,44\n",
        OnDuplicate::Skip,
    );
    ana.sync().await;
    bob.sync().await;
    bob.edit(&lead_id(&bob, "two@x.test"), json!({"status": "qualified"}));
    bob.sync().await;
    ana.sync().await;
    let undone = undo(&mut ana.store, &imported).unwrap();
    assert_eq!(undone, Undone { removed: 2, restored: 0, kept: 1, opt_outs_kept: 0 }, "Bob's lead stays");
    ana.sync().await;
    let live =
        format!("SELECT email || '|' || status FROM leads WHERE organization_id = '{org}' AND deleted_at IS NULL");
    assert_eq!(s.sql(&live).unwrap(), vec!["two@x.test|qualified"]);
    bob.sync().await;
    assert_eq!(bob.leads(), ana.leads());
    // The undo's own deletes coming back from the server (with the server's time) are nobody's work.
    assert_eq!(ana.store.conn().query_row("SELECT count(*) FROM lead_work", [], |r| r.get::<_, i64>(0)).unwrap(), 1);
}

/// A later import's update of the lead meets a teammate's edit of the same field: the rep sees the
/// teammate's value (a conflict to decide) — a change from someone else, which undoing the first
/// import must keep as well.
#[tokio::test]
async fn undo_keeps_an_imported_lead_whose_conflict_shows_a_teammates_value() {
    let (s, org) = team(2);
    let mut ana = rep(&s, 0).await;
    let mut bob = rep(&s, 1).await;
    let csv = "Email,First Name,Company\none@x.test,One,Ana Co\ntwo@x.test,Two,Ana Co\n";
    let imported = import_text(&mut ana, csv, OnDuplicate::Skip);
    ana.sync().await;
    bob.sync().await;
    bob.edit(&lead_id(&bob, "two@x.test"), json!({"company": "Bob Co"}));
    bob.sync().await;
    import_text(&mut ana, "Email,Company\ntwo@x.test,Update Co\n", OnDuplicate::Update);
    let r = ana.sync().await;
    assert_eq!(r.conflicts, 1, "{r:?}");
    let undone = undo(&mut ana.store, &imported).unwrap();
    assert_eq!((undone.removed, undone.kept), (1, 1), "{undone:?}");
    ana.sync().await;
    let live =
        format!("SELECT email || '|' || company FROM leads WHERE organization_id = '{org}' AND deleted_at IS NULL");
    assert_eq!(s.sql(&live).unwrap(), vec!["two@x.test|Bob Co"]);
}

/// A change the server refuses puts the lead back to the server's copy: that is not someone's work,
/// and undoing the import that made the lead (after the refused one's) still removes it.
#[tokio::test]
async fn a_refused_change_put_back_is_not_work() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let imported = import_text(&mut ana, "Email,First Name\none@x.test,One\n", OnDuplicate::Skip);
    ana.sync().await;
    let update = import_text(&mut ana, &format!("Email,Notes\none@x.test,{}\n", "n".repeat(4000)), OnDuplicate::Update);
    // Too large for a proxy on the way: the change is refused and the lead fetched back.
    s.faults().set_max_body(2000);
    let r = ana.sync().await;
    assert_eq!(r.rejected, 1, "{r:?}");
    s.faults().clear();
    let notes: Option<String> =
        ana.store.conn().query_row("SELECT notes FROM leads WHERE email = 'one@x.test'", [], |r| r.get(0)).unwrap();
    assert_eq!(notes, None, "the server's copy is back");
    // A later import that changed the lead keeps it while that import stands: take it back first.
    undo(&mut ana.store, &update).unwrap();
    let undone = undo(&mut ana.store, &imported).unwrap();
    assert_eq!((undone.removed, undone.kept), (1, 0), "{undone:?}");
    ana.sync().await;
    let live = format!("SELECT count(*) FROM leads WHERE organization_id = '{org}' AND deleted_at IS NULL");
    assert_eq!(s.sql(&live).unwrap(), vec!["0"]);
}

/// A file taken back before it synced never reaches the server: its leads go from this computer
/// altogether (nothing queued for them), while those a sync already sent are deleted for the team.
#[tokio::test]
async fn an_import_undone_before_it_synced_never_reaches_the_server() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let synced = import_text(&mut ana, "Email,First Name\nsent@x.test,Sent\n", OnDuplicate::Skip);
    ana.sync().await;
    let private = import_text(
        &mut ana,
        "Email,First Name,Notes\nmum@x.test,Mum,medical appointment tuesday\ndoc@x.test,Doc,\n",
        OnDuplicate::Skip,
    );
    let undone = undo(&mut ana.store, &private).unwrap();
    assert_eq!(undone, Undone { removed: 2, restored: 0, kept: 0, opt_outs_kept: 0 });
    let count = |sql: &str| ana.store.conn().query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(count("SELECT count(*) FROM leads WHERE email IN ('mum@x.test', 'doc@x.test')"), 0);
    assert_eq!(count("SELECT count(*) FROM outbox WHERE table_name = 'leads'"), 0, "nothing to send for them");
    assert!(ana.store.search_leads("appointment", 10).unwrap().is_empty(), "nor found by search");
    assert_eq!(undo(&mut ana.store, &synced).unwrap(), Undone { removed: 1, restored: 0, kept: 0, opt_outs_kept: 0 });
    ana.sync().await;
    let all = format!("SELECT email || '|' || (deleted_at IS NOT NULL) FROM leads WHERE organization_id = '{org}'");
    assert_eq!(
        s.sql(&all).unwrap(),
        vec!["sent@x.test|true"],
        "the sent one deleted for the team; the rest never came"
    );
}

/// An imported lead the server refused (the rep had just been made a viewer) is sent again by
/// "Try again" as the import's lead: it keeps its import, whose undo then takes it back.
#[tokio::test]
async fn a_refused_imported_lead_sent_again_stays_the_imports() {
    let (s, org) = team(1);
    let vic_id = s.create_user("vic@acme.test", "pw-vic", org, "sales_rep").unwrap();
    let role = |r: &str| s.sql(&format!("UPDATE profiles SET role = '{r}' WHERE id = '{vic_id}'")).unwrap();
    let mut vic = laptop(&s, "vic@acme.test", "pw-vic").await;
    vic.sync().await;
    let imported = import_text(&mut vic, "Email,First Name\nlee@x.test,Lee\n", OnDuplicate::Skip);
    role("viewer");
    assert_eq!(vic.sync().await.rejected, 2, "the import's record and its lead");
    role("sales_rep");
    vic.sync().await;
    for refused in vic.store.open_rejections().unwrap() {
        vic.store.retry_rejection(refused.id).unwrap();
    }
    assert_eq!(vic.sync().await.applied, 2);
    let live = format!("SELECT count(*) FROM leads WHERE organization_id = '{org}' AND deleted_at IS NULL");
    assert_eq!(s.sql(&live).unwrap(), vec!["1"]);
    assert_eq!(undo(&mut vic.store, &imported).unwrap().removed, 1, "still the import's lead");
    vic.sync().await;
    assert_eq!(s.sql(&live).unwrap(), vec!["0"]);
}
