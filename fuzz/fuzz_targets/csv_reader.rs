//! Any bytes named .csv: the reader and the import's row mapping must answer with a value or an
//! error, never a panic or a hang. Run: cargo +nightly fuzz run csv_reader -- -max_total_time=60
#![no_main]

use libfuzzer_sys::fuzz_target;
use outpost_import::mapping::auto_map;
use outpost_import::reader::{CsvFile, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("fuzz.csv");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok(csv) = CsvFile::open(&path, &ReadOptions::default()) {
        let _ = auto_map(&csv.headers);
        for record in csv {
            let _ = record.map(|r| r.cells.len());
        }
    }
});
