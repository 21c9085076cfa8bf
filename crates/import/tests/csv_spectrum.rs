//! The public csv-spectrum conformance suite (../shared/corpus/csv-spectrum): every file, read by
//! sniffing alone, gives exactly the records its authors expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use outpost_import::reader::{CsvFile, ReadOptions};
use serde_json::{Map, Value};

#[test]
fn every_csv_spectrum_file_parses_as_expected() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../../shared/corpus/csv-spectrum");
    let mut checked = 0;
    for entry in std::fs::read_dir(root.join("csvs")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let expected: Vec<Map<String, Value>> =
            serde_json::from_str(&std::fs::read_to_string(root.join(format!("json/{name}.json"))).unwrap()).unwrap();
        let csv = CsvFile::open(&path, &ReadOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let headers = csv.headers.clone();
        let got: Vec<Map<String, Value>> = csv
            .map(|r| {
                let r = r.unwrap();
                headers.iter().cloned().zip(r.cells.iter().map(|c| Value::String(c.to_string()))).collect()
            })
            .collect();
        assert_eq!(got, expected, "{name}");
        checked += 1;
    }
    assert_eq!(checked, 11);
}
