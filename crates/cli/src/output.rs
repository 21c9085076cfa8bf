//! Tables for people, JSON for scripts.

use std::io::Write as _;
use std::process::ExitCode;

use comfy_table::{presets::UTF8_BORDERS_ONLY, Table};
use outpost_core::{Lead, Store};
use serde_json::{json, Value};

/// A mistake the command itself finds, with the exit code scripts rely on: how it was called (2, as
/// for the argument parser's own), what it was asked for is not there (3, as the store's not found,
/// in better words), a value a lead must not have (4, as the store's refusals).
#[derive(Debug)]
pub enum Mistake {
    Usage(String),
    NotFound(String),
    Invalid(String),
}

pub use Mistake::{Invalid, NotFound, Usage};

impl std::fmt::Display for Mistake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (Usage(m) | NotFound(m) | Invalid(m)) = self;
        f.write_str(m)
    }
}

impl std::error::Error for Mistake {}

/// Prints a command-line parsing error (clap's) as JSON when `--json` was asked for, so a script
/// always gets an object to read; clap's own text and exit otherwise.
pub fn usage_error(e: clap::Error) -> ExitCode {
    if !std::env::args().any(|a| a == "--json") || !e.use_stderr() {
        e.exit();
    }
    // clap's text is the message (possibly over several lines, e.g. the missing arguments), then
    // a usage line and a hint: the message is what a script needs.
    let rendered = e.render().to_string();
    let said: Vec<&str> =
        rendered.lines().map(str::trim).take_while(|l| !l.starts_with("Usage:")).filter(|l| !l.is_empty()).collect();
    let message = said.join(" ");
    let message = message.trim_start_matches("error: ");
    let _ = writeln!(std::io::stdout(), "{}", json!({ "error": { "code": "usage", "message": message } }));
    ExitCode::from(2)
}

/// The error and its causes, each cause left out when what is already said contains it (an error
/// that prints its source, wrapped in context, said it twice: "x.csv: No such file…: No such file…").
fn message(e: &anyhow::Error) -> String {
    let mut said = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if said.contains(&text) {
            continue;
        }
        if !said.is_empty() {
            said.push_str(": ");
        }
        said.push_str(&text);
    }
    said
}

/// The command has said what happened (its report, in JSON too); only its exit status is left:
/// an import whose every row was left out must not look like success to a script.
#[derive(Debug)]
pub struct Said(pub u8);

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit status {}", self.0)
    }
}

impl std::error::Error for Said {}

pub fn error(e: &anyhow::Error, json: bool) -> ExitCode {
    if let Some(Said(status)) = e.downcast_ref::<Said>() {
        return ExitCode::from(*status);
    }
    let core = e.downcast_ref::<outpost_core::Error>().or(match e.downcast_ref::<outpost_import::Error>() {
        Some(outpost_import::Error::Store(core)) => Some(core),
        _ => None,
    });
    let (code, status) = match core {
        Some(core) => {
            let status = match core.code() {
                "not_found" => 3,
                // Typed where an id goes but cannot be one: how the command was called.
                "bad_id" => 2,
                "invalid"
                | "duplicate_email"
                | "do_not_contact"
                | "client_needs_won_lead"
                | "follow_up_in_past"
                | "constraint"
                | "read_only"
                | "view_only"
                | "unknown_column"
                | "unknown_table"
                | "invalid_cursor" => 4,
                _ => 1,
            };
            (core.code(), status)
        }
        None => match (e.downcast_ref::<Mistake>(), e.downcast_ref::<outpost_sync::Error>()) {
            (Some(Usage(_)), _) => ("usage", 2),
            (Some(NotFound(_)), _) => ("not_found", 3),
            (Some(Invalid(_)), _) => ("invalid", 4),
            (None, Some(sync)) => (sync.code(), 1),
            (None, None) => match e.downcast_ref::<outpost_import::Error>() {
                Some(outpost_import::Error::Cancelled) => ("cancelled", 130),
                Some(outpost_import::Error::Io { .. }) => ("io", 1),
                // The file or the mapping asked for cannot be imported as it is.
                Some(_) => ("invalid_import", 4),
                None => ("error", 1),
            },
        },
    };
    let message = message(e);
    if json {
        // Not out!: a reader gone before the error was written must still see the failure's code.
        let _ = writeln!(std::io::stdout(), "{}", json!({ "error": { "code": code, "message": message } }));
    } else {
        say!("error: {message}");
    }
    ExitCode::from(status)
}

/// "1 row", "2 rows".
pub fn count(n: u64, thing: &str) -> String {
    format!("{n} {thing}{}", if n == 1 { "" } else { "s" })
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
        t.add_row(vec![k, cell(&shown, 2_000)]);
    }
    out!("{t}");
    Ok(())
}

/// What happened with a lead, newest first (the last ten): activities, messages, emails, calls…
pub fn timeline(entries: &[outpost_core::pipeline::TimelineEntry]) {
    if entries.is_empty() {
        return;
    }
    out!("Timeline (newest first{}):", if entries.len() > 10 { ", the last 10" } else { "" });
    for e in entries.iter().take(10) {
        let when = e.at.as_deref().map(|t| t.get(..16).unwrap_or(t).replace('T', " ")).unwrap_or_default();
        let what = match e.kind.as_deref() {
            Some(k) if k.ends_with("_inbound") => {
                format!("{} · {} (theirs)", outpost_core::error::thing(&e.source), k.trim_end_matches("_inbound"))
            }
            Some(k) if !k.is_empty() => format!("{} · {k}", outpost_core::error::thing(&e.source)),
            _ => outpost_core::error::thing(&e.source),
        };
        let text: Vec<&str> =
            [e.title.as_deref(), e.body.as_deref()].into_iter().flatten().filter(|s| !s.is_empty()).collect();
        out!("  {when:<16}  {what:<28} {}", cell(&text.join(" — "), 100));
    }
}

/// A page of the lead list; `next` continues it.
pub fn leads(leads: &[Lead], next: Option<&str>, json: bool) -> anyhow::Result<()> {
    if json {
        out!("{}", json!({ "leads": leads, "next_cursor": next }));
        return Ok(());
    }
    table(leads, next)
}

/// Leads that are all there is to show (a search's best matches, the deleted ones): no cursor, so a
/// script does not read "no more pages" into them.
pub fn found(leads: &[Lead], json: bool) -> anyhow::Result<()> {
    if json {
        out!("{}", json!({ "leads": leads }));
        return Ok(());
    }
    table(leads, None)
}

/// Deleted leads: when each was deleted where a live lead's follow-up goes (UTC, to the minute).
pub fn found_deleted(leads: &[Lead], json: bool) -> anyhow::Result<()> {
    if json {
        out!("{}", json!({ "leads": leads }));
        return Ok(());
    }
    let when =
        |l: &Lead| l.deleted_at.as_deref().map(|d| d.get(..16).unwrap_or(d).replace('T', " ")).unwrap_or_default();
    table_with(leads, None, ("deleted (UTC)", &when))
}

fn table(leads: &[Lead], next: Option<&str>) -> anyhow::Result<()> {
    let follow_up =
        |l: &Lead| l.next_follow_up_at.as_deref().map(|d| d[..10.min(d.len())].to_string()).unwrap_or_default();
    table_with(leads, next, ("follow-up", &follow_up))
}

/// The lead table, its last column named and filled by `last`.
fn table_with(leads: &[Lead], next: Option<&str>, last: (&str, &dyn Fn(&Lead) -> String)) -> anyhow::Result<()> {
    if leads.is_empty() {
        out!("No leads.");
        return Ok(());
    }
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    t.set_header(vec!["id", "name", "email", "company", "status", last.0]);
    for l in leads {
        t.add_row(vec![
            l.id.clone(),
            cell(&l.display_name(), 40),
            cell(l.email.as_deref().unwrap_or_default(), 40),
            cell(l.company.as_deref().unwrap_or_default(), 40),
            l.status.as_str().to_string(),
            (last.1)(l),
        ]);
    }
    out!("{t}");
    if let Some(c) = next {
        // Quoted for a POSIX shell whatever the cursor holds (a name like O'Brien).
        out!("More: --cursor '{}'", c.replace('\'', "'\\''"));
    }
    Ok(())
}

/// A line as it may reach a terminal: control characters other than line breaks and tabs, and the
/// bidirectional overrides that reorder what follows them, written as JSON's `\u001b` escapes. The
/// same in JSON output, where they can only be inside strings: a JSON reader gets the value back whole.
pub fn visible(line: &str) -> std::borrow::Cow<'_, str> {
    let acts = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    if !line.chars().any(acts) {
        return line.into();
    }
    line.chars()
        .map(|c| if acts(c) { format!("\\u{:04x}", u32::from(c)) } else { c.to_string() })
        .collect::<String>()
        .into()
}

/// A value as a table cell: control characters (a line break, a terminal escape from an imported
/// file) shown as visible marks instead of acting on the terminal, and at most `max` characters.
pub fn cell(text: &str, max: usize) -> String {
    // Direction overrides and invisible characters too: they reorder or hide what the rest shows.
    let hidden =
        |c: char| c.is_control() || outpost_core::rules::is_format_char(c) || ('\u{2066}'..='\u{2069}').contains(&c);
    let mut shown: String = text
        .chars()
        .take(max)
        .map(|c| {
            if c == '\n' {
                '↵'
            } else if hidden(c) {
                '�'
            } else {
                c
            }
        })
        .collect();
    if text.chars().nth(max).is_some() {
        shown.push('…');
    }
    shown
}
