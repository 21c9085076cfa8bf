#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::{Error, Lead};
use serde_json::json;

fn lead(db: &TestDb, id: &str) -> Lead {
    db.store.find(id).unwrap()
}

#[test]
fn deleting_a_logged_email_or_call_takes_back_what_it_did_to_the_lead_and_the_undo_puts_it_back() {
    let mut db = open();
    let ann = add_lead(&mut db.store, json!({"first_name": "Ann", "email": "ann@a.test"}));
    let first = db.store.log_email(&ann.id, "Hi", "Hello").unwrap();
    let second = db.store.log_email(&ann.id, "Again", "Hello again").unwrap();
    let call = db
        .store
        .log_activity(row(json!({"lead_id": ann.id, "type": "call", "description": "Left a message"})))
        .unwrap();
    let note =
        db.store.log_activity(row(json!({"lead_id": ann.id, "type": "note", "description": "Likes golf"}))).unwrap();
    assert_eq!(lead(&db, &ann.id).last_contacted_at, call.created_at);

    // The call was on the wrong lead: last contacted is the latest email again.
    db.store.delete_activity(&call.id).unwrap();
    let now = lead(&db, &ann.id);
    assert_eq!((now.last_contacted_at, now.emails_sent_count), (second.completed_at.clone(), 2));
    assert!(!db.store.lead_timeline(&ann.id).unwrap().iter().any(|e| e.id == call.id));
    // The deletion goes to the team as a change of the activity.
    assert!(outbox_entry(&db.store, "activities", &call.id).is_some());

    db.store.delete_activity(&second.id).unwrap();
    let now = lead(&db, &ann.id);
    assert_eq!((now.last_contacted_at, now.emails_sent_count), (first.completed_at.clone(), 1));
    db.store.delete_activity(&first.id).unwrap();
    let now = lead(&db, &ann.id);
    assert_eq!((now.last_contacted_at, now.emails_sent_count), (None, 0));

    // Undo, in any order: each counts as of when it was logged.
    db.store.restore_activity(&second.id).unwrap();
    db.store.restore_activity(&call.id).unwrap();
    db.store.restore_activity(&first.id).unwrap();
    let now = lead(&db, &ann.id);
    assert_eq!((now.last_contacted_at, now.emails_sent_count), (call.created_at.clone(), 2));
    // An Undo asked twice counts once.
    db.store.restore_activity(&first.id).unwrap();
    assert_eq!(lead(&db, &ann.id).emails_sent_count, 2);

    // A note touches nothing on the lead.
    let before = lead(&db, &ann.id);
    db.store.delete_activity(&note.id).unwrap();
    let after = lead(&db, &ann.id);
    assert_eq!((after.last_contacted_at, after.emails_sent_count), (before.last_contacted_at, 2));
    assert!(matches!(db.store.delete_activity(&note.id), Err(Error::NotFound { .. })));
}

#[test]
fn deleting_a_reply_takes_back_its_count_and_the_replied_status_it_gave() {
    let mut db = open();
    let ann = add_lead(&mut db.store, json!({"first_name": "Ann", "email": "ann@a.test"}));
    db.store.log_email(&ann.id, "Hi", "Hello").unwrap();
    let reply = db.store.log_reply(&ann.id, "", "Sounds good", None).unwrap();
    let now = lead(&db, &ann.id);
    assert_eq!((now.reply_count, now.email_status.as_deref()), (1, Some("replied")));

    db.store.delete_activity(&reply.id).unwrap();
    let now = lead(&db, &ann.id);
    assert_eq!(
        (now.reply_count, now.email_status.as_deref(), now.last_reply_at),
        (0, None, None),
        "as before the reply"
    );
    assert_eq!(now.emails_sent_count, 1, "the email sent stays");

    db.store.restore_activity(&reply.id).unwrap();
    let now = lead(&db, &ann.id);
    assert_eq!(
        (now.reply_count, now.email_status.as_deref(), now.last_reply_at),
        (1, Some("replied"), reply.completed_at)
    );

    // The status it found comes back; a reply while another stays keeps "replied".
    let mut patch = serde_json::Map::new();
    patch.insert("email_status".into(), json!("no_reply"));
    db.store.write(|tx| tx.update("leads", &ann.id, patch)).unwrap();
    db.store.delete_activity(&reply.id).unwrap();
    let first = db.store.log_reply(&ann.id, "", "Keen", None).unwrap();
    let second = db.store.log_reply(&ann.id, "", "Still keen", None).unwrap();
    db.store.delete_activity(&second.id).unwrap();
    assert_eq!(lead(&db, &ann.id).email_status.as_deref(), Some("replied"), "the first reply still counts");
    db.store.delete_activity(&first.id).unwrap();
    assert_eq!(lead(&db, &ann.id).email_status.as_deref(), Some("no_reply"));
    // Deleted in the order they came: the first one's note still tells.
    db.store.restore_activity(&first.id).unwrap();
    db.store.restore_activity(&second.id).unwrap();
    db.store.delete_activity(&first.id).unwrap();
    db.store.delete_activity(&second.id).unwrap();
    assert_eq!(lead(&db, &ann.id).email_status.as_deref(), Some("no_reply"));
    db.store.restore_activity(&reply.id).unwrap();

    // "Replied" set by hand (or an import) before a reply logged by mistake stays when it goes; a
    // reply deleted long before does not speak for it.
    let bo = add_lead(&mut db.store, json!({"first_name": "Bo", "email": "bo@b.test"}));
    let early = db.store.log_reply(&bo.id, "", "Old news", None).unwrap();
    db.store.delete_activity(&early.id).unwrap();
    let mut replied = serde_json::Map::new();
    replied.insert("email_status".into(), json!("replied"));
    db.store.write(|tx| tx.update("leads", &bo.id, replied)).unwrap();
    let mistake = db.store.log_reply(&bo.id, "", "Wrong lead", None).unwrap();
    db.store.delete_activity(&mistake.id).unwrap();
    assert_eq!(lead(&db, &bo.id).email_status.as_deref(), Some("replied"));

    // Weightier news stays: an unsubscribe is not taken back with the reply.
    let mut patch = serde_json::Map::new();
    patch.insert("email_status".into(), json!("unsubscribed"));
    db.store.write(|tx| tx.update("leads", &ann.id, patch)).unwrap();
    db.store.delete_activity(&reply.id).unwrap();
    let now = lead(&db, &ann.id);
    assert_eq!((now.reply_count, now.email_status.as_deref()), (0, Some("unsubscribed")));
}

#[test]
fn a_teammates_activity_is_theirs_to_delete_and_an_activity_of_a_deleted_lead_comes_back_with_it() {
    let mut db = open();
    let ann = add_lead(&mut db.store, json!({"first_name": "Ann"}));
    let bo = "01a21cb9-fcbe-7139-87ca-d2c2edfd0b0b";
    add_teammate(&db.store, bo, "Bo");
    let theirs = db.store.log_activity(row(json!({"lead_id": ann.id, "type": "note", "user_id": bo}))).unwrap();
    let mine = db.store.log_activity(row(json!({"lead_id": ann.id, "type": "note", "description": "x"}))).unwrap();
    let deletable: Vec<(String, bool)> =
        db.store.lead_timeline(&ann.id).unwrap().into_iter().map(|e| (e.id, e.deletable)).collect();
    assert!(deletable.contains(&(theirs.id.clone(), false)) && deletable.contains(&(mine.id.clone(), true)));
    let refused = db.store.delete_activity(&theirs.id).unwrap_err();
    assert!(refused.to_string().contains("only they can delete it"), "{refused}");

    db.store.delete_activity(&mine.id).unwrap();
    db.store.write(|tx| tx.delete("leads", &ann.id)).unwrap();
    let refused = db.store.restore_activity(&mine.id).unwrap_err();
    assert!(refused.to_string().contains("Ann was deleted (or merged into another lead) since"), "{refused}");
}

#[test]
fn a_reply_or_call_logged_late_counts_as_of_when_it_happened() {
    let mut db = open();
    let ann = add_lead(&mut db.store, json!({"first_name": "Ann", "email": "ann@a.test"}));
    let monday = "2026-11-23T15:30:00+01:00";
    let reply = db.store.log_reply(&ann.id, "", "Call me", Some(monday)).unwrap();
    assert_eq!(reply.completed_at.as_deref(), Some("2026-11-23T14:30:00.000000Z"));
    let now = lead(&db, &ann.id);
    assert_eq!((now.last_reply_at.as_deref(), now.reply_count), (Some("2026-11-23T14:30:00.000000Z"), 1));
    let timeline = db.store.lead_timeline(&ann.id).unwrap();
    assert_eq!(timeline[0].at.as_deref(), Some("2026-11-23T14:30:00.000000Z"));

    // A later reply logged first stays the last one.
    let tuesday = db.store.log_reply(&ann.id, "", "Tuesday's", Some("2026-11-24T09:00:00Z")).unwrap();
    db.store.log_reply(&ann.id, "", "Sunday's", Some("2026-11-22T09:00:00Z")).unwrap();
    assert_eq!(lead(&db, &ann.id).last_reply_at.as_deref(), Some("2026-11-24T09:00:00.000000Z"));
    db.store.delete_activity(&tuesday.id).unwrap();
    assert_eq!(lead(&db, &ann.id).last_reply_at.as_deref(), Some("2026-11-23T14:30:00.000000Z"));

    let call = row(json!({"lead_id": ann.id, "type": "call", "description": "Spoke", "completed_at": monday}));
    db.store.log_activity(call).unwrap();
    assert_eq!(lead(&db, &ann.id).last_contacted_at.as_deref(), Some("2026-11-23T14:30:00.000000Z"));

    let refused = db.store.log_reply(&ann.id, "", "x", Some("2999-01-01T00:00:00Z")).unwrap_err();
    assert!(refused.to_string().contains("still to come"), "{refused}");
    let refused = db.store.log_reply(&ann.id, "", "x", Some("last monday")).unwrap_err();
    assert!(refused.to_string().contains("'last monday' is not a date and time"), "{refused}");
    assert_eq!(lead(&db, &ann.id).reply_count, 2, "nothing refused was counted");
}
