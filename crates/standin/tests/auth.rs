#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::time::Duration;

use common::*;
use serde_json::{json, Value};
use standin::Standin;

#[tokio::test]
async fn signup_sign_in_user_and_the_error_shapes() {
    let s = Standin::start().unwrap();
    let api = Api::new(&s);
    let r =
        api.auth("/signup", json!({"email": "New@Example.com", "password": "hunter22", "data": {"name": "N"}})).await;
    assert_eq!(r.status(), 200);
    let session: Value = r.json().await.unwrap();
    for k in ["access_token", "refresh_token", "expires_in", "expires_at"] {
        assert!(!session[k].is_null(), "{k} missing: {session}");
    }
    assert_eq!(session["token_type"], "bearer");
    assert_eq!(session["user"]["email"], "new@example.com");
    let claims = s.keys.verify(session["access_token"].as_str().unwrap()).unwrap();
    assert_eq!((claims["role"].as_str(), claims["aud"].as_str()), (Some("authenticated"), Some("authenticated")));
    assert_eq!(claims["sub"], session["user"]["id"]);

    let again = api.auth("/signup", json!({"email": "new@example.com", "password": "hunter22"})).await;
    assert_eq!(again.status(), 422);
    assert_eq!(
        again.json::<Value>().await.unwrap(),
        json!({"code": "user_already_exists", "message": "User already registered"})
    );
    let weak = api.auth("/signup", json!({"email": "w@example.com", "password": "123"})).await;
    assert_eq!(weak.status(), 422);

    let wrong = api.auth("/token?grant_type=password", json!({"email": "new@example.com", "password": "nope"})).await;
    assert_eq!(wrong.status(), 400);
    assert_eq!(wrong.headers()["x-sb-error-code"], "invalid_credentials");
    assert_eq!(
        wrong.json::<Value>().await.unwrap(),
        json!({"code": "invalid_credentials", "message": "Invalid login credentials"})
    );
    // Clients without the API-version header get the legacy shape.
    let legacy = api
        .http
        .post(format!("{}/auth/v1/token?grant_type=password", s.url))
        .header("apikey", s.anon_key())
        .json(&json!({"email": "new@example.com", "password": "nope"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        legacy.json::<Value>().await.unwrap(),
        json!({"code": 400, "error_code": "invalid_credentials", "msg": "Invalid login credentials"})
    );

    let token = api.sign_in("new@example.com", "hunter22").await["access_token"].as_str().unwrap().to_string();
    let me = api
        .http
        .get(format!("{}/auth/v1/user", s.url))
        .header("apikey", s.anon_key())
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    assert_eq!(me.json::<Value>().await.unwrap()["email"], "new@example.com");
    let none = api.http.get(format!("{}/auth/v1/user", s.url)).header("apikey", s.anon_key()).send().await.unwrap();
    assert_eq!(none.status(), 401);
}

#[tokio::test]
async fn refresh_tokens_rotate_and_reuse_after_the_interval_revokes_the_session() {
    let s = Standin::start().unwrap();
    let org = s.create_organization("O").unwrap();
    s.create_user("r@o.test", "password", org, "sales_rep").unwrap();
    let api = Api::new(&s);
    let first = api.sign_in("r@o.test", "password").await;
    let t1 = first["refresh_token"].as_str().unwrap().to_string();
    let refresh = |t: String| {
        let api = &api;
        async move { api.auth("/token?grant_type=refresh_token", json!({"refresh_token": t})).await }
    };
    let second: Value = refresh(t1.clone()).await.json().await.unwrap();
    let t2 = second["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(t1, t2);
    // Within the reuse interval the parent returns the active token (a retried refresh is harmless).
    let retried: Value = refresh(t1.clone()).await.json().await.unwrap();
    assert_eq!(retried["refresh_token"], t2.as_str());
    // After it, reuse means theft: the whole session is revoked.
    s.set_refresh_reuse_interval(Duration::ZERO);
    let reused = refresh(t1).await;
    assert_eq!(reused.status(), 400);
    assert_eq!(reused.json::<Value>().await.unwrap()["code"], "refresh_token_already_used");
    let after = refresh(t2).await;
    assert_eq!(after.status(), 400, "the session's live token died with it");
    let unknown = refresh("no-such-token".into()).await;
    assert_eq!(unknown.json::<Value>().await.unwrap()["code"], "refresh_token_not_found");
}

#[tokio::test]
async fn logout_ends_the_session() {
    let s = Standin::start().unwrap();
    let org = s.create_organization("O").unwrap();
    s.create_user("l@o.test", "password", org, "sales_rep").unwrap();
    let api = Api::new(&s);
    let session = api.sign_in("l@o.test", "password").await;
    let token = session["access_token"].as_str().unwrap();
    let out = api
        .http
        .post(format!("{}/auth/v1/logout", s.url))
        .header("apikey", s.anon_key())
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    let me = api
        .http
        .get(format!("{}/auth/v1/user", s.url))
        .header("apikey", s.anon_key())
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 403);
    let r = api.auth("/token?grant_type=refresh_token", json!({"refresh_token": session["refresh_token"]})).await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn the_gateway_requires_an_api_key_and_postgrest_rejects_expired_tokens() {
    let (s, _a, _b) = two_orgs();
    let api = Api::new(&s);
    let no_key = api.http.get(format!("{}/rest/v1/leads", s.url)).send().await.unwrap();
    assert_eq!(no_key.status(), 401);
    assert_eq!(no_key.json::<Value>().await.unwrap()["message"], "No API key found in request");
    let bad_key = api.http.get(format!("{}/rest/v1/leads", s.url)).header("apikey", "nope").send().await.unwrap();
    assert_eq!(bad_key.status(), 401);

    let now = chrono::Utc::now().timestamp();
    let expired = s.sign(&json!({"sub": uuid::Uuid::new_v4(), "role": "authenticated", "aud": "authenticated", "iat": now - 120, "exp": now - 60}));
    let r = api.rest(reqwest::Method::GET, "/leads", Some(&expired)).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let code = r.json::<Value>().await.unwrap()["code"].as_str().unwrap().to_string();
    assert!(code == "PGRST301" || code == "PGRST303", "{code}");

    s.set_token_ttl(Duration::from_secs(1));
    let short = api.sign_in("ana@a.test", "password-a").await;
    assert_eq!(short["expires_in"], 1);
}

#[tokio::test]
async fn dropping_the_handle_stops_everything() {
    let s = Standin::start().unwrap();
    let url = s.url.clone();
    let db = s.db_uri();
    let pg_port: u16 = db.rsplit(':').next().unwrap().split('/').next().unwrap().parse().unwrap();
    drop(s);
    assert!(reqwest::get(format!("{url}/auth/v1/health")).await.is_err());
    assert!(std::net::TcpStream::connect(("127.0.0.1", pg_port)).is_err());
}
