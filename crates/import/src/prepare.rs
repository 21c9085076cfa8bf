//! The reader's side of an import, on its own thread: rows read, mapped and normalised, handed to
//! the writer in chunks.

use std::sync::mpsc::SyncSender;

use serde_json::{json, Value};

use crate::error::Error;
use crate::import::ImportOptions;
use crate::lead_values::{lead_values, RowValues};
use crate::mapping::ColumnMapping;
use crate::reader::{CsvFile, Record};
use crate::report::RowProblem;
use outpost_core::Row;

/// One data row, read and normalised.
pub(crate) enum Item {
    Lead {
        row: u64,
        values: Row,
        email: Option<String>,
        /// Values kept as text: reported once the lead is written.
        kept: Vec<RowProblem>,
    },
    Failed {
        row: u64,
        cells: Vec<String>,
        problems: Vec<RowProblem>,
    },
    /// The file cannot be read past this point: the import stops, nothing is kept.
    Broken(Error),
}

pub(crate) struct Chunk {
    pub(crate) items: Vec<Item>,
    /// Bytes of the file read once these rows were.
    pub(crate) bytes: u64,
    /// Footer lines the reader set aside so far (see `Report::footer_rows`).
    pub(crate) footer_rows: u64,
    /// Empty records it skipped so far (see `Report::empty_rows`).
    pub(crate) empty_rows: u64,
}

const CHUNK_ROWS: usize = 1024;

/// Reads and normalises rows, in chunks, until the file ends, it breaks, or the loader hangs up.
pub(crate) fn produce(mut csv: CsvFile, mapping: &[ColumnMapping], opts: &ImportOptions, out: SyncSender<Chunk>) {
    let mut items = Vec::with_capacity(CHUNK_ROWS);
    let (headers, delimiter) = (csv.headers.clone(), csv.dialect.delimiter);
    loop {
        let next = csv.next();
        let (end, broken) = (next.is_none(), matches!(next, Some(Err(_))));
        match next {
            Some(Ok(record)) => items.push(prepare(&record, mapping, opts, &headers, delimiter)),
            Some(Err(e)) => items.push(Item::Broken(e)),
            None => {}
        }
        // The last chunk is sent even when empty: it carries the footer count, known at the end.
        if items.len() == CHUNK_ROWS || broken || end {
            let items = std::mem::replace(&mut items, Vec::with_capacity(CHUNK_ROWS));
            let chunk =
                Chunk { items, bytes: csv.bytes_read(), footer_rows: csv.footer_rows(), empty_rows: csv.empty_rows() };
            if out.send(chunk).is_err() || broken || end {
                return;
            }
        }
    }
}

pub(crate) fn prepare(
    record: &Record,
    mapping: &[ColumnMapping],
    opts: &ImportOptions,
    headers: &[String],
    delimiter: u8,
) -> Item {
    // A quote opened in a value and closed only rows later merges those rows into this one: it is
    // left out whole, with the reason, rather than imported as one lead holding several.
    if let Some((column, reason)) = crate::reader::swallowed_rows(record, headers, delimiter) {
        let value = record.cells.get(column).map_or("", |c| &c[..c.floor_char_boundary(60)]);
        let problem = RowProblem {
            row: record.row,
            column: headers.get(column).cloned().unwrap_or_default(),
            value: value.to_string(),
            reason,
            kept: false,
        };
        return Item::Failed {
            row: record.row,
            cells: record.cells.iter().map(str::to_string).collect(),
            problems: vec![problem],
        };
    }
    let RowValues { mut values, fatal, kept } = lead_values(record, mapping, opts);
    if !fatal.is_empty() {
        return Item::Failed {
            row: record.row,
            cells: record.cells.iter().map(str::to_string).collect(),
            problems: fatal,
        };
    }
    values.entry("source").or_insert_with(|| json!(IMPORT_SOURCE));
    // SQLite's lower(), which the email index uses, folds ASCII letters only.
    let email = values.get("email").and_then(Value::as_str).map(str::to_ascii_lowercase);
    Item::Lead { row: record.row, values, email, kept }
}

/// The source of a lead an import made, when its row names none.
pub(crate) const IMPORT_SOURCE: &str = "csv_import";
