//! The sync engine inside the app: one supervisor task runs the scheduler whenever a project is
//! configured and someone is signed in, on its own SQLite connection (the UI's stays free); a
//! network monitor wakes it when the server can be reached again; every status change reaches the
//! UI as a `sync-status` event. Settings and sign-in live here too.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use outpost_core::reader::Reader;
use outpost_core::Store;
use outpost_sync::scheduler::{self, Control, State as Phase, Status};
use outpost_sync::{Client, Engine, TokenStore};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, State};
use tokio::sync::{watch, Notify};

use crate::commands::Db;
use crate::error::{CmdResult, CommandError};

const DEFAULT_INTERVAL_SECS: u64 = 60;
/// How often the monitor asks an unreachable server whether it is back.
const PROBE_EVERY: Duration = Duration::from_secs(3);
/// After an error only a person can fix (e.g. the server refused the schema), try again this late.
const RETRY_AFTER_ERROR: Duration = Duration::from_secs(120);
/// How long the sync engine's database steps wait for another writer before the try ends as
/// "waiting" (and comes back in ~2 s): they run on the async runtime's threads, which SQLite's
/// usual 10 s wait would hold through an import, try after try.
const SYNC_PATIENCE: Duration = Duration::from_secs(1);

/// What the shell shows.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SyncStatus {
    /// A Supabase project is set up (otherwise the app is local only).
    pub configured: bool,
    pub project_url: Option<String>,
    pub signed_in_as: Option<String>,
    /// "local_only", "signed_out", "idle", "pushing", "pulling", "indexing", "offline" or "error".
    pub state: String,
    /// False while the server cannot be reached.
    pub online: bool,
    pub last_success: Option<String>,
    pub pending: f64,
    pub conflicts: f64,
    pub rejected: f64,
    /// Changes sent or rows received so far in this phase.
    pub progress: f64,
    /// Rows a first sync expects (0 = not a first sync, or unknown).
    pub expected: f64,
    pub error: Option<String>,
    /// The last try found the database busy with an import; syncing again shortly.
    pub waiting_for_import: bool,
    pub interval_secs: f64,
    /// Why the signed-in member may only read (a viewer, a removed profile), as the last pull left
    /// it: the UI says so instead of letting each edit fail.
    pub view_only: Option<String>,
    /// Grows with every row a sync brought in or changed here since the app started: the open
    /// screens reload when it does.
    pub received: f64,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SyncSettings {
    pub project_url: Option<String>,
    /// The anon key is public by design (it ships in every Supabase web app); it is shown so the rep
    /// can check it. Tokens never leave the keychain.
    pub anon_key: Option<String>,
    pub interval_secs: f64,
}

struct Config {
    url: String,
    key: String,
    interval: Duration,
}

pub struct SyncHub {
    db_path: PathBuf,
    /// Settings are read here: a read-only connection never waits for an import or a sync.
    settings: Mutex<Reader>,
    status: watch::Sender<Status>,
    /// The running scheduler's control, to stop it or skip its wait.
    control: Mutex<Option<Control>>,
    /// Settings or sign-in changed: the supervisor looks again.
    wake: Notify,
    signed_in_as: Mutex<Option<String>>,
    reachable: AtomicBool,
}

fn settings_of(store: &Store) -> outpost_core::Result<Option<Config>> {
    config_from(|k| store.setting(k))
}

fn config_from(setting: impl Fn(&str) -> outpost_core::Result<Option<String>>) -> outpost_core::Result<Option<Config>> {
    let (Some(url), Some(key)) = (setting("supabase_url")?, setting("supabase_anon_key")?) else {
        return Ok(None);
    };
    let secs = setting("sync_interval_secs")?.and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_INTERVAL_SECS);
    Ok(Some(Config { url, key, interval: Duration::from_secs(secs) }))
}

fn sync_error(e: outpost_sync::Error) -> CommandError {
    CommandError::new(e.code(), e.to_string())
}

fn engine(c: &Config) -> CmdResult<(Engine, Arc<dyn TokenStore>)> {
    let tokens = outpost_sync::tokens::for_project(&c.url).map_err(sync_error)?;
    Ok((Engine::new(Client::new(&c.url, &c.key).map_err(sync_error)?, tokens.clone()), tokens))
}

impl SyncHub {
    pub fn new(store: &Store) -> outpost_core::Result<SyncHub> {
        Ok(SyncHub {
            db_path: store.path().to_path_buf(),
            settings: Mutex::new(store.reader()?),
            status: watch::channel(Status::new()).0,
            control: Mutex::new(None),
            wake: Notify::new(),
            signed_in_as: Mutex::new(None),
            reachable: AtomicBool::new(true),
        })
    }

    fn config(&self) -> CmdResult<Option<Config>> {
        let reader = self.settings.lock().map_err(|_| CommandError::new("internal", "settings unavailable"))?;
        Ok(config_from(|k| reader.setting(k))?)
    }

    fn set_phase(&self, state: Phase, error: Option<String>) {
        self.status.send_modify(|s| {
            s.state = state;
            s.error = error;
        });
    }

    /// Stops the running cycle (if any) and lets the supervisor start over with what is set now.
    fn restart(&self) {
        if let Some(c) = self.control.lock().ok().and_then(|mut c| c.take()) {
            c.stop();
        }
        self.wake.notify_one();
    }

    /// The button, the network coming back, or a local decision to send (a resolved conflict).
    pub(crate) fn sync_now(&self) {
        if let Some(c) = self.control.lock().ok().and_then(|c| c.clone()) {
            c.sync_now();
        } else {
            self.wake.notify_one();
        }
    }

    /// The shell's view: the scheduler's status with counts read now (an edit is pending at once).
    pub fn snapshot(&self, db: &Db) -> CmdResult<SyncStatus> {
        // On the read-only connection: counting a big outbox must not hold up list pages.
        let (config, (pending, conflicts, rejected), last_sync, last_failure, view_only) = db.counting(|r| {
            let failure = r.setting(outpost_sync::LAST_ERROR)?;
            Ok((config_from(|k| r.setting(k))?, r.sync_counts()?, r.setting("last_sync_at")?, failure, r.view_only()?))
        })?;
        let s = self.status.borrow().clone();
        // Until this run's first cycle ends, the last run's failure (or `outpost sync`'s) stands.
        let error =
            s.error.or_else(|| if s.last_report.is_none() { stored_failure(last_failure.as_deref()) } else { None });
        let signed_in_as = self.signed_in_as.lock().ok().and_then(|w| w.clone());
        let state = match (&config, &signed_in_as, s.state) {
            (None, _, _) => "local_only",
            (_, None, _) | (_, _, Phase::SignedOut) => "signed_out",
            (_, _, Phase::Idle) => "idle",
            (_, _, Phase::Pushing) => "pushing",
            (_, _, Phase::Pulling) => "pulling",
            (_, _, Phase::Indexing) => "indexing",
            (_, _, Phase::Offline) => "offline",
            (_, _, Phase::Error) => "error",
        };
        Ok(SyncStatus {
            configured: config.is_some(),
            project_url: config.as_ref().map(|c| c.url.clone()),
            signed_in_as,
            state: state.into(),
            online: self.reachable.load(Ordering::SeqCst),
            last_success: s.last_success.or(last_sync),
            pending: pending as f64,
            conflicts: conflicts as f64,
            rejected: rejected as f64,
            progress: s.progress as f64,
            expected: s.expected as f64,
            error,
            waiting_for_import: s.waiting_for_writer,
            interval_secs: config.map_or(DEFAULT_INTERVAL_SECS, |c| c.interval.as_secs()) as f64,
            view_only,
            received: s.received as f64,
        })
    }

    /// Runs for the life of the app.
    async fn supervise(self: Arc<Self>) {
        loop {
            let waited = match self.run_once().await {
                Ok(None) => continue,
                Ok(Some(wait)) => wait,
                Err(e) => {
                    self.set_phase(Phase::Error, Some(e.message));
                    Some(RETRY_AFTER_ERROR)
                }
            };
            match waited {
                Some(d) => {
                    let _ = tokio::time::timeout(d, self.wake.notified()).await;
                }
                None => self.wake.notified().await,
            }
        }
    }

    /// One stretch of syncing under the current settings. Ok(None): start over at once;
    /// Ok(Some(wait)): wait that long (None inside = until woken) before looking again.
    async fn run_once(&self) -> CmdResult<Option<Option<Duration>>> {
        // Installed before the settings are read: a change saved from here on stops this run.
        let (control, stopped) = Control::new();
        if let Ok(mut c) = self.control.lock() {
            *c = Some(control.clone());
        }
        let Some(config) = self.config()? else {
            self.set_who(None);
            return Ok(Some(None));
        };
        let (engine, tokens) = engine(&config)?;
        let Some(session) = tokens.load().map_err(sync_error)? else {
            self.set_who(None);
            self.set_phase(Phase::SignedOut, None);
            return Ok(Some(None));
        };
        self.set_who(Some(session.email));
        let mut store = Store::connect(&self.db_path)?;
        store.wait_for_writers(SYNC_PATIENCE, |_| true)?;
        let ended = scheduler::run(&engine, &mut store, config.interval, &control, stopped, &self.status).await;
        if let Ok(mut c) = self.control.lock() {
            c.take();
        }
        Ok(match ended {
            None => None,
            Some(
                outpost_sync::Error::SignedOut
                | outpost_sync::Error::SessionEnded
                | outpost_sync::Error::OtherAccount { .. },
            ) => {
                self.set_who(None);
                Some(None)
            }
            Some(_) => Some(Some(RETRY_AFTER_ERROR)),
        })
    }

    fn set_who(&self, who: Option<String>) {
        if let Ok(mut w) = self.signed_in_as.lock() {
            *w = who;
        }
        self.status.send_modify(|_| {});
    }

    /// Asks an unreachable server every few seconds; when it answers again, syncs at once instead
    /// of waiting out the backoff.
    async fn monitor(self: Arc<Self>) {
        let mut tick = tokio::time::interval(PROBE_EVERY);
        // A probe can outlast the period; the next one waits its turn instead of following at once.
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if self.status.borrow().state != Phase::Offline {
                if !self.reachable.swap(true, Ordering::SeqCst) {
                    self.status.send_modify(|_| {});
                }
                continue;
            }
            let Ok(Some(config)) = self.config() else { continue };
            let Ok(client) = Client::new(&config.url, &config.key) else { continue };
            let up = client.reachable().await;
            let was_up = self.reachable.swap(up, Ordering::SeqCst);
            if up != was_up {
                self.status.send_modify(|_| {});
            }
            if up && !was_up {
                tracing::info!("server reachable again; syncing now");
                self.sync_now();
            }
        }
    }
}

/// Starts the supervisor, the network monitor and the status events.
pub fn start(app: &AppHandle, hub: Arc<SyncHub>) {
    tauri::async_runtime::spawn(hub.clone().supervise());
    tauri::async_runtime::spawn(hub.clone().monitor());
    let app = app.clone();
    let mut changes = hub.status.subscribe();
    tauri::async_runtime::spawn(async move {
        while changes.changed().await.is_ok() {
            let db = app.state::<Db>();
            if let Ok(s) = hub.snapshot(&db) {
                let _ = app.emit("sync-status", s);
            }
        }
    });
}

type Hub<'a> = State<'a, Arc<SyncHub>>;

#[tauri::command]
#[specta::specta]
pub async fn sync_status(db: State<'_, Db>, hub: Hub<'_>) -> CmdResult<SyncStatus> {
    hub.snapshot(&db)
}

#[tauri::command]
#[specta::specta]
pub async fn sync_now(hub: Hub<'_>) -> CmdResult<()> {
    hub.sync_now();
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn sync_settings(db: State<'_, Db>) -> CmdResult<SyncSettings> {
    let c = db.reading(settings_of)?;
    Ok(SyncSettings {
        project_url: c.as_ref().map(|c| c.url.clone()),
        anon_key: c.as_ref().map(|c| c.key.clone()),
        interval_secs: c.map_or(DEFAULT_INTERVAL_SECS, |c| c.interval.as_secs()) as f64,
    })
}

/// Checks the URL and key (a service_role key is refused with the reason; a key the project does
/// not accept is refused when the project can be asked) before saving.
#[tauri::command]
#[specta::specta]
pub async fn save_sync_settings(
    db: State<'_, Db>,
    hub: Hub<'_>,
    project_url: String,
    anon_key: String,
    interval_secs: u32,
) -> CmdResult<SyncStatus> {
    let key = anon_key.trim().to_string();
    let client = Client::new(&project_url, &key).map_err(sync_error)?;
    // Kept as it is used ("https://x.supabase.co" for a pasted "x.supabase.co/rest/v1/"), as the CLI keeps it.
    let url = client.project_url();
    let unchecked = match client.check_key().await {
        // Offline, or the project is down: the settings are kept and checked by the first sync.
        Err(e) if e.is_transient() => {
            tracing::warn!(error = %e, "could not check the key with the project");
            Some(e.to_string())
        }
        other => other.map(|()| None).map_err(sync_error)?,
    };
    let interval = interval_secs.clamp(10, 3600).to_string();
    db.with(|s| {
        s.set_settings(&[("supabase_url", &url), ("supabase_anon_key", &key), ("sync_interval_secs", &interval)])
    })?;
    hub.restart();
    let mut status = hub.snapshot(&db)?;
    // Said with the answer, so "saved" does not read as "checked".
    if let Some(reason) = unchecked {
        status.online = false;
        status.error = Some(reason);
    }
    Ok(status)
}

/// Signs in with email and password; the tokens go to the OS keychain. What was made before
/// signing in becomes the user's and syncs.
#[tauri::command]
#[specta::specta]
pub async fn sign_in(db: State<'_, Db>, hub: Hub<'_>, email: String, password: String) -> CmdResult<SyncStatus> {
    let config = hub
        .config()?
        .ok_or_else(|| CommandError::new("not_configured", "set the Supabase project URL and anon key first"))?;
    let (engine, _) = engine(&config)?;
    // Its own connection: the UI's must not wait on the network.
    let mut store = Store::connect(&hub.db_path)?;
    let session = engine.sign_in(&mut store, email.trim(), &password).await.map_err(sync_error)?;
    db.reload_identity()?;
    hub.set_who(Some(session.email));
    hub.restart();
    hub.snapshot(&db)
}

/// Forgets the tokens; the local data stays and keeps working offline.
#[tauri::command]
#[specta::specta]
pub async fn sign_out(db: State<'_, Db>, hub: Hub<'_>) -> CmdResult<SyncStatus> {
    if let Some(config) = hub.config()? {
        let (engine, _) = engine(&config)?;
        engine.sign_out().await.map_err(sync_error)?;
    }
    hub.set_who(None);
    hub.restart();
    hub.set_phase(Phase::SignedOut, None);
    hub.snapshot(&db)
}

/// The message of a failed sync recorded in the database (`last_sync_error`: JSON with at, code,
/// message; empty once a sync worked).
fn stored_failure(recorded: Option<&str>) -> Option<String> {
    let failure: serde_json::Value = serde_json::from_str(recorded?).ok()?;
    failure["message"].as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_recorded_failure_is_shown_by_its_message() {
        let recorded = r#"{"at":"2026-11-26T10:00:00Z","code":"offline","message":"cannot reach Supabase"}"#;
        assert_eq!(super::stored_failure(Some(recorded)).as_deref(), Some("cannot reach Supabase"));
        assert_eq!(super::stored_failure(Some("")), None, "empty: the last sync worked");
        assert_eq!(super::stored_failure(None), None);
    }
}
