//! Opening a database: a set-up one opens without writing (a reading command does not wait for the
//! app's import); two processes opening a new or older one at once both get it; a newer version's,
//! a damaged one, a folder, a locked one are each said as what they are.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use outpost_core::{LeadQuery, Store};

fn lead(first: &str) -> serde_json::Map<String, serde_json::Value> {
    serde_json::json!({"first_name": first}).as_object().unwrap().clone()
}

/// `outpost status` or `leads list` while the app writes: opened and read at once (it waited for the
/// whole import). A write from it still waits its turn.
#[test]
fn a_set_up_database_opens_for_reading_while_another_connection_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outpost.db");
    Store::open(&path).unwrap().write(|tx| tx.insert("leads", lead("Ada"))).unwrap();
    let importing = rusqlite::Connection::open(&path).unwrap();
    importing.execute_batch("BEGIN IMMEDIATE; INSERT INTO local_settings (key, value) VALUES ('x', 'y');").unwrap();

    let asked = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let seen = asked.clone();
    let mut reader = Store::open_waiting(&path, Duration::from_secs(600), move |n| {
        seen.store(n + 1, std::sync::atomic::Ordering::SeqCst);
        false
    })
    .expect("opened without waiting for the writer");
    assert_eq!(reader.count_leads(&LeadQuery::default()).unwrap(), 1);
    assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 0, "never waited");
    // A write waits (and here is told to stop at once).
    assert!(reader.write(|tx| tx.insert("leads", lead("Bo"))).is_err());
    assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 1);
    importing.execute_batch("COMMIT").unwrap();
}

/// The app and `outpost sync --watch` starting together after an update (or on a new file): both
/// open it, neither fails with refinery's "already exists".
#[test]
fn two_openers_of_a_new_database_both_get_it() {
    for round in 0..16 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outpost.db");
        let openers: Vec<_> = (0..3)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || Store::open_waiting(&path, Duration::from_secs(60), |_| true).map(drop))
            })
            .collect();
        for o in openers {
            o.join().unwrap().unwrap_or_else(|e| panic!("round {round}: {e}"));
        }
        let store = Store::open(&path).unwrap();
        let orgs: i64 = store.conn().query_row("SELECT count(*) FROM organizations", [], |r| r.get(0)).unwrap();
        assert_eq!(orgs, 1, "one identity made");
    }
}

#[test]
fn a_database_it_cannot_use_is_said_as_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outpost.db");
    let mut store = Store::open(&path).unwrap();
    for i in 0..2000 {
        store.write(|tx| tx.insert("leads", lead(&format!("Lead {i} with a longer name to fill pages")))).unwrap();
    }
    drop(store);

    let newer = dir.path().join("newer.db");
    std::fs::copy(&path, &newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("INSERT INTO refinery_schema_history VALUES (999, 'future', '2030-01-01T00:00:00Z', '1')")
        .unwrap();
    let e = Store::open(&newer).map(drop).unwrap_err().to_string();
    assert!(e.contains("written by a newer version of Outpost") && e.contains("update Outpost"), "{e}");

    let damaged = dir.path().join("damaged.db");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&damaged, &bytes[..bytes.len() / 3]).unwrap();
    let e = Store::open(&damaged).map(drop).unwrap_err().to_string();
    assert!(e.contains("damaged") || e.contains("not an Outpost database"), "{e}");
    assert!(!e.contains("not an Outpost database (database disk image is malformed)"), "{e}");

    let e = Store::open(dir.path()).map(drop).unwrap_err().to_string();
    assert!(e.contains("that is a folder"), "{e}");

    let locked = rusqlite::Connection::open(&path).unwrap();
    locked.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; SELECT count(*) FROM leads;").unwrap();
    let e = Store::open(&path).map(drop).unwrap_err().to_string();
    assert!(e.contains("another program holds the database locked"), "{e}");
    locked.execute_batch("COMMIT").unwrap();
}

#[test]
fn a_write_the_disk_refuses_is_said_as_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("outpost.db")).unwrap();
    store.write(|tx| tx.insert("leads", lead("Ana"))).unwrap();
    let leads = |store: &Store| store.count_leads(&Default::default()).unwrap();

    // A file SQLite may only read (its permissions, a read-only disk; tests run as root, whom
    // permissions do not stop, so the connection is made read-only instead).
    store.conn().execute_batch("PRAGMA query_only = ON;").unwrap();
    let err = store.write(|tx| tx.insert("leads", lead("Bo"))).unwrap_err();
    assert_eq!(err.code(), "cannot_write", "{err}");
    assert!(err.to_string().contains("make the file writable"), "{err}");
    store.conn().execute_batch("PRAGMA query_only = OFF;").unwrap();

    // A full disk (the file may grow no further).
    let pages: i64 = store.conn().query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    store.conn().execute_batch(&format!("PRAGMA max_page_count = {pages};")).unwrap();
    let big = serde_json::json!({"first_name": "Cy", "notes": "x".repeat(200_000)});
    let err = store.write(|tx| tx.insert("leads", big.as_object().cloned().unwrap())).unwrap_err();
    assert_eq!(err.code(), "disk_full", "{err}");
    assert!(err.to_string().contains("free some space"), "{err}");
    assert_eq!(leads(&store), 1, "nothing half-written");
}
