use outpost_core::{Lead, LeadQuery, LeadStatus, Owner, Row, SortField, Store};
use serde_json::Value;

use crate::args::{ExportArgs, Filters, LeadFields, LeadsCommand, ListArgs, Sort};
use crate::output::{self, Invalid, NotFound, Usage};

pub fn run(store: &mut Store, cmd: LeadsCommand, json: bool) -> anyhow::Result<()> {
    match cmd {
        LeadsCommand::Add(fields) => {
            let values = fields_to_row(fields, true)?;
            let lead: Lead = store.write(|tx| {
                let id = tx.insert("leads", values)?;
                tx.find(&id)
            })?;
            output::lead(&lead, json, "Added")
        }
        LeadsCommand::List(args) => list(store, args, json),
        LeadsCommand::Show { id } => {
            let id = live_lead(store, &id)?;
            output::lead(&store.find::<Lead>(&id)?, json, "")?;
            if !json {
                output::timeline(&store.lead_timeline(&id)?);
            }
            Ok(())
        }
        LeadsCommand::Edit { id, fields } => {
            let id = live_lead(store, &id)?;
            let patch = fields_to_row(fields, false)?;
            if patch.is_empty() {
                return Err(Usage("nothing to change: give at least one field, e.g. --status contacted".into()).into());
            }
            // What `add` asks of a lead holds after an edit too: it cannot be emptied of every way
            // to tell who it is.
            let before = store.get("leads", &id)?.unwrap_or_default();
            if IDENTIFYING.iter().all(|k| patch.get(*k).unwrap_or(before.get(*k).unwrap_or(&Value::Null)).is_null()) {
                return Err(unnamed());
            }
            let lead: Lead = store.edit(&id, patch)?;
            output::lead(&lead, json, "Updated")
        }
        LeadsCommand::Delete { id } => {
            let id = live_lead(store, &id)?;
            store.remove::<Lead>(&id)?;
            let message = format!("Deleted lead {id} (undo: outpost leads restore {id})");
            output::done(json, &message, serde_json::json!({ "deleted": id }))
        }
        LeadsCommand::Restore { id } => {
            // Restoring a live lead changes nothing and says so.
            let (id, verb) = match store.resolve_id("leads", &id) {
                Ok(live) => (live, "Not deleted:"),
                Err(_) => (store.resolve_deleted_id("leads", &id)?, "Restored"),
            };
            let row = store.write(|tx| tx.restore("leads", &id))?;
            let lead: Lead = outpost_core::records::from_row(row)?;
            output::lead(&lead, json, verb)
        }
        LeadsCommand::Deleted { limit } => {
            let deleted = store.deleted_leads(limit, None)?;
            let mut leads = Vec::with_capacity(deleted.len());
            for d in deleted {
                if let Some(row) = store.get("leads", &d.id)? {
                    leads.push(outpost_core::records::from_row::<Lead>(row)?);
                }
            }
            output::found_deleted(&leads, json)
        }
        LeadsCommand::Search { text, limit } => {
            let leads = store.search_leads(&text, limit)?;
            output::found(&leads, json)
        }
    }
}

/// The live lead `part` (an id, its start or its end) names; a deleted one is named as such, with
/// how to bring it back.
fn live_lead(store: &Store, part: &str) -> anyhow::Result<String> {
    match store.resolve_id("leads", part) {
        Err(outpost_core::Error::NotFound { .. }) => match store.resolve_deleted_id("leads", part) {
            Ok(id) => {
                Err(NotFound(format!("lead {id} is deleted: `outpost leads restore {id}` brings it back")).into())
            }
            Err(_) => Err(NotFound(format!("no lead {part} (`outpost leads deleted` lists deleted ones)")).into()),
        },
        other => Ok(other?),
    }
}

fn list(store: &Store, args: ListArgs, json: bool) -> anyhow::Result<()> {
    let q = to_query(store, &args.filters)?;
    let page = store.list_leads(&q, args.limit, args.cursor.as_deref())?;
    output::leads(&page.leads, page.next_cursor.as_deref(), json)?;
    if !json && args.cursor.is_none() {
        let n = store.count_leads(&q)?;
        out!("{n} matching lead{}", if n == 1 { "" } else { "s" });
    }
    Ok(())
}

pub fn export(store: &Store, args: ExportArgs, json: bool) -> anyhow::Result<()> {
    let q = to_query(store, &args.filters)?;
    let n = match &args.output {
        Some(path) => {
            crate::paths::check_writable("-o", path, &crate::paths::database_files(store.path()))?;
            crate::paths::write_file(path, |w| Ok(store.export_leads_file(&q, w)?))?
        }
        None => match store.export_leads_csv(&q, std::io::stdout().lock()) {
            Err(outpost_core::Error::Io(e)) => {
                crate::quit_if_reader_gone(&e);
                return Err(e.into());
            }
            other => other?,
        },
    };
    // Standard output holds the CSV itself when there is no file; the summary is for a file.
    if let Some(path) = &args.output {
        if json {
            out!("{}", serde_json::json!({ "exported": n, "path": path.display().to_string() }));
        } else {
            say!("Exported {} to {}", output::count(n, "lead"), path.display());
        }
    }
    Ok(())
}

fn to_query(store: &Store, f: &Filters) -> anyhow::Result<LeadQuery> {
    let statuses = f.statuses.iter().map(|s| status_of(s)).collect::<anyhow::Result<Vec<_>>>()?;
    let owner = match f.owner.as_deref() {
        None => None,
        Some("unassigned") => Some(Owner::Unassigned),
        Some("me") => Some(Owner::User(store.identity().user_id.clone())),
        Some(id) => Some(Owner::User(id.to_string())),
    };
    let list_id = match &f.list {
        None => None,
        Some(name) => Some(find_list(store, name)?),
    };
    let sort = match f.sort {
        Sort::Updated => SortField::UpdatedAt,
        Sort::Created => SortField::CreatedAt,
        Sort::Name => SortField::Name,
        Sort::Company => SortField::Company,
        Sort::Score => SortField::Score,
        Sort::FollowUp => SortField::FollowUp,
    };
    let newest_first = matches!(f.sort, Sort::Updated | Sort::Created | Sort::Score);
    Ok(LeadQuery {
        statuses,
        owner,
        list_id,
        campaign_id: None,
        tag: f.tag.clone(),
        text: f.search.clone(),
        sort,
        descending: f.desc || (newest_first && !f.asc),
    })
}

fn find_list(store: &Store, name_or_id: &str) -> anyhow::Result<String> {
    let id = store
        .conn()
        .query_row(
            "SELECT id FROM lead_lists WHERE (id = ?1 OR lower(name) = lower(?1)) AND deleted_at IS NULL",
            [name_or_id],
            |r| r.get::<_, String>(0),
        )
        .map_err(|_| outpost_core::Error::NotFound { table: "lead list".into(), id: name_or_id.into() })?;
    Ok(id)
}

fn fields_to_row(f: LeadFields, adding: bool) -> anyhow::Result<Row> {
    let mut row = Row::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            let v = v.trim().to_string();
            row.insert(k.to_string(), if v.is_empty() { Value::Null } else { Value::String(v) });
        }
    };
    put("first_name", f.first_name);
    put("last_name", f.last_name);
    put("email", f.email);
    put("phone", f.phone);
    put("company", f.company);
    put("job_title", f.job_title);
    put("status", f.status);
    put("source", f.source);
    put("notes", f.notes);
    // A day alone means that day as the app stores it (09:00 UTC, the same calendar day in the
    // time zones reps work in), not its first instant in UTC: the evening before in the Americas.
    // Written back in full ("2027-1-5" is 2027-01-05), which the store's check reads.
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok();
    put("next_follow_up_at", f.follow_up.map(|d| day(&d).map_or(d, |day| format!("{day}T09:00:00Z"))));
    let mut set = Row::new();
    for pair in f.set {
        let Some((k, v)) = pair.split_once('=') else {
            return Err(Usage(format!("--set takes COLUMN=VALUE, got '{pair}'")).into());
        };
        let v = v.trim();
        set.insert(k.trim().to_string(), if v.is_empty() { Value::Null } else { Value::String(v.to_string()) });
    }
    for (k, v) in set {
        // Given twice, one value would win silently.
        if row.contains_key(&k) {
            return Err(Usage(format!("{k} is given twice (its own option and --set)")).into());
        }
        row.insert(k, v);
    }
    if !f.tags.is_empty() {
        let tags: Vec<Value> = f.tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()).map(Value::from).collect();
        row.insert("tags".into(), Value::Array(tags));
    }
    if let Some(Value::String(s)) = row.get("status") {
        let status = status_of(s)?;
        row.insert("status".into(), Value::String(status));
    }
    if adding {
        if !IDENTIFYING.iter().any(|k| row.get(*k).is_some_and(|v| !v.is_null())) {
            return Err(unnamed());
        }
        // An empty assignee is said on purpose: the lead stays unassigned (it is the rep's otherwise).
        row.retain(|k, v| !v.is_null() || k == "assigned_to");
    }
    Ok(row)
}

/// What tells who a lead is: a lead keeps at least one.
const IDENTIFYING: [&str; 5] = ["first_name", "last_name", "email", "company", "phone"];

fn unnamed() -> anyhow::Error {
    Invalid("a lead needs at least a name, email, company or phone (e.g. --email ana@example.com)".into()).into()
}

/// A status as the schema names it, or as people and other CRMs say it ("won", "Closed Won",
/// "Working - Contacted"): the names an import understands.
fn status_of(s: &str) -> anyhow::Result<String> {
    if let Some(status) = LeadStatus::parse(s) {
        return Ok(status.as_str().to_string());
    }
    match outpost_import::normalize::status(s) {
        Ok(status) => Ok(status.to_string()),
        Err(_) => Err(outpost_core::Error::Invalid {
            table: "leads".into(),
            column: "status".into(),
            reason: format!("unknown status '{s}' (one of: {})", LeadStatus::ALL.map(|s| s.as_str()).join(", ")),
        }
        .into()),
    }
}
