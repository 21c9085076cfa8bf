//! The messy corpus (tests/corpus, EXPECTED.json): real vendor export shapes, encodings, delimiters,
//! preambles, quoting, and the files that must be refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use outpost_core::Store;
use outpost_import::mapping::{auto_map, Target};
use outpost_import::reader::{CsvFile, ReadOptions};
use outpost_import::{import, ImportOptions};
use serde_json::Value;

fn corpus() -> (PathBuf, serde_json::Map<String, Value>) {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("tests/corpus");
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("EXPECTED.json")).unwrap()).unwrap();
    (dir, expected.as_object().unwrap().clone())
}

#[test]
fn every_readable_file_is_sniffed_read_and_mapped_as_expected() {
    let (dir, expected) = corpus();
    let mut checked = 0;
    for (name, want) in expected.iter().filter(|(_, w)| w.get("error").is_none()) {
        let csv = CsvFile::open(&dir.join(name), &ReadOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            outpost_import::sniff::encoding_name(csv.dialect.encoding),
            want["encoding"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!((csv.dialect.delimiter as char).to_string(), want["delimiter"].as_str().unwrap(), "{name}");
        let headers: Vec<String> =
            want["headers"].as_array().unwrap().iter().map(|h| h.as_str().unwrap().to_string()).collect();
        assert_eq!(csv.headers, headers, "{name}");
        for m in auto_map(&csv.headers) {
            // (By position where the file repeats a header: a map by name cannot hold both.)
            let want_field = match want.get("mapping_by_index") {
                Some(by_index) => by_index[m.column].as_str(),
                None => want["mapping"][&m.header].as_str(),
            };
            let got = match &m.target {
                Target::Field(f) => Some(f.as_str()),
                _ => None,
            };
            assert_eq!(got, want_field, "{name}: column '{}'", m.header);
        }
        let rows = csv.filter(|r| r.is_ok()).count();
        assert_eq!(rows as u64, want["rows"].as_u64().unwrap(), "{name}");
        checked += 1;
    }
    assert!(checked >= 11, "{checked}");
}

#[test]
fn files_that_cannot_be_imported_are_refused_with_the_reason_and_nothing_lands() {
    let (dir, expected) = corpus();
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path().join("o.db")).unwrap();
    let want = [
        ("empty.csv", "empty"),
        ("header_only.csv", "no data rows"),
        ("not_a_csv.csv", "not a text file"),
        ("unbalanced_quote.csv", "never closed"),
    ];
    for (name, phrase) in want {
        assert!(expected.contains_key(name));
        let e = import(&mut store, &dir.join(name), &ImportOptions::default(), &mut |_| true).unwrap_err();
        assert!(e.to_string().contains(phrase) && e.to_string().contains(name), "{name}: {e}");
    }
    let r = import(&mut store, &dir.join("invalid_utf8.csv"), &ImportOptions::default(), &mut |_| true).unwrap();
    assert!(
        r.problems.iter().any(|p| p.row == 3 && p.kept && p.reason.contains("not valid in the file's encoding")),
        "{:#?}",
        r.problems
    );
    // The lead is not lost over one unreadable byte in its company: it comes in as read, noted.
    assert_eq!((r.failed, r.created), (0, r.rows));
}

/// A header the file repeats is imported, not refused (QA: the wizard showed the second Email's
/// automatic match, then the import refused the file): a second email stands in for an empty one
/// or is kept under "Email (2)", and nothing is lost.
#[test]
fn a_file_repeating_a_header_imports_every_value() {
    let (dir, _) = corpus();
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path().join("o.db")).unwrap();
    let r = import(&mut store, &dir.join("duplicate_headers.csv"), &ImportOptions::default(), &mut |_| true).unwrap();
    assert_eq!((r.created, r.failed), (5, 0), "{:#?}", r.problems);
    let emails = |first: &str| -> (Option<String>, Value) {
        let (email, custom): (Option<String>, String) = store
            .conn()
            .query_row("SELECT email, custom_fields FROM leads WHERE first_name = ?1", [first], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        (email, serde_json::from_str(&custom).unwrap())
    };
    let (paula, custom) = emails("Paula");
    assert_eq!(paula.as_deref(), Some("paula.jensen@example.com"));
    assert_eq!(custom["Email (2)"], "paula@example.org", "{custom}");
    assert_eq!(emails("Lucy").0.as_deref(), Some("lucy.tran@example.test"));
    assert!(emails("Omar").1.get("Email (2)").is_none(), "the same address twice is one");
}

#[test]
fn every_vendor_export_imports() {
    let (dir, expected) = corpus();
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path().join("o.db")).unwrap();
    for name in [
        "hubspot.csv",
        "salesforce_report.csv",
        "salesforce_api.csv",
        "pipedrive.csv",
        "apollo.csv",
        "linkedin_connections.csv",
    ] {
        let r = import(&mut store, &dir.join(name), &ImportOptions::default(), &mut |_| true)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(r.rows, expected[name]["rows"].as_u64().unwrap(), "{name}");
        assert!(r.created > 0, "{name}: {r:#?}");
        assert_eq!(
            r.created + r.updated + r.merged + r.skipped + r.failed,
            r.rows,
            "{name}: every row is accounted for"
        );
    }
}
