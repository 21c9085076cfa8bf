#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Column choices remembered from one import to the next.

use outpost_core::Store;
use outpost_import::memory::{remember, remembered, Choices};

fn choices(pairs: &[(&str, &str)]) -> Choices {
    pairs.iter().map(|(h, t)| (h.to_string(), t.to_string())).collect()
}

#[test]
fn the_newest_choice_per_header_is_remembered_and_unknown_fields_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("outpost.db")).unwrap();
    assert!(remembered(&store).unwrap().is_empty());

    remember(&mut store, &choices(&[(" Account Name ", "company"), ("Rating", "ignore"), ("Ref", "no_such_field")]))
        .unwrap();
    remember(&mut store, &choices(&[("rating", "custom"), ("", "email")])).unwrap();
    assert_eq!(remembered(&store).unwrap(), choices(&[("account name", "company"), ("rating", "custom")]));

    // Kept by the database: another connection (the next app start) reads them.
    drop(store);
    let mut store = Store::open(dir.path().join("outpost.db")).unwrap();
    assert_eq!(remembered(&store).unwrap().get("account name").map(String::as_str), Some("company"));

    // Past the cap the oldest go.
    for i in 0..600 {
        remember(&mut store, &choices(&[(&format!("h{i}"), "custom")])).unwrap();
    }
    let kept = remembered(&store).unwrap();
    assert_eq!(kept.len(), 500);
    assert!(!kept.contains_key("account name") && kept.contains_key("h599") && !kept.contains_key("h99"));

    // A setting it cannot read counts as none.
    store.set_setting("import_column_choices", "{not json").unwrap();
    assert!(remembered(&store).unwrap().is_empty());
    remember(&mut store, &choices(&[("Owner", "ignore")])).unwrap();
    assert_eq!(remembered(&store).unwrap(), choices(&[("owner", "ignore")]));
}
