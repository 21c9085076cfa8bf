//! Edits that must not be lost between a push and the pull that follows it: a change the server
//! merged into a teammate's newer row, a delete undone while it was on the wire, an edit made just
//! before a delete.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use serde_json::json;

/// Ana's lead, synced to Ben's laptop, then changed by Ben with `bens` and synced.
async fn a_lead_ben_changed(
    lead: serde_json::Value,
    bens: serde_json::Value,
) -> (standin::Standin, Laptop, Laptop, outpost_core::Lead) {
    let (s, _org) = team(2);
    let (mut ana, mut ben) = (rep(&s, 0).await, rep(&s, 1).await);
    let lead = ana.add(lead);
    ana.sync().await;
    ben.sync().await;
    ben.edit(&lead.id, bens);
    ben.sync().await;
    (s, ana, ben, lead)
}

/// Ana edits the lead and syncs: her push is answered, then the pull fails (its function refused).
async fn push_then_fail_the_pull(s: &standin::Standin, ana: &mut Laptop, id: &str, edit: serde_json::Value) {
    let pull = "FUNCTION public.sync_pull(text, uuid, int, text)";
    s.sql(&format!("REVOKE EXECUTE ON {pull} FROM authenticated")).unwrap();
    ana.edit(id, edit);
    assert!(ana.engine.sync_once(&mut ana.store, |_| {}).await.is_err(), "the pull fails");
    s.sql(&format!("GRANT EXECUTE ON {pull} TO authenticated")).unwrap();
    assert_eq!(ana.store.pending_count().unwrap(), 0, "the push was answered");
}

fn server_notes(s: &standin::Standin, id: &str) -> String {
    s.sql(&format!("SELECT coalesce(notes, '<null>') || '|' || (deleted_at IS NOT NULL) FROM leads WHERE id = '{id}'"))
        .unwrap()
        .join("")
}

/// Ana's push is merged into the row Ben changed, and her pull fails: her row does not have Ben's
/// notes. Her next edit of the notes must meet his as a conflict, not be written over them.
#[tokio::test]
async fn an_edit_after_a_merged_push_does_not_overwrite_a_teammates_change() {
    let (s, mut ana, _ben, lead) =
        a_lead_ben_changed(json!({"first_name": "Pat", "notes": "first notes"}), json!({"notes": "Ben's notes"})).await;
    push_then_fail_the_pull(&s, &mut ana, &lead.id, json!({"company": "Acme"})).await;
    assert_eq!(s.sql(&format!("SELECT company FROM leads WHERE id = '{}'", lead.id)).unwrap(), ["Acme"]);

    ana.edit(&lead.id, json!({"notes": "Ana's notes"}));
    let r = ana.sync().await;
    assert_eq!((r.conflicts, r.rejected), (1, 0), "{r:?}");
    assert_eq!(server_notes(&s, &lead.id), "Ben's notes|false", "Ben's notes stay until Ana decides");
    let conflicts = ana.store.open_conflicts().unwrap();
    let said: Vec<_> = conflicts.iter().map(|c| (c.column.as_str(), c.mine.clone(), c.theirs.clone())).collect();
    assert_eq!(said, [("notes", json!("Ana's notes"), json!("Ben's notes"))]);
}

/// The delete reached the server but its answer was lost; the rep undid it meanwhile. The undo is
/// a change of its own and goes out with the next sync.
#[tokio::test]
async fn a_delete_undone_while_its_answer_was_lost_stays_undone() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let lead = ana.add(json!({"first_name": "Pat", "notes": "keep me"}));
    ana.sync().await;
    ana.store.write(|tx| tx.delete("leads", &lead.id)).unwrap();
    s.faults().drop_next_responses(1);
    assert!(ana.engine.sync_once(&mut ana.store, |_| {}).await.is_err());
    assert_eq!(server_notes(&s, &lead.id), "keep me|true", "the delete was applied");

    ana.store.write(|tx| tx.restore("leads", &lead.id)).unwrap();
    let r = ana.sync().await;
    assert_eq!((r.conflicts, r.rejected), (0, 0), "{r:?}");
    assert_eq!(server_notes(&s, &lead.id), "keep me|false");
    assert_eq!(ana.leads(), server_leads(&s, org));
    assert_eq!(ana.store.pending_count().unwrap(), 0);
}

/// Notes changed, then the lead deleted before a sync, then restored: the notes are the new ones,
/// on the laptop and on the server.
#[tokio::test]
async fn an_edit_made_just_before_a_delete_survives_the_restore() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let lead = ana.add(json!({"first_name": "Pat", "notes": "v1"}));
    ana.sync().await;
    ana.edit(&lead.id, json!({"notes": "v2"}));
    ana.store.write(|tx| tx.delete("leads", &lead.id)).unwrap();
    let r = ana.sync().await;
    assert_eq!((r.conflicts, r.rejected), (0, 0), "{r:?}");
    assert_eq!(server_notes(&s, &lead.id), "v2|true");

    ana.store.write(|tx| tx.restore("leads", &lead.id)).unwrap();
    ana.sync().await;
    assert_eq!(server_notes(&s, &lead.id), "v2|false");
    assert_eq!(ana.leads(), server_leads(&s, org));
}

/// A copy of a laptop's database (a restored backup, a file moved to a new laptop while the old one
/// still syncs) has the original's sync identity and numbers: its changes must not be answered with
/// what the server stored for the original's changes under the same numbers.
#[tokio::test]
async fn a_copied_database_syncs_its_own_changes() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let lead = ana.add(json!({"first_name": "Pat"}));
    ana.sync().await;
    let dir = tempfile::tempdir().unwrap();
    let copy_path = dir.path().join("restored.db");
    ana.store.conn().execute("VACUUM INTO ?1", [copy_path.to_str().unwrap()]).unwrap();
    let mut copy = outpost_core::Store::open(&copy_path).unwrap();
    let engine = engine(&s);
    engine.sign_in(&mut copy, "rep0@acme.test", "pw-rep-0").await.unwrap();

    // The laptop edits more than the copy: each edit takes a number, so the copy's number falls
    // where the laptop's sent none (no stored result), or on one of its changes.
    for n in 1..=3 {
        ana.edit(&lead.id, json!({"notes": format!("from the laptop {n}")}));
    }
    ana.sync().await;
    copy.edit::<outpost_core::Lead>(&lead.id, obj(json!({"company": "from the copy"}))).unwrap();
    let r = engine.sync_once(&mut copy, |_| {}).await.unwrap();
    assert_eq!((r.applied, r.conflicts, r.rejected), (1, 0, 0), "{r:?}");
    let server = s.sql(&format!("SELECT notes || '|' || company FROM leads WHERE id = '{}'", lead.id)).unwrap();
    assert_eq!(server, ["from the laptop 3|from the copy"]);
    assert_eq!(copy.pending_count().unwrap(), 0);
    // Both go on syncing, each under its own identity.
    ana.edit(&lead.id, json!({"first_name": "Patricia"}));
    assert_eq!(ana.sync().await.applied, 1);
    engine.sync_once(&mut copy, |_| {}).await.unwrap();
    assert_eq!(ana.leads(), server_leads(&s, org));
}

/// Ana's change had nothing left to write (Ben's newer row already held it): the answer's version is
/// Ben's, but her row does not have his other values — a later edit before the pull must meet them.
#[tokio::test]
async fn a_change_the_server_already_held_does_not_take_a_teammates_version() {
    let (s, mut ana, _ben, lead) = a_lead_ben_changed(
        json!({"first_name": "Pat", "notes": "first notes"}),
        json!({"status": "qualified", "notes": "Ben's notes"}),
    )
    .await;
    push_then_fail_the_pull(&s, &mut ana, &lead.id, json!({"status": "qualified"})).await;

    ana.edit(&lead.id, json!({"notes": "Ana's notes"}));
    let r = ana.sync().await;
    assert_eq!((r.conflicts, r.rejected), (1, 0), "{r:?}");
    assert_eq!(server_notes(&s, &lead.id), "Ben's notes|false");
}

/// Ana edits a lead and deletes it; Ben edited it meanwhile. As for any delete of a row someone
/// edited since: the delete is a conflict (the lead stays until Ana decides) — and her edit landed.
#[tokio::test]
async fn an_edited_then_deleted_lead_a_teammate_changed_is_a_conflict_and_keeps_the_edit() {
    let (s, mut ana, _ben, lead) =
        a_lead_ben_changed(json!({"first_name": "Pat", "notes": "v1"}), json!({"company": "Ben's company"})).await;
    ana.edit(&lead.id, json!({"notes": "v2"}));
    ana.store.write(|tx| tx.delete("leads", &lead.id)).unwrap();
    let r = ana.sync().await;
    assert_eq!((r.conflicts, r.rejected), (1, 0), "{r:?}");
    assert_eq!(server_notes(&s, &lead.id), "v2|false", "her edit landed; the delete waits for her");
    let open = ana.store.open_conflicts().unwrap();
    assert_eq!(open.iter().map(|c| c.column.as_str()).collect::<Vec<_>>(), ["deleted_at"]);
}
