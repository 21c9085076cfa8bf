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
        let err = |e: std::io::Error| Error::TokenFile(format!("{}: {e}", self.path.display()));
        let text = match std::fs::read_to_string(&self.path) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(err(e)),
        };
        // A session others can read is no longer only the rep's: not used (this store writes its
        // files for the user alone).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&self.path).map_err(err)?.permissions().mode();
            if mode & 0o077 != 0 {
                return Err(Error::TokenFile(format!(
                    "{} can be read by other users of this computer (mode {:o}): delete it and sign in again, on a \
                     disk that keeps files private (not a Windows or network share)",
                    self.path.display(),
                    mode & 0o777
                )));
            }
        }
        Ok(serde_json::from_str(&text).ok())
    }

    fn save(&self, session: &Session) -> Result<()> {
        use std::io::Write;
        let err = |e: std::io::Error| Error::TokenFile(format!("{}: {e}", self.path.display()));
        // A new file of a random name beside the token file, made by this process alone (never one
        // found there, which another user could have made or linked) and readable by the user only,
        // then renamed over it.
        let dir = match self.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => std::path::Path::new("."),
        };
        let mut f = tempfile::Builder::new().prefix(".outpost-tokens").tempfile_in(dir).map_err(err)?;
        let body = serde_json::to_vec(session).map_err(|e| Error::TokenFile(e.to_string()))?;
        f.write_all(&body).and_then(|_| f.as_file().sync_all()).map_err(err)?;
        f.persist(&self.path).map_err(|e| err(e.error))?;
        Ok(())
    }

    fn clear(&self) -> Result<()> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::TokenFile(format!("{}: {e}", self.path.display()))),
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn session() -> Session {
        Session {
            access_token: "a".into(),
            refresh_token: "r".into(),
            expires_at: 1,
            user_id: "u".into(),
            email: "e@x.io".into(),
        }
    }

    /// The file is the user's alone however the path was prepared: a file another user left at
    /// the old temporary name, or a link there, is neither written nor followed.
    #[test]
    fn the_token_file_is_written_for_the_user_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens.json");
        let planted = dir.path().join("tokens.tmp");
        std::fs::write(&planted, "").unwrap();
        std::fs::set_permissions(&planted, std::fs::Permissions::from_mode(0o666)).unwrap();
        let elsewhere = dir.path().join("someone-elses");
        std::fs::write(&elsewhere, "").unwrap();
        std::os::unix::fs::symlink(&elsewhere, dir.path().join("tokens.json.tmp")).unwrap();

        let store = FileStore::new(&path);
        store.save(&session()).unwrap();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        assert!(meta.is_file(), "a file, not a link");
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_to_string(&planted).unwrap(), "");
        assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "");
        assert_eq!(store.load().unwrap().map(|s| s.email), Some("e@x.io".into()));
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left.len(), 4, "no temporary file left: {left:?}");

        // Made readable by others since: refused, with what to do.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = store.load().unwrap_err().to_string();
        assert!(e.contains("can be read by other users") && e.contains("sign in again"), "{e}");
        store.clear().unwrap();
        assert!(store.load().unwrap().is_none());
    }
}
