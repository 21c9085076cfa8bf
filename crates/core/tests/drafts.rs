#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::drafts::MAX_DRAFT_BYTES;
use outpost_core::{Error, Store};
use serde_json::json;

#[test]
fn a_draft_kept_is_there_after_reopening_and_goes_when_emptied() {
    let mut db = open();
    let ann = add_lead(&mut db.store, json!({"first_name": "Ann"}));
    let bo = add_lead(&mut db.store, json!({"first_name": "Bo"}));
    db.store.keep_activity_draft(&ann.id, Some(&json!({"note": "half a thought"}))).unwrap();
    db.store.keep_activity_draft(&bo.id, Some(&json!({"note": "first"}))).unwrap();
    db.store.keep_activity_draft(&bo.id, Some(&json!({"note": "second", "callSubject": "Call back"}))).unwrap();
    let outbox = outbox_len(&db.store);

    let path = db.store.path().to_path_buf();
    drop(db.store);
    let mut store = Store::open(&path).unwrap();
    let kept: Vec<_> = store.activity_drafts().unwrap().into_iter().map(|d| (d.lead_id, d.draft)).collect();
    assert_eq!(
        kept,
        [
            (ann.id.clone(), json!({"note": "half a thought"})),
            (bo.id.clone(), json!({"note": "second", "callSubject": "Call back"}))
        ]
    );
    // A draft is the rep's: nothing of it goes to the team.
    assert_eq!(outbox_len(&store), outbox);

    store.keep_activity_draft(&ann.id, Some(&json!({}))).unwrap();
    store.keep_activity_draft(&bo.id, None).unwrap();
    assert!(store.activity_drafts().unwrap().is_empty());
}

#[test]
fn a_deleted_leads_draft_is_not_read_until_the_lead_is_restored() {
    let mut db = open();
    let ann = add_lead(&mut db.store, json!({"first_name": "Ann"}));
    db.store.keep_activity_draft(&ann.id, Some(&json!({"note": "keep me"}))).unwrap();
    db.store.write(|tx| tx.delete("leads", &ann.id)).unwrap();
    assert!(db.store.activity_drafts().unwrap().is_empty());
    db.store.write(|tx| tx.restore("leads", &ann.id).map(|_| ())).unwrap();
    assert_eq!(db.store.activity_drafts().unwrap().len(), 1);
}

#[test]
fn a_draft_that_is_not_a_set_of_fields_or_too_long_is_refused_and_the_old_one_kept() {
    let mut db = open();
    let ann = add_lead(&mut db.store, json!({"first_name": "Ann"}));
    db.store.keep_activity_draft(&ann.id, Some(&json!({"note": "short"}))).unwrap();
    let refused = db.store.keep_activity_draft(&ann.id, Some(&json!("text"))).unwrap_err();
    assert!(matches!(&refused, Error::Invalid { column, .. } if column == "draft"), "{refused}");
    let long = "x".repeat(MAX_DRAFT_BYTES);
    let refused = db.store.keep_activity_draft(&ann.id, Some(&json!({ "note": long }))).unwrap_err();
    assert!(refused.to_string().contains("longer than 256 KB"), "{refused}");
    assert_eq!(db.store.activity_drafts().unwrap()[0].draft, json!({"note": "short"}));
}

#[test]
fn a_template_being_written_is_kept_new_or_edited_and_a_deleted_templates_is_not_read() {
    let mut db = open();
    let intro = db.store.save_template(None, "Intro", "Hi", "Hello").unwrap();
    let gone = db.store.save_template(None, "Old", "Hi", "Bye").unwrap();
    db.store.keep_template_draft(None, Some(&json!({"name": "Follow-up", "content": "Half"}))).unwrap();
    db.store.keep_template_draft(Some(&intro.id), Some(&json!({"content": "Hello there"}))).unwrap();
    db.store.keep_template_draft(Some(&gone.id), Some(&json!({"content": "x"}))).unwrap();
    db.store.delete_template(&gone.id).unwrap();
    let kept: Vec<_> = db.store.template_drafts().unwrap().into_iter().map(|d| (d.template_id, d.draft)).collect();
    assert_eq!(
        kept,
        [
            (None, json!({"name": "Follow-up", "content": "Half"})),
            (Some(intro.id.clone()), json!({"content": "Hello there"}))
        ]
    );
    let refused = db.store.keep_template_draft(Some("no-such-template"), Some(&json!({"name": "x"}))).unwrap_err();
    assert!(matches!(refused, Error::NotFound { .. }), "{refused}");
    db.store.keep_template_draft(None, None).unwrap();
    db.store.keep_template_draft(Some(&intro.id), None).unwrap();
    assert_eq!(db.store.template_drafts().unwrap().len(), 0);
}
