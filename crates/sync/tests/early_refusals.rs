//! The outbox sends a row's change in the order of its last edit. A change can then reach the
//! server before the change that frees what it takes: a list renamed "Q4" → "Q5", a new list named
//! "Q4", then the first list edited again — the new list goes first, while the server still has
//! the old one as "Q4". Such a refusal is only early: the change goes again at the end of the push
//! and lands; one that is refused again is kept for the rep, as before.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::lists::Group;
use serde_json::json;

#[tokio::test]
async fn a_name_freed_by_a_later_change_is_taken_in_the_same_sync() {
    let (s, _org) = team(2);
    let mut ana = rep(&s, 0).await;
    let first = ana.store.create_list("Q4", None).unwrap();
    assert_eq!(ana.sync().await.rejected, 0);

    ana.store.rename_group(Group::List, &first.id, "Q5").unwrap();
    let second = ana.store.create_list("Q4", None).unwrap();
    ana.store.rename_group(Group::List, &first.id, "Q5 (EMEA)").unwrap();
    let r = ana.sync().await;
    assert_eq!((r.rejected, r.conflicts), (0, 0), "{r:?}");
    assert!(ana.store.open_rejections().unwrap().is_empty());
    assert_eq!(ana.store.pending_count().unwrap(), 0);
    let on_server = "SELECT id::text || '/' || name FROM lead_lists ORDER BY name";
    assert_eq!(s.sql(on_server).unwrap(), vec![format!("{}/Q4", second.id), format!("{}/Q5 (EMEA)", first.id)]);

    let mut bo = rep(&s, 1).await;
    bo.sync().await;
    let mut names: Vec<String> = bo.store.lead_lists().unwrap().into_iter().map(|l| l.list.name).collect();
    names.sort();
    assert_eq!(names, ["Q4", "Q5 (EMEA)"]);
}

#[tokio::test]
async fn an_email_moved_to_a_new_lead_reaches_the_server_with_the_later_edit() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let a = ana.add(json!({"first_name": "Dana", "email": "dana@early.test"}));
    assert_eq!(ana.sync().await.rejected, 0);

    // The address was the colleague's: it moves to a new lead (with a call logged), Dana gets hers,
    // then a note.
    ana.edit(&a.id, json!({"email": "dana.l@early.test"}));
    let b = ana.add(json!({"first_name": "Sam", "email": "dana@early.test"}));
    let call = ana.store.log_activity(obj(json!({"lead_id": b.id, "type": "call", "description": "intro"}))).unwrap();
    ana.edit(&a.id, json!({"notes": "asked for a demo"}));
    let r = ana.sync().await;
    assert_eq!((r.rejected, r.conflicts, r.applied), (0, 0, 3), "{r:?}");
    let of_call = format!("SELECT lead_id::text FROM activities WHERE id = '{}'", call.id);
    assert_eq!(s.sql(&of_call).unwrap(), vec![b.id.clone()], "Sam's call went with him");
    assert!(ana.store.open_rejections().unwrap().is_empty());
    let on_server = format!("SELECT id::text || '/' || email || '/' || coalesce(notes, '') FROM leads WHERE organization_id = '{org}' ORDER BY email");
    assert_eq!(
        s.sql(&on_server).unwrap(),
        vec![format!("{}/dana.l@early.test/asked for a demo", a.id), format!("{}/dana@early.test/", b.id)]
    );
}

#[tokio::test]
async fn a_clash_no_later_change_clears_is_kept_for_the_rep_after_one_more_try() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let a = ana.add(json!({"first_name": "Dana", "email": "dana@early.test"}));
    assert_eq!(ana.sync().await.rejected, 0);
    // Someone takes the address on the server meanwhile (the laptop has not pulled it).
    s.sql(&format!(
        "INSERT INTO leads (organization_id, first_name, email) VALUES ('{org}', 'Other', 'sam@early.test')"
    ))
    .unwrap();
    ana.edit(&a.id, json!({"email": "sam@early.test"}));
    let r = ana.sync().await;
    assert_eq!((r.rejected, r.applied), (1, 0), "{r:?}");
    let refused = ana.store.open_rejections().unwrap();
    assert_eq!(refused.len(), 1, "kept once, not once per try: {refused:?}");
    assert_eq!((refused[0].row_id.as_str(), refused[0].code.as_deref()), (a.id.as_str(), Some("23505")));
    assert_eq!(ana.store.pending_count().unwrap(), 0);
    let of_a = format!("SELECT email FROM leads WHERE id = '{}'", a.id);
    assert_eq!(s.sql(&of_a).unwrap(), vec!["dana@early.test"]);
}

/// A teammate marked the lead do-not-contact; a rep who had not pulled it yet moved it to
/// "qualified": the server refuses that move as the rep's own store would have, and the lead stays
/// out of outreach on every laptop.
#[tokio::test]
async fn a_stale_move_into_outreach_of_a_lead_marked_do_not_contact_is_refused() {
    let (s, org) = team(2);
    let (mut ana, mut bo) = (rep(&s, 0).await, rep(&s, 1).await);
    let lead = ana.add(json!({"first_name": "Opt", "status": "closed_lost"}));
    ana.sync().await;
    bo.sync().await;
    ana.edit(&lead.id, json!({"do_not_contact": true}));
    ana.sync().await;
    bo.edit(&lead.id, json!({"status": "qualified"}));
    let r = bo.sync().await;
    assert_eq!(r.rejected, 1, "{r:?}");
    let refused = bo.store.open_rejections().unwrap();
    assert!(refused[0].reason.contains("marked do-not-contact"), "{:?}", refused[0]);
    let on_server = s.sql(&format!("SELECT status || '/' || do_not_contact FROM leads WHERE id = '{}'", lead.id));
    assert_eq!(on_server.unwrap(), vec!["closed_lost/true"]);
    bo.sync().await;
    let here = bo.store.get("leads", &lead.id).unwrap().unwrap();
    assert_eq!((&here["status"], &here["do_not_contact"]), (&json!("closed_lost"), &json!(true)));
    assert_eq!(bo.leads(), server_leads(&s, org));

    // A rep's own move into outreach and then their opt-out, sent together in one change: what
    // their store allowed, one write after the other — not refused (it lost the opt-out).
    let other = ana.add(json!({"first_name": "Own", "status": "new"}));
    ana.sync().await;
    ana.edit(&other.id, json!({"status": "contacted"}));
    ana.edit(&other.id, json!({"do_not_contact": true}));
    let r = ana.sync().await;
    assert_eq!(r.rejected, 0, "{r:?}");
    let on_server = s.sql(&format!("SELECT status || '/' || do_not_contact FROM leads WHERE id = '{}'", other.id));
    assert_eq!(on_server.unwrap(), vec!["contacted/true"]);
}
