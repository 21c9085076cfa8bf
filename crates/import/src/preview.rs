//! What the import wizard shows before anything is written: how the file was read (encoding,
//! delimiter), its first rows and the proposed mapping; and the history of past imports.

use std::path::Path;

use outpost_core::Store;
use serde::Serialize;

use crate::error::Result;
use crate::mapping::{map_file, ColumnMapping, FIELDS};
use crate::reader::{CsvFile, ReadOptions};
use crate::sniff::encoding_name;

#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    pub file: String,
    pub size: u64,
    pub encoding: String,
    pub delimiter: String,
    pub headers: Vec<String>,
    /// The first rows as read, each padded or cut to the header's width.
    pub rows: Vec<Vec<String>>,
    pub mapping: Vec<ColumnMapping>,
    /// Every field a column can be mapped to, for the override menus.
    pub fields: Vec<String>,
    /// Records above the column names, skipped (see `Report::lines_above_header`).
    pub lines_above_header: u64,
    /// See `Report::no_header_row`.
    pub no_header_row: bool,
    /// The date order the file's dates say, if they say one (a 25/12/2023), in any column.
    pub date_order: Option<crate::DateOrder>,
    /// Numeric dates that read either way, with nothing in the file to tell which.
    pub dates_unclear: bool,
}

/// Reads the header and up to `rows` records. A row the reader cannot parse ends the preview there;
/// the dry run reports it with its row number.
pub fn preview(path: &Path, read: &ReadOptions, rows: usize) -> Result<Preview> {
    let csv = CsvFile::open(path, read)?;
    let width = csv.headers.len();
    let (file, size, headers) = (csv.file.clone(), csv.size, csv.headers.clone());
    let dialect = csv.dialect;
    let mapping = map_file(&csv);
    let no_header_row = csv.first_row.is_some();
    let sample = csv
        .take(rows)
        .map_while(|r| r.ok())
        .map(|r| {
            let mut cells: Vec<String> = r.cells.iter().map(str::to_string).collect();
            cells.resize(width, String::new());
            cells
        })
        .collect();
    // Any column: the rep may yet map one to a date (a file without a header row maps none). (The
    // preview's rows may all read either way where the rows after them do not.)
    let dates = crate::import::date_order_in(path, read, &(0..width).collect::<Vec<_>>());
    Ok(Preview {
        file,
        size,
        encoding: encoding_name(dialect.encoding).to_string(),
        delimiter: (dialect.delimiter as char).to_string(),
        mapping,
        headers,
        rows: sample,
        fields: FIELDS.iter().map(|f| f.to_string()).collect(),
        lines_above_header: dialect.lines_above_header(),
        no_header_row,
        date_order: dates.order,
        dates_unclear: dates.unclear,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportRecord {
    pub id: String,
    pub file_name: String,
    /// "completed" or "reverted".
    pub status: String,
    pub rows: i64,
    pub created: i64,
    pub updated: i64,
    /// Rows merged into a lead an earlier row made or updated: the rows no other count has (the
    /// imports record, shared with the server's schema, has no column for them).
    pub merged: i64,
    pub skipped: i64,
    pub errors: i64,
    pub created_at: String,
}

/// Past imports, newest first.
pub fn history(store: &Store) -> Result<Vec<ImportRecord>> {
    let sql = |e: rusqlite::Error| outpost_core::Error::from(e);
    let mut stmt = store.conn().prepare(
        "SELECT id, file_name, status, row_count, created_count, updated_count, skipped_count, error_count, created_at
         FROM imports WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC",
    ).map_err(sql)?;
    let rows = stmt
        .query_map([], |r| {
            let (rows, created, updated, skipped, errors): (i64, i64, i64, i64, i64) =
                (r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?);
            Ok(ImportRecord {
                id: r.get(0)?,
                file_name: r.get(1)?,
                status: r.get(2)?,
                rows,
                created,
                updated,
                merged: (rows - created - updated - skipped - errors).max(0),
                skipped,
                errors,
                created_at: r.get(8)?,
            })
        })
        .map_err(sql)?;
    Ok(rows.collect::<rusqlite::Result<_>>().map_err(sql)?)
}
