#![allow(clippy::unwrap_used, clippy::expect_used)]
//! An import's report kept with it: shown again in Import history, its rows left out saved again.

mod common;

use common::fixture;
use outpost_import::details::{details, ROWS_KEPT};
use outpost_import::{import, undo, ImportOptions};

const FILE: &str = "First Name,Email,Phone\n\
Ada,ada@example.com,+1 415 555 0100\n\
,not-an-email,\n\
Bob,bob@example.com,call me maybe\n\
,,\n\
Cy,cy@example.com,\n";

fn failed_csv(report: &outpost_import::Report) -> String {
    let mut out = Vec::new();
    report.write_failed_rows(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn an_import_keeps_its_report_and_its_rows_left_out_survive_a_restart_and_an_undo() {
    let mut f = fixture();
    let report = f.import(FILE);
    let id = report.import_id.clone().unwrap();
    assert!(report.failed >= 1, "{report:?}");
    assert!(report.problems.iter().any(|p| p.kept), "a note on a row imported anyway: {:?}", report.problems);

    // Another connection (the app started again) reads what the import found, as it was.
    let path = f.store.path().to_path_buf();
    let store = outpost_core::Store::open(&path).unwrap();
    let kept = details(&store, &id).unwrap().expect("kept");
    assert_eq!(kept.report.import_id.as_deref(), Some(id.as_str()));
    assert_eq!(
        (kept.report.rows, kept.report.created, kept.report.failed),
        (report.rows, report.created, report.failed)
    );
    assert_eq!(kept.report.mapping, report.mapping);
    assert_eq!(kept.report.problems, report.problems);
    assert_eq!(kept.problems_total, report.problems.len() as u64);
    assert!(!kept.rows_cut());
    assert_eq!(failed_csv(&kept.report), failed_csv(&report));
    assert!(failed_csv(&kept.report).contains("not-an-email"));

    // Undone, the import keeps its report (history still lists it, as undone).
    undo(&mut f.store, &id).unwrap();
    assert!(details(&f.store, &id).unwrap().is_some());
    // An import run elsewhere (or before reports were kept) has none.
    assert!(details(&f.store, "00000000-0000-7000-8000-000000000000").unwrap().is_none());
}

#[test]
fn a_dry_run_or_a_cancelled_import_keeps_no_report() {
    let mut f = fixture();
    let dry = f.import_with(FILE, &ImportOptions { dry_run: true, ..ImportOptions::default() });
    assert!(dry.import_id.is_none());
    let path = f.file("again.csv", FILE);
    let cancelled = import(&mut f.store, &path, &ImportOptions::default(), &mut |_| false);
    assert!(cancelled.is_err());
    assert_eq!(f.count("SELECT count(*) FROM import_reports"), 0);
}

#[test]
fn past_ten_thousand_rows_left_out_the_first_are_kept_and_the_count_says_how_many_there_were() {
    let mut f = fixture();
    let mut text = String::from("Email,First Name\n");
    for i in 0..ROWS_KEPT + 5 {
        text.push_str(&format!("bad{i},Name{i}\n"));
    }
    text.push_str("good@example.com,Good\n");
    let report = f.import(&text);
    let id = report.import_id.clone().unwrap();
    assert_eq!(report.failed_rows.len(), ROWS_KEPT + 5, "the import's own report is whole");
    let kept = details(&f.store, &id).unwrap().unwrap();
    assert_eq!(kept.report.failed_rows.len(), ROWS_KEPT);
    assert_eq!(kept.report.failed, (ROWS_KEPT + 5) as u64);
    assert!(kept.rows_cut());
    assert_eq!(kept.report.failed_rows.first().map(|r| r.0), report.failed_rows.first().map(|r| r.0));
    assert_eq!(kept.report.problems.len(), outpost_import::details::PROBLEMS_KEPT);
    assert_eq!(kept.problems_total, report.problems.len() as u64);
}
