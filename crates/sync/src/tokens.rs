//! Where the refresh token lives: the OS keychain in production, memory in tests. Never the SQLite
//! file, never a log line.

use std::sync::{Arc, Mutex};

use crate::client::Session;
use crate::error::{Error, Result};

pub trait TokenStore: Send + Sync {
    fn load(&self) -> Result<Option<Session>>;
    fn save(&self, session: &Session) -> Result<()>;
    fn clear(&self) -> Result<()>;
}

/// The tokens' home for a project: the OS keychain, or the file OUTPOST_TOKEN_FILE names where there
/// is no keychain (tests, servers).
pub fn for_project(project_url: &str) -> Result<Arc<dyn TokenStore>> {
    Ok(match std::env::var_os("OUTPOST_TOKEN_FILE") {
        Some(path) => Arc::new(FileStore::new(path)),
        None => Arc::new(Keychain::for_project(project_url)?),
    })
}

/// The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows),
/// one entry per Supabase project.
pub struct Keychain {
    entry: keyring::Entry,
}

impl Keychain {
    pub fn for_project(project_url: &str) -> Result<Keychain> {
        let entry = keyring::Entry::new("outpost", project_url).map_err(|e| Error::Keychain(e.to_string()))?;
        Ok(Keychain { entry })
    }
}

impl TokenStore for Keychain {
    fn load(&self) -> Result<Option<Session>> {
        match self.entry.get_password() {
            Ok(s) => Ok(serde_json::from_str(&s).ok()),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(Error::Keychain(e.to_string())),
        }
    }

    fn save(&self, session: &Session) -> Result<()> {
        let s = serde_json::to_string(session).map_err(|e| Error::Keychain(e.to_string()))?;
        self.entry.set_password(&s).map_err(|e| Error::Keychain(e.to_string()))
    }

    fn clear(&self) -> Result<()> {
        match self.entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(Error::Keychain(e.to_string())),
        }
    }
}

/// For tests and for running without a keychain: forgotten when the process ends.
#[derive(Default, Clone)]
pub struct MemoryStore(Arc<Mutex<Option<Session>>>);

impl TokenStore for MemoryStore {
    fn load(&self) -> Result<Option<Session>> {
        Ok(self.0.lock().map_err(|e| Error::Keychain(e.to_string()))?.clone())
    }

    fn save(&self, session: &Session) -> Result<()> {
        *self.0.lock().map_err(|e| Error::Keychain(e.to_string()))? = Some(session.clone());
        Ok(())
    }

    fn clear(&self) -> Result<()> {
        *self.0.lock().map_err(|e| Error::Keychain(e.to_string()))? = None;
        Ok(())
    }
}

/// A file readable only by the user, for tests and headless machines without a keychain
/// (selected with OUTPOST_TOKEN_FILE). The keychain is the default everywhere else.
pub struct FileStore {
    path: std::path::PathBuf,
}

impl FileStore {
    pub fn new(path: impl Into<std::path::PathBuf>) -> FileStore {
        FileStore { path: path.into() }
    }
}

impl TokenStore for FileStore {
    fn load(&self) -> Result<Option<Session>> {
        match std::fs::read_to_string(&self.path) {
            Ok(s) => Ok(serde_json::from_str(&s).ok()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::Keychain(format!("{}: {e}", self.path.display()))),
        }
    }

    fn save(&self, session: &Session) -> Result<()> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let err = |e: std::io::Error| Error::Keychain(format!("{}: {e}", self.path.display()));
        let tmp = self.path.with_extension("tmp");
        let mut f =
            std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&tmp).map_err(err)?;
        let body = serde_json::to_vec(session).map_err(|e| Error::Keychain(e.to_string()))?;
        f.write_all(&body).and_then(|_| f.sync_all()).map_err(err)?;
        std::fs::rename(&tmp, &self.path).map_err(err)
    }

    fn clear(&self) -> Result<()> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::Keychain(format!("{}: {e}", self.path.display()))),
        }
    }
}
