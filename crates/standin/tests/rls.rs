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
    assert_eq!(r.status(), 204);
    assert_eq!(s.sql(&format!("SELECT first_name FROM leads WHERE id = '{id}'")).unwrap(), vec!["Test"]);

    let anon: Vec<Value> = api.rest(Method::GET, "/leads", None).send().await.unwrap().json().await.unwrap();
    assert!(anon.is_empty(), "the anon key alone reads nothing");
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
