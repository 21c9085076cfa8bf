//! Whose data a database holds.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use outpost_core::Store;

/// Ana's account at Acme, as a first sign-in's pull brings it (organization and profile).
fn ana_at_acme(store: &Store, org: &str, user: &str) {
    let t = "'2026-01-01T00:00:00.000000Z'";
    store
        .conn()
        .execute_batch(&format!(
            "INSERT INTO organizations (id, name, created_at, updated_at) VALUES ('{org}', 'Acme', {t}, {t});
             INSERT INTO profiles (id, organization_id, email, created_at, updated_at) VALUES ('{user}', '{org}', 'ana@acme.test', {t}, {t});"
        ))
        .unwrap();
}

/// A database holds one account: signing in as another is refused in words the rep knows — the
/// account's email and project, and the changes still waiting for it (it named two UUIDs).
#[test]
fn another_account_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("outpost.db")).unwrap();
    let (org, user) = ("01a218c5-b66e-77a3-b2c3-12df7514ba7a", "bc8251cb-6d7f-446d-924a-e025781d3408");
    ana_at_acme(&store, org, user);
    store.adopt_identity(org, user).unwrap();
    store.set_setting("supabase_url", "https://acme.supabase.co").unwrap();
    let e = store
        .adopt_identity("01a218c5-0000-7000-8000-000000000001", "01a218c5-0000-7000-8000-000000000002")
        .unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, outpost_core::Error::AnotherAccount(_)), "{e:?}");
    assert!(text.contains("ana@acme.test at https://acme.supabase.co") && text.contains("--db"), "{text}");
}

/// Demo leads are made-up people for trying Outpost alone: signing in to a team with them here
/// would send them to everyone, so it is refused until they are removed.
#[test]
fn signing_in_with_demo_leads_here_is_refused_until_they_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("outpost.db")).unwrap();
    outpost_core::demo::seed(&mut store, 3).unwrap();
    let (org, user) = ("01a218c5-b66e-77a3-b2c3-12df7514ba7a", "bc8251cb-6d7f-446d-924a-e025781d3408");
    let e = store.adopt_identity(org, user).unwrap_err();
    assert_eq!(e.code(), "demo_data");
    assert!(e.to_string().starts_with("this computer holds 3 demo leads"), "{e}");
    assert!(store.identity().organization_id != org, "nothing adopted");
    let ids = outpost_core::demo::lead_ids(&store).unwrap();
    store.write(|tx| ids.iter().try_for_each(|id| tx.delete("leads", id))).unwrap();
    ana_at_acme(&store, org, user);
    store.adopt_identity(org, user).unwrap();
    assert_eq!(store.identity().organization_id, org);
    // The removed demo leads and what was logged on them are gone, not waiting to be sent.
    let count = |sql: &str| -> i64 { store.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM leads"), 0);
    assert_eq!(count("SELECT count(*) FROM activities"), 0);
    assert_eq!(count("SELECT count(*) FROM outbox WHERE table_name IN ('leads', 'activities')"), 0);
    // Nor are they loaded into a database that syncs with a team.
    let e = outpost_core::demo::seed(&mut store, 3).unwrap_err();
    assert!(e.code() == "demo_data" && e.to_string().contains("syncs with your team"), "{e}");
    assert!(outpost_core::demo::lead_ids(&store).unwrap().is_empty());
}

/// A viewer's writes would all be refused by the server at the next sync: the store refuses them
/// now, in words that say why; reading goes on, and a new role (pulled like any profile change)
/// takes effect at the next write.
#[test]
fn a_viewer_reads_but_cannot_change_anything() {
    use outpost_core::Error;
    use serde_json::json;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("outpost.db")).unwrap();
    let (org, user) = ("01a218c5-b66e-77a3-b2c3-12df7514ba7a", "bc8251cb-6d7f-446d-924a-e025781d3408");
    let t = "'2026-01-01T00:00:00.000000Z'";
    store
        .conn()
        .execute_batch(&format!(
            "INSERT INTO organizations (id, name, created_at, updated_at) VALUES ('{org}', 'Acme', {t}, {t});
             INSERT INTO profiles (id, organization_id, email, role, created_at, updated_at)
             VALUES ('{user}', '{org}', 'vi@acme.test', 'sales_rep', {t}, {t});"
        ))
        .unwrap();
    store.adopt_identity(org, user).unwrap();
    let lead = |name: &str| json!({"first_name": name}).as_object().unwrap().clone();
    let id = store.write(|tx| tx.insert("leads", lead("Before"))).unwrap();

    let set = |store: &Store, sql: &str| store.conn().execute(&format!("UPDATE profiles SET {sql}"), []).unwrap();
    set(&store, "role = 'viewer'");
    let refused = |r: outpost_core::Result<()>, why: &str| match r {
        Err(e @ Error::ViewOnly(_)) => {
            assert_eq!(e.code(), "view_only");
            assert!(e.to_string().contains(why), "{e}");
        }
        other => panic!("{other:?}"),
    };
    refused(store.write(|tx| tx.insert("leads", lead("New")).map(drop)), "viewer");
    refused(store.write(|tx| tx.update("leads", &id, lead("Edited")).map(drop)), "viewer");
    refused(store.write(|tx| tx.delete("leads", &id)), "viewer");
    refused(store.write(|tx| tx.batch("leads", Default::default()).map(drop)), "viewer");
    let names = store.conn().query_row("SELECT group_concat(first_name) FROM leads", [], |r| r.get::<_, String>(0));
    assert_eq!(names.unwrap(), "Before", "read as before, nothing written");

    set(&store, "role = 'sales_rep', deleted_at = '2026-02-01T00:00:00.000000Z'");
    refused(store.write(|tx| tx.insert("leads", lead("New")).map(drop)), "removed");

    set(&store, "deleted_at = NULL");
    store.write(|tx| tx.update("leads", &id, lead("Edited"))).unwrap();
}

/// Who made a row is whoever made it here: another member's id is refused on insert (the server
/// would refuse it at sync), and it never changes after; a teammate may still own the row.
#[test]
fn a_row_is_made_by_whoever_makes_it() {
    use serde_json::json;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("outpost.db")).unwrap();
    let me = store.identity().user_id.clone();
    let other = "bc8251cb-6d7f-446d-924a-e025781d3408";
    let row = |v: serde_json::Value| v.as_object().unwrap().clone();
    let e = store.write(|tx| tx.insert("leads", row(json!({"first_name": "A", "created_by": other})))).unwrap_err();
    assert!(e.to_string().starts_with("leads.created_by: ") && e.to_string().contains("is not you"), "{e}");
    let id = store.write(|tx| tx.insert("leads", row(json!({"first_name": "A", "created_by": me})))).unwrap();
    let e = store.write(|tx| tx.update("leads", &id, row(json!({"created_by": other})))).unwrap_err();
    assert_eq!(e.code(), "read_only", "{e}");
}
