#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use outpost_sync::{Client, Error, MemoryStore, TokenStore};
use standin::Standin;

fn stack() -> (Standin, Client) {
    let s = Standin::start().unwrap();
    let org = s.create_organization("Org").unwrap();
    s.create_user("rep@org.test", "rep-password", org, "sales_rep").unwrap();
    let c = Client::new(&s.url, s.anon_key()).unwrap();
    (s, c)
}

#[tokio::test]
async fn sign_in_refresh_and_sign_out() {
    let (_s, c) = stack();
    let session = c.sign_in("rep@org.test", "rep-password").await.unwrap();
    assert_eq!(session.email, "rep@org.test");
    assert!(session.expires_at > chrono::Utc::now().timestamp());
    let store = MemoryStore::default();
    store.save(&session).unwrap();
    let next = c.refresh(&store.load().unwrap().unwrap().refresh_token).await.unwrap();
    assert_ne!(next.refresh_token, session.refresh_token);
    c.sign_out(&next.access_token).await.unwrap();
    let after = c.refresh(&next.refresh_token).await.unwrap_err();
    assert!(matches!(after, Error::Auth { status: 400, .. }), "{after}");
}

#[tokio::test]
async fn wrong_password_and_unreachable_server_are_clear() {
    let (s, c) = stack();
    let wrong = c.sign_in("rep@org.test", "wrong").await.unwrap_err();
    assert_eq!(wrong.to_string(), "sign-in failed: wrong email or password");
    match wrong {
        Error::Auth { status, code, message } => {
            assert_eq!(
                (status, code.as_str(), message.as_str()),
                (400, "invalid_credentials", "Invalid login credentials")
            )
        }
        other => panic!("{other}"),
    }
    let url = s.url.clone();
    drop(s);
    let e = c.sign_in("rep@org.test", "rep-password").await.unwrap_err();
    assert!(e.to_string().starts_with("cannot reach Supabase: no connection to the server ("), "{e}");
    assert!(e.is_transient());
    assert!(Client::new(&url, ANY_ANON_KEY).is_ok(), "any anon-role key shape is accepted");
}

/// A server that takes the connection and never answers (a hung proxy, a paused VM) is given up on
/// after the read timeout, as "did not answer in time" (it kept `outpost sync` waiting 120 s).
#[tokio::test]
async fn a_server_that_never_answers_is_given_up_on_soon() {
    // The kernel accepts connections into the backlog; nothing ever reads or answers them.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let c = Client::new(&url, ANY_ANON_KEY).unwrap().quiet_limit(Duration::from_secs(1)).unwrap();
    let started = Instant::now();
    let e = c.sign_in("rep@org.test", "rep-password").await.unwrap_err();
    assert!(matches!(e, Error::TimedOut), "{e}");
    assert!(e.is_transient());
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(10), "waited {waited:?}");

    // A signed-in sync against it gives up too, after asking for a smaller page once (it shrank
    // the page down to one row, 30 s a try: 3.5 minutes), and says so in `outpost status`.
    let (s, _) = stack();
    let dir = tempfile::tempdir().unwrap();
    let mut store = outpost_core::Store::open(dir.path().join("outpost.db")).unwrap();
    let tokens = std::sync::Arc::new(MemoryStore::default());
    let real = outpost_sync::Engine::new(Client::new(&s.url, s.anon_key()).unwrap(), tokens.clone());
    real.sign_in(&mut store, "rep@org.test", "rep-password").await.unwrap();
    let hung = Client::new(&url, s.anon_key()).unwrap().quiet_limit(Duration::from_secs(1)).unwrap();
    let started = Instant::now();
    let e = outpost_sync::Engine::new(hung, tokens).sync_once(&mut store, |_| {}).await.unwrap_err();
    assert!(matches!(e, Error::TimedOut), "{e}");
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(10), "waited {waited:?}");
    let failed: serde_json::Value =
        serde_json::from_str(&store.setting(outpost_sync::LAST_ERROR).unwrap().unwrap()).unwrap();
    assert_eq!(failed["code"], "offline", "{failed}");
    // Signing in again starts afresh: no failure shown until the next sync.
    real.sign_in(&mut store, "rep@org.test", "rep-password").await.unwrap();
    assert_eq!(store.setting(outpost_sync::LAST_ERROR).unwrap().as_deref(), Some(""));
}

const ANY_ANON_KEY: &str = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.x";

#[tokio::test]
async fn the_service_role_key_is_refused_before_any_request() {
    let s = Standin::start().unwrap();
    let e = Client::new(&s.url, s.service_role_key()).unwrap_err();
    assert!(matches!(e, Error::ServiceRoleKey));
    assert!(e.to_string().contains("service_role"));
}

#[tokio::test]
async fn a_key_the_project_does_not_know_is_caught_when_settings_are_saved() {
    let (s, good) = stack();
    good.check_key().await.unwrap();
    // Anon-shaped, signed by someone else: only the server can tell.
    let b = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let forged = format!("{}.{}.c2ln", b.encode(r#"{"alg":"HS256"}"#), b.encode(r#"{"role":"anon"}"#));
    let e = Client::new(&s.url, &forged).unwrap().check_key().await.unwrap_err();
    assert!(matches!(&e, Error::BadKey(m) if m.contains("Invalid API key")), "{e}");
    // Signing in with it says the same, in words (it was "sign-in failed: Invalid API key (unknown)").
    let e = Client::new(&s.url, &forged).unwrap().sign_in("rep@org.test", "rep-password").await.unwrap_err();
    assert!(matches!(&e, Error::BadKey(m) if m.contains("copy the anon key again")), "{e}");
    let url = s.url.clone();
    drop(s);
    assert!(Client::new(&url, &forged).unwrap().check_key().await.unwrap_err().is_transient());
}

/// A server answering every request with `answer`, for `n` requests: its URL.
fn serve(answer: &'static [u8], n: usize) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        for stream in listener.incoming().take(n) {
            let mut stream = stream.unwrap();
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(answer);
        }
    });
    url
}

/// A URL that answers, but not as a Supabase project (a web site, PostgREST itself, a typo'd port):
/// the message says to use the Project URL (it was "sign-in failed: no message (unknown)"), and
/// settings are not saved with it (any answer but a 401 passed the check).
#[tokio::test]
async fn a_url_that_is_not_a_supabase_project_is_named_so() {
    let not_found =
        b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found";
    let url = serve(not_found, 2);
    let key = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.x";
    let e = Client::new(&url, key).unwrap().sign_in("rep@org.test", "pw").await.unwrap_err();
    assert!(matches!(&e, Error::BadUrl(m) if m.contains("does not answer like a Supabase project (HTTP 404")), "{e}");
    let e = Client::new(&url, key).unwrap().check_key().await.unwrap_err();
    assert!(matches!(&e, Error::BadUrl(m) if m.contains("(HTTP 404 at /rest/v1/)")), "{e}");
    assert!(!e.is_transient(), "refused, not kept to be checked later");
    // A site whose app answers every path with its page.
    let page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 6\r\nConnection: close\r\n\r\n<html>";
    let e = Client::new(&serve(page, 1), key).unwrap().check_key().await.unwrap_err();
    assert!(matches!(&e, Error::BadUrl(m) if m.contains("(HTTP 200 at /rest/v1/)")), "{e}");
    // A project that is down (paused, restarting) is not judged, nor one whose gateway keeps the
    // API's root from an anon key in plain text (a self-hosted Envoy's 403, hosted Supabase since
    // 2026): kept, checked by the first sync.
    let down = b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/html\r\nContent-Length: 4\r\nConnection: close\r\n\r\ndown";
    Client::new(&serve(down, 1), key).unwrap().check_key().await.unwrap();
    let denied = b"HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nConnection: close\r\n\r\naccess denied";
    Client::new(&serve(denied, 1), key).unwrap().check_key().await.unwrap();
}

/// Signing in again (another password, the same laptop) ends the session it replaces on the
/// server, even with its access token expired: no session is left live that nobody holds.
#[tokio::test]
async fn signing_in_again_ends_the_previous_session_on_the_server() {
    let (s, c) = stack();
    let tokens = std::sync::Arc::new(MemoryStore::default());
    let engine = outpost_sync::Engine::new(Client::new(&s.url, s.anon_key()).unwrap(), tokens.clone());
    let dir = tempfile::tempdir().unwrap();
    let mut store = outpost_core::Store::open(dir.path().join("outpost.db")).unwrap();
    let first = engine.sign_in(&mut store, "rep@org.test", "rep-password").await.unwrap();
    let second = engine.sign_in(&mut store, "rep@org.test", "rep-password").await.unwrap();
    let refused = c.refresh(&first.refresh_token).await.unwrap_err();
    assert!(matches!(refused, Error::Auth { status: 400, .. }), "{refused}");
    assert_eq!(tokens.load().unwrap().unwrap().refresh_token, second.refresh_token);
    assert!(engine.sign_out().await.unwrap(), "the server was told");
    assert!(c.refresh(&second.refresh_token).await.is_err());
}

/// Signing another account into a database that holds the first one's data is refused, and the
/// session that sign-in opened is ended on the server, not left live (QA: it stayed, revoked_at
/// null).
#[tokio::test]
async fn a_refused_sign_in_leaves_no_session_live() {
    let (s, _) = stack();
    let other = s.create_organization("Other").unwrap();
    s.create_user("carol@other.test", "carol-password", other, "sales_rep").unwrap();
    let tokens = std::sync::Arc::new(MemoryStore::default());
    let engine = outpost_sync::Engine::new(Client::new(&s.url, s.anon_key()).unwrap(), tokens.clone());
    let dir = tempfile::tempdir().unwrap();
    let mut store = outpost_core::Store::open(dir.path().join("outpost.db")).unwrap();
    engine.sign_in(&mut store, "rep@org.test", "rep-password").await.unwrap();
    let e = engine.sign_in(&mut store, "carol@other.test", "carol-password").await.unwrap_err();
    assert!(e.to_string().contains("holds the data of"), "{e}");
    let live = "SELECT count(*) FROM auth.sessions s JOIN auth.users u ON u.id = s.user_id
                WHERE u.email = 'carol@other.test' AND s.revoked_at IS NULL";
    assert_eq!(s.sql(live).unwrap(), vec!["0"]);
    assert!(tokens.load().unwrap().is_some_and(|t| t.email == "rep@org.test"), "rep stays signed in");
}

/// The project's address as people paste it: without https://, with the dashboard's path, a query
/// or an anchor — the project is its scheme and host.
#[test]
fn a_project_address_is_its_scheme_and_host() {
    for pasted in [
        "abcd.supabase.co",
        "https://abcd.supabase.co/",
        "https://abcd.supabase.co/rest/v1/?x=1",
        " https://abcd.supabase.co#/settings ",
    ] {
        assert_eq!(Client::new(pasted, ANY_ANON_KEY).unwrap().project_url(), "https://abcd.supabase.co", "{pasted}");
    }
    assert!(matches!(Client::new("http://abcd.supabase.co", ANY_ANON_KEY), Err(Error::BadUrl(_))));
}
