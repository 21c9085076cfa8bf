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

#[test]
fn an_import_leaves_its_phone_region_for_the_next_and_a_dry_run_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("outpost.db")).unwrap();
    let file = dir.path().join("in.csv");
    std::fs::write(&file, "First Name,Phone\nAna,020 7946 0958\n").unwrap();
    assert_eq!(outpost_import::memory::remembered_region(&store).unwrap(), None);
    let dry = outpost_import::ImportOptions { region: "DE".into(), dry_run: true, ..Default::default() };
    outpost_import::import(&mut store, &file, &dry, &mut |_| true).unwrap();
    assert_eq!(outpost_import::memory::remembered_region(&store).unwrap(), None);
    // Kept as its code, as the import read it.
    let opts = outpost_import::ImportOptions { region: "gb".into(), ..Default::default() };
    let report = outpost_import::import(&mut store, &file, &opts, &mut |_| true).unwrap();
    assert_eq!(report.created, 1);
    assert_eq!(outpost_import::memory::remembered_region(&store).unwrap().as_deref(), Some("GB"));
}
