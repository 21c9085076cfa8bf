use std::fmt;

/// Everything the store can refuse, with messages a rep can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database error: {0}")]
    Database(rusqlite::Error),
    /// Another connection held the write lock longer than this one waits (SQLite's "database is
    /// locked").
    #[error(
        "the database is busy: another Outpost (the app, an import or a sync) is writing to it and did not \
         finish in time; try again once it has"
    )]
    Busy,
    /// SQLite may not write the file: its permissions, or a disk mounted read-only.
    #[error(
        "the database file cannot be written (its permissions or its disk allow reading only): nothing was \
         changed; make the file writable, or move it to a disk you can write to"
    )]
    CannotWrite,
    #[error("the disk holding the database is full: nothing was changed; free some space and try again")]
    DiskFull,
    #[error("could not prepare the database: {0}")]
    Migration(String),
    #[error("could not open {path}: {reason}")]
    Open { path: String, reason: String },
    /// Signing in to an account this database does not hold: one database per account and project.
    #[error("{0}")]
    AnotherAccount(String),
    #[error("no {} {id}", thing(table))]
    NotFound { table: String, id: String },
    #[error("unknown table '{0}'")]
    UnknownTable(String),
    #[error("{table} has no column '{column}'")]
    UnknownColumn { table: String, column: String },
    #[error("{0}")]
    ReadOnly(ReadOnly),
    /// The signed-in member may read the organization's CRM but not change it (the server refuses
    /// their writes): a viewer, or a member whose profile the organization removed.
    #[error("{0}")]
    ViewOnly(String),
    #[error("{table}.{column}: {reason}")]
    Invalid { table: String, column: String, reason: String },
    /// Demo leads and a team do not mix: signing in with them here, or loading them into a
    /// database that syncs, would send made-up people to everyone.
    #[error("{0}")]
    DemoData(String),
    /// Something typed where an id goes that cannot be one ("Wendy"), or too little of one to tell.
    #[error("{0}")]
    BadId(String),
    /// Asked for what was done already (an import undone twice): said as such, nothing to fix.
    #[error("{0}")]
    AlreadyDone(String),
    #[error("a lead needs a name, an email, a phone or a company")]
    EmptyLead,
    #[error("{column} was changed meanwhile (it is now {now}); yours waits in the conflicts to keep or drop")]
    ChangedMeanwhile { column: String, now: String },
    #[error("a lead with email {email} already exists (id {existing_id})")]
    DuplicateEmail { email: String, existing_id: String },
    #[error("lead {lead_id} is marked do-not-contact: {action} is not allowed")]
    DoNotContact { lead_id: String, action: String },
    #[error("lead {lead_id} can only become a client once it is won (its status is '{status}')")]
    ClientNeedsWonLead { lead_id: String, status: String },
    #[error("the follow-up date {value} is in the past")]
    FollowUpInPast { value: String },
    #[error("{table}: {reason}")]
    Constraint { table: String, reason: String },
    #[error("the page cursor is not valid for this query; start from the first page")]
    InvalidCursor,
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Csv(csv::Error),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy) => Error::Busy,
            Some(rusqlite::ErrorCode::ReadOnly) => Error::CannotWrite,
            Some(rusqlite::ErrorCode::DiskFull) => Error::DiskFull,
            _ => Error::Database(e),
        }
    }
}

/// A CSV writer's I/O failure (a full disk, a closed pipe) is an I/O error like any other.
impl From<csv::Error> for Error {
    fn from(e: csv::Error) -> Error {
        if !e.is_io_error() {
            return Error::Csv(e);
        }
        match e.into_kind() {
            csv::ErrorKind::Io(io) => Error::Io(io),
            other => Error::Io(std::io::Error::other(format!("{other:?}"))),
        }
    }
}

/// Why a write was refused as read-only.
#[derive(Debug)]
pub struct ReadOnly {
    pub table: String,
    pub column: Option<String>,
}

impl fmt::Display for ReadOnly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(f, "{}.{} cannot be changed here", self.table, c),
            None => write!(f, "{} is read-only on this laptop (it is maintained by the server)", self.table),
        }
    }
}

impl Error {
    /// A statement stopped by its connection's [`crate::InterruptHandle`].
    pub fn interrupted(&self) -> bool {
        matches!(self, Error::Database(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted))
    }

    /// A stable machine-readable code, for scripts and the desktop UI.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Database(_) => "database",
            Error::Busy => "busy",
            Error::CannotWrite => "cannot_write",
            Error::DiskFull => "disk_full",
            Error::Migration(_) => "migration",
            Error::Open { .. } => "open",
            Error::AnotherAccount(_) => "another_account",
            Error::NotFound { .. } => "not_found",
            Error::UnknownTable(_) => "unknown_table",
            Error::UnknownColumn { .. } => "unknown_column",
            Error::ReadOnly(_) => "read_only",
            Error::ViewOnly(_) => "view_only",
            Error::Invalid { .. } | Error::EmptyLead | Error::AlreadyDone(_) => "invalid",
            Error::BadId(_) => "bad_id",
            Error::DemoData(_) => "demo_data",
            Error::ChangedMeanwhile { .. } => "changed_meanwhile",
            Error::DuplicateEmail { .. } => "duplicate_email",
            Error::DoNotContact { .. } => "do_not_contact",
            Error::ClientNeedsWonLead { .. } => "client_needs_won_lead",
            Error::FollowUpInPast { .. } => "follow_up_in_past",
            Error::Constraint { .. } => "constraint",
            Error::InvalidCursor => "invalid_cursor",
            Error::Io(_) => "io",
            Error::Csv(_) => "csv",
        }
    }

    /// A refusal of one row's values (bad value, a rule, a constraint), after which the
    /// transaction can go on; anything else (the disk, the database itself) ends it.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            Error::NotFound { .. }
                | Error::UnknownColumn { .. }
                | Error::ReadOnly(_)
                | Error::Invalid { .. }
                | Error::BadId(_)
                | Error::EmptyLead
                | Error::ChangedMeanwhile { .. }
                | Error::DuplicateEmail { .. }
                | Error::DoNotContact { .. }
                | Error::ClientNeedsWonLead { .. }
                | Error::FollowUpInPast { .. }
                | Error::Constraint { .. }
        )
    }

    pub(crate) fn invalid(table: &str, column: &str, reason: impl Into<String>) -> Error {
        Error::Invalid { table: table.to_string(), column: column.to_string(), reason: reason.into() }
    }

    pub(crate) fn read_only(table: &str, column: Option<&str>) -> Error {
        Error::ReadOnly(ReadOnly { table: table.to_string(), column: column.map(str::to_string) })
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// A table's rows as a rep names one: "leads" → "lead", "lead_lists" → "lead list", "activities" →
/// "activity".
pub fn thing(table: &str) -> String {
    let one = if let Some(stem) = table.strip_suffix("ies") {
        format!("{stem}y")
    } else if table.ends_with("ss") {
        table.to_string()
    } else {
        table.strip_suffix('s').unwrap_or(table).to_string()
    };
    one.replace('_', " ")
}
