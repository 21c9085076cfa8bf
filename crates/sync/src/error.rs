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
    #[error("sign-in failed: {}", auth_text(code, message))]
    Auth { status: u16, code: String, message: String },
    #[error("not signed in: run `outpost login` (or sign in from the app's Settings); changes made meanwhile wait on this computer")]
    SignedOut,
    /// The server refused the stored sign-in (expired, or ended on another device, or by an admin).
    #[error("your sign-in has ended (it expired, or it was signed out elsewhere): sign in again (the app's Settings, or `outpost login`); changes made meanwhile wait on this computer")]
    SessionEnded,
    /// Another process (the app, `outpost sync --watch` in another window) is syncing this database:
    /// two at once would send the same changes twice over.
    #[error("another sync of this database is running (the app, or `outpost sync` in another window); it sends and receives the changes")]
    AlreadySyncing,
    /// Tokens in the keychain for this project, but this database was not signed in with them (a
    /// new database file, another account): syncing would mix two accounts' data.
    #[error(
        "the saved sign-in for this project is {email}'s, and this database is not signed in to that account{}",
        ours.as_ref().map(|o| format!(": it holds the data of {o} — sign in as {o} again (another database file was signed in since)")).unwrap_or_else(|| "; sign in again".into())
    )]
    OtherAccount { email: String, ours: Option<String> },
    #[error("{}", api_text(*status, code, message))]
    Api { status: u16, code: String, message: String },
    #[error(
        "could not use the keychain: {0} (on a machine without one — a server, a container — set OUTPOST_TOKEN_FILE \
         to a file to keep the sign-in in, readable by you alone)"
    )]
    Keychain(String),
    /// The file OUTPOST_TOKEN_FILE names (no keychain in play).
    #[error("could not use the sign-in file (OUTPOST_TOKEN_FILE): {0}")]
    TokenFile(String),
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
            Error::SignedOut | Error::SessionEnded | Error::OtherAccount { .. } => "signed_out",
            Error::AlreadySyncing => "busy",
            Error::Keychain(_) | Error::TokenFile(_) => "keychain",
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

/// Supabase Auth's refusal in words; its code only where the words are its own.
fn auth_text(code: &str, message: &str) -> String {
    match code {
        "invalid_credentials" => "wrong email or password".into(),
        "email_not_confirmed" => "this email address is not confirmed yet: open the link Supabase sent to it".into(),
        "" => message.into(),
        _ => format!("{message} ({code})"),
    }
}

/// PostgREST's answer in words. A project without Outpost's functions answers "could not find the
/// function" or "permission denied for function": the project is not set up, which no retry mends.
fn api_text(status: u16, code: &str, message: &str) -> String {
    let missing_function = code == "PGRST202"
        || code == "42883"
        || (code == "42501" && message.contains("function") && message.contains("sync_"));
    if missing_function {
        return format!(
            "this Supabase project is not set up for Outpost (its sync functions are missing or not allowed: \
             apply the migrations in supabase/migrations to it) — Supabase answered {status}: {message} ({code})"
        );
    }
    match code {
        "" => format!("Supabase answered {status}: {message}"),
        _ => format!("Supabase answered {status}: {message} ({code})"),
    }
}

#[cfg(test)]
mod tests {
    use super::Error;

    #[test]
    fn a_project_without_outposts_functions_is_said_to_need_its_setup() {
        let api = |status, code: &str, message: &str| {
            Error::Api { status, code: code.into(), message: message.into() }.to_string()
        };
        for said in [
            api(404, "PGRST202", "Could not find the function public.sync_pull(cursor) in the schema cache"),
            api(403, "42501", "permission denied for function sync_pull"),
        ] {
            assert!(said.starts_with("this Supabase project is not set up for Outpost"), "{said}");
        }
        assert_eq!(api(409, "23505", "duplicate key"), "Supabase answered 409: duplicate key (23505)");
        let ended = Error::SessionEnded;
        assert_eq!(ended.code(), "signed_out");
        assert!(ended.to_string().starts_with("your sign-in has ended"));
    }
}
