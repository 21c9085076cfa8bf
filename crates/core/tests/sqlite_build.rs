//! The SQLite the store is built with (.cargo/config.toml sets its build flags).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use outpost_core::Store;

/// Without the flag every allocation SQLite makes takes a global mutex (6% of a 1M-row import's
/// writer thread); a build outside the repository's cargo config would lose it quietly.
#[test]
fn sqlite_keeps_no_memory_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("outpost.db")).unwrap();
    let options: Vec<String> = store
        .conn()
        .prepare("PRAGMA compile_options")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"), "{options:?}");
}
