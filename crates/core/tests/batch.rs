//! Batch inserts (the importer's write path): rows go in 32 to a statement; a row the database
//! refuses inside a full group is found and reported by its tag while the others land; rows get the
//! columns' defaults, the shared values, and change capture like any insert.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use outpost_core::{Error, Row, Store};
use serde_json::json;

fn row(v: serde_json::Value) -> Row {
    match v {
        serde_json::Value::Object(m) => m,
        _ => unreachable!(),
    }
}

#[test]
fn refused_rows_are_reported_by_tag_and_the_rest_land() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("outpost.db")).unwrap();
    let (refused, ids) = store
        .write(|tx| {
            let list = tx.insert("lead_lists", row(json!({"name": "Batch"})))?;
            let mut batch = tx.batch("leads", row(json!({"list_id": list, "source": "csv_import"})))?;
            // The table's CHECKs are checked per group, for the columns the rows set.
            assert!(ignoring_checks(batch.tx().conn()));
            let mut ids = Vec::new();
            for i in 0..100u64 {
                let mut values =
                    row(json!({"first_name": format!("Lead {i}"), "email": format!("lead{i}@example.com")}));
                match i {
                    // A value the table's CHECK refuses, inside the first full group of 32.
                    10 => drop(values.insert("status".into(), json!("bogus"))),
                    // The same email as row 40 (same group): the unique index refuses the second.
                    41 => drop(values.insert("email".into(), json!("LEAD40@example.com"))),
                    // A JSON column of the wrong shape (an object where an array belongs).
                    70 => drop(values.insert("tags".into(), json!({"vip": true}))),
                    // The last, partial group.
                    99 => drop(values.insert("engagement_level".into(), json!("extreme"))),
                    _ => {}
                }
                ids.push(batch.insert(values, i)?.expect("queued"));
            }
            // Refused before anything is queued: unknown column, shared column given again.
            let unknown = row(json!({"first_name": "N", "nope": 1}));
            assert!(matches!(batch.insert(unknown, 100)?, Err(Error::UnknownColumn { .. })));
            assert!(batch.insert(row(json!({"list_id": list, "first_name": "x"})), 101)?.is_err());
            let refused = batch.finish()?;
            assert!(!ignoring_checks(tx.conn()), "the CHECKs are back on after the batch");
            // A batch given up (an error, a cancel) leaves them on too.
            let mut given_up = tx.batch("leads", Row::new())?;
            given_up.insert(row(json!({"first_name": "Never"})), 0)?.expect("queued");
            drop(given_up);
            assert!(!ignoring_checks(tx.conn()));
            Ok((refused, ids))
        })
        .unwrap();
    let tags: Vec<u64> = refused.iter().map(|(t, _)| *t).collect();
    assert_eq!(tags, vec![10, 41, 70, 99]);
    assert!(refused.iter().all(|(_, e)| matches!(e, Error::Constraint { .. })), "{refused:?}");
    assert!(refused[0].1.to_string().contains("status"), "{}", refused[0].1);
    assert!(refused[1].1.to_string().contains("email"), "{}", refused[1].1);
    assert!(refused[2].1.to_string().contains("tags"), "{}", refused[2].1);

    let conn = store.conn();
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(count("SELECT count(*) FROM leads"), 96);
    assert_eq!(count("SELECT count(*) FROM leads WHERE list_id IS NOT NULL AND source = 'csv_import'"), 96);
    assert_eq!(count("SELECT count(*) FROM leads WHERE status = 'new' AND tags = '[]' AND custom_fields = '{}'"), 96);
    assert_eq!(count("SELECT count(*) FROM outbox WHERE table_name = 'leads'"), 96, "captured like any insert");
    assert_eq!(count("SELECT count(*) FROM leads_fts WHERE leads_fts MATCH 'lead'"), 96, "searchable");
    let landed: i64 =
        conn.query_row("SELECT count(*) FROM leads WHERE id IN (?1, ?2)", [&ids[0], &ids[98]], |r| r.get(0)).unwrap();
    assert_eq!(landed, 2, "the ids handed out are the rows' ids");
    assert_eq!(count("SELECT count(*) FROM leads WHERE first_name IN ('Lead 69', 'Lead 71')"), 2, "the group's others");
    assert_eq!(count("SELECT count(*) FROM leads WHERE id = (SELECT id FROM leads WHERE first_name = 'Lead 10')"), 0);
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
}

fn ignoring_checks(conn: &rusqlite::Connection) -> bool {
    conn.query_row("PRAGMA ignore_check_constraints", [], |r| r.get(0)).unwrap()
}

/// A bulk load drops most indexes while it writes, but not one it looks rows up by: an import
/// matches rows without an email by LinkedIn profile, and without the index each lookup read the
/// whole table.
#[test]
fn a_bulk_load_keeps_the_indexes_it_looks_rows_up_by() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("outpost.db")).unwrap();
    let indexes = |tx: &outpost_core::Tx<'_>| -> Vec<String> {
        let mut stmt =
            tx.conn().prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'leads'").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    store
        .write(|tx| {
            let bulk = tx.begin_bulk("leads")?;
            let during = indexes(tx);
            assert!(during.contains(&"leads_linkedin_profile".to_string()), "{during:?}");
            assert!(!during.contains(&"leads_phone_tail".to_string()), "the others are set aside: {during:?}");
            tx.finish_bulk(bulk, "import_id", "none", &mut |_| true)
        })
        .unwrap();
}
