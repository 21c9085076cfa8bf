//! Tables for people, JSON for scripts.

use std::io::Write as _;
use std::process::ExitCode;

use comfy_table::{presets::UTF8_BORDERS_ONLY, Table};
use outpost_core::{Lead, Store};
use serde_json::{json, Value};

pub fn error(e: &anyhow::Error, json: bool) -> ExitCode {
    let (code, status) = match e.downcast_ref::<outpost_core::Error>() {
        Some(core) => {
            let status = match core.code() {
                "not_found" => 3,
                "invalid"
                | "duplicate_email"
                | "do_not_contact"
                | "client_needs_won_lead"
                | "follow_up_in_past"
                | "constraint"
                | "read_only"
                | "unknown_column"
                | "unknown_table"
                | "invalid_cursor" => 4,
                _ => 1,
            };
            (core.code(), status)
        }
        None => ("error", 1),
    };
    if json {
        // Not out!: a reader gone before the error was written must still see the failure's code.
        let _ = writeln!(std::io::stdout(), "{}", json!({ "error": { "code": code, "message": format!("{e:#}") } }));
    } else {
        eprintln!("error: {e:#}");
    }
    ExitCode::from(status)
}

pub fn init(store: &Store, json: bool) -> anyhow::Result<()> {
    let path = store.path().display().to_string();
    done(json, &format!("Database ready at {path}"), json!({ "db": path, "identity": store.identity() }))
}

pub fn done(json: bool, message: &str, value: Value) -> anyhow::Result<()> {
    if json {
        out!("{value}");
    } else {
        out!("{message}");
    }
    Ok(())
}

pub fn lead(lead: &Lead, json: bool, verb: &str) -> anyhow::Result<()> {
    if json {
        out!("{}", serde_json::to_string_pretty(lead)?);
        return Ok(());
    }
    if !verb.is_empty() {
        out!("{verb} {} ({})", lead.display_name(), lead.id);
    }
    let Value::Object(fields) = serde_json::to_value(lead)? else {
        return Ok(());
    };
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    for (k, v) in fields {
        let shown = match &v {
            Value::Null => continue,
            Value::String(s) if s.is_empty() => continue,
            Value::Array(a) if a.is_empty() => continue,
            Value::Object(o) if o.is_empty() => continue,
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        t.add_row(vec![k, shown]);
    }
    out!("{t}");
    Ok(())
}

pub fn leads(leads: &[Lead], next: Option<&str>, json: bool) -> anyhow::Result<()> {
    if json {
        out!("{}", json!({ "leads": leads, "next_cursor": next }));
        return Ok(());
    }
    if leads.is_empty() {
        out!("No leads.");
        return Ok(());
    }
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    t.set_header(vec!["id", "name", "email", "company", "status", "follow-up"]);
    for l in leads {
        t.add_row(vec![
            l.id.clone(),
            l.display_name(),
            l.email.clone().unwrap_or_default(),
            l.company.clone().unwrap_or_default(),
            l.status.as_str().to_string(),
            l.next_follow_up_at.as_deref().map(|d| d[..10.min(d.len())].to_string()).unwrap_or_default(),
        ]);
    }
    out!("{t}");
    if let Some(c) = next {
        out!("More: --cursor '{c}'");
    }
    Ok(())
}
