//! Lead list and search latency at a million leads.
//!
//! cargo bench -p outpost-core --bench leads_1m [-- --leads N] [--rebuild]
//!
//! Fills a database through the store's own write path (validation, capture, FTS and tag triggers),
//! keeps it under $OUTPOST_BENCH_DIR (default ~/.cache/outpost/bench) for the next run, then times
//! 100-row pages and searches and prints p50/p95/max per scenario.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use outpost_core::{LeadQuery, Owner, SortField, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

const FIRST: [&str; 24] = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Ana",
    "Luis",
    "Sofia",
    "Mateo",
    "Yuki",
    "Hiroshi",
    "Priya",
    "Arjun",
    "Fatima",
    "Omar",
    "Chloé",
    "Jürgen",
];
const LAST: [&str; 20] = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Silva",
    "Santos",
    "Tanaka",
    "Sato",
    "Patel",
    "Sharma",
    "Khan",
    "Müller",
    "Schmidt",
    "Dubois",
];
const WORDS: [&str; 16] = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Hooli",
    "Vandelay",
    "Soylent",
    "Tyrell",
    "Cyberdyne",
    "Massive",
    "Dynamic",
    "Blue",
    "North",
    "Quantum",
];
const SUFFIX: [&str; 6] = ["Inc", "LLC", "GmbH", "Ltd", "Labs", "Group"];
const STATUSES: [&str; 9] = [
    "new",
    "contacted",
    "qualified",
    "proposal",
    "negotiation",
    "closed_won",
    "closed_lost",
    "nurturing",
    "unqualified",
];
const TAGS: [&str; 8] = ["vip", "webinar", "trade-show", "referral", "cold", "enterprise", "smb", "partner"];

#[global_allocator]
static ALLOCATOR: outpost_alloc::Allocator = outpost_alloc::Allocator;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args
        .iter()
        .position(|a| a == "--leads")
        .and_then(|i| args.get(i + 1))
        .map_or(1_000_000, |v| v.parse().unwrap());
    let rebuild = args.iter().any(|a| a == "--rebuild");
    let dir = std::env::var_os("OUTPOST_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/outpost/bench"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("leads-{n}.db"));
    if rebuild {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
        }
    }
    let mut store = Store::open(&path).unwrap();
    let have = store.count_leads(&LeadQuery::default()).unwrap() as usize;
    if have < n {
        let t = Instant::now();
        fill(&mut store, n - have, have as u64);
        let secs = t.elapsed().as_secs_f64();
        println!(
            "fill: {} leads in {secs:.1} s ({:.0} leads/s) through Store::write",
            n - have,
            (n - have) as f64 / secs
        );
        store.conn().execute_batch("ANALYZE;").unwrap();
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!("database: {} leads, {:.0} MB at {}", n, size as f64 / 1e6, path.display());

    let mut rng = StdRng::seed_from_u64(7);
    let me = store.identity().user_id.clone();
    let list: String = store.conn().query_row("SELECT id FROM lead_lists LIMIT 1", [], |r| r.get(0)).unwrap();
    let page = |q: LeadQuery| move |s: &Store, _: &mut StdRng| s.list_leads(&q, 100, None).unwrap().leads.len();
    bench(
        &store,
        &mut rng,
        "page: newest first (updated_at desc)",
        page(LeadQuery { descending: true, ..LeadQuery::default() }),
    );
    bench(
        &store,
        &mut rng,
        "page: status=qualified, by name",
        page(LeadQuery { statuses: vec!["qualified".into()], sort: SortField::Name, ..LeadQuery::default() }),
    );
    bench(
        &store,
        &mut rng,
        "page: 3 statuses + mine, by company",
        page(LeadQuery {
            statuses: vec!["new".into(), "contacted".into(), "nurturing".into()],
            owner: Some(Owner::User(me.clone())),
            sort: SortField::Company,
            ..LeadQuery::default()
        }),
    );
    bench(
        &store,
        &mut rng,
        "page: tag=partner, by score desc",
        page(LeadQuery {
            tag: Some("partner".into()),
            sort: SortField::Score,
            descending: true,
            ..LeadQuery::default()
        }),
    );
    bench(
        &store,
        &mut rng,
        "page: list filter, by follow-up",
        page(LeadQuery { list_id: Some(list), sort: SortField::FollowUp, ..LeadQuery::default() }),
    );
    bench(
        &store,
        &mut rng,
        "page: text 'patel' + status, by name",
        page(LeadQuery {
            text: Some("patel".into()),
            statuses: vec!["qualified".into()],
            sort: SortField::Name,
            ..LeadQuery::default()
        }),
    );
    // Deep pages: a random point of the sort order, then the next 100 rows.
    bench(&store, &mut rng, "page: deep, after a random cursor (name)", |s, rng| {
        let q = LeadQuery { sort: SortField::Name, ..LeadQuery::default() };
        let key = format!("{} {}", LAST[rng.random_range(0..LAST.len())], FIRST[rng.random_range(0..FIRST.len())]);
        let cursor = json!({"sort": "name", "desc": false, "key": key, "row": 8}).to_string();
        s.list_leads(&q, 100, Some(&cursor)).unwrap().leads.len()
    });
    bench(&store, &mut rng, "search: a last name (~50k matches), top 100", |s, rng| {
        s.search_leads(LAST[rng.random_range(0..LAST.len())], 100).unwrap().len()
    });
    bench(&store, &mut rng, "search: first + last name", |s, rng| {
        let q = format!("{} {}", FIRST[rng.random_range(0..FIRST.len())], LAST[rng.random_range(0..LAST.len())]);
        s.search_leads(&q, 100).unwrap().len()
    });
    bench(&store, &mut rng, "search: an exact email", |s, rng| {
        s.search_leads(&format!("lead{}@", rng.random_range(0..n)), 100).unwrap().len()
    });
    bench(&store, &mut rng, "search: 3-letter company prefix", |s, rng| {
        s.search_leads(&WORDS[rng.random_range(0..WORDS.len())][..3], 100).unwrap().len()
    });
    println!(
        "peak RSS: {} MB (of which file-backed pages of the memory-mapped database are reclaimable); anonymous RSS now: {} MB",
        status_mb("VmHWM:"),
        status_mb("RssAnon:")
    );
}

fn bench(store: &Store, rng: &mut StdRng, name: &str, mut f: impl FnMut(&Store, &mut StdRng) -> usize) {
    for _ in 0..5 {
        f(store, rng);
    }
    let mut times: Vec<Duration> = Vec::new();
    let mut rows = 0;
    for _ in 0..200 {
        let t = Instant::now();
        rows += f(store, rng);
        times.push(t.elapsed());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{name:<48} p50 {:>7.2} ms  p95 {:>7.2} ms  max {:>7.2} ms  ({:.0} rows/call)",
        ms(times[times.len() / 2]),
        ms(times[times.len() * 95 / 100]),
        ms(times[times.len() - 1]),
        rows as f64 / times.len() as f64
    );
}

fn fill(store: &mut Store, count: usize, offset: u64) {
    let mut rng = StdRng::seed_from_u64(1 + offset);
    let me = store.identity().user_id.clone();
    let lists: Vec<String> = store
        .write(|tx| {
            (0..20)
                .map(|i| {
                    tx.insert("lead_lists", json!({"name": format!("List {offset}-{i}")}).as_object().unwrap().clone())
                })
                .collect()
        })
        .unwrap();
    let batch = 50_000;
    for start in (0..count).step_by(batch) {
        store
            .write(|tx| {
                for i in start..(start + batch).min(count) {
                    let k = offset as usize + i;
                    let company = format!(
                        "{} {} {}",
                        WORDS[rng.random_range(0..16)],
                        WORDS[rng.random_range(0..16)],
                        SUFFIX[rng.random_range(0..6)]
                    );
                    let tags: Vec<&str> = TAGS.iter().copied().filter(|_| rng.random_bool(0.08)).collect();
                    let mut v = json!({
                        "first_name": FIRST[rng.random_range(0..FIRST.len())],
                        "last_name": LAST[rng.random_range(0..LAST.len())],
                        "email": format!("lead{k}@{}.example", company.split(' ').next().unwrap_or("x").to_lowercase()),
                        "company": company,
                        "job_title": "Head of Operations",
                        "status": STATUSES[rng.random_range(0..STATUSES.len())],
                        "current_score": rng.random_range(0..101),
                        "tags": tags,
                    });
                    // Half unassigned, as before hand-added leads became their rep's.
                    v["assigned_to"] = if rng.random_bool(0.5) { json!(me) } else { json!(null) };
                    if rng.random_bool(0.3) {
                        v["next_follow_up_at"] = json!(format!(
                            "2099-{:02}-{:02}T09:00:00Z",
                            rng.random_range(1..13),
                            rng.random_range(1..29)
                        ));
                    }
                    if rng.random_bool(0.01) {
                        v["list_id"] = json!(lists[rng.random_range(0..lists.len())]);
                    }
                    if rng.random_bool(0.2) {
                        v["notes"] = json!("Met at the trade show; wants a demo next quarter");
                    }
                    tx.insert("leads", v.as_object().unwrap().clone())?;
                }
                Ok(())
            })
            .unwrap();
    }
    // A benchmark database is not a laptop with changes to push.
    store.conn().execute_batch("DELETE FROM outbox;").unwrap();
}

fn status_mb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse().unwrap_or(0))
        })
        .unwrap_or(0)
        / 1024
}
