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
            let want_field = want["mapping"][&m.header].as_str();
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
        ("duplicate_headers.csv", "appears twice"),
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
