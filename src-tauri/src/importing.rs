//! The import wizard's commands: read a dropped file's shape, dry-run, import with progress and
//! Cancel, save the rows left out, undo, history. Imports run on their own SQLite connection on a
//! blocking thread, so the lead list keeps answering while a million rows load.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use outpost_import::mapping::Target;
use outpost_import::{DateOrder, ImportOptions, OnDuplicate, ReadOptions, Report};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, State};

use crate::commands::{Db, SavedFile};
use crate::error::{CmdResult, CommandError};
use crate::file_grants::FileGrants;
use crate::saving::{choose_csv_destination, write_whole};

/// Problems sent to the wizard (as many as an import keeps); the full list goes to the errors CSV.
const PROBLEMS_SHOWN: usize = outpost_import::details::PROBLEMS_KEPT;
const PREVIEW_ROWS: usize = 10;

/// The running import's Cancel flag (one import at a time: each is one write transaction) and the
/// last report (for "download the rows left out").
#[derive(Default)]
pub struct Imports {
    running: AtomicBool,
    /// The running one only checks the file (a dry run): it writes nothing to lose.
    checking: AtomicBool,
    /// Undos under way (each is one transaction, possibly waiting for another writer).
    undoing: std::sync::atomic::AtomicUsize,
    cancel: AtomicBool,
    last: Mutex<Option<Report>>,
}

impl Imports {
    /// Whether an import that would write is running now (not a dry run).
    pub(crate) fn importing(&self) -> bool {
        self.running.load(Ordering::SeqCst) && !self.checking.load(Ordering::SeqCst)
    }

    /// Whether an undo is under way.
    pub(crate) fn undoing(&self) -> bool {
        self.undoing.load(Ordering::SeqCst) > 0
    }
}

/// Marks an import as running until dropped, whatever way the import ends.
struct Running<'a>(&'a AtomicBool);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct FileShape {
    pub path: String,
    /// An encoding label (e.g. "windows-1252"); None = detect.
    pub encoding: Option<String>,
    /// One character or "tab"; None = detect.
    pub delimiter: Option<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ColumnChoice {
    pub header: String,
    /// A field name, "custom" (kept under its header) or "ignore".
    pub target: String,
    /// 1 exact synonym … 0 unknown.
    pub confidence: f64,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ImportPreview {
    pub file: String,
    pub file_name: String,
    #[specta(type = f64)]
    pub size: u64,
    pub encoding: String,
    pub delimiter: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub mapping: Vec<ColumnChoice>,
    pub fields: Vec<String>,
    /// Lines above the column names (a title, notes), skipped.
    #[specta(type = f64)]
    pub lines_above_header: u64,
    /// No header row: the first row is a lead, the columns are "Column 1" ….
    pub no_header_row: bool,
    /// "dmy" when the file's dates say day/month/year (a 25/12/2023), "mdy" when they say
    /// month/day/year, null when every date reads either way.
    pub date_order: Option<String>,
    /// Numeric dates that read either way (03/04/2026) with nothing in the file to tell which.
    pub dates_unclear: bool,
}

#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct MappingOverride {
    pub header: String,
    pub target: String,
}

#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Duplicates {
    Skip,
    Update,
    Create,
}

#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct ImportRequest {
    pub shape: FileShape,
    pub mapping: Vec<MappingOverride>,
    pub duplicates: Duplicates,
    /// "mdy", "dmy" or "ymd"; anything else: as the file's dates say.
    pub date_order: String,
    /// Default region for phone numbers without a country code (e.g. "US").
    pub region: String,
    pub list_name: Option<String>,
    pub dry_run: bool,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Problem {
    #[specta(type = f64)]
    pub row: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
    /// A value the lead could not take, kept as text in its custom fields: the lead was imported.
    pub kept: bool,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ImportSummary {
    pub import_id: Option<String>,
    pub file_name: String,
    pub dry_run: bool,
    #[specta(type = f64)]
    pub rows: u64,
    #[specta(type = f64)]
    pub created: u64,
    #[specta(type = f64)]
    pub updated: u64,
    /// Rows whose lead an earlier row of the file made or updated (their values went onto it).
    #[specta(type = f64)]
    pub merged: u64,
    #[specta(type = f64)]
    pub skipped: u64,
    /// Of the skipped, duplicates the file would not have changed.
    #[specta(type = f64)]
    pub unchanged: u64,
    #[specta(type = f64)]
    pub failed: u64,
    /// An earlier import of the same file (its id), still in place: importing it again may
    /// duplicate leads that have no email.
    pub same_file_as: Option<String>,
    /// Rows of nothing but delimiters, skipped as blank lines (not in `rows`).
    #[specta(type = f64)]
    pub empty_rows: u64,
    /// The first problems; `problems_total` says how many there are.
    pub problems: Vec<Problem>,
    #[specta(type = f64)]
    pub problems_total: u64,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ImportDetails {
    pub summary: ImportSummary,
    /// The file's path when it was imported.
    pub file: String,
    pub encoding: String,
    /// One character or "tab".
    pub delimiter: String,
    /// How numeric dates were read: "mdy", "dmy" or "ymd".
    pub date_order: String,
    /// Numeric dates read month/day/year that could have been either.
    pub dates_unclear: bool,
    #[specta(type = f64)]
    pub lines_above_header: u64,
    #[specta(type = f64)]
    pub footer_rows: u64,
    pub no_header_row: bool,
    pub mapping: Vec<ColumnChoice>,
    /// Rows left out kept to be saved again (the first ten thousand; `summary.failed` says how many
    /// there were).
    #[specta(type = f64)]
    pub rows_kept: u64,
    /// "skip", "update" or "create": what was done with duplicates (none for an older report).
    pub duplicates: Option<String>,
    /// The region phones without a country code were read in (e.g. "GB").
    pub region: Option<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ImportProgress {
    #[specta(type = f64)]
    pub rows: u64,
    pub percent: f64,
    /// What the import is doing now, in words ("reading rows", "indexing for search", …).
    pub stage: String,
    pub dry_run: bool,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ImportRecord {
    pub id: String,
    pub file_name: String,
    pub status: String,
    pub rows: f64,
    pub created: f64,
    pub updated: f64,
    /// Rows merged into a lead an earlier row of the file made or updated.
    pub merged: f64,
    pub skipped: f64,
    pub errors: f64,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct UndoSummary {
    #[specta(type = f64)]
    pub removed: u64,
    #[specta(type = f64)]
    pub restored: u64,
    /// Leads changed since the import that keep those changes (created ones worked on since stay;
    /// updated ones keep the fields changed again).
    #[specta(type = f64)]
    pub kept: u64,
    /// Leads the import opted out that stay opted out (an opt-out is never cleared).
    #[specta(type = f64)]
    pub opt_outs_kept: u64,
}

/// The importer's errors as the wizard says them: the CLI's wording names its flags.
fn import_error(e: outpost_import::Error) -> CommandError {
    match e {
        outpost_import::Error::Store(e) => e.into(),
        outpost_import::Error::Cancelled => CommandError::new("cancelled", e.to_string()),
        // ("invalid", not "import": the file is fine, an option is not.)
        outpost_import::Error::UnknownRegion { region } => CommandError::new(
            "invalid",
            format!(
                "'{region}' is not a country's code: set the phone region in Options to the country of the numbers \
                 written without a +country code (US, GB, DE …)"
            ),
        ),
        outpost_import::Error::NoHeader { file, first_row } => CommandError::new(
            "import",
            format!(
                "{file}: the first row does not look like a header: none of its columns is a name, email, company \
                 or phone ({first_row}). Choose in Columns which column is which, or add a header row to the file"
            ),
        ),
        e => CommandError::new("import", e.to_string()),
    }
}

fn read_options(shape: &FileShape) -> CmdResult<ReadOptions> {
    let encoding = match shape.encoding.as_deref().filter(|e| !e.is_empty()) {
        None => None,
        Some(label) => Some(
            encoding_rs::Encoding::for_label(label.as_bytes())
                .ok_or_else(|| CommandError::new("invalid", format!("unknown encoding '{label}'")))?,
        ),
    };
    let delimiter = match shape.delimiter.as_deref().filter(|d| !d.is_empty()) {
        None => None,
        Some("tab" | "\\t" | "\t") => Some(b'\t'),
        Some(d) if d.len() == 1 => Some(d.as_bytes()[0]),
        Some(d) => {
            return Err(CommandError::new("invalid", format!("a delimiter is one character or 'tab', not '{d}'")))
        }
    };
    Ok(ReadOptions { encoding, delimiter, skip_records: None, shown_as: None })
}

fn file_name(path: &str) -> String {
    Path::new(path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.to_string())
}

/// Off the async runtime: a preview reads up to 256 KiB, an import reads the whole file.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> CmdResult<T> + Send + 'static) -> CmdResult<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| CommandError::new("internal", format!("the import stopped unexpectedly: {e}")))?
}

/// The file picker (the other way in besides dropping files on the window).
#[tauri::command]
#[specta::specta]
pub async fn pick_import_files(app: AppHandle, grants: State<'_, FileGrants>) -> CmdResult<Vec<String>> {
    use tauri_plugin_dialog::DialogExt;
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().set_title("Import leads").add_filter("CSV files", &["csv", "tsv", "txt"]).pick_files(
        move |paths| {
            let _ = tx.send(paths);
        },
    );
    let paths = rx.await.map_err(|_| CommandError::new("internal", "the file picker closed unexpectedly"))?;
    let picked: Vec<PathBuf> = paths.unwrap_or_default().into_iter().filter_map(|p| p.into_path().ok()).collect();
    grants.grant(&picked);
    Ok(picked.iter().map(|p| p.display().to_string()).collect())
}

#[tauri::command]
#[specta::specta]
pub async fn import_preview(grants: State<'_, FileGrants>, shape: FileShape) -> CmdResult<ImportPreview> {
    let path = grants.check(&shape.path)?;
    let read = read_options(&shape)?;
    blocking(move || {
        let p = outpost_import::preview(&path, &read, PREVIEW_ROWS).map_err(import_error)?;
        Ok(ImportPreview {
            file_name: file_name(&p.file),
            file: p.file,
            size: p.size,
            encoding: p.encoding,
            delimiter: p.delimiter,
            headers: p.headers,
            rows: p.rows,
            lines_above_header: p.lines_above_header,
            no_header_row: p.no_header_row,
            date_order: p.date_order.map(order_name),
            dates_unclear: p.dates_unclear,
            mapping: p.mapping.iter().map(column_choice).collect(),
            fields: p.fields,
        })
    })
    .await
}

/// A date order as the page names it.
fn order_name(order: DateOrder) -> String {
    match order {
        DateOrder::Dmy => "dmy".into(),
        DateOrder::Ymd => "ymd".into(),
        DateOrder::Mdy | DateOrder::Auto => "mdy".into(),
    }
}

fn column_choice(m: &outpost_import::mapping::ColumnMapping) -> ColumnChoice {
    ColumnChoice {
        header: m.header.clone(),
        target: match &m.target {
            Target::Field(f) => f.clone(),
            Target::Custom => "custom".into(),
            Target::Ignore => "ignore".into(),
        },
        confidence: f64::from(m.confidence),
    }
}

/// A dry run or the import itself. Progress arrives as `import-progress` events; `cancel_import`
/// stops it and nothing is kept.
#[tauri::command]
#[specta::specta]
pub async fn run_import(
    app: AppHandle,
    db: State<'_, Db>,
    imports: State<'_, Imports>,
    grants: State<'_, FileGrants>,
    request: ImportRequest,
) -> CmdResult<ImportSummary> {
    let path = grants.check(&request.shape.path)?;
    let opts = ImportOptions {
        read: read_options(&request.shape)?,
        overrides: request.mapping.iter().map(|m| (m.header.clone(), m.target.clone())).collect(),
        on_duplicate: match request.duplicates {
            Duplicates::Skip => OnDuplicate::Skip,
            Duplicates::Update => OnDuplicate::Update,
            Duplicates::Create => OnDuplicate::Create,
        },
        region: if request.region.trim().is_empty() { "US".into() } else { request.region.trim().to_uppercase() },
        date_order: match request.date_order.as_str() {
            "mdy" => DateOrder::Mdy,
            "dmy" => DateOrder::Dmy,
            "ymd" => DateOrder::Ymd,
            _ => DateOrder::Auto,
        },
        dry_run: request.dry_run,
        list_name: request.list_name.filter(|l| !l.trim().is_empty()),
        ..ImportOptions::default()
    };
    let db_path = db.path().to_path_buf();
    if imports.running.swap(true, Ordering::SeqCst) {
        return Err(CommandError::new("import_running", "another import is running; wait for it or cancel it first"));
    }
    let _running = Running(&imports.running);
    imports.checking.store(request.dry_run, Ordering::SeqCst);
    imports.cancel.store(false, Ordering::SeqCst);
    let cancel = app.clone();
    let dry_run = request.dry_run;
    let waiting = app.clone();
    let report = blocking(move || {
        let mut store = outpost_core::Store::connect(&db_path)?;
        // A first sync's indexing (or a CLI import) may hold the database for a while: the import
        // starts after it, and Cancel works meanwhile.
        store.wait_for_writers(crate::WRITE_PATIENCE, move |asked| {
            if asked == 0 {
                let stage = "waiting for a sync or another import to finish writing".into();
                let _ = waiting.emit("import-progress", ImportProgress { rows: 0, percent: 0.0, stage, dry_run });
            }
            !waiting.state::<Imports>().cancel.load(Ordering::SeqCst)
        })?;
        let mut on_progress = |p: outpost_import::Progress| {
            let _ = app.emit(
                "import-progress",
                ImportProgress { rows: p.rows, percent: p.percent(), stage: p.stage.label().into(), dry_run },
            );
            !cancel.state::<Imports>().cancel.load(Ordering::SeqCst)
        };
        outpost_import::import(&mut store, &path, &opts, &mut on_progress).map_err(import_error)
    })
    .await?;
    let summary = summary_of(&report, report.problems.len() as u64);
    if let Ok(mut last) = imports.last.lock() {
        *last = Some(report);
    }
    Ok(summary)
}

/// What the wizard shows of a report (and Import history of a kept one).
fn summary_of(report: &Report, problems_total: u64) -> ImportSummary {
    ImportSummary {
        import_id: report.import_id.clone(),
        file_name: file_name(&report.file),
        dry_run: report.dry_run,
        rows: report.rows,
        created: report.created,
        updated: report.updated,
        merged: report.merged,
        skipped: report.skipped,
        unchanged: report.unchanged,
        failed: report.failed,
        same_file_as: report.same_file_as.clone(),
        empty_rows: report.empty_rows,
        problems: outpost_import::details::listed_problems(report, PROBLEMS_SHOWN)
            .into_iter()
            .map(|p| Problem { row: p.row, column: p.column, value: p.value, reason: p.reason, kept: p.kept })
            .collect(),
        problems_total,
    }
}

#[tauri::command]
#[specta::specta]
pub async fn cancel_import(imports: State<'_, Imports>) -> CmdResult<()> {
    imports.cancel.store(true, Ordering::SeqCst);
    Ok(())
}

/// The rows an import left out, with their reasons, as a CSV where the rep chooses (`None`: they
/// cancelled): they fix them and import that file again. `import_id` names a past import (its
/// kept report); without it, the last dry run or import run here.
#[tauri::command]
#[specta::specta]
pub async fn save_import_errors(
    app: AppHandle,
    db: State<'_, Db>,
    imports: State<'_, Imports>,
    import_id: Option<String>,
) -> CmdResult<Option<SavedFile>> {
    // The report the rep asked for: another import may finish while the dialog is open.
    let report = match import_id {
        Some(id) => kept_details(&db, id)?.report,
        None => {
            let last =
                imports.last.lock().map_err(|_| CommandError::new("internal", "the last import is unavailable"))?;
            last.clone().ok_or_else(|| CommandError::new("not_found", "no import has run yet"))?
        }
    };
    let stem = Path::new(&report.file).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let Some(path) = choose_csv_destination(&app, "Save the rows left out", &format!("{stem}-rows-left-out")).await?
    else {
        return Ok(None);
    };
    write_whole(&path, db.path(), |w| {
        report.write_failed_rows(w).map_err(|e| CommandError::new("io", format!("{}: {e}", path.display())))
    })?;
    Ok(Some(SavedFile { path: path.display().to_string(), rows: report.failed_rows.len() as f64 }))
}

#[tauri::command]
#[specta::specta]
pub async fn import_history(db: State<'_, Db>) -> CmdResult<Vec<ImportRecord>> {
    let db_path = db.path().to_path_buf();
    let records = blocking(move || {
        let store = outpost_core::Store::connect(&db_path)?;
        outpost_import::history(&store).map_err(import_error)
    })
    .await?;
    Ok(records
        .into_iter()
        .map(|r| ImportRecord {
            id: r.id,
            file_name: r.file_name,
            status: r.status,
            rows: r.rows as f64,
            created: r.created as f64,
            updated: r.updated as f64,
            merged: r.merged as f64,
            skipped: r.skipped as f64,
            errors: r.errors as f64,
            created_at: r.created_at,
        })
        .collect())
}

/// An import that did not finish (the app or the laptop stopped midway): nothing of it was kept.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct InterruptedImport {
    pub id: String,
    pub file: String,
    pub started_at: String,
}

/// Imports into this database that did not finish, oldest first (see outpost_import::under_way).
#[tauri::command]
#[specta::specta]
pub async fn interrupted_imports(db: State<'_, Db>) -> CmdResult<Vec<InterruptedImport>> {
    let found = outpost_import::under_way::interrupted(db.path());
    Ok(found.into_iter().map(|i| InterruptedImport { id: i.id, file: i.file, started_at: i.started_at }).collect())
}

/// The rep has read it.
#[tauri::command]
#[specta::specta]
pub async fn dismiss_interrupted_import(db: State<'_, Db>, id: String) -> CmdResult<()> {
    outpost_import::under_way::dismiss(db.path(), &id).map_err(|e| CommandError::new("io", e.to_string()))
}

/// What a past import found, as its wizard showed it, with how it read the file: kept on the
/// laptop that ran it (an import synced from a teammate's has none: `not_found`).
#[tauri::command]
#[specta::specta]
pub async fn import_details(db: State<'_, Db>, id: String) -> CmdResult<ImportDetails> {
    let details = kept_details(&db, id)?;
    let r = &details.report;
    Ok(ImportDetails {
        summary: summary_of(r, details.problems_total),
        file: r.file.clone(),
        encoding: r.encoding.clone(),
        delimiter: match r.delimiter.as_str() {
            "\t" => "tab".into(),
            d => d.into(),
        },
        date_order: order_name(r.date_order),
        dates_unclear: r.dates_unclear,
        lines_above_header: r.lines_above_header,
        footer_rows: r.footer_rows,
        no_header_row: r.no_header_row,
        mapping: r.mapping.iter().map(column_choice).collect(),
        rows_kept: r.failed_rows.len() as u64,
        duplicates: r.on_duplicate.map(|d| {
            match d {
                OnDuplicate::Skip => "skip",
                OnDuplicate::Update => "update",
                OnDuplicate::Create => "create",
            }
            .into()
        }),
        region: r.region.clone(),
    })
}

fn kept_details(db: &Db, id: String) -> CmdResult<outpost_import::details::Details> {
    let found = db.reading(move |s| outpost_import::details::details(s, &id))?;
    found.ok_or_else(|| {
        CommandError::new("not_found", "this import's details are kept on the computer that ran it, not on this one")
    })
}

/// Of the leads an import created, how many are still here and how many of those someone worked
/// on since (an undo keeps them); and the leads of an import undone earlier that only this one's
/// changes kept (they go with it). For the question before an undo.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct UndoPreview {
    pub still_here: f64,
    pub worked_on: f64,
    pub orphans: f64,
}

#[tauri::command]
#[specta::specta]
pub async fn import_worked_on(db: State<'_, Db>, id: String) -> CmdResult<UndoPreview> {
    db.reading(|s| {
        Ok(UndoPreview {
            still_here: outpost_import::created_still_here(s, &id)? as f64,
            worked_on: outpost_import::worked_on_since(s, &id)? as f64,
            orphans: outpost_import::orphaned_by_undo(s, &id)? as f64,
        })
    })
}

/// On its own connection too: undoing a million-row import takes a minute.
#[tauri::command]
#[specta::specta]
pub async fn undo_import(db: State<'_, Db>, imports: State<'_, Imports>, id: String) -> CmdResult<UndoSummary> {
    let db_path = db.path().to_path_buf();
    let _undoing = crate::commands::UnderWay::start(&imports.undoing);
    let u = blocking(move || {
        let mut store = outpost_core::Store::connect(&db_path)?;
        store.wait_for_writers(crate::WRITE_PATIENCE, |_| true)?;
        outpost_import::undo(&mut store, &id).map_err(import_error)
    })
    .await?;
    Ok(UndoSummary { removed: u.removed, restored: u.restored, kept: u.kept, opt_outs_kept: u.opt_outs_kept })
}

/// What earlier imports leave for the next: the columns the rep mapped by hand (header, trimmed and
/// in lower case → a field, "custom" or "ignore") and the phone region last used.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Remembered {
    pub columns: outpost_import::memory::Choices,
    pub region: Option<String>,
}

/// The wizard starts a file with the same headers from the columns remembered, and every file
/// with the region last used.
#[tauri::command]
#[specta::specta]
pub async fn remembered_columns(db: State<'_, Db>) -> CmdResult<Remembered> {
    db.reading(|s| {
        Ok(Remembered {
            columns: outpost_import::memory::remembered(s)?,
            region: outpost_import::memory::remembered_region(s)?,
        })
    })
}

/// Keeps an import's hand-made column choices for the next file (after the import went through).
#[tauri::command]
#[specta::specta]
pub async fn remember_columns(db: State<'_, Db>, choices: outpost_import::memory::Choices) -> CmdResult<()> {
    db.with(|s| outpost_import::memory::remember(s, &choices))
}
