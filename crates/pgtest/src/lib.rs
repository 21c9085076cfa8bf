//! An ephemeral PostgreSQL cluster for tests: `initdb` into a temp dir, started on a free loopback
//! port, stopped and removed when the handle drops (also when a test panics).
//!
//! initdb refuses to run as root, so as root the server runs as the `postgres` system user.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("PostgreSQL binaries not found in {0} (install Debian's postgresql-15, or set PG_BIN)")]
    NoBinaries(PathBuf),
    #[error("{what} failed: {detail}")]
    Command { what: String, detail: String },
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T> = std::result::Result<T, Error>;

pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    run_as: Option<String>,
}

impl Cluster {
    /// Creates and starts a new cluster; superuser `postgres`, trust auth, 127.0.0.1 only.
    pub fn start() -> Result<Cluster> {
        let bin = std::env::var_os("PG_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/usr/lib/postgresql/15/bin"));
        if !bin.join("initdb").exists() {
            return Err(Error::NoBinaries(bin));
        }
        let dir = tempfile::Builder::new().prefix("outpost-pg-").tempdir()?;
        let run_as = if is_root() {
            chown_to_postgres(dir.path())?;
            Some("postgres".to_string())
        } else {
            None
        };
        let mut cluster = Cluster { dir, bin, port: 0, run_as };
        let data = cluster.data_dir();
        cluster.run(
            "initdb",
            &["-D", path_str(&data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
        )?;
        // The port is picked just before the start, and picked again when another process took it
        // meanwhile (the start then fails on its bind): a free port is only free until bound.
        let log = cluster.dir.path().join("server.log");
        for attempt in 1..=3 {
            cluster.port = free_port()?;
            // No autovacuum: its ANALYZE transactions hold back the xid horizon at random moments,
            // and a test that expects the next pull to see a commit would then need a second pull.
            let opts = format!(
                "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off",
                cluster.port,
                path_str(cluster.dir.path())
            );
            let started = cluster
                .run("pg_ctl", &["start", "-w", "-t", "60", "-D", path_str(&data), "-l", path_str(&log), "-o", &opts]);
            let Err(e) = started else { break };
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            cluster.port = 0;
            if attempt == 3 || !text.contains("could not bind") {
                return Err(Error::Command { what: "pg_ctl start".into(), detail: format!("{e}\n{text}") });
            }
        }
        Ok(cluster)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A libpq URI for the superuser.
    pub fn uri(&self, database: &str) -> String {
        format!("postgresql://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Runs an SQL file as the superuser, stopping at the first error.
    pub fn apply_file(&self, file: &Path) -> Result<()> {
        let sql = std::fs::read_to_string(file)?;
        self.psql(&["-f", "-"], Some(&sql)).map_err(|e| match e {
            Error::Command { detail, .. } => Error::Command { what: format!("applying {}", file.display()), detail },
            other => other,
        })?;
        Ok(())
    }

    /// Runs SQL text as the superuser, stopping at the first error.
    pub fn apply_sql(&self, sql: &str) -> Result<()> {
        self.psql(&["-f", "-"], Some(sql))?;
        Ok(())
    }

    /// Runs one query and returns its rows, fields separated by `|`.
    pub fn query(&self, sql: &str) -> Result<Vec<String>> {
        let out = self.psql(&["-A", "-t", "-c", sql], None)?;
        Ok(out.lines().map(str::to_string).filter(|l| !l.is_empty()).collect())
    }

    fn psql(&self, args: &[&str], stdin: Option<&str>) -> Result<String> {
        let port = self.port.to_string();
        let mut all = vec!["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", &port];
        all.extend_from_slice(&["-U", "postgres", "-d", "postgres"]);
        all.extend_from_slice(args);
        let mut cmd = Command::new(self.bin.join("psql"));
        cmd.args(&all);
        let out = match stdin {
            None => cmd.output()?,
            Some(text) => {
                use std::io::Write;
                let mut child = cmd
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()?;
                if let Some(mut input) = child.stdin.take() {
                    input.write_all(text.as_bytes())?;
                }
                child.wait_with_output()?
            }
        };
        check("psql", out)
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn run(&self, tool: &str, args: &[&str]) -> Result<String> {
        let exe = self.bin.join(tool);
        let out = match &self.run_as {
            Some(user) => Command::new("runuser").arg("-u").arg(user).arg("--").arg(&exe).args(args).output()?,
            None => Command::new(&exe).args(args).output()?,
        };
        check(tool, out)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.port != 0 {
            let data = self.data_dir();
            let _ = self.run("pg_ctl", &["stop", "-w", "-m", "immediate", "-D", path_str(&data)]);
        }
    }
}

fn check(what: &str, out: Output) -> Result<String> {
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(Error::Command {
            what: what.to_string(),
            detail: format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
        })
    }
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap_or_default()
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

fn chown_to_postgres(dir: &Path) -> Result<()> {
    let out = Command::new("chown").arg("postgres:postgres").arg(dir).output()?;
    check("chown postgres", out).map(|_| ())
}
