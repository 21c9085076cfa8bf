//! The sync loop the app runs: status on a channel, backoff while the server fails, "sync now"
//! skipping the wait, and a clean stop.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::time::Duration;

use common::*;
use outpost_sync::scheduler::{run, Control, State, Status};
use serde_json::json;
use tokio::sync::watch;

async fn until(rx: &mut watch::Receiver<Status>, what: &str, ok: impl Fn(&Status) -> bool) -> Status {
    let wait = async {
        loop {
            let s = rx.borrow_and_update().clone();
            if ok(&s) {
                return s;
            }
            rx.changed().await.unwrap();
        }
    };
    tokio::time::timeout(Duration::from_secs(60), wait).await.unwrap_or_else(|_| panic!("never saw: {what}"))
}

#[tokio::test]
async fn status_backoff_sync_now_and_stop() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    ana.add(json!({"first_name": "Queued"}));
    let (control, stopped) = Control::new();
    let (tx, mut rx) = watch::channel(Status::new());
    let driver = async {
        let first = until(&mut rx, "the first sync", |st| st.state == State::Idle && st.last_success.is_some()).await;
        assert_eq!(first.pending, 0);
        assert_eq!(s.sql(&format!("SELECT count(*) FROM leads WHERE organization_id = '{org}'")).unwrap(), vec!["1"]);
        // The server fails: the loop reports offline and backs off (hours of interval never pass here).
        s.faults().fail_next(1, 503);
        control.sync_now();
        let offline = until(&mut rx, "offline", |st| st.state == State::Offline).await;
        assert!(offline.error.unwrap().contains("503"));
        // The network is back: sync now skips the backoff wait.
        control.sync_now();
        until(&mut rx, "idle again", |st| st.state == State::Idle && st.error.is_none()).await;
        control.stop();
    };
    let looped = run(&ana.engine, &mut ana.store, Duration::from_secs(3600), &control, stopped, &tx);
    let (stopped_with, ()) = tokio::join!(looped, driver);
    assert!(stopped_with.is_none(), "stopped cleanly");
}

/// A stop while a first sync loads (a sign-out) leaves no index set aside: the app's list reads
/// the same database and walks them.
#[tokio::test]
async fn a_stop_during_a_first_sync_puts_its_indexes_back() {
    let (s, _) = team(1);
    let mut ana = rep(&s, 0).await;
    let indexes = |store: &outpost_core::Store| -> i64 {
        store.conn().query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'index'", [], |r| r.get(0)).unwrap()
    };
    let all = indexes(&ana.store);
    ana.store.begin_bulk_load().unwrap();
    assert!(indexes(&ana.store) < all);
    let (control, stopped) = Control::new();
    control.stop();
    let (tx, _rx) = watch::channel(Status::new());
    assert!(run(&ana.engine, &mut ana.store, Duration::from_secs(3600), &control, stopped, &tx).await.is_none());
    assert_eq!(indexes(&ana.store), all);
}

/// An import holding the local database is not a failure: the loop shows no error, does not grow
/// its backoff, and syncs the queued change on its own once the import commits.
#[tokio::test]
async fn a_database_busy_with_an_import_is_waited_out_quietly() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    ana.add(json!({"first_name": "Queued"}));
    // Fails at once instead of after SQLite's 10 s: what a long import leads to either way.
    ana.store.conn().busy_timeout(Duration::from_millis(20)).unwrap();
    let import = rusqlite::Connection::open(ana.store.path()).unwrap();
    s.faults().fail_next(1, 503);
    let (control, stopped) = Control::new();
    let (tx, mut rx) = watch::channel(Status::new());
    let driver = async {
        until(&mut rx, "offline first", |st| st.state == State::Offline && st.error.is_some()).await;
        import.execute_batch("BEGIN IMMEDIATE; UPDATE local_settings SET value = value;").unwrap();
        control.sync_now();
        let waited = until(&mut rx, "the busy database waited out", |st| st.waiting_for_writer).await;
        assert_eq!(
            (waited.state, waited.error),
            (State::Idle, None),
            "nothing for the rep to act on (the old error gone)"
        );
        assert!(waited.last_success.is_none());
        import.execute_batch("COMMIT").unwrap();
        let synced = until(&mut rx, "the sync after the import", |st| st.last_success.is_some()).await;
        assert_eq!((synced.pending, synced.error, synced.waiting_for_writer), (0, None, false));
        assert_eq!(s.sql(&format!("SELECT count(*) FROM leads WHERE organization_id = '{org}'")).unwrap(), vec!["1"]);
        control.stop();
    };
    let looped = run(&ana.engine, &mut ana.store, Duration::from_secs(3600), &control, stopped, &tx);
    let (stopped_with, ()) = tokio::join!(looped, driver);
    assert!(stopped_with.is_none(), "stopped cleanly");
}
/// A batch whose answer was lost goes again only when its answer can be recorded: while an import
/// holds the database the try ends as "busy" before sending anything (it re-sent the batch at every
/// try, each answer lost to the busy database), and the batch goes once the import commits.
#[tokio::test]
async fn a_lost_batch_is_not_sent_again_while_the_database_is_busy() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    ana.add(json!({"first_name": "Queued"}));
    s.faults().drop_next_responses(1);
    assert!(ana.engine.sync_once(&mut ana.store, |_| {}).await.is_err(), "the answer is lost");
    ana.store.conn().busy_timeout(Duration::from_millis(20)).unwrap();
    let import = rusqlite::Connection::open(ana.store.path()).unwrap();
    import.execute_batch("BEGIN IMMEDIATE; UPDATE local_settings SET value = value;").unwrap();
    // Any request now fails: the try must end on the database, not on the server.
    s.faults().fail_next(1, 503);
    let e = ana.engine.sync_once(&mut ana.store, |_| {}).await.unwrap_err();
    assert!(e.is_busy(), "{e}");
    import.execute_batch("COMMIT").unwrap();
    s.faults().clear();
    let r = ana.sync().await;
    assert_eq!(r.rejected, 0, "{r:?}");
    assert_eq!(ana.store.pending_count().unwrap(), 0);
    assert_eq!(s.sql(&format!("SELECT count(*) FROM leads WHERE organization_id = '{org}'")).unwrap(), vec!["1"]);
}

/// An edit made between cycles — in the app, or with `outpost leads edit` in another process — goes
/// to the server within moments, not at the next interval (an hour here); a burst of edits goes
/// together once it pauses.
#[tokio::test]
async fn a_local_edit_is_sent_within_moments_not_at_the_next_interval() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let mut other = outpost_core::Store::connect(ana.store.path()).unwrap();
    let (control, stopped) = Control::new();
    let (tx, mut rx) = watch::channel(Status::new());
    let driver = async {
        until(&mut rx, "the first sync", |st| st.state == State::Idle && st.last_success.is_some()).await;
        let lead: outpost_core::Lead = other
            .write(|tx| {
                let id = tx.insert("leads", obj(json!({"first_name": "Walk-in"})))?;
                tx.find(&id)
            })
            .unwrap();
        other.edit::<outpost_core::Lead>(&lead.id, obj(json!({"company": "Harbor Freight"}))).unwrap();
        other.write(|tx| tx.insert("leads", obj(json!({"first_name": "Second"})))).unwrap();
        let sent = until(&mut rx, "the edits sent", |st| st.last_report.as_ref().is_some_and(|r| r.pushed > 0)).await;
        assert_eq!((sent.pending, sent.last_report.unwrap().pushed), (0, 2), "the burst goes in one cycle");
        assert_eq!(
            s.sql(&format!("SELECT coalesce(company, '-') FROM leads WHERE organization_id = '{org}' ORDER BY 1"))
                .unwrap(),
            vec!["-", "Harbor Freight"]
        );
        control.stop();
    };
    let looped = run(&ana.engine, &mut ana.store, Duration::from_secs(3600), &control, stopped, &tx);
    let (stopped_with, ()) = tokio::join!(looped, driver);
    assert!(stopped_with.is_none(), "stopped cleanly");
}

/// A push's own rows coming back change nothing here, so no screen reloads for each edit; a
/// teammate's change does.
#[tokio::test]
async fn only_rows_with_new_values_count_as_changed_here() {
    let (s, _org) = team(2);
    let mut ana = rep(&s, 0).await;
    let mut bo = rep(&s, 1).await;
    ana.sync().await;
    bo.sync().await;
    let lead = ana.add(json!({"first_name": "Lee"}));
    let r = ana.sync().await;
    assert_eq!((r.pushed, r.changed), (1, 0), "{r:?}");
    let r = bo.sync().await;
    assert_eq!(r.changed, 1, "{r:?}");
    ana.edit(&lead.id, json!({"company": "Acme"}));
    let r = ana.sync().await;
    assert_eq!((r.pushed, r.changed), (1, 0), "{r:?}");
    let r = bo.sync().await;
    assert_eq!(r.changed, 1, "{r:?}");
}
