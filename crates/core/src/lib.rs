//! outpost-core: the local store. Opens and migrates the SQLite database, reads and writes records
//! through one validated path, searches leads, and captures every change for sync. No network, no UI.

mod activity_effects;
mod batch;
mod bulk;
mod capture;
pub mod catalog;
mod checks;
pub mod demo;
pub mod drafts;
pub mod error;
pub mod export;
pub mod ids;
pub mod inbound;
pub mod lists;
pub mod merge;
mod object_conflicts;
pub mod pipeline;
pub mod query;
pub mod reader;
pub mod records;
mod rows;
pub mod rules;
pub mod sort_key;
pub mod statuses;
mod store;
pub mod sync_apply;
mod sync_bulk;
mod sync_conflicts;
pub mod sync_local;
mod sync_theirs;
pub mod tagging;
pub mod tasks;
pub mod team;
pub mod templates;
pub mod time;
pub mod trash;
pub mod values;
pub mod views;

pub use batch::Batch;
pub use error::{Error, Result};
pub use query::{LeadQuery, LeadSummary, Owner, Page, SortField, SummaryPage};
pub use records::{
    Activity, ActivityType, Campaign, CampaignLead, EmailTemplate, Lead, LeadList, LeadStatus, Organization, Profile,
    Record,
};
pub use rows::Tx;
/// Stops a connection's statement under way from another thread (a read the UI took back).
pub use rusqlite::InterruptHandle;
pub use store::{Identity, Store};
pub use values::Row;

/// The database the CLI and the desktop app share: the OS data directory
/// (e.g. ~/.local/share/outpost/outpost.db on Linux). None without a home directory.
pub fn default_db_path() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("", "", "outpost").map(|d| d.data_dir().join("outpost.db"))
}

impl Store {
    pub fn get(&self, table: &str, id: &str) -> Result<Option<Row>> {
        rows::get(self.conn(), self.catalog().table(table)?, id)
    }

    pub fn list_leads(&self, q: &LeadQuery, limit: usize, cursor: Option<&str>) -> Result<Page> {
        query::list_leads(self.conn(), self.catalog(), q, limit, cursor)
    }

    pub fn count_leads(&self, q: &LeadQuery) -> Result<i64> {
        query::count_leads(self.conn(), q)
    }

    pub fn search_leads(&self, text: &str, limit: usize) -> Result<Vec<Lead>> {
        query::search_leads(self.conn(), self.catalog(), text, limit)
    }

    pub fn export_leads_csv(&self, q: &LeadQuery, out: impl std::io::Write) -> Result<u64> {
        export::leads_csv(self.conn(), self.catalog(), q, out)
    }

    /// The same as a file for spreadsheets: it starts with the UTF-8 mark without which Excel on
    /// Windows reads "José" as "JosÃ©" (an import takes the mark off again).
    pub fn export_leads_file(&self, q: &LeadQuery, mut out: impl std::io::Write) -> Result<u64> {
        out.write_all("\u{feff}".as_bytes())?;
        self.export_leads_csv(q, out)
    }

    /// [`Store::export_leads_file`] of the given leads (a selection), in the order given; a lead
    /// deleted meanwhile is left out. Returns how many were written.
    pub fn export_lead_ids_file(&self, ids: &[String], mut out: impl std::io::Write) -> Result<u64> {
        out.write_all("\u{feff}".as_bytes())?;
        export::leads_by_id_csv(self, ids, out)
    }
}

impl Store {
    /// The full id of the one live row whose id starts with `prefix`, or else ends with it (6+
    /// characters): people type part of an id.
    pub fn resolve_id(&self, table: &str, prefix: &str) -> Result<String> {
        self.resolve_id_among(table, prefix, false)
    }

    /// [`Store::resolve_id`] among the deleted rows (to bring one back).
    pub fn resolve_deleted_id(&self, table: &str, prefix: &str) -> Result<String> {
        self.resolve_id_among(table, prefix, true)
    }

    fn resolve_id_among(&self, table: &str, prefix: &str, deleted: bool) -> Result<String> {
        let t = self.catalog().table(table)?;
        let which = if deleted { "deleted_at IS NOT NULL" } else { "deleted_at IS NULL" };
        let given = prefix.trim();
        let prefix = given.to_lowercase();
        let not_found = || Error::NotFound { table: table.to_string(), id: prefix.clone() };
        // Said as what it is: a name typed where an id goes, or too little of an id to tell.
        let thing = crate::error::thing(table);
        if !prefix.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            let article = if thing.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
            return Err(Error::BadId(format!(
                "'{given}' is not {article} {thing} id (ids look like 01a21aa2-9aa5-7796-…)"
            )));
        }
        if prefix.len() < 4 {
            return Err(Error::BadId(format!(
                "'{given}' is too short to tell which {thing}: give at least 4 characters of its id"
            )));
        }
        let find = |sql: String| -> Result<Vec<String>> {
            Ok(self
                .conn()
                .prepare_cached(&sql)?
                .query_map([&prefix], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?)
        };
        let mut ids =
            find(format!("SELECT id FROM \"{}\" WHERE id >= ?1 AND id < ?1 || 'g' AND {which} LIMIT 2", t.name))?;
        // Ids begin with their creation time (leads imported together share their first 30
        // characters) and end in random digits: the end of an id tells it apart.
        if ids.is_empty() && prefix.len() >= 6 {
            ids = find(format!("SELECT id FROM \"{}\" WHERE id LIKE '%' || ?1 AND {which} LIMIT 2", t.name))?;
        }
        match ids.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(not_found()),
            _ => Err(Error::BadId(format!(
                "'{given}' matches more than one {thing}; type more of the id, or its last 8 characters (they differ between rows made at the same time)"
            ))),
        }
    }
}
