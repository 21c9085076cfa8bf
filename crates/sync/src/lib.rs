//! outpost-sync: the Supabase client (Auth + PostgREST, reqwest with rustls) and the sync engine
//! that exchanges the local outbox and server changes (SYNC.md).

mod ahead;
pub mod client;
pub mod engine;
pub mod error;
mod page_size;
mod push;
pub mod scheduler;
pub mod tokens;

pub use client::{Client, Session};
pub use engine::{Engine, Progress, Report, LAST_ERROR};
pub use error::{Error, Result};
pub use tokens::{FileStore, Keychain, MemoryStore, TokenStore};
