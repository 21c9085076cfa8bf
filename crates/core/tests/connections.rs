//! A second connection for the app's sync engine and imports (`Store::connect`) must not undo what
//! another connection is doing: a first sync's dropped indexes stay dropped until that sync puts
//! them back; `Store::open` (the app starting after a crash) restores them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use outpost_core::Store;

fn index_count(store: &Store) -> i64 {
    store
        .conn()
        .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'leads'", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn connect_leaves_a_bulk_load_alone_and_open_recovers_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outpost.db");
    let mut first = Store::open(&path).unwrap();
    let all = index_count(&first);
    first.begin_bulk_load().unwrap();
    let during = index_count(&first);
    assert!(during < all, "{during} < {all}");

    let second = Store::connect(&path).unwrap();
    assert_eq!(index_count(&second), during, "connect leaves the load's indexes dropped");
    // The app's list reads on meanwhile, in every order, without the sort indexes.
    first
        .write(|tx| tx.insert("leads", serde_json::json!({"first_name": "Ada"}).as_object().unwrap().clone()))
        .unwrap();
    for sort in [outpost_core::SortField::UpdatedAt, outpost_core::SortField::Name, outpost_core::SortField::FollowUp] {
        let q = outpost_core::LeadQuery { sort, ..Default::default() };
        assert_eq!(second.list_leads(&q, 50, None).unwrap().leads.len(), 1, "{sort:?}");
    }
    assert_eq!(second.identity(), first.identity());
    assert!(!second.belongs_to(&first.identity().user_id).unwrap(), "a local placeholder identity is nobody's");

    let reopened = Store::open(&path).unwrap();
    assert_eq!(index_count(&reopened), all, "open after a crash puts them back");
    assert!(Store::connect(dir.path().join("missing.db")).is_err(), "connect does not create databases");
}

/// The end of a bulk load swaps the store's connection for a fresh one (see `Store::reconnect`):
/// the new one must work exactly like the old — same settings, search kept up to date by edits.
#[test]
fn a_store_works_as_before_after_its_bulk_load_ends() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("outpost.db")).unwrap();
    let lead = |first: &str, email: &str| {
        serde_json::json!({"first_name": first, "last_name": "Lovelace", "email": email}).as_object().unwrap().clone()
    };
    store.begin_bulk_load().unwrap();
    let grace = store.write(|tx| tx.insert("leads", lead("Grace", "g1@example.com"))).unwrap();
    store.end_bulk_load().unwrap();

    let pragma = |name: &str| -> i64 { store.conn().query_row(&format!("PRAGMA {name}"), [], |r| r.get(0)).unwrap() };
    assert_eq!(pragma("foreign_keys"), 1);
    assert_eq!(pragma("cache_size"), -32 * 1024);
    assert_eq!(pragma("mmap_size"), 0x7fff_0000, "the whole file of a 1M-lead database");
    assert_eq!(pragma("temp_store"), 2, "MEMORY");
    assert_eq!(store.search_leads("grace", 10).unwrap().len(), 1, "the load's rows are searchable");

    let edit = serde_json::json!({"first_name": "Augusta"}).as_object().unwrap().clone();
    store.write(|tx| tx.update("leads", &grace, edit)).unwrap();
    let bo = store.write(|tx| tx.insert("leads", lead("Bo", "b2@example.com"))).unwrap();
    assert!(store.search_leads("grace", 10).unwrap().is_empty(), "the edit reached the search index");
    assert_eq!(store.search_leads("augusta", 10).unwrap().len(), 1);
    assert_eq!(store.search_leads("bo", 10).unwrap().iter().map(|l| l.id.clone()).collect::<Vec<_>>(), vec![bo]);
    let dangling = serde_json::json!({"email": "x@example.com", "list_id": outpost_core::ids::new_id()});
    assert!(store.write(|tx| tx.insert("leads", dangling.as_object().unwrap().clone())).is_err(), "references checked");
}

/// A load's end rebuilds the search index in bulk: it must hold every row, match the leads it was
/// built from, and be read by every connection that had read the old index, the store's included.
#[test]
fn the_search_index_a_load_ends_with_is_read_by_every_connection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outpost.db");
    let mut store = Store::open(&path).unwrap();
    let lead = |first: String, email: String| {
        serde_json::json!({"first_name": first, "company": "Analytical Engines", "email": email, "job_title": "Engineer"})
            .as_object()
            .unwrap()
            .clone()
    };
    store.write(|tx| tx.insert("leads", lead("Ada".into(), "first@example.com".into()))).unwrap();
    let reader = Store::connect(&path).unwrap();
    for s in [&store, &reader] {
        assert_eq!(s.search_leads("ada", 10).unwrap().len(), 1, "each connection has read the index");
    }

    store.begin_bulk_load().unwrap();
    store
        .write(|tx| {
            for i in 0..3000 {
                tx.insert("leads", lead(format!("Grace{i}"), format!("g{i}@example.com")))?;
            }
            Ok(())
        })
        .unwrap();
    store.end_bulk_load().unwrap();

    for (who, s) in [("store", &store), ("reader", &reader)] {
        assert_eq!(s.search_leads("grace2999", 10).unwrap().len(), 1, "{who}: a loaded lead");
        assert_eq!(s.search_leads("ada", 10).unwrap().len(), 1, "{who}: the lead from before");
        let all: i64 = s
            .conn()
            .query_row("SELECT count(*) FROM leads_fts WHERE leads_fts MATCH 'analytical'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(all, 3001, "{who}: all of them");
        assert_eq!(
            s.count_leads(&outpost_core::LeadQuery { text: Some("engineer".into()), ..Default::default() }).unwrap(),
            3001,
            "{who}: by job title"
        );
    }
    // With rank 1 the check also compares the index with the leads it was built from.
    store.conn().execute_batch("INSERT INTO leads_fts (leads_fts, rank) VALUES ('integrity-check', 1)").unwrap();
    let edit = serde_json::json!({"first_name": "Augusta"}).as_object().unwrap().clone();
    let ada = store.search_leads("ada", 1).unwrap()[0].id.clone();
    store.write(|tx| tx.update("leads", &ada, edit)).unwrap();
    assert_eq!(reader.search_leads("augusta", 10).unwrap().len(), 1, "edits after the copy reach the index");
    assert!(reader.search_leads("ada", 10).unwrap().is_empty());
}

/// The app's own connection waits out another connection's long write (an import of a million
/// rows, a first sync's indexing) and says it is waiting, instead of failing with "database is
/// locked" after SQLite's 10 s: the rep's edit lands after the import.
#[test]
fn a_patient_store_waits_for_another_write_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outpost.db");
    let lead = |first: &str| serde_json::json!({"first_name": first}).as_object().unwrap().clone();
    let mut app = Store::open(&path).unwrap();
    let (tell, told) = std::sync::mpsc::channel();
    app.wait_for_writers(std::time::Duration::from_secs(600), move |asked| {
        if asked == 0 {
            tell.send(()).unwrap();
        }
        true
    })
    .unwrap();
    app.write(|tx| tx.insert("leads", lead("Before"))).unwrap();
    assert!(told.try_recv().is_err(), "a write with nobody in its way does not wait");

    let mut import = Store::connect(&path).unwrap();
    let edit = import
        .write(|tx| {
            tx.insert("leads", lead("Imported"))?;
            let edit = std::thread::spawn(move || {
                let id = app.write(|tx| tx.insert("leads", lead("Edited")));
                (app, id)
            });
            told.recv_timeout(std::time::Duration::from_secs(60)).expect("the edit says it waits for the import");
            Ok(edit)
        })
        .unwrap();
    let (mut app, id) = edit.join().unwrap();
    let id = id.expect("the edit lands once the import commits");
    let names: Vec<String> = app
        .conn()
        .prepare("SELECT first_name FROM leads ORDER BY rowid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(names, ["Before", "Imported", "Edited"], "the edit wrote after the import");
    assert!(app.write(|tx| tx.find::<outpost_core::Lead>(&id)).is_ok());
    assert!(told.try_recv().is_err(), "said once");
}

/// A store that is not told to wait gives up after its busy timeout with an error that says what
/// happened (not SQLite's "database is locked: Error code 5"), which the sync engine retries.
#[test]
fn a_write_that_gives_up_waiting_says_the_database_is_busy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outpost.db");
    let mut store = Store::open(&path).unwrap();
    store.conn().busy_timeout(std::time::Duration::from_millis(20)).unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE; UPDATE local_settings SET value = value;").unwrap();
    let lead = serde_json::json!({"first_name": "Ada"}).as_object().unwrap().clone();
    let e = store.write(|tx| tx.insert("leads", lead.clone())).unwrap_err();
    assert_eq!(e.code(), "busy");
    assert!(e.to_string().starts_with("the database is busy: another Outpost"), "{e}");
    other.execute_batch("COMMIT").unwrap();
    store.write(|tx| tx.insert("leads", lead)).unwrap();
}

/// A waiting write asks every so often whether to go on: an import's Cancel stops the wait, and the
/// write fails as interrupted without touching the database.
#[test]
fn a_waiting_write_stops_when_told_to() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outpost.db");
    let mut store = Store::open(&path).unwrap();
    let asked = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let seen = asked.clone();
    store
        .wait_for_writers(std::time::Duration::from_secs(600), move |n| {
            seen.store(n + 1, std::sync::atomic::Ordering::SeqCst);
            n < 2
        })
        .unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE; UPDATE local_settings SET value = value;").unwrap();
    let lead = serde_json::json!({"first_name": "Ada"}).as_object().unwrap().clone();
    let e = store.write(|tx| tx.insert("leads", lead)).unwrap_err();
    assert!(matches!(&e, outpost_core::Error::Io(io) if io.kind() == std::io::ErrorKind::Interrupted), "{e}");
    assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 3, "asked three times, told to stop at the third");
    other.execute_batch("COMMIT").unwrap();
    let leads: i64 = store.conn().query_row("SELECT count(*) FROM leads", [], |r| r.get(0)).unwrap();
    assert_eq!(leads, 0);
}

/// A person's edit made while a first sync loads (its pages are separate transactions) is recorded
/// as work on the lead like any other; the sync's own writes are not.
#[test]
fn an_edit_during_a_first_sync_load_is_recorded_as_work() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("outpost.db")).unwrap();
    let lead = serde_json::json!({"first_name": "Ada"}).as_object().unwrap().clone();
    let id = store.write(|tx| tx.insert("leads", lead)).unwrap();
    let worked = |store: &Store| -> i64 {
        store.conn().query_row("SELECT count(*) FROM lead_work WHERE lead_id = ?1", [&id], |r| r.get(0)).unwrap()
    };
    assert_eq!(worked(&store), 0, "making a lead is not work on it");
    store.begin_bulk_load().unwrap();
    let same = serde_json::json!({"first_name": "Ada"}).as_object().unwrap().clone();
    store.write(|tx| tx.update("leads", &id, same)).unwrap();
    assert_eq!(worked(&store), 0, "saving the same value changes nothing");
    let edit = serde_json::json!({"status": "qualified"}).as_object().unwrap().clone();
    store.write(|tx| tx.update("leads", &id, edit)).unwrap();
    store.end_bulk_load().unwrap();
    assert_eq!(worked(&store), 1);
}
