//! The one error shape the UI sees: a stable code it can branch on and a message a rep can read.

use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    pub code: String,
    pub message: String,
}

impl CommandError {
    pub fn new(code: &str, message: impl Into<String>) -> CommandError {
        CommandError { code: code.to_string(), message: message.into() }
    }

    /// A lock on the database's connections poisoned by a panic elsewhere.
    pub(crate) fn unavailable() -> CommandError {
        CommandError::new("internal", "the database is unavailable")
    }
}

impl From<outpost_core::Error> for CommandError {
    fn from(e: outpost_core::Error) -> CommandError {
        CommandError::new(e.code(), e.to_string())
    }
}

pub type CmdResult<T> = Result<T, CommandError>;
