//! The commands the UI calls. Each one validates its input, calls the library, maps the error —
//! no SQL and no business rules here.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use outpost_core::pipeline::{StatusCount, TimelineEntry};
use outpost_core::reader::Reader;
use outpost_core::{Activity, ActivityType, Identity, Lead, LeadQuery, Store, SummaryPage};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tauri::State;

use crate::error::{CmdResult, CommandError};
use crate::pool::{Latest, Pool, COUNTS, READS};
use crate::saving::{choose_csv_destination, write_whole};

/// The local database: one connection for the commands that write (SQLite serialises writers
/// anyway), a few for those that only read, so a write waiting out an import's or a first sync's
/// long transaction (`Store::wait_for_writers`) never holds up the lead list, and a slow read
/// (the dashboard's figures at a million leads) never holds up opening a lead; plus read-only
/// connections for counts, which can take seconds at a million leads on a cold cache.
pub struct Db {
    store: Mutex<Store>,
    reads: Pool<Store>,
    counts: Pool<Reader>,
    /// For drafts kept as the rep types: a write that waits at most a moment (an import holding
    /// the database makes it fail as busy, and the UI tries again later) and is not "a change
    /// being saved" to ask about at close.
    drafts: Mutex<Store>,
    path: PathBuf,
    /// Write commands under way (one at work, the rest queued): closing the window asks first.
    writing: AtomicUsize,
    /// The lead list's page and count for the query last typed (see `Latest`).
    latest_page: Latest,
    latest_count: Latest,
}

/// Counts a piece of work under way (a write command, an undo) from its start to its end, whatever
/// way it ends: closing the window asks while any is counted.
pub(crate) struct UnderWay<'a>(&'a AtomicUsize);

impl UnderWay<'_> {
    pub(crate) fn start(count: &AtomicUsize) -> UnderWay<'_> {
        count.fetch_add(1, Ordering::SeqCst);
        UnderWay(count)
    }
}

impl Drop for UnderWay<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Db {
    pub fn new(store: Store) -> outpost_core::Result<Db> {
        let counts = Pool::of(COUNTS, || store.reader())?;
        let path = store.path().to_path_buf();
        let reads = Pool::of(READS, || {
            let reads = Store::connect(&path)?;
            // Only reads belong here: a write on this connection would not wait its turn as the
            // write connection does.
            reads.conn().execute_batch("PRAGMA query_only = ON;")?;
            Ok(reads)
        })?;
        let mut drafts = Store::connect(&path)?;
        drafts.wait_for_writers(DRAFT_PATIENCE, |_| true)?;
        let drafts = Mutex::new(drafts);
        Ok(Db {
            store: Mutex::new(store),
            reads,
            counts,
            drafts,
            path,
            writing: AtomicUsize::new(0),
            latest_page: Latest::default(),
            latest_count: Latest::default(),
        })
    }

    /// For work that opens its own connection (imports, the sync engine).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// For commands that write. A write may wait minutes for an import to commit: the worker
    /// thread says so, so the runtime's other tasks (every other command) move to another thread.
    pub(crate) fn with<T>(&self, f: impl FnOnce(&mut Store) -> outpost_core::Result<T>) -> CmdResult<T> {
        let _writing = UnderWay::start(&self.writing);
        tokio::task::block_in_place(|| {
            let mut store = self.store.lock().map_err(|_| CommandError::unavailable())?;
            Ok(f(&mut store)?)
        })
    }

    /// Whether a write command is under way (saving, or waiting for an import to let it).
    pub(crate) fn writing(&self) -> bool {
        self.writing.load(Ordering::SeqCst) > 0
    }

    /// For keeping drafts (see `drafts`).
    /// `patient`: as a write command instead (waits its turn, counted at close) — the window is
    /// closing and this text must land.
    pub(crate) fn drafting<T>(
        &self,
        patient: bool,
        f: impl FnOnce(&mut Store) -> outpost_core::Result<T>,
    ) -> CmdResult<T> {
        if patient {
            return self.with(f);
        }
        // (Waiting a moment for the lock must not hold a runtime thread the other commands need.)
        tokio::task::block_in_place(|| {
            let mut store = self.drafts.lock().map_err(|_| CommandError::unavailable())?;
            Ok(f(&mut store)?)
        })
    }

    /// For commands that only read.
    pub(crate) fn reading<T>(&self, f: impl FnOnce(&Store) -> outpost_core::Result<T>) -> CmdResult<T> {
        self.reads.run(|store| f(store))
    }

    pub(crate) fn counting<T>(&self, f: impl FnOnce(&Reader) -> outpost_core::Result<T>) -> CmdResult<T> {
        self.counts.run(|reader| f(reader))
    }

    /// `reading`, for the lead list's new query: it takes the place of the one before, which
    /// stops where it is (see `Latest`).
    fn reading_latest<T>(&self, f: impl FnOnce(&Store) -> outpost_core::Result<T>) -> CmdResult<T> {
        self.reads.run_latest(&self.latest_page, |s: &Store| s.conn().get_interrupt_handle(), |store| f(store))
    }

    fn counting_latest<T>(&self, f: impl FnOnce(&Reader) -> outpost_core::Result<T>) -> CmdResult<T> {
        self.counts.run_latest(&self.latest_count, Reader::interrupt_handle, |reader| f(reader))
    }

    /// After the sync engine's connection signed in (the identity new rows are made with).
    pub(crate) fn reload_identity(&self) -> CmdResult<()> {
        self.with(|s| s.reload_identity())?;
        self.drafting(false, |s| s.reload_identity())?;
        for reads in &self.reads.conns {
            reads.lock().map_err(|_| CommandError::unavailable())?.reload_identity()?;
        }
        Ok(())
    }
}

/// How long a draft's write waits for another connection's transaction before failing as busy.
const DRAFT_PATIENCE: std::time::Duration = std::time::Duration::from_secs(1);

/// Field values of a lead, as the store validates them (unknown or read-only fields are refused).
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(transparent)]
pub struct Fields(
    #[specta(type = std::collections::HashMap<String, specta_typescript::Unknown>)] pub Map<String, Value>,
);

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AppInfo {
    pub version: String,
    pub db_path: String,
    pub identity: Identity,
    /// Live leads in the database (0 on a first start: the UI offers demo data).
    pub total_leads: f64,
}

#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct NewActivity {
    pub lead_id: String,
    pub kind: ActivityType,
    pub subject: Option<String>,
    pub description: Option<String>,
    pub scheduled_at: Option<String>,
    /// When it happened, for one logged after the fact (RFC 3339; none: now).
    pub done_at: Option<String>,
}

#[tauri::command]
#[specta::specta]
pub async fn app_info(db: State<'_, Db>) -> CmdResult<AppInfo> {
    let total = db.counting(|r| r.count_leads(&LeadQuery::default()))?;
    db.reading(|s| {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            db_path: s.path().display().to_string(),
            identity: s.identity().clone(),
            total_leads: total as f64,
        })
    })
}

/// A page of the lead list as list rows (the panel fetches the whole lead with `get_lead`).
/// `latest`: the first page of the list's newest query, which takes the place of the one before
/// (see `Latest`); answered as `superseded` when a newer one took its place.
#[tauri::command]
#[specta::specta]
pub async fn list_leads(
    db: State<'_, Db>,
    query: LeadQuery,
    limit: u32,
    cursor: Option<String>,
    latest: bool,
) -> CmdResult<SummaryPage> {
    // Up to 5,000: the list re-reads what a rep scrolled through in one call when a sync brings rows.
    let limit = limit.clamp(1, 5000) as usize;
    let read = |s: &Store| s.list_leads(&query, limit, cursor.as_deref()).map(SummaryPage::from);
    if latest {
        db.reading_latest(read)
    } else {
        db.reading(read)
    }
}

#[tauri::command]
#[specta::specta]
pub async fn count_leads(db: State<'_, Db>, query: LeadQuery, latest: bool) -> CmdResult<f64> {
    let count = |r: &Reader| Ok(r.count_leads(&query)? as f64);
    if latest {
        db.counting_latest(count)
    } else {
        db.counting(count)
    }
}

#[tauri::command]
#[specta::specta]
pub async fn get_lead(db: State<'_, Db>, id: String) -> CmdResult<Lead> {
    db.reading(|s| s.find::<Lead>(&id))
}

#[tauri::command]
#[specta::specta]
pub async fn create_lead(db: State<'_, Db>, fields: Fields) -> CmdResult<Lead> {
    db.with(|s| {
        s.write(|tx| {
            let id = tx.insert("leads", fields.0)?;
            tx.find(&id)
        })
    })
}

/// With `expected` (the values the screen showed): refused if one changed since (`changed_meanwhile`).
#[tauri::command]
#[specta::specta]
pub async fn update_lead(db: State<'_, Db>, id: String, fields: Fields, expected: Option<Fields>) -> CmdResult<Lead> {
    match expected {
        Some(expected) => db.with(|s| s.edit_expecting::<Lead>(&id, fields.0, &expected.0)),
        None => db.with(|s| s.edit::<Lead>(&id, fields.0)),
    }
}

/// Sets (or, with null, removes) keys of the lead's custom fields or address in the object as
/// stored now: a key a teammate added since the panel read the lead stays.
#[tauri::command]
#[specta::specta]
pub async fn edit_lead_object(db: State<'_, Db>, id: String, column: String, keys: Fields) -> CmdResult<Lead> {
    if !["custom_fields", "address"].contains(&column.as_str()) {
        return Err(CommandError::new("invalid", format!("{column} is not a lead's object field")));
    }
    db.with(|s| s.edit_object::<Lead>(&id, &column, &keys.0))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_lead(db: State<'_, Db>, id: String) -> CmdResult<()> {
    db.with(|s| s.remove::<Lead>(&id))
}

/// Deletes many leads in one transaction (the list's bulk Delete…, Remove demo data: a call per lead
/// went ~75 leads a second). All or none: on a refusal the UI goes lead by lead to say which.
#[tauri::command]
#[specta::specta]
pub async fn delete_leads(db: State<'_, Db>, ids: Vec<String>) -> CmdResult<()> {
    db.with(|s| s.write(|tx| ids.iter().try_for_each(|id| tx.delete("leads", id))))
}

/// Undoes a bulk delete, in one transaction like it.
#[tauri::command]
#[specta::specta]
pub async fn restore_leads(db: State<'_, Db>, ids: Vec<String>) -> CmdResult<()> {
    db.with(|s| s.write(|tx| ids.iter().try_for_each(|id| tx.restore("leads", id).map(drop))))
}

/// The "Recently deleted" screen: up to `limit` deleted leads, newest first, deleted at or after
/// `since` (RFC 3339) if given (core's trash says which are left out). Restore goes through
/// `restore_leads`.
#[tauri::command]
#[specta::specta]
pub async fn deleted_leads(
    db: State<'_, Db>,
    limit: u32,
    since: Option<String>,
) -> CmdResult<Vec<outpost_core::trash::DeletedLead>> {
    db.reading(|s| s.deleted_leads(limit as usize, since.as_deref()))
}

/// How many deleted leads the screen holds, deleted at or after `since` if given.
#[tauri::command]
#[specta::specta]
pub async fn count_deleted(db: State<'_, Db>, since: Option<String>) -> CmdResult<u32> {
    db.reading(|s| s.count_deleted(since.as_deref()))
}

/// The ids of up to `limit` of them, newest first ("restore all" takes a batch at a time).
#[tauri::command]
#[specta::specta]
pub async fn deleted_ids(db: State<'_, Db>, limit: u32, since: Option<String>) -> CmdResult<Vec<String>> {
    db.reading(|s| s.deleted_ids(limit as usize, since.as_deref()))
}

/// Undoes a delete (the toast's Undo): the lead comes back as it was, and the restore syncs.
#[tauri::command]
#[specta::specta]
pub async fn restore_lead(db: State<'_, Db>, id: String) -> CmdResult<Lead> {
    db.with(|s| {
        s.write(|tx| {
            tx.restore("leads", &id)?;
            tx.find(&id)
        })
    })
}

#[tauri::command]
#[specta::specta]
pub async fn lead_timeline(db: State<'_, Db>, id: String) -> CmdResult<Vec<TimelineEntry>> {
    db.reading(|s| s.lead_timeline(&id))
}

#[tauri::command]
#[specta::specta]
pub async fn add_activity(db: State<'_, Db>, activity: NewActivity) -> CmdResult<Activity> {
    let mut fields = Map::new();
    fields.insert("lead_id".into(), Value::String(activity.lead_id));
    fields.insert("type".into(), serde_json::to_value(activity.kind).unwrap_or(Value::Null));
    for (k, v) in [
        ("subject", activity.subject),
        ("description", activity.description),
        ("scheduled_at", activity.scheduled_at),
        ("completed_at", activity.done_at),
    ] {
        if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
            fields.insert(k.into(), Value::String(v));
        }
    }
    db.with(|s| s.log_activity(fields))
}

#[tauri::command]
#[specta::specta]
pub async fn status_summary(db: State<'_, Db>) -> CmdResult<Vec<StatusCount>> {
    db.counting(|r| r.status_summary())
}

#[tauri::command]
#[specta::specta]
pub async fn load_demo_data(db: State<'_, Db>, count: u32) -> CmdResult<u32> {
    let count = count.min(10_000);
    db.with(|s| outpost_core::demo::seed(s, count as usize).map(|n| n as u32))
}

/// The demo leads still here (for "Remove demo data"), by what only the demo loader sets.
#[tauri::command]
#[specta::specta]
pub async fn demo_leads(db: State<'_, Db>) -> CmdResult<Vec<String>> {
    db.with(|s| outpost_core::demo::lead_ids(s))
}

/// A file written for the rep: where it went and how many rows (leads) it holds.
#[derive(Debug, Serialize, specta::Type)]
pub struct SavedFile {
    pub path: String,
    pub rows: f64,
}

/// Writes the leads the query selects to a CSV file where the rep chooses (`None`: they
/// cancelled the save dialog).
#[tauri::command]
#[specta::specta]
pub async fn export_leads_csv(
    app: tauri::AppHandle,
    db: State<'_, Db>,
    query: LeadQuery,
) -> CmdResult<Option<SavedFile>> {
    export_to_chosen_file(&app, &db, "outpost-leads", move |store, w| store.export_leads_file(&query, w)).await
}

/// Writes the leads ticked in the list (in that order) to a CSV file where the rep chooses.
#[tauri::command]
#[specta::specta]
pub async fn export_selected_csv(
    app: tauri::AppHandle,
    db: State<'_, Db>,
    lead_ids: Vec<String>,
) -> CmdResult<Option<SavedFile>> {
    export_to_chosen_file(&app, &db, "outpost-selected-leads", move |store, w| store.export_lead_ids_file(&lead_ids, w))
        .await
}

async fn export_to_chosen_file(
    app: &tauri::AppHandle,
    db: &Db,
    suggested: &str,
    export: impl FnOnce(&Store, &mut dyn std::io::Write) -> outpost_core::Result<u64> + Send + 'static,
) -> CmdResult<Option<SavedFile>> {
    let Some(path) = choose_csv_destination(app, "Export leads", suggested).await? else {
        return Ok(None);
    };
    // Its own read connection, off the runtime's threads: a million leads take seconds, and the
    // list, the lead panel and search keep answering meanwhile.
    let db_path = db.path().to_path_buf();
    let target = path.clone();
    let rows = tauri::async_runtime::spawn_blocking(move || {
        let mut rows = 0;
        write_whole(&target, &db_path, |w| {
            let store = Store::connect(&db_path)?;
            store.conn().execute_batch("PRAGMA query_only = ON;").map_err(outpost_core::Error::from)?;
            rows = export(&store, w)?;
            Ok(())
        })
        .map(|()| rows)
    })
    .await
    .map_err(|e| CommandError::new("internal", format!("the export stopped: {e}")))??;
    Ok(Some(SavedFile { path: path.display().to_string(), rows: rows as f64 }))
}

/// Closes the window once the page has saved the field being typed in (see `ask_before_closing`):
/// closing goes through the same checks again (an import, a save still waiting). With `proceed`
/// false the page keeps the window open instead (a value it could not save, shown to the rep).
#[tauri::command]
#[specta::specta]
pub async fn close_window(window: tauri::Window, closing: State<'_, crate::Closing>, proceed: bool) -> CmdResult<()> {
    if !proceed {
        closing.stay_open();
        return Ok(());
    }
    closing.page_ready();
    window.close().map_err(|e| CommandError::new("internal", format!("the window did not close: {e}")))
}

/// Ends the app at once, after the window asked because an import or a save was under way and
/// the rep chose to quit anyway (what was not committed is not kept).
#[tauri::command]
#[specta::specta]
pub async fn quit_app(app: tauri::AppHandle) -> CmdResult<()> {
    tracing::warn!("quitting with work under way, at the rep's choice");
    app.exit(0);
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use rusqlite::functions::FunctionFlags;

    use super::*;

    /// The lead list's newest query stops the one before it where it is, answered `superseded`;
    /// the newest runs to its end.
    #[test]
    fn a_newer_query_of_the_list_stops_the_one_before() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::new(Store::open(dir.path().join("outpost.db")).unwrap()).unwrap();
        let running = std::sync::Arc::new(AtomicBool::new(false));
        std::thread::scope(|s| {
            let said = running.clone();
            let old = s.spawn(|| {
                db.reading_latest(|store| {
                    // Endless, and says once it runs (an interrupt before a statement starts is lost).
                    let conn = store.conn();
                    conn.create_scalar_function("running", 0, FunctionFlags::SQLITE_UTF8, move |_| {
                        said.store(true, Ordering::SeqCst);
                        Ok(1)
                    })?;
                    let endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) \
                                   SELECT count(*) FROM n WHERE running()";
                    Ok(conn.query_row(endless, [], |r| r.get::<_, i64>(0))?)
                })
            });
            while !running.load(Ordering::SeqCst) {
                std::thread::yield_now();
            }
            let new = db.reading_latest(|store| Ok(store.conn().query_row("SELECT 42", [], |r| r.get::<_, i64>(0))?));
            assert_eq!(new.unwrap(), 42);
            let stopped = old.join().unwrap().unwrap_err();
            assert_eq!(stopped.code, "superseded", "{stopped:?}");
        });
    }
}
