//! The server side of sync (supabase/migrations/*_sync.sql) through the real PostgREST, as the
//! client calls it: POST /rest/v1/rpc/sync_push and sync_pull with a user's JWT.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use serde_json::{json, Value};

async fn token(api: &Api<'_>, email: &str, pw: &str) -> String {
    api.sign_in(email, pw).await["access_token"].as_str().unwrap().to_string()
}

fn insert(seq: i64, row: &Value) -> Value {
    json!({"seq": seq, "table": "leads", "id": row["id"], "op": "insert", "base_version": null, "row": row})
}

fn update(seq: i64, id: &Value, base_version: i64, fields: Value) -> Value {
    json!({"seq": seq, "table": "leads", "id": id, "op": "update", "base_version": base_version, "fields": fields})
}

async fn pull_all(api: &Api<'_>, t: &str) -> Vec<Value> {
    let (status, page) = api.rpc("sync_pull", t, json!({"page_size": 1000})).await;
    assert_eq!(status, 200, "{page}");
    with_rows(&page[0])
}

/// A page's changes, each upsert with its values also as a "row" object (names from the page's
/// "columns").
fn with_rows(page: &Value) -> Vec<Value> {
    let mut changes = page["changes"].as_array().unwrap().clone();
    for c in &mut changes {
        if let Some(values) = c["values"].as_array() {
            let names = page["columns"][c["table"].as_str().unwrap()].as_array().unwrap();
            assert_eq!(names.len(), values.len(), "{c}");
            let row: serde_json::Map<String, Value> =
                names.iter().map(|n| n.as_str().unwrap().to_string()).zip(values.iter().cloned()).collect();
            assert_eq!(row["id"], c["id"], "the change's id is its row's");
            c["row"] = Value::Object(row);
        }
    }
    changes
}

#[tokio::test]
async fn a_push_repeated_after_a_lost_response_applies_once() {
    let (s, a, _b) = two_orgs();
    let api = Api::new(&s);
    let t = token(&api, "ana@a.test", "password-a").await;
    let client = uuid::Uuid::now_v7();
    let (l1, l2) = (lead(a, "one@a.test"), lead(a, "two@a.test"));
    let batch = json!({"client_id": client, "changes": [insert(1, &l1), insert(2, &l2)]});
    s.faults().drop_next_responses(1);
    let lost = api.rest(reqwest::Method::POST, "/rpc/sync_push", Some(&t)).json(&batch).send().await;
    assert!(lost.is_err(), "the response should have been lost");
    let (status, first) = api.rpc("sync_push", &t, batch.clone()).await;
    assert_eq!(status, 200, "{first}");
    let statuses: Vec<&str> =
        first["results"].as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, vec!["applied", "applied"]);
    let (_, again) = api.rpc("sync_push", &t, batch).await;
    assert_eq!(again["results"], first["results"]);
    assert_eq!(s.sql(&format!("SELECT count(*) FROM leads WHERE organization_id = '{a}'")).unwrap(), vec!["2"]);
    assert_eq!(pull_all(&api, &t).await.iter().filter(|c| c["table"] == "leads").count(), 2);
}

#[tokio::test]
async fn disjoint_edits_merge_and_the_same_field_conflicts() {
    let (s, a, _b) = two_orgs();
    s.create_user("cy@a.test", "password-c", a, "sales_rep").unwrap();
    let api = Api::new(&s);
    let (ta, tc) = (token(&api, "ana@a.test", "password-a").await, token(&api, "cy@a.test", "password-c").await);
    let l = lead(a, "m@a.test");
    let (ca, cc) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    api.rpc("sync_push", &ta, json!({"client_id": ca, "changes": [insert(1, &l)]})).await;
    let id = &l["id"];
    // Both start from version 1.
    let (_, r) = api
        .rpc("sync_push", &ta, json!({"client_id": ca, "changes": [update(2, id, 1, json!({"company": {"base": null, "new": "Acme"}, "notes": {"base": null, "new": "from Ana"}}))]}))
        .await;
    assert_eq!(r["results"][0]["status"], "applied");
    let (_, r) = api
        .rpc("sync_push", &tc, json!({"client_id": cc, "changes": [update(1, id, 1, json!({"job_title": {"base": null, "new": "CTO"}, "notes": {"base": null, "new": "from Cy"}}))]}))
        .await;
    let res = &r["results"][0];
    assert_eq!(res["status"], "conflict", "{r}");
    assert_eq!(res["conflicts"], json!([{"column": "notes", "base": null, "mine": "from Cy", "theirs": "from Ana"}]));
    let row = s
        .sql(&format!("SELECT company, job_title, notes, version FROM leads WHERE id = '{}'", id.as_str().unwrap()))
        .unwrap();
    assert_eq!(row, vec!["Acme|CTO|from Ana|3"], "disjoint fields merged, the conflicting one kept the server's value");
}

#[tokio::test]
async fn one_bad_change_is_rejected_with_the_databases_reason_and_the_rest_apply() {
    let (s, a, b) = two_orgs();
    let api = Api::new(&s);
    let t = token(&api, "ana@a.test", "password-a").await;
    let mut bad = lead(a, "bad@a.test");
    bad["status"] = json!("bogus");
    let changes = json!([
        insert(1, &lead(a, "ok1@a.test")),
        insert(2, &bad),
        insert(3, &lead(b, "theirs@b.test")),
        insert(4, &lead(a, "ok2@a.test"))
    ]);
    let (status, r) = api.rpc("sync_push", &t, json!({"client_id": uuid::Uuid::now_v7(), "changes": changes})).await;
    assert_eq!(status, 200, "{r}");
    let res = r["results"].as_array().unwrap();
    let st: Vec<&str> = res.iter().map(|x| x["status"].as_str().unwrap()).collect();
    assert_eq!(st, vec!["applied", "rejected", "rejected", "applied"]);
    assert_eq!(res[1]["code"], "23514");
    assert!(res[1]["reason"].as_str().unwrap().contains("check constraint"), "{}", res[1]);
    assert_eq!(res[2]["code"], "42501", "another organization's row: refused by row-level security");
    assert_eq!(s.sql(&format!("SELECT count(*) FROM leads WHERE organization_id = '{a}'")).unwrap(), vec!["2"]);
    assert_eq!(s.sql(&format!("SELECT count(*) FROM leads WHERE organization_id = '{b}'")).unwrap(), vec!["0"]);
}

#[tokio::test]
async fn a_change_pointing_at_another_organizations_row_is_rejected_and_its_neighbours_apply() {
    let (s, a, b) = two_orgs();
    let api = Api::new(&s);
    let t = token(&api, "ana@a.test", "password-a").await;
    let theirs = uuid::Uuid::now_v7();
    s.sql(&format!("INSERT INTO lead_lists (id, organization_id, name) VALUES ('{theirs}', '{b}', 'B list')")).unwrap();
    let mut bad = lead(a, "bad@a.test");
    bad["list_id"] = json!(theirs);
    // Three inserts in a row take the server's one-statement path; the bad one sends them one by one.
    let changes = json!([insert(1, &lead(a, "ok1@a.test")), insert(2, &bad), insert(3, &lead(a, "ok2@a.test"))]);
    let (status, r) = api.rpc("sync_push", &t, json!({"client_id": uuid::Uuid::now_v7(), "changes": changes})).await;
    assert_eq!(status, 200, "{r}");
    let res = r["results"].as_array().unwrap();
    let st: Vec<&str> = res.iter().map(|x| x["status"].as_str().unwrap()).collect();
    assert_eq!(st, vec!["applied", "rejected", "applied"]);
    assert_eq!(res[1]["code"], "23503");
    assert!(res[1]["reason"].as_str().unwrap().starts_with("leads.list_id: "), "{}", res[1]);
    assert_eq!(s.sql(&format!("SELECT count(*) FROM leads WHERE list_id = '{theirs}'")).unwrap(), vec!["0"]);
    assert_eq!(s.sql(&format!("SELECT count(*) FROM leads WHERE organization_id = '{a}'")).unwrap(), vec!["2"]);

    // An update that sets it is rejected too.
    let id = res[0]["id"].clone();
    let version = res[0]["version"].as_i64().unwrap();
    let changes = json!([update(4, &id, version, json!({"list_id": {"base": null, "new": theirs}}))]);
    let (_, r) = api.rpc("sync_push", &t, json!({"client_id": uuid::Uuid::now_v7(), "changes": changes})).await;
    assert_eq!(r["results"][0]["code"], "23503", "{r}");
}

#[tokio::test]
async fn a_push_changes_the_columns_a_user_may_write_and_is_refused_the_servers() {
    let (s, a, _b) = two_orgs();
    let api = Api::new(&s);
    let t = token(&api, "ana@a.test", "password-a").await;
    let me = json!(s.sql("SELECT id FROM profiles WHERE email = 'ana@a.test'").unwrap().remove(0));
    let campaign = json!({"id": uuid::Uuid::now_v7(), "organization_id": a, "name": "Spring"});
    let change = |seq: i64, table: &str, id: &Value, fields: Value| json!({"seq": seq, "table": table, "id": id, "op": "update", "base_version": 1, "fields": fields});
    let changes = json!([
        change(1, "profiles", &me, json!({"full_name": {"base": "ana@a.test", "new": "Ana"}})),
        {"seq": 2, "table": "campaigns", "id": campaign["id"], "op": "insert", "base_version": null, "row": campaign},
        change(3, "campaigns", &campaign["id"], json!({"emails_sent": {"base": 0, "new": 500}})),
        change(4, "profiles", &me, json!({"email": {"base": "ana@a.test", "new": "ceo@a.test"}})),
    ]);
    let (status, r) = api.rpc("sync_push", &t, json!({"client_id": uuid::Uuid::now_v7(), "changes": changes})).await;
    assert_eq!(status, 200, "{r}");
    let res = r["results"].as_array().unwrap();
    let st: Vec<&str> = res.iter().map(|x| x["status"].as_str().unwrap()).collect();
    assert_eq!(st, vec!["applied", "applied", "rejected", "rejected"], "{r}");
    assert_eq!((&res[2]["code"], &res[3]["code"]), (&json!("42501"), &json!("42501")));
    assert_eq!(
        s.sql("SELECT full_name || '|' || email FROM profiles WHERE email = 'ana@a.test'").unwrap(),
        vec!["Ana|ana@a.test"]
    );
    assert_eq!(s.sql("SELECT emails_sent FROM campaigns").unwrap(), vec!["0"]);
}

#[tokio::test]
async fn pull_returns_only_the_users_organization() {
    let (s, a, b) = two_orgs();
    s.sql(&format!(
        "INSERT INTO leads (id, organization_id, first_name) VALUES ('{}', '{a}', 'A1'), ('{}', '{b}', 'B1')",
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7()
    ))
    .unwrap();
    let api = Api::new(&s);
    let t = token(&api, "ana@a.test", "password-a").await;
    let changes = pull_all(&api, &t).await;
    let names: Vec<&str> =
        changes.iter().filter(|c| c["table"] == "leads").map(|c| c["row"]["first_name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["A1"]);
    assert!(changes
        .iter()
        .all(|c| c["row"]["organization_id"] != json!(b.to_string()) && c["row"]["id"] != json!(b.to_string())));
    let (status, _) = api.rpc("sync_pull", s.anon_key(), json!({})).await;
    assert!(status == 401 || status == 403, "anon may not pull: {status}");
}

#[tokio::test]
async fn a_transaction_open_during_a_pull_is_returned_by_the_next_pull() {
    let (s, a, _b) = two_orgs();
    let api = Api::new(&s);
    let t = token(&api, "ana@a.test", "password-a").await;
    let (db, conn) = tokio_postgres::connect(&s.db_uri(), tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let early = uuid::Uuid::now_v7();
    db.batch_execute(&format!(
        "BEGIN; INSERT INTO leads (id, organization_id, first_name) VALUES ('{early}', '{a}', 'Slow');"
    ))
    .await
    .unwrap();
    // A later transaction commits first.
    s.sql(&format!(
        "INSERT INTO leads (id, organization_id, first_name) VALUES ('{}', '{a}', 'Fast')",
        uuid::Uuid::now_v7()
    ))
    .unwrap();
    // The body is a set of one page.
    let (_, first) = api.rpc("sync_pull", &t, json!({"page_size": 1000})).await;
    let first = first[0].clone();
    let names = |p: &Value| -> Vec<String> {
        with_rows(p)
            .iter()
            .filter(|c| c["table"] == "leads")
            .map(|c| c["row"]["first_name"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(names(&first).is_empty(), "nothing at or above the open transaction is returned yet: {first}");
    db.batch_execute("COMMIT").await.unwrap();
    let last = first["changes"].as_array().unwrap().last().cloned();
    let after = json!({"page_size": 1000, "after_xid": last.as_ref().map(|c| c["xid"].clone()), "after_id": last.as_ref().map(|c| c["row"]["id"].clone())});
    let (_, second) = api.rpc("sync_pull", &t, after).await;
    let second = second[0].clone();
    let mut got = names(&second);
    got.sort();
    assert_eq!(got, vec!["Fast", "Slow"], "{second}");
}

#[tokio::test]
async fn each_page_but_the_last_names_the_next_request_in_a_header() {
    let (s, a, _b) = two_orgs();
    s.sql(&format!(
        "INSERT INTO leads (id, organization_id, first_name) SELECT gen_random_uuid(), '{a}', 'L' || g FROM generate_series(1, 5) g"
    ))
    .unwrap();
    let api = Api::new(&s);
    let t = token(&api, "ana@a.test", "password-a").await;
    let mut args = json!({"page_size": 2});
    let mut seen = 0;
    loop {
        let r = api.rest(reqwest::Method::POST, "/rpc/sync_pull", Some(&t)).json(&args).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let header = r.headers().get("x-sync-next").map(|v| v.to_str().unwrap().to_string());
        let body: Value = r.json().await.unwrap();
        let page = &body[0];
        let changes = page["changes"].as_array().unwrap();
        seen += changes.iter().filter(|c| c["table"] == "leads").count();
        let Some(header) = header else {
            assert!(page["next"].is_null(), "only the last page has no header: {page}");
            break;
        };
        // What the client computes from the page: the last change's key and the page's horizon.
        let last = changes.last().unwrap();
        let expected = format!(
            "{} {} {}",
            last["xid"].as_str().unwrap(),
            last["id"].as_str().unwrap(),
            page["horizon"].as_str().unwrap()
        );
        assert_eq!(header, expected);
        args = json!({"page_size": 2, "after_xid": last["xid"], "after_id": last["id"], "horizon": page["horizon"]});
    }
    assert_eq!(seen, 5, "the header's requests walk every page");
}

/// The body is the function's one parameter: a malformed body is refused as a whole, with a reason.
#[tokio::test]
async fn a_malformed_push_body_is_refused_with_its_reason() {
    let (s, a, _b) = two_orgs();
    let api = Api::new(&s);
    let t = token(&api, "ana@a.test", "password-a").await;
    let cases = [
        (json!({"changes": []}), "client_id is required"),
        (json!({"client_id": "not-a-uuid", "changes": []}), "client_id must be a uuid"),
        (json!({"client_id": uuid::Uuid::now_v7(), "changes": {}}), "changes must be a JSON array"),
        (json!({"client_id": uuid::Uuid::now_v7(), "changes": [{"table": "leads"}]}), "positive integer \"seq\""),
    ];
    for (body, reason) in cases {
        let (status, r) = api.rpc("sync_push", &t, body.clone()).await;
        assert_eq!((status, r["code"].as_str()), (400, Some("22023")), "{body} -> {r}");
        assert!(r["message"].as_str().unwrap_or_default().contains(reason), "{body} -> {r}");
    }
    let ok = json!({"client_id": uuid::Uuid::now_v7(), "changes": [insert(1, &lead(a, "fine@a.test"))]});
    let (status, r) = api.rpc("sync_push", &t, ok).await;
    assert_eq!((status, r["results"][0]["status"].as_str()), (200, Some("applied")), "{r}");
}

#[test]
fn every_synced_table_can_take_the_one_statement_path() {
    // A trigger sync_push's fast path does not know sends every change of its table the slow way (an
    // unnoticed one cost pushes 90% of their speed): guards (public.guard_*, they only raise), anon-only
    // triggers (public.anon_*) and sync's own are the known ones.
    let s = standin::Standin::start().unwrap();
    let unknown = s
        .sql(
            "SELECT st.table_name || ': ' || tg.tgname FROM sync_tables st
               JOIN pg_trigger tg ON tg.tgrelid = format('public.%I', st.table_name)::regclass AND NOT tg.tgisinternal
               JOIN pg_proc pr ON pr.oid = tg.tgfoid
              WHERE tg.tgname NOT IN ('zz_sync_row_meta', 'zz_sync_tombstone', 'zz_sync_scope')
                AND NOT (pr.pronamespace = 'public'::regnamespace
                         AND (pr.proname LIKE 'guard\\_%' OR pr.proname LIKE 'anon\\_%'))
              ORDER BY 1",
        )
        .unwrap();
    assert_eq!(unknown, Vec::<String>::new());
    let anon = s.sql("SELECT count(*) FROM pg_trigger WHERE tgname = 'anon_web_form_repeat'").unwrap();
    assert_eq!(anon, vec!["1"], "the anon-only trigger this test knows of is there");
}
