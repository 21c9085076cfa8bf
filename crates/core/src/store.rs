//! Opening the database: pragmas, migrations, change-capture triggers, and this laptop's identity.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::rows::Tx;
use crate::{capture, ids, time};

mod embedded {
    refinery::embed_migrations!("../../migrations");
}

/// Who writes: the organization new rows belong to and the profile that creates them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Identity {
    pub organization_id: String,
    pub user_id: String,
}

/// Page cache and memory-mapped reads for everyday work. The map covers a 1M-lead database whole
/// (SQLite's ceiling, 2 GiB less 64 KiB): a text filter sorted by name reads a table row per match,
/// and a mapped page costs no syscall and no copy into the page cache (50k matches: 85 → 45 ms).
/// The pages are the file's, shared with the OS's cache and reclaimable, not the app's own memory.
pub(crate) const CACHE_KIB: i64 = 32 * 1024;
pub(crate) const MMAP_BYTES: i64 = 0x7fff_0000;

/// How long a statement waits for another connection's write before failing with `Error::Busy`
/// (SQLite retries meanwhile, sleeping at most 100 ms between tries).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a patient store's write waits quietly before it says it is waiting, and then how often
/// it asks whether to go on waiting ([`Store::wait_for_writers`]): a sync's page or a rep's edit on
/// another connection holds the lock for milliseconds; an import or a first sync's indexing for up
/// to minutes.
const QUIET_WAIT: Duration = Duration::from_millis(300);

/// A store whose writes wait out another connection's long transaction (see
/// [`Store::wait_for_writers`]).
struct Patience {
    limit: Duration,
    on_wait: Box<dyn Fn(u32) -> bool + Send>,
}

/// Turns SQLite's CHECK constraints on or off for `conn` (a switch of the connection, allowed inside
/// a transaction; SQLite prepares every statement again after it).
pub(crate) fn check_constraints(conn: &Connection, on: bool) -> Result<()> {
    conn.execute_batch(if on {
        "PRAGMA ignore_check_constraints = OFF"
    } else {
        "PRAGMA ignore_check_constraints = ON"
    })?;
    Ok(())
}

/// Building an index sorts with up to the page cache's size in memory besides the cache itself:
/// after a load with a big cache (`Store::with_load_cache`), the everyday cache keeps the peak
/// down at no measurable cost (BENCHMARKS.md). The caller's settings come back with
/// `set_load_cache(None)`.
pub(crate) fn index_build_cache(conn: &Connection) -> Result<()> {
    conn.execute_batch(&format!("PRAGMA cache_size = -{CACHE_KIB};"))?;
    Ok(())
}

/// Fills the lead search index in bulk (`fill` is the INSERT): FTS5 writes a segment each time its
/// pending terms reach `hashsize` (1 MiB by default) and then merges the many small segments;
/// a bigger buffer for the load means fewer segments and less merging (1M-lead import: search
/// and tags 4.6 → 3.5 s, peak RSS 176 → 193 MB). The setting is stored with the index: it is set
/// back to the default afterwards, and a rollback undoes both.
pub(crate) fn fill_search(conn: &Connection, fill: &str, params: impl rusqlite::Params) -> Result<()> {
    conn.execute_batch(&format!("INSERT INTO leads_fts (leads_fts, rank) VALUES ('hashsize', {});", 64 << 20))?;
    conn.execute(fill, params)?;
    conn.execute_batch(&format!("INSERT INTO leads_fts (leads_fts, rank) VALUES ('hashsize', {});", 1 << 20))?;
    Ok(())
}

pub struct Store {
    conn: Connection,
    catalog: Catalog,
    identity: Identity,
    path: PathBuf,
    patience: Option<Patience>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        Store::open_with(path.as_ref(), None)
    }

    /// As [`Store::open`], for a store whose writes wait up to `limit` for another connection's
    /// (see [`Store::wait_for_writers`]) — opening too, which writes: the app starting, or a
    /// command run, while another process imports.
    pub fn open_waiting(
        path: impl AsRef<Path>,
        limit: Duration,
        on_wait: impl Fn(u32) -> bool + Send + 'static,
    ) -> Result<Store> {
        Store::open_with(path.as_ref(), Some(Patience { limit, on_wait: Box::new(on_wait) }))
    }

    fn open_with(path: &Path, patience: Option<Patience>) -> Result<Store> {
        let path = path.to_path_buf();
        let open_err = |reason: String| Error::Open { path: path.display().to_string(), reason };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| open_err(e.to_string()))?;
        }
        if path.is_dir() {
            return Err(open_err("that is a folder; name a database file in it (e.g. outpost.db)".into()));
        }
        let mut conn = Connection::open(&path).map_err(|e| open_err(unopenable(&path, &e.to_string())))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Another application's database is left as it is: the migrations (and write-ahead
        // logging) would add Outpost's tables to it.
        let (tables, ours): (i64, bool) = when_free(|| {
            conn.query_row(
                "SELECT count(*), count(*) FILTER (WHERE name = 'refinery_schema_history') > 0 FROM sqlite_master WHERE type = 'table'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
        })
        .map_err(|e| open_err(unreadable(&e.to_string())))?;
        if tables > 0 && !ours {
            return Err(open_err(
                "another application's database (it has tables, none of them Outpost's); choose another file".into(),
            ));
        }
        let mode: String = when_free(|| conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)))
            .map_err(|e| open_err(unreadable(&e.to_string())))?;
        if mode != "wal" {
            return Err(open_err(format!("cannot use write-ahead logging (journal mode {mode})")));
        }
        configure(&conn)?;
        let newest = embedded::migrations::runner().get_migrations().iter().map(|m| i64::from(m.version())).max();
        let applied = applied_version(&conn, ours)?;
        if let Some(applied) = applied.filter(|v| Some(*v) > newest) {
            return Err(open_err(format!(
                "written by a newer version of Outpost (schema {applied}; this one knows up to {}): update \
                 Outpost to open it",
                newest.unwrap_or_default()
            )));
        }
        if let Some(p) = &patience {
            conn.busy_timeout(p.limit)?;
        }
        // A database already set up by this version opens without writing: a command that only
        // reads (`outpost status` while the app imports a million rows) does not wait for a writer.
        let ready = if applied == newest {
            let catalog = Catalog::load(&conn)?;
            ready_as_is(&conn, &catalog)?.map(|identity| (catalog, identity))
        } else {
            None
        };
        let (catalog, identity) = match ready {
            Some(ready) => ready,
            None => {
                if let Some(p) = &patience {
                    // Waits its turn once, saying so; the writes below then wait as long as `p` allows.
                    patiently(&conn, p, || conn.execute_batch("BEGIN IMMEDIATE"))?;
                    conn.execute_batch("ROLLBACK")?;
                }
                migrate(&mut conn, patience.as_ref())?;
                let catalog = Catalog::load(&conn)?;
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                crate::sort_key::refresh_indexes(&tx)?;
                capture::install(&tx, &catalog)?;
                let identity = ensure_identity(&tx)?;
                // Capture is only ever off (and an origin set) inside a transaction; make sure no
                // earlier bug left it so.
                tx.execute_batch(
                    "UPDATE sync_capture SET capture = 1, origin = NULL WHERE id = 1 AND (capture = 0 OR origin IS NOT NULL);",
                )?;
                tx.commit()?;
                (catalog, identity)
            }
        };
        let mut store = Store { conn, catalog, identity, path, patience };
        // A first sync that died mid-way left its indexes dropped: put them back. If that fails the
        // database still opens (slower, but usable) and the next sync tries again.
        if let Err(e) = store.end_bulk_load() {
            tracing::error!(error = %e, "could not restore indexes after an interrupted first sync");
        }
        Ok(store)
    }

    /// Another connection to a database this process already opened with [`Store::open`] (migrated,
    /// triggers installed, identity made): for the app's sync engine and imports. It writes nothing
    /// at open — in particular it does not put back the indexes a first sync on another connection
    /// may have dropped for its load.
    pub fn connect(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let open_err = |reason: String| Error::Open { path: path.display().to_string(), reason };
        let conn = reopen(&path).map_err(|e| open_err(e.to_string()))?;
        let catalog = Catalog::load(&conn)?;
        let identity = read_identity(&conn)?.ok_or_else(|| open_err("not opened by Outpost yet".into()))?;
        Ok(Store { conn, catalog, identity, path, patience: None })
    }

    /// Swaps the connection for a new one to the same file, after a bulk fill of the search index.
    /// FTS5 keeps the terms it has not written yet in a hash table per connection that grows with
    /// the biggest fill and never shrinks, and every later statement of a transaction that touched
    /// the index scans and clears the whole table (each statement's savepoint writes the terms
    /// out): after a first sync of 100k leads, the same connection spent most of its time there.
    pub(crate) fn reconnect(&mut self) -> Result<()> {
        self.conn = reopen(&self.path)?;
        if let Some(p) = &self.patience {
            self.conn.busy_timeout(p.limit)?;
        }
        Ok(())
    }

    /// Runs `f` with foreign-key enforcement off (it can only change outside a transaction), and
    /// turns it back on whatever `f` returned.
    pub(crate) fn without_foreign_keys<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("PRAGMA foreign_keys = OFF;")?;
        let result = f(self);
        self.conn.execute_batch("PRAGMA foreign_keys = ON;")?;
        result
    }

    /// Runs `f`, which writes the server's rows, without the local foreign-key and CHECK rules: the
    /// server enforced the same rules when the rows were written and its copy is final (pages come
    /// in any table order; a rule the server relaxed would otherwise stop every later pull at that
    /// page). Values are still converted to the local formats on the way in (timestamps, JSON);
    /// unique keys stay enforced (a clash moves the local row aside). The CHECKs are ~40% of
    /// SQLite's time per written row.
    pub(crate) fn as_server_rows<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("PRAGMA ignore_check_constraints = ON; PRAGMA foreign_keys = OFF;")?;
        // The rules come back even if `f` panics (a caller that catches it keeps using the store).
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self)));
        let restored = self.conn.execute_batch("PRAGMA ignore_check_constraints = OFF; PRAGMA foreign_keys = ON;");
        match result {
            Ok(result) => {
                let value = result?;
                restored?;
                Ok(value)
            }
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// Why the signed-in member may only read this CRM (a viewer, a removed profile), or None: the
    /// writes [`Store::write`] would refuse with [`Error::ViewOnly`].
    pub fn view_only(&self) -> Result<Option<String>> {
        crate::rows::view_only(&self.conn, &self.identity.user_id)
    }

    /// Whether this database was signed in by `user_id` (not still a local placeholder, not someone
    /// else's): the sync engine works only then.
    pub fn belongs_to(&self, user_id: &str) -> Result<bool> {
        let local = self.setting("identity_is_local")?.is_some();
        Ok(!local && read_identity(&self.conn)?.is_some_and(|i| i.user_id == user_id))
    }

    /// The email of the account this database holds the data of (None before any sign-in, or its
    /// profile not here yet).
    pub fn account_email(&self) -> Result<Option<String>> {
        if self.setting("identity_is_local")?.is_some() {
            return Ok(None);
        }
        Ok(self
            .conn
            .query_row("SELECT email FROM profiles WHERE id = ?1", [&self.identity.user_id], |r| r.get(0))
            .optional()?
            .flatten())
    }

    /// Re-reads the identity after another connection (the app's sync engine) signed in.
    pub fn reload_identity(&mut self) -> Result<()> {
        self.identity = ensure_identity(&self.conn)?;
        Ok(())
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Read access for queries; writes go through [`Store::write`].
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// After the first sign-in: everything made under the local placeholder identity moves to the
    /// user's organization and profile (and so syncs as theirs). A database already bound to another
    /// user or organization is refused: one local database per project and user.
    pub fn adopt_identity(&mut self, organization_id: &str, user_id: &str) -> Result<()> {
        let new = Identity { organization_id: organization_id.to_string(), user_id: user_id.to_string() };
        if self.identity == new {
            return Ok(());
        }
        let local: Option<String> = self
            .conn
            .query_row("SELECT value FROM local_settings WHERE key = 'identity_is_local'", [], |r| r.get(0))
            .optional()?;
        if local.is_none() {
            // Named as the rep knows it: the account's email and project, and what still waits.
            let email: Option<String> = self
                .conn
                .query_row("SELECT email FROM profiles WHERE id = ?1", [&self.identity.user_id], |r| r.get(0))
                .optional()?;
            let project: Option<String> = self.setting("supabase_url")?;
            let waiting = self.pending_count()?;
            let who = email.unwrap_or_else(|| format!("another account (user {})", self.identity.user_id));
            return Err(Error::AnotherAccount(format!(
                "this Outpost database ({}) holds the data of {who}{}{}: sign in as {who} again, or use another \
                 database file for this account (the command line's --db; for the app, the OUTPOST_DB environment variable)",
                self.path.display(),
                project.map(|p| format!(" at {p}")).unwrap_or_default(),
                match waiting {
                    0 => String::new(),
                    1 => ", with 1 change still to send there".into(),
                    n => format!(", with {n} changes still to send there"),
                },
            )));
        }
        let demo = crate::demo::lead_ids(self)?.len();
        if demo == 0 {
            crate::demo::forget_removed(self)?;
        }
        if demo > 0 {
            return Err(Error::DemoData(format!(
                "this computer holds {demo} demo leads, made up for trying Outpost: remove them first (in the app: \
                 Settings → Demo data → Remove), or they would be sent to your team"
            )));
        }
        let old = self.identity.clone();
        let catalog = self.catalog.clone();
        self.without_foreign_keys(|s| -> Result<()> {
            let tx = s.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Moving rows to the user's organization and profile is nobody's work on the leads.
            tx.execute_batch("UPDATE sync_capture SET origin = 'identity' WHERE id = 1;")?;
            for t in catalog.tables() {
                for c in &t.columns {
                    let (from, to) = match (c.name.as_str(), c.references.as_deref()) {
                        ("organization_id", _) if t.name != "profiles" => (&old.organization_id, &new.organization_id),
                        (_, Some("profiles")) => (&old.user_id, &new.user_id),
                        _ => continue,
                    };
                    tx.execute(
                        &format!("UPDATE \"{}\" SET \"{}\" = ?1 WHERE \"{}\" = ?2", t.name, c.name, c.name),
                        [to, from],
                    )?;
                }
            }
            tx.execute_batch("UPDATE sync_capture SET capture = 0 WHERE id = 1;")?;
            tx.execute("DELETE FROM profiles WHERE id = ?1", [&old.user_id])?;
            tx.execute("DELETE FROM organizations WHERE id = ?1", [&old.organization_id])?;
            tx.execute_batch("UPDATE sync_capture SET capture = 1, origin = NULL WHERE id = 1;")?;
            tx.execute(
                "UPDATE local_settings SET value = CASE key WHEN 'organization_id' THEN ?1 ELSE ?2 END
                 WHERE key IN ('organization_id', 'user_id')",
                [&new.organization_id, &new.user_id],
            )?;
            tx.execute("DELETE FROM local_settings WHERE key = 'identity_is_local'", [])?;
            tx.commit()?;
            Ok(())
        })?;
        self.identity = new;
        Ok(())
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Makes this store's writes wait up to `limit` for another connection's transaction instead of
    /// failing after SQLite's usual 10 s. For the app's own connection: an import of a million rows
    /// or a first sync's indexing holds the database for minutes, and a rep's edit meanwhile must
    /// land after it, not fail. A write that has waited a moment calls `on_wait(0)` (say it waits),
    /// then `on_wait(1)`, `on_wait(2)`… every 300 ms while it waits; `false` stops the wait and the
    /// write fails as interrupted (an import's Cancel).
    pub fn wait_for_writers(&mut self, limit: Duration, on_wait: impl Fn(u32) -> bool + Send + 'static) -> Result<()> {
        self.conn.busy_timeout(limit)?;
        self.patience = Some(Patience { limit, on_wait: Box::new(on_wait) });
        Ok(())
    }

    /// BEGIN IMMEDIATE, waiting for another connection's write as this store was told to.
    pub(crate) fn begin(&self) -> Result<Transaction<'_>> {
        let immediate = || Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate);
        match &self.patience {
            Some(p) => patiently(&self.conn, p, immediate),
            None => Ok(immediate()?),
        }
    }

    /// Waits, as this store was told to, until no other connection is writing, and lets go at once:
    /// before work that would be wasted if its result could not be written (a sync sending a batch
    /// whose answer it records). Fails with [`Error::Busy`] when the wait runs out.
    pub fn wait_until_writable(&self) -> Result<()> {
        // Dropping the transaction rolls it back; it wrote nothing.
        drop(self.begin()?);
        Ok(())
    }

    /// Runs `f` in one IMMEDIATE transaction: everything it writes lands, or nothing does.
    pub fn write<T>(&mut self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        let tx = self.begin()?;
        let mut w = Tx::new(tx, &self.catalog, &self.identity);
        let out = f(&mut w)?;
        w.commit()?;
        Ok(out)
    }

    /// Runs `f` in a transaction and rolls it back: a dry run sees exactly what `write` would do.
    pub fn dry_run<T>(&mut self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        let tx = self.begin()?;
        let mut w = Tx::new(tx, &self.catalog, &self.identity);
        f(&mut w)
    }

    /// Updates the query planner's statistics; cheap when little changed.
    pub fn optimize(&self) -> Result<()> {
        self.conn.execute_batch("PRAGMA optimize = 0x10002;")?;
        Ok(())
    }
}

/// Runs `lock` (a statement taking the write lock), waiting for another connection's write in
/// steps of `QUIET_WAIT` up to the patience's limit and asking `on_wait` after each (SQLite's own
/// wait cannot be stopped); the connection is left with the limit as its timeout.
fn patiently<T>(conn: &Connection, p: &Patience, lock: impl Fn() -> rusqlite::Result<T>) -> Result<T> {
    conn.busy_timeout(QUIET_WAIT)?;
    let started = std::time::Instant::now();
    let mut asked = 0;
    let locked = loop {
        match lock() {
            Err(e) if is_busy(&e) && started.elapsed() < p.limit => {
                if !(p.on_wait)(asked) {
                    conn.busy_timeout(p.limit)?;
                    let stopped = "stopped while waiting for another Outpost to finish writing";
                    return Err(Error::Io(std::io::Error::new(std::io::ErrorKind::Interrupted, stopped)));
                }
                asked += 1;
            }
            other => break other,
        }
    };
    conn.busy_timeout(p.limit)?;
    Ok(locked?)
}

/// Runs `f` again while the database is busy, up to SQLite's usual wait: a new file's first
/// statements (switching it to write-ahead logging) meet another process doing the same at once,
/// where SQLite answers "busy" without waiting.
fn when_free<T>(f: impl Fn() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let started = std::time::Instant::now();
    loop {
        match f() {
            Err(e) if is_busy(&e) && started.elapsed() < BUSY_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// Whether a migration failed because another process applied it (or was applying it) meanwhile.
fn applied_meanwhile(error: &str) -> bool {
    ["already exists", "duplicate column", "refinery_schema_history", "locked", "busy"]
        .iter()
        .any(|m| error.contains(m))
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DatabaseBusy)
}

fn reopen(path: &Path) -> Result<Connection> {
    use rusqlite::OpenFlags as F;
    // Connection::open's flags, less CREATE: the database must exist.
    let conn =
        Connection::open_with_flags(path, F::SQLITE_OPEN_READ_WRITE | F::SQLITE_OPEN_URI | F::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    configure(&conn)?;
    Ok(conn)
}

/// Every connection's settings. synchronous=NORMAL is durable in WAL mode across process crashes
/// (a power cut can lose the last commits, never corrupt). Memory-mapped reads skip a syscall per
/// page: lead list pages at a million leads read thousands of pages. Imports and pulls cycle
/// through many statement shapes; re-preparing them costs more than the rows.
fn configure(conn: &Connection) -> Result<()> {
    crate::sort_key::register(conn)?;
    conn.set_prepared_statement_cache_capacity(256);
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;
         PRAGMA mmap_size = {MMAP_BYTES}; PRAGMA cache_size = -{CACHE_KIB};"
    ))?;
    Ok(())
}

/// A local setting, read on any connection (a store's, or a transaction of it).
pub(crate) fn setting_in(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM local_settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

fn read_identity(conn: &Connection) -> Result<Option<Identity>> {
    let get = |key: &str| setting_in(conn, key);
    Ok(match (get("organization_id")?, get("user_id")?) {
        (Some(organization_id), Some(user_id)) => Some(Identity { organization_id, user_id }),
        _ => None,
    })
}

/// Until the laptop signs in to a team, its rows belong to a local organization and profile. They
/// are created with capture off: they are placeholders, not changes for the server.
fn ensure_identity(conn: &Connection) -> Result<Identity> {
    if let Some(identity) = read_identity(conn)? {
        return Ok(identity);
    }
    let organization_id = ids::new_id();
    let user_id = ids::new_id();
    let now = time::now();
    conn.execute_batch("UPDATE sync_capture SET capture = 0 WHERE id = 1;")?;
    conn.execute(
        "INSERT INTO organizations (id, name, created_at, updated_at) VALUES (?1, 'My organization', ?2, ?2)",
        (&organization_id, &now),
    )?;
    conn.execute(
        "INSERT INTO profiles (id, organization_id, email, full_name, role, created_at, updated_at)
         VALUES (?1, ?2, 'me@localhost', 'Me', 'admin', ?3, ?3)",
        (&user_id, &organization_id, &now),
    )?;
    conn.execute_batch("UPDATE sync_capture SET capture = 1 WHERE id = 1;")?;
    conn.execute(
        "INSERT INTO local_settings (key, value) VALUES ('organization_id', ?1), ('user_id', ?2), ('identity_is_local', '1')",
        (&organization_id, &user_id),
    )?;
    Ok(Identity { organization_id, user_id })
}

/// Why a file could not be opened as a database, in words: a read-only one (even reading a WAL
/// database writes its shared-memory file) is not "not an Outpost database".
fn unreadable(sqlite: &str) -> String {
    if sqlite.contains("readonly") || sqlite.contains("read-only") {
        "the file or its folder is read-only: Outpost writes to its database (check the permissions)".into()
    } else if sqlite.contains("locked") || sqlite.contains("busy") {
        "another program holds the database locked (an SQLite tool with a transaction open?): close it and try again"
            .into()
    } else if sqlite.contains("malformed") {
        "the database file is damaged (malformed): restore it from a backup, or open another file".into()
    } else {
        format!("not an Outpost database ({sqlite})")
    }
}

/// Why a database file could not be opened at all, in words.
fn unopenable(path: &Path, sqlite: &str) -> String {
    let folder = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let read_only_folder = !path.exists() && folder.metadata().is_ok_and(|m| m.permissions().readonly());
    if read_only_folder || sqlite.contains("unable to open") && !path.exists() {
        format!("cannot create a database in {} (no permission to write there?)", folder.display())
    } else {
        unreadable(sqlite)
    }
}

/// The newest migration applied to the database (None: none yet).
fn applied_version(conn: &Connection, ours: bool) -> Result<Option<i64>> {
    if !ours {
        return Ok(None);
    }
    Ok(conn.query_row("SELECT max(version) FROM refinery_schema_history", [], |r| r.get(0))?)
}

/// The identity, when opening would write nothing: the search-sort indexes, capture triggers,
/// identity and capture switch are as this version sets them, and no interrupted first sync waits
/// to be ended.
fn ready_as_is(conn: &Connection, catalog: &Catalog) -> Result<Option<Identity>> {
    let settled: bool = conn.query_row(
        "SELECT (SELECT capture = 1 AND origin IS NULL FROM sync_capture WHERE id = 1)
            AND NOT EXISTS (SELECT 1 FROM local_settings WHERE key = 'bulk_load')
            AND (SELECT value FROM local_settings WHERE key = 'sort_key_tables') IS ?1",
        [crate::sort_key::tables_version()],
        |r| Ok(r.get::<_, Option<bool>>(0)?.unwrap_or(false)),
    )?;
    if !settled || !capture::installed(conn, catalog)? {
        return Ok(None);
    }
    read_identity(conn)
}

/// Runs the migrations. Another process opening the same database at the same moment (the app and
/// `outpost sync --watch` starting together after an update) may apply some first, and refinery
/// then meets them applied under its feet ("already exists"): the other's turn is waited for and
/// the migrations run again, skipping what it applied (each migration is one transaction).
fn migrate(conn: &mut Connection, patience: Option<&Patience>) -> Result<()> {
    let runner = || embedded::migrations::runner();
    let mut tries = runner().get_migrations().len();
    loop {
        match runner().run(conn) {
            Ok(_) => return Ok(()),
            Err(e) if tries > 0 && applied_meanwhile(&e.to_string()) => {
                tries -= 1;
                tracing::info!(error = %e, "migrating again: another process migrated meanwhile");
                match patience {
                    Some(p) => patiently(conn, p, || conn.execute_batch("BEGIN IMMEDIATE"))?,
                    None => conn.execute_batch("BEGIN IMMEDIATE")?,
                }
                conn.execute_batch("ROLLBACK")?;
            }
            Err(e) => return Err(Error::Migration(e.to_string())),
        }
    }
}
