#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn a_user_can_neither_read_nor_write_another_organizations_rows() {
    let (s, a, b) = two_orgs();
    let api = Api::new(&s);
    let ta = api.sign_in("ana@a.test", "password-a").await["access_token"].as_str().unwrap().to_string();
    let tb = api.sign_in("bo@b.test", "password-b").await["access_token"].as_str().unwrap().to_string();

    let mine = lead(a, "x@a.test");
    let r = api.rest(Method::POST, "/leads", Some(&ta)).json(&mine).send().await.unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let theirs = lead(b, "y@b.test");
    let r = api.rest(Method::POST, "/leads", Some(&tb)).json(&theirs).send().await.unwrap();
    assert_eq!(r.status(), 201);

    let seen: Vec<Value> =
        api.rest(Method::GET, "/leads?select=id,email", Some(&ta)).send().await.unwrap().json().await.unwrap();
    assert_eq!(seen, vec![json!({"id": mine["id"], "email": "x@a.test"})]);

    let r = api.rest(Method::POST, "/leads", Some(&ta)).json(&lead(b, "evil@a.test")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "42501");

    let id = theirs["id"].as_str().unwrap();
    let r = api
        .rest(Method::PATCH, &format!("/leads?id=eq.{id}"), Some(&ta))
        .json(&json!({"first_name": "Hacked"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = api.rest(Method::DELETE, &format!("/leads?id=eq.{id}"), Some(&ta)).send().await.unwrap();
    assert_eq!(r.status(), 403, "no user hard-deletes, in any organization");
    assert_eq!(s.sql(&format!("SELECT first_name FROM leads WHERE id = '{id}'")).unwrap(), vec!["Test"]);

    let r = api.rest(Method::GET, "/leads", None).send().await.unwrap();
    assert_eq!(r.status(), 401, "the anon key alone reads no lead");
    let r = api.rest(Method::GET, "/activities", None).send().await.unwrap();
    assert_eq!(r.status(), 401, "nor anything else");
}

/// Defence in depth: the API's roles hold no privilege that ignores row-level security (TRUNCATE)
/// or is not theirs to use (TRIGGER, REFERENCES); the anon key holds only the web form's insert.
#[test]
fn the_api_roles_hold_only_what_they_use() {
    let (s, _a, _b) = two_orgs();
    let granted = s
        .sql(
            "SELECT grantee || ' ' || table_name || ' ' || privilege_type FROM information_schema.table_privileges
              WHERE table_schema = 'public' AND (grantee = 'anon'
                 OR grantee = 'authenticated' AND privilege_type IN ('TRUNCATE', 'TRIGGER', 'REFERENCES'))",
        )
        .unwrap();
    assert!(granted.is_empty(), "{granted:?}");
    let columns = s
        .sql(
            "SELECT DISTINCT table_name || ' ' || privilege_type FROM information_schema.column_privileges
              WHERE table_schema = 'public' AND grantee = 'anon'",
        )
        .unwrap();
    assert_eq!(columns, vec!["leads INSERT"]);
    let unsafe_path = s
        .sql(
            "SELECT p.proname FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
                AND NOT 'search_path=public, pg_temp' = ANY (coalesce(p.proconfig, '{}'))",
        )
        .unwrap();
    assert!(unsafe_path.is_empty(), "SECURITY DEFINER without pg_temp last: {unsafe_path:?}");
}

/// The field merge any signed-in user can call is bounded: a huge array is a conflict (null) at once,
/// not seconds of the server's CPU; tags of a usual size still merge.
#[tokio::test]
async fn the_field_merge_refuses_huge_values_quickly() {
    let (s, _a, _b) = two_orgs();
    let api = Api::new(&s);
    let ta = api.sign_in("ana@a.test", "password-a").await["access_token"].as_str().unwrap().to_string();
    let (status, merged) = api
        .rpc("sync_merge_json", &ta, json!({"base": ["a"], "mine": ["a", "b"], "theirs": ["a", "c"], "is_set": true}))
        .await;
    assert_eq!((status, merged), (200, json!(["a", "c", "b"])));
    let many: Vec<String> = (0..4000).map(|i| format!("t{i}")).collect();
    // (Unbounded, these two merge: seconds of CPU to give every tag.)
    let (status, merged) =
        api.rpc("sync_merge_json", &ta, json!({"base": [], "mine": many, "theirs": many[1..], "is_set": true})).await;
    assert_eq!((status, merged), (200, Value::Null));
}

#[tokio::test]
async fn a_viewer_can_read_but_not_write() {
    let (s, a, _b) = two_orgs();
    s.create_user("vi@a.test", "password-v", a, "viewer").unwrap();
    let api = Api::new(&s);
    let tv = api.sign_in("vi@a.test", "password-v").await["access_token"].as_str().unwrap().to_string();
    let r = api.rest(Method::POST, "/leads", Some(&tv)).json(&lead(a, "v@a.test")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = api.rest(Method::GET, "/leads", Some(&tv)).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn injected_faults() {
    let (s, a, _b) = two_orgs();
    let api = Api::new(&s);
    let ta = api.sign_in("ana@a.test", "password-a").await["access_token"].as_str().unwrap().to_string();
    s.faults().fail_next(2, 503);
    for _ in 0..2 {
        assert_eq!(api.rest(Method::GET, "/leads", Some(&ta)).send().await.unwrap().status(), 503);
    }
    assert_eq!(api.rest(Method::GET, "/leads", Some(&ta)).send().await.unwrap().status(), 200);

    // The insert reaches the server; its answer never reaches the client.
    s.faults().drop_next_responses(1);
    let l = lead(a, "lost@a.test");
    let r = api.rest(Method::POST, "/leads", Some(&ta)).json(&l).send().await;
    assert!(r.is_err(), "the response was supposed to be lost: {r:?}");
    assert_eq!(
        s.sql(&format!("SELECT email FROM leads WHERE id = '{}'", l["id"].as_str().unwrap())).unwrap(),
        vec!["lost@a.test"]
    );

    s.faults().fail_next(1, 429);
    assert_eq!(api.rest(Method::GET, "/leads", Some(&ta)).send().await.unwrap().status(), 429);

    s.faults().set_latency(std::time::Duration::from_millis(300));
    let started = std::time::Instant::now();
    assert_eq!(api.rest(Method::GET, "/leads", Some(&ta)).send().await.unwrap().status(), 200);
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    s.faults().clear();
}

/// A row of org B as the server's operator would make it; its id.
fn their_list(s: &standin::Standin, b: uuid::Uuid) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    s.sql(&format!("INSERT INTO lead_lists (id, organization_id, name) VALUES ('{id}', '{b}', 'B list')")).unwrap();
    id
}

#[tokio::test]
async fn a_reference_cannot_name_another_organizations_row() {
    let (s, a, b) = two_orgs();
    let api = Api::new(&s);
    let ta = api.sign_in("ana@a.test", "password-a").await["access_token"].as_str().unwrap().to_string();
    let theirs = their_list(&s, b);
    let bo = s.sql("SELECT id FROM profiles WHERE email = 'bo@b.test'").unwrap().remove(0);

    for (field, id) in [("list_id", &theirs), ("assigned_to", &bo)] {
        let mut row = lead(a, &format!("{field}@a.test"));
        row[field] = json!(id);
        let r = api.rest(Method::POST, "/leads", Some(&ta)).json(&row).send().await.unwrap();
        assert_eq!(r.status(), 409, "{field}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "23503", "{body}");
        let message = body["message"].as_str().unwrap();
        assert!(message.starts_with(&format!("leads.{field}: ")) && message.contains(id.as_str()), "{message}");
    }

    // An update that sets the reference is refused as well; the row keeps its value.
    let mine = lead(a, "mine@a.test");
    let r = api.rest(Method::POST, "/leads", Some(&ta)).json(&mine).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let id = mine["id"].as_str().unwrap();
    let r = api
        .rest(Method::PATCH, &format!("/leads?id=eq.{id}"), Some(&ta))
        .json(&json!({"list_id": theirs}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(s.sql(&format!("SELECT count(list_id) FROM leads WHERE id = '{id}'")).unwrap(), vec!["0"]);

    // A reference to the own organization's row still works, on insert and update.
    let ours = uuid::Uuid::now_v7().to_string();
    s.sql(&format!("INSERT INTO lead_lists (id, organization_id, name) VALUES ('{ours}', '{a}', 'A list')")).unwrap();
    let r = api
        .rest(Method::PATCH, &format!("/leads?id=eq.{id}"), Some(&ta))
        .json(&json!({"list_id": ours}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());
    let mut row = lead(a, "listed@a.test");
    row["list_id"] = json!(ours);
    let r = api.rest(Method::POST, "/leads", Some(&ta)).json(&row).send().await.unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn a_row_moved_to_another_organization_keeps_its_history_and_stays_editable() {
    let (s, a, b) = two_orgs();
    let api = Api::new(&s);
    let tb = api.sign_in("bo@b.test", "password-b").await["access_token"].as_str().unwrap().to_string();
    let ana = s.sql("SELECT id FROM profiles WHERE email = 'ana@a.test'").unwrap().remove(0);
    let id = uuid::Uuid::now_v7();
    s.sql(&format!(
        "INSERT INTO leads (id, organization_id, first_name, created_by) VALUES ('{id}', '{a}', 'Moving', '{ana}');
         UPDATE leads SET organization_id = '{b}' WHERE id = '{id}'"
    ))
    .unwrap();
    // The operator's move kept created_by (an unchanged reference is not checked), and org B's rep can
    // edit the row's other fields.
    let r = api
        .rest(Method::PATCH, &format!("/leads?id=eq.{id}"), Some(&tb))
        .json(&json!({"first_name": "Moved"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());
    assert_eq!(s.sql(&format!("SELECT first_name FROM leads WHERE id = '{id}'")).unwrap(), vec!["Moved"]);
}

#[tokio::test]
async fn every_reference_between_organization_scoped_tables_is_guarded() {
    let (s, _a, _b) = two_orgs();
    // Each single-column foreign key from one organization-scoped table to another, without a trigger
    // of guard_same_organization on its table naming it.
    let unguarded = s
        .sql(
            "SELECT cl.relname || '.' || a.attname FROM pg_constraint c
               JOIN pg_class cl ON cl.oid = c.conrelid
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
              WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND a.attname <> 'organization_id'
                AND cl.relnamespace = 'public'::regnamespace
                AND EXISTS (SELECT 1 FROM pg_attribute x WHERE x.attrelid = c.conrelid AND x.attname = 'organization_id')
                AND EXISTS (SELECT 1 FROM pg_attribute x WHERE x.attrelid = c.confrelid AND x.attname = 'organization_id')
                AND (SELECT count(*) FROM pg_trigger t
                      WHERE t.tgrelid = c.conrelid AND t.tgfoid = 'public.guard_same_organization'::regproc
                        AND position(convert_to(a.attname, 'UTF8') IN t.tgargs) > 0) <> 2
              ORDER BY 1",
        )
        .unwrap();
    assert!(unguarded.is_empty(), "{unguarded:?}");
    let guarded =
        s.sql("SELECT count(*) FROM pg_trigger WHERE tgfoid = 'public.guard_same_organization'::regproc").unwrap();
    assert!(guarded[0].parse::<u32>().unwrap() >= 30, "{guarded:?}");
}

#[tokio::test]
async fn columns_the_server_keeps_cannot_be_written_by_a_user() {
    let (s, a, _b) = two_orgs();
    let api = Api::new(&s);
    let ta = api.sign_in("ana@a.test", "password-a").await["access_token"].as_str().unwrap().to_string();
    let refused = |r: reqwest::Response| async move {
        assert_eq!(r.status(), 403);
        assert_eq!(r.json::<Value>().await.unwrap()["code"], "42501");
    };

    // A campaign's counters: not on insert, not on update; its other columns are the rep's.
    let id = uuid::Uuid::now_v7();
    let counted = json!({"id": id, "organization_id": a, "name": "Spring", "emails_sent": 500});
    refused(api.rest(Method::POST, "/campaigns", Some(&ta)).json(&counted).send().await.unwrap()).await;
    let plain = json!({"id": id, "organization_id": a, "name": "Spring"});
    let r = api.rest(Method::POST, "/campaigns", Some(&ta)).json(&plain).send().await.unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let patch = |path: String, body: Value| api.rest(Method::PATCH, &path, Some(&ta)).json(&body).send();
    refused(patch(format!("/campaigns?id=eq.{id}"), json!({"replies": 9})).await.unwrap()).await;
    let r = patch(format!("/campaigns?id=eq.{id}"), json!({"name": "Spring 2027", "status": "active"})).await.unwrap();
    assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());
    assert_eq!(
        s.sql(&format!("SELECT name || '|' || emails_sent || '|' || replies FROM campaigns WHERE id = '{id}'"))
            .unwrap(),
        vec!["Spring 2027|0|0"]
    );

    // An AI insight: the rep acknowledges it and changes nothing else.
    let lead_id = uuid::Uuid::now_v7();
    let insight = uuid::Uuid::now_v7();
    s.sql(&format!(
        "INSERT INTO leads (id, organization_id, first_name) VALUES ('{lead_id}', '{a}', 'L');
         INSERT INTO ai_insights (id, organization_id, lead_id, insight_type, title, description, confidence)
         VALUES ('{insight}', '{a}', '{lead_id}', 'buying_signal', 'Hot', 'Visited pricing', 0.9)"
    ))
    .unwrap();
    refused(patch(format!("/ai_insights?id=eq.{insight}"), json!({"title": "Cold"})).await.unwrap()).await;
    let now = chrono::Utc::now().to_rfc3339();
    let r = patch(format!("/ai_insights?id=eq.{insight}"), json!({"acknowledged_at": now})).await.unwrap();
    assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());
    let made = json!({"organization_id": a, "lead_id": lead_id, "insight_type": "churn_risk", "title": "T",
                      "description": "D", "confidence": 0.5});
    refused(api.rest(Method::POST, "/ai_insights", Some(&ta)).json(&made).send().await.unwrap()).await;

    // Their own profile: the name, not the sign-in email.
    let me = s.sql("SELECT id FROM profiles WHERE email = 'ana@a.test'").unwrap().remove(0);
    refused(patch(format!("/profiles?id=eq.{me}"), json!({"email": "ceo@a.test"})).await.unwrap()).await;
    let r = patch(format!("/profiles?id=eq.{me}"), json!({"full_name": "Ana A."})).await.unwrap();
    assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());
    assert_eq!(
        s.sql(&format!("SELECT email || '|' || full_name FROM profiles WHERE id = '{me}'")).unwrap(),
        vec!["ana@a.test|Ana A."]
    );
    // Once the organization removed her, not even that.
    s.sql(&format!("UPDATE profiles SET deleted_at = now() WHERE id = '{me}'")).unwrap();
    let r = patch(format!("/profiles?id=eq.{me}"), json!({"full_name": "Still here"})).await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(s.sql(&format!("SELECT full_name FROM profiles WHERE id = '{me}'")).unwrap(), vec!["Ana A."]);
}

#[tokio::test]
async fn users_soft_delete_and_never_hard_delete() {
    let (s, a, _b) = two_orgs();
    let api = Api::new(&s);
    let ta = api.sign_in("ana@a.test", "password-a").await["access_token"].as_str().unwrap().to_string();
    let mine = lead(a, "x@a.test");
    let r = api.rest(Method::POST, "/leads", Some(&ta)).json(&mine).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let id = mine["id"].as_str().unwrap();
    let r = api.rest(Method::DELETE, &format!("/leads?organization_id=eq.{a}"), Some(&ta)).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "42501");
    assert_eq!(s.sql(&format!("SELECT count(*) FROM leads WHERE id = '{id}'")).unwrap(), vec!["1"]);
    assert_eq!(s.sql("SELECT count(*) FROM sync_tombstones").unwrap(), vec!["0"]);
    // The app's way: deleted_at.
    let now = chrono::Utc::now().to_rfc3339();
    let r = api
        .rest(Method::PATCH, &format!("/leads?id=eq.{id}"), Some(&ta))
        .json(&json!({"deleted_at": now}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());
    // No table lets a user delete, also one a later migration adds (default privileges).
    let deletable = s
        .sql(
            "CREATE TABLE public.later_table (id uuid primary key);
             SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
                AND (has_table_privilege('authenticated', c.oid, 'DELETE') OR has_table_privilege('anon', c.oid, 'DELETE'))",
        )
        .unwrap();
    assert!(deletable.is_empty(), "{deletable:?}");
}

#[tokio::test]
async fn a_user_writes_as_themselves() {
    let (s, a, _b) = two_orgs();
    let cy = s.create_user("cy@a.test", "password-c", a, "manager").unwrap();
    let api = Api::new(&s);
    let ta = api.sign_in("ana@a.test", "password-a").await["access_token"].as_str().unwrap().to_string();
    let ana = s.sql("SELECT id FROM profiles WHERE email = 'ana@a.test'").unwrap().remove(0);

    let mut forged = lead(a, "forged@a.test");
    forged["created_by"] = json!(cy);
    let r = api.rest(Method::POST, "/leads", Some(&ta)).json(&forged).send().await.unwrap();
    assert_eq!(r.status(), 403, "a lead made in the manager's name");
    let mut own = lead(a, "own@a.test");
    own["created_by"] = json!(ana);
    let r = api.rest(Method::POST, "/leads", Some(&ta)).json(&own).send().await.unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let id = own["id"].as_str().unwrap();
    let r = api
        .rest(Method::PATCH, &format!("/leads?id=eq.{id}"), Some(&ta))
        .json(&json!({"created_by": cy}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "authorship does not change hands");

    let insight = uuid::Uuid::now_v7();
    s.sql(&format!(
        "INSERT INTO ai_insights (id, organization_id, lead_id, insight_type, title, description, confidence)
         VALUES ('{insight}', '{a}', '{id}', 'buying_signal', 'Hot', 'Visited pricing', 0.9)"
    ))
    .unwrap();
    let ack = |by: &str| json!({"acknowledged_by": by, "acknowledged_at": chrono::Utc::now().to_rfc3339()});
    let path = format!("/ai_insights?id=eq.{insight}");
    let r = api.rest(Method::PATCH, &path, Some(&ta)).json(&ack(&cy.to_string())).send().await.unwrap();
    assert_eq!(r.status(), 403, "acknowledged in the manager's name");
    let r = api.rest(Method::PATCH, &path, Some(&ta)).json(&ack(&ana)).send().await.unwrap();
    assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn do_not_contact_cannot_be_cleared_by_a_user() {
    let (s, a, _b) = two_orgs();
    let api = Api::new(&s);
    let ta = api.sign_in("ana@a.test", "password-a").await["access_token"].as_str().unwrap().to_string();
    let mut l = lead(a, "optout@a.test");
    l["do_not_contact"] = json!(true);
    let r = api.rest(Method::POST, "/leads", Some(&ta)).json(&l).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let id = l["id"].as_str().unwrap();
    let path = format!("/leads?id=eq.{id}");
    let r = api.rest(Method::PATCH, &path, Some(&ta)).json(&json!({"do_not_contact": false})).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.json::<Value>().await.unwrap()["message"].as_str().unwrap().contains("do-not-contact"));
    let r = api.rest(Method::PATCH, &path, Some(&ta)).json(&json!({"company": "Still editable"})).send().await.unwrap();
    assert_eq!(r.status(), 204);
    // The operator can.
    s.sql(&format!("UPDATE leads SET do_not_contact = false WHERE id = '{id}'")).unwrap();
}

#[tokio::test]
async fn the_anon_key_reaches_only_the_web_form() {
    let (s, a, _b) = two_orgs();
    s.sql(&format!("UPDATE organizations SET settings = '{{\"web_form_enabled\": true}}' WHERE id = '{a}'")).unwrap();
    let api = Api::new(&s);
    let callable = s
        .sql(
            "SELECT p.proname FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
                AND has_function_privilege('anon', p.oid, 'EXECUTE') ORDER BY 1",
        )
        .unwrap();
    assert_eq!(callable, vec!["organization_accepts_web_forms"]);
    let mut form = json!({"id": uuid::Uuid::now_v7(), "organization_id": a, "first_name": "Wendy", "email": "wendy@example.com",
               "source": "web_form"});
    let r = api.rest(Method::POST, "/leads", None).json(&form).send().await.unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    form["id"] = json!(uuid::Uuid::now_v7());
    form["tags"] = json!(["vip"]);
    let r = api.rest(Method::POST, "/leads", None).json(&form).send().await.unwrap();
    assert_eq!(r.status(), 401, "a visitor sets no tags");
}

#[tokio::test]
async fn members_of_a_deleted_organization_lose_access() {
    let (s, a, _b) = two_orgs();
    let api = Api::new(&s);
    let ta = api.sign_in("ana@a.test", "password-a").await["access_token"].as_str().unwrap().to_string();
    s.sql(&format!(
        "INSERT INTO leads (id, organization_id, first_name) VALUES ('{}', '{a}', 'L')",
        uuid::Uuid::now_v7()
    ))
    .unwrap();
    let seen = |t: String| {
        let api = &api;
        async move { api.rest(Method::GET, "/leads?select=id", Some(&t)).send().await.unwrap().json::<Vec<Value>>().await }
    };
    assert_eq!(seen(ta.clone()).await.unwrap().len(), 1);
    s.sql(&format!("UPDATE organizations SET deleted_at = now() WHERE id = '{a}'")).unwrap();
    assert_eq!(seen(ta).await.unwrap().len(), 0);
}
