//! Duplicates an import fills in (on-duplicate update): queued on disk while the rows are read,
//! written once any bulk load has ended (with change capture and search upkeep on), merged into
//! what the lead has, and recorded for undo.

use outpost_core::{Row, Tx};
use serde_json::{Map, Value};

use crate::load::refused;
use crate::report::Report;

/// Duplicates to fill in wait on disk during a bulk load, not in memory: re-importing a
/// million-row export would otherwise hold a million rows.
pub(crate) fn start(tx: &Tx<'_>) -> outpost_core::Result<()> {
    tx.conn().execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS import_updates (row INTEGER NOT NULL, lead_id TEXT NOT NULL, patch TEXT NOT NULL);
         DELETE FROM temp.import_updates;",
    )?;
    Ok(())
}

/// Queues row `row`'s values for the lead `lead_id`.
pub(crate) fn queue(tx: &Tx<'_>, row: u64, lead_id: &str, values: Row) -> outpost_core::Result<()> {
    tx.conn()
        .prepare_cached("INSERT INTO temp.import_updates (row, lead_id, patch) VALUES (?1, ?2, ?3)")?
        .execute((row as i64, lead_id, Value::Object(values).to_string()))?;
    Ok(())
}

/// Writes the queued updates, in file order; a refused one is counted out with its reason.
pub(crate) fn apply(tx: &mut Tx<'_>, import_id: &str, report: &mut Report) -> outpost_core::Result<()> {
    let mut after = 0i64;
    loop {
        let chunk: Vec<(i64, i64, String, String)> = tx
            .conn()
            .prepare_cached(
                "SELECT rowid, row, lead_id, patch FROM temp.import_updates WHERE rowid > ?1 ORDER BY rowid LIMIT 1000",
            )?
            .query_map([after], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let Some(last) = chunk.last() else { break };
        after = last.0;
        for (_, row, id, patch) in chunk {
            let values: Row = serde_json::from_str(&patch).map_err(|e| outpost_core::Error::Invalid {
                table: "import_updates".into(),
                column: "patch".into(),
                reason: e.to_string(),
            })?;
            let row = row as u64;
            let old = tx.get("leads", &id)?;
            // An earlier row of this file made or updated this lead: this row's values go onto it
            // too, counted as merged (one lead, not a second update) and noted.
            let made_here = old.as_ref().and_then(|o| o.get("import_id")).and_then(Value::as_str) == Some(import_id);
            let merged = made_here || updated_here(tx, import_id, &id)?;
            let email =
                old.as_ref().and_then(|o| o.get("email")).and_then(Value::as_str).unwrap_or_default().to_string();
            let outcome = write(tx, import_id, report, row, &id, old, values)?;
            match (outcome, merged) {
                (Outcome::Refused, _) => {}
                (_, true) => {
                    report.merged += 1;
                    // (Said the same by a dry run, which writes nothing: "go", not "went".)
                    let why = "the same lead as an earlier row of this file: this row's values go onto it too (this row's where the two differ)";
                    report.note(row, &header_of(report, "email"), email, why.into());
                }
                // A duplicate the file would not change is not written: no updated_at, no sync.
                (Outcome::Unchanged, false) => {
                    report.skipped += 1;
                    report.unchanged += 1;
                }
                (Outcome::Written, false) => report.updated += 1,
            }
        }
    }
    tx.conn().execute_batch("DROP TABLE temp.import_updates;")?;
    Ok(())
}

/// What became of a queued update.
enum Outcome {
    /// Nothing the lead did not have already (or only what a do-not-contact lead keeps).
    Unchanged,
    Written,
    Refused,
}

/// Writes one row's values onto the lead `id` (`old` as it is now) and records them for undo.
fn write(
    tx: &mut Tx<'_>,
    import_id: &str,
    report: &mut Report,
    row: u64,
    id: &str,
    old: Option<Row>,
    values: Row,
) -> outpost_core::Result<Outcome> {
    let was_dnc = old.as_ref().and_then(|o| o.get("do_not_contact")) == Some(&Value::Bool(true));
    let mut values = match &old {
        Some(old) => onto_lead(values, old),
        None => values,
    };
    // Only a rep clears do-not-contact (they agreed to hear from us again), never a file: the lead
    // stays as it is, and the row's "no" is noted.
    if values.get("do_not_contact") == Some(&Value::Bool(false)) && was_dnc {
        values.remove("do_not_contact");
        let why = "do-not-contact not cleared: an import never clears it; a rep clears it on the lead if they may be contacted again";
        report.note(row, &header_of(report, "email_opt_out"), "no".into(), why.into());
    }
    // A do-not-contact lead may not be moved along the pipeline: the rest of the row still lands,
    // and the status the file had is reported (not the whole row lost).
    let stays_dnc = values.get("do_not_contact").map_or(was_dnc, |v| v == &Value::Bool(true));
    if stays_dnc {
        if let Some(status) = values.remove("status") {
            let value = status.as_str().unwrap_or_default().into();
            report.note(row, "status", value, "not changed: the lead is marked do-not-contact".into());
        }
    }
    if values.is_empty() {
        return Ok(Outcome::Unchanged);
    }
    let keys: Vec<String> = values.keys().cloned().collect();
    match tx.update_before_after("leads", id, values) {
        Ok((old, new)) => {
            // `new` as stored (the store normalises values): undo compares with these.
            let field = |row: &Row, k: &String| (k.clone(), row.get(k).cloned().unwrap_or(Value::Null));
            // Only the fields the import changed: one it wrote with the value already there has
            // nothing to undo.
            let changed: Vec<&String> = keys.iter().filter(|k| old.get(*k) != new.get(*k)).collect();
            let previous: Map<String, Value> = changed.iter().map(|k| field(&old, k)).collect();
            let written: Map<String, Value> = changed.iter().map(|k| field(&new, k)).collect();
            record_update(tx, import_id, id, previous, written)?;
            Ok(Outcome::Written)
        }
        Err(e) if e.is_refusal() => {
            refused(report, row, e);
            Ok(Outcome::Refused)
        }
        Err(e) => Err(e),
    }
}

/// Whether an earlier row of this import updated the lead.
fn updated_here(tx: &Tx<'_>, import_id: &str, lead_id: &str) -> outpost_core::Result<bool> {
    Ok(tx
        .conn()
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM import_changes WHERE import_id = ?1 AND lead_id = ?2)")?
        .query_row((import_id, lead_id), |r| r.get(0))?)
}

/// The file's header of the column mapped to `field`, for a note (the field's name if none is).
pub(crate) fn header_of(report: &Report, field: &str) -> String {
    let target = crate::mapping::Target::Field(field.into());
    report.mapping.iter().find(|m| m.target == target).map_or_else(|| field.to_string(), |m| m.header.clone())
}

/// An update's values as they apply to the lead `old`: what the lead has is added to, not replaced
/// — custom_fields and address key by key (the file's keys win), tags united (the lead's first, no
/// duplicates regardless of case), imported notes appended as a new paragraph unless the lead's
/// notes hold them already — and only what would change is left (empty: nothing to write).
fn onto_lead(mut patch: Row, old: &Row) -> Row {
    // Our own export imported back into the same database names the lead itself: its id and
    // creation time are not news about it (its assigned_to became the field: load::assign_owner).
    if let Some(Value::Object(custom)) = patch.get_mut("custom_fields") {
        let keys = [
            ("external_id", "id"),
            (crate::lead_values::OUTPOST_ID, "id"),
            ("original_created_at", "created_at"),
            (crate::lead_values::OUTPOST_CREATED_AT, "created_at"),
        ];
        for (key, own) in keys {
            // (An id as a spreadsheet may have changed it: in capitals, in braces.)
            let same = |v: &Value| match (v.as_str().and_then(outpost_core::ids::normalize), old.get(own)) {
                (Some(id), Some(Value::String(own))) => id == *own,
                _ => Some(v) == old.get(own),
            };
            if custom.get(key).is_some_and(same) {
                custom.remove(key);
            }
        }
    }
    // A new number does not keep the old one's extension (the file's own extension, if any, wins).
    let has_extension = |row: &Row| {
        row.get("custom_fields")
            .and_then(Value::as_object)
            .is_some_and(|c| c.contains_key(crate::lead_values::PHONE_EXTENSION))
    };
    let new_number = match (patch.get("phone").and_then(Value::as_str), old.get("phone").and_then(Value::as_str)) {
        (Some(new), Some(have)) => !same_number(new, have),
        (Some(_), None) => true,
        _ => false,
    };
    let stale_extension = new_number && has_extension(old) && !has_extension(&patch);
    for key in ["custom_fields", "address"] {
        if let (Some(Value::Object(new)), Some(Value::Object(have))) = (patch.get_mut(key), old.get(key)) {
            let file = std::mem::replace(new, have.clone());
            new.extend(file);
        }
    }
    if stale_extension {
        let mut custom = match patch.remove("custom_fields") {
            Some(Value::Object(merged)) => merged,
            _ => old.get("custom_fields").and_then(Value::as_object).cloned().unwrap_or_default(),
        };
        custom.remove(crate::lead_values::PHONE_EXTENSION);
        patch.insert("custom_fields".into(), Value::Object(custom));
    }
    if let (Some(Value::Array(new)), Some(Value::Array(have))) = (patch.get_mut("tags"), old.get("tags")) {
        let mut united = have.clone();
        for tag in std::mem::take(new) {
            let same = |t: &Value| match (t.as_str(), tag.as_str()) {
                (Some(a), Some(b)) => a.to_lowercase() == b.to_lowercase(),
                _ => *t == tag,
            };
            if !united.iter().any(same) {
                united.push(tag);
            }
        }
        *new = united;
    }
    if let (Some(Value::String(new)), Some(Value::String(have))) = (patch.get_mut("notes"), old.get("notes")) {
        if !have.trim().is_empty() {
            // Already there as a paragraph of its own (a re-import): not appended again.
            let there = holds_paragraphs(have, new);
            *new = if there { have.clone() } else { format!("{have}\n\n{new}") };
        }
    }
    // A company standing in from "Company Name for Emails" fills only a lead without one.
    let stand_in = patch.get("custom_fields").and_then(|c| c.get(crate::lead_values::COMPANY_ALT));
    let has_company = old.get("company").and_then(Value::as_str).is_some_and(|c| !c.trim().is_empty());
    if has_company && stand_in.is_some() && patch.get("company") == stand_in {
        patch.remove("company");
    }
    // Whose lead it is stays as the team decided; a file's owner assigns only a lead without one.
    if old.get("assigned_to").is_some_and(|a| !a.is_null()) {
        patch.remove("assigned_to");
    }
    // Where a lead came from does not change; a file may fill it in when the lead has none.
    // ("csv_import", what an import writes when its file names none, is no source.)
    let source = old.get("source").and_then(Value::as_str).map(str::trim);
    if source.is_some_and(|s| !s.is_empty() && s != crate::prepare::IMPORT_SOURCE) {
        patch.remove("source");
    }
    // The number the lead has, as the rep typed it ("(415) 555-0132"), is not news in E.164.
    if let (Some(Value::String(new)), Some(Value::String(have))) = (patch.get("phone"), old.get("phone")) {
        if same_number(new, have) {
            patch.remove("phone");
        }
    }
    patch.retain(|k, v| old.get(k).unwrap_or(&Value::Null) != v);
    patch
}

/// Whether `notes` holds `new`'s paragraphs one after another (a note of several paragraphs an
/// earlier import appended; compared paragraph by paragraph, so a sentence inside a paragraph is
/// not taken for the note).
fn holds_paragraphs(notes: &str, new: &str) -> bool {
    fn paragraphs(t: &str) -> Vec<&str> {
        t.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect()
    }
    let (have, new) = (paragraphs(notes), paragraphs(new));
    !new.is_empty() && have.windows(new.len()).any(|w| w == new.as_slice())
}

/// Whether two phones are one number written two ways: the same digits before any extension, but
/// for a country code or trunk zero one of them leaves out.
fn same_number(a: &str, b: &str) -> bool {
    use outpost_core::query::phone_digits;
    match (phone_digits(a), phone_digits(b)) {
        (Some(a), Some(b)) => a.ends_with(&b) || b.ends_with(&a),
        _ => false,
    }
}

/// Records what an update of `lead_id` found and wrote. Another row of the file may have updated
/// the lead already: undo puts back what was there before either (the values found first win) and
/// compares with what the import left last (the values written last win).
fn record_update(
    tx: &Tx<'_>,
    import_id: &str,
    lead_id: &str,
    previous: Map<String, Value>,
    written: Map<String, Value>,
) -> outpost_core::Result<()> {
    let (previous, written) = (Value::Object(previous), Value::Object(written));
    let added = tx
        .conn()
        .prepare_cached(
            "INSERT OR IGNORE INTO import_changes (import_id, lead_id, action, previous, written)
             VALUES (?1, ?2, 'updated', ?3, ?4)",
        )?
        .execute((import_id, lead_id, previous.to_string(), written.to_string()))?;
    if added == 1 {
        return Ok(());
    }
    let (first, last): (Option<String>, Option<String>) = tx
        .conn()
        .prepare_cached("SELECT previous, written FROM import_changes WHERE import_id = ?1 AND lead_id = ?2")?
        .query_row((import_id, lead_id), |r| Ok((r.get(0)?, r.get(1)?)))?;
    let object = |text: Option<String>| match text.and_then(|t| serde_json::from_str(&t).ok()) {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let (mut first, mut last) = (object(first), object(last));
    if let (Value::Object(previous), Value::Object(written)) = (previous, written) {
        for (k, v) in previous {
            first.entry(k).or_insert(v);
        }
        last.extend(written);
    }
    tx.conn()
        .prepare_cached("UPDATE import_changes SET previous = ?3, written = ?4 WHERE import_id = ?1 AND lead_id = ?2")?
        .execute((import_id, lead_id, Value::Object(first).to_string(), Value::Object(last).to_string()))?;
    Ok(())
}
