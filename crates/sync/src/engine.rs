//! One sync cycle (SYNC.md "Client side"): refresh the token if near expiry → push the outbox in
//! batches, parents first → pull pages until the horizon passes the push's transaction. Every step
//! that touches the database is one SQLite transaction, so the process can die anywhere.

use std::collections::HashMap;
use std::sync::Arc;

pub use crate::push::{change_json, PUSH_BATCH};
use outpost_core::sync_local::{Cursor, Pulled};
use outpost_core::Store;
use serde_json::{json, Map, Value};

use crate::ahead::Ahead;
use crate::client::{Client, Session};
use crate::error::{Error, Result};
use crate::page_size;
use crate::tokens::TokenStore;

pub use crate::page_size::PULL_PAGE;
/// SQLite page cache (MiB) while a first sync loads a large account.
const FIRST_SYNC_CACHE_MIB: i64 = 80;
/// Ids per request when fetching rows again by id.
const REFETCH_BATCH: usize = 100;
/// The local setting that holds the last failed cycle as JSON (at, code, message); empty once a
/// cycle succeeds.
pub const LAST_ERROR: &str = "last_sync_error";
/// Refresh the access token when it expires within this many seconds.
const REFRESH_MARGIN: i64 = 60;

#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    pub pushed: usize,
    pub applied: usize,
    pub conflicts: usize,
    pub rejected: usize,
    pub pulled: usize,
    pub deleted: usize,
    /// Local rows moved aside by pulled rows taking their unique key, or fetched again by id.
    pub repaired: usize,
    /// Of the rows pulled, those that brought values this computer did not have (a push's own
    /// rows coming back are pulled but change nothing).
    pub changed: usize,
    /// The local edit stamp when the push found nothing more to send: an edit made after that
    /// (during the pull) moved it on, and the next cycle should come soon (see the scheduler).
    #[serde(skip)]
    pub edit_stamp: Option<i64>,
}

/// Progress of the current phase, for status lines and progress bars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    Pushing {
        /// Changes sent so far in this cycle.
        sent: usize,
        /// Changes still in the outbox.
        pending: usize,
    },
    Pulling {
        rows: usize,
    },
    /// Before a first pull: about how many rows it will bring.
    Expecting {
        rows: usize,
    },
    /// After a first pull of many rows: the list and search indexes are built for them (at a
    /// million leads, a quarter of the time).
    Indexing,
}

pub struct Engine {
    client: Client,
    tokens: Arc<dyn TokenStore>,
}

impl Engine {
    pub fn new(client: Client, tokens: Arc<dyn TokenStore>) -> Engine {
        Engine { client, tokens }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The session to use now, refreshed first if it is about to expire. The laptop's clock only
    /// decides *when* to refresh early; a wrong clock costs a 401 and one refresh, never data.
    pub async fn session(&self) -> Result<Session> {
        let s = self.tokens.load()?.ok_or(Error::SignedOut)?;
        if s.expires_at - chrono::Utc::now().timestamp() > REFRESH_MARGIN {
            return Ok(s);
        }
        self.refresh(&s).await
    }

    async fn refresh(&self, s: &Session) -> Result<Session> {
        match self.client.refresh(&s.refresh_token).await {
            Ok(next) => match self.tokens.load()? {
                Some(now) if now.refresh_token == s.refresh_token => {
                    self.tokens.save(&next)?;
                    Ok(next)
                }
                // Signed in anew (`outpost login` while the app syncs), or out, meanwhile: what is
                // stored stands, not overwritten by this older session. (Not ended either: another
                // process sharing the token file may have rotated the same session.)
                now => now.ok_or(Error::SignedOut),
            },
            Err(e @ Error::Auth { status: 400, .. }) => {
                // The refresh token is dead (revoked, reused): only a new sign-in helps.
                self.tokens.clear()?;
                tracing::warn!(error = %e, "refresh token refused; signed out");
                Err(Error::SessionEnded)
            }
            Err(e) => Err(e),
        }
    }

    /// A request as the user (`send` gets the access token); on 401, refresh once and retry once.
    async fn as_user<T, F, Fut>(&self, send: F) -> Result<T>
    where
        F: Fn(String) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let s = self.session().await?;
        match send(s.access_token.clone()).await {
            Err(e) if e.is_unauthorized() => {
                let fresh = self.refresh(&s).await?;
                send(fresh.access_token).await
            }
            other => other,
        }
    }

    pub(crate) async fn call(&self, function: &str, args: &Value) -> Result<Value> {
        self.as_user(|token| async move { self.client.rpc(function, &token, args).await }).await
    }

    /// Signs in and binds the local database to the user: what was made before signing in moves
    /// to their organization and syncs as theirs.
    pub async fn sign_in(&self, store: &mut Store, email: &str, password: &str) -> Result<Session> {
        let s = self.client.sign_in(email, password).await?;
        let bound = self.bind(store, &s).await;
        if bound.is_err() {
            // Refused (another account's database, no organization…): the session just opened
            // is of no use, and is not left live on the server.
            self.end_on_server(&s).await;
        }
        bound?;
        // A failure before signing in (signed out, another account) is not this session's.
        store.set_setting(LAST_ERROR, "")?;
        let previous = self.tokens.load().ok().flatten();
        self.tokens.save(&s)?;
        // Signing in again (a new password, another shell) leaves no earlier session live.
        if let Some(previous) = previous.filter(|p| p.refresh_token != s.refresh_token) {
            self.end_on_server(&previous).await;
        }
        Ok(s)
    }

    /// The database bound to the signed-in user, before their session is saved.
    async fn bind(&self, store: &mut Store, s: &Session) -> Result<()> {
        let profile = self.fetch(&s.access_token, "profiles", &s.user_id).await?;
        let Some(org) = profile.first().and_then(|p| p["organization_id"].as_str()).map(str::to_string) else {
            return Err(Error::Auth {
                status: 403,
                code: "no_organization".into(),
                message: format!("{} is not a member of any organization yet; ask an admin to add them", s.email),
            });
        };
        store.adopt_identity(&org, &s.user_id)?;
        // The user's own profile and organization, so work can start before the first pull.
        let orgs = self.fetch(&s.access_token, "organizations", &org).await?;
        let rows: Vec<Pulled> = orgs
            .into_iter()
            .map(|row| ("organizations", row))
            .chain(profile.into_iter().map(|row| ("profiles", row)))
            .map(|(table, row)| Pulled::Upsert { table: table.to_string(), row })
            .collect();
        store.apply_pulled(&rows, None)?;
        Ok(())
    }

    /// One row by id, as `sync_fetch` answers (JSON columns as their text), before the session is
    /// saved.
    async fn fetch(&self, token: &str, table: &str, id: &str) -> Result<Vec<Map<String, Value>>> {
        fetched_rows(&mut self.client.rpc("sync_fetch", token, &json!({"table_name": table, "ids": [id]})).await?)
    }

    /// Forgets the session here; Ok(false) when the server could not be told (offline), so the
    /// session there was not ended.
    pub async fn sign_out(&self) -> Result<bool> {
        let told = match self.tokens.load()? {
            Some(s) => self.end_on_server(&s).await,
            None => true,
        };
        self.tokens.clear()?;
        Ok(told)
    }

    /// Ends a session on the server: refreshed first, as its access token may have expired (the
    /// server then answers 401 and ends nothing). Whether the server could be told.
    async fn end_on_server(&self, s: &Session) -> bool {
        let token = match self.client.refresh(&s.refresh_token).await {
            Ok(next) => next.access_token,
            // Refused: the session is over already.
            Err(Error::Auth { status: 400, .. }) => return true,
            Err(_) => s.access_token.clone(),
        };
        self.client.sign_out(&token).await.is_ok()
    }

    /// One cycle: push, then pull until this push is seen. A failure other than waiting for another
    /// writer or sync is recorded (`last_sync_error`) for `outpost status`, which runs in another
    /// process (the app shows its own scheduler's).
    pub async fn sync_once(&self, store: &mut Store, progress: impl FnMut(Progress)) -> Result<Report> {
        let result = self.cycle(store, progress).await;
        if let Err(e) = &result {
            if !e.is_busy() {
                let failure = json!({"at": outpost_core::time::now(), "code": e.code(), "message": e.to_string()});
                if let Err(not_kept) = store.set_setting(LAST_ERROR, &failure.to_string()) {
                    tracing::warn!(error = %not_kept, "could not record the failed sync");
                }
            }
        }
        result
    }

    async fn cycle(&self, store: &mut Store, mut progress: impl FnMut(Progress)) -> Result<Report> {
        let session = self.tokens.load()?.ok_or(Error::SignedOut)?;
        if !store.belongs_to(&session.user_id)? {
            return Err(Error::OtherAccount { email: session.email, ours: store.account_email()? });
        }
        // One cycle at a time per database, whichever process runs it (held until this returns).
        let _lock = sync_lock(store.path()).await?;
        // While another connection writes (an import), a batch re-sent now could not have its
        // answer recorded and would go again at the next try, and the next: wait here instead.
        store.wait_until_writable()?;
        let mut report = Report::default();
        // A previous cycle stopped mid first-sync (cancelled, crashed): rebuild its indexes first.
        store.end_bulk_load()?;
        // A table or column added by a migration since the last pull has rows the cursor passed.
        store.check_catalog()?;
        // A new row that may meet the server's (the same email) is better met in a pull than refused
        // by the push: its logged work then moves to the server's row (see Store::apply_pulled).
        // Not while a batch waits for its answer (it goes again as recorded, its rows as they were),
        // nor as a first sync (its bulk load drops the indexes moving the logged work would need).
        if store.push_in_flight()?.is_none()
            && store.setting("last_sync_at")?.is_some()
            && store.pending_inserts_with_unique_keys()?
        {
            self.pull(store, &mut report, &mut progress).await?;
        }
        let last_xid = self.push(store, &mut report, &mut progress).await?;
        // Read-your-writes: pull until the horizon has passed the push's transaction.
        for _ in 0..20 {
            let horizon = self.pull(store, &mut report, &mut progress).await?;
            if last_xid.is_none_or(|x| horizon > x) {
                break;
            }
        }
        if let Some((now, noted_before)) = store.membership_change()? {
            if noted_before {
                store.begin_replacement("the member's organization, team or role changed")?;
            }
            store.note_membership(&now)?;
            if noted_before {
                self.pull(store, &mut report, &mut progress).await?;
            }
        }
        self.refetch(store, &mut report).await?;
        store.set_settings(&[("last_sync_at", &outpost_core::time::now()), (LAST_ERROR, "")])?;
        tracing::debug!(?report, "sync cycle done");
        Ok(report)
    }

    /// Rows whose local copy must revert to the server's (a rejected change, a unique-key clash):
    /// fetched by id; those the server no longer shows this user leave.
    async fn refetch(&self, store: &mut Store, report: &mut Report) -> Result<()> {
        loop {
            let due = store.refetch_due(REFETCH_BATCH)?;
            if due.is_empty() {
                return Ok(());
            }
            for (table, ids) in due {
                let mut answer = self.call("sync_fetch", &json!({"table_name": table, "ids": ids})).await?;
                let applied = store.apply_refetched(&table, &ids, fetched_rows(&mut answer)?)?;
                report.repaired += applied.upserted + applied.deleted;
            }
        }
    }

    /// Rows a first pull will bring (for a progress bar): the server's count of each synced table the
    /// user can see. A table the server will not count is left out; it only makes the bar less exact.
    async fn expected_rows(&self, tables: Vec<String>) -> usize {
        let mut total = 0;
        for name in &tables {
            let name = name.as_str();
            match self.as_user(|token| async move { self.client.count(name, &token).await }).await {
                Ok(n) => total += n.unwrap_or(0) as usize,
                // A server not answering would be waited for once per table (minutes): the pull
                // that follows meets the same and says so.
                Err(e) if e.is_transient() => break,
                Err(_) => {}
            }
        }
        total
    }

    /// One pull (all pages under one horizon); returns the horizon. A first pull of more than one
    /// page builds the local indexes once at the end instead of row by row.
    async fn pull(&self, store: &mut Store, report: &mut Report, progress: &mut impl FnMut(Progress)) -> Result<u64> {
        let mut bulk = false;
        let result = self.pull_pages(store, report, progress, &mut bulk).await;
        if bulk {
            progress(Progress::Indexing);
            let rebuilt = store.end_bulk_load();
            store.set_load_cache(None);
            rebuilt?;
            // An import may have ended the load part way (and analysed only the rows so far).
            store.optimize()?;
        }
        result
    }

    /// Starts asking for pages from `args` on in the background (the pull loop takes them).
    async fn ask_ahead(&self, args: Value) -> Result<Ahead> {
        Ok(Ahead::start(self.client.clone(), self.session().await?.access_token, args))
    }

    async fn pull_pages(
        &self,
        store: &mut Store,
        report: &mut Report,
        progress: &mut impl FnMut(Progress),
        bulk: &mut bool,
    ) -> Result<u64> {
        let mut cursor = store.cursor()?;
        let first = cursor.xid.is_none();
        let mut horizon: Option<String> = None;
        let mut ahead: Option<Ahead> = None;
        let (mut size, mut ceiling) = (PULL_PAGE, PULL_PAGE);
        // A page that did not arrive in time is asked for again once, smaller; a second in a row
        // means the server is not answering at all (a hung proxy), not that pages are too big.
        let mut timed_out = false;
        if first && cursor.seen_below.is_none() {
            // The first page is on its way while the server counts the rows.
            ahead = Some(self.ask_ahead(pull_args(&cursor, &horizon, size)).await?);
            let tables = store.catalog().tables().iter().map(|t| t.name.clone()).collect();
            progress(Progress::Expecting { rows: self.expected_rows(tables).await });
        }
        loop {
            let args = pull_args(&cursor, &horizon, size);
            let asked = match ahead.as_mut() {
                Some(a) => a.take(&args).await,
                None => None,
            };
            let page = match asked {
                Some(Ok(page)) => Ok(page),
                Some(Err(e)) if page_size::too_big(&e) => Err(e),
                // Not asked for ahead, or asking failed (e.g. the token expired meanwhile): ask now.
                _ => {
                    ahead = None;
                    self.call("sync_pull", &args).await
                }
            };
            let page = match page {
                Ok(page) => page,
                Err(Error::TimedOut) if timed_out => return Err(Error::TimedOut),
                Err(e) if page_size::too_big(&e) => {
                    timed_out = matches!(e, Error::TimedOut);
                    // Rows too large for a page this size: the same page with fewer rows, and no
                    // later page of this pull over half the size that failed.
                    ceiling = (size / 2).max(1);
                    size = page_size::shrunk(size).ok_or(e)?;
                    if timed_out {
                        tracing::warn!(size, "a pull page did not arrive in time; asking for fewer rows");
                    } else {
                        tracing::warn!(size, "the server gave up on a pull page; asking for fewer rows");
                    }
                    ahead = None;
                    continue;
                }
                Err(e) => return Err(e),
            };
            timed_out = false;
            // sync_pull returns a set of one page (see the migration for why).
            let page = match page {
                Value::Array(mut pages) if pages.len() == 1 => pages.swap_remove(0),
                other => other,
            };
            if !page["changes"].is_array() {
                // Not a page (a proxy's answer, a server older or newer than this build): taking it
                // as an empty one would end the pull as if it were complete.
                return Err(not_a_page("sync_pull", "no list of changes"));
            }
            let epoch = page["epoch"].as_str().map(str::to_string);
            let purged_below = page["purged_below"].as_str().and_then(|x| x.parse::<u64>().ok());
            // Deletions below `seen_below`, or at or before the cursor, have been applied already.
            let xid = |x: &Option<String>| x.as_deref().and_then(|x| x.parse::<u64>().ok());
            let seen = xid(&cursor.seen_below).max(xid(&cursor.xid).map(|x| x + 1));
            let behind_purge = seen.is_some() && seen < purged_below;
            if cursor.epoch.is_some() && cursor.epoch != epoch || behind_purge {
                // A restored or different server, or deletions forgotten since the last pull: start
                // over, and remove afterwards what the server no longer has.
                let why = if behind_purge { "tombstones purged past the cursor" } else { "server epoch changed" };
                store.begin_replacement(why)?;
                cursor = Cursor::default();
                horizon = None;
                ahead = None;
                continue;
            }
            let mut page = page;
            // Moved out, not copied: a page is thousands of rows.
            let changes = match page.get_mut("changes").map(Value::take) {
                Some(Value::Array(a)) => a,
                _ => Vec::new(),
            };
            let mut next = Cursor { epoch, ..cursor.clone() };
            if let Some(last) = changes.last() {
                next.xid = last["xid"].as_str().map(str::to_string);
                next.id = last["id"].as_str().or(last["row"]["id"].as_str()).map(str::to_string);
            }
            let sized = page_size::next(size, &changes).min(ceiling);
            if sized != size {
                size = sized;
                // What was asked for ahead has the old size.
                ahead = None;
            }
            let columns = page_columns(&page);
            let pulled = changes.into_iter().map(|c| pulled(c, &columns)).collect::<Result<Vec<Pulled>>>()?;
            horizon = page["horizon"].as_str().map(str::to_string);
            tracing::debug!(rows = pulled.len(), size, horizon = ?horizon, after = ?next.xid, "pull page");
            let more = !page["next"].is_null();
            if !more {
                next.seen_below = horizon.clone();
            }
            if more && ahead.is_none() {
                // Fetch the next pages while this one is written: the server and the disk overlap.
                ahead = Some(self.ask_ahead(pull_args(&next, &horizon, size)).await?);
            }
            if first && !*bulk && more {
                // More than a page: the indexes are built once at the end, for the first page too.
                // The indexes that stay during the load (primary keys, and unique keys of tables that
                // had rows) outgrow the everyday cache.
                store.set_load_cache(Some(FIRST_SYNC_CACHE_MIB));
                store.begin_bulk_load()?;
                *bulk = true;
            }
            let applied = store.apply_pulled(&pulled, Some(&next))?;
            // Freeing a page's values (tens of thousands of strings) costs a quarter of writing
            // them; another thread does it while this one goes on with the next page.
            tokio::task::spawn_blocking(move || drop(pulled));
            report.pulled += applied.upserted;
            report.changed += applied.changed;
            report.deleted += applied.deleted;
            report.repaired += applied.displaced;
            report.rejected += applied.rejected;
            progress(Progress::Pulling { rows: report.pulled + report.deleted });
            cursor = next;
            if !more {
                report.deleted += store.finish_replacement()?;
                return Ok(horizon.and_then(|h| h.parse().ok()).unwrap_or(0));
            }
        }
    }
}

fn pull_args(cursor: &Cursor, horizon: &Option<String>, page_size: usize) -> Value {
    json!({"after_xid": cursor.xid, "after_id": cursor.id, "page_size": page_size, "horizon": horizon})
}

/// A table's columns in a page, shared by its rows: their names, and the positions of those whose
/// values come as JSON text (json, jsonb and array columns; see sync_pull).
struct PageColumns {
    names: Arc<[String]>,
    json_text: Vec<usize>,
}

fn page_columns(page: &Value) -> HashMap<String, PageColumns> {
    let Some(tables) = page["columns"].as_object() else { return HashMap::new() };
    tables
        .iter()
        .filter_map(|(table, names)| Some((table.clone(), PageColumns::read(names, &page["json_text"][table])?)))
        .collect()
}

impl PageColumns {
    /// From a list of names and the list of those sent as JSON text (absent: none).
    fn read(names: &Value, json_text: &Value) -> Option<PageColumns> {
        let names: Vec<String> =
            names.as_array()?.iter().map(|n| n.as_str().map(str::to_string)).collect::<Option<_>>()?;
        let json_text = json_text
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| names.iter().position(|name| Some(name.as_str()) == n.as_str()))
            .collect();
        Some(PageColumns { names: names.into(), json_text })
    }

    /// A row's values (one per column) with those sent as JSON text parsed.
    fn parse(&self, values: &mut [Value]) {
        for &i in &self.json_text {
            if let Some(Value::String(text)) = values.get_mut(i) {
                let text = std::mem::take(text);
                values[i] = outpost_core::values::json_from_text(text);
            }
        }
    }
}

/// The rows `sync_fetch` answered, by column name.
fn fetched_rows(answer: &mut Value) -> Result<Vec<Map<String, Value>>> {
    let bad = || not_a_page("sync_fetch", "no columns or rows");
    let cols = PageColumns::read(&answer["columns"], &answer["json_text"]).ok_or_else(bad)?;
    let Some(Value::Array(rows)) = answer.get_mut("rows").map(Value::take) else { return Err(bad()) };
    rows.into_iter()
        .map(|row| match row {
            Value::Array(mut values) if values.len() == cols.names.len() => {
                cols.parse(&mut values);
                Ok(cols.names.iter().cloned().zip(values).collect())
            }
            _ => Err(bad()),
        })
        .collect()
}

/// One change of a page: values in the order of their table's columns, or (an older server) a row
/// object. A change that is neither is an error, not skipped: its row would be missing for good.
fn pulled(mut c: Value, columns: &HashMap<String, PageColumns>) -> Result<Pulled> {
    let bad = || not_a_page("sync_pull", "a change without its table, id or values");
    let table = c["table"].as_str().ok_or_else(bad)?.to_string();
    let id = c["id"].as_str().map(str::to_string);
    let delete = c["op"] == "delete";
    match (delete, c.get_mut("values").map(Value::take), c.get_mut("row").map(Value::take)) {
        (true, _, _) => Ok(Pulled::Delete { table, id: id.ok_or_else(bad)? }),
        (_, Some(Value::Array(mut values)), _) => {
            let cols = columns.get(&table).filter(|c| c.names.len() == values.len()).ok_or_else(bad)?;
            cols.parse(&mut values);
            Ok(Pulled::Values { table, id: id.ok_or_else(bad)?, columns: cols.names.clone(), values })
        }
        (_, _, Some(Value::Object(row))) => Ok(Pulled::Upsert { table, row }),
        _ => Err(bad()),
    }
}

fn not_a_page(function: &str, what: &str) -> Error {
    Error::Api { status: 502, code: "not_a_page".into(), message: format!("{function} answered with {what}") }
}

/// The lock a sync cycle holds on `<database>.sync-lock`: two cycles at once (the app and
/// `outpost sync`, or two terminals) would read the same outbox batch and send it twice, and the
/// second sending's answers ("already processed") would be taken for refusals. The OS releases it
/// when the process ends, however it ends.
async fn sync_lock(db: &std::path::Path) -> Result<std::fs::File> {
    let mut name = db.as_os_str().to_owned();
    name.push(".sync-lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&name)
        .map_err(|e| Error::Store(outpost_core::Error::Io(e)))?;
    // A process this one starts (a test's server) holds a copy of the descriptor of the lock just
    // let go until it has started: a moment, not a sync — asked again for up to a second.
    let mut tries = 0;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) if tries < 20 => {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            Err(std::fs::TryLockError::WouldBlock) => return Err(Error::AlreadySyncing),
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::Store(outpost_core::Error::Io(e))),
        }
    }
}
