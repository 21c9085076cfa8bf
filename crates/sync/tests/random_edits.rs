//! Property (SYNC.md guarantees 1 and 2): random offline edits by three reps, synced in random
//! orders, converge; and every rep's edit either landed on the server or waits in their conflicts
//! inbox with their value.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::collections::BTreeMap;

use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use serde_json::{json, Value};

#[derive(Debug, Clone)]
struct Edit {
    rep: usize,
    lead: usize,
    field: &'static str,
    value: String,
}

fn edit() -> impl Strategy<Value = Edit> {
    (0..3usize, 0..3usize, prop::sample::select(vec!["first_name", "company", "notes", "job_title"]), 0..4u8)
        .prop_map(|(rep, lead, field, v)| Edit { rep, lead, field, value: format!("{field}-{rep}-{v}") })
}

#[test]
fn random_offline_edits_converge_and_none_is_lost() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let s = standin::Standin::start().unwrap();
    let mut runner = TestRunner::new(Config {
        cases: 10,
        rng_seed: RngSeed::Fixed(11),
        failure_persistence: None,
        ..Config::default()
    });
    let case = std::sync::atomic::AtomicUsize::new(0);
    let strategy = (prop::collection::vec(edit(), 1..10), prop::collection::vec(0..3usize, 3..7));
    runner
        .run(&strategy, |(edits, order)| {
            let case = case.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            rt.block_on(async {
                let org = s.create_organization(&format!("Case {case}")).unwrap();
                for i in 0..3 {
                    s.create_user(&format!("c{case}r{i}@t.test"), "pw-random", org, "sales_rep").unwrap();
                }
                let mut reps = Vec::new();
                for i in 0..3 {
                    reps.push(laptop(&s, &format!("c{case}r{i}@t.test"), "pw-random").await);
                }
                let leads: Vec<String> =
                    (0..3).map(|i| reps[0].add(json!({"first_name": format!("Lead{i}")})).id).collect();
                for r in reps.iter_mut() {
                    r.sync().await;
                }
                r_sync_all(&mut reps).await;
                // Offline edits; the last value per (rep, lead, field) is what that rep pushes.
                let mut intent: BTreeMap<(usize, usize, &str), String> = BTreeMap::new();
                for e in &edits {
                    reps[e.rep].edit(&leads[e.lead], json!({ e.field: e.value }));
                    intent.insert((e.rep, e.lead, e.field), e.value.clone());
                }
                for (at, &r) in order.iter().enumerate() {
                    reps[r].sync().await;
                    // Checked at the rep's first sync: later, a colleague may legitimately overwrite it.
                    if order.iter().position(|x| *x == r) != Some(at) {
                        continue;
                    }
                    for ((rep, lead, field), value) in intent.iter().filter(|((rep, ..), _)| *rep == r) {
                        let server =
                            s.sql(&format!("SELECT {field} FROM leads WHERE id = '{}'", leads[*lead])).unwrap();
                        let landed = server.first() == Some(value);
                        let waiting = reps[*rep].store.open_conflicts().unwrap().iter().any(|c| {
                            c.row_id == leads[*lead] && c.column == *field && c.mine == Value::String(value.clone())
                        });
                        prop_assert!(landed || waiting, "rep {rep}'s {field} = {value} on lead {lead} is lost");
                    }
                }
                r_sync_all(&mut reps).await;
                r_sync_all(&mut reps).await;
                let server = server_leads(&s, org);
                for (i, r) in reps.iter().enumerate() {
                    prop_assert_eq!(&r.leads(), &server, "rep {} differs from the server", i);
                    prop_assert_eq!(r.store.pending_count().unwrap(), 0);
                }
                Ok(())
            })
        })
        .unwrap();
}

async fn r_sync_all(reps: &mut [Laptop]) {
    for r in reps.iter_mut() {
        r.sync().await;
    }
}
