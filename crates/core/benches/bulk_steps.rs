//! The lead list's bulk steps on a selection of the largest size the app selects (10,000 leads).
//!
//! cargo bench -p outpost-core --bench bulk_steps [-- --leads N]
//!
//! Fills a fresh database through the store's write path, then times each step and its Undo over
//! every lead, as the desktop app's commands run them (one transaction per step).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use outpost_core::lists::LeadReference;
use outpost_core::Store;
use serde_json::json;

#[global_allocator]
static ALLOCATOR: outpost_alloc::Allocator = outpost_alloc::Allocator;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize =
        args.iter().position(|a| a == "--leads").and_then(|i| args.get(i + 1)?.parse().ok()).unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("bench.db")).unwrap();
    let ids: Vec<String> = store
        .write(|tx| {
            (0..n)
                .map(|i| {
                    let v = json!({"first_name": format!("Lead{i}"), "email": format!("lead{i}@bench.example"),
                                   "tags": if i % 3 == 0 { json!(["vip"]) } else { json!([]) }});
                    tx.insert("leads", v.as_object().unwrap().clone())
                })
                .collect()
        })
        .unwrap();
    let list = store.create_list("Bench", None).unwrap();
    let time = |what: &str, f: &mut dyn FnMut() -> usize| {
        let t = Instant::now();
        let changed = f();
        println!("{what:<28} {:>8.1} ms  ({changed} leads changed)", t.elapsed().as_secs_f64() * 1000.0);
    };
    println!("bulk steps over {n} leads");
    time("set status", &mut || store.set_status(&ids, "contacted", None).unwrap().changed.len());
    time("  its Undo", &mut || store.set_status(&ids, "new", Some("contacted")).unwrap().changed.len());
    time("add tag", &mut || store.tag_leads(&ids, "q4", true).unwrap().len());
    time("  its Undo (remove tag)", &mut || store.tag_leads(&ids, "q4", false).unwrap().len());
    let mut moved = Vec::new();
    time("put in a list", &mut || {
        moved = store.assign_to_list(Some(&list.id), &ids).unwrap();
        moved.len()
    });
    time("  its Undo", &mut || store.put_back(LeadReference::List, Some(&list.id), &moved).unwrap().back);
    let mut owners = Vec::new();
    time("assign to no one", &mut || {
        owners = store.assign_leads(&ids, None).unwrap();
        owners.len()
    });
    time("  its Undo", &mut || store.put_back(LeadReference::Owner, None, &owners).unwrap().back);
}
