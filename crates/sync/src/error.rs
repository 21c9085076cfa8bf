/// What can go wrong talking to Supabase, in words a rep can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "this key is a service_role key: it bypasses every access rule and must never be on a laptop. \
         Use the project's anon (public) key from Supabase → Project Settings → API"
    )]
    ServiceRoleKey,
    #[error("the Supabase key is not valid: {0}")]
    BadKey(String),
    #[error("the Supabase project URL is not valid: {0}")]
    BadUrl(String),
    #[error("cannot reach Supabase: {0}")]
    Network(String),
    /// The server took longer than the client waits (a request or its answer, e.g. a large page over
    /// a slow link).
    #[error("cannot reach Supabase: the server did not answer in time")]
    TimedOut,
    #[error("sign-in failed: {message}{}", if code.is_empty() { String::new() } else { format!(" ({code})") })]
    Auth { status: u16, code: String, message: String },
    #[error("not signed in: run `outpost login` (or sign in from the app's Settings); changes made meanwhile wait on this computer")]
    SignedOut,
    /// Another process (the app, `outpost sync --watch` in another window) is syncing this database:
    /// two at once would send the same changes twice over.
    #[error("another sync of this database is running (the app, or `outpost sync` in another window); it sends and receives the changes")]
    AlreadySyncing,
    /// Tokens in the keychain for this project, but this database was not signed in with them (a
    /// new database file, another account): syncing would mix two accounts' data.
    #[error("this database is not signed in to {email}'s account yet; sign in again")]
    OtherAccount { email: String },
    #[error("Supabase answered {status}: {message} ({code})")]
    Api { status: u16, code: String, message: String },
    #[error(
        "could not use the keychain: {0} (on a machine without one — a server, a container — set OUTPOST_TOKEN_FILE \
         to a file to keep the sign-in in, readable by you alone)"
    )]
    Keychain(String),
    #[error(transparent)]
    Store(#[from] outpost_core::Error),
}

impl Error {
    /// Worth retrying later with backoff: the network, 5xx and 429.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Network(_) | Error::TimedOut => true,
            Error::Api { status, .. } | Error::Auth { status, .. } => *status >= 500 || *status == 429,
            Error::Store(outpost_core::Error::Busy) | Error::AlreadySyncing => true,
            _ => false,
        }
    }

    /// Another connection (an import, the app) held the local database longer than the busy timeout,
    /// or another process is syncing it: not a failure to show, a turn to wait for.
    pub fn is_busy(&self) -> bool {
        matches!(self, Error::Store(outpost_core::Error::Busy) | Error::AlreadySyncing)
    }

    /// A short name for the kind of failure, for scripts and the UI (`--json` errors, the app).
    pub fn code(&self) -> &'static str {
        match self {
            Error::ServiceRoleKey => "service_role_key",
            Error::BadKey(_) | Error::BadUrl(_) => "invalid",
            Error::Network(_) | Error::TimedOut => "offline",
            Error::Auth { .. } => "auth",
            Error::SignedOut | Error::OtherAccount { .. } => "signed_out",
            Error::AlreadySyncing => "busy",
            Error::Keychain(_) => "keychain",
            Error::Api { .. } => "server",
            Error::Store(e) => e.code(),
        }
    }

    /// The access token was refused: refresh once, then retry.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Error::Api { status: 401, .. })
    }
}

pub type Result<T> = std::result::Result<T, Error>;
