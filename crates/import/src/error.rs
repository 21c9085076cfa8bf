/// Why a file can't be imported at all. Problems with single rows are not errors: they are
/// reported per row (see `RowProblem`) and the rest of the file imports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{file}: the file is empty")]
    Empty { file: String },
    #[error("{file}: the file has a header row but no data rows")]
    HeaderOnly { file: String },
    #[error("{file}: this is not a text file ({what}); export it as CSV and try again")]
    NotText { file: String, what: String },
    #[error("{file}: unknown field '{field}' in the column mapping (fields: {known})")]
    UnknownField { file: String, field: String, known: String },
    #[error("{file}: no column named '{column}' to map")]
    UnknownColumn { file: String, column: String },
    #[error("{file}, row {row}: {reason}")]
    Malformed { file: String, row: u64, reason: String },
    #[error("the import was cancelled; nothing was imported")]
    Cancelled,
    #[error("{file}: {source}")]
    Io { file: String, source: std::io::Error },
    #[error(transparent)]
    Store(#[from] outpost_core::Error),
    #[error("unknown --region '{region}': give the country of the phone numbers written without a +country code (US, GB, Germany …)")]
    UnknownRegion { region: String },
    #[error("{file}: the first row does not look like a header: none of its columns is a name, email, company or phone ({first_row}). If the file has no header row, add one (First Name,Last Name,Email,Company,Phone …); otherwise say which column is which with --map \"<column>=<field>\", e.g. --map \"Contact=full_name\"")]
    NoHeader { file: String, first_row: String },
}

pub type Result<T> = std::result::Result<T, Error>;
