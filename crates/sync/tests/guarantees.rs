//! One test per guarantee of SYNC.md, against the real stack (PostgreSQL + PostgREST + stand-in).
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::sync_local::Keep;
use outpost_sync::{Client, Error};
use serde_json::json;

#[tokio::test]
async fn g1_convergence_of_three_clients_and_direct_server_writes() {
    let (s, org) = team(3);
    let mut reps = vec![rep(&s, 0).await, rep(&s, 1).await, rep(&s, 2).await];
    let a = reps[0].add(json!({"first_name": "A", "company": "Alpha"}));
    reps[1].add(json!({"first_name": "B"}));
    reps[2].add(json!({"first_name": "C", "notes": "hi"}));
    s.sql(&format!(
        "INSERT INTO leads (id, organization_id, first_name) VALUES ('{}', '{org}', 'Direct')",
        uuid::Uuid::now_v7()
    ))
    .unwrap();
    for r in reps.iter_mut() {
        r.sync().await;
    }
    reps[1].edit(&a.id, json!({"company": "Alpha GmbH"}));
    s.sql(&format!("UPDATE leads SET notes = 'server note' WHERE id = '{}'", a.id)).unwrap();
    reps[2].store.remove::<outpost_core::Lead>(&a.id).unwrap_or(());
    for _ in 0..2 {
        for r in reps.iter_mut() {
            r.sync().await;
        }
    }
    let server = server_leads(&s, org);
    assert_eq!(server.len(), 4, "{server:?}");
    for r in &reps {
        assert_eq!(r.leads(), server);
        assert_eq!(r.store.pending_count().unwrap(), 0);
    }
}

#[tokio::test]
async fn g2_disjoint_edits_merge_and_same_field_edits_become_a_conflict_with_both_values() {
    let (s, org) = team(2);
    let (mut ana, mut bo) = (rep(&s, 0).await, rep(&s, 1).await);
    let lead = ana.add(json!({"first_name": "Lee", "notes": "base"}));
    ana.sync().await;
    bo.sync().await;
    // Both offline: Ana edits company and notes, Bo edits job title and notes.
    ana.edit(&lead.id, json!({"company": "Acme", "notes": "Ana's note"}));
    bo.edit(&lead.id, json!({"job_title": "CTO", "notes": "Bo's note"}));
    ana.sync().await;
    let r = bo.sync().await;
    assert_eq!(r.conflicts, 1, "{r:?}");
    let conflicts = bo.store.open_conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    let c = &conflicts[0];
    assert_eq!(
        (c.column.as_str(), &c.base, &c.mine, &c.theirs),
        ("notes", &json!("base"), &json!("Bo's note"), &json!("Ana's note"))
    );
    let row = s.sql(&format!("SELECT company, job_title, notes FROM leads WHERE id = '{}'", lead.id)).unwrap();
    assert_eq!(row, vec!["Acme|CTO|Ana's note"], "disjoint fields merged");
    assert_eq!(bo.leads(), server_leads(&s, org), "Bo's laptop shows the server's value until he decides");

    // Bo keeps his: a new edit based on theirs, which wins at the next sync.
    bo.store.resolve_conflict(c.id, Keep::Mine).unwrap();
    bo.sync().await;
    ana.sync().await;
    assert_eq!(s.sql(&format!("SELECT notes FROM leads WHERE id = '{}'", lead.id)).unwrap(), vec!["Bo's note"]);
    assert_eq!(ana.leads(), server_leads(&s, org));
    assert!(bo.store.open_conflicts().unwrap().is_empty());
}

/// Beyond G2: both reps changing a lead's tags or custom fields offline is not a conflict when they
/// changed different parts — tags each added or removed, custom-field keys each set — the server
/// merges them; the same key set to different values still is one, with both values.
#[tokio::test]
async fn tags_and_custom_fields_changed_on_both_sides_merge_by_element_and_key() {
    let (s, org) = team(2);
    let (mut ana, mut bo) = (rep(&s, 0).await, rep(&s, 1).await);
    let lead = ana.add(
        json!({"first_name": "Lee", "tags": ["cold", "webinar"], "custom_fields": {"size": "10", "region": "EU"}}),
    );
    ana.sync().await;
    bo.sync().await;
    ana.edit(&lead.id, json!({"tags": ["webinar", "vip"], "custom_fields": {"size": "50", "region": "EU"}}));
    bo.edit(&lead.id, json!({"tags": ["cold", "webinar", "partner"], "custom_fields": {"size": "10", "region": "EU", "source": "fair"}}));
    ana.sync().await;
    let r = bo.sync().await;
    assert_eq!(r.conflicts, 0, "{r:?}");
    let row = s.sql(&format!("SELECT tags, custom_fields FROM leads WHERE id = '{}'", lead.id)).unwrap();
    assert_eq!(row, vec![r#"{webinar,vip,partner}|{"size": "50", "region": "EU", "source": "fair"}"#]);
    ana.sync().await;
    for laptop in [&ana, &bo] {
        let local = laptop.store.get("leads", &lead.id).unwrap().unwrap();
        assert_eq!(local["tags"], json!(["webinar", "vip", "partner"]));
        assert_eq!(local["custom_fields"], json!({"size": "50", "region": "EU", "source": "fair"}));
    }
    assert_eq!(ana.leads(), server_leads(&s, org));

    // The same key changed differently on both sides: a conflict on that key, both values kept;
    // the keys each side changed alone land (bo's "seats" went with the conflict before).
    ana.edit(&lead.id, json!({"custom_fields": {"size": "100", "region": "EU", "source": "fair", "tier": "gold"}}));
    bo.edit(&lead.id, json!({"custom_fields": {"size": "200", "region": "EU", "source": "fair", "seats": "5"}}));
    ana.sync().await;
    let r = bo.sync().await;
    assert_eq!(r.conflicts, 1, "{r:?}");
    let conflicts = bo.store.open_conflicts().unwrap();
    assert_eq!(conflicts[0].column, "custom_fields");
    let both = json!({"size": "100", "region": "EU", "source": "fair", "tier": "gold", "seats": "5"});
    let mut mine = both.clone();
    mine["size"] = json!("200");
    assert_eq!((&conflicts[0].mine, &conflicts[0].theirs), (&mine, &both));
    bo.sync().await;
    let on_server = s.sql(&format!("SELECT custom_fields FROM leads WHERE id = '{}'", lead.id)).unwrap();
    assert_eq!(serde_json::from_str::<serde_json::Value>(&on_server[0]).unwrap(), both);
    // Keeping mine settles the one key, the others kept.
    bo.store.resolve_conflict(conflicts[0].id, outpost_core::sync_local::Keep::Mine).unwrap();
    bo.sync().await;
    ana.sync().await;
    assert_eq!(ana.store.get("leads", &lead.id).unwrap().unwrap()["custom_fields"], mine);
    assert_eq!(ana.leads(), server_leads(&s, org));
}

#[tokio::test]
async fn g3_a_long_server_transaction_spanning_a_pull_is_not_missed() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let (db, conn) = tokio_postgres::connect(&s.db_uri(), tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let slow = uuid::Uuid::now_v7();
    db.batch_execute(&format!(
        "BEGIN; INSERT INTO leads (id, organization_id, first_name) VALUES ('{slow}', '{org}', 'Slow');"
    ))
    .await
    .unwrap();
    s.sql(&format!(
        "INSERT INTO leads (id, organization_id, first_name) VALUES ('{}', '{org}', 'Fast')",
        uuid::Uuid::now_v7()
    ))
    .unwrap();
    ana.sync().await;
    db.batch_execute("COMMIT").await.unwrap();
    ana.sync().await;
    assert_eq!(ana.leads(), server_leads(&s, org));
    assert_eq!(ana.leads().len(), 2);
}

#[tokio::test]
async fn g4_dropped_responses_and_retries_apply_exactly_once() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    for i in 0..5 {
        ana.add(json!({"first_name": format!("L{i}")}));
    }
    // The push reaches the server, its answer is lost; the retry must not duplicate anything.
    s.faults().drop_next_responses(1);
    let lost = ana.engine.sync_once(&mut ana.store, |_| {}).await;
    assert!(lost.is_err());
    assert_eq!(ana.store.pending_count().unwrap(), 5, "nothing is forgotten without a confirmation");
    s.faults().fail_next(1, 503);
    let e = ana.engine.sync_once(&mut ana.store, |_| {}).await.unwrap_err();
    assert!(e.is_transient(), "{e}");
    let r = ana.sync().await;
    assert_eq!((r.applied, r.rejected), (5, 0), "{r:?}");
    assert_eq!(s.sql(&format!("SELECT count(*) FROM leads WHERE organization_id = '{org}'")).unwrap(), vec!["5"]);
    assert_eq!(ana.leads(), server_leads(&s, org));
    assert_eq!(ana.store.pending_count().unwrap(), 0);
}

/// After a lost answer the same batch goes again, with its sequence numbers, before anything
/// else: the server answers from what it recorded, and an edit made meanwhile is rebased on what
/// was really sent — not sent with stale bases and shown as a conflict with the rep's own value.
#[tokio::test]
async fn g4_an_edit_after_a_lost_answer_is_not_a_conflict_with_itself() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let lead = ana.add(json!({"first_name": "Ana"}));
    ana.sync().await;
    ana.edit(&lead.id, json!({"notes": "v1"}));
    s.faults().drop_next_responses(1);
    assert!(ana.engine.sync_once(&mut ana.store, |_| {}).await.is_err());
    // The app is restarted meanwhile: the batch sent is on disk, not in memory.
    let path = ana.store.path().to_path_buf();
    ana.store = outpost_core::Store::open(&path).unwrap();
    ana.edit(&lead.id, json!({"notes": "v2", "company": "Acme"}));
    let r = ana.sync().await;
    assert_eq!((r.conflicts, r.rejected), (0, 0), "{r:?}");
    assert_eq!(ana.store.pending_count().unwrap(), 0, "one sync sends the newer edit too");
    assert_eq!(ana.leads(), server_leads(&s, org));
    assert!(server_leads(&s, org)[0].ends_with("|Ana|Acme|v2|false"));
}

#[tokio::test]
async fn g6_a_service_role_key_is_refused() {
    let s = standin::Standin::start().unwrap();
    let e = Client::new(&s.url, s.service_role_key()).unwrap_err();
    assert!(matches!(e, Error::ServiceRoleKey), "{e}");
}

#[tokio::test]
async fn g7_expired_tokens_are_refreshed_and_the_laptop_clock_decides_nothing() {
    let (s, org) = team(1);
    s.set_token_ttl(std::time::Duration::from_secs(1));
    let mut ana = rep(&s, 0).await;
    ana.add(json!({"first_name": "Tok"}));
    // The token expires within the refresh margin, so it is refreshed before use; a server that
    // refuses it anyway (401) is answered by one refresh and a retry.
    ana.sync().await;
    assert_eq!(ana.leads(), server_leads(&s, org));
}

#[tokio::test]
async fn a_lead_moved_to_another_organization_disappears_locally() {
    let (s, org) = team(2);
    let other = s.create_organization("Other").unwrap();
    let (mut ana, mut bo) = (rep(&s, 0).await, rep(&s, 1).await);
    let moved = ana.add(json!({"first_name": "Moving"}));
    let pending = ana.add(json!({"first_name": "Staying"}));
    ana.sync().await;
    bo.sync().await;
    // Bo has an unpushed edit of the second lead when both move away.
    bo.edit(&pending.id, json!({"notes": "Bo was here"}));
    s.sql(&format!("UPDATE leads SET organization_id = '{other}' WHERE id IN ('{}', '{}')", moved.id, pending.id))
        .unwrap();
    ana.sync().await;
    assert!(ana.leads().is_empty(), "{:?}", ana.leads());
    let r = bo.engine.sync_once(&mut bo.store, |_| {}).await.unwrap();
    assert_eq!(r.rejected, 1, "his edit of a row he can no longer see is rejected, not lost: {r:?}");
    assert_eq!(bo.store.open_rejections().unwrap().len(), 1);
    assert!(bo.leads().is_empty(), "the row itself left with the others: {:?}", bo.leads());
    assert!(server_leads(&s, org).is_empty());
}

#[tokio::test]
async fn a_parent_edited_after_its_child_was_made_still_arrives_first() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let lead = ana.add(json!({"first_name": "Parent"}));
    let values = json!({"lead_id": lead.id, "type": "note", "description": "child"}).as_object().unwrap().clone();
    ana.store.write(|tx| tx.insert("activities", values)).unwrap();
    // The edit renews the lead's sequence number: it is now newer than its activity's.
    ana.edit(&lead.id, json!({"company": "Edited later"}));
    let r = ana.sync().await;
    assert_eq!((r.applied, r.rejected), (2, 0), "{r:?}");
    assert_eq!(s.sql(&format!("SELECT count(*) FROM activities WHERE organization_id = '{org}'")).unwrap(), vec!["1"]);
}
