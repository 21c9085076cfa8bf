//! A fresh store in a temporary folder, and the few steps the import tests share.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use outpost_core::{Lead, LeadQuery, Store};
use outpost_import::{import, Error, ImportOptions, OnDuplicate, Report};
use serde_json::Value;

pub struct Fixture {
    pub store: Store,
    pub dir: tempfile::TempDir,
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("outpost.db")).unwrap();
    Fixture { store, dir }
}

/// Duplicates fill in the leads they match.
pub fn update() -> ImportOptions {
    ImportOptions { on_duplicate: OnDuplicate::Update, ..ImportOptions::default() }
}

impl Fixture {
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// Imports `path` with the default options; the error when the file cannot be imported.
    pub fn try_import(&mut self, path: &Path) -> Result<Report, Error> {
        import(&mut self.store, path, &ImportOptions::default(), &mut |_| true)
    }

    pub fn import_with(&mut self, text: &str, opts: &ImportOptions) -> Report {
        let path = self.file("in.csv", text);
        import(&mut self.store, &path, opts, &mut |_| true).unwrap()
    }

    pub fn import(&mut self, text: &str) -> Report {
        self.import_with(text, &ImportOptions::default())
    }

    pub fn live_leads(&self) -> i64 {
        self.store.count_leads(&LeadQuery::default()).unwrap()
    }

    pub fn lead(&self, email: &str) -> Lead {
        let found = self.store.search_leads(email, 5).unwrap();
        found.into_iter().find(|l| l.email.as_deref() == Some(email)).unwrap_or_else(|| panic!("no lead {email}"))
    }

    /// The live leads, oldest first.
    pub fn leads(&self) -> Vec<Lead> {
        let ids: Vec<String> = self
            .store
            .conn()
            .prepare("SELECT id FROM leads WHERE deleted_at IS NULL ORDER BY rowid")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        ids.iter()
            .map(|id| outpost_core::records::from_row(self.store.get("leads", id).unwrap().unwrap()).unwrap())
            .collect()
    }

    /// Adds a lead as the rep would; its id.
    pub fn add(&mut self, lead: Value) -> String {
        self.store.write(|tx| tx.insert("leads", lead.as_object().unwrap().clone())).unwrap()
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }
}
