//! One import = one `imports` record and one transaction: every accepted row lands, or none does.
//! Rows with problems are reported (row, column, value, reason) and left out whole — except an
//! optional value that can't be used (a phone, a date, an opt-out, a status …), which is kept as
//! text in custom_fields and reported as kept while its row imports; `undo` takes an import back.
//! All writes go through the store, so sync sees them.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use std::sync::mpsc::SyncSender;

use outpost_core::{Batch, Row, Store, Tx};
use rusqlite::OptionalExtension;
use serde::Serialize;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::mapping::{auto_map, ColumnMapping, Target, FIELDS};
use crate::normalize::{self, DateOrder};
use crate::reader::{CsvFile, ReadOptions, Record};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnDuplicate {
    /// Keep the existing lead; the row is counted as skipped.
    #[default]
    Skip,
    /// Fill the existing lead with the row's non-empty values, adding to what it has: custom
    /// fields and address key by key, tags united, notes appended (see `onto_lead`). A duplicate
    /// the row would not change is not written (`Report::unchanged`).
    Update,
    /// Add the row as a new lead anyway (without the clashing email, which email uniqueness
    /// forbids: it is kept in custom_fields.duplicate_email and the lead tagged possible-duplicate).
    Create,
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub read: ReadOptions,
    /// Column header → field name, "custom" or "ignore".
    pub overrides: Vec<(String, String)>,
    pub on_duplicate: OnDuplicate,
    pub region: String,
    pub date_order: DateOrder,
    pub dry_run: bool,
    pub list_name: Option<String>,
    /// Files at least this big load in bulk (see `Tx::begin_bulk`).
    pub bulk_bytes: u64,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            read: ReadOptions::default(),
            overrides: Vec::new(),
            on_duplicate: OnDuplicate::Skip,
            region: "US".into(),
            date_order: DateOrder::Mdy,
            dry_run: false,
            list_name: None,
            bulk_bytes: BULK_BYTES,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowProblem {
    pub row: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
    /// The row was imported and this value kept as text in the lead's custom_fields under its
    /// column's header (a warning); false: the row was left out or skipped for this reason.
    pub kept: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub import_id: Option<String>,
    pub file: String,
    pub encoding: String,
    pub delimiter: String,
    pub mapping: Vec<ColumnMapping>,
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    /// Duplicates not written: skipped ones (on-duplicate skip) and, with on-duplicate update,
    /// the ones the file would not have changed (those are counted in `unchanged` too).
    pub skipped: u64,
    /// Lines after the data that are a report's footer ("Grand Totals (2 records)", "Generated
    /// By: …", as Salesforce writes), not leads: not counted in `rows`.
    pub footer_rows: u64,
    /// Of `skipped`: duplicates an update import left alone because the file's values were
    /// already the lead's (no write, no sync, no updated_at change).
    pub unchanged: u64,
    pub failed: u64,
    /// Values kept as text on leads imported anyway (`RowProblem::kept`); `problems` lists the first
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
    /// Rows the store refused (row → reason): their cells are read again from the file once the
    /// import has ended, for `failed_rows` (kept for every row, they would cost each row a copy).
    #[serde(skip)]
    refused: BTreeMap<u64, String>,
}

impl Report {
    /// Writes the rows left out, as a CSV with the original columns plus "Import error".
    pub fn write_failed_rows(&self, out: impl std::io::Write) -> std::io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        // A ragged row's cells past the header are written back too, under "Column N".
        let width = self.failed_rows.iter().map(|(_, cells, _)| cells.len()).fold(self.headers.len(), usize::max);
        let mut header = self.headers.clone();
        header.extend((header.len()..width).map(|i| format!("Column {}", i + 1)));
        header.push("Import error".into());
        w.write_record(&header)?;
        for (_, cells, reason) in &self.failed_rows {
            let mut rec = cells.clone();
            rec.resize(width, String::new());
            rec.push(reason.clone());
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

/// No CRM field needs more; a bigger cell is a broken file (an unclosed quote, a binary blob).
pub const MAX_CELL_BYTES: usize = 1 << 20;

/// The default size from which files load in bulk: about 40,000 rows.
pub const BULK_BYTES: u64 = 4 << 20;
/// SQLite page cache during a bulk load: holds the email index of a million leads.
const LOAD_CACHE_MIB: i64 = 80;

/// Imports `path`. `progress` is called every few thousand rows; returning false cancels the import
/// (nothing is kept).
pub fn import(
    store: &mut Store,
    path: &Path,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<Report> {
    // A first sync loading meanwhile has the lead indexes down, and this import's duplicate checks
    // need them: its load ends here (the rows so far are indexed; its later pages keep the indexes).
    // Checked once here: a wrong region found row by row left out every row with a phone.
    normalize::region(&opts.region).map_err(|_| Error::UnknownRegion { region: opts.region.clone() })?;
    store.end_bulk_load().map_err(store_error)?;
    let csv = CsvFile::open(path, &opts.read)?;
    let csv_size = csv.size;
    let file = csv.file.clone();
    check_headers(&file, &csv.headers)?;
    let mapping = apply_overrides(&file, auto_map(&csv.headers), &opts.overrides)?;
    check_mapping(&file, &csv.headers, &mapping)?;
    let sha = sha256(path).map_err(|source| Error::Io { file: file.clone(), source })?;
    // A file-level error found mid-way must roll the transaction back, so it leaves the closure as
    // a store error (which aborts the transaction) and is handed back from here.
    let mut failure: Option<Error> = None;
    let run = |tx: &mut Tx<'_>| match tx.as_import(|tx| run(tx, csv, mapping.clone(), opts, &sha, progress))? {
        Ok(report) => Ok(report),
        Err(e) => {
            failure = Some(e);
            Err(cancelled())
        }
    };
    let load = |s: &mut Store| if opts.dry_run { s.dry_run(run) } else { s.write(run) };
    let result = if csv_size >= opts.bulk_bytes { store.with_load_cache(LOAD_CACHE_MIB, load) } else { load(store) };
    if let Some(e) = failure {
        return Err(e);
    }
    match result {
        Err(e) => Err(store_error(e)),
        Ok(mut report) => {
            add_refused_rows(path, opts, &mut report);
            report.dry_run = opts.dry_run;
            if opts.dry_run {
                report.import_id = None;
            }
            Ok(report)
        }
    }
}

/// Puts the rows the store refused into `failed_rows` with their cells, read again from the file
/// (the same options read it the same way), in file order among the rows left out while reading.
/// Should the file no longer read as it did, a row goes in with its reason alone.
fn add_refused_rows(path: &Path, opts: &ImportOptions, report: &mut Report) {
    let mut refused = std::mem::take(&mut report.refused);
    if refused.is_empty() {
        return;
    }
    if let Ok(csv) = CsvFile::open(path, &opts.read) {
        for record in csv.map_while(std::result::Result::ok) {
            if let Some(reason) = refused.remove(&record.row) {
                report.failed_rows.push((record.row, record.cells.iter().map(str::to_string).collect(), reason));
            }
            if refused.is_empty() {
                break;
            }
        }
    }
    report.failed_rows.extend(refused.into_iter().map(|(row, reason)| (row, Vec::new(), reason)));
    report.failed_rows.sort_by_key(|r| r.0);
}

/// A store error, where an interrupted one is the import being cancelled (by its progress callback,
/// or while its store waited for another writer).
fn store_error(e: outpost_core::Error) -> Error {
    match e {
        outpost_core::Error::Io(e) if e.kind() == std::io::ErrorKind::Interrupted => Error::Cancelled,
        e => e.into(),
    }
}

fn check_headers(file: &str, headers: &[String]) -> Result<()> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate().filter(|(_, h)| !h.trim().is_empty()) {
        if seen.insert(h.trim().to_lowercase(), i).is_some() {
            return Err(Error::DuplicateHeader { file: file.into(), column: i + 1, header: h.clone() });
        }
    }
    Ok(())
}

/// A file whose header maps to nothing a lead can be made from has data in its first row (or is
/// not a lead list): importing it would turn every row away, or worse fill leads with garbage.
fn check_mapping(file: &str, headers: &[String], mapping: &[ColumnMapping]) -> Result<()> {
    const IDENTIFYING: [&str; 8] =
        ["first_name", "last_name", "full_name", "email", "email_secondary", "phone", "mobile", "company"];
    let identifies = |m: &ColumnMapping| matches!(&m.target, Target::Field(f) if IDENTIFYING.contains(&f.as_str()));
    if mapping.iter().any(identifies) {
        return Ok(());
    }
    let mut first_row: String = headers.join(",").chars().take(80).collect();
    if headers.join(",").chars().count() > 80 {
        first_row.push('…');
    }
    Err(Error::NoHeader { file: file.into(), first_row })
}

fn apply_overrides(
    file: &str,
    mut mapping: Vec<ColumnMapping>,
    overrides: &[(String, String)],
) -> Result<Vec<ColumnMapping>> {
    for (column, field) in overrides {
        let m = mapping
            .iter_mut()
            .find(|m| m.header.trim().eq_ignore_ascii_case(column.trim()))
            .ok_or_else(|| Error::UnknownColumn { file: file.into(), column: column.clone() })?;
        m.target = match field.as_str() {
            "custom" => Target::Custom,
            // The lead column's own name, as `outpost export` writes it.
            "do_not_contact" => Target::Field("email_opt_out".into()),
            "ignore" => Target::Ignore,
            f if FIELDS.contains(&f) => Target::Field(f.to_string()),
            f => return Err(Error::UnknownField { file: file.into(), field: f.into(), known: FIELDS.join(", ") }),
        };
        m.confidence = 1.0;
    }
    Ok(mapping)
}

fn sha256(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok(hex::encode(h.finalize()));
        }
        h.update(&buf[..n]);
    }
}

/// Cancellation travels out of the store's transaction as an Interrupted I/O error (rolled back).
fn cancelled() -> outpost_core::Error {
    outpost_core::Error::Io(std::io::Error::new(std::io::ErrorKind::Interrupted, "cancelled"))
}

fn run(
    tx: &mut Tx<'_>,
    csv: CsvFile,
    mapping: Vec<ColumnMapping>,
    opts: &ImportOptions,
    sha: &str,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> outpost_core::Result<Result<Report>> {
    let list_id = match &opts.list_name {
        Some(name) => Some(find_or_create_list(tx, name)?),
        None => None,
    };
    let same_file_as: Option<String> = tx
        .conn()
        .query_row(
            "SELECT id FROM imports WHERE file_sha256 = ?1 AND status = 'completed' ORDER BY created_at DESC, rowid DESC LIMIT 1",
            [sha],
            |r| r.get(0),
        )
        .optional()?;
    let file_name = Path::new(&csv.file).file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let column_mapping: Map<String, Value> =
        mapping.iter().map(|m| (m.header.clone(), serde_json::to_value(&m.target).unwrap_or(Value::Null))).collect();
    let import_id = tx.insert(
        "imports",
        obj(json!({
            "file_name": file_name, "file_size": csv.size, "file_sha256": sha,
            "encoding": crate::sniff::encoding_name(csv.dialect.encoding),
            "delimiter": (csv.dialect.delimiter as char).to_string(), "column_mapping": column_mapping, "list_id": list_id,
        })),
    )?;
    let mut report = Report {
        import_id: Some(import_id.clone()),
        file: csv.file.clone(),
        encoding: crate::sniff::encoding_name(csv.dialect.encoding).into(),
        delimiter: (csv.dialect.delimiter as char).to_string(),
        mapping: mapping.clone(),
        rows: 0,
        created: 0,
        updated: 0,
        skipped: 0,
        unchanged: 0,
        kept_values: 0,
        footer_rows: 0,
        failed: 0,
        problems: Vec::new(),
        same_file_as,
        headers: csv.headers.clone(),
        failed_rows: Vec::new(),
        dry_run: false,
        refused: BTreeMap::new(),
    };
    let total_bytes = csv.size;
    // Large files: indexes, search and change capture are brought up to date once at the end.
    let bulk = if csv.size >= opts.bulk_bytes { Some(tx.begin_bulk("leads")?) } else { None };
    // Into a database without leads (a rep's first import), a duplicate can only be an earlier row
    // of this file: the email index is asked only when the file has had the email before.
    let had_leads: bool = tx.conn().query_row("SELECT EXISTS (SELECT 1 FROM leads)", [], |r| r.get(0))?;
    let mut shared = obj(json!({ "import_id": import_id }));
    if let Some(list) = &list_id {
        shared.insert("list_id".into(), json!(list));
    }
    // Duplicates to fill in (on-duplicate update) wait on disk during a bulk load, not in memory:
    // re-importing a million-row export would otherwise hold a million rows.
    tx.conn().execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS import_updates (row INTEGER NOT NULL, lead_id TEXT NOT NULL, patch TEXT NOT NULL);
         DELETE FROM temp.import_updates;",
    )?;
    let mut batch = tx.batch("leads", shared)?;
    // Problems name the file's own column, as the rep knows it.
    let email_column = mapping
        .iter()
        .find(|m| m.target == Target::Field("email".into()))
        .map_or_else(|| "email".to_string(), |m| m.header.clone());
    let mut loaded = Loaded { email_column, list: list_id.clone(), ..Default::default() };
    // Reading, decoding and normalising rows runs beside the writes, on the other core.
    let outcome = std::thread::scope(|s| {
        let (send, receive) = std::sync::mpsc::sync_channel(4);
        s.spawn(|| produce(csv, &mapping, opts, send));
        for chunk in receive {
            report.footer_rows = chunk.footer_rows;
            for item in chunk.items {
                if let Err(e) = load(&mut batch, item, opts, &mut report, &mut loaded, had_leads)? {
                    return Ok(Err(e));
                }
                if report.rows.is_multiple_of(5_000)
                    && !progress(Progress {
                        rows: report.rows,
                        bytes: chunk.bytes,
                        total_bytes,
                        stage: Stage::Reading,
                        bulk: bulk.is_some(),
                    })
                {
                    return Err(cancelled());
                }
            }
        }
        Ok(Ok(()))
    })?;
    if let Err(e) = outcome {
        return Ok(Err(e));
    }
    for (row, e) in batch.finish()? {
        report.created -= 1;
        refused(&mut report, row, e);
    }
    // Refusals found when a group of rows was written come after the rows read since.
    report.problems.sort_by_key(|p| p.row);
    // A million rows' worth of email hashes is not needed while the indexes are built.
    loaded.in_file = HashMap::new();
    let (rows, is_bulk) = (report.rows, bulk.is_some());
    let at = move |stage| Progress { rows, bytes: total_bytes, total_bytes, stage, bulk: is_bulk };
    if let Some(b) = bulk {
        let mut step = |n: usize| progress(at(Stage::Indexing(n as u8)));
        if !step(0) {
            return Err(cancelled());
        }
        tx.finish_bulk(b, "import_id", &import_id, &mut step)?;
    }
    // Updates run with capture and search maintenance on, after any bulk load.
    let mut after = 0i64;
    loop {
        let chunk: Vec<(i64, i64, String, String)> = tx
            .conn()
            .prepare_cached(
                "SELECT rowid, row, lead_id, patch FROM temp.import_updates WHERE rowid > ?1 ORDER BY rowid LIMIT 1000",
            )?
            .query_map([after], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let Some(last) = chunk.last() else { break };
        after = last.0;
        for (_, row, id, patch) in chunk {
            let values: Row = serde_json::from_str(&patch).map_err(|e| outpost_core::Error::Invalid {
                table: "import_updates".into(),
                column: "patch".into(),
                reason: e.to_string(),
            })?;
            let values = match tx.get("leads", &id)? {
                Some(old) => onto_lead(values, &old),
                None => values,
            };
            // A duplicate the file would not change is not written: no updated_at, nothing to sync.
            if values.is_empty() {
                report.skipped += 1;
                report.unchanged += 1;
                continue;
            }
            let mut values = values;
            // A do-not-contact lead may not be moved along the pipeline: the rest of the row still
            // lands, and the status the file had is reported (not the whole row lost).
            if values.contains_key("status") && lead_is_do_not_contact(tx, &id, &values)? {
                if let Some(status) = values.remove("status") {
                    report.kept_values += 1;
                    report.problems.push(RowProblem {
                        row: row as u64,
                        column: "status".into(),
                        value: status.as_str().unwrap_or_default().into(),
                        reason: "not changed: the lead is marked do-not-contact".into(),
                        kept: true,
                    });
                }
                if values.is_empty() {
                    report.skipped += 1;
                    report.unchanged += 1;
                    continue;
                }
            }
            let keys: Vec<String> = values.keys().cloned().collect();
            match tx.update_before_after("leads", &id, values) {
                Ok((old, new)) => {
                    // `new` as stored (the store normalises values): undo compares with these.
                    let field = |row: &Row, k: &String| (k.clone(), row.get(k).cloned().unwrap_or(Value::Null));
                    // Only the fields the import changed: one it wrote with the value already
                    // there has nothing to undo.
                    let changed: Vec<&String> = keys.iter().filter(|k| old.get(*k) != new.get(*k)).collect();
                    let previous: Map<String, Value> = changed.iter().map(|k| field(&old, k)).collect();
                    let written: Map<String, Value> = changed.iter().map(|k| field(&new, k)).collect();
                    record_update(tx, &import_id, &id, previous, written)?;
                    report.updated += 1;
                }
                Err(e) if e.is_refusal() => refused(&mut report, row as u64, e),
                Err(e) => return Err(e),
            }
        }
    }
    tx.conn().execute_batch("DROP TABLE temp.import_updates;")?;
    drop_kept_of_refused(&mut report);
    if !progress(at(Stage::Saving)) {
        return Err(cancelled());
    }
    if report.rows == 0 {
        return Ok(Err(Error::HeaderOnly { file: report.file.clone() }));
    }
    tx.update(
        "imports",
        &import_id,
        obj(json!({
            "row_count": report.rows, "created_count": report.created, "updated_count": report.updated,
            "skipped_count": report.skipped, "error_count": report.failed, "status": "completed", "completed_at": tx.now(),
        })),
    )?;
    if let Some(list) = &list_id {
        tx.conn().execute(
            "UPDATE lead_lists SET total_contacts = (SELECT count(*) FROM leads WHERE list_id = ?1 AND deleted_at IS NULL) WHERE id = ?1",
            [list],
        )?;
    }
    Ok(Ok(report))
}

/// What the loading loop keeps between rows.
#[derive(Default)]
struct Loaded {
    email_column: String,
    /// Kept-as-text notes listed in the report so far (see `Report::kept_values`).
    kept_listed: usize,
    /// The lead list named for the import, if any.
    list: Option<String>,
    /// Emails seen in this file → the first row that had it, by 64-bit hash (a million emails as
    /// strings with their lead ids cost ~150 MB). The lead itself is found through the email index.
    in_file: HashMap<u64, u64>,
}

/// Queues a new lead; a row the store refuses is counted out with the reason.
fn add(batch: &mut Batch<'_, '_>, values: Row, row: u64, report: &mut Report) -> outpost_core::Result<bool> {
    Ok(match batch.insert(values, row)? {
        Ok(_) => {
            report.created += 1;
            true
        }
        Err(e) => {
            refused(report, row, e);
            false
        }
    })
}

/// Whether the lead stays do-not-contact after `values` (the store then refuses a status change).
fn lead_is_do_not_contact(tx: &Tx<'_>, id: &str, values: &Row) -> outpost_core::Result<bool> {
    if let Some(v) = values.get("do_not_contact") {
        return Ok(v == &Value::Bool(true));
    }
    let dnc: Option<bool> =
        tx.conn().query_row("SELECT do_not_contact FROM leads WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    Ok(dnc == Some(true))
}

/// A row the store would not take. Its values noted as kept were not kept after all: those notes
/// are taken out once all rows are in (see `drop_kept_of_refused`).
fn refused(report: &mut Report, row: u64, e: outpost_core::Error) {
    report.failed += 1;
    let reason = e.to_string();
    report.refused.insert(row, reason.clone());
    report.problems.push(RowProblem { row, column: String::new(), value: String::new(), reason, kept: false });
}

fn drop_kept_of_refused(report: &mut Report) {
    if !report.refused.is_empty() {
        let listed = report.problems.len();
        let refused = &report.refused;
        report.problems.retain(|p| !(p.kept && refused.contains_key(&p.row)));
        // (Unlisted notes of refused rows stay counted: the count is then an upper bound.)
        report.kept_values -= (listed - report.problems.len()) as u64;
    }
}

/// How many kept-as-text notes a report lists (see `Report::kept_values`).
pub const KEPT_LISTED: usize = 1_000;

/// One data row, read and normalised.
enum Item {
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

struct Chunk {
    items: Vec<Item>,
    /// Bytes of the file read once these rows were.
    bytes: u64,
    /// Footer lines the reader set aside so far (see `Report::footer_rows`).
    footer_rows: u64,
}

const CHUNK_ROWS: usize = 1024;

/// Reads and normalises rows, in chunks, until the file ends, it breaks, or the loader hangs up.
fn produce(mut csv: CsvFile, mapping: &[ColumnMapping], opts: &ImportOptions, out: SyncSender<Chunk>) {
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
            let chunk = Chunk { items, bytes: csv.bytes_read(), footer_rows: csv.footer_rows() };
            if out.send(chunk).is_err() || broken || end {
                return;
            }
        }
    }
}

fn prepare(
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
    values.entry("source").or_insert_with(|| json!("csv_import"));
    // SQLite's lower(), which the email index uses, folds ASCII letters only.
    let email = values.get("email").and_then(Value::as_str).map(str::to_ascii_lowercase);
    Item::Lead { row: record.row, values, email, kept }
}

/// Writes one row (or defers it, or counts it out); an error is the file's and stops the import.
fn load(
    batch: &mut Batch<'_, '_>,
    item: Item,
    opts: &ImportOptions,
    report: &mut Report,
    loaded: &mut Loaded,
    had_leads: bool,
) -> outpost_core::Result<std::result::Result<(), Error>> {
    let (row, mut values, email, kept) = match item {
        Item::Broken(e) => return Ok(Err(e)),
        Item::Failed { row, cells, problems } => {
            report.rows += 1;
            report.failed += 1;
            let reasons = problems.iter().map(|p| format!("{}: {}", p.column, p.reason)).collect::<Vec<_>>().join("; ");
            report.failed_rows.push((row, cells, reasons));
            report.problems.extend(problems);
            return Ok(Ok(()));
        }
        Item::Lead { row, values, email, kept } => (row, values, email, kept),
    };
    report.rows += 1;
    let email_key = email.as_deref().map(hash_email);
    let seen_in_file = email_key.and_then(|k| loaded.in_file.get(&k).copied());
    if seen_in_file.is_some() {
        // The earlier row may still be queued.
        batch.flush()?;
    }
    let existing = match &email {
        Some(e) if had_leads || seen_in_file.is_some() => {
            outpost_core::rules::other_lead_with_email(batch.tx(), e, "")?.map(|id| (seen_in_file, id))
        }
        _ => None,
    };
    // A skipped duplicate writes nothing, so nothing of it was kept.
    if !(existing.is_some() && opts.on_duplicate == OnDuplicate::Skip) {
        report.kept_values += kept.len() as u64;
        let room = KEPT_LISTED.saturating_sub(loaded.kept_listed);
        loaded.kept_listed += kept.len().min(room);
        report.problems.extend(kept.into_iter().take(room));
    }
    match (existing, opts.on_duplicate) {
        (None, _) => {
            if add(batch, values, row, report)? {
                if let Some(k) = email_key {
                    loaded.in_file.entry(k).or_insert(row);
                }
            }
        }
        (Some((first_row, _)), OnDuplicate::Skip) => {
            report.skipped += 1;
            let why = match first_row {
                Some(r) => format!("duplicate of row {r} (same email); skipped"),
                None => "a lead with this email already exists; skipped".into(),
            };
            report.problems.push(RowProblem {
                row,
                column: loaded.email_column.clone(),
                value: email.unwrap_or_default(),
                reason: why,
                kept: false,
            });
        }
        (Some((_, id)), OnDuplicate::Update) => {
            values.remove("email");
            values.remove("source");
            // The import's list takes in the leads it updates too.
            if let Some(list) = &loaded.list {
                values.insert("list_id".into(), json!(list));
            }
            let patch = Value::Object(values).to_string();
            batch
                .tx()
                .conn()
                .prepare_cached("INSERT INTO temp.import_updates (row, lead_id, patch) VALUES (?1, ?2, ?3)")?
                .execute((row as i64, &id, patch))?;
        }
        (Some((first_row, _)), OnDuplicate::Create) => {
            let dup = values.remove("email").unwrap_or(Value::Null);
            // A row without other custom fields has none yet: the address must not be lost.
            let custom = values.entry("custom_fields").or_insert_with(|| json!({}));
            if let Value::Object(custom) = custom {
                custom.insert("duplicate_email".into(), dup);
            }
            let tags = values.entry("tags").or_insert_with(|| json!([]));
            if let Value::Array(t) = tags {
                t.push(json!("possible-duplicate"));
            }
            let who = match first_row {
                Some(r) => format!("the lead of row {r}"),
                None => "another lead".into(),
            };
            report.problems.push(RowProblem {
                row,
                column: loaded.email_column.clone(),
                value: email.unwrap_or_default(),
                reason: format!(
                    "created without its email because {who} has it (kept in custom field 'duplicate_email', tagged possible-duplicate)"
                ),
                kept: true,
            });
            add(batch, values, row, report)?;
        }
    }
    Ok(Ok(()))
}

/// An update's values as they apply to the lead `old`: what the lead has is added to, not replaced
/// — custom_fields and address key by key (the file's keys win), tags united (the lead's first, no
/// duplicates regardless of case), imported notes appended as a new paragraph unless the lead's
/// notes hold them already — and only what would change is left (empty: nothing to write).
fn onto_lead(mut patch: Row, old: &Row) -> Row {
    // Our own export imported back into the same database names the lead itself: its id and
    // creation time are not news about it.
    if let Some(Value::Object(custom)) = patch.get_mut("custom_fields") {
        for (key, own) in [("external_id", "id"), ("original_created_at", "created_at")] {
            if custom.get(key).is_some_and(|v| Some(v) == old.get(own)) {
                custom.remove(key);
            }
        }
    }
    for key in ["custom_fields", "address"] {
        if let (Some(Value::Object(new)), Some(Value::Object(have))) = (patch.get_mut(key), old.get(key)) {
            let file = std::mem::replace(new, have.clone());
            new.extend(file);
        }
    }
    if let (Some(Value::Array(new)), Some(Value::Array(have))) = (patch.get_mut("tags"), old.get("tags")) {
        let mut united = have.clone();
        for tag in std::mem::take(new) {
            let same = |t: &Value| match (t.as_str(), tag.as_str()) {
                (Some(a), Some(b)) => a.to_lowercase() == b.to_lowercase(),
                _ => *t == tag,
            };
            if !united.iter().any(same) {
                united.push(tag);
            }
        }
        *new = united;
    }
    if let (Some(Value::String(new)), Some(Value::String(have))) = (patch.get_mut("notes"), old.get("notes")) {
        if !have.trim().is_empty() {
            // Already there as a paragraph of its own (a re-import): not appended again.
            let there = have.split("\n\n").any(|p| p.trim() == new.trim());
            *new = if there { have.clone() } else { format!("{have}\n\n{new}") };
        }
    }
    patch.retain(|k, v| old.get(k).unwrap_or(&Value::Null) != v);
    patch
}

fn obj(v: Value) -> Row {
    match v {
        Value::Object(m) => m,
        _ => Row::new(),
    }
}

fn hash_email(email: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(email)
}

fn find_or_create_list(tx: &mut Tx<'_>, name: &str) -> outpost_core::Result<String> {
    let found: Option<String> = tx
        .conn()
        .query_row("SELECT id FROM lead_lists WHERE lower(name) = lower(?1) AND deleted_at IS NULL", [name], |r| {
            r.get(0)
        })
        .optional()?;
    match found {
        Some(id) => Ok(id),
        None => tx.insert("lead_lists", obj(json!({"name": name, "source": "csv_import"}))),
    }
}

/// Records what an update of `lead_id` found and wrote. Another row of the file may have updated
/// the lead already: undo puts back what was there before either (the values found first win) and
/// compares with what the import left last (the values written last win).
fn record_update(
    tx: &Tx<'_>,
    import_id: &str,
    lead_id: &str,
    previous: Map<String, Value>,
    written: Map<String, Value>,
) -> outpost_core::Result<()> {
    let (previous, written) = (Value::Object(previous), Value::Object(written));
    let added = tx
        .conn()
        .prepare_cached(
            "INSERT OR IGNORE INTO import_changes (import_id, lead_id, action, previous, written)
             VALUES (?1, ?2, 'updated', ?3, ?4)",
        )?
        .execute((import_id, lead_id, previous.to_string(), written.to_string()))?;
    if added == 1 {
        return Ok(());
    }
    let (first, last): (Option<String>, Option<String>) = tx
        .conn()
        .prepare_cached("SELECT previous, written FROM import_changes WHERE import_id = ?1 AND lead_id = ?2")?
        .query_row((import_id, lead_id), |r| Ok((r.get(0)?, r.get(1)?)))?;
    let object = |text: Option<String>| match text.and_then(|t| serde_json::from_str(&t).ok()) {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let (mut first, mut last) = (object(first), object(last));
    if let (Value::Object(previous), Value::Object(written)) = (previous, written) {
        for (k, v) in previous {
            first.entry(k).or_insert(v);
        }
        last.extend(written);
    }
    tx.conn()
        .prepare_cached("UPDATE import_changes SET previous = ?3, written = ?4 WHERE import_id = ?1 AND lead_id = ?2")?
        .execute((import_id, lead_id, Value::Object(first).to_string(), Value::Object(last).to_string()))?;
    Ok(())
}

/// A row's lead values as far as they are usable: the problems that keep the row out, and the
/// values that could not be used but were kept as text in custom_fields (the row still imports).
struct RowValues {
    values: Row,
    fatal: Vec<RowProblem>,
    kept: Vec<RowProblem>,
}

/// A record's lead values, or every problem that keeps it out.
fn lead_values(record: &Record, mapping: &[ColumnMapping], opts: &ImportOptions) -> RowValues {
    let mut v = Row::new();
    let mut custom = Map::new();
    let mut address = Map::new();
    let mut problems = Vec::new();
    let mut kept: Vec<RowProblem> = Vec::new();
    let mut unreadable: Vec<RowProblem> = Vec::new();
    let mut problem = |m: &ColumnMapping, value: &str, reason: String| {
        problems.push(RowProblem {
            row: record.row,
            column: m.header.clone(),
            value: value.to_string(),
            reason,
            kept: false,
        });
    };
    // An optional value that can't be used must not cost the rep the lead (its email and name are
    // fine): it is kept as written, where the rep sees it, and reported.
    let mut keep = |custom: &mut Map<String, Value>, header: String, value: &str, reason: String| {
        custom.insert(header.clone(), json!(value));
        kept.push(RowProblem {
            row: record.row,
            column: header.clone(),
            value: value.to_string(),
            reason: format!("{reason}; kept as text in custom field '{header}'"),
            kept: true,
        });
    };
    // Cells past the end of the header (a ragged row) are kept as "Column N", never dropped.
    let extra: Vec<ColumnMapping> = (mapping.len()..record.cells.len())
        .map(|column| ColumnMapping { column, header: String::new(), target: Target::Custom, confidence: 0.0 })
        .collect();
    // Several columns can say the same thing; they are weighed once the whole row is read.
    let mut opted_out = false;
    let mut other_emails: Vec<(String, String)> = Vec::new();
    let mut bad_email: Option<(&ColumnMapping, String, &str, String)> = None;
    let mut phones: Vec<(bool, String, String, Option<String>)> = Vec::new();
    let mut custom_object: Option<Map<String, Value>> = None;
    for m in mapping.iter().chain(&extra) {
        let Some(raw) = record.cells.get(m.column) else { continue };
        let cell = normalize::without_text_marker(raw.trim());
        if cell.is_empty() {
            continue;
        }
        if cell.len() > MAX_CELL_BYTES {
            problem(
                m,
                &cell[..cell.floor_char_boundary(40)],
                format!("value is {} MB; the limit is 1 MB per cell", cell.len() >> 20),
            );
            continue;
        }
        // A stray byte the encoding cannot read (one Word apostrophe in a UTF-8 file) must not cost
        // the lead: the value comes in as read, with the note. (An email with one is refused below.)
        if cell.contains('\u{fffd}') {
            unreadable.push(RowProblem {
                row: record.row,
                column: m.header.clone(),
                value: cell.to_string(),
                reason:
                    "contains bytes that are not valid in the file's encoding (shown as \u{fffd}); imported as read"
                        .into(),
                kept: true,
            });
        }
        let header = if m.header.trim().is_empty() { format!("Column {}", m.column + 1) } else { m.header.clone() };
        let field = match &m.target {
            Target::Ignore => continue,
            Target::Custom => {
                custom.insert(header, json!(cell));
                continue;
            }
            Target::Field(f) => f.as_str(),
        };
        let text = |v: &mut Row, col: &str| {
            v.insert(col.into(), json!(cell));
        };
        match field {
            "first_name" | "last_name" | "company" | "source" | "website" | "linkedin_url" | "notes"
            | "follow_up_reason" => text(&mut v, field),
            "title" => text(&mut v, "job_title"),
            "industry" => text(&mut v, "company_industry"),
            "employees" => text(&mut v, "company_size"),
            "lifecycle_stage" => text(&mut v, "stage"),
            "full_name" => {
                let name = normalize::full_name(cell);
                for (key, part) in [("first_name", name.first), ("last_name", name.last)] {
                    if let Some(part) = part {
                        v.entry(key).or_insert_with(|| json!(part));
                    }
                }
                for (key, part) in [("name_prefix", name.prefix), ("name_suffix", name.suffix)] {
                    if let Some(part) = part {
                        custom.entry(key).or_insert_with(|| json!(part));
                    }
                }
            }
            "email" => match normalize::email(cell) {
                Ok(Some(e)) => {
                    v.insert("email".into(), json!(e));
                }
                Ok(None) => {}
                // Decided once the row is read: a valid second address can stand in.
                Err(reason) => bad_email = Some((m, header, cell, reason)),
            },
            // Another address only stands in for an empty email; one it cannot read is kept as
            // written rather than turning the row away.
            "email_secondary" => match normalize::email(cell) {
                Ok(Some(e)) => other_emails.push((header, e)),
                Ok(None) => {}
                Err(_) => {
                    custom.insert(header, json!(cell));
                }
            },
            "phone" | "mobile" => match normalize::phone(cell, &opts.region) {
                Ok((p, extension)) => phones.push((field == "phone", header, p, extension)),
                Err(reason) => keep(&mut custom, header, cell, reason),
            },
            "status" => match normalize::status(cell) {
                Ok(s) => {
                    v.insert("status".into(), json!(s));
                }
                Err(reason) => keep(&mut custom, header, cell, reason),
            },
            "email_opt_out" => match normalize::yes(cell) {
                Some(b) => opted_out |= b,
                None => keep(&mut custom, header, cell, "expected yes/no or true/false".into()),
            },
            "tags" => {
                // Our export joins tags with "; ", so a tag may hold a comma; other files use either.
                let by: &[char] = if cell.contains(';') { &[';'] } else { &[','] };
                let tags: Vec<&str> = cell.split(by).map(str::trim).filter(|t| !t.is_empty()).collect();
                v.insert("tags".into(), json!(tags));
            }
            "next_follow_up_at" => match normalize::date(cell, opts.date_order) {
                Ok(d) => {
                    let at = outpost_core::time::normalize(&d);
                    let future =
                        at.as_deref().and_then(outpost_core::time::parse).is_some_and(|t| t > chrono::Utc::now());
                    match at {
                        Some(at) if future => {
                            v.insert("next_follow_up_at".into(), json!(at));
                        }
                        // The store refuses a follow-up in the past (an old export has many).
                        _ => keep(&mut custom, header, &d, "the follow-up date is in the past".into()),
                    }
                }
                Err(reason) => keep(&mut custom, header, cell, reason),
            },
            "created_at" | "connected_on" => match normalize::date(cell, opts.date_order) {
                Ok(d) => {
                    custom.insert(if field == "created_at" { "original_created_at".into() } else { header }, json!(d));
                }
                Err(reason) => keep(&mut custom, header, cell, reason),
            },
            "current_score" => match cell.parse::<i64>() {
                Ok(n) if (0..=100).contains(&n) => {
                    v.insert("current_score".into(), json!(n));
                }
                _ => keep(&mut custom, header, cell, "a score is a whole number from 0 to 100".into()),
            },
            "custom_fields" => match serde_json::from_str::<Value>(cell) {
                Ok(Value::Object(o)) => custom_object.get_or_insert_with(Map::new).extend(o),
                _ => keep(&mut custom, header, cell, "not a JSON object like {\"budget\":\"10k\"}".into()),
            },
            "street" | "city" | "state" | "postal_code" | "country" => {
                address.insert(field.into(), json!(cell));
            }
            _ => {
                custom.insert(field.into(), json!(cell));
            }
        }
    }
    // A "no" in one opt-out column never clears a "yes" in another, nor a lead's do-not-contact.
    if opted_out {
        v.insert("do_not_contact".into(), json!(true));
    }
    // The phone column wins over a mobile column, whichever comes first; the other numbers are kept.
    let main_phone = phones.iter().position(|p| p.0).or(if phones.is_empty() { None } else { Some(0) });
    for (i, (_, header, number, extension)) in phones.into_iter().enumerate() {
        if Some(i) == main_phone {
            v.insert("phone".into(), json!(number));
            if let Some(x) = extension {
                custom.insert("phone_extension".into(), json!(x));
            }
        } else {
            if let Some(x) = extension {
                custom.insert(format!("{header} extension"), json!(x));
            }
            custom.insert(header, json!(number));
        }
    }
    let mut other_emails = other_emails.into_iter();
    if !v.contains_key("email") {
        if let Some((_, e)) = other_emails.next() {
            v.insert("email".into(), json!(e));
        }
    }
    // A bad first address leaves the row out (the email is what dedupe and outreach go by), unless
    // a valid second one took its place.
    if let Some((m, header, cell, reason)) = bad_email {
        if v.contains_key("email") {
            keep(&mut custom, header, cell, reason);
        } else {
            problem(m, cell, reason);
        }
    }
    let email = v.get("email").and_then(Value::as_str).unwrap_or_default().to_string();
    for (header, e) in other_emails.filter(|(_, e)| !e.eq_ignore_ascii_case(&email)) {
        custom.insert(header, json!(e));
    }
    // The lead's own custom fields, as our export wrote them, fill what the row's columns did not
    // set: a value kept as text here, or a column's current value, is not replaced by an older copy.
    if let Some(o) = custom_object {
        for (k, v) in o {
            custom.entry(k).or_insert(v);
        }
    }
    if problems.is_empty()
        && !["first_name", "last_name", "email", "company", "phone"].iter().any(|k| v.contains_key(*k))
    {
        if kept.is_empty() {
            problems.push(RowProblem {
                row: record.row,
                column: String::new(),
                value: String::new(),
                reason: "no name, email, company or phone: nothing to make a lead from".into(),
                kept: false,
            });
        } else {
            // Nothing else to make a lead from: the values that could not be used are why.
            problems = kept
                .into_iter()
                .map(|mut p| {
                    p.reason.truncate(p.reason.rfind("; kept as text").unwrap_or(p.reason.len()));
                    p.kept = false;
                    p
                })
                .collect();
            kept = Vec::new();
        }
    }
    kept.extend(unreadable);
    if !custom.is_empty() {
        v.insert("custom_fields".into(), Value::Object(custom));
    }
    if !address.is_empty() {
        v.insert("address".into(), Value::Object(address));
    }
    RowValues { values: v, fatal: problems, kept }
}

/// A lead the import created that someone worked on since: edited here, or by a teammate (or the
/// rep on another computer) and synced here (`lead_work`, kept by the store: not the changes of an
/// import or an undo), or changed by a later import that is not undone (its values would be lost
/// with the lead), or given a note, task or logged email, or added to a campaign. Undo keeps those.
const WORKED_ON_SINCE: &str = "EXISTS (SELECT 1 FROM lead_work w WHERE w.lead_id = \"leads\".id)
    OR EXISTS (SELECT 1 FROM import_changes ic JOIN imports i ON i.id = ic.import_id
        WHERE ic.lead_id = \"leads\".id AND ic.action = 'updated' AND ic.import_id IS NOT \"leads\".import_id
        AND i.status <> 'reverted' AND (ic.written IS NULL OR ic.written <> '{}'))
    OR EXISTS (SELECT 1 FROM activities a WHERE a.lead_id = \"leads\".id AND a.deleted_at IS NULL)
    OR EXISTS (SELECT 1 FROM campaign_leads c WHERE c.lead_id = \"leads\".id AND c.deleted_at IS NULL)";

/// How many of the leads an import created someone worked on since: undo keeps those (for the
/// question before an undo).
pub fn worked_on_since(store: &Store, import_id: &str) -> outpost_core::Result<u64> {
    let n: i64 = store.conn().query_row(
        &format!("SELECT count(*) FROM leads WHERE import_id = ?1 AND deleted_at IS NULL AND ({WORKED_ON_SINCE})"),
        [import_id],
        |r| r.get(0),
    )?;
    Ok(n.max(0) as u64)
}

/// What undoing an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Undone {
    /// Leads the import created, now deleted.
    pub removed: u64,
    /// Leads the import updated that got (some of) their previous values back.
    pub restored: u64,
    /// Leads changed since the import (by the rep, a teammate, a sync) that keep those changes: ones
    /// it created and someone worked on since stay; ones it updated keep the fields changed again.
    pub kept: u64,
}

/// Takes an import back: its new leads are deleted (soft, so it syncs) unless someone worked on them
/// since, updated leads get their previous values — each field only while it still holds what the
/// import wrote — so later work is not undone with it; the import is marked reverted.
pub fn undo(store: &mut Store, import_id: &str) -> Result<Undone> {
    Ok(store.write(|tx| tx.as_import(|tx| undo_in(tx, import_id)))?)
}

fn undo_in(tx: &mut Tx<'_>, import_id: &str) -> outpost_core::Result<Undone> {
    let status: Option<String> =
        tx.conn().query_row("SELECT status FROM imports WHERE id = ?1", [import_id], |r| r.get(0)).optional()?;
    match status.as_deref() {
        None => return Err(outpost_core::Error::NotFound { table: "imports".into(), id: import_id.into() }),
        Some("reverted") => {
            return Err(outpost_core::Error::Invalid {
                table: "imports".into(),
                column: "status".into(),
                reason: "this import was already undone".into(),
            })
        }
        _ => {}
    }
    // Leads the import created carry its id: removed in one statement, except those worked on
    // since. Updated leads are listed with their previous values; a lead this import created is
    // skipped there (a kept one must not be partly reverted; imports before import_id was relied on
    // also listed the created ones).
    let removed = tx.delete_where_unless("leads", "import_id", import_id, WORKED_ON_SINCE)? as u64;
    let kept_created: i64 = tx.conn().query_row(
        "SELECT count(*) FROM leads WHERE import_id = ?1 AND deleted_at IS NULL",
        [import_id],
        |r| r.get(0),
    )?;
    let changes: Vec<(String, Option<String>, Option<String>)> = tx
        .conn()
        .prepare(
            "SELECT lead_id, previous, written FROM import_changes WHERE import_id = ?1 AND action = 'updated'
             AND lead_id NOT IN (SELECT id FROM leads WHERE import_id = ?1)",
        )?
        .query_map([import_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let (mut restored, mut kept) = (0, kept_created as u64);
    for (lead, previous, written) in changes {
        let Some(now) = tx.get("leads", &lead)?.filter(|r| r["deleted_at"].is_null()) else { continue };
        let Some(Value::Object(previous)) = previous.and_then(|p| serde_json::from_str(&p).ok()) else { continue };
        // Imports recorded before `written` existed: every field goes back, as it did then.
        let written = written.and_then(|w| serde_json::from_str::<Map<String, Value>>(&w).ok());
        let mut back = Map::new();
        let mut changed_since = false;
        for (field, before) in previous {
            let Some(w) = &written else {
                back.insert(field, before);
                continue;
            };
            let (wrote, now) = (w.get(&field).unwrap_or(&Value::Null), now.get(&field).unwrap_or(&Value::Null));
            if now == wrote {
                back.insert(field, before);
                continue;
            }
            // Changed since the import: a merged value gives back only the import's own part.
            changed_since = true;
            if let Some(v) = take_back_part(&field, &before, wrote, now) {
                back.insert(field, v);
            }
        }
        if changed_since {
            kept += 1;
        }
        if !back.is_empty() {
            tx.update("leads", &lead, back)?;
            restored += 1;
        }
    }
    tx.update("imports", import_id, obj(json!({"status": "reverted"})))?;
    // A lead an earlier import made, which that import's undo kept only because this import had
    // updated it since: with this one taken back too, nothing holds it any more.
    let orphans: Vec<String> = tx
        .conn()
        .prepare(&format!(
            "SELECT id FROM leads WHERE deleted_at IS NULL
             AND id IN (SELECT lead_id FROM import_changes WHERE import_id = ?1 AND action = 'updated')
             AND import_id IN (SELECT id FROM imports WHERE status = 'reverted') AND NOT ({WORKED_ON_SINCE})"
        ))?
        .query_map([import_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in &orphans {
        tx.delete("leads", id)?;
    }
    Ok(Undone { removed: removed + orphans.len() as u64, restored, kept })
}

/// What is left of `now` once the part an update import merged in (`wrote`, from `before`) is taken
/// out, where the field was changed again since: the keys of an object the import set that still
/// hold its values go back to theirs (or away), tags it added go, a paragraph of notes it appended
/// goes. None: nothing of the import's is left, or the field is not a merged one (a plain value
/// changed since stays as it is).
fn take_back_part(field: &str, before: &Value, wrote: &Value, now: &Value) -> Option<Value> {
    let back = match (wrote, now) {
        (Value::Object(wrote), Value::Object(now)) => {
            let before = before.as_object();
            let mut back = now.clone();
            for (key, value) in wrote {
                let had = before.and_then(|b| b.get(key));
                if had != Some(value) && now.get(key) == Some(value) {
                    match had {
                        Some(v) => back.insert(key.clone(), v.clone()),
                        None => back.remove(key),
                    };
                }
            }
            Value::Object(back)
        }
        (Value::Array(wrote), Value::Array(now)) => {
            let before = before.as_array().map(Vec::as_slice).unwrap_or_default();
            let added: Vec<&Value> = wrote.iter().filter(|t| !before.contains(t)).collect();
            Value::Array(now.iter().filter(|t| !added.contains(t)).cloned().collect())
        }
        // Only notes are appended to (`onto_lead`); another text changed since is the rep's.
        (Value::String(wrote), Value::String(now)) if field == "notes" => {
            let appended = before.as_str().and_then(|b| wrote.strip_prefix(b)).filter(|a| a.starts_with("\n\n"))?;
            Value::String(now.replacen(appended, "", 1))
        }
        _ => return None,
    };
    (back != *now).then_some(back)
}

#[cfg(test)]
mod tests {
    /// The worked-on check runs once per lead an undo takes back (a million for a big import): each
    /// of its lookups must be an index search, never a scan.
    #[test]
    fn the_worked_on_check_searches_by_lead() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store = outpost_core::Store::open(dir.path().join("t.db")).unwrap_or_else(|e| panic!("{e}"));
        let sql = format!(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM leads WHERE import_id = 'x' AND ({})",
            super::WORKED_ON_SINCE
        );
        let mut stmt = store.conn().prepare(&sql).unwrap_or_else(|e| panic!("{e}"));
        let plan: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap_or_else(|e| panic!("{e}"))
            .map(|r| r.unwrap_or_default())
            .collect();
        assert!(plan.iter().all(|step| !step.starts_with("SCAN")), "{plan:#?}");
    }
}
