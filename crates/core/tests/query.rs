#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::{Error, Lead, LeadQuery, Owner, SortField, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

const STATUSES: [&str; 4] = ["new", "contacted", "qualified", "closed_won"];
const COMPANIES: [Option<&str>; 5] = [Some("Acme"), Some("acme"), Some("Zeta Corp"), Some("Ångström AB"), None];
const TAGS: [&str; 3] = ["vip", "webinar", "cold"];

fn fill(store: &mut Store, n: usize) -> String {
    let mut rng = StdRng::seed_from_u64(42);
    let list = store.write(|tx| tx.insert("lead_lists", row(json!({"name": "Events"})))).unwrap();
    let me = store.identity().user_id.clone();
    store
        .write(|tx| {
            for i in 0..n {
                let tags: Vec<&str> = TAGS.iter().copied().filter(|_| rng.random_bool(0.3)).collect();
                let mut v = json!({
                    "first_name": format!("First{}", rng.random_range(0..50)),
                    "last_name": if rng.random_bool(0.9) { json!(format!("Last{}", rng.random_range(0..30))) } else { json!(null) },
                    "email": format!("lead{i}@example.com"),
                    "company": COMPANIES[rng.random_range(0..COMPANIES.len())],
                    "status": STATUSES[rng.random_range(0..STATUSES.len())],
                    "current_score": rng.random_range(0..5) * 20,
                    "tags": tags,
                    "notes": if i % 7 == 0 { "met at the Lisbon summit" } else { "cold outreach" },
                });
                if rng.random_bool(0.5) {
                    v["next_follow_up_at"] = json!(format!("2099-0{}-1{}T09:00:00Z", rng.random_range(1..10), rng.random_range(0..10)));
                }
                if rng.random_bool(0.2) {
                    v["list_id"] = json!(list);
                }
                v["assigned_to"] = if rng.random_bool(0.5) { json!(me) } else { json!(null) };
                tx.insert("leads", row(v))?;
            }
            Ok(())
        })
        .unwrap();
    list
}

fn all_pages(store: &Store, q: &LeadQuery, limit: usize) -> Vec<Lead> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.list_leads(q, limit, cursor.as_deref()).unwrap();
        assert!(page.leads.len() <= limit);
        out.extend(page.leads);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return out,
        }
    }
}

fn sort_key(l: &Lead, sort: SortField) -> String {
    match sort {
        SortField::UpdatedAt => l.updated_at.clone().unwrap(),
        SortField::CreatedAt => l.created_at.clone().unwrap(),
        // Without regard to case or accents: "Ångström AB" among the A's, not after "Zeta Corp".
        SortField::Name => outpost_core::sort_key::sort_key(&format!(
            "{} {}",
            l.last_name.clone().unwrap_or_default(),
            l.first_name.clone().unwrap_or_default()
        ))
        .into_owned(),
        SortField::Company => outpost_core::sort_key::sort_key(l.company.as_deref().unwrap_or_default()).into_owned(),
        SortField::Score => format!("{:05}", l.current_score),
        SortField::FollowUp => l.next_follow_up_at.clone().unwrap_or_else(|| "9999".into()),
    }
}

#[test]
fn keyset_paging_returns_every_match_once_in_order() {
    let mut db = open();
    let list = fill(&mut db.store, 400);
    let me = db.store.identity().user_id.clone();
    let filters = [
        LeadQuery::default(),
        LeadQuery { statuses: vec!["new".into(), "qualified".into()], ..LeadQuery::default() },
        LeadQuery { tag: Some("VIP".into()), ..LeadQuery::default() },
        LeadQuery { list_id: Some(list), owner: Some(Owner::User(me)), ..LeadQuery::default() },
        LeadQuery { owner: Some(Owner::Unassigned), text: Some("lisbon".into()), ..LeadQuery::default() },
    ];
    for f in &filters {
        let expected = db.store.count_leads(f).unwrap() as usize;
        assert!(expected > 0, "{f:?} matches nothing; the test would prove nothing");
        for sort in SortField::ALL {
            for descending in [false, true] {
                let q = LeadQuery { sort, descending, ..f.clone() };
                let got = all_pages(&db.store, &q, 37);
                assert_eq!(got.len(), expected, "{q:?}");
                let mut ids: Vec<&str> = got.iter().map(|l| l.id.as_str()).collect();
                ids.sort();
                ids.dedup();
                assert_eq!(ids.len(), expected, "duplicates across pages: {q:?}");
                for pair in got.windows(2) {
                    let (a, b) = ((sort_key(&pair[0], sort), &pair[0].id), (sort_key(&pair[1], sort), &pair[1].id));
                    assert!(if descending { a > b } else { a < b }, "{q:?}: {a:?} then {b:?}");
                }
                for l in &got {
                    if !f.statuses.is_empty() {
                        assert!(f.statuses.contains(&l.status.as_str().to_string()));
                    }
                    if f.tag.is_some() {
                        assert!(l.tags.iter().any(|t| t == "vip"));
                    }
                    if f.owner == Some(Owner::Unassigned) {
                        assert!(l.assigned_to.is_none());
                    }
                }
            }
        }
    }
}

#[test]
fn deleted_leads_are_not_listed_and_edits_reach_the_tag_index() {
    let mut db = open();
    let a = add_lead(&mut db.store, json!({"first_name": "Ana", "tags": ["vip"]}));
    let b = add_lead(&mut db.store, json!({"first_name": "Bo", "tags": ["vip"]}));
    db.store.remove::<Lead>(&a.id).unwrap();
    let _: Lead = db.store.edit(&b.id, row(json!({"tags": ["cold"]}))).unwrap();
    let vip = LeadQuery { tag: Some("vip".into()), ..LeadQuery::default() };
    assert_eq!(db.store.count_leads(&vip).unwrap(), 0);
    let cold = LeadQuery { tag: Some("cold".into()), ..LeadQuery::default() };
    assert_eq!(all_pages(&db.store, &cold, 10).iter().map(|l| l.id.clone()).collect::<Vec<_>>(), vec![b.id]);
}

#[test]
fn search_matches_word_prefixes_across_fields_and_follows_edits() {
    let mut db = open();
    let ana = add_lead(
        &mut db.store,
        json!({"first_name": "Ana", "last_name": "Lima", "email": "ana@acme.com", "company": "Acme Robotics"}),
    );
    let bo = add_lead(
        &mut db.store,
        json!({"first_name": "Bo", "company": "Zeta", "notes": "Prefers \"phone\" calls; café owner"}),
    );
    let ids = |v: Vec<Lead>| v.into_iter().map(|l| l.id).collect::<Vec<_>>();
    assert_eq!(ids(db.store.search_leads("acm rob", 10).unwrap()), vec![ana.id.clone()]);
    assert_eq!(ids(db.store.search_leads("ana@acme.com", 10).unwrap()), vec![ana.id.clone()]);
    assert_eq!(ids(db.store.search_leads("cafe", 10).unwrap()), vec![bo.id.clone()], "diacritics fold");
    assert_eq!(ids(db.store.search_leads("\"phone", 10).unwrap()), vec![bo.id.clone()], "quotes are not FTS syntax");
    assert!(db.store.search_leads("AND OR NOT (", 10).unwrap().is_empty());
    assert!(db.store.search_leads("   ", 10).unwrap().is_empty());
    let _: Lead = db.store.edit(&ana.id, row(json!({"company": "Globex"}))).unwrap();
    assert!(db.store.search_leads("robotics", 10).unwrap().is_empty());
    assert_eq!(ids(db.store.search_leads("globex", 10).unwrap()), vec![ana.id.clone()]);
    db.store.remove::<Lead>(&ana.id).unwrap();
    assert!(db.store.search_leads("globex", 10).unwrap().is_empty());
}

/// A rep prospecting searches for the people who decide: a job title finds its leads, and follows
/// an edit of it.
#[test]
fn search_finds_leads_by_job_title() {
    let mut db = open();
    let cto = add_lead(&mut db.store, json!({"first_name": "Cat", "company": "Acme", "job_title": "CTO"}));
    let vp = add_lead(&mut db.store, json!({"first_name": "Vic", "job_title": "VP Sales EMEA"}));
    let ids = |v: Vec<Lead>| v.into_iter().map(|l| l.id).collect::<Vec<_>>();
    assert_eq!(ids(db.store.search_leads("cto", 10).unwrap()), vec![cto.id.clone()]);
    let q = LeadQuery { text: Some("vp sal".into()), ..LeadQuery::default() };
    assert_eq!(ids(all_pages(&db.store, &q, 10)), vec![vp.id.clone()]);
    let _: Lead = db.store.edit(&vp.id, row(json!({"job_title": "Head of Sales"}))).unwrap();
    assert!(db.store.search_leads("emea", 10).unwrap().is_empty());
    assert_eq!(ids(db.store.search_leads("head sales", 10).unwrap()), vec![vp.id.clone()]);
}

/// A phone number typed in any common format finds the lead whatever format its phone is stored in
/// (E.164 from an import, as typed by a rep), in the search box and the list's text filter, through
/// the phone index; a short or non-number text does not search phones.
#[test]
fn a_phone_number_finds_its_lead_in_any_format() {
    let mut db = open();
    let us = add_lead(&mut db.store, json!({"first_name": "Una", "phone": "+14155550132"}));
    let typed = add_lead(&mut db.store, json!({"first_name": "Tia", "phone": "(212) 555-0199"}));
    let uk = add_lead(&mut db.store, json!({"first_name": "Kit", "phone": "+447911123456"}));
    add_lead(&mut db.store, json!({"first_name": "Other", "phone": "+14155550133"}));
    let ids = |v: Vec<Lead>| v.into_iter().map(|l| l.id).collect::<Vec<_>>();
    for query in ["+1 (415) 555-0132", "415-555-0132", "4155550132", "555 0132", "1.415.555.0132"] {
        assert_eq!(ids(db.store.search_leads(query, 10).unwrap()), vec![us.id.clone()], "{query}");
        let q = LeadQuery { text: Some(query.into()), ..LeadQuery::default() };
        assert_eq!(ids(all_pages(&db.store, &q, 10)), vec![us.id.clone()], "{query}");
        assert_eq!(db.store.count_leads(&q).unwrap(), 1, "{query}");
    }
    assert_eq!(ids(db.store.search_leads("+1 212 555 0199", 10).unwrap()), vec![typed.id.clone()]);
    assert_eq!(ids(db.store.search_leads("07911 123456", 10).unwrap()), vec![uk.id.clone()], "a trunk 0");
    let ext = add_lead(&mut db.store, json!({"first_name": "Ed", "phone": "415-555-0199 ext. 12"}));
    for query in ["4155550199", "+1 415 555 0199 x12", "(415) 555-0199 #12"] {
        assert_eq!(ids(db.store.search_leads(query, 10).unwrap()), vec![ext.id.clone()], "{query}: an extension");
    }
    let fr = add_lead(&mut db.store, json!({"first_name": "Fleur", "phone": "01/23/45/67/89"}));
    assert_eq!(ids(db.store.search_leads("+33 1 23 45 67 89", 10).unwrap()), vec![fr.id.clone()], "slashes");
    let local = add_lead(&mut db.store, json!({"first_name": "Lou", "phone": "+1 (555) 010-2233"}));
    for query in ["010-2233", "0102233", "010 2233"] {
        assert_eq!(
            ids(db.store.search_leads(query, 10).unwrap()),
            vec![local.id.clone()],
            "{query}: a zero in the seven"
        );
    }
    assert!(db.store.search_leads("555-01", 10).unwrap().is_empty(), "fewer than seven digits");
    db.store.remove::<Lead>(&us.id).unwrap();
    assert!(db.store.search_leads("4155550132", 10).unwrap().is_empty());
    let plan = query_plan(
        &db.store,
        &format!(
            "SELECT rowid FROM leads WHERE phone IS NOT NULL AND deleted_at IS NULL AND substr({}, -7) = '5550132'",
            outpost_core::query::PHONE_DIGITS
        ),
    );
    assert!(plan.iter().any(|p| p.contains("leads_phone_tail")), "{plan:?}");
}

#[test]
fn a_cursor_from_another_sort_is_refused() {
    let mut db = open();
    fill(&mut db.store, 30);
    let q = LeadQuery::default();
    let page = db.store.list_leads(&q, 5, None).unwrap();
    let other = LeadQuery { sort: SortField::Name, ..q };
    let e = db.store.list_leads(&other, 5, page.next_cursor.as_deref()).unwrap_err();
    assert!(matches!(e, Error::InvalidCursor));
    assert!(matches!(db.store.list_leads(&other, 5, Some("garbage")), Err(Error::InvalidCursor)));
}

#[test]
fn export_writes_every_matching_lead_safely() {
    let mut db = open();
    add_lead(
        &mut db.store,
        json!({"first_name": "=cmd|' /C calc'!A0", "phone": "+1 555 0100", "tags": ["a", "b"],
               "address": {"city": "Lyon", "country": "FR"}, "stage": "demo", "company_size": "11-50",
               "custom_fields": {"budget": "10k"}}),
    );
    add_lead(&mut db.store, json!({"first_name": "Bo", "status": "contacted"}));
    let mut out = Vec::new();
    let q = LeadQuery { sort: SortField::Name, ..LeadQuery::default() };
    assert_eq!(db.store.export_leads_csv(&q, &mut out).unwrap(), 2);
    let text = String::from_utf8(out).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let evil = rows.iter().find(|r| r[col("first_name")].contains("calc")).unwrap();
    assert_eq!(&evil[col("first_name")], "'=cmd|' /C calc'!A0");
    assert_eq!(&evil[col("phone")], "+1 555 0100");
    assert_eq!(&evil[col("tags")], "a; b");
    // Everything entered comes out, so the file imports back whole.
    assert_eq!((&evil[col("city")], &evil[col("country")], &evil[col("street")]), ("Lyon", "FR", ""));
    assert_eq!((&evil[col("stage")], &evil[col("company_size")]), ("demo", "11-50"));
    assert_eq!(&evil[col("custom_fields")], r#"{"budget":"10k"}"#);
    let only_contacted = LeadQuery { statuses: vec!["contacted".into()], ..LeadQuery::default() };
    let mut out = Vec::new();
    assert_eq!(db.store.export_leads_csv(&only_contacted, &mut out).unwrap(), 1);
}

/// The name and company indexes hold keys the sort function made: built with other Unicode tables
/// (a toolchain upgrade) they are rebuilt when the store opens, and stay intact.
#[test]
fn sort_indexes_are_rebuilt_for_new_unicode_tables() {
    let mut db = open();
    fill(&mut db.store, 50);
    let path = db.dir.path().join("outpost.db");
    let tables = outpost_core::sort_key::tables_version();
    let setting = |s: &Store| -> String {
        s.conn().query_row("SELECT value FROM local_settings WHERE key = 'sort_key_tables'", [], |r| r.get(0)).unwrap()
    };
    assert_eq!(setting(&db.store), tables);
    db.store.conn().execute("UPDATE local_settings SET value = 'older' WHERE key = 'sort_key_tables'", []).unwrap();
    drop(db.store);
    let store = Store::open(&path).unwrap();
    assert_eq!(setting(&store), tables);
    let check: String = store.conn().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    let q = LeadQuery { sort: SortField::Name, ..LeadQuery::default() };
    assert_eq!(all_pages(&store, &q, 7).len(), 50);
}
