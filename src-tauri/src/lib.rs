//! The Outpost desktop shell: opens the local database, registers the commands and the generated
//! TypeScript bindings, and runs the window. Everything else lives in the libraries.

mod commands;
mod error;
mod file_grants;
mod importing;
mod inbox;
mod links;
mod planning;
mod pool;
mod saving;
mod syncing;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use outpost_core::Store;
use tauri::{Emitter, Listener, Manager};

/// How long a rep's edit or import waits for another connection's write (an import of millions of
/// rows, a first sync's indexing) before it fails as busy.
pub(crate) const WRITE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(15 * 60);

pub use commands::Db;
pub use error::CommandError;

/// Every command, for the invoke handler and for the TypeScript bindings (one list, so they agree).
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new().commands(tauri_specta::collect_commands![
        commands::app_info,
        commands::list_leads,
        commands::count_leads,
        commands::get_lead,
        commands::create_lead,
        commands::update_lead,
        commands::edit_lead_object,
        commands::delete_lead,
        commands::restore_lead,
        commands::lead_timeline,
        commands::add_activity,
        commands::status_summary,
        commands::load_demo_data,
        commands::demo_leads,
        commands::delete_leads,
        commands::restore_leads,
        commands::deleted_leads,
        commands::count_deleted,
        commands::deleted_ids,
        commands::export_leads_csv,
        commands::export_selected_csv,
        links::open_link,
        commands::quit_app,
        commands::close_window,
        unfinished_work,
        planning::saved_views,
        planning::save_view,
        planning::delete_view,
        planning::due_tasks,
        planning::due_follow_ups,
        planning::my_day_counts,
        planning::complete_task,
        planning::reopen_task,
        planning::inbound_messages,
        planning::settle_inbound,
        planning::lead_lists,
        planning::create_list,
        planning::assign_to_list,
        planning::tag_leads,
        planning::put_back_leads,
        planning::duplicate_of,
        planning::merge_plan,
        planning::merge_leads,
        planning::unmerge_leads,
        planning::set_status,
        planning::team_members,
        planning::assign_leads,
        planning::campaigns,
        planning::create_campaign,
        planning::add_to_campaign,
        planning::remove_from_campaign,
        planning::email_templates,
        planning::save_template,
        planning::draft_email,
        planning::log_email,
        planning::log_reply,
        planning::activity_drafts,
        planning::keep_activity_draft,
        planning::template_drafts,
        planning::keep_template_draft,
        planning::delete_activity,
        planning::restore_activity,
        planning::delete_template,
        planning::restore_template,
        planning::follow_up_done,
        planning::follow_up_undone,
        planning::rename_group,
        planning::delete_group,
        planning::restore_group,
        planning::memberships,
        planning::activities_per_week,
        importing::pick_import_files,
        importing::import_preview,
        importing::run_import,
        importing::cancel_import,
        importing::save_import_errors,
        importing::import_history,
        importing::interrupted_imports,
        importing::dismiss_interrupted_import,
        importing::import_details,
        importing::remembered_columns,
        importing::remember_columns,
        importing::undo_import,
        importing::import_worked_on,
        syncing::sync_status,
        syncing::sync_now,
        syncing::sync_settings,
        syncing::save_sync_settings,
        syncing::sign_in,
        syncing::sign_out,
        inbox::conflicts,
        inbox::resolve_conflict,
        inbox::rejections,
        inbox::settle_rejection,
    ])
}

/// The frontend's view of the commands and their types (ui/src/lib/bindings.ts).
pub fn typescript_bindings() -> Result<String, String> {
    let dir = tempfile_dir()?;
    let path = dir.join("bindings.ts");
    let ts = specta_typescript::Typescript::default().header(
        "// Generated from src-tauri's commands (cargo test -p outpost-desktop --test bindings). Do not edit.\n",
    );
    specta_builder().export(ts, &path).map_err(|e| e.to_string())?;
    let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(text)
}

fn tempfile_dir() -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("outpost-bindings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    Ok(dir)
}

/// OUTPOST_DB, else the database the CLI uses too.
fn database_path() -> Result<PathBuf, String> {
    match std::env::var_os("OUTPOST_DB") {
        Some(p) => Ok(PathBuf::from(p)),
        None => outpost_core::default_db_path().ok_or_else(|| "no home folder for the database; set OUTPOST_DB".into()),
    }
}

/// The app's log, in `outpost.log` next to the database: what the sync engine, imports and the
/// database report (info and up; OUTPOST_LOG sets the level, e.g. `debug`). A log over 10 MB is
/// moved to `outpost.log.1` at start, so two at most are kept. Tokens and keys are never logged.
fn log_to_file(db: &Path) {
    let path = db.with_extension("log");
    if std::fs::metadata(&path).is_ok_and(|m| m.len() > 10 << 20) {
        let _ = std::fs::rename(&path, db.with_extension("log.1"));
    }
    let file = match std::fs::OpenOptions::new().create(true).append(true).open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("Outpost cannot write its log {}: {e}", path.display());
            return;
        }
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("OUTPOST_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .try_init();
}

/// What closing the window now would end: an import or an undo (rolled back, nothing of it kept)
/// and edits being saved or waiting for one (lost).
#[derive(Clone, serde::Serialize, specta::Type)]
struct Unfinished {
    importing: bool,
    undoing: bool,
    saving: bool,
}

/// Closing the window with an import, an undo or a save under way asks first (the window shows the
/// question; `quit_app` is the rep's "quit anyway").
fn ask_before_closing(window: &tauri::Window, event: &tauri::WindowEvent) {
    let tauri::WindowEvent::CloseRequested { api, .. } = event else { return };
    let app = window.app_handle();
    let work = unfinished(app);
    let Some(closing) = app.try_state::<Closing>() else { return };
    if work.importing || work.undoing || work.saving {
        closing.asked.store(false, Ordering::SeqCst);
        closing.ready.store(false, Ordering::SeqCst);
        api.prevent_close();
        let _ = window.emit("close-blocked", work);
        return;
    }
    // The page has saved what was being typed (`close_window`): the window closes.
    if closing.ready.swap(false, Ordering::SeqCst) {
        return;
    }
    // A field being typed in is saved when the rep leaves it, which closing does not do: the page
    // is asked to save it and close the window again (a second click meanwhile waits for it). A
    // page that does not answer is closed a few seconds later, through these same checks.
    api.prevent_close();
    if closing.asked.swap(true, Ordering::SeqCst) {
        return;
    }
    let round = closing.round.fetch_add(1, Ordering::SeqCst) + 1;
    let _ = window.emit("close-requested", ());
    let window = window.clone();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(5));
        let Some(closing) = window.app_handle().try_state::<Closing>() else { return };
        if closing.round.load(Ordering::SeqCst) == round && closing.asked.swap(false, Ordering::SeqCst) {
            closing.ready.store(true, Ordering::SeqCst);
            let _ = window.close();
        }
    });
}

/// A close of the window under way (see `ask_before_closing`): the page was asked to save first,
/// in which round, and whether it is done.
#[derive(Default)]
pub(crate) struct Closing {
    asked: AtomicBool,
    ready: AtomicBool,
    round: AtomicU64,
}

impl Closing {
    /// The page saved what was being typed: the next close goes through (past the checks).
    pub(crate) fn page_ready(&self) {
        self.asked.store(false, Ordering::SeqCst);
        self.ready.store(true, Ordering::SeqCst);
    }

    /// The page keeps the window open (a value it could not save): this round's timer stands down.
    pub(crate) fn stay_open(&self) {
        self.round.fetch_add(1, Ordering::SeqCst);
        self.asked.store(false, Ordering::SeqCst);
        self.ready.store(false, Ordering::SeqCst);
    }
}

/// What closing the window now would end, for the question it asks (asked again while it shows:
/// an import that finished meanwhile no longer holds the window).
#[tauri::command]
#[specta::specta]
fn unfinished_work(app: tauri::AppHandle) -> Unfinished {
    unfinished(&app)
}

fn unfinished(app: &tauri::AppHandle) -> Unfinished {
    let imports = app.try_state::<importing::Imports>();
    Unfinished {
        importing: imports.as_ref().is_some_and(|i| i.importing()),
        undoing: imports.as_ref().is_some_and(|i| i.undoing()),
        saving: app.try_state::<Db>().is_some_and(|db| db.writing()),
    }
}

/// Files dropped on the window are the rep's to import (see `file_grants`).
fn grant_dropped_files(window: &tauri::Window, event: &tauri::WindowEvent) {
    if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
        if let Some(grants) = window.app_handle().try_state::<file_grants::FileGrants>() {
            grants.grant(paths);
        }
    }
}

pub fn run() {
    if let Ok(db) = database_path() {
        log_to_file(&db);
    }
    let builder = specta_builder();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            // A second launch brings the running window forward instead of opening the database twice.
            // (Not a window hidden behind the message that the database cannot be opened.)
            if let Some(w) = app.get_webview_window("main").filter(|w| w.is_visible().unwrap_or(false)) {
                let _ = w.unminimize();
                let _ = w.set_focus();
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(builder.invoke_handler())
        .on_window_event(|window, event| {
            ask_before_closing(window, event);
            grant_dropped_files(window, event);
        })
        .setup(|app| {
            if let Err(reason) = open_database(app) {
                cannot_start(app, &reason.to_string());
            }
            Ok(())
        })
        .run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(e) = result {
        eprintln!("Outpost could not start: {e}");
        std::process::exit(1);
    }
}

/// The database the window works on, and everything that works beside it (sync, imports).
fn open_database(app: &mut tauri::App) -> Result<(), Box<dyn std::error::Error>> {
    let path = database_path()?;
    // Opened with the usual 10 s wait: this runs before the window shows, so a long wait
    // here would look like a hang with nothing to say why.
    let mut store = Store::open(&path).map_err(|e| e.to_string())?;
    tracing::info!(db = %path.display(), "database open");
    // A rep's edit during an import or a first sync's indexing waits for it to commit; the
    // window says the change is queued rather than look frozen.
    let handle = app.handle().clone();
    store
        .wait_for_writers(WRITE_PATIENCE, move |asked| {
            if asked == 0 {
                let _ = handle.emit("write-waiting", ());
            }
            true
        })
        .map_err(|e| e.to_string())?;
    let hub = Arc::new(syncing::SyncHub::new(&store).map_err(|e| e.to_string())?);
    app.manage(Db::new(store).map_err(|e| e.to_string())?);
    app.manage(importing::Imports::default());
    app.manage(file_grants::FileGrants::default());
    app.manage(saving::SavedFiles::default());
    app.manage(Closing::default());
    app.manage(hub.clone());
    syncing::start(app.handle(), hub);
    if saving::under_automation() {
        // Under WebDriver only (which already controls the page): the end-to-end test emits
        // the native drop event the way the window would (DESKTOP.md), and asks to close
        // the window the way its close button does.
        app.add_capability(
            tauri::ipc::CapabilityBuilder::new("automation")
                .window("main")
                .permission("core:event:allow-emit-to")
                .permission("core:window:allow-close"),
        )?;
        // The emitted drop grants its files as a real drop does (a page's own emit is
        // ignored otherwise: only the window's drop, seen in Rust, hands files over).
        let handle = app.handle().clone();
        app.listen_any("tauri://drag-drop", move |event| {
            #[derive(serde::Deserialize)]
            struct Dropped {
                paths: Vec<PathBuf>,
            }
            if let Ok(dropped) = serde_json::from_str::<Dropped>(event.payload()) {
                handle.state::<file_grants::FileGrants>().grant(&dropped.paths);
            }
        });
    }
    Ok(())
}

/// The database cannot be opened (not an Outpost database, written by a newer Outpost, no room):
/// said in a window and in the log, then the app ends once the rep has read it. (Only on stderr, a
/// rep who opened the app from the desktop saw nothing at all.)
fn cannot_start(app: &tauri::App, reason: &str) {
    use tauri_plugin_dialog::{DialogExt, MessageDialogKind};
    tracing::error!(%reason, "cannot open the database");
    eprintln!("Outpost could not start: {reason}");
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.hide();
    }
    let path = database_path().map(|p| p.display().to_string()).unwrap_or_default();
    let handle = app.handle().clone();
    app.dialog()
        .message(format!(
            "{reason}\n\nOutpost keeps its leads in {path}. To start with a new, empty database, move \
             it aside (keep it: it may be a backup to restore); to open another file, set OUTPOST_DB."
        ))
        .title("Outpost cannot open its database")
        .kind(MessageDialogKind::Error)
        .show(move |_| handle.exit(1));
}
