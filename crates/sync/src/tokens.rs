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
