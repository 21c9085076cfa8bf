//! Change capture: triggers on every synced table record each local insert, update and delete in
//! the outbox, in the writing transaction. They are generated from the catalog when the database is
//! opened, so a new column is captured as soon as its migration has run.

use rusqlite::Connection;

use crate::catalog::{Catalog, Table};
use crate::error::Result;

const ENABLED: &str = "(SELECT capture FROM sync_capture WHERE id = 1) = 1";
const NEXT_SEQ: &str = "UPDATE sync_capture SET next_seq = next_seq + 1 WHERE id = 1;";
const SEQ: &str = "(SELECT next_seq - 1 FROM sync_capture WHERE id = 1)";
const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// (Re)creates the capture triggers whose definition differs from the generated one.
pub fn install(conn: &Connection, catalog: &Catalog) -> Result<()> {
    for (name, sql) in stale(conn, catalog)? {
        conn.execute_batch(&format!("DROP TRIGGER IF EXISTS {name};\n{sql};"))?;
    }
    Ok(())
}

/// Whether every capture trigger is as [`install`] would make it (opening then writes nothing).
pub fn installed(conn: &Connection, catalog: &Catalog) -> Result<bool> {
    Ok(stale(conn, catalog)?.is_empty())
}

/// The capture triggers missing or different from what this version makes, with their SQL.
fn stale(conn: &Connection, catalog: &Catalog) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for table in catalog.tables() {
        for (name, sql) in triggers(table) {
            let existing: Option<String> = conn
                .query_row("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1", [&name], |r| r.get(0))
                .ok();
            if existing.as_deref() != Some(sql.as_str()) {
                out.push((name, sql));
            }
        }
    }
    Ok(out)
}

fn triggers(table: &Table) -> Vec<(String, String)> {
    let t = &table.name;
    let captured: Vec<&str> = table.captured_columns().map(|c| c.name.as_str()).collect();
    let changed_when = captured.iter().map(|c| format!("OLD.{c} IS NOT NEW.{c}")).collect::<Vec<_>>().join(" OR ");
    let changed_fields = captured
        .iter()
        .map(|c| format!("SELECT '{c}', OLD.{c} WHERE OLD.{c} IS NOT NEW.{c}"))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let entry = format!("(SELECT id FROM outbox WHERE table_name = '{t}' AND row_id = NEW.id)");
    let changed_names = captured
        .iter()
        .map(|c| format!("(column_name = '{c}' AND OLD.{c} IS NOT NEW.{c})"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let open_conflicts = format!("table_name = '{t}' AND resolved_at IS NULL");

    let insert = format!(
        "CREATE TRIGGER capture_{t}_insert AFTER INSERT ON {t} WHEN {ENABLED} BEGIN {NEXT_SEQ} \
         INSERT INTO outbox (seq, edit_seq, table_name, row_id, op, base_version, created_at) \
         VALUES ({SEQ}, {SEQ}, '{t}', NEW.id, 'insert', NULL, {NOW}) \
         ON CONFLICT (table_name, row_id) DO UPDATE SET seq = excluded.seq, edit_seq = excluded.edit_seq, \
         op = CASE outbox.op WHEN 'delete' THEN 'update' ELSE outbox.op END; END"
    );
    // The first edit's base values win (INSERT OR IGNORE): they are what the server last had.
    let update = format!(
        "CREATE TRIGGER capture_{t}_update AFTER UPDATE ON {t} WHEN {ENABLED} AND ({changed_when}) BEGIN {NEXT_SEQ} \
         INSERT INTO outbox (seq, edit_seq, table_name, row_id, op, base_version, created_at) \
         VALUES ({SEQ}, {SEQ}, '{t}', NEW.id, 'update', OLD.version, {NOW}) \
         ON CONFLICT (table_name, row_id) DO UPDATE SET seq = excluded.seq, edit_seq = excluded.edit_seq; \
         INSERT OR IGNORE INTO outbox_fields (outbox_id, column_name, base_value) \
         SELECT {entry}, f.* FROM ({changed_fields}) AS f \
         WHERE (SELECT op FROM outbox WHERE id = {entry}) = 'update'; END"
    );
    // A conflict the rep settled by editing the field again, or whose row left this computer
    // (deleted on the server, out of the rep's reach: sync removes it, capture off), is no longer
    // open: the inbox must not offer a choice that no longer exists. Its own trigger, guarded by a
    // lookup of the row's open conflicts: an UPDATE statement run for every edit made bulk edits
    // (an undo) ~20% slower; the lookup costs ~3%.
    let settle = format!(
        "CREATE TRIGGER capture_{t}_settle AFTER UPDATE ON {t} WHEN {ENABLED} \
         AND EXISTS (SELECT 1 FROM sync_conflicts WHERE {open_conflicts} AND row_id = NEW.id) BEGIN \
         UPDATE sync_conflicts SET resolved_at = {NOW}, resolution = 'mine' \
         WHERE {open_conflicts} AND row_id = NEW.id AND ({changed_names}); END"
    );
    let gone = format!(
        "CREATE TRIGGER capture_{t}_gone AFTER DELETE ON {t} \
         WHEN EXISTS (SELECT 1 FROM sync_conflicts WHERE {open_conflicts} AND row_id = OLD.id) BEGIN \
         UPDATE sync_conflicts SET resolved_at = {NOW}, resolution = 'theirs' WHERE {open_conflicts} AND row_id = OLD.id; END"
    );
    // A row created and deleted before any push never existed for the server: forget it.
    let old_entry = format!("(SELECT op FROM outbox WHERE table_name = '{t}' AND row_id = OLD.id)");
    let delete = format!(
        "CREATE TRIGGER capture_{t}_delete AFTER DELETE ON {t} WHEN {ENABLED} BEGIN {NEXT_SEQ} \
         DELETE FROM outbox WHERE table_name = '{t}' AND row_id = OLD.id AND op = 'insert'; \
         INSERT INTO outbox (seq, edit_seq, table_name, row_id, op, base_version, created_at) \
         SELECT {SEQ}, {SEQ}, '{t}', OLD.id, 'delete', OLD.version, {NOW} WHERE OLD.version > 0 OR {old_entry} IS NOT NULL \
         ON CONFLICT (table_name, row_id) DO UPDATE SET seq = excluded.seq, edit_seq = excluded.edit_seq, op = 'delete'; END"
    );
    vec![
        (format!("capture_{t}_insert"), insert),
        (format!("capture_{t}_update"), update),
        (format!("capture_{t}_delete"), delete),
        (format!("capture_{t}_settle"), settle),
        (format!("capture_{t}_gone"), gone),
    ]
}
