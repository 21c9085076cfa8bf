//! A member taken out of the organization and put back: the laptop follows what they may see —
//! the team's rows leave while they are out (the laptop says why), and all come back with them,
//! though none of those rows changed meanwhile.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn a_member_taken_out_and_put_back_sees_the_team_again() {
    let (s, org) = team(2);
    let mut ana = rep(&s, 0).await;
    let mut bo = rep(&s, 1).await;
    let lead = ana.add(json!({"first_name": "Kept", "company": "Acme"}));
    ana.add(json!({"first_name": "Other"}));
    ana.sync().await;
    bo.sync().await;
    assert_eq!(bo.leads().len(), 2);
    let bo_id = bo.store.identity().user_id.clone();

    s.sql(&format!("UPDATE profiles SET organization_id = NULL WHERE id = '{bo_id}'")).unwrap();
    bo.edit(&lead.id, json!({"company": "Acme Ltd"}));
    let r = bo.sync().await;
    assert_eq!(r.rejected, 1, "{r:?}");
    assert!(bo.leads().is_empty(), "the team's rows left: {:?}", bo.leads());
    let why = bo.store.view_only().unwrap().unwrap_or_default();
    assert!(why.contains("no longer a member"), "{why}");

    s.sql(&format!("UPDATE profiles SET organization_id = '{org}' WHERE id = '{bo_id}'")).unwrap();
    bo.sync().await;
    assert_eq!(bo.leads(), server_leads(&s, org), "every row is back, though none changed");
    assert!(bo.store.view_only().unwrap().is_none());
    // The refused edit can be tried again now.
    let refused = bo.store.open_rejections().unwrap();
    bo.store.retry_rejection(refused[0].id).unwrap();
    assert_eq!(bo.sync().await.rejected, 0);
    assert_eq!(s.sql(&format!("SELECT company FROM leads WHERE id = '{}'", lead.id)).unwrap(), vec!["Acme Ltd"]);
}
