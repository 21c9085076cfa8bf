//! The gateway Supabase's Kong plays: `/rest/v1/*` to PostgREST and `/auth/v1/*` to Auth, both
//! behind the `apikey` header; plus the faults tests inject.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};

use crate::auth::Auth;
use crate::faults::{Action, Faults};
use crate::jwt::Keys;

pub(crate) struct Shared {
    pub keys: Keys,
    pub postgrest: String,
    pub http: reqwest::Client,
    pub faults: Faults,
    pub auth: Auth,
    /// False while the stand-in plays "no network": open connections are cut.
    pub online: tokio::sync::watch::Sender<bool>,
}

pub(crate) type Reply = Response<Full<Bytes>>;

pub(crate) fn json_reply(status: u16, body: &serde_json::Value) -> Reply {
    let mut r = Response::new(Full::new(Bytes::from(body.to_string())));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
    r
}

pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>, mut shutdown: oneshot::Receiver<()>) {
    loop {
        tokio::select! {
            _ = &mut shutdown => return,
            accepted = listener.accept() => {
                let Ok((stream, peer)) = accepted else { continue };
                tokio::spawn(connection(stream, peer, shared.clone()));
            }
        }
    }
}

/// One client connection. A `ForwardThenDrop` fault signals `lost`; dropping the connection future
/// then closes the socket with no response written.
async fn connection(stream: tokio::net::TcpStream, _peer: SocketAddr, shared: Arc<Shared>) {
    let shared_online = shared.online.clone();
    let (lost_tx, mut lost_rx) = mpsc::channel::<()>(1);
    let svc = service_fn(move |req| {
        let shared = shared.clone();
        let lost = lost_tx.clone();
        async move { Ok::<_, Infallible>(handle(shared, req, lost).await) }
    });
    let mut online = shared_online.subscribe();
    let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), svc);
    tokio::select! {
        _ = conn => {}
        _ = lost_rx.recv() => {}
        _ = online.wait_for(|up| !*up) => {}
    }
}

async fn handle(shared: Arc<Shared>, req: Request<Incoming>, lost: mpsc::Sender<()>) -> Reply {
    let path = req.uri().path().to_string();
    let open = matches!(
        path.as_str(),
        "/auth/v1/health" | "/auth/v1/settings" | "/auth/v1/verify" | "/auth/v1/callback" | "/auth/v1/authorize"
    );
    if !path.starts_with("/rest/v1") && !path.starts_with("/auth/v1") {
        return json_reply(404, &json!({"message": "no Route matched with those values"}));
    }
    if !open {
        if let Some(refusal) = check_apikey(&shared.keys, &req) {
            return json_reply(401, &json!({ "message": refusal }));
        }
    }
    let (latency, action) = shared.faults.next();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if let Action::Fail(status) = action {
        return json_reply(status, &json!({"message": format!("injected failure {status}")}));
    }
    let reply = if let Some(rest) = path.strip_prefix("/rest/v1") {
        proxy(&shared, req, rest.to_string()).await
    } else {
        let rest = path.trim_start_matches("/auth/v1").to_string();
        shared.auth.handle(&shared.keys, req, &rest).await
    };
    if let Action::ForwardThenDrop = action {
        let _ = lost.send(()).await;
        std::future::pending::<()>().await;
    }
    reply
}

/// Why Kong would refuse the request's API key, if it would.
fn check_apikey(keys: &Keys, req: &Request<Incoming>) -> Option<&'static str> {
    let from_header = req.headers().get("apikey").and_then(|v| v.to_str().ok()).map(str::to_string);
    let from_query =
        req.uri().query().and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("apikey=")).map(str::to_string));
    match from_header.or(from_query) {
        None => Some("No API key found in request"),
        Some(k) if k == keys.anon_key || k == keys.service_role_key => None,
        Some(_) => Some("Invalid API key"),
    }
}

async fn proxy(shared: &Shared, req: Request<Incoming>, rest: String) -> Reply {
    let query = req.uri().query().map(|q| format!("?{q}")).unwrap_or_default();
    let url = format!("{}{}{query}", shared.postgrest, if rest.is_empty() { "/" } else { rest.as_str() });
    let method = reqwest::Method::from_bytes(req.method().as_str().as_bytes()).unwrap_or(reqwest::Method::GET);
    let headers: Vec<(String, Vec<u8>)> = req
        .headers()
        .iter()
        .filter(|(name, _)| {
            !matches!(name.as_str(), "host" | "content-length" | "connection" | "transfer-encoding" | "apikey")
        })
        .map(|(name, value)| (name.as_str().to_string(), value.as_bytes().to_vec()))
        .collect();
    let body = match req.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => return json_reply(400, &json!({"message": format!("could not read request body: {e}")})),
    };
    if shared.faults.max_body().is_some_and(|max| body.len() > max) {
        return json_reply(413, &json!({"message": "Request Entity Too Large"}));
    }
    if rest == "/rpc/sync_pull" {
        let page_size = serde_json::from_slice::<serde_json::Value>(&body).ok().and_then(|b| b["page_size"].as_u64());
        if shared.faults.pull_times_out(page_size) {
            let timeout = json!({"code": "57014", "message": "canceling statement due to statement timeout"});
            return json_reply(500, &timeout);
        }
    }
    let send = || {
        let mut out = shared.http.request(method.clone(), &url);
        for (name, value) in &headers {
            out = out.header(name.as_str(), value.as_slice());
        }
        out.body(body.clone()).send()
    };
    // Like Kong, a request whose connection to the upstream could not be made is tried once more.
    // (The gateway keeps no idle connections to PostgREST, so none can be closed under a request.)
    let resp = match send().await {
        Err(e) if e.is_connect() => send().await,
        other => other,
    };
    let resp = match resp {
        Ok(r) => r,
        Err(e) => return json_reply(502, &json!({"message": format!("PostgREST unreachable: {e}")})),
    };
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.unwrap_or_default();
    let mut r = Response::new(Full::new(bytes));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    for (name, value) in &headers {
        if !matches!(name.as_str(), "content-length" | "connection" | "transfer-encoding") {
            if let (Ok(n), Ok(v)) =
                (HeaderName::from_bytes(name.as_str().as_bytes()), HeaderValue::from_bytes(value.as_bytes()))
            {
                r.headers_mut().append(n, v);
            }
        }
    }
    r
}
