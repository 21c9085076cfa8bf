//! A lead taken out of a campaign and put back in: its enrolment row (one per campaign and lead)
//! is restored and reset, and the server and a teammate's laptop follow each step.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn a_lead_taken_out_of_a_campaign_and_put_back_is_in_it_again_everywhere() {
    let (s, _org) = team(2);
    let mut ana = rep(&s, 0).await;
    let mut bo = rep(&s, 1).await;
    let campaign = ana.store.write(|tx| tx.insert("campaigns", obj(json!({"name": "Spring"})))).unwrap();
    let lead = ana.add(json!({"first_name": "Dana", "email": "dana@camp.test"}));
    let added = ana.store.add_to_campaign(&campaign, std::slice::from_ref(&lead.id)).unwrap();
    assert_eq!(added.added, vec![lead.id.clone()]);
    ana.sync().await;
    // The campaign ran a step: the enrolment was tried once (as the campaign's runner marks it).
    let row = format!("SELECT id FROM campaign_leads WHERE lead_id = '{}'", lead.id);
    let row = s.sql(&row).unwrap().remove(0);
    let tried = json!({"status": "in_progress", "attempts": 1});
    ana.store.write(|tx| tx.update("campaign_leads", &row, obj(tried))).unwrap();
    ana.sync().await;
    bo.sync().await;
    let members = |store: &outpost_core::Store| -> Vec<String> {
        store
            .conn()
            .prepare("SELECT status || '/' || attempts FROM campaign_leads WHERE deleted_at IS NULL")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(members(&bo.store), vec!["in_progress/1"]);

    // Taken out: gone on the server (soft-deleted, as every delete is) and on Bo's laptop.
    assert_eq!(ana.store.remove_from_campaign(&campaign, std::slice::from_ref(&lead.id)).unwrap(), 1);
    assert_eq!(ana.sync().await.rejected, 0);
    let on_server = "SELECT (deleted_at IS NOT NULL)::text || '/' || status || '/' || attempts FROM campaign_leads";
    assert_eq!(s.sql(on_server).unwrap(), vec!["true/in_progress/1"]);
    bo.sync().await;
    assert!(members(&bo.store).is_empty());

    // Put back: the same row, live again and starting over, everywhere.
    let again = ana.store.add_to_campaign(&campaign, std::slice::from_ref(&lead.id)).unwrap();
    assert_eq!(again.added, vec![lead.id.clone()]);
    let r = ana.sync().await;
    assert_eq!((r.rejected, r.conflicts), (0, 0), "{r:?}");
    assert_eq!(s.sql(on_server).unwrap(), vec!["false/pending/0"]);
    bo.sync().await;
    assert_eq!(members(&bo.store), vec!["pending/0"]);
    assert!(ana.store.open_rejections().unwrap().is_empty());
}
