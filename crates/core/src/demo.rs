//! Demo data for a first start with nothing to work on: plausible leads across the pipeline with a
//! few activities each. Deterministic (a fixed seed), so screenshots and tests are repeatable.
//! Written through the normal path, so the rows are ordinary local work.

use serde_json::{json, Map, Value};

use crate::error::Result;
use crate::Store;

const FIRST: [&str; 16] = [
    "Ana", "Bo", "Carla", "Dev", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kemal", "Lena", "Marco", "Nadia",
    "Omar", "Priya",
];
const LAST: [&str; 16] = [
    "Silva", "Berg", "Rossi", "Patel", "Yilmaz", "Okafor", "Lind", "Tanaka", "Moreau", "Weber", "Demir", "Novak",
    "Costa", "Haddad", "Farouk", "Iyer",
];
const COMPANIES: [&str; 12] = [
    "Northwind",
    "Globex",
    "Initech",
    "Umbrella Logistics",
    "Hooli",
    "Vandelay Imports",
    "Stark Freight",
    "Wayne Agro",
    "Acme Tools",
    "Soylent Foods",
    "Cyberdyne Labs",
    "Tyrell Energy",
];
const TITLES: [&str; 6] = ["Head of Operations", "CTO", "VP Sales", "Procurement Lead", "Founder", "IT Manager"];
/// Each status with what its follow-up is about (none for a closed deal): a board and a win rate
/// that look like a real pipeline, lost deals included.
const STATUSES: [(&str, Option<&str>); 10] = [
    ("new", Some("Intro call")),
    ("new", Some("Intro call")),
    ("contacted", Some("Follow up on the first email")),
    ("qualified", Some("Book a demo")),
    ("proposal", Some("Send the proposal")),
    ("negotiation", Some("Agree the terms")),
    ("nurturing", Some("Check in")),
    ("closed_won", None),
    ("closed_lost", None),
    ("unqualified", None),
];

/// Adds `n` demo leads (each with a note; some with a follow-up) in one transaction.
pub fn seed(store: &mut Store, n: usize) -> Result<usize> {
    if store.setting("identity_is_local")?.is_none() {
        return Err(crate::Error::DemoData(
            "demo data is for trying Outpost on your own: this database syncs with your team, who would all get the made-up leads".into(),
        ));
    }
    let mut rng: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |m: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % m as u64) as usize
    };
    let now = chrono::Utc::now();
    store.write(|tx| {
        for i in 0..n {
            let (first, last) = (FIRST[next(FIRST.len())], LAST[next(LAST.len())]);
            let company = COMPANIES[next(COMPANIES.len())];
            let domain: String = company.to_lowercase().chars().filter(char::is_ascii_alphanumeric).collect();
            let (status, follow_up) = STATUSES[next(STATUSES.len())];
            let mut lead = obj(json!({
                "first_name": first,
                "last_name": last,
                "email": format!("{}.{}{}@{domain}.example", first.to_lowercase(), last.to_lowercase(), i),
                "company": company,
                "job_title": TITLES[next(TITLES.len())],
                "status": status,
                "current_score": next(100),
                "predicted_value": format!("{}", (next(40) + 1) * 1_000),
                "source": "demo",
                "tags": if i % 4 == 0 { json!(["demo", "vip"]) } else { json!(["demo"]) },
            }));
            if let Some(reason) = follow_up.filter(|_| i % 3 == 0) {
                // Within the next ten days, a few of them still today.
                let due = now + chrono::Duration::minutes(30 + next(10 * 24 * 60) as i64);
                lead.insert("next_follow_up_at".into(), json!(due.format("%Y-%m-%dT%H:%M:00Z").to_string()));
                lead.insert("follow_up_reason".into(), json!(reason));
            }
            // A pool to hand out beside the rep's own (a lead added by hand is theirs).
            if i % 2 == 1 {
                lead.insert("assigned_to".into(), Value::Null);
            }
            let id = tx.insert("leads", lead)?;
            // Met over the last eight weeks: the dashboard's weekly activity is a spread, not a spike.
            let met = now - chrono::Duration::minutes(next(8 * 7 * 24 * 60) as i64);
            tx.insert(
                "activities",
                obj(json!({"lead_id": id, "type": "note", "subject": "First contact",
                           "description": format!("Met {first} from {company}; interested in a pilot."),
                           "completed_at": crate::time::format(met)})),
            )?;
        }
        Ok(n)
    })
}

/// The demo leads still here: what the loader made (source "demo" and an address at an `.example`
/// domain, which no real person has; its "demo" tag may have been taken off since) — never a rep's
/// own lead they tagged "demo" (a demo booked), even from a source they named demo. (One whose
/// address was edited to a real one is the rep's now: it cannot be told from theirs.)
pub fn lead_ids(store: &Store) -> Result<Vec<String>> {
    demo_ids(store, "deleted_at IS NULL")
}

fn demo_ids(store: &Store, which: &str) -> Result<Vec<String>> {
    let mut stmt = store
        .conn()
        .prepare(&format!("SELECT id FROM leads WHERE {which} AND source = 'demo' AND email LIKE '%.example'"))?;
    let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

/// Demo leads removed before (soft, for their Undo), gone for good with what was logged on them
/// (the schema's cascades): made-up people a first sign-in must not send, deleted or not. Never
/// sent, so the capture triggers forget their outbox entries with them. Returns how many went.
pub(crate) fn forget_removed(store: &mut Store) -> Result<usize> {
    let ids = demo_ids(store, "deleted_at IS NOT NULL")?;
    if ids.is_empty() {
        return Ok(0);
    }
    let tx = store.conn_mut().transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    for id in &ids {
        tx.execute("DELETE FROM leads WHERE id = ?1", [id])?;
    }
    tx.commit()?;
    Ok(ids.len())
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}
