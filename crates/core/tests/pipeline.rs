#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::{demo, LeadQuery, LeadStatus};
use serde_json::json;

#[test]
fn the_board_has_every_status_with_counts_and_value() {
    let mut db = open();
    add_lead(&mut db.store, json!({"first_name": "A", "status": "qualified", "predicted_value": "1500.5"}));
    add_lead(&mut db.store, json!({"first_name": "B", "status": "qualified", "predicted_value": "500"}));
    let gone = add_lead(&mut db.store, json!({"first_name": "C", "status": "proposal"}));
    db.store.remove::<outpost_core::Lead>(&gone.id).unwrap();
    let summary = db.store.status_summary().unwrap();
    assert_eq!(summary.len(), LeadStatus::ALL.len());
    let q = summary.iter().find(|s| s.status == LeadStatus::Qualified).unwrap();
    assert_eq!((q.count, q.value), (2, 2000.5));
    assert_eq!(
        summary.iter().find(|s| s.status == LeadStatus::Proposal).unwrap().count,
        0,
        "deleted leads don't count"
    );
}

#[test]
fn the_timeline_is_newest_first() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "A"}));
    for (subject, at) in [("old call", "2026-01-01T10:00:00Z"), ("new call", "2026-03-01T10:00:00Z")] {
        let v = row(json!({"lead_id": lead.id, "type": "call", "subject": subject, "completed_at": at}));
        db.store.write(|tx| tx.insert("activities", v)).unwrap();
    }
    let subjects: Vec<String> =
        db.store.lead_timeline(&lead.id).unwrap().into_iter().filter_map(|a| a.subject).collect();
    assert_eq!(subjects, ["new call", "old call"]);
}

#[test]
fn demo_data_is_ordinary_valid_local_work() {
    let mut db = open();
    assert_eq!(demo::seed(&mut db.store, 250).unwrap(), 250);
    assert_eq!(db.store.count_leads(&LeadQuery::default()).unwrap(), 250);
    assert_eq!(outbox_len(&db.store), 500, "250 leads and their 250 notes wait to be pushed");
    let statuses = db.store.status_summary().unwrap().iter().filter(|s| s.count > 0).count();
    assert!(statuses >= 5, "spread over the pipeline: {statuses}");
}
