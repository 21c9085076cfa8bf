//! A local Supabase for tests and demos (SUPABASE.md): an ephemeral PostgreSQL 15 cluster with
//! Supabase's bootstrap and our `supabase/migrations`, the real PostgREST, and a gateway serving
//! `/rest/v1` (PostgREST) and `/auth/v1` (the Auth stand-in) behind the `apikey` header.
//!
//! Everything listens on 127.0.0.1 only. Dropping the handle — also when a test panics — stops the
//! gateway, PostgREST and PostgreSQL and removes their temp dirs.

mod auth;
mod faults;
mod gateway;
mod jwt;
pub mod postgrest;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use auth::AuthSettings;
pub use faults::Faults;
pub use jwt::Keys;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("stand-in setup: {0}")]
    Setup(String),
    #[error(transparent)]
    Postgres(#[from] pgtest::Error),
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

const AUTH_INTERNAL_SQL: &str = include_str!("../sql/auth_internal.sql");

/// The repository's `supabase/` directory: $OUTPOST_SUPABASE_DIR, else the nearest one above the
/// working directory (tests run in their crate's directory, `cargo run` in the repository). Not a
/// path baked in at compile time: a shared build cache may serve a build made in another clone.
pub fn supabase_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("OUTPOST_SUPABASE_DIR") {
        return PathBuf::from(dir);
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    cwd.ancestors()
        .map(|d| d.join("supabase"))
        .find(|d| d.join("bootstrap.sql").is_file())
        .unwrap_or_else(|| cwd.join("supabase"))
}

pub struct Standin {
    /// The project URL a client is configured with, e.g. http://127.0.0.1:41234
    pub url: String,
    pub keys: Keys,
    shared: Arc<gateway::Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    /// Says when the gateway has stopped listening (its socket closed).
    serving: Option<std::sync::mpsc::Receiver<()>>,
    runtime: Option<tokio::runtime::Runtime>,
    postgrest: Option<postgrest::PostgRest>,
    pg: pgtest::Cluster,
    _dir: tempfile::TempDir,
}

impl Standin {
    pub fn start() -> Result<Standin, Error> {
        Standin::start_with(AuthSettings::default())
    }

    pub fn start_with(settings: AuthSettings) -> Result<Standin, Error> {
        let dir = tempfile::Builder::new().prefix("outpost-standin-").tempdir()?;
        let pg = pgtest::Cluster::start()?;
        let supabase = supabase_dir();
        pg.apply_file(&supabase.join("bootstrap.sql"))?;
        pg.apply_sql(AUTH_INTERNAL_SQL)?;
        let mut migrations: Vec<PathBuf> = std::fs::read_dir(supabase.join("migrations"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "sql"))
            .collect();
        migrations.sort();
        for m in &migrations {
            pg.apply_file(m)?;
        }
        let keys = Keys::generate();
        let rest = postgrest::PostgRest::start(dir.path(), pg.port(), &keys.secret)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .thread_name("standin-gateway")
            .build()?;
        // Set up on a thread of our own: the caller may itself be inside a tokio runtime.
        let handle = runtime.handle().clone();
        let db_port = pg.port();
        let (listener, db) = std::thread::spawn(move || {
            handle.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
                let (client, conn) = tokio_postgres::connect(
                    &format!("host=127.0.0.1 port={db_port} user=postgres dbname=postgres"),
                    tokio_postgres::NoTls,
                )
                .await
                .map_err(|e| Error::Setup(format!("connecting to PostgreSQL: {e}")))?;
                tokio::spawn(conn);
                Ok::<_, Error>((listener, client))
            })
        })
        .join()
        .map_err(|_| Error::Setup("gateway setup thread panicked".into()))??;
        let port = listener.local_addr()?.port();
        let url = format!("http://127.0.0.1:{port}");
        let shared = Arc::new(gateway::Shared {
            keys: keys.clone(),
            postgrest: format!("http://127.0.0.1:{}", rest.port),
            // No idle pooled connections: one closed by PostgREST while a request was being sent on
            // it made a rare 502 in CI.
            http: reqwest::Client::builder()
                .pool_max_idle_per_host(0)
                .build()
                .map_err(|e| Error::Setup(format!("HTTP client: {e}")))?,
            faults: Faults::default(),
            auth: auth::Auth::new(Arc::new(db), format!("{url}/auth/v1"), settings),
            online: tokio::sync::watch::channel(true).0,
        });
        let (tx, rx) = tokio::sync::oneshot::channel();
        let serving = spawn_serve(&runtime, listener, shared.clone(), rx);
        Ok(Standin {
            url,
            keys,
            shared,
            shutdown: Some(tx),
            serving: Some(serving),
            runtime: Some(runtime),
            postgrest: Some(rest),
            pg,
            _dir: dir,
        })
    }

    pub fn anon_key(&self) -> &str {
        &self.keys.anon_key
    }

    pub fn service_role_key(&self) -> &str {
        &self.keys.service_role_key
    }

    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Access tokens issued from now on live this long (for expiry tests).
    pub fn set_token_ttl(&self, ttl: Duration) {
        if let Ok(mut s) = self.shared.auth.settings.lock() {
            s.token_ttl = ttl;
        }
    }

    pub fn set_refresh_reuse_interval(&self, d: Duration) {
        if let Ok(mut s) = self.shared.auth.settings.lock() {
            s.reuse_interval = d;
        }
    }

    /// Signs an arbitrary claim set with the project secret (e.g. an already-expired token).
    pub fn sign(&self, claims: &serde_json::Value) -> String {
        self.keys.sign(claims)
    }

    /// Runs SQL as the superuser (bypassing RLS), returning rows with fields separated by `|`.
    pub fn sql(&self, sql: &str) -> Result<Vec<String>, Error> {
        Ok(self.pg.query(sql)?)
    }

    /// A superuser connection string, for direct writes "by another client".
    pub fn db_uri(&self) -> String {
        self.pg.uri("postgres")
    }

    pub fn create_organization(&self, name: &str) -> Result<Uuid, Error> {
        let id = Uuid::now_v7();
        self.sql(&format!(
            "INSERT INTO public.organizations (id, name, created_at, updated_at) VALUES ('{id}', {}, now(), now())",
            quote(name)
        ))?;
        Ok(id)
    }

    /// An auth user with a confirmed email and a profile in `organization` with `role`.
    pub fn create_user(&self, email: &str, password: &str, organization: Uuid, role: &str) -> Result<Uuid, Error> {
        let id = Uuid::new_v4();
        let hash = bcrypt::hash(password, 4).map_err(|e| Error::Setup(e.to_string()))?;
        self.sql(&format!(
            "INSERT INTO auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, confirmed_at,
               raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
             VALUES ('00000000-0000-0000-0000-000000000000', '{id}', 'authenticated', 'authenticated', {e}, {h}, now(), now(),
               '{{\"provider\":\"email\",\"providers\":[\"email\"]}}', '{{}}', now(), now());
             INSERT INTO public.profiles (id, organization_id, email, full_name, role, created_at, updated_at)
             VALUES ('{id}', '{organization}', {e}, {e}, {r}, now(), now());",
            e = quote(&email.to_lowercase()),
            h = quote(&hash),
            r = quote(role),
        ))?;
        Ok(id)
    }

    /// "The network is gone": the gateway stops listening (connections are refused) and cuts the
    /// open ones. The database keeps everything.
    pub fn go_offline(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.shared.online.send_replace(false);
        if let Some(done) = self.serving.take() {
            let _ = done.recv_timeout(std::time::Duration::from_secs(10));
        }
    }

    /// Listens again on the same port.
    pub fn come_back(&mut self) -> Result<(), Error> {
        let Some(rt) = &self.runtime else {
            return Err(Error::Setup("the stand-in was shut down".into()));
        };
        let port: u16 = self.url.rsplit(':').next().and_then(|p| p.parse().ok()).unwrap_or(0);
        // Registering the socket needs the runtime's context; SO_REUSEADDR because the cut
        // connections leave the port in TIME_WAIT.
        let _in_runtime = rt.enter();
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.set_reuseaddr(true)?;
        socket.bind(std::net::SocketAddr::from(([127, 0, 0, 1], port)))?;
        let listener = socket.listen(1024)?;
        self.shared.online.send_replace(true);
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.serving = Some(spawn_serve(rt, listener, self.shared.clone(), rx));
        self.shutdown = Some(tx);
        Ok(())
    }

    /// Stops PostgREST (the API answers 502) — "the server is down" without losing its data.
    pub fn stop_api(&mut self) {
        self.postgrest = None;
    }
}

impl Drop for Standin {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
        self.postgrest = None;
    }
}

/// Runs the gateway on `listener`; the receiver hears when it has stopped (the socket is closed).
fn spawn_serve(
    rt: &tokio::runtime::Runtime,
    listener: tokio::net::TcpListener,
    shared: Arc<gateway::Shared>,
    shutdown: tokio::sync::oneshot::Receiver<()>,
) -> std::sync::mpsc::Receiver<()> {
    let (done, stopped) = std::sync::mpsc::channel();
    rt.spawn(async move {
        gateway::serve(listener, shared, shutdown).await;
        let _ = done.send(());
    });
    stopped
}

/// An SQL string literal.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}
