#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use outpost_core::{Lead, Row, Store};
use outpost_sync::{Client, Engine, MemoryStore, Report};
use serde_json::Value;
use standin::Standin;
use uuid::Uuid;

pub struct Laptop {
    pub store: Store,
    pub engine: Engine,
    _dir: tempfile::TempDir,
}

pub async fn laptop(s: &Standin, email: &str, password: &str) -> Laptop {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("outpost.db")).unwrap();
    let engine = engine(s);
    engine.sign_in(&mut store, email, password).await.unwrap();
    Laptop { store, engine, _dir: dir }
}

/// A sync engine for the stand-in, its tokens in memory.
pub fn engine(s: &Standin) -> Engine {
    Engine::new(Client::new(&s.url, s.anon_key()).unwrap(), Arc::new(MemoryStore::default()))
}

/// One organization with `n` reps: rep0@acme.test … with password "pw-rep-N".
pub fn team(n: usize) -> (Standin, Uuid) {
    let s = Standin::start().unwrap();
    let org = s.create_organization("Acme").unwrap();
    for i in 0..n {
        s.create_user(&format!("rep{i}@acme.test"), &format!("pw-rep-{i}"), org, "sales_rep").unwrap();
    }
    (s, org)
}

pub async fn rep(s: &Standin, i: usize) -> Laptop {
    laptop(s, &format!("rep{i}@acme.test"), &format!("pw-rep-{i}")).await
}

pub fn obj(v: Value) -> Row {
    v.as_object().unwrap().clone()
}

impl Laptop {
    pub async fn sync(&mut self) -> Report {
        self.engine.sync_once(&mut self.store, |_| {}).await.unwrap()
    }

    pub fn add(&mut self, v: Value) -> Lead {
        let values = obj(v);
        self.store
            .write(|tx| {
                let id = tx.insert("leads", values)?;
                tx.find(&id)
            })
            .unwrap()
    }

    pub fn edit(&mut self, id: &str, v: Value) -> Lead {
        self.store.edit(id, obj(v)).unwrap()
    }

    /// (id, first_name, company, notes, deleted) of every lead, sorted.
    pub fn leads(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .store
            .all_rows("leads")
            .unwrap()
            .into_iter()
            .map(|r| {
                let s = |k: &str| r[k].as_str().unwrap_or("<null>").to_string();
                format!(
                    "{}|{}|{}|{}|{}",
                    s("id"),
                    s("first_name"),
                    s("company"),
                    s("notes"),
                    !r["deleted_at"].is_null()
                )
            })
            .collect();
        v.sort();
        v
    }
}

/// The same projection of the server's leads of `org`.
pub fn server_leads(s: &Standin, org: Uuid) -> Vec<String> {
    let mut v = s
        .sql(&format!(
            "SELECT id || '|' || coalesce(first_name, '<null>') || '|' || coalesce(company, '<null>') || '|' || coalesce(notes, '<null>')
             || '|' || (deleted_at IS NOT NULL) FROM leads WHERE organization_id = '{org}'"
        ))
        .unwrap();
    v.sort();
    v
}
