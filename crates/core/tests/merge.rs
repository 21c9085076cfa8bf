#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Two leads that are one person, merged into one and taken apart again.
mod common;

use common::*;
use outpost_core::merge::FieldMerge;
use outpost_core::Lead;
use serde_json::json;

fn live(db: &TestDb, sql: &str) -> Vec<String> {
    db.store.conn().prepare(sql).unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

#[test]
fn a_duplicate_merged_fills_the_kept_lead_moves_its_work_and_comes_back_with_undo() {
    let mut db = open();
    let kept = add_lead(
        &mut db.store,
        json!({"first_name": "Dana", "last_name": "Lee", "email": "dana@lee.test", "phone": "+14155550100",
               "company": "Lee Design", "tags": ["vip"], "notes": "Met at the fair", "status": "contacted"}),
    );
    // As an import's "create anyway" makes it: no email (it is Dana's), tagged, the email kept aside.
    let dup = add_lead(
        &mut db.store,
        json!({"first_name": "Dana", "email": "dana@work.test", "phone": "+14155550199", "company": "Lee Design Studio",
               "job_title": "Founder", "tags": ["Q3", "possible-duplicate"], "notes": "Wants a quote",
               "custom_fields": {"duplicate_email": "DANA@lee.test", "Source file": "fair.csv"}}),
    );
    let spring = db.store.write(|tx| tx.insert("campaigns", row(json!({"name": "Spring"})))).unwrap();
    let fall = db.store.write(|tx| tx.insert("campaigns", row(json!({"name": "Fall"})))).unwrap();
    db.store.add_to_campaign(&spring, std::slice::from_ref(&kept.id)).unwrap();
    db.store.add_to_campaign(&fall, std::slice::from_ref(&kept.id)).unwrap();
    db.store.remove_from_campaign(&fall, std::slice::from_ref(&kept.id)).unwrap();
    let member = |c: &str, l: &str| json!({"campaign_id": c, "lead_id": l, "status": "in_progress", "attempts": 2});
    for c in [&spring, &fall] {
        db.store.write(|tx| tx.insert("campaign_leads", row(member(c, &dup.id)))).unwrap();
    }
    let note = json!({"lead_id": dup.id, "type": "note", "description": "Called about the quote"});
    db.store.write(|tx| tx.insert("activities", row(note))).unwrap();
    // The duplicate opted out since it joined those campaigns: it left them then.
    db.store.write(|tx| tx.update("leads", &dup.id, row(json!({"do_not_contact": true})))).unwrap();
    assert_eq!(
        live(&db, &format!("SELECT id FROM campaign_leads WHERE lead_id = '{}' AND deleted_at IS NULL", dup.id)).len(),
        0
    );

    let plan = db.store.merge_plan(&kept.id, &dup.id).unwrap();
    let how = |f: &str| plan.fields.iter().find(|x| x.field == f).map(|x| x.how);
    assert_eq!(how("first_name"), Some(FieldMerge::Same));
    assert_eq!(how("last_name"), Some(FieldMerge::Same), "only the kept lead has one");
    assert_eq!(how("company"), Some(FieldMerge::Choice));
    assert_eq!(how("email"), Some(FieldMerge::Choice));
    assert_eq!(how("job_title"), Some(FieldMerge::Filled));
    assert_eq!(how("tags"), Some(FieldMerge::Settled), "the import's mark for this pair goes");
    assert_eq!(how("notes"), Some(FieldMerge::Combined));
    assert_eq!(how("do_not_contact"), Some(FieldMerge::Filled), "an opt-out is never lost");
    assert_eq!(how("status"), Some(FieldMerge::Same), "the other's is the default 'new'");
    assert_eq!(plan.moves, [("activities".to_string(), 1.0)]);

    let m = db.store.merge_leads(&kept.id, &dup.id, &["company".to_string()]).unwrap();
    let lead: Lead = db.store.find(&kept.id).unwrap();
    assert_eq!(lead.company.as_deref(), Some("Lee Design Studio"), "taken");
    assert_eq!(lead.email.as_deref(), Some("dana@lee.test"), "kept");
    assert_eq!(lead.job_title.as_deref(), Some("Founder"));
    assert_eq!(lead.tags, ["vip", "Q3"], "the import's duplicate tag settled");
    assert_eq!(lead.notes.as_deref(), Some("Met at the fair\n\nWants a quote"));
    assert!(lead.do_not_contact);
    let custom = serde_json::to_value(&lead.custom_fields).unwrap();
    assert_eq!(custom["Other email"], json!("dana@work.test"), "the other address is kept");
    assert_eq!(custom["Other phone"], json!("+14155550199"));
    assert_eq!(custom["Source file"], json!("fair.csv"));
    assert!(custom.get("duplicate_email").is_none(), "the kept lead has that email: settled");
    assert!(db.store.find::<Lead>(&dup.id).unwrap().deleted_at.is_some());
    let activities = format!("SELECT description FROM activities WHERE lead_id = '{}' AND deleted_at IS NULL", kept.id);
    assert_eq!(live(&db, &activities), ["Called about the quote"]);
    // The person is not to be contacted now: no campaign keeps them (the kept lead's own Spring
    // membership ends too).
    let members = format!(
        "SELECT c.name || ':' || m.status || ':' || m.attempts FROM campaign_leads m JOIN campaigns c ON c.id = m.campaign_id
         WHERE m.lead_id = '{}' AND m.deleted_at IS NULL ORDER BY c.name",
        kept.id
    );
    assert!(live(&db, &members).is_empty());
    assert_eq!((m.moved, m.closed), (1, 1), "the activity moved; the kept lead's membership ended");

    // The rep changes the job title again before thinking better of the merge: that stays.
    db.store.write(|tx| tx.update("leads", &kept.id, row(json!({"job_title": "CEO"})))).unwrap();
    let undone = db.store.unmerge_leads(m.id).unwrap();
    assert_eq!(undone.changed_since, ["job_title"]);
    assert_eq!(db.store.unmerge_leads(m.id).unwrap_err().to_string(), "this merge was already undone");
    let lead: Lead = db.store.find(&kept.id).unwrap();
    assert_eq!((lead.company.as_deref(), lead.job_title.as_deref()), (Some("Lee Design"), Some("CEO")));
    assert_eq!(lead.tags, ["vip"]);
    assert!(!lead.do_not_contact, "the opt-out goes back with the person it was theirs");
    assert!(serde_json::to_value(&lead.custom_fields).unwrap().get("Other email").is_none());
    let back: Lead = db.store.find(&dup.id).unwrap();
    assert!(back.deleted_at.is_none() && back.do_not_contact);
    assert_eq!(back.tags, ["Q3", "possible-duplicate"]);
    let activities = format!("SELECT description FROM activities WHERE lead_id = '{}' AND deleted_at IS NULL", dup.id);
    assert_eq!(live(&db, &activities), ["Called about the quote"]);
    assert_eq!(live(&db, &members), ["Spring:pending:0"], "back with the Undo");
}

#[test]
fn taking_the_other_leads_email_frees_it_first_and_a_lead_is_not_merged_with_itself() {
    let mut db = open();
    let a = add_lead(&mut db.store, json!({"first_name": "Al", "email": "old@al.test"}));
    let b = add_lead(&mut db.store, json!({"first_name": "Al", "email": "al@new.test"}));
    let m = db.store.merge_leads(&a.id, &b.id, &["email".to_string()]).unwrap();
    let lead: Lead = db.store.find(&a.id).unwrap();
    assert_eq!(lead.email.as_deref(), Some("al@new.test"));
    assert_eq!(serde_json::to_value(&lead.custom_fields).unwrap()["Other email"], json!("old@al.test"));
    // Undone: each lead has its own address again.
    db.store.unmerge_leads(m.id).unwrap();
    assert_eq!(db.store.find::<Lead>(&a.id).unwrap().email.as_deref(), Some("old@al.test"));
    assert_eq!(db.store.find::<Lead>(&b.id).unwrap().email.as_deref(), Some("al@new.test"));

    let e = db.store.merge_leads(&a.id, &a.id, &[]).unwrap_err();
    assert!(e.to_string().contains("merged with itself"), "{e}");
    db.store.remove::<Lead>(&b.id).unwrap();
    assert_eq!(db.store.merge_plan(&a.id, &b.id).unwrap_err().code(), "not_found");
}

/// Values a lead already holds are carried as they are: an overdue follow-up (an import keeps
/// those), a status a do-not-contact person cannot move to is not taken, a won lead's client record
/// moves to a kept lead that takes the won status.
#[test]
fn values_the_leads_hold_merge_without_the_checks_made_of_typing() {
    let mut db = open();
    let kept = add_lead(&mut db.store, json!({"first_name": "Kim", "email": "kim@a.test"}));
    let other = add_lead(&mut db.store, json!({"first_name": "Kim", "last_name": "Ode", "status": "closed_won"}));
    // As an import or a sync brings them: an overdue follow-up.
    db.store
        .conn()
        .execute("UPDATE leads SET next_follow_up_at = '2020-01-01T09:00:00.000000Z' WHERE id = ?1", [&other.id])
        .unwrap();
    let client = json!({"lead_id": other.id, "name": "Ode Ltd"});
    db.store.write(|tx| tx.insert("clients", row(client))).unwrap();
    let m = db.store.merge_leads(&kept.id, &other.id, &[]).unwrap();
    let lead: Lead = db.store.find(&kept.id).unwrap();
    assert_eq!(
        (lead.status.as_str(), lead.next_follow_up_at.as_deref()),
        ("closed_won", Some("2020-01-01T09:00:00.000000Z"))
    );
    assert_eq!(live(&db, &format!("SELECT name FROM clients WHERE lead_id = '{}'", kept.id)), ["Ode Ltd"]);
    assert_eq!(m.moved, 1);
    db.store.unmerge_leads(m.id).unwrap();

    // Not to be contacted (an opt-out at "new"), with a twin the rep worked: the status stays.
    let optout = add_lead(&mut db.store, json!({"first_name": "Lu", "email": "lu@a.test"}));
    db.store.write(|tx| tx.update("leads", &optout.id, row(json!({"do_not_contact": true})))).unwrap();
    let worked = add_lead(&mut db.store, json!({"first_name": "Lu", "status": "contacted"}));
    let plan = db.store.merge_plan(&optout.id, &worked.id).unwrap();
    assert!(plan.fields.iter().all(|f| f.field != "status" || f.how == FieldMerge::Same), "{:?}", plan.fields);
    db.store.merge_leads(&optout.id, &worked.id, &[]).unwrap();
    assert_eq!(db.store.find::<Lead>(&optout.id).unwrap().status.as_str(), "new");
}

/// A third lead merged in keeps its address too; a custom field both had with other values keeps
/// both.
#[test]
fn every_address_and_custom_value_is_kept_across_merges() {
    let mut db = open();
    let a =
        add_lead(&mut db.store, json!({"first_name": "Al", "email": "a1@x.test", "custom_fields": {"Plan": "pro"}}));
    let b =
        add_lead(&mut db.store, json!({"first_name": "Al", "email": "a2@x.test", "custom_fields": {"Plan": "team"}}));
    let c = add_lead(&mut db.store, json!({"first_name": "Al", "email": "a3@x.test"}));
    db.store.merge_leads(&a.id, &b.id, &[]).unwrap();
    db.store.merge_leads(&a.id, &c.id, &[]).unwrap();
    // And into a fourth lead, kept instead: the addresses A held aside stay, with A's own.
    let d = add_lead(&mut db.store, json!({"first_name": "Al", "email": "a4@x.test"}));
    db.store.merge_leads(&d.id, &a.id, &[]).unwrap();
    let custom = serde_json::to_value(db.store.find::<Lead>(&d.id).unwrap().custom_fields).unwrap();
    let mut kept: Vec<&str> =
        custom.as_object().unwrap().values().filter_map(|v| v.as_str()).filter(|v| v.contains('@')).collect();
    kept.sort_unstable();
    assert_eq!(kept, ["a1@x.test", "a2@x.test", "a3@x.test"], "{custom}");
    let custom = serde_json::to_value(db.store.find::<Lead>(&a.id).unwrap().custom_fields).unwrap();
    assert_eq!(custom["Other email"], json!("a2@x.test"));
    assert_eq!(custom["Other email 2"], json!("a3@x.test"));
    assert_eq!((custom["Plan"].clone(), custom["Plan (merged)"].clone()), (json!("pro"), json!("team")));
}

/// One membership per campaign and lead: the kept lead's own, deleted earlier, comes back with the
/// other's progress; the Undo puts both as they were.
#[test]
fn a_campaign_both_leads_were_in_keeps_one_membership_with_the_progress() {
    let mut db = open();
    let kept = add_lead(&mut db.store, json!({"first_name": "Mo", "email": "mo@a.test"}));
    let other = add_lead(&mut db.store, json!({"first_name": "Mo", "email": "mo@b.test"}));
    let fall = db.store.write(|tx| tx.insert("campaigns", row(json!({"name": "Fall"})))).unwrap();
    db.store.add_to_campaign(&fall, std::slice::from_ref(&kept.id)).unwrap();
    db.store.remove_from_campaign(&fall, std::slice::from_ref(&kept.id)).unwrap();
    let member = json!({"campaign_id": fall, "lead_id": other.id, "status": "in_progress", "attempts": 2});
    db.store.write(|tx| tx.insert("campaign_leads", row(member))).unwrap();
    let plan = db.store.merge_plan(&kept.id, &other.id).unwrap();
    assert_eq!((plan.moves.clone(), plan.ends.clone()), (vec![("campaign_leads".to_string(), 1.0)], vec![]));
    let m = db.store.merge_leads(&kept.id, &other.id, &[]).unwrap();
    let of = |db: &TestDb, lead: &str| {
        let sql = format!(
            "SELECT status || ':' || attempts FROM campaign_leads WHERE lead_id = '{lead}' AND deleted_at IS NULL"
        );
        live(db, &sql)
    };
    assert_eq!(of(&db, &kept.id), ["in_progress:2"]);
    assert!(of(&db, &other.id).is_empty());
    db.store.unmerge_leads(m.id).unwrap();
    assert!(of(&db, &kept.id).is_empty());
    assert_eq!(of(&db, &other.id), ["in_progress:2"]);
}

/// A lead an import made although another had its email is offered for merging with that one,
/// until merged.
#[test]
fn an_import_duplicate_names_the_lead_it_was_taken_for() {
    let mut db = open();
    let original = add_lead(&mut db.store, json!({"first_name": "Dana", "last_name": "Lee", "email": "dana@lee.test"}));
    let dup = add_lead(
        &mut db.store,
        json!({"first_name": "Dana", "tags": ["possible-duplicate"], "custom_fields": {"duplicate_email": "DANA@lee.test"}}),
    );
    let found = db.store.duplicate_of(&dup.id).unwrap().expect("the lead with that email");
    assert_eq!((found.id.as_str(), found.name.as_str()), (original.id.as_str(), "Dana Lee"));
    assert!(db.store.duplicate_of(&original.id).unwrap().is_none(), "the original is no one's duplicate");
    // By LinkedIn profile (a Connections export has no emails).
    let a = add_lead(&mut db.store, json!({"first_name": "Li", "linkedin_url": "https://www.linkedin.com/in/li-wu/"}));
    let b = add_lead(
        &mut db.store,
        json!({"first_name": "Li", "linkedin_url": "linkedin.com/in/li-wu", "tags": ["possible-duplicate"]}),
    );
    assert_eq!(db.store.duplicate_of(&b.id).unwrap().map(|d| d.id), Some(a.id.clone()));
    db.store.merge_leads(&a.id, &b.id, &[]).unwrap();
    assert!(db.store.find::<Lead>(&a.id).unwrap().tags.is_empty(), "the mark goes with the pair");
    // Merged: the mark is gone, nothing more to offer.
    db.store.merge_leads(&original.id, &dup.id, &[]).unwrap();
    assert!(db.store.duplicate_of(&original.id).unwrap().is_none());
}

/// Counts add up even when equal (one email each is two); an import's duplicate whose original was
/// merged into a third lead is still offered for merging with that one, and that merge settles it.
#[test]
fn counts_add_up_and_a_duplicate_follows_its_original_into_a_merge() {
    let mut db = open();
    let pia = add_lead(&mut db.store, json!({"first_name": "Pia", "email": "pia@a.test", "emails_sent_count": 1}));
    let quin = add_lead(&mut db.store, json!({"first_name": "Quin", "email": "quin@a.test", "emails_sent_count": 1}));
    db.store.merge_leads(&quin.id, &pia.id, &[]).unwrap();
    assert_eq!(db.store.find::<Lead>(&quin.id).unwrap().emails_sent_count, 2);

    let orig = add_lead(&mut db.store, json!({"first_name": "Orig", "email": "orig@zq.test"}));
    let keeper = add_lead(&mut db.store, json!({"first_name": "Keeper", "email": "keeper@zq.test"}));
    let dup = add_lead(
        &mut db.store,
        json!({"first_name": "Origdup", "tags": ["possible-duplicate"], "custom_fields": {"duplicate_email": "orig@zq.test"}}),
    );
    db.store.merge_leads(&keeper.id, &orig.id, &[]).unwrap();
    assert_eq!(db.store.duplicate_of(&dup.id).unwrap().map(|d| d.id), Some(keeper.id.clone()));
    let plan = db.store.merge_plan(&keeper.id, &dup.id).unwrap();
    assert!(plan.fields.iter().any(|f| f.field == "tags" && f.how == FieldMerge::Settled), "{:?}", plan.fields);
    db.store.merge_leads(&keeper.id, &dup.id, &[]).unwrap();
    let kept: Lead = db.store.find(&keeper.id).unwrap();
    assert!(kept.tags.is_empty(), "{:?}", kept.tags);
    assert!(serde_json::to_value(&kept.custom_fields).unwrap().get("duplicate_email").is_none());
}

/// A lead that becomes not to be contacted leaves the campaigns it is still going through (a
/// finished one stays as history); by a merge too, and the merge's Undo brings them back.
#[test]
fn not_to_be_contacted_ends_running_campaigns_and_a_merge_undo_brings_them_back() {
    let mut db = open();
    let ann = add_lead(&mut db.store, json!({"first_name": "Ann", "email": "ann@c.test"}));
    let camps: Vec<String> = ["One", "Two", "Done"]
        .iter()
        .map(|n| db.store.write(|tx| tx.insert("campaigns", row(json!({"name": n})))).unwrap())
        .collect();
    for (c, status) in camps.iter().zip(["pending", "in_progress", "completed"]) {
        let member = json!({"campaign_id": c, "lead_id": ann.id, "status": status});
        db.store.write(|tx| tx.insert("campaign_leads", row(member))).unwrap();
    }
    let running = |db: &TestDb, lead: &str| {
        live(
            db,
            &format!(
                "SELECT status FROM campaign_leads WHERE lead_id = '{lead}' AND deleted_at IS NULL ORDER BY status"
            ),
        )
    };
    assert_eq!(running(&db, &ann.id), ["completed", "in_progress", "pending"]);

    // Merged with an opted-out twin: Ann is not to be contacted now, her running campaigns end.
    let twin = add_lead(&mut db.store, json!({"first_name": "Ann", "email": "ann@d.test"}));
    db.store.write(|tx| tx.update("leads", &twin.id, row(json!({"do_not_contact": true})))).unwrap();
    let m = db.store.merge_leads(&ann.id, &twin.id, &[]).unwrap();
    assert!(db.store.find::<Lead>(&ann.id).unwrap().do_not_contact);
    assert_eq!(running(&db, &ann.id), ["completed"]);
    db.store.unmerge_leads(m.id).unwrap();
    assert!(!db.store.find::<Lead>(&ann.id).unwrap().do_not_contact);
    assert_eq!(running(&db, &ann.id), ["completed", "in_progress", "pending"]);

    // Marked by hand: the same.
    db.store.write(|tx| tx.update("leads", &ann.id, row(json!({"do_not_contact": true})))).unwrap();
    assert_eq!(running(&db, &ann.id), ["completed"]);
}

/// An opt-out a merge brought that already reached the team's server stays with the Undo (the
/// server keeps every opt-out); one still on this laptop only goes back.
#[test]
fn an_opt_out_that_left_the_laptop_stays_after_the_undo() {
    let mut db = open();
    let kept = add_lead(&mut db.store, json!({"first_name": "Ed", "email": "ed@a.test"}));
    let twin = add_lead(&mut db.store, json!({"first_name": "Ed", "email": "ed@b.test"}));
    db.store.write(|tx| tx.update("leads", &twin.id, row(json!({"do_not_contact": true})))).unwrap();
    let spring = db.store.write(|tx| tx.insert("campaigns", row(json!({"name": "Spring"})))).unwrap();
    db.store.add_to_campaign(&spring, std::slice::from_ref(&kept.id)).unwrap();
    mark_synced(&db.store, "leads", &kept.id, 1);
    let m = db.store.merge_leads(&kept.id, &twin.id, &[]).unwrap();
    // A push read the change (it may be on the server now).
    db.store.conn().execute("UPDATE outbox SET sent = 1", []).unwrap();
    let u = db.store.unmerge_leads(m.id).unwrap();
    assert!(u.changed_since.contains(&"do_not_contact".to_string()), "{u:?}");
    assert!(db.store.find::<Lead>(&kept.id).unwrap().do_not_contact);
    // Still not to be contacted: the campaign it left stays left.
    assert_eq!(u.stayed, 1);
    let running = format!("SELECT id FROM campaign_leads WHERE lead_id = '{}' AND deleted_at IS NULL", kept.id);
    assert!(live(&db, &running).is_empty());
}

#[test]
fn a_merge_undone_after_the_kept_leads_list_was_deleted_leaves_it_in_no_list_and_says_so() {
    use outpost_core::lists::Group;
    let mut db = open();
    let x = db.store.create_list("X", None).unwrap();
    let y = db.store.create_list("Y", None).unwrap();
    let a = add_lead(&mut db.store, json!({"first_name": "Ann", "email": "ann@x.test", "list_id": x.id}));
    let b = add_lead(&mut db.store, json!({"first_name": "Ann", "email": "ann@y.test", "list_id": y.id}));
    let done = db.store.merge_leads(&a.id, &b.id, &["list_id".to_string()]).unwrap();
    db.store.delete_group(Group::List, &x.id).unwrap();
    let undone = db.store.unmerge_leads(done.id).unwrap();
    assert_eq!(undone.cleared, ["list_id"]);
    let a: Lead = db.store.find(&a.id).unwrap();
    assert_eq!(a.list_id, None);
    let b: Lead = db.store.find(&b.id).unwrap();
    assert_eq!((b.deleted_at, b.list_id), (None, Some(y.id.clone())));
}
