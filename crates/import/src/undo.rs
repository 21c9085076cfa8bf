//! Taking an import back: the leads it created go (unless someone worked on them since), the fields
//! it updated get their earlier values back (where they still hold what it wrote).

use outpost_core::{Store, Tx};
use rusqlite::OptionalExtension;
use serde_json::{json, Map, Value};

use crate::error::Result;
use crate::import::obj;

/// A lead the import created that someone worked on since: edited here, or by a teammate (or the
/// rep on another computer) and synced here (`lead_work`, kept by the store: not the changes of an
/// import or an undo), or changed by a later import that is not undone (its values would be lost
/// with the lead), or given anything a person made that points at it — a note, task, call, logged
/// or received email, web form message, appointment, document, campaign place… (every table a rep
/// writes with a reference to leads, read from the schema, so a table added later counts too).
/// Undo keeps those. `?1` is the import being undone: its own changes hold nothing.
fn worked_on_since_sql(catalog: &outpost_core::catalog::Catalog) -> String {
    let mut sql = String::from(
        "EXISTS (SELECT 1 FROM lead_work w WHERE w.lead_id = \"leads\".id)
    OR EXISTS (SELECT 1 FROM import_changes ic JOIN imports i ON i.id = ic.import_id
        WHERE ic.lead_id = \"leads\".id AND ic.action = 'updated' AND ic.import_id IS NOT \"leads\".import_id
        AND ic.import_id IS NOT ?1 AND i.status <> 'reverted' AND (ic.written IS NULL OR ic.written <> '{}'))",
    );
    // Rows only the server writes (scores, AI insights, scheduled follow-ups: every lead may get
    // them) are nobody's work here, nor a journey event no person made.
    for t in catalog.tables().into_iter().filter(|t| t.writable && t.writable_columns.is_none() && t.name != "leads") {
        let mut live = if t.column("deleted_at").is_some() { " AND x.deleted_at IS NULL" } else { "" }.to_string();
        if t.name == "journey_events" && t.column("user_id").is_some() {
            live.push_str(" AND x.user_id IS NOT NULL");
        }
        for c in t.columns.iter().filter(|c| c.references.as_deref() == Some("leads")) {
            sql.push_str(&format!(
                "\n    OR EXISTS (SELECT 1 FROM \"{}\" x WHERE x.\"{}\" = \"leads\".id{live})",
                t.name, c.name
            ));
        }
    }
    sql
}

/// How many of the leads an import created someone worked on since: undo keeps those (for the
/// question before an undo).
pub fn worked_on_since(store: &Store, import_id: &str) -> outpost_core::Result<u64> {
    let n: i64 = store.conn().query_row(
        &format!(
            "SELECT count(*) FROM leads WHERE import_id = ?1 AND deleted_at IS NULL AND ({})",
            worked_on_since_sql(store.catalog())
        ),
        [import_id],
        |r| r.get(0),
    )?;
    Ok(n.max(0) as u64)
}

/// How many of the leads an import created are still here (not deleted or merged away since):
/// those an undo can take away (for the question before an undo).
pub fn created_still_here(store: &Store, import_id: &str) -> outpost_core::Result<u64> {
    let n: i64 = store.conn().query_row(
        "SELECT count(*) FROM leads WHERE import_id = ?1 AND deleted_at IS NULL",
        [import_id],
        |r| r.get(0),
    )?;
    Ok(n.max(0) as u64)
}

/// Leads an earlier import made, which that import's undo kept only because this import updated
/// them since: undoing this one takes them away too (for the question before an undo).
pub fn orphaned_by_undo(store: &Store, import_id: &str) -> outpost_core::Result<u64> {
    Ok(orphans(store.conn(), store.catalog(), import_id)?.len() as u64)
}

fn orphans(
    conn: &rusqlite::Connection,
    catalog: &outpost_core::catalog::Catalog,
    import_id: &str,
) -> outpost_core::Result<Vec<String>> {
    Ok(conn
        .prepare(&format!(
            "SELECT id FROM leads WHERE deleted_at IS NULL
             AND id IN (SELECT lead_id FROM import_changes WHERE import_id = ?1 AND action = 'updated')
             AND import_id IN (SELECT id FROM imports WHERE status = 'reverted')
             AND NOT ({})",
            worked_on_since_sql(catalog)
        ))?
        .query_map([import_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// What undoing an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Undone {
    /// Leads the import created, now deleted.
    pub removed: u64,
    /// Leads the import updated that got (some of) their previous values back.
    pub restored: u64,
    /// Leads changed since the import (by the rep, a teammate, a sync) that keep those changes: ones
    /// it created and someone worked on since stay; ones it updated keep the fields changed again.
    pub kept: u64,
    /// Leads the import opted out that stay opted out (the store never clears an opt-out): not a
    /// change made since, said apart.
    pub opt_outs_kept: u64,
}

/// Takes an import back: its new leads are deleted (soft, so it syncs; outright if no sync sent
/// them yet) unless someone worked on them since, updated leads get their previous values — each
/// field only while it still holds what the import wrote — so later work is not undone with it;
/// the import is marked reverted.
pub fn undo(store: &mut Store, import_id: &str) -> Result<Undone> {
    Ok(store.write(|tx| tx.as_import(|tx| undo_in(tx, import_id)))?)
}

fn undo_in(tx: &mut Tx<'_>, import_id: &str) -> outpost_core::Result<Undone> {
    let found: Option<(String, Option<String>)> = tx
        .conn()
        .query_row("SELECT status, created_by FROM imports WHERE id = ?1", [import_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let by = match found {
        None => return Err(outpost_core::Error::NotFound { table: "imports".into(), id: import_id.into() }),
        // (Said without the table and column an Invalid error names: there is nothing to fix.)
        Some((status, _)) if status == "reverted" => {
            return Err(outpost_core::Error::AlreadyDone("this import was already undone".into()))
        }
        Some((_, by)) => by,
    };
    refuse_unless_theirs_to_undo(tx, by.as_deref())?;
    // Leads the import created carry its id: removed in one statement, except those worked on
    // since. Updated leads are listed with their previous values; a lead this import created is
    // skipped there (a kept one must not be partly reverted; imports before import_id was relied on
    // also listed the created ones).
    let worked_on_since = worked_on_since_sql(tx.catalog());
    // Those no sync has sent yet go altogether: a file taken back before it synced never leaves
    // this computer. The rest are deleted for the team.
    let forgotten = tx.forget_unsent_where("leads", "import_id", import_id, &worked_on_since)? as u64;
    let removed = forgotten + tx.delete_where_unless("leads", "import_id", import_id, &worked_on_since)? as u64;
    let kept_created: i64 = tx.conn().query_row(
        "SELECT count(*) FROM leads WHERE import_id = ?1 AND deleted_at IS NULL",
        [import_id],
        |r| r.get(0),
    )?;
    let changes: Vec<(String, Option<String>, Option<String>)> = tx
        .conn()
        .prepare(
            "SELECT lead_id, previous, written FROM import_changes WHERE import_id = ?1 AND action = 'updated'
             AND lead_id NOT IN (SELECT id FROM leads WHERE import_id = ?1)",
        )?
        .query_map([import_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    // A lead an earlier import made, which that import's undo kept only because this import had
    // updated it since: with this one taken back too, nothing holds it any more. It goes, and
    // gets no values back first.
    let orphans = orphans(tx.conn(), tx.catalog(), import_id)?;
    let (mut restored, mut kept, mut opt_outs_kept) = (0, kept_created as u64, 0);
    // Most undos have no undone import before them: no lead needs asking.
    let any_undone_before: bool = tx.conn().query_row(
        "SELECT EXISTS (SELECT 1 FROM imports WHERE status = 'reverted' AND rowid < (SELECT rowid FROM imports WHERE id = ?1))",
        [import_id],
        |r| r.get(0),
    )?;
    let going: std::collections::HashSet<&str> = orphans.iter().map(String::as_str).collect();
    for (lead, previous, written) in changes.into_iter().filter(|(lead, ..)| !going.contains(lead.as_str())) {
        let Some(now) = tx.get("leads", &lead)?.filter(|r| r["deleted_at"].is_null()) else { continue };
        let Some(Value::Object(previous)) = previous.and_then(|p| serde_json::from_str(&p).ok()) else { continue };
        // Imports recorded before `written` existed: every field goes back, as it did then.
        let written = written.and_then(|w| serde_json::from_str::<Map<String, Value>>(&w).ok());
        let undone = if any_undone_before { undone_before(tx, import_id, &lead)? } else { Vec::new() };
        let mut back = Map::new();
        let mut changed_since = false;
        for (field, before) in previous {
            // An opt-out the import brought stays: the store never clears one (nor the server).
            if field == "do_not_contact" && before != Value::Bool(true) && now.get(&field) == Some(&Value::Bool(true)) {
                opt_outs_kept += 1;
                continue;
            }
            let Some(w) = &written else {
                back.insert(field, before);
                continue;
            };
            let (wrote, now) = (w.get(&field).unwrap_or(&Value::Null), now.get(&field).unwrap_or(&Value::Null));
            if now == wrote {
                let before = value_before_undone(&undone, &field, before);
                back.insert(field, before);
                continue;
            }
            // Changed since the import: a merged value gives back only the import's own part.
            changed_since = true;
            if let Some(v) = take_back_part(&field, &before, wrote, now) {
                back.insert(field, v);
            }
        }
        if changed_since {
            kept += 1;
        }
        if !back.is_empty() {
            tx.update("leads", &lead, back)?;
            restored += 1;
        }
    }
    tx.update("imports", import_id, obj(json!({"status": "reverted"})))?;
    for id in &orphans {
        // As the import's own leads: one no sync sent goes outright.
        if tx.forget_unsent_where("leads", "id", id, "0")? == 0 {
            tx.delete("leads", id)?;
        }
    }
    settle_list(tx, import_id)?;
    Ok(Undone { removed: removed + orphans.len() as u64, restored, kept, opt_outs_kept })
}

/// A teammate's import (synced here) is theirs to take back, or a manager's or an admin's: a rep
/// undoing it from their own computer deleted the leads for the whole team, without a word.
fn refuse_unless_theirs_to_undo(tx: &Tx<'_>, by: Option<&str>) -> outpost_core::Result<()> {
    let me = tx.identity().user_id.clone();
    let Some(by) = by.filter(|by| *by != me) else { return Ok(()) };
    let role: Option<String> =
        tx.conn().query_row("SELECT role FROM profiles WHERE id = ?1", [&me], |r| r.get(0)).optional()?.flatten();
    if matches!(role.as_deref(), Some("manager" | "admin")) {
        return Ok(());
    }
    let who: Option<String> = tx
        .conn()
        .query_row("SELECT coalesce(full_name, email) FROM profiles WHERE id = ?1", [by], |r| r.get(0))
        .optional()?
        .flatten();
    Err(outpost_core::Error::ViewOnly(format!(
        "this import is {}'s: only they, a manager or an admin can undo it",
        who.unwrap_or_else(|| "a teammate".into())
    )))
}

/// The import's list after its leads went: counted again, and gone if the import made it (in its
/// own transaction, so at its very moment) and no lead is left in it — an undo leaves no empty
/// "Trade show" list behind. A list that was there before, or that has leads since, stays.
fn settle_list(tx: &mut Tx<'_>, import_id: &str) -> outpost_core::Result<()> {
    let list: Option<(String, bool, i64)> = tx
        .conn()
        .query_row(
            "SELECT l.id, l.created_at = i.created_at AND l.source = 'csv_import',
                    (SELECT count(*) FROM leads WHERE list_id = l.id AND deleted_at IS NULL)
             FROM imports i JOIN lead_lists l ON l.id = i.list_id AND l.deleted_at IS NULL WHERE i.id = ?1",
            [import_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((list, made_by_import, leads)) = list else { return Ok(()) };
    if made_by_import && leads == 0 {
        return tx.delete("lead_lists", &list);
    }
    // The server keeps its own count (a column the laptop does not send), as the import set it.
    tx.conn().execute("UPDATE lead_lists SET total_contacts = ?2 WHERE id = ?1", (&list, leads))?;
    Ok(())
}

/// An import's record of one lead: (previous, written) by field.
type Change = (Map<String, Value>, Map<String, Value>);

/// What earlier imports, undone already, changed on `lead`, newest first: (previous, written) by
/// field. Undone out of order (the older first), an older import's values stayed where a newer one
/// had written over them, and the newer one's record of what was there before holds them.
fn undone_before(tx: &Tx<'_>, import_id: &str, lead: &str) -> outpost_core::Result<Vec<Change>> {
    let object = |text: Option<String>| match text.and_then(|t| serde_json::from_str(&t).ok()) {
        Some(Value::Object(m)) => Some(m),
        _ => None,
    };
    let rows: Vec<(Option<String>, Option<String>)> = tx
        .conn()
        .prepare_cached(
            "SELECT ic.previous, ic.written FROM import_changes ic JOIN imports i ON i.id = ic.import_id
             WHERE ic.lead_id = ?2 AND ic.action = 'updated' AND i.status = 'reverted'
               AND i.rowid < (SELECT rowid FROM imports WHERE id = ?1)
             ORDER BY i.rowid DESC",
        )?
        .query_map((import_id, lead), |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows.into_iter().filter_map(|(p, w)| Some((object(p)?, object(w)?))).collect())
}

/// The value to put back in `field`: `before`, unless an undone earlier import wrote it, then what
/// was there before that one (and so on back).
fn value_before_undone(undone: &[Change], field: &str, before: Value) -> Value {
    undone.iter().fold(before, |v, (previous, written)| match written.get(field) {
        Some(w) if *w == v => previous.get(field).cloned().unwrap_or(Value::Null),
        _ => v,
    })
}

/// What is left of `now` once the part an update import merged in (`wrote`, from `before`) is taken
/// out, where the field was changed again since: the keys of an object the import set that still
/// hold its values go back to theirs (or away), tags it added go, a paragraph of notes it appended
/// goes. None: nothing of the import's is left, or the field is not a merged one (a plain value
/// changed since stays as it is).
fn take_back_part(field: &str, before: &Value, wrote: &Value, now: &Value) -> Option<Value> {
    let back = match (wrote, now) {
        (Value::Object(wrote), Value::Object(now)) => {
            let before = before.as_object();
            let mut back = now.clone();
            for (key, value) in wrote {
                let had = before.and_then(|b| b.get(key));
                if had != Some(value) && now.get(key) == Some(value) {
                    match had {
                        Some(v) => back.insert(key.clone(), v.clone()),
                        None => back.remove(key),
                    };
                }
            }
            // A key the import took out (an old number's extension) comes back while still out.
            for (key, had) in before.into_iter().flatten() {
                if !wrote.contains_key(key) && !now.contains_key(key) {
                    back.insert(key.clone(), had.clone());
                }
            }
            Value::Object(back)
        }
        (Value::Array(wrote), Value::Array(now)) => {
            let before = before.as_array().map(Vec::as_slice).unwrap_or_default();
            let added: Vec<&Value> = wrote.iter().filter(|t| !before.contains(t)).collect();
            Value::Array(now.iter().filter(|t| !added.contains(t)).cloned().collect())
        }
        // Only notes are appended to (`onto_lead`); another text changed since is the rep's.
        (Value::String(wrote), Value::String(now)) if field == "notes" => {
            let appended = before.as_str().and_then(|b| wrote.strip_prefix(b)).filter(|a| a.starts_with("\n\n"))?;
            Value::String(now.replacen(appended, "", 1))
        }
        _ => return None,
    };
    (back != *now).then_some(back)
}

#[cfg(test)]
mod tests {
    /// The worked-on check runs once per lead an undo takes back (a million for a big import): each
    /// of its lookups must be an index search, never a scan.
    #[test]
    fn the_worked_on_check_searches_by_lead() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store = outpost_core::Store::open(dir.path().join("t.db")).unwrap_or_else(|e| panic!("{e}"));
        let worked_on = super::worked_on_since_sql(store.catalog());
        assert!(worked_on.contains("\"conversations\" x") && worked_on.contains("\"activities\" x"), "{worked_on}");
        let sql = format!("EXPLAIN QUERY PLAN SELECT count(*) FROM leads WHERE import_id = ?1 AND ({worked_on})");
        let mut stmt = store.conn().prepare(&sql).unwrap_or_else(|e| panic!("{e}"));
        let plan: Vec<String> = stmt
            .query_map(["x"], |r| r.get::<_, String>(3))
            .unwrap_or_else(|e| panic!("{e}"))
            .map(|r| r.unwrap_or_default())
            .collect();
        assert!(plan.iter().all(|step| !step.starts_with("SCAN")), "{plan:#?}");
    }
}
