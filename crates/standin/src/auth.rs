//! The Auth stand-in: GoTrue's signup, password and refresh-token grants, /user and /logout, with
//! GoTrue's response and error shapes (SUPABASE.md, "Supabase Auth"), over auth.users.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use rand::distr::{Alphanumeric, SampleString};
use serde_json::{json, Value};
use tokio::sync::Mutex;
use uuid::Uuid;

use crate::gateway::{json_reply, Reply};
use crate::jwt::Keys;

#[derive(Clone, Debug)]
pub struct AuthSettings {
    /// Lifetime of access tokens (GoTrue's JWT_EXP, default 3600 s).
    pub token_ttl: Duration,
    /// How long a just-rotated refresh token may still be used (hosted default 10 s).
    pub reuse_interval: Duration,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings { token_ttl: Duration::from_secs(3600), reuse_interval: Duration::from_secs(10) }
    }
}

pub(crate) struct Auth {
    db: Arc<tokio_postgres::Client>,
    pub settings: std::sync::Mutex<AuthSettings>,
    issuer: String,
    /// Token rotation reads then writes; one at a time keeps it a stand-in, not a database study.
    serial: Mutex<()>,
}

struct Failure {
    status: u16,
    code: &'static str,
    message: String,
}

type Outcome = Result<Reply, Failure>;

fn fail(status: u16, code: &'static str, message: impl Into<String>) -> Failure {
    Failure { status, code, message: message.into() }
}

impl Auth {
    pub(crate) fn new(db: Arc<tokio_postgres::Client>, issuer: String, settings: AuthSettings) -> Auth {
        Auth { db, settings: std::sync::Mutex::new(settings), issuer, serial: Mutex::new(()) }
    }

    fn settings(&self) -> AuthSettings {
        self.settings.lock().map(|s| s.clone()).unwrap_or_default()
    }

    pub(crate) async fn handle(&self, keys: &Keys, req: Request<Incoming>, path: &str) -> Reply {
        // Clients that send an API version of 2024-01-01 or later get {code, message}.
        let new_errors = req
            .headers()
            .get("x-supabase-api-version")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v >= "2024-01-01");
        let method = req.method().clone();
        let query = req.uri().query().unwrap_or_default().to_string();
        let bearer =
            req.headers().get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| {
                v.get(..7).filter(|p| p.eq_ignore_ascii_case("bearer ")).map(|_| v[7..].trim().to_string())
            });
        let body = req.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
        let outcome = match (method, path) {
            (Method::GET, "/health") => Ok(json_reply(200, &json!({"version": "outpost-standin", "name": "GoTrue"}))),
            (Method::GET, "/settings") => Ok(json_reply(
                200,
                &json!({"external": {"email": true}, "disable_signup": false, "mailer_autoconfirm": true, "phone_autoconfirm": false}),
            )),
            (Method::POST, "/signup") => self.signup(keys, &body).await,
            (Method::POST, "/token") => match param(&query, "grant_type").as_deref() {
                Some("password") => self.password(keys, &body).await,
                Some("refresh_token") => self.refresh(keys, &body).await,
                _ => Err(fail(400, "validation_failed", "unsupported_grant_type")),
            },
            (Method::GET, "/user") => self.user(keys, bearer.as_deref()).await,
            (Method::POST, "/logout") => self.logout(keys, bearer.as_deref(), param(&query, "scope").as_deref()).await,
            _ => Err(fail(404, "not_found", "Not Found")),
        };
        let mut reply = outcome.unwrap_or_else(|f| {
            let mut r = if new_errors {
                json_reply(f.status, &json!({"code": f.code, "message": f.message}))
            } else {
                json_reply(f.status, &json!({"code": f.status, "error_code": f.code, "msg": f.message}))
            };
            if let Ok(v) = hyper::header::HeaderValue::from_str(f.code) {
                r.headers_mut().insert("x-sb-error-code", v);
            }
            r
        });
        // GoTrue names the newest API version it speaks on every response; auth-js reads error
        // codes from the body's `code` only when it sees it.
        reply.headers_mut().insert("x-supabase-api-version", hyper::header::HeaderValue::from_static("2024-01-01"));
        reply
    }

    async fn signup(&self, keys: &Keys, body: &Bytes) -> Outcome {
        let b: Value =
            serde_json::from_slice(body).map_err(|_| fail(400, "bad_json", "Could not parse request body as JSON"))?;
        let email = b["email"].as_str().unwrap_or_default().trim().to_lowercase();
        let password = b["password"].as_str().unwrap_or_default();
        if !email.contains('@') {
            return Err(fail(400, "validation_failed", "Unable to validate email address: invalid format"));
        }
        if password.len() < 6 {
            return Err(fail(422, "weak_password", "Password should be at least 6 characters."));
        }
        let hash = bcrypt::hash(password, 10).map_err(|e| fail(500, "unexpected_failure", e.to_string()))?;
        let data = if b["data"].is_object() { b["data"].clone() } else { json!({}) };
        let id = Uuid::new_v4();
        let inserted = self
            .db
            .execute(
                "INSERT INTO auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                   confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
                 VALUES ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2, $3, now(),
                   now(), '{\"provider\":\"email\",\"providers\":[\"email\"]}', $4, now(), now())
                 ON CONFLICT (email) DO NOTHING",
                &[&id, &email, &hash, &data],
            )
            .await
            .map_err(db_fail)?;
        if inserted == 0 {
            return Err(fail(422, "user_already_exists", "User already registered"));
        }
        self.new_session(keys, id).await
    }

    async fn password(&self, keys: &Keys, body: &Bytes) -> Outcome {
        let b: Value =
            serde_json::from_slice(body).map_err(|_| fail(400, "bad_json", "Could not parse request body as JSON"))?;
        let email = b["email"].as_str().unwrap_or_default().trim().to_lowercase();
        let password = b["password"].as_str().unwrap_or_default().to_string();
        let invalid = || fail(400, "invalid_credentials", "Invalid login credentials");
        let row = self
            .db
            .query_opt(
                "SELECT id, encrypted_password FROM auth.users WHERE email = $1 AND deleted_at IS NULL",
                &[&email],
            )
            .await
            .map_err(db_fail)?
            .ok_or_else(invalid)?;
        let (id, hash): (Uuid, String) = (row.get(0), row.get::<_, Option<String>>(1).unwrap_or_default());
        let ok = tokio::task::spawn_blocking(move || bcrypt::verify(password, &hash).unwrap_or(false))
            .await
            .unwrap_or(false);
        if !ok {
            return Err(invalid());
        }
        self.db
            .execute("UPDATE auth.users SET last_sign_in_at = now() WHERE id = $1", &[&id])
            .await
            .map_err(db_fail)?;
        self.new_session(keys, id).await
    }

    /// Rotation with a reuse interval (SUPABASE.md, "Refresh tokens"): a revoked token used again
    /// within the interval, when it is the active token's parent, returns the active token; any other
    /// reuse revokes the whole session.
    async fn refresh(&self, keys: &Keys, body: &Bytes) -> Outcome {
        let b: Value =
            serde_json::from_slice(body).map_err(|_| fail(400, "bad_json", "Could not parse request body as JSON"))?;
        let token = b["refresh_token"].as_str().unwrap_or_default().to_string();
        let _one_at_a_time = self.serial.lock().await;
        let row = self
            .db
            .query_opt(
                "SELECT t.session_id, t.revoked_at, s.user_id, s.revoked_at FROM auth.refresh_tokens t
                 JOIN auth.sessions s ON s.id = t.session_id WHERE t.token = $1",
                &[&token],
            )
            .await
            .map_err(db_fail)?
            .ok_or_else(|| fail(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found"))?;
        let (session, revoked, user): (Uuid, Option<DateTime<Utc>>, Uuid) = (row.get(0), row.get(1), row.get(2));
        if row.get::<_, Option<DateTime<Utc>>>(3).is_some() {
            return Err(fail(400, "session_not_found", "Invalid Refresh Token: Session Not Found"));
        }
        let Some(revoked_at) = revoked else {
            let next = self.rotate(session, &token).await?;
            return self.session_reply(keys, user, session, &next).await;
        };
        let within =
            Utc::now().signed_duration_since(revoked_at).to_std().unwrap_or_default() < self.settings().reuse_interval;
        let active = self
            .db
            .query_opt(
                "SELECT token FROM auth.refresh_tokens WHERE session_id = $1 AND revoked_at IS NULL AND parent = $2",
                &[&session, &token],
            )
            .await
            .map_err(db_fail)?;
        match active {
            Some(active) if within => self.session_reply(keys, user, session, &active.get::<_, String>(0)).await,
            _ => {
                self.db
                    .execute("UPDATE auth.sessions SET revoked_at = now() WHERE id = $1", &[&session])
                    .await
                    .map_err(db_fail)?;
                Err(fail(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used"))
            }
        }
    }

    async fn rotate(&self, session: Uuid, parent: &str) -> Result<String, Failure> {
        self.db
            .execute("UPDATE auth.refresh_tokens SET revoked_at = now() WHERE token = $1", &[&parent])
            .await
            .map_err(db_fail)?;
        self.issue_refresh(session, Some(parent)).await
    }

    async fn issue_refresh(&self, session: Uuid, parent: Option<&str>) -> Result<String, Failure> {
        let token = Alphanumeric.sample_string(&mut rand::rng(), 22).to_lowercase();
        self.db
            .execute(
                "INSERT INTO auth.refresh_tokens (token, session_id, parent) VALUES ($1, $2, $3)",
                &[&token, &session, &parent],
            )
            .await
            .map_err(db_fail)?;
        Ok(token)
    }

    async fn new_session(&self, keys: &Keys, user: Uuid) -> Outcome {
        let session = Uuid::new_v4();
        self.db
            .execute("INSERT INTO auth.sessions (id, user_id) VALUES ($1, $2)", &[&session, &user])
            .await
            .map_err(db_fail)?;
        let refresh = self.issue_refresh(session, None).await?;
        self.session_reply(keys, user, session, &refresh).await
    }

    async fn session_reply(&self, keys: &Keys, user: Uuid, session: Uuid, refresh: &str) -> Outcome {
        let u = self.user_json(user).await?;
        let ttl = self.settings().token_ttl.as_secs() as i64;
        let now = Utc::now().timestamp();
        let claims = json!({
            "aud": "authenticated", "exp": now + ttl, "iat": now, "iss": self.issuer, "sub": user.to_string(),
            "email": u["email"], "phone": "", "app_metadata": u["app_metadata"], "user_metadata": u["user_metadata"],
            "role": "authenticated", "aal": "aal1", "amr": [{"method": "password", "timestamp": now}],
            "session_id": session.to_string(), "is_anonymous": false,
        });
        Ok(json_reply(
            200,
            &json!({
                "access_token": keys.sign(&claims), "token_type": "bearer", "expires_in": ttl, "expires_at": now + ttl,
                "refresh_token": refresh, "user": u,
            }),
        ))
    }

    async fn user_json(&self, id: Uuid) -> Result<Value, Failure> {
        let r = self
            .db
            .query_opt(
                "SELECT id, aud, role, email, email_confirmed_at, confirmed_at, last_sign_in_at, raw_app_meta_data,
                   raw_user_meta_data, created_at, updated_at, is_anonymous FROM auth.users WHERE id = $1 AND deleted_at IS NULL",
                &[&id],
            )
            .await
            .map_err(db_fail)?
            .ok_or_else(|| fail(403, "user_not_found", "User from sub claim in JWT does not exist"))?;
        let ts = |i: usize| r.get::<_, Option<DateTime<Utc>>>(i).map(|t| t.to_rfc3339());
        Ok(json!({
            "id": r.get::<_, Uuid>(0).to_string(), "aud": r.get::<_, Option<String>>(1), "role": r.get::<_, Option<String>>(2),
            "email": r.get::<_, Option<String>>(3), "email_confirmed_at": ts(4), "phone": "", "confirmed_at": ts(5),
            "last_sign_in_at": ts(6), "app_metadata": r.get::<_, Option<Value>>(7).unwrap_or(json!({})),
            "user_metadata": r.get::<_, Option<Value>>(8).unwrap_or(json!({})), "identities": [], "factors": null,
            "created_at": ts(9), "updated_at": ts(10), "is_anonymous": r.get::<_, bool>(11),
        }))
    }

    /// The session of a valid, unexpired access token that has not been logged out.
    async fn authenticate(&self, keys: &Keys, bearer: Option<&str>) -> Result<(Uuid, Uuid), Failure> {
        let token =
            bearer.ok_or_else(|| fail(401, "no_authorization", "This endpoint requires a valid Bearer token"))?;
        let claims = keys
            .verify(token)
            .map_err(|e| fail(403, "bad_jwt", format!("invalid JWT: unable to parse or verify signature, {e}")))?;
        let parse = |k: &str| claims[k].as_str().and_then(|s| Uuid::parse_str(s).ok());
        let (Some(user), Some(session)) = (parse("sub"), parse("session_id")) else {
            return Err(fail(403, "bad_jwt", "invalid claim: missing sub or session_id claim"));
        };
        let live = self
            .db
            .query_opt("SELECT 1 FROM auth.sessions WHERE id = $1 AND revoked_at IS NULL", &[&session])
            .await
            .map_err(db_fail)?;
        if live.is_none() {
            return Err(fail(403, "session_not_found", "Session from session_id claim in JWT does not exist"));
        }
        Ok((user, session))
    }

    async fn user(&self, keys: &Keys, bearer: Option<&str>) -> Outcome {
        let (user, _) = self.authenticate(keys, bearer).await?;
        Ok(json_reply(200, &self.user_json(user).await?))
    }

    async fn logout(&self, keys: &Keys, bearer: Option<&str>, scope: Option<&str>) -> Outcome {
        let (user, session) = self.authenticate(keys, bearer).await?;
        let sql = match scope.unwrap_or("global") {
            "local" => "UPDATE auth.sessions SET revoked_at = now() WHERE id = $2 AND user_id = $1",
            "others" => "UPDATE auth.sessions SET revoked_at = now() WHERE id <> $2 AND user_id = $1",
            "global" => "UPDATE auth.sessions SET revoked_at = now() WHERE user_id = $1 AND $2::uuid IS NOT NULL",
            _ => return Err(fail(400, "validation_failed", "Unsupported logout scope")),
        };
        self.db.execute(sql, &[&user, &session]).await.map_err(db_fail)?;
        let mut r = Response::new(Full::new(Bytes::new()));
        *r.status_mut() = hyper::StatusCode::NO_CONTENT;
        Ok(r)
    }
}

fn param(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|kv| kv.split_once('=').filter(|(k, _)| *k == key).map(|(_, v)| v.to_string()))
}

fn db_fail(e: tokio_postgres::Error) -> Failure {
    fail(500, "unexpected_failure", format!("database error: {e}"))
}
