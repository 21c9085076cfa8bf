//! outpost-import: CSV exports from any CRM or spreadsheet → validated, deduplicated leads in the
//! store, streamed in constant memory, in one transaction, with a per-row report and undo.

pub mod details;
pub mod error;
pub mod import;
mod lead_values;
mod load;
pub mod mapping;
pub mod memory;
pub mod normalize;
mod prepare;
pub mod preview;
pub mod reader;
mod report;
pub mod sniff;
pub mod under_way;
mod undo;
mod updates;

pub use error::{Error, Result};
pub use import::{import, ImportOptions, OnDuplicate};
pub use normalize::DateOrder;
pub use preview::{history, preview, ImportRecord, Preview};
pub use reader::ReadOptions;
pub use report::{Progress, Report, RowProblem, Stage, KEPT_LISTED};
pub use undo::{created_still_here, orphaned_by_undo, undo, worked_on_since, Undone};
