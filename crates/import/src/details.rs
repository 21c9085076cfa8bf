//! An import's report kept with the import (local table `import_reports`), so Import history can
//! show what it found and save the rows it left out again once the wizard has closed.

use outpost_core::{Store, Tx};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use crate::Report;

/// Rows left out kept with their cells: enough for any file a rep fixes by hand (a file with more
/// had its columns mapped wrong and is imported again, not fixed row by row).
pub const ROWS_KEPT: usize = 10_000;
/// At most this many bytes of their cells.
pub const BYTES_KEPT: usize = 16 << 20;
/// Problems kept to be listed: as many as the wizard lists.
pub const PROBLEMS_KEPT: usize = 500;

/// An import's report as kept: `report.problems` holds the first [`PROBLEMS_KEPT`] (rows left out
/// first, then notes on rows imported anyway) and `report.failed_rows` the first [`ROWS_KEPT`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Details {
    pub report: Report,
    /// How many problems the import listed (`report.problems` may hold fewer).
    pub problems_total: u64,
}

impl Details {
    /// Whether some rows left out are not kept (`report.failed` says how many there were).
    pub fn rows_cut(&self) -> bool {
        (self.report.failed_rows.len() as u64) < self.report.failed
    }
}

/// The first `n` problems as a caller lists them: rows left out first, since notes on leads
/// imported anyway may be one per row and would hide them.
pub fn listed_problems(report: &Report, n: usize) -> Vec<crate::RowProblem> {
    let left_out = report.problems.iter().filter(|p| !p.kept);
    left_out.chain(report.problems.iter().filter(|p| p.kept)).take(n).cloned().collect()
}

/// Keeps the report of the import it names, in the import's own transaction. (The report's own
/// lists are cut for the copy and put back: a file's rows left out may be a million.)
pub(crate) fn keep(tx: &mut Tx<'_>, report: &mut Report) -> outpost_core::Result<()> {
    #[derive(Serialize)]
    struct Kept<'a> {
        report: &'a Report,
        problems_total: u64,
    }
    let Some(import_id) = report.import_id.clone() else { return Ok(()) };
    let problems_total = report.problems.len() as u64;
    let mut listed = listed_problems(report, PROBLEMS_KEPT);
    listed.sort_by_key(|p| p.row);
    let problems = std::mem::replace(&mut report.problems, listed);
    let rest = report.failed_rows.split_off(rows_kept(&report.failed_rows));
    let text = serde_json::to_string(&Kept { report, problems_total });
    report.problems = problems;
    report.failed_rows.extend(rest);
    let text = text.map_err(|e| outpost_core::Error::Io(std::io::Error::other(e)))?;
    tx.conn().execute(
        "INSERT INTO import_reports (import_id, report) VALUES (?1, ?2)
         ON CONFLICT (import_id) DO UPDATE SET report = excluded.report",
        (import_id, text),
    )?;
    Ok(())
}

/// How many of the rows left out are kept: up to [`ROWS_KEPT`] and [`BYTES_KEPT`] of cells (a wide
/// file of long cells stays a report, not a copy of the file).
fn rows_kept(rows: &[(u64, Vec<String>, String)]) -> usize {
    let mut bytes = 0;
    rows.iter()
        .take(ROWS_KEPT)
        .take_while(|(_, cells, reason)| {
            bytes += cells.iter().map(String::len).sum::<usize>() + reason.len();
            bytes <= BYTES_KEPT
        })
        .count()
}

/// The kept report of an import; None for one run on another laptop (or before reports were kept).
pub fn details(store: &Store, import_id: &str) -> outpost_core::Result<Option<Details>> {
    let text: Option<String> = store
        .conn()
        .query_row("SELECT report FROM import_reports WHERE import_id = ?1", [import_id], |r| r.get(0))
        .optional()?;
    let Some(text) = text else { return Ok(None) };
    serde_json::from_str(&text).map(Some).map_err(|_| outpost_core::Error::Invalid {
        table: "imports".into(),
        column: String::new(),
        reason: "this import's report was kept by another version of Outpost and cannot be read here".into(),
    })
}
