//! Sync throughput against the stand-in (real PostgreSQL + PostgREST on this machine).
//!
//! cargo bench -p outpost-sync --bench sync [-- --leads N] [--push N] [--insert N (default: --push)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Instant;

use outpost_core::Store;
use outpost_sync::{Client, Engine, MemoryStore, Progress, Report};

#[global_allocator]
static ALLOCATOR: outpost_alloc::Allocator = outpost_alloc::Allocator;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map_or(default, |v| v.parse().unwrap())
}

fn main() {
    let leads = arg("--leads", 100_000);
    let push = arg("--push", 100_000);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let s = standin::Standin::start().unwrap();
    let org = s.create_organization("Bench").unwrap();
    s.create_user("bench@b.test", "pw-bench", org, "sales_rep").unwrap();
    let t = Instant::now();
    s.sql(&format!(
        "INSERT INTO leads (id, organization_id, first_name, last_name, email, company, job_title, status, tags, notes)
         SELECT gen_random_uuid(), '{org}', 'First' || g, 'Last' || (g % 5000), 'lead' || g || '@bench.example',
                'Company ' || (g % 20000), 'Head of Operations', (ARRAY['new','contacted','qualified'])[1 + g % 3],
                ARRAY['vip'], CASE WHEN g % 5 = 0 THEN 'Met at the trade show' END
         FROM generate_series(1, {leads}) g"
    ))
    .unwrap();
    // A hosted database's autovacuum analyses new tables; the test cluster runs without it.
    s.sql("ANALYZE").unwrap();
    println!("server seeded with {leads} leads in {:.1} s", t.elapsed().as_secs_f64());

    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("bench.db")).unwrap();
    let engine = Engine::new(Client::new(&s.url, s.anon_key()).unwrap(), Arc::new(MemoryStore::default()));
    rt.block_on(engine.sign_in(&mut store, "bench@b.test", "pw-bench")).unwrap();

    let (r, secs, pulling) = timed_sync(&rt, &engine, &mut store, |p| matches!(p, Progress::Indexing));
    println!(
        "first sync: {} rows in {secs:.1} s = {:.0} rows/s (goal >= 100,000; PowerSync desktop 27,600) (pulling {pulling:.2} s, indexing {:.2} s)",
        r.pulled,
        r.pulled as f64 / secs,
        secs - pulling
    );

    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        rt.block_on(engine.sync_once(&mut store, |_| {})).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!("sync with nothing to do: p50 {:.1} ms, p95 {:.1} ms (goal < 50 ms)", times[10], times[19]);

    let ids: Vec<String> = store
        .conn()
        .prepare(&format!("SELECT id FROM leads LIMIT {push}"))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    store
        .write(|tx| {
            for (i, id) in ids.iter().enumerate() {
                let v = serde_json::json!({"notes": format!("edited {i}"), "status": "qualified"});
                tx.update("leads", id, v.as_object().unwrap().clone())?;
            }
            Ok(())
        })
        .unwrap();
    push_and_report(&rt, &engine, &mut store, "push", " (goal >= 20,000)");
    // New leads, as an import creates them (every column a CSV maps, one insert each).
    let new_leads = arg("--insert", push);
    store
        .write(|tx| {
            for i in 0..new_leads {
                let v = serde_json::json!({
                    "first_name": format!("New{i}"), "last_name": "Imported", "email": format!("new{i}@import.example"),
                    "phone": "+14155550123", "company": format!("Imported Co {}", i % 5000), "job_title": "VP Sales",
                    "status": "new", "source": "csv_import", "website": "https://example.com", "notes": "From the fair",
                    // Unassigned, as an import's (a lead added by hand is its rep's).
                    "assigned_to": null
                });
                tx.insert("leads", v.as_object().unwrap().clone())?;
            }
            Ok(())
        })
        .unwrap();
    push_and_report(&rt, &engine, &mut store, "push of new leads", "");
    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<u64>().unwrap_or(0))
        })
        .unwrap_or(0);
    println!("peak RSS of the syncing process: {} MB", rss / 1024);
}

/// One sync that pushes the outbox; prints the rate and how long the pushing and the pull of the
/// rep's own writes that follows it took.
fn push_and_report(rt: &tokio::runtime::Runtime, engine: &Engine, store: &mut Store, label: &str, goal: &str) {
    // Pushing ends at the last batch's answer (the first Pulling event comes after a page is written).
    let (r, secs, pushing) = timed_sync(rt, engine, store, |p| matches!(p, Progress::Pushing { .. }));
    println!(
        "{label}: {} changes ({} applied) in {secs:.1} s = {:.0} changes/s{goal} (pushing {pushing:.1} s, pulling them back {:.1} s)",
        r.pushed,
        r.applied,
        r.pushed as f64 / secs,
        secs - pushing
    );
}

/// One sync: its report, its seconds, and the seconds until the last progress event `phase` picks
/// out (the whole sync if none).
fn timed_sync(
    rt: &tokio::runtime::Runtime,
    engine: &Engine,
    store: &mut Store,
    phase: impl Fn(&Progress) -> bool,
) -> (Report, f64, f64) {
    let t = Instant::now();
    let mut split = None;
    let r = rt
        .block_on(engine.sync_once(store, |p| {
            if phase(&p) {
                split = Some(t.elapsed().as_secs_f64());
            }
        }))
        .unwrap();
    let secs = t.elapsed().as_secs_f64();
    (r, secs, split.unwrap_or(secs))
}
