//! Applying a page of the server's rows: rows are written in groups of consecutive rows with the
//! same keys, read in their keys' order; the server's rows skip the local CHECK rules (the server
//! enforced the same ones) while the rep's own writes keep them.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::sync_local::Pulled;
use outpost_core::Row;
use serde_json::{json, Value};

const AT: &str = "2030-01-02T03:04:05.678000Z";

fn server_lead(org: &str, i: usize) -> Row {
    row(json!({
        "id": format!("00000000-0000-7000-8000-{i:012}"),
        "organization_id": org,
        "first_name": format!("F{i}"),
        "email": format!("p{i}@acme.com"),
        "status": "contacted",
        "tags": ["vip"],
        "created_at": AT,
        "updated_at": AT,
        "version": 1,
    }))
}

#[test]
fn a_page_whose_rows_have_different_keys_lands_whole() {
    let mut db = open();
    let org = db.store.identity().organization_id.clone();
    let mut page: Vec<Row> = (0..100).map(|i| server_lead(&org, i)).collect();
    // Full groups of 32 with three different key sets, split by a row with a column this build does
    // not know (a newer server), and a few rows at the end back on the first set.
    page[32].insert("shoe_size".into(), json!(44));
    for r in &mut page[33..65] {
        r.remove("email");
    }
    for (i, r) in page[65..97].iter_mut().enumerate() {
        r.insert("company".into(), if i == 0 { json!(null) } else { json!(format!("C{i}")) });
    }
    let pulled: Vec<Pulled> = page.iter().map(|r| Pulled::Upsert { table: "leads".into(), row: r.clone() }).collect();
    let applied = db.store.apply_pulled(&pulled, None).unwrap();
    assert_eq!(applied.upserted, 100);
    for (i, sent) in page.iter().enumerate() {
        let id = sent["id"].as_str().unwrap();
        let got = db.store.get("leads", id).unwrap().unwrap_or_else(|| panic!("row {i} missing"));
        for (k, v) in sent.iter().filter(|(k, _)| *k != "shoe_size") {
            assert_eq!(&got[k], v, "row {i}, column {k}");
        }
        let email = if (33..65).contains(&i) { Value::Null } else { json!(format!("p{i}@acme.com")) };
        assert_eq!(got["email"], email, "row {i}");
    }
    let tagged: i64 =
        db.store.conn().query_row("SELECT count(*) FROM lead_tags WHERE tag = 'vip'", [], |r| r.get(0)).unwrap();
    assert_eq!(tagged, 100, "the tag index follows the pulled rows");
}

#[test]
fn the_servers_rows_skip_local_checks_and_the_reps_writes_do_not() {
    let mut db = open();
    let org = db.store.identity().organization_id.clone();
    // A status this build does not list (the server's list grew): refusing it would stop every
    // later pull at this page.
    let mut newer = server_lead(&org, 1);
    newer.insert("status".into(), json!("archived"));
    db.store.apply_pulled(&[Pulled::Upsert { table: "leads".into(), row: newer }], None).unwrap();
    let got = db.store.get("leads", "00000000-0000-7000-8000-000000000001").unwrap().unwrap();
    assert_eq!(got["status"], "archived");

    let checks: i64 = db.store.conn().query_row("PRAGMA ignore_check_constraints", [], |r| r.get(0)).unwrap();
    assert_eq!(checks, 0, "the rule checks are back on after the pull");
    let mine = add_lead(&mut db.store, json!({"first_name": "Mine"}));
    let refused = db.store.write(|tx| tx.update("leads", &mine.id, row(json!({"status": "bogus"}))));
    assert!(refused.is_err(), "the rep's own write is still checked");
    let conn = db.store.conn();
    let direct = conn.execute("UPDATE leads SET current_score = 500 WHERE id = ?1", [&mine.id]);
    assert!(direct.is_err(), "the table's CHECK rules still hold for local statements");
}

/// Rows as pull pages send them: values in the order of the page's column list.
fn as_values(rows: &[Row]) -> Vec<Pulled> {
    let columns: std::sync::Arc<[String]> = rows[0].keys().cloned().collect::<Vec<_>>().into();
    rows.iter()
        .map(|r| Pulled::Values {
            table: "leads".into(),
            id: r["id"].as_str().unwrap().to_string(),
            columns: columns.clone(),
            values: columns.iter().map(|c| r[c].clone()).collect(),
        })
        .collect()
}

#[test]
fn rows_sent_as_values_land_like_rows_sent_as_objects_clashes_and_pending_edits_included() {
    let mut db = open();
    let org = db.store.identity().organization_id.clone();
    let mut page: Vec<Row> = (0..70).map(|i| server_lead(&org, i)).collect();
    // A stale local lead holds the email row 5 takes (inside the first full group), and a lead the
    // rep is editing comes in as row 40 (in the second group): kept fields stay, the rest land.
    let stale = add_lead(&mut db.store, json!({"first_name": "Stale", "email": "p5@acme.com"}));
    mark_synced(&db.store, "leads", &stale.id, 1);
    let mine = add_lead(&mut db.store, json!({"first_name": "Mine", "email": "mine@acme.com"}));
    mark_synced(&db.store, "leads", &mine.id, 1);
    let _: outpost_core::Lead = db.store.edit(&mine.id, row(json!({"notes": "call back Friday"}))).unwrap();
    page[40].insert("id".into(), json!(mine.id));
    page[40].insert("email".into(), json!("mine@acme.com"));
    page[40].insert("notes".into(), json!(null));
    page[40].insert("version".into(), json!(2));
    for r in &mut page {
        r.insert("notes".into(), r.get("notes").cloned().unwrap_or(Value::Null));
    }
    let applied = db.store.apply_pulled(&as_values(&page), None).unwrap();
    assert_eq!((applied.upserted, applied.displaced, applied.kept_pending), (70, 1, 1));
    assert!(db.store.get("leads", &stale.id).unwrap().is_none(), "the stale row made way");
    for (i, sent) in page.iter().enumerate().filter(|(i, _)| *i != 40) {
        let got = db.store.get("leads", sent["id"].as_str().unwrap()).unwrap().unwrap();
        for (k, v) in sent {
            assert_eq!(&got[k], v, "row {i}, column {k}");
        }
    }
    let got = db.store.get("leads", &mine.id).unwrap().unwrap();
    assert_eq!((&got["notes"], &got["first_name"]), (&json!("call back Friday"), &json!("F40")));
}

/// `sync_pull` builds a row as `json_build_array(<every column>)`, and PostgreSQL functions take at
/// most 100 arguments: a table past that needs the array built in parts.
#[test]
fn every_synced_table_fits_in_one_server_row_array() {
    let db = open();
    for t in db.store.catalog().tables() {
        assert!(t.server_columns.len() < 100, "{} has {} columns", t.name, t.server_columns.len());
        assert!(t.columns.len() < 100, "{} has {} columns", t.name, t.columns.len());
    }
}
