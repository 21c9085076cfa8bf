//! Two reps who both emailed a lead while apart: its count of emails sent keeps both sides' emails
//! and its last contact is the later one — settled by the sync, not left in the rep's inbox as a
//! choice between two wrong numbers.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::Lead;
use serde_json::json;

#[tokio::test]
async fn counts_and_last_contact_both_reps_changed_settle_themselves() {
    let (s, _org) = team(2);
    let mut ana = rep(&s, 0).await;
    let mut bo = rep(&s, 1).await;
    let lead = ana.add(json!({"first_name": "Dana", "email": "dana@settle.test"}));
    ana.sync().await;
    bo.sync().await;

    let email = |id: &str| obj(json!({"lead_id": id, "type": "email", "description": "follow-up"}));
    ana.store.log_activity(email(&lead.id)).unwrap();
    bo.store.log_activity(email(&lead.id)).unwrap();
    bo.store.log_activity(email(&lead.id)).unwrap();
    bo.edit(&lead.id, json!({"notes": "Bo's note"}));
    ana.edit(&lead.id, json!({"notes": "Ana's note"}));
    let bo_contacted = bo.store.find::<Lead>(&lead.id).unwrap().last_contacted_at.unwrap();

    assert_eq!(ana.sync().await.conflicts, 0);
    let r = bo.sync().await;
    assert_eq!(r.conflicts, 1, "only the notes are Bo's to settle: {r:?}");
    let open: Vec<String> = bo.store.open_conflicts().unwrap().into_iter().map(|c| c.column).collect();
    assert_eq!(open, ["notes"]);
    assert_eq!(bo.store.pending_count().unwrap(), 0, "the settled values went in the same sync");

    let on_server = format!("SELECT emails_sent_count::text || ' ' || (last_contacted_at = '{bo_contacted}')::text FROM leads WHERE id = '{}'", lead.id);
    assert_eq!(s.sql(&on_server).unwrap(), vec!["3 true"]);
    ana.sync().await;
    for l in [&ana, &bo] {
        let now = l.store.find::<Lead>(&lead.id).unwrap();
        assert_eq!(now.emails_sent_count, 3);
        let at = chrono::DateTime::parse_from_rfc3339(now.last_contacted_at.as_deref().unwrap()).unwrap();
        assert_eq!(at, chrono::DateTime::parse_from_rfc3339(&bo_contacted).unwrap());
    }
}
