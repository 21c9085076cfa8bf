#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use reqwest::{Client, Response};
use serde_json::{json, Value};
use standin::Standin;

pub struct Api<'a> {
    pub s: &'a Standin,
    pub http: Client,
}

impl<'a> Api<'a> {
    pub fn new(s: &'a Standin) -> Api<'a> {
        Api { s, http: Client::new() }
    }

    pub async fn auth(&self, path: &str, body: Value) -> Response {
        self.http
            .post(format!("{}/auth/v1{path}", self.s.url))
            .header("apikey", self.s.anon_key())
            .header("X-Supabase-Api-Version", "2024-01-01")
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// Signs in and returns the session JSON.
    pub async fn sign_in(&self, email: &str, password: &str) -> Value {
        let r = self.auth("/token?grant_type=password", json!({"email": email, "password": password})).await;
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    pub fn rest(&self, method: reqwest::Method, path: &str, token: Option<&str>) -> reqwest::RequestBuilder {
        let bearer = token.unwrap_or(self.s.anon_key()).to_string();
        self.http
            .request(method, format!("{}/rest/v1{path}", self.s.url))
            .header("apikey", self.s.anon_key())
            .bearer_auth(bearer)
    }

    pub async fn rpc(&self, f: &str, token: &str, args: Value) -> (u16, Value) {
        let r = self.rest(reqwest::Method::POST, &format!("/rpc/{f}"), Some(token)).json(&args).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}

/// Two organizations with one sales rep each: (standin, org_a, org_b).
pub fn two_orgs() -> (Standin, uuid::Uuid, uuid::Uuid) {
    let s = Standin::start().unwrap();
    let a = s.create_organization("Org A").unwrap();
    let b = s.create_organization("Org B").unwrap();
    s.create_user("ana@a.test", "password-a", a, "sales_rep").unwrap();
    s.create_user("bo@b.test", "password-b", b, "sales_rep").unwrap();
    (s, a, b)
}

pub fn lead(org: uuid::Uuid, email: &str) -> Value {
    json!({"id": uuid::Uuid::now_v7(), "organization_id": org, "first_name": "Test", "email": email})
}
