//! login, logout, sync, status, conflicts: thin wrappers over outpost-sync.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, Context};
use outpost_core::Store;
use outpost_sync::scheduler::{self, Control, State, Status};
use outpost_sync::{Client, Engine, Progress, TokenStore};
use serde_json::json;

use crate::output;

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?)
}

fn token_store(url: &str) -> anyhow::Result<Arc<dyn TokenStore>> {
    Ok(outpost_sync::tokens::for_project(url)?)
}

fn engine(store: &Store) -> anyhow::Result<Engine> {
    let (Some(url), Some(key)) = (store.setting("supabase_url")?, store.setting("supabase_anon_key")?) else {
        return Err(anyhow!(
            "no Supabase project configured: run `outpost login --url URL --anon-key KEY --email EMAIL`"
        ));
    };
    Ok(Engine::new(Client::new(&url, &key)?, token_store(&url)?))
}

pub fn login(
    store: &mut Store,
    url: Option<String>,
    key: Option<String>,
    email: &str,
    json: bool,
) -> anyhow::Result<()> {
    // What is missing from the command line: a usage mistake (exit 2), said as such.
    let missing = |what: &str| anyhow!(output::Usage(what.to_string()));
    if email.trim().is_empty() {
        return Err(missing("give the account's email with --email"));
    }
    let url = url.or(store.setting("supabase_url")?).ok_or_else(|| missing("give the project URL with --url"))?;
    let key =
        key.or(store.setting("supabase_anon_key")?).ok_or_else(|| missing("give the anon key with --anon-key"))?;
    let client = Client::new(&url, &key)?;
    let url = client.project_url();
    let engine = Engine::new(client, token_store(&url)?);
    let password = match std::env::var("OUTPOST_PASSWORD") {
        Ok(p) => p,
        Err(_) if !std::io::stdin().is_terminal() => {
            // Piped in (`… | outpost login`): the first line.
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
        Err(_) => rpassword::prompt_password(format!("Password for {email}: "))
            .context("reading the password (or set OUTPOST_PASSWORD)")?,
    };
    if password.is_empty() {
        return Err(missing("the password is empty"));
    }
    let session = runtime()?.block_on(engine.sign_in(store, email, &password))?;
    store.set_settings(&[("supabase_url", &url), ("supabase_anon_key", &key)])?;
    output::done(json, &format!("Signed in as {} to {url}", session.email), json!({"email": session.email, "url": url}))
}

pub fn logout(store: &mut Store, json: bool) -> anyhow::Result<()> {
    // Never set up here: already signed out, which is what was asked.
    if store.setting("supabase_url")?.is_none() {
        return output::done(json, "Not signed in: no Supabase project is set up here", json!({"signed_out": true}));
    }
    let told = runtime()?.block_on(engine(store)?.sign_out())?;
    let text = if told {
        "Signed out; your local data stays on this computer"
    } else {
        "Signed out on this computer (your local data stays); the server could not be reached, so the session was not ended there"
    };
    output::done(json, text, json!({"signed_out": true, "server_told": told}))
}

pub fn sync(store: &mut Store, watch: bool, interval: u64, json: bool) -> anyhow::Result<()> {
    let engine = engine(store)?;
    let rt = runtime()?;
    if !watch {
        let bar = (!json && std::io::stderr().is_terminal()).then(|| {
            let b = indicatif::ProgressBar::new_spinner();
            b.enable_steady_tick(Duration::from_millis(120));
            // Until the first page or batch: a slow server is waited for, visibly (up to 2 minutes).
            b.set_message("talking to Supabase…");
            b
        });
        let report = rt.block_on(engine.sync_once(store, |p| {
            if let Some(b) = &bar {
                show(b, p);
            }
        }));
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        let report = report?;
        let c = |n: usize, thing: &str| output::count(n as u64, thing);
        let msg = format!(
            "Synced: {} sent ({} applied, {}, {} rejected), {} received, {} removed",
            c(report.pushed, "change"),
            report.applied,
            c(report.conflicts, "conflict"),
            report.rejected,
            c(report.pulled, "row"),
            report.deleted
        );
        // What this sync could not land waits for the rep: where to see it.
        let see: Vec<&str> = [(report.conflicts, "outpost conflicts list"), (report.rejected, "outpost rejected list")]
            .into_iter()
            .filter_map(|(n, how)| (n > 0).then_some(how))
            .collect();
        let msg = if see.is_empty() {
            msg
        } else {
            format!(
                "{msg}
See: {}",
                see.join(", ")
            )
        };
        output::done(json, &msg, serde_json::to_value(&report)?)?;
        // A script (cron, CI) learns that some of what was sent did not land without parsing the
        // summary: exit 4, as for a change refused here. The next sync with nothing new exits 0.
        return if report.rejected > 0 || report.conflicts > 0 { Err(output::Said(4).into()) } else { Ok(()) };
    }
    rt.block_on(async {
        let (control, stopped) = Control::new();
        let (tx, mut rx) = tokio::sync::watch::channel(Status::new());
        let ctrl = control.clone();
        tokio::spawn(async move {
            let _ = tokio::signal::ctrl_c().await;
            ctrl.stop();
        });
        // Each cycle's end, like a status bar would show it: a line with the time (a JSON line of
        // the status with --json).
        tokio::spawn(async move {
            let mut last = State::Idle;
            while rx.changed().await.is_ok() {
                let s = rx.borrow().clone();
                if s.state != last && !matches!(s.state, State::Pushing | State::Pulling | State::Indexing) {
                    let at = chrono::Local::now().format("%H:%M:%S");
                    let c = |n: usize, thing: &str| output::count(n as u64, thing);
                    let counts = format!(
                        "{} waiting, {}, {} rejected",
                        c(s.pending.max(0) as usize, "change"),
                        c(s.conflicts, "conflict"),
                        s.rejected
                    );
                    match (&s.error, &s.last_report) {
                        _ if json => out!("{}", serde_json::to_string(&s).unwrap_or_default()),
                        // Offline and failing servers are tried again; a signed-out or refused
                        // sync ends the watch (the loop returns its error).
                        (Some(e), _) if s.state == State::Offline => {
                            say!("{at} not synced: {e} ({counts}; trying again later)")
                        }
                        (Some(e), _) => say!("{at} sync stopped: {e} ({counts})"),
                        _ if s.waiting_for_writer => {
                            say!("{at} the database is busy (an import?); syncing again shortly; {counts}")
                        }
                        (None, Some(r)) => say!(
                            "{at} synced: {} sent, {} received; {counts}",
                            c(r.pushed, "change"),
                            c(r.pulled, "row")
                        ),
                        (None, None) => say!("{at} {counts}"),
                    }
                }
                last = s.state;
            }
        });
        match scheduler::run(&engine, store, Duration::from_secs(interval.max(1)), &control, stopped, &tx).await {
            Some(e) => Err(anyhow::Error::from(e)),
            None => Ok(()),
        }
    })
}

/// A cycle's progress on the terminal: a bar once a first sync knows how many rows to expect.
fn show(b: &indicatif::ProgressBar, p: Progress) {
    match p {
        Progress::Expecting { rows } if rows > 0 => {
            b.set_length(rows as u64);
            b.set_style(
                indicatif::ProgressStyle::with_template("{bar:40} {percent}% {msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            b.set_message(format!("receiving {rows} rows"));
        }
        Progress::Expecting { .. } => {}
        Progress::Pulling { rows } => {
            b.set_position(rows as u64);
            b.set_message(format!("{rows} rows received"));
        }
        Progress::Pushing { sent, pending } => b.set_message(format!("{sent} changes sent, {pending} waiting")),
        Progress::Indexing => b.set_message("building the list and search indexes"),
    }
}

pub fn status(store: &Store, json: bool) -> anyhow::Result<()> {
    let url = store.setting("supabase_url")?;
    // The saved sign-in is the project's, whichever database made it: another database file
    // signed in since is not this one's account.
    let saved = match &url {
        Some(u) => token_store(u)?.load().ok().flatten(),
        None => None,
    };
    let (who, elsewhere) = match saved {
        Some(s) if store.belongs_to(&s.user_id)? => (Some(s.email), None),
        Some(s) => (None, Some(s.email)),
        None => (None, None),
    };
    let v = json!({
        "project": url,
        "signed_in_as": who,
        "signed_in_elsewhere_as": elsewhere,
        "view_only": store.view_only()?,
        "pending": store.pending_count()?,
        "conflicts": store.open_conflicts()?.len(),
        "rejected": store.open_rejections()?.len(),
        "last_sync_at": store.setting("last_sync_at")?,
        "last_error": store
            .setting(outpost_sync::LAST_ERROR)?
            .and_then(|e| serde_json::from_str::<serde_json::Value>(&e).ok()),
    });
    // Shown in the computer's time zone, to the second; --json keeps the stored UTC time.
    let local = |t: &str| match chrono::DateTime::parse_from_rfc3339(t) {
        Ok(at) => at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S").to_string(),
        Err(_) => t.to_string(),
    };
    let last = v["last_sync_at"].as_str().map(local);
    // Since the last sync that worked, the last try failed: offline, signed out, refused.
    let failed = match (v["last_error"]["at"].as_str(), v["last_error"]["message"].as_str()) {
        (Some(at), Some(why)) => format!("\nLast try: {} failed: {why}", local(at)),
        _ => String::new(),
    };
    let see = |n: &serde_json::Value, how: &str| {
        if n.as_u64().unwrap_or(0) > 0 {
            format!(" ({how})")
        } else {
            String::new()
        }
    };
    let view_only = v["view_only"].as_str().map(|why| format!(" (view only: {why})")).unwrap_or_default();
    let msg = format!(
        "Project: {}\nSigned in as: {}{view_only}\nChanges waiting: {}\nConflicts: {}{}\nRejected: {}{}\nLast sync: {}{failed}",
        v["project"].as_str().unwrap_or("(none: local only)"),
        match (v["signed_in_as"].as_str(), v["signed_in_elsewhere_as"].as_str()) {
            (Some(who), _) => who.to_string(),
            (None, Some(other)) => format!(
                "(nobody here: the saved sign-in is {other}'s, made with another database file; {})",
                match store.account_email()? {
                    Some(ours) => format!("`outpost login` as {ours}"),
                    None => "`outpost login` to sign this database in".into(),
                }
            ),
            (None, None) => "(nobody)".into(),
        },
        v["pending"],
        v["conflicts"],
        see(&v["conflicts"], "outpost conflicts list"),
        v["rejected"],
        see(&v["rejected"], "outpost rejected list"),
        last.as_deref().unwrap_or("never"),
    );
    output::done(json, &msg, v)
}
