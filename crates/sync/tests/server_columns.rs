//! Rows made on the laptop whose tables have columns only the server writes (a list's
//! total_contacts, a campaign's counters): they reach the server without them.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use serde_json::json;

/// A list an import made (its leads in it) and a campaign reach the server: the laptop sends them
/// without the counters the server keeps (total_contacts, emails_sent…), which a user may not set.
#[tokio::test]
async fn a_list_and_a_campaign_made_here_reach_the_server() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("leads.csv");
    std::fs::write(&file, "Email,First Name\none@x.test,One\ntwo@x.test,Two\n").unwrap();
    let opts = outpost_import::ImportOptions { list_name: Some("Spring fair".into()), ..Default::default() };
    outpost_import::import(&mut ana.store, &file, &opts, &mut |_| true).unwrap();
    let campaign = json!({"name": "Spring"}).as_object().unwrap().clone();
    ana.store.write(|tx| tx.insert("campaigns", campaign)).unwrap();
    let local_total: i64 =
        ana.store.conn().query_row("SELECT total_contacts FROM lead_lists", [], |r| r.get(0)).unwrap();
    assert_eq!(local_total, 2, "the import counted its list's leads here");

    let r = ana.sync().await;
    assert_eq!(r.rejected, 0, "{r:?}");
    let listed = format!(
        "SELECT l.name || '|' || count(d.id) FROM lead_lists l JOIN leads d ON d.list_id = l.id
          WHERE l.organization_id = '{org}' GROUP BY l.name"
    );
    assert_eq!(s.sql(&listed).unwrap(), vec!["Spring fair|2"]);
    assert_eq!(s.sql("SELECT name || '|' || emails_sent FROM campaigns").unwrap(), vec!["Spring|0"]);
}
