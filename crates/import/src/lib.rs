//! outpost-import: CSV exports from any CRM or spreadsheet → validated, deduplicated leads in the
//! store, streamed in constant memory, in one transaction, with a per-row report and undo.

pub mod error;
pub mod import;
pub mod mapping;
pub mod normalize;
pub mod preview;
pub mod reader;
pub mod sniff;

pub use error::{Error, Result};
pub use import::{
    import, undo, worked_on_since, ImportOptions, OnDuplicate, Progress, Report, RowProblem, Stage, Undone,
};
pub use normalize::DateOrder;
pub use preview::{history, preview, ImportRecord, Preview};
pub use reader::ReadOptions;
