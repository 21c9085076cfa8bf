//! The conflicts inbox's decisions against the real stack: a third value typed by the rep, and a
//! refused change discarded or tried again once the reason is gone.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn a_conflict_settled_with_a_third_value_reaches_the_server_and_the_colleague() {
    let (s, org) = team(2);
    let (mut ana, mut bo) = (rep(&s, 0).await, rep(&s, 1).await);
    let lead = ana.add(json!({"first_name": "Lee", "company": "Acme"}));
    ana.sync().await;
    bo.sync().await;
    ana.edit(&lead.id, json!({"company": "Acme Ltd"}));
    bo.edit(&lead.id, json!({"company": "Acme Inc"}));
    bo.sync().await;
    assert_eq!(ana.sync().await.conflicts, 1);
    let c = ana.store.open_conflicts().unwrap().remove(0);
    assert_eq!((c.mine.as_str(), c.theirs.as_str()), (Some("Acme Ltd"), Some("Acme Inc")));
    assert_eq!(ana.store.row_label("leads", &lead.id).unwrap().as_deref(), Some("Lee"));
    // A deletion can only be kept or undone.
    ana.store.resolve_conflict_with(c.id, json!("Acme Group")).unwrap();
    assert!(ana.store.open_conflicts().unwrap().is_empty());
    assert!(ana.store.resolve_conflict_with(c.id, json!("again")).is_err(), "settled once");
    let r = ana.sync().await;
    assert_eq!((r.applied, r.conflicts), (1, 0), "{r:?}");
    bo.sync().await;
    assert!(server_leads(&s, org)[0].contains("|Acme Group|"));
    assert_eq!(bo.leads(), server_leads(&s, org));
}

#[tokio::test]
async fn a_refused_change_is_discarded_or_sent_again_once_the_reason_is_gone() {
    let (s, org) = team(1);
    let viewer = s.create_user("viewer@acme.test", "pw-viewer", org, "sales_rep").unwrap();
    let role = |r: &str| s.sql(&format!("UPDATE profiles SET role = '{r}' WHERE id = '{viewer}'")).unwrap();
    let mut ana = rep(&s, 0).await;
    let lead = ana.add(json!({"first_name": "Lee", "company": "Acme"}));
    ana.sync().await;
    let mut vic = laptop(&s, "viewer@acme.test", "pw-viewer").await;
    vic.sync().await;

    // Each edit is made while Vic may write and sent after an admin made him a viewer.
    vic.edit(&lead.id, json!({"company": "First try"}));
    role("viewer");
    assert_eq!(vic.sync().await.rejected, 1);
    let r = vic.store.open_rejections().unwrap().remove(0);
    assert_eq!((r.code.as_deref(), r.reason.as_str()), (Some("P0002"), "row not found or not permitted"));
    vic.store.discard_rejection(r.id).unwrap();
    assert!(vic.store.open_rejections().unwrap().is_empty());
    assert_eq!(vic.store.pending_count().unwrap(), 0);
    assert_eq!(vic.leads(), server_leads(&s, org), "discarding keeps the server's copy");

    role("sales_rep");
    vic.sync().await;
    vic.edit(&lead.id, json!({"company": "Second try"}));
    role("viewer");
    assert_eq!(vic.sync().await.rejected, 1);
    let r = vic.store.open_rejections().unwrap().remove(0);
    role("sales_rep");
    assert!(
        matches!(vic.store.retry_rejection(r.id), Err(outpost_core::Error::ViewOnly(_))),
        "the laptop learns the new role at the next sync"
    );
    vic.sync().await;
    vic.store.retry_rejection(r.id).unwrap();
    assert_eq!(vic.store.pending_count().unwrap(), 1, "the change waits to be sent again");
    let sent = vic.sync().await;
    assert_eq!((sent.applied, sent.rejected), (1, 0), "{sent:?}");
    assert!(server_leads(&s, org)[0].contains("|Second try|"));
    assert!(vic.store.retry_rejection(r.id).is_err(), "settled once");
}

#[tokio::test]
async fn a_first_sync_says_how_many_rows_to_expect_and_later_ones_do_not() {
    let (s, _org) = team(2);
    let mut ana = rep(&s, 0).await;
    for i in 0..7 {
        ana.add(json!({"first_name": format!("Lead {i}")}));
    }
    ana.sync().await;
    let mut bo = rep(&s, 1).await;
    let mut expected = Vec::new();
    let report = bo
        .engine
        .sync_once(&mut bo.store, |p| {
            if let outpost_sync::Progress::Expecting { rows } = p {
                expected.push(rows);
            }
        })
        .await
        .unwrap();
    assert_eq!(expected, vec![report.pulled], "{report:?}");
    assert!(report.pulled >= 7);
    expected.clear();
    bo.engine
        .sync_once(&mut bo.store, |p| {
            if let outpost_sync::Progress::Expecting { rows } = p {
                expected.push(rows);
            }
        })
        .await
        .unwrap();
    assert!(expected.is_empty(), "only a first sync counts");
}

/// A first pull of more than one page builds the local indexes at the end, and says so (at a
/// million rows that takes a quarter of the sync); a pull of one page does not.
#[tokio::test]
async fn a_big_first_sync_says_when_it_builds_its_indexes() {
    let (s, org) = team(1);
    let rows = outpost_sync::engine::PULL_PAGE + 10;
    s.sql(&format!(
        "INSERT INTO leads (id, organization_id, first_name, email)
         SELECT gen_random_uuid(), '{org}', 'Lead ' || g, 'lead' || g || '@acme.test' FROM generate_series(1, {rows}) g"
    ))
    .unwrap();
    let mut ana = rep(&s, 0).await;
    let fresh: i64 = ana
        .store
        .conn()
        .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'index'", [], |r| r.get(0))
        .unwrap();
    let mut seen = Vec::new();
    let report = ana
        .engine
        .sync_once(&mut ana.store, |p| {
            if !matches!(p, outpost_sync::Progress::Pulling { .. }) || seen.last() != Some(&"pulling") {
                seen.push(match p {
                    outpost_sync::Progress::Pushing { .. } => "pushing",
                    outpost_sync::Progress::Pulling { .. } => "pulling",
                    outpost_sync::Progress::Expecting { .. } => "expecting",
                    outpost_sync::Progress::Indexing => "indexing",
                });
            }
        })
        .await
        .unwrap();
    assert!(report.pulled >= rows, "{report:?}");
    assert_eq!(seen, vec!["expecting", "pulling", "indexing"]);
    let after: i64 = ana
        .store
        .conn()
        .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'index'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(after, fresh, "every index is back");
    ana.add(json!({"first_name": "One more"}));
    let mut indexing = false;
    ana.engine.sync_once(&mut ana.store, |p| indexing |= matches!(p, outpost_sync::Progress::Indexing)).await.unwrap();
    assert!(!indexing, "only a first sync of many rows builds indexes");
}

#[tokio::test]
async fn saved_tokens_do_not_sync_a_database_they_were_not_signed_in_with() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    ana.add(json!({"first_name": "Mine"}));
    ana.sync().await;
    // A fresh database file (reset, or another --db) with Ana's tokens still in the keychain.
    let dir = tempfile::tempdir().unwrap();
    let mut other = outpost_core::Store::open(dir.path().join("outpost.db")).unwrap();
    other.write(|tx| tx.insert("leads", obj(json!({"first_name": "Made before signing in"})))).unwrap();
    match ana.engine.sync_once(&mut other, |_| {}).await {
        Err(outpost_sync::Error::OtherAccount { email, .. }) => assert_eq!(email, "rep0@acme.test"),
        other => panic!("{other:?}"),
    }
    assert_eq!(other.pending_count().unwrap(), 1, "nothing sent, nothing lost");
    assert_eq!(server_leads(&s, org).len(), 1);
    // Signing in binds it; then it syncs.
    ana.engine.sign_in(&mut other, "rep0@acme.test", "pw-rep-0").await.unwrap();
    ana.engine.sync_once(&mut other, |_| {}).await.unwrap();
    assert_eq!(server_leads(&s, org).len(), 2);
}
