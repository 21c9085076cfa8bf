//! One import = one `imports` record and one transaction: every accepted row lands, or none does.
//! Rows with problems are reported (row, column, value, reason) and left out whole — except an
//! optional value that can't be used (a phone, a date, an opt-out, a status …), which is kept as
//! text in custom_fields and reported as kept while its row imports; `undo` takes an import back.
//! All writes go through the store, so sync sees them.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use outpost_core::{Row, Store, Tx};
use rusqlite::OptionalExtension;
use serde::Serialize;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::load::{drop_kept_of_refused, load, refused, Loaded};
use crate::mapping::{map_file, ColumnMapping, Target, FIELDS, MANY_COLUMNS};
use crate::normalize::{self, DateOrder};
use crate::prepare::produce;
use crate::reader::{CsvFile, ReadOptions};
use crate::report::{Progress, Report, Stage};

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
            date_order: DateOrder::Auto,
            dry_run: false,
            list_name: None,
            bulk_bytes: BULK_BYTES,
        }
    }
}

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
    let region = normalize::region(&opts.region).map_err(|_| Error::UnknownRegion { region: opts.region.clone() })?;
    // As its two-letter code from here on ("Germany" → "DE"): read once, not per phone.
    let opts = &ImportOptions { region: region.as_ref().to_string(), ..opts.clone() };
    store.end_bulk_load().map_err(store_error)?;
    let csv = CsvFile::open(path, &opts.read)?;
    let csv_size = csv.size;
    let file = csv.file.clone();
    let mapping = apply_overrides(&file, name_repeats(map_file(&csv)), &opts.overrides)?;
    check_mapping(&file, &csv.headers, &mapping)?;
    let (date_order, dates_unclear) = match opts.date_order {
        DateOrder::Auto => {
            let guess = date_order_of(path, &opts.read, &mapping);
            (guess.order.unwrap_or(DateOrder::Mdy), guess.unclear)
        }
        order => (order, false),
    };
    let opts = &ImportOptions { date_order, ..opts.clone() };
    let sha = sha256(path).map_err(|source| Error::Io { file: file.clone(), source })?;
    // Said at the next start should this process die before the import ends (see under_way).
    let _under_way = if opts.dry_run { None } else { crate::under_way::start(store.path(), path) };
    // A file-level error found mid-way must roll the transaction back, so it leaves the closure as
    // a store error (which aborts the transaction) and is handed back from here.
    let mut failure: Option<Error> = None;
    let run = |tx: &mut Tx<'_>| match tx.as_import(|tx| run(tx, csv, mapping.clone(), opts, &sha, progress))? {
        Ok(mut report) => {
            // The rows left out and the report kept with the import, in its transaction: a report
            // is there for every import that is.
            add_refused_rows(path, opts, &mut report);
            report.dates_unclear = dates_unclear;
            if !opts.dry_run {
                crate::details::keep(tx, &mut report)?;
                crate::memory::remember_region(tx, &opts.region)?;
            }
            Ok(report)
        }
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
            report.dry_run = opts.dry_run;
            if opts.dry_run {
                report.import_id = None;
            }
            Ok(report)
        }
    }
}

/// Fields whose values are dates, read in the import's date order.
const DATE_FIELDS: [&str; 6] =
    ["created_at", "connected_on", "next_follow_up_at", "last_contacted_at", "last_reply_at", "email_opt_out"];

/// The date order the first few thousand rows' dates say (see `normalize::guess_date_order`);
/// nothing when the file cannot be read again (the import then says why).
pub(crate) fn date_order_of(path: &Path, read: &ReadOptions, mapping: &[ColumnMapping]) -> normalize::DateGuess {
    let columns: Vec<usize> = mapping
        .iter()
        .filter(|m| matches!(&m.target, Target::Field(f) if DATE_FIELDS.contains(&f.as_str())))
        .map(|m| m.column)
        .collect();
    date_order_in(path, read, &columns)
}

/// The date order the values of `columns` say (see `date_order_of`).
pub(crate) fn date_order_in(path: &Path, read: &ReadOptions, columns: &[usize]) -> normalize::DateGuess {
    // (No date column, nothing to read: a file is not opened again for it.)
    if columns.is_empty() {
        return normalize::DateGuess::default();
    }
    let Ok(csv) = CsvFile::open(path, read) else { return normalize::DateGuess::default() };
    let semicolons = csv.dialect.delimiter == b';';
    let records: Vec<crate::reader::Record> = csv.take(5_000).map_while(|r| r.ok()).collect();
    let values = records.iter().flat_map(|r| columns.iter().filter_map(|&c| r.cells.get(c)));
    normalize::guess_date_order(values, semicolons)
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

/// A header the file repeats (a report's "Phone" of the account and of the contact) is named
/// "Phone (2)" from its second column on: a value kept as a custom field, or a problem reported,
/// says which column it came from, and two columns kept as custom fields never overwrite one
/// another (a name the file has already is passed over). Named before overrides: `--map Email=…`
/// is the first such column, `--map "Email (2)=…"` the second.
fn name_repeats(mut mapping: Vec<ColumnMapping>) -> Vec<ColumnMapping> {
    let key = |h: &str| h.trim().to_lowercase();
    let mut taken: std::collections::HashSet<String> = mapping.iter().map(|m| key(&m.header)).collect();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for m in mapping.iter_mut().filter(|m| !m.header.trim().is_empty()) {
        if seen.insert(key(&m.header)) {
            continue;
        }
        let base = m.header.trim().to_string();
        let name = (2..).map(|n| format!("{base} ({n})")).find(|name| !taken.contains(&key(name))).unwrap_or(base);
        taken.insert(key(&name));
        seen.insert(key(&name));
        m.header = name;
    }
    mapping
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
    // A field the rep pointed a column at is that column's: a column the guess gave it is kept as a
    // custom field (an email column as a second address) instead of competing with it row by row.
    let overridden: Vec<bool> =
        mapping.iter().map(|m| overrides.iter().any(|(c, _)| m.header.trim().eq_ignore_ascii_case(c.trim()))).collect();
    let chosen: Vec<Target> =
        mapping.iter().zip(&overridden).filter(|(_, o)| **o).map(|(m, _)| m.target.clone()).collect();
    for (m, overridden) in mapping.iter_mut().zip(overridden) {
        if !overridden
            && matches!(&m.target, Target::Field(f) if !MANY_COLUMNS.contains(&f.as_str()))
            && chosen.contains(&m.target)
        {
            m.target = match &m.target {
                Target::Field(f) if f == "email" => Target::Field("email_secondary".into()),
                _ => Target::Custom,
            };
        }
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
    // "Q1 leads " is the list "Q1 leads"; a blank name is no list.
    let list_id = match opts.list_name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
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
        merged: 0,
        skipped: 0,
        unchanged: 0,
        kept_values: 0,
        footer_rows: 0,
        empty_rows: 0,
        lines_above_header: csv.dialect.lines_above_header(),
        no_header_row: csv.first_row.is_some(),
        date_order: opts.date_order,
        dates_unclear: false,
        failed: 0,
        problems: Vec::new(),
        same_file_as,
        headers: csv.headers.clone(),
        failed_rows: Vec::new(),
        dry_run: false,
        on_duplicate: Some(opts.on_duplicate),
        region: Some(opts.region.clone()),
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
    crate::updates::start(tx)?;
    let owners = crate::load::owners(tx)?;
    let mut batch = tx.batch("leads", shared)?;
    // Problems name the file's own column, as the rep knows it.
    let email_column = mapping
        .iter()
        .find(|m| m.target == Target::Field("email".into()))
        .map_or_else(|| "email".to_string(), |m| m.header.clone());
    let mut loaded = Loaded { email_column, list: list_id.clone(), owners, ..Default::default() };
    // Reading, decoding and normalising rows runs beside the writes, on the other core.
    let outcome = std::thread::scope(|s| {
        let (send, receive) = std::sync::mpsc::sync_channel(4);
        s.spawn(|| produce(csv, &mapping, opts, send));
        for chunk in receive {
            report.footer_rows = chunk.footer_rows;
            report.empty_rows = chunk.empty_rows;
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
    crate::updates::apply(tx, &import_id, &mut report)?;
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

pub(crate) fn obj(v: Value) -> Row {
    match v {
        Value::Object(m) => m,
        _ => Row::new(),
    }
}

fn find_or_create_list(tx: &mut Tx<'_>, name: &str) -> outpost_core::Result<String> {
    match outpost_core::lists::live_list_named(tx, name)? {
        Some(id) => Ok(id),
        None => tx.insert("lead_lists", obj(json!({"name": name, "source": "csv_import"}))),
    }
}
