//! Supabase over HTTP: Auth (password and refresh grants, sign-out) and PostgREST RPC, always with
//! the anon key plus the signed-in user's JWT, never a service_role key.

use std::time::Duration;

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};

/// A signed-in user's tokens. `expires_at` is the server's (seconds since the epoch).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: i64,
    pub user_id: String,
    pub email: String,
}

/// Without the tokens: a `{:?}` in a log line or a panic message must not carry them.
impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("access_token", &"<hidden>")
            .field("refresh_token", &"<hidden>")
            .field("expires_at", &self.expires_at)
            .field("user_id", &self.user_id)
            .field("email", &self.email)
            .finish()
    }
}

#[derive(Clone)]
pub struct Client {
    base: url::Url,
    anon_key: String,
    http: reqwest::Client,
    /// For large request bodies (push batches): reqwest's read timeout runs from the request's start
    /// to the answer's first byte, so a batch uploading over a slow link would hit it.
    upload: reqwest::Client,
}

/// Request bodies up to this size go through the client that gives up on a silent server after
/// [`QUIET_LIMIT`] (256 KB take ~30 s at 70 kbit/s).
const QUICK_BODY: usize = 256 << 10;
/// How long a request may wait for its answer to start (or a body between chunks).
const QUIET_LIMIT: Duration = Duration::from_secs(30);

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is not a secret, but logs are no place for keys.
        f.debug_struct("Client").field("base", &self.base.as_str()).finish_non_exhaustive()
    }
}

/// The `role` claim of a legacy (JWT) API key, read without verifying it: the laptop has no secret,
/// it only needs to refuse a key that would bypass row-level security.
fn key_role(key: &str) -> Result<Option<String>> {
    if key.starts_with("sb_secret_") {
        return Err(Error::ServiceRoleKey);
    }
    if key.starts_with("sb_publishable_") {
        return Ok(None);
    }
    let payload =
        key.split('.').nth(1).ok_or_else(|| Error::BadKey("expected a JWT or an sb_publishable_ key".into()))?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| Error::BadKey("its middle part is not base64url".into()))?;
    let claims: Value = serde_json::from_slice(&bytes).map_err(|_| Error::BadKey("its claims are not JSON".into()))?;
    Ok(claims["role"].as_str().map(str::to_string))
}

impl Client {
    pub fn new(project_url: &str, anon_key: &str) -> Result<Client> {
        match key_role(anon_key.trim())?.as_deref() {
            Some("service_role") => return Err(Error::ServiceRoleKey),
            Some("anon") | None => {}
            Some(other) => return Err(Error::BadKey(format!("its role is '{other}', expected 'anon'"))),
        }
        let typed = project_url.trim();
        // "abcd.supabase.co" as the dashboard shows it: https is the only way a project is served.
        let typed = if typed.contains("://") { typed.to_string() } else { format!("https://{typed}") };
        let mut base = url::Url::parse(&typed).map_err(|e| Error::BadUrl(format!("'{project_url}': {e}")))?;
        // Plain http only to this computer (a local stand-in): anywhere else the password and
        // tokens would cross the network readable.
        let loopback = matches!(base.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
        if !(base.scheme() == "https" || base.scheme() == "http" && loopback) {
            return Err(Error::BadUrl(format!("'{project_url}' must start with https://")));
        }
        base.set_path("/");
        // A pasted address's query or anchor ("?x=1", "#/settings") would follow every request.
        base.set_query(None);
        base.set_fragment(None);
        let upload = http_client(None)?;
        Ok(Client { base, anon_key: anon_key.trim().to_string(), http: http_client(Some(QUIET_LIMIT))?, upload })
    }

    /// This client, giving up on a server that is quiet for `limit` (instead of [`QUIET_LIMIT`]).
    pub fn quiet_limit(mut self, limit: Duration) -> Result<Client> {
        self.http = http_client(Some(limit))?;
        Ok(self)
    }

    /// The project's URL as it is used: scheme and host only ("https://x.supabase.co" for a pasted
    /// "https://x.supabase.co/rest/v1/"), which is what settings should keep and show.
    pub fn project_url(&self) -> String {
        self.base.as_str().trim_end_matches('/').to_string()
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base.as_str().trim_end_matches('/'), path)
    }

    /// Asks the project whether it accepts this key (Supabase's gateway answers 401 "Invalid API
    /// key" before anything else), and whether it is a Supabase project at all: a web site answers
    /// 404, or a page where the API answers JSON. Any other refusal (401, 403: hosted projects keep
    /// the API's root for secret keys since 2026, a self-hosted gateway may answer in plain text, a
    /// proxy may block) is not this check's to judge — kept, and the first sync says what is wrong.
    /// A network failure is an error too: the caller decides whether to save settings it could not
    /// check.
    pub async fn check_key(&self) -> Result<()> {
        let r = self
            .http
            .get(self.url("/rest/v1/"))
            .header("apikey", &self.anon_key)
            .bearer_auth(&self.anon_key)
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .map_err(network)?;
        let status = r.status().as_u16();
        let json = r
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|t| t.to_str().ok())
            .is_some_and(|t| t.contains("json"));
        if status == 404 || ((200..300).contains(&status) && !json) {
            return Err(Error::BadUrl(format!(
                "it does not answer like a Supabase project (HTTP {status} at /rest/v1/): use the Project URL from \
                 Supabase → Project Settings → API, e.g. https://abcd.supabase.co"
            )));
        }
        if status != 401 {
            return Ok(());
        }
        let v: Value = r.json().await.unwrap_or(Value::Null);
        match v["message"].as_str() {
            Some(m) if m.contains("API key") => Err(Error::BadKey(format!("the project refused it ({m})"))),
            _ => Ok(()),
        }
    }

    /// Whether the project answers at all (any HTTP status): the network monitor's question.
    pub async fn reachable(&self) -> bool {
        let probe = self.http.get(self.url("/auth/v1/health")).header("apikey", &self.anon_key);
        probe.timeout(Duration::from_secs(5)).send().await.is_ok()
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Result<Session> {
        let body = serde_json::json!({"email": email, "password": password, "gotrue_meta_security": {}});
        self.token("password", &body).await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Result<Session> {
        self.token("refresh_token", &serde_json::json!({"refresh_token": refresh_token})).await
    }

    /// Ends the session on the server; the caller forgets the tokens whatever the answer.
    pub async fn sign_out(&self, access_token: &str) -> Result<()> {
        let r = self
            .http
            .post(self.url("/auth/v1/logout?scope=local"))
            .header("apikey", &self.anon_key)
            .bearer_auth(access_token)
            .send()
            .await
            .map_err(network)?;
        match r.status().as_u16() {
            204 | 200 | 401 | 403 | 404 => Ok(()),
            _ => Err(auth_error(r).await),
        }
    }

    async fn token(&self, grant: &str, body: &Value) -> Result<Session> {
        let r = self
            .http
            .post(self.url(&format!("/auth/v1/token?grant_type={grant}")))
            .header("apikey", &self.anon_key)
            .header("X-Supabase-Api-Version", "2024-01-01")
            .json(body)
            .send()
            .await
            .map_err(network)?;
        if !r.status().is_success() {
            return Err(auth_error(r).await);
        }
        let v: Value = r.json().await.map_err(network)?;
        let s = |k: &str| v[k].as_str().map(str::to_string);
        match (s("access_token"), s("refresh_token")) {
            (Some(access_token), Some(refresh_token)) => Ok(Session {
                access_token,
                refresh_token,
                expires_at: v["expires_at"]
                    .as_i64()
                    .unwrap_or_else(|| chrono::Utc::now().timestamp() + v["expires_in"].as_i64().unwrap_or(0)),
                user_id: v["user"]["id"].as_str().unwrap_or_default().to_string(),
                email: v["user"]["email"].as_str().unwrap_or_default().to_string(),
            }),
            _ => Err(Error::Auth {
                status: 200,
                code: "bad_response".into(),
                message: "no session in the answer".into(),
            }),
        }
    }

    /// GET /rest/v1/{path_and_query} as the signed-in user; the JSON array PostgREST returns.
    pub async fn select(&self, path_and_query: &str, access_token: &str) -> Result<Vec<Value>> {
        let r = self
            .http
            .get(self.url(&format!("/rest/v1/{path_and_query}")))
            .header("apikey", &self.anon_key)
            .bearer_auth(access_token)
            .send()
            .await
            .map_err(network)?;
        // An answer that cannot be read is an error, never "no rows": a caller would take rows
        // that exist for rows that are gone.
        match Started(r).json().await? {
            Value::Array(rows) => Ok(rows),
            _ => Err(Error::Api {
                status: 502,
                code: "not_rows".into(),
                message: format!("{path_and_query} did not answer with rows"),
            }),
        }
    }

    /// How many rows of `table` the user can see (HEAD with `Prefer: count=exact`); None when the
    /// server does not say.
    pub async fn count(&self, table: &str, access_token: &str) -> Result<Option<u64>> {
        let r = self
            .http
            .head(self.url(&format!("/rest/v1/{table}?select=id")))
            .header("apikey", &self.anon_key)
            .header("Prefer", "count=exact")
            .header("Range-Unit", "items")
            .header("Range", "0-0")
            .bearer_auth(access_token)
            .send()
            .await
            .map_err(network)?;
        let total = r
            .headers()
            .get("content-range")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit_once('/'))
            .and_then(|(_, total)| total.parse().ok());
        Ok(total)
    }

    /// POST /rest/v1/rpc/{function} as the signed-in user.
    pub async fn rpc(&self, function: &str, access_token: &str, args: &Value) -> Result<Value> {
        self.rpc_started(function, access_token, args).await?.json().await
    }

    /// [`Client::rpc`] up to the response's start: its headers can be read before its body.
    pub async fn rpc_started(&self, function: &str, access_token: &str, args: &Value) -> Result<Started> {
        let body = serde_json::to_vec(args).map_err(|e| Error::Network(e.to_string()))?;
        let http = if body.len() > QUICK_BODY { &self.upload } else { &self.http };
        let r = http
            .post(self.url(&format!("/rest/v1/rpc/{function}")))
            .header("apikey", &self.anon_key)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .bearer_auth(access_token)
            .body(body)
            .send()
            .await
            .map_err(network)?;
        Ok(Started(r))
    }
}

/// A server that took the connection and went quiet (a hung proxy, a paused VM) is given up on
/// after `quiet` instead of the whole 120 s; a large page may still take those.
fn http_client(quiet: Option<Duration>) -> Result<reqwest::Client> {
    let b = reqwest::Client::builder().connect_timeout(Duration::from_secs(10)).timeout(Duration::from_secs(120));
    let b = match quiet {
        Some(limit) => b.read_timeout(limit),
        None => b,
    };
    b.build().map_err(|e| Error::Network(e.to_string()))
}

/// A response whose body has not been read yet.
pub struct Started(reqwest::Response);

impl Started {
    /// A header of a successful response.
    pub fn header(&self, name: &str) -> Option<String> {
        let ok = self.0.status().as_u16() < 300;
        self.0.headers().get(name).and_then(|v| v.to_str().ok()).filter(|_| ok).map(str::to_string)
    }

    /// The body as JSON, or the error it describes.
    pub async fn json(self) -> Result<Value> {
        let status = self.0.status().as_u16();
        if status >= 300 {
            let v: Value = self.0.json().await.unwrap_or(Value::Null);
            return Err(Error::Api {
                status,
                code: v["code"].as_str().unwrap_or_default().to_string(),
                message: v["message"].as_str().unwrap_or("(no details)").to_string(),
            });
        }
        self.0.json().await.map_err(network)
    }
}

fn network(e: reqwest::Error) -> Error {
    // The innermost cause says what happened ("Connection refused", "failed to lookup address
    // information", "invalid peer certificate"); reqwest's own text ("error sending request") does not.
    let mut cause: &dyn std::error::Error = &e;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    // A connection that could not be made in time is the network, not a slow answer.
    if e.is_timeout() && !e.is_connect() {
        Error::TimedOut
    } else if cause.to_string().contains("InvalidContentType") {
        // TLS spoken to a server that answers in plain http.
        Error::BadUrl("the server does not speak https on that port (is the port right? plain http:// is only for a stand-in on this computer)".into())
    } else if e.is_connect() || e.is_request() {
        Error::Network(format!("no connection to the server ({cause})"))
    } else {
        Error::Network(e.without_url().to_string())
    }
}

/// Auth errors come as {code, message} (API version 2024-01-01) or {error_code, msg} (legacy).
/// An answer without either is not Supabase Auth's: the URL is not the project's.
async fn auth_error(r: reqwest::Response) -> Error {
    let status = r.status().as_u16();
    let v: Value = r.json().await.unwrap_or(Value::Null);
    let code = v["code"].as_str().or(v["error_code"].as_str()).or(v["error"].as_str()).unwrap_or_default().to_string();
    let message = v["message"].as_str().or(v["msg"].as_str()).or(v["error_description"].as_str());
    match message {
        // Supabase's gateway refuses a key it does not know before Auth sees the request.
        Some(m) if m.contains("API key") => Error::BadKey(format!("the project refused it ({m}); copy the anon key again from Supabase → Project Settings → API")),
        Some(m) => Error::Auth { status, code, message: m.to_string() },
        None => Error::BadUrl(format!(
            "it does not answer like a Supabase project (HTTP {status} at /auth/v1/token): use the Project URL from Supabase → Project Settings → API, e.g. https://abcd.supabase.co"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        let b = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!("{}.{}.sig", b.encode(r#"{"alg":"HS256"}"#), b.encode(claims))
    }

    #[test]
    fn a_session_prints_without_its_tokens() {
        let s = Session {
            access_token: "acc-secret".into(),
            refresh_token: "ref-secret".into(),
            expires_at: 1,
            user_id: "u".into(),
            email: "ana@x.test".into(),
        };
        let shown = format!("{s:?} {s:#?}");
        assert!(!shown.contains("secret") && shown.contains("ana@x.test"), "{shown}");
    }

    #[test]
    fn keys_are_checked_before_anything_is_sent() {
        let url = "https://abc.supabase.co";
        assert!(Client::new(url, &jwt(r#"{"role":"anon"}"#)).is_ok());
        assert!(Client::new(url, "sb_publishable_abc").is_ok());
        assert!(matches!(Client::new(url, &jwt(r#"{"role":"service_role"}"#)), Err(Error::ServiceRoleKey)));
        assert!(matches!(Client::new(url, "sb_secret_abc"), Err(Error::ServiceRoleKey)));
        assert!(matches!(Client::new(url, "not-a-key"), Err(Error::BadKey(_))));
        assert!(matches!(Client::new("ftp://x", &jwt(r#"{"role":"anon"}"#)), Err(Error::BadUrl(_))));
        assert!(matches!(Client::new("http://abc.supabase.co", &jwt(r#"{"role":"anon"}"#)), Err(Error::BadUrl(_))));
        assert!(Client::new("http://127.0.0.1:54321", &jwt(r#"{"role":"anon"}"#)).is_ok());
        assert!(Error::ServiceRoleKey.to_string().contains("anon"));
    }
}
