//! conflicts, rejected: what sync could not settle by itself, for the rep to decide.

use outpost_core::sync_local::{Keep, OpenConflict, Rejection};
use outpost_core::Store;
use serde_json::{json, Value};

use crate::args::{ConflictsCommand, KeepSide, RejectedCommand};
use crate::output::{self, NotFound};

pub fn conflicts(store: &mut Store, cmd: ConflictsCommand, json: bool) -> anyhow::Result<()> {
    match cmd {
        ConflictsCommand::List => {
            let open = store.open_conflicts()?;
            if json {
                out!("{}", serde_json::to_string(&open)?);
                return Ok(());
            }
            if open.is_empty() {
                out!("No conflicts.");
            }
            for c in &open {
                out!("#{} {}", c.id, record(store, &c.table, &c.row_id, None));
                out!("{}", explain(c));
            }
            Ok(())
        }
        ConflictsCommand::Resolve { id, all, keep } => {
            let keep = match keep {
                KeepSide::Mine => Keep::Mine,
                KeepSide::Theirs => Keep::Theirs,
            };
            let then = if keep == Keep::Mine { "; the next sync sends your values" } else { "" };
            let Some(id) = id.filter(|_| !all) else {
                let (n, left, why) = store.resolve_all_conflicts(keep)?;
                let mut text =
                    format!("{} resolved{}", output::count(n as u64, "conflict"), if n > 0 { then } else { "" });
                if let Some(why) = &why {
                    text.push_str(&format!("; {left} left open ({why})"));
                }
                output::done(json, &text, json!({"resolved": n, "left_open": left}))?;
                // Some were refused: said above, and not a success to a script.
                return if left > 0 { Err(output::Said(4).into()) } else { Ok(()) };
            };
            if !store.open_conflicts()?.iter().any(|c| c.id == id) {
                return Err(NotFound(format!(
                    "no open conflict #{id} (resolved already, or no such number): `outpost conflicts list` shows the open ones"
                ))
                .into());
            }
            store.resolve_conflict(id, keep)?;
            let then = if keep == Keep::Mine { "; the next sync sends your value" } else { "" };
            output::done(json, &format!("Conflict #{id} resolved{then}"), json!({"resolved": id}))
        }
    }
}

pub fn rejected(store: &mut Store, cmd: RejectedCommand, json: bool) -> anyhow::Result<()> {
    match cmd {
        RejectedCommand::List => {
            let open = store.open_rejections()?;
            if json {
                // The server's own reason and code stay; "explanation" is what the text list says.
                let listed: Vec<serde_json::Value> = open
                    .iter()
                    .map(|r| {
                        let mut v = serde_json::to_value(r).unwrap_or_default();
                        v["explanation"] = json!(in_words(r));
                        v
                    })
                    .collect();
                out!("{}", serde_json::to_string(&listed)?);
                return Ok(());
            }
            if open.is_empty() {
                out!("No rejected changes.");
            }
            for r in &open {
                out!("#{} {}", r.id, record(store, &r.table, &r.row_id, r.label.as_deref()));
                out!("    {} refused: {}", what(r), in_words(r));
                // What it said: a record moved out of reach keeps it nowhere else.
                let said: Vec<String> = r
                    .changed
                    .iter()
                    .map(|(c, v)| {
                        format!("{c} = {}", output::cell(&v.as_str().map_or_else(|| v.to_string(), str::to_string), 60))
                    })
                    .collect();
                if !said.is_empty() {
                    out!("    your change: {}", said.join("; "));
                }
            }
            if !open.is_empty() {
                out!("Retry one with `outpost rejected retry ID` (after fixing it), or give it up with `outpost rejected discard ID`.");
            }
            Ok(())
        }
        RejectedCommand::Retry { id } => {
            open_rejection(store, id)?;
            store.retry_rejection(id)?;
            output::done(
                json,
                &format!("Rejected change #{id} will be sent again at the next sync"),
                json!({"retried": id}),
            )
        }
        RejectedCommand::Discard { id } => {
            open_rejection(store, id)?;
            store.discard_rejection(id)?;
            output::done(
                json,
                &format!("Rejected change #{id} discarded; the record keeps the server's copy"),
                json!({"discarded": id}),
            )
        }
    }
}

fn open_rejection(store: &Store, id: i64) -> anyhow::Result<()> {
    if store.open_rejections()?.iter().any(|r| r.id == id) {
        return Ok(());
    }
    Err(NotFound(format!(
        "no open rejected change #{id} (settled already, or no such number): `outpost rejected list` shows them"
    ))
    .into())
}

/// "Ana Lima (lead 01a218c6-…)": what the rep calls the record (`known`, else its row's name), and
/// its id to act on it.
fn record(store: &Store, table: &str, id: &str, known: Option<&str>) -> String {
    let kind = table.strip_suffix('s').unwrap_or(table);
    match known.map(str::to_string).or_else(|| store.row_label(table, id).ok().flatten()) {
        Some(label) => format!("{label} ({kind} {id})"),
        None => format!("{kind} {id} (no longer on this computer)"),
    }
}

/// A conflict in words: a deletion says who deleted and what each choice does; a field shows the
/// three values.
fn explain(c: &OpenConflict) -> String {
    match (c.column.as_str(), c.mine.is_null()) {
        ("deleted_at", true) => {
            "    deleted by someone else while you edited it: --keep mine brings it back with your \
                                 changes, --keep theirs leaves it deleted"
                .into()
        }
        ("deleted_at", false) => "    you deleted it while someone else changed it: --keep mine deletes it, --keep \
                                  theirs keeps it with their changes"
            .into(),
        (column, _) => format!(
            "    {column}: yours {} | theirs {} (before both: {})",
            short(&c.mine),
            short(&c.theirs),
            short(&c.base)
        ),
    }
}

fn short(v: &Value) -> String {
    let text = if v.is_null() { "(empty)".to_string() } else { v.to_string() };
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

fn what(r: &Rejection) -> &'static str {
    match r.op.as_str() {
        "insert" => "new record",
        "delete" => "deletion",
        _ => "edit",
    }
}

/// The server's refusal in the rep's words (its own text stays in --json).
fn in_words(r: &Rejection) -> String {
    let code = r.code.as_deref().unwrap_or_default();
    match code {
        "23505" if r.reason.contains("trying again adds") => {
            "the team already has this lead (the same email): what you logged on yours went to it, and `retry` adds \
             your details to it"
                .into()
        }
        "23505" if r.reason.contains("email") && r.op == "insert" => {
            "another lead on the server already has this email: `retry` adds your details to it".into()
        }
        "23505" if r.reason.contains("email") => "another record on the server already has this email".into(),
        "23505" => format!("another record on the server already has this value ({})", r.reason),
        // A guard's refusal says its rule itself ("… is marked do-not-contact, so …").
        "42501" if r.reason.contains("do-not-contact") => {
            r.reason.split_once(": ").map_or(r.reason.as_str(), |(_, why)| why).to_string()
        }
        "42501" => "your role may not make this change".into(),
        "P0002" => {
            "you may not change this record (your role or who owns it changed), or it is no longer on the server".into()
        }
        "23514" => format!("a value breaks a rule of the server ({})", r.reason),
        "23503" => format!("it refers to a record the server does not have ({})", r.reason),
        _ => r.reason.clone(),
    }
}
