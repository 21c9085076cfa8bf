//! What an import tells its caller: the counts, each problem by row and column, the rows left out
//! (as a CSV to fix and import again) and its progress while it runs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::mapping::ColumnMapping;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowProblem {
    pub row: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
    /// The row was imported and this value kept as text in the lead's custom_fields under its
    /// column's header (a warning); false: the row was left out or skipped for this reason.
    pub kept: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub import_id: Option<String>,
    pub file: String,
    pub encoding: String,
    pub delimiter: String,
    pub mapping: Vec<ColumnMapping>,
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    /// Rows of an update import whose lead an earlier row of the file made or updated: their
    /// values went onto that lead too (one lead, not another update). With the other counts they
    /// add up to `rows`.
    pub merged: u64,
    /// Duplicates not written: skipped ones (on-duplicate skip) and, with on-duplicate update,
    /// the ones the file would not have changed (those are counted in `unchanged` too).
    pub skipped: u64,
    /// Lines after the data that are a report's footer ("Grand Totals (2 records)", "Generated
    /// By: …", as Salesforce writes), not leads: not counted in `rows`.
    pub footer_rows: u64,
    /// Rows of nothing but delimiters (",,,", as Excel writes empty rows it once formatted): blank
    /// lines, skipped and not counted in `rows` (a report kept before this count has none).
    #[serde(default)]
    pub empty_rows: u64,
    /// Records above the column names (a report title, LinkedIn's "Notes:"), not leads: skipped.
    pub lines_above_header: u64,
    /// The file has no header row: its first row is a lead, its columns are "Column 1" … (mapped by
    /// what that row holds).
    pub no_header_row: bool,
    /// The order numeric dates were read in (chosen, or as the file's own dates say).
    pub date_order: crate::DateOrder,
    /// The file's numeric dates read either way and the order was not chosen: read month/day/year.
    pub dates_unclear: bool,
    /// Of `skipped`: duplicates an update import left alone because the file's values were
    /// already the lead's (no write, no sync, no updated_at change).
    pub unchanged: u64,
    pub failed: u64,
    /// Notes on rows imported anyway (`RowProblem::kept`): values kept as text in custom fields,
    /// a status a do-not-contact lead keeps, a lead two rows updated; `problems` lists the first
    /// [`KEPT_LISTED`] of them (an old export with a past follow-up date on every row has one per
    /// row: a million of them would not fit the import's memory).
    pub kept_values: u64,
    pub problems: Vec<RowProblem>,
    /// The id of an earlier import of a byte-identical file (same sha256) that is not undone:
    /// importing it again re-adds every row without an email as a new lead, so a caller should
    /// warn. The import itself goes ahead.
    pub same_file_as: Option<String>,
    /// The file's header and each row left out with its cells as read, plus the reasons: a CSV the
    /// rep can fix and import again.
    pub headers: Vec<String>,
    pub failed_rows: Vec<(u64, Vec<String>, String)>,
    pub dry_run: bool,
    /// How duplicates were handled, and the region phones without a country code were read in:
    /// for the import's details (a report kept before these were has none).
    #[serde(default)]
    pub on_duplicate: Option<crate::OnDuplicate>,
    #[serde(default)]
    pub region: Option<String>,
    /// Rows the store refused (row → reason): their cells are read again from the file once the
    /// rows are written, for `failed_rows` (kept for every row, they would cost each row a copy).
    #[serde(skip)]
    pub(crate) refused: BTreeMap<u64, String>,
}

impl Report {
    /// A note on a row imported anyway (`RowProblem::kept`), counted, and listed while few.
    pub(crate) fn note(&mut self, row: u64, column: &str, value: String, reason: String) {
        self.kept_values += 1;
        if self.kept_values <= KEPT_LISTED as u64 {
            self.problems.push(RowProblem { row, column: column.into(), value, reason, kept: true });
        }
    }

    /// Writes the rows left out, as a CSV with the original columns plus "Import error" — to open in
    /// a spreadsheet, fix and import again: it starts with the UTF-8 mark Excel needs for accents,
    /// and uses semicolons when the file did (Excel where the decimal mark is a comma opens a
    /// comma-separated file as one column), commas otherwise (a tab or pipe .csv opens as one
    /// column everywhere).
    pub fn write_failed_rows(&self, mut out: impl std::io::Write) -> std::io::Result<()> {
        out.write_all("\u{feff}".as_bytes())?;
        let delimiter = if self.delimiter == ";" { b';' } else { b',' };
        let mut w = csv::WriterBuilder::new().delimiter(delimiter).from_writer(out);
        // A ragged row's cells past the header are written back too, under "Column N".
        let width = self.failed_rows.iter().map(|(_, cells, _)| cells.len()).fold(self.headers.len(), usize::max);
        // A file without a header row gets one: the fields its columns filled, so the fixed file
        // imports back with them (its "Column N" names would be taken for data).
        let named = |(i, h): (usize, &String)| match self.mapping.get(i).map(|m| &m.target) {
            Some(crate::mapping::Target::Field(f)) if self.no_header_row => f.clone(),
            _ => h.clone(),
        };
        let mut header: Vec<String> = self.headers.iter().enumerate().map(named).collect();
        header.extend((header.len()..width).map(|i| format!("Column {}", i + 1)));
        // A failed-rows file imported again brings its old reasons: this file's replace them.
        let old_reasons: Vec<bool> = header.iter().map(|h| crate::mapping::squash(h) == "importerror").collect();
        let fresh = |cells: Vec<String>| -> Vec<String> {
            cells.into_iter().zip(&old_reasons).filter(|(_, old)| !**old).map(|(c, _)| c).collect()
        };
        // Every cell a spreadsheet would compute is written as text: the column names and reasons
        // (which quote them) come from the file as much as its cells do.
        let text = |c: &str| outpost_core::export::safe_cell(crate::normalize::without_text_marker(c)).into_owned();
        let mut header: Vec<String> = fresh(header).iter().map(|h| text(h)).collect();
        header.push("Import error".into());
        w.write_record(&header)?;
        for (_, cells, reason) in &self.failed_rows {
            // Opened in a spreadsheet to be fixed: a cell it would compute is written as text, as
            // an export writes it (the import takes the mark off again).
            // (A cell already marked — from an export or an earlier such file — is marked once.)
            let mut rec: Vec<String> = cells.iter().map(|c| text(c)).collect();
            rec.resize(width, String::new());
            let mut rec = fresh(rec);
            rec.push(outpost_core::export::safe_cell(reason).into_owned());
            w.write_record(&rec)?;
        }
        w.flush()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub rows: u64,
    pub bytes: u64,
    pub total_bytes: u64,
    pub stage: Stage,
    /// Whether the file loads in bulk: then building its indexes and search afterwards takes
    /// about as long as reading it, and the percentage says so.
    pub bulk: bool,
}

/// What an import is busy with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Reading,
    /// A bulk load's catch-up, after the rows are in: n of 3 steps done (outbox, indexes, search).
    Indexing(u8),
    /// Committing.
    Saving,
}

impl Stage {
    /// For a progress line: what the import is doing now.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Reading => "reading rows",
            Stage::Indexing(0) => "queuing the leads for sync",
            Stage::Indexing(1) => "building the list indexes",
            Stage::Indexing(_) => "indexing for search",
            Stage::Saving => "saving",
        }
    }
}

impl Progress {
    /// Of the whole import; reading is measured by bytes, the steps after it by measured shares
    /// (1M rows: reading ~50% of the time, outbox ~5%, indexes ~30%, search ~10%, saving ~5%).
    pub fn percent(&self) -> f64 {
        let read = if self.total_bytes == 0 { 1.0 } else { (self.bytes as f64 / self.total_bytes as f64).min(1.0) };
        let reading_share = if self.bulk { 50.0 } else { 95.0 };
        match self.stage {
            Stage::Reading => read * reading_share,
            Stage::Indexing(n) => [50.0, 55.0, 85.0, 95.0][usize::from(n.min(3))],
            Stage::Saving => 95.0,
        }
    }
}

/// How many kept-as-text notes a report lists (see `Report::kept_values`).
pub const KEPT_LISTED: usize = 1_000;
