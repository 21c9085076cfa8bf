#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use outpost_core::{Lead, Store};
use outpost_sync::{Client, Engine, MemoryStore};
use serde_json::{json, Value};
use standin::Standin;

struct Laptop {
    store: Store,
    engine: Engine,
    _dir: tempfile::TempDir,
}

async fn laptop(s: &Standin, email: &str, password: &str) -> Laptop {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("outpost.db")).unwrap();
    let engine = Engine::new(Client::new(&s.url, s.anon_key()).unwrap(), Arc::new(MemoryStore::default()));
    engine.sign_in(&mut store, email, password).await.unwrap();
    Laptop { store, engine, _dir: dir }
}

impl Laptop {
    async fn sync(&mut self) -> outpost_sync::Report {
        self.engine.sync_once(&mut self.store, |_| {}).await.unwrap()
    }

    fn add(&mut self, v: Value) -> Lead {
        let values = v.as_object().unwrap().clone();
        self.store
            .write(|tx| {
                let id = tx.insert("leads", values)?;
                tx.find(&id)
            })
            .unwrap()
    }

    fn leads(&self) -> Vec<(String, Option<String>, Option<String>)> {
        let mut v: Vec<_> = self
            .store
            .all_rows("leads")
            .unwrap()
            .into_iter()
            .filter(|r| r["deleted_at"].is_null())
            .map(|r| {
                (
                    r["id"].as_str().unwrap().to_string(),
                    r["first_name"].as_str().map(str::to_string),
                    r["company"].as_str().map(str::to_string),
                )
            })
            .collect();
        v.sort();
        v
    }
}

fn server_leads(s: &Standin, org: uuid::Uuid) -> Vec<(String, Option<String>, Option<String>)> {
    let mut v: Vec<_> = s
        .sql(&format!("SELECT id, coalesce(first_name, '<null>'), coalesce(company, '<null>') FROM leads WHERE organization_id = '{org}' AND deleted_at IS NULL"))
        .unwrap()
        .into_iter()
        .map(|l| {
            let f: Vec<&str> = l.split('|').collect();
            let o = |x: &str| if x == "<null>" { None } else { Some(x.to_string()) };
            (f[0].to_string(), o(f[1]), o(f[2]))
        })
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn work_done_before_sign_in_syncs_as_the_users_and_clients_converge() {
    let s = Standin::start().unwrap();
    let org = s.create_organization("Acme").unwrap();
    s.create_user("ana@acme.test", "pw-ana-123", org, "sales_rep").unwrap();
    s.create_user("bo@acme.test", "pw-bo-123", org, "sales_rep").unwrap();

    // Ana works offline first, then signs in.
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("outpost.db")).unwrap();
    let early = {
        let values = json!({"first_name": "Early", "company": "Offline Co"}).as_object().unwrap().clone();
        store.write(|tx| tx.insert("leads", values)).unwrap()
    };
    let engine = Engine::new(Client::new(&s.url, s.anon_key()).unwrap(), Arc::new(MemoryStore::default()));
    engine.sign_in(&mut store, "ana@acme.test", "pw-ana-123").await.unwrap();
    assert_eq!(store.identity().organization_id, org.to_string());
    let mut ana = Laptop { store, engine, _dir: dir };
    let r = ana.sync().await;
    assert_eq!((r.applied, r.rejected), (1, 0), "{r:?}");
    assert_eq!(
        s.sql(&format!("SELECT organization_id, first_name FROM leads WHERE id = '{early}'")).unwrap(),
        vec![format!("{org}|Early")]
    );

    let mut bo = laptop(&s, "bo@acme.test", "pw-bo-123").await;
    bo.sync().await;
    assert_eq!(bo.leads(), server_leads(&s, org));
    let b1 = bo.add(json!({"first_name": "FromBo"}));
    // Another client writes the server directly.
    s.sql(&format!(
        "INSERT INTO leads (id, organization_id, first_name) VALUES ('{}', '{org}', 'Direct')",
        uuid::Uuid::now_v7()
    ))
    .unwrap();
    for _ in 0..2 {
        ana.sync().await;
        bo.sync().await;
    }
    let server = server_leads(&s, org);
    assert_eq!(server.len(), 3, "{server:?}");
    assert_eq!(ana.leads(), server);
    assert_eq!(bo.leads(), server);
    assert!(server.iter().any(|l| l.0 == b1.id));
    assert_eq!(ana.store.pending_count().unwrap(), 0);
}
