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
    assert_eq!(second.identity(), first.identity());
    assert!(!second.belongs_to(&first.identity().user_id).unwrap(), "a local placeholder identity is nobody's");

    let reopened = Store::open(&path).unwrap();
    assert_eq!(index_count(&reopened), all, "open after a crash puts them back");
    assert!(Store::connect(dir.path().join("missing.db")).is_err(), "connect does not create databases");
}
