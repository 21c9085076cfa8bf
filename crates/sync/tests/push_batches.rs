//! A push of several batches: the next batch is read and sent while the server works on the one
//! before. An edit made meanwhile to a row of a batch in flight must wait for that batch's answer:
//! sent earlier, it would carry bases the batch in flight has just overwritten and come back as a
//! conflict with the rep's own value.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::{Lead, Store};
use outpost_sync::engine::PUSH_BATCH;
use outpost_sync::Progress;
use serde_json::json;

#[tokio::test]
async fn edits_made_while_batches_are_in_flight_land_without_conflicts() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let n = PUSH_BATCH + PUSH_BATCH / 2;
    let ids: Vec<String> = ana
        .store
        .write(|tx| (0..n).map(|i| tx.insert("leads", obj(json!({"first_name": format!("L{i}")})))).collect())
        .unwrap();
    ana.sync().await;
    ana.store
        .write(|tx| ids.iter().try_for_each(|id| tx.update("leads", id, obj(json!({"notes": "v1"}))).map(|_| ())))
        .unwrap();

    // Another connection edits, at the first answer, a row of each batch: the one answered and
    // the one in flight.
    let mut other = Store::connect(ana.store.path()).unwrap();
    let edited = [10, PUSH_BATCH + 10];
    let mut first_answer = true;
    let r = ana
        .engine
        .sync_once(&mut ana.store, |p| {
            if matches!(p, Progress::Pushing { .. }) && std::mem::take(&mut first_answer) {
                for i in edited {
                    let _: Lead = other.edit(&ids[i], obj(json!({"notes": "v2"}))).unwrap();
                }
            }
        })
        .await
        .unwrap();
    assert!(!first_answer, "the push took more than one batch");
    let again = ana.sync().await;
    assert_eq!((r.conflicts, r.rejected, again.conflicts, again.rejected), (0, 0, 0, 0), "{r:?} {again:?}");
    assert_eq!(r.pushed + again.pushed, n + edited.len(), "each change sent once: {r:?} {again:?}");
    assert_eq!(ana.store.pending_count().unwrap(), 0);

    let notes = s
        .sql(&format!("SELECT notes, count(*) FROM leads WHERE organization_id = '{org}' GROUP BY 1 ORDER BY 1"))
        .unwrap();
    assert_eq!(notes, vec![format!("v1|{}", n - 2), "v2|2".to_string()]);
    assert_eq!(ana.leads(), server_leads(&s, org));
}

/// Rows added while a push runs (an import on another connection, the rep typing) do not end the
/// cycle early: it goes on while its batches leave the outbox, and sends them too.
#[tokio::test]
async fn rows_added_during_a_push_go_in_the_same_cycle() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let n = PUSH_BATCH + PUSH_BATCH / 2;
    ana.store
        .write(|tx| {
            (0..n).try_for_each(|i| tx.insert("leads", obj(json!({"first_name": format!("L{i}")}))).map(|_| ()))
        })
        .unwrap();
    let mut other = Store::connect(ana.store.path()).unwrap();
    let mut first_answer = true;
    ana.engine
        .sync_once(&mut ana.store, |p| {
            if matches!(p, Progress::Pushing { .. }) && std::mem::take(&mut first_answer) {
                other
                    .write(|tx| {
                        (0..2 * PUSH_BATCH).try_for_each(|i| {
                            tx.insert("leads", obj(json!({"first_name": format!("M{i}")}))).map(|_| ())
                        })
                    })
                    .unwrap();
            }
        })
        .await
        .unwrap();
    assert_eq!(ana.store.pending_count().unwrap(), 0, "everything went in one cycle");
    let on_server = s.sql(&format!("SELECT count(*) FROM leads WHERE organization_id = '{org}'")).unwrap();
    assert_eq!(on_server, vec![(n + 2 * PUSH_BATCH).to_string()]);
}

/// A proxy that refuses large request bodies (413, e.g. nginx's 1 MB default) gets smaller batches,
/// and a single change still too large waits in the rejected list instead of stopping every sync.
#[tokio::test]
async fn batches_too_large_for_a_proxy_are_split_and_an_oversized_change_is_rejected() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    s.faults().set_max_body(64 << 10);
    let notes = "a long note about the call. ".repeat(40);
    ana.store
        .write(|tx| {
            (0..300).try_for_each(|i| {
                tx.insert("leads", obj(json!({"first_name": format!("L{i}"), "notes": notes}))).map(|_| ())
            })
        })
        .unwrap();
    let huge = ana.add(json!({"first_name": "Huge", "notes": "x".repeat(100 << 10)}));
    let r = ana.sync().await;
    assert_eq!((r.pushed, r.applied, r.rejected), (301, 300, 1), "{r:?}");
    assert_eq!(ana.store.pending_count().unwrap(), 0);
    let count = s.sql(&format!("SELECT count(*) FROM leads WHERE organization_id = '{org}'")).unwrap();
    assert_eq!(count, vec!["300".to_string()]);
    let rejected = ana.store.open_rejections().unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!((rejected[0].row_id.as_str(), rejected[0].code.as_deref()), (huge.id.as_str(), Some("413")));
    assert!(rejected[0].reason.contains("too large"), "{}", rejected[0].reason);
    let again = ana.sync().await;
    assert_eq!((again.pushed, again.rejected), (0, 0), "{again:?}");

    // The proxy's limit raised: the rep retries the change and it lands.
    s.faults().clear();
    ana.store.retry_rejection(rejected[0].id).unwrap();
    let r = ana.sync().await;
    assert_eq!((r.pushed, r.applied), (1, 1), "{r:?}");
    assert_eq!(ana.leads(), server_leads(&s, org));
}

/// Batches cut by bytes (large rows) still go in edit order: an email freed by one edit reaches the
/// server before a later lead takes it.
#[tokio::test]
async fn batches_cut_by_bytes_keep_edit_order() {
    edit_order_across_batches(false).await;
}

/// The same when the first batch's answer is lost: the batch read ahead meanwhile is dropped, and
/// its changes (read, given sending numbers, not sent) keep their place in edit order.
#[tokio::test]
async fn changes_read_for_a_batch_not_sent_keep_edit_order() {
    edit_order_across_batches(true).await;
}

async fn edit_order_across_batches(lose_first_answer: bool) {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let first = ana.add(json!({"first_name": "Ada", "email": "x@acme.test"}));
    ana.sync().await;
    let notes = "a long transcript line. ".repeat(400);
    let add_many = |ana: &mut Laptop, from: usize, n: usize| {
        ana.store
            .write(|tx| {
                (from..from + n).try_for_each(|i| {
                    tx.insert("leads", obj(json!({"first_name": format!("L{i}"), "notes": notes}))).map(|_| ())
                })
            })
            .unwrap();
    };
    add_many(&mut ana, 0, 500);
    ana.edit(&first.id, json!({"email": "y@acme.test"}));
    add_many(&mut ana, 500, 600);
    ana.add(json!({"first_name": "Bea", "email": "x@acme.test"}));
    if lose_first_answer {
        s.faults().drop_next_responses(1);
        assert!(ana.engine.sync_once(&mut ana.store, |_| {}).await.is_err());
    }
    let r = ana.sync().await;
    assert_eq!((r.rejected, r.conflicts), (0, 0), "{r:?}");
    assert_eq!((r.pushed, r.applied), (1102, 1102), "each change once after the loss: {r:?}");
    let emails = s
        .sql(&format!(
            "SELECT first_name || ' ' || email FROM leads WHERE organization_id = '{org}' AND email IS NOT NULL ORDER BY 1"
        ))
        .unwrap();
    assert_eq!(emails, vec!["Ada y@acme.test", "Bea x@acme.test"]);
    assert_eq!(ana.leads(), server_leads(&s, org));
}

/// A batch whose answer was lost goes again with its numbers; if a proxy now finds it too large,
/// its halves go, still with their numbers (it may have been applied), never read afresh.
#[tokio::test]
async fn a_resent_batch_too_large_for_a_proxy_goes_in_halves_with_its_numbers() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let notes = "x".repeat(20 << 10);
    let ids: Vec<String> = (0..4).map(|i| ana.add(json!({"first_name": format!("L{i}"), "notes": notes})).id).collect();
    s.faults().drop_next_responses(1);
    assert!(ana.engine.sync_once(&mut ana.store, |_| {}).await.is_err());
    s.faults().set_max_body(50 << 10);
    // Edited meanwhile: read afresh, the insert would carry the new name against no base and come
    // back as a conflict with the rep's own first value.
    ana.edit(&ids[0], json!({"first_name": "Renamed"}));
    let r = ana.sync().await;
    // The server had applied the batch: the halves are answered from its record, nothing twice;
    // then the edit goes as an update.
    assert_eq!((r.rejected, r.conflicts), (0, 0), "{r:?}");
    assert_eq!((r.pushed, r.applied), (5, 5), "{r:?}");
    assert_eq!(s.sql(&format!("SELECT count(*) FROM leads WHERE organization_id = '{org}'")).unwrap(), vec!["4"]);
    assert_eq!(ana.store.pending_count().unwrap(), 0);
    assert_eq!(ana.leads(), server_leads(&s, org));
}

/// A change the server gives up on every time, even sent alone (its statement timeout: here a
/// trigger raising 57014 for one lead; sync_push's per-change savepoints do not catch that code,
/// as they do not catch a real timeout), would hold every later change back for good. After three
/// syncs in a row it goes to the rejected list and the rest goes on; once the server is mended,
/// the rep retries it and it lands. Once found, it is sent alone first, not found again by halving.
#[tokio::test]
async fn a_change_the_server_always_gives_up_on_is_rejected_after_three_syncs() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    s.sql(
        "CREATE SEQUENCE poison_tries;
         CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
           PERFORM nextval('poison_tries');
           RAISE EXCEPTION 'canceling statement due to statement timeout' USING ERRCODE = '57014';
         END $$;
         CREATE TRIGGER poison BEFORE INSERT OR UPDATE ON leads FOR EACH ROW
           WHEN (NEW.first_name = 'Poison') EXECUTE FUNCTION poison();",
    )
    .unwrap();
    let add = |ana: &mut Laptop, range: std::ops::Range<usize>| {
        for i in range {
            ana.add(json!({"first_name": format!("L{i}")}));
        }
    };
    add(&mut ana, 0..40);
    let poison = ana.add(json!({"first_name": "Poison"}));
    add(&mut ana, 40..80);
    let mut failed = 0;
    let r = loop {
        match ana.engine.sync_once(&mut ana.store, |_| {}).await {
            Ok(r) => break r,
            Err(e) => {
                assert!(e.to_string().contains("statement timeout"), "{e}");
                failed += 1;
                assert!(failed < 10, "still failing after {failed} syncs");
            }
        }
    };
    assert_eq!(failed, 3, "the first syncs narrow it down, then two more strikes");
    // Tries (a sequence counts them through the rollbacks): batches of 81, 40 and 25 in the first
    // sync; the recorded 25 again, halved to it (12, 6, 3, 1); then alone at once, twice.
    assert_eq!(s.sql("SELECT last_value FROM poison_tries").unwrap(), vec!["10".to_string()]);
    assert_eq!(r.rejected, 1, "{r:?}");
    assert_eq!(ana.store.pending_count().unwrap(), 0);
    let count = s.sql(&format!("SELECT count(*) FROM leads WHERE organization_id = '{org}'")).unwrap();
    assert_eq!(count, vec!["80".to_string()], "every other change went on");
    let rejected = ana.store.open_rejections().unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!((rejected[0].row_id.as_str(), rejected[0].code.as_deref()), (poison.id.as_str(), Some("57014")));
    assert!(rejected[0].reason.contains("gave up on this change 3 times"), "{}", rejected[0].reason);

    s.sql("DROP TRIGGER poison ON leads").unwrap();
    ana.store.retry_rejection(rejected[0].id).unwrap();
    let r = ana.sync().await;
    assert_eq!((r.pushed, r.applied), (1, 1), "{r:?}");
    assert_eq!(ana.leads(), server_leads(&s, org));
}

/// Two syncs of one database at once (the app and `outpost sync`, two terminals) read the same
/// outbox batch and sent it twice; the second sending's "already processed" answers were recorded as
/// thousands of rejections. A cycle now holds a lock on `<db>.sync-lock`: a second one ends at once
/// as `AlreadySyncing` (a transient error: the scheduler tries again later), sending nothing.
#[tokio::test]
async fn a_second_sync_of_the_same_database_waits_its_turn() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    ana.add(json!({"first_name": "Lee"}));
    let mut name = ana.store.path().as_os_str().to_owned();
    name.push(".sync-lock");
    let other = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&name).unwrap();
    other.lock().unwrap();
    let e = ana.engine.sync_once(&mut ana.store, |_| {}).await.unwrap_err();
    assert!(matches!(e, outpost_sync::Error::AlreadySyncing) && e.is_transient() && e.is_busy(), "{e}");
    assert_eq!(ana.store.pending_count().unwrap(), 1);
    assert!(server_leads(&s, org).is_empty(), "nothing was sent");
    other.unlock().unwrap();
    let r = ana.sync().await;
    assert_eq!((r.pushed, r.rejected), (1, 0), "{r:?}");
    assert_eq!(server_leads(&s, org).len(), 1);
}
