//! The writer's side of an import: each row read is created, skipped, queued as an update or
//! created again as a possible duplicate, and counted in the report.

use std::collections::HashMap;

use outpost_core::{Batch, Row};
use rusqlite::OptionalExtension;
use serde_json::{json, Value};

use crate::error::Error;
use crate::import::{ImportOptions, OnDuplicate};
use crate::prepare::Item;
use crate::report::{Report, RowProblem, KEPT_LISTED};

/// What the loading loop keeps between rows.
#[derive(Default)]
pub(crate) struct Loaded {
    pub(crate) email_column: String,
    /// Kept-as-text notes listed in the report so far (see `Report::kept_values`).
    pub(crate) kept_listed: usize,
    /// The lead list named for the import, if any.
    pub(crate) list: Option<String>,
    /// Emails seen in this file → the first row that had it, by 64-bit hash (a million emails as
    /// strings with their lead ids cost ~150 MB). The lead itself is found through the email index.
    pub(crate) in_file: HashMap<u64, u64>,
    /// The organization's people by email and by full name, lowercased (a name two share is left
    /// out): an owner column naming one assigns the lead to them.
    pub(crate) owners: HashMap<String, String>,
}

/// The organization's people an owner column may name, by lowercased email and full name.
pub(crate) fn owners(tx: &outpost_core::Tx<'_>) -> outpost_core::Result<HashMap<String, String>> {
    let mut by_name: HashMap<String, Option<String>> = HashMap::new();
    let mut stmt = tx
        .conn()
        .prepare("SELECT id, email, full_name FROM profiles WHERE organization_id = ?1 AND deleted_at IS NULL")?;
    let people = stmt.query_map([&tx.identity().organization_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?))
    })?;
    for person in people {
        let (id, email, name) = person?;
        // (By id too: our own export's assigned_to column.)
        for key in [Some(id.clone()), Some(email), name].into_iter().flatten() {
            let key = key.trim().to_lowercase();
            if key.is_empty() {
                continue;
            }
            by_name
                .entry(key)
                .and_modify(|had| {
                    if had.as_deref() != Some(id.as_str()) {
                        *had = None
                    }
                })
                .or_insert(Some(id.clone()));
        }
    }
    Ok(by_name.into_iter().filter_map(|(k, id)| id.map(|id| (k, id))).collect())
}

/// An owner column (HubSpot's "Contact owner", Salesforce's "Lead Owner", our export's
/// assigned_to) that names a person of this organization assigns the lead to them; one not found
/// here stays in its custom field.
/// Returns the owner the file names (an owner column's name or email) when no teammate is them
/// (kept as text), for a note.
fn assign_owner(values: &mut Row, owners: &HashMap<String, String>) -> Option<(&'static str, String)> {
    let Some(Value::Object(custom)) = values.get_mut("custom_fields") else { return None };
    let mut unknown = None;
    for key in ["owner", "assigned_to"] {
        let named = custom.get(key).and_then(Value::as_str).map(str::trim).filter(|o| !o.is_empty());
        let Some(named) = named.map(str::to_string) else { continue };
        if let Some(id) = owners.get(&named.to_lowercase()).cloned() {
            custom.remove(key);
            values.insert("assigned_to".into(), json!(id));
            return None;
        }
        // (An id in our own export's assigned_to column is another database's user: not news.)
        if key == "owner" {
            unknown.get_or_insert((key, named));
        }
    }
    unknown
}

/// Queues a new lead; a row the store refuses is counted out with the reason.
pub(crate) fn add(batch: &mut Batch<'_, '_>, values: Row, row: u64, report: &mut Report) -> outpost_core::Result<bool> {
    Ok(match batch.insert(values, row)? {
        Ok(_) => {
            report.created += 1;
            true
        }
        Err(e) => {
            refused(report, row, e);
            false
        }
    })
}

/// A row the store would not take. Its values noted as kept were not kept after all: those notes
/// are taken out once all rows are in (see `drop_kept_of_refused`).
pub(crate) fn refused(report: &mut Report, row: u64, e: outpost_core::Error) {
    report.failed += 1;
    let reason = e.to_string();
    report.refused.insert(row, reason.clone());
    report.problems.push(RowProblem { row, column: String::new(), value: String::new(), reason, kept: false });
}

pub(crate) fn drop_kept_of_refused(report: &mut Report) {
    if !report.refused.is_empty() {
        let listed = report.problems.len();
        let refused = &report.refused;
        report.problems.retain(|p| !(p.kept && refused.contains_key(&p.row)));
        // (Unlisted notes of refused rows stay counted: the count is then an upper bound.)
        report.kept_values -= (listed - report.problems.len()) as u64;
    }
}

/// Writes one row (or defers it, or counts it out); an error is the file's and stops the import.
pub(crate) fn load(
    batch: &mut Batch<'_, '_>,
    item: Item,
    opts: &ImportOptions,
    report: &mut Report,
    loaded: &mut Loaded,
    had_leads: bool,
) -> outpost_core::Result<std::result::Result<(), Error>> {
    let (row, mut values, email, kept) = match item {
        Item::Broken(e) => return Ok(Err(e)),
        Item::Failed { row, cells, problems } => {
            report.rows += 1;
            report.failed += 1;
            let reasons = problems
                .iter()
                .map(|p| if p.column.is_empty() { p.reason.clone() } else { format!("{}: {}", p.column, p.reason) })
                .collect::<Vec<_>>()
                .join("; ");
            report.failed_rows.push((row, cells, reasons));
            report.problems.extend(problems);
            return Ok(Ok(()));
        }
        Item::Lead { row, values, email, kept } => (row, values, email, kept),
    };
    report.rows += 1;
    // Working alone, a file's owner column names people from elsewhere: kept without a word.
    if !loaded.owners.is_empty() {
        if let Some((field, named)) = assign_owner(&mut values, &loaded.owners) {
            let column = crate::updates::header_of(report, field);
            let reason = format!("no teammate has this name or email; kept as text in custom field '{field}'");
            report.note(row, &column, named, reason);
        }
    }
    // Without an email, a LinkedIn profile tells a lead (a Connections export has no emails).
    let profile = match (&email, values.get("linkedin_url").and_then(Value::as_str)) {
        (None, Some(url)) if outpost_core::rules::is_linkedin_person(url) => Some(url.to_string()),
        _ => None,
    };
    let email_key = match (&email, &profile) {
        (Some(e), _) => Some(hash_email(e)),
        (None, Some(url)) => Some(hash_email(&format!("linkedin {}", outpost_core::rules::linkedin_profile(url)))),
        (None, None) => None,
    };
    let seen_in_file = email_key.and_then(|k| loaded.in_file.get(&k).copied());
    if seen_in_file.is_some() {
        // The earlier row may still be queued.
        batch.flush()?;
    }
    // Our own export imported back (fixed in a spreadsheet): its id column names the lead itself,
    // with or without an email.
    let by_id = if had_leads && opts.on_duplicate != OnDuplicate::Create { own_lead(batch, &values)? } else { None };
    // A lead deleted here is not brought back by a file: the rep restores it first, on purpose.
    let by_id = match by_id {
        Some((id, true)) => {
            report.skipped += 1;
            report.problems.push(RowProblem {
                row,
                column: "id".into(),
                value: id.clone(),
                reason: format!("this lead was deleted here; `outpost leads restore {id}` first to import into it"),
                kept: false,
            });
            return Ok(Ok(()));
        }
        Some((id, false)) => Some(id),
        None => None,
    };
    let existing = match (&by_id, &email, &profile) {
        (Some(id), _, _) => Some((None, id.clone())),
        (None, Some(e), _) if had_leads || seen_in_file.is_some() => {
            outpost_core::rules::other_lead_with_email(batch.tx(), e, "")?.map(|id| (seen_in_file, id))
        }
        (None, None, Some(url)) if had_leads || seen_in_file.is_some() => {
            outpost_core::rules::lead_with_linkedin_profile(batch.tx(), url)?.map(|id| (seen_in_file, id))
        }
        _ => None,
    };
    let same = if email.is_some() { "email" } else { "LinkedIn profile" };
    // A skipped duplicate writes nothing, so nothing of it was kept.
    if !(existing.is_some() && opts.on_duplicate == OnDuplicate::Skip) {
        report.kept_values += kept.len() as u64;
        let room = KEPT_LISTED.saturating_sub(loaded.kept_listed);
        loaded.kept_listed += kept.len().min(room);
        report.problems.extend(kept.into_iter().take(room));
    }
    match (existing, opts.on_duplicate) {
        (None, _) => {
            if add(batch, values, row, report)? {
                if let Some(k) = email_key {
                    loaded.in_file.entry(k).or_insert(row);
                }
            }
        }
        (Some((first_row, _)), OnDuplicate::Skip) => {
            report.skipped += 1;
            let why = match (first_row, &by_id) {
                (_, Some(_)) => "this lead is already here (the file's id is its id); skipped".into(),
                (Some(r), None) => format!("duplicate of row {r} (same {same}); skipped"),
                (None, None) => format!("a lead with this {same} already exists; skipped"),
            };
            // Named by the file's own column, as the rep knows it.
            let (column, value) = match (by_id, email) {
                (Some(id), _) => (crate::updates::header_of(report, "id"), id),
                (None, Some(e)) => (loaded.email_column.clone(), e),
                (None, None) => (crate::updates::header_of(report, "linkedin_url"), profile.unwrap_or_default()),
            };
            report.problems.push(RowProblem { row, column, value, reason: why, kept: false });
        }
        (Some((_, id)), OnDuplicate::Update) => {
            // Found by its email, the email is the lead's already; found by its id, the file's
            // email may be the rep's correction.
            if by_id.is_none() {
                values.remove("email");
            }
            // "csv_import" says the import made the lead, which it did not (see onto_lead for a
            // source the file names).
            if values.get("source").and_then(Value::as_str) == Some(crate::prepare::IMPORT_SOURCE) {
                values.remove("source");
            }
            // The import's list takes in the leads it updates too.
            if let Some(list) = &loaded.list {
                values.insert("list_id".into(), json!(list));
            }
            crate::updates::queue(batch.tx(), row, &id, values)?;
        }
        (Some((first_row, _)), OnDuplicate::Create) => {
            // Two leads cannot share an email (a LinkedIn profile they can).
            if let Some(dup) = values.remove("email") {
                // A row without other custom fields has none yet: the address must not be lost.
                let custom = values.entry("custom_fields").or_insert_with(|| json!({}));
                if let Value::Object(custom) = custom {
                    custom.insert("duplicate_email".into(), dup);
                }
            }
            let tags = values.entry("tags").or_insert_with(|| json!([]));
            if let Value::Array(t) = tags {
                t.push(json!("possible-duplicate"));
            }
            let who = match first_row {
                Some(r) => format!("the lead of row {r}"),
                None => "another lead".into(),
            };
            let (column, value, reason) = match email {
                Some(e) => (
                    loaded.email_column.clone(),
                    e,
                    format!(
                        "created without its email because {who} has it (kept in custom field 'duplicate_email', tagged possible-duplicate)"
                    ),
                ),
                None => (
                    crate::updates::header_of(report, "linkedin_url"),
                    profile.unwrap_or_default(),
                    format!("created although {who} has this LinkedIn profile (tagged possible-duplicate)"),
                ),
            };
            report.problems.push(RowProblem { row, column, value, reason, kept: true });
            add(batch, values, row, report)?;
        }
    }
    Ok(Ok(()))
}

/// The lead of this database a row's `id` column (kept as custom field external_id, or outpost_id
/// beside the lead's own external id) names, and whether it is deleted.
fn own_lead(batch: &Batch<'_, '_>, values: &Row) -> outpost_core::Result<Option<(String, bool)>> {
    let Some(custom) = values.get("custom_fields") else { return Ok(None) };
    for key in [crate::lead_values::OUTPOST_ID, "external_id"] {
        let Some(id) = custom.get(key).and_then(Value::as_str).and_then(outpost_core::ids::normalize) else {
            continue;
        };
        let lead = batch
            .tx()
            .conn()
            .prepare_cached("SELECT id, deleted_at IS NOT NULL FROM leads WHERE id = ?1")?
            .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if lead.is_some() {
            return Ok(lead);
        }
    }
    Ok(None)
}

fn hash_email(email: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(email)
}
