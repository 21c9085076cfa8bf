//! A first sync's load: the lead indexes, search and tags are set aside while pages go in and made
//! once at the end; a crash between the two restores them at the next open.

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::sync_local::capture;
use crate::Store;

/// The first sync of a large account: maintaining every lead index, the FTS5 index and the tag index
/// row by row costs ~100 µs per lead; building them once at the end costs a fraction. The dropped
/// definitions are saved in the same transaction that drops them, and `Store::open` restores them
/// if the process died in between, so a crash can cost time but never an index.
impl Store {
    /// Unique indexes stay if the table has rows: a pulled row may take a key a local row holds,
    /// and that clash is found by the index. Into an empty table every row comes from the server,
    /// whose own unique indexes (the same keys, case folded at least as much) held them apart, so
    /// those are dropped too: keeping the email index during the load cost two thirds of writing a
    /// row. A key a local edit took meanwhile is settled when the index is made again, by a pulled
    /// row giving the key up, so only keys a row can give up (a nullable column: the email, not a
    /// list's name) are dropped.
    pub fn begin_bulk_load(&mut self) -> Result<()> {
        if self.setting("bulk_load")?.is_some() {
            return Ok(());
        }
        let catalog = self.catalog().clone();
        let tables: Vec<String> = catalog.tables().iter().map(|t| t.name.clone()).collect();
        let tx = self.begin()?;
        if crate::store::setting_in(&tx, "bulk_load")?.is_some() {
            // Another connection began one meanwhile.
            return Ok(());
        }
        let mut saved: Vec<(String, String, String)> = Vec::new();
        {
            let mut stmt = tx.prepare(
                // The record of a person's edits stays: a first sync spans many transactions, and
                // an edit between its pages must count (its check costs little with capture off).
                "SELECT type, name, sql, tbl_name FROM sqlite_master WHERE type IN ('index', 'trigger')
                 AND sql IS NOT NULL AND name NOT LIKE 'capture\\_%' ESCAPE '\\' AND name <> 'lead_work_update'",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
            })?;
            for row in rows {
                let (kind, name, sql, on) = row?;
                if !tables.contains(&on) {
                    continue;
                }
                if sql.starts_with("CREATE UNIQUE") {
                    let settleable = catalog
                        .table(&on)
                        .is_ok_and(|t| t.unique_keys.iter().any(|k| k.name == name && !t.blankable(k).is_empty()));
                    let empty = settleable
                        && tx.query_row(&format!("SELECT NOT EXISTS (SELECT 1 FROM \"{on}\")"), [], |r| r.get(0))?;
                    if !empty {
                        continue;
                    }
                }
                saved.push((kind, name, sql));
            }
        }
        for (kind, name, _) in &saved {
            tx.execute_batch(&format!("DROP {} \"{name}\";", kind.to_uppercase()))?;
        }
        let sqls: Vec<&str> = saved.iter().map(|(_, _, sql)| sql.as_str()).collect();
        let json = serde_json::to_string(&sqls).map_err(|e| Error::Migration(e.to_string()))?;
        tx.execute("INSERT INTO local_settings (key, value) VALUES ('bulk_load', ?1)", [json])?;
        tx.commit()?;
        Ok(())
    }

    pub fn end_bulk_load(&mut self) -> Result<()> {
        if self.setting("bulk_load")?.is_none() {
            return Ok(());
        }
        let catalog = self.catalog().clone();
        let tx = self.begin()?;
        // Read again under the write lock: another connection (an import, the app) may have ended
        // it meanwhile, and doing it twice would rebuild everything twice.
        let Some(json) = crate::store::setting_in(&tx, "bulk_load")? else {
            return Ok(());
        };
        let sqls: Vec<String> = serde_json::from_str(&json).map_err(|e| Error::Migration(e.to_string()))?;
        crate::store::index_build_cache(&tx)?;
        // Unique indexes first: settling a clash must not fire the restored triggers.
        let (unique, rest): (Vec<&String>, Vec<&String>) =
            sqls.iter().partition(|sql| sql.starts_with("CREATE UNIQUE INDEX "));
        let mut unmade: Vec<&String> = Vec::new();
        for sql in unique {
            let create = sql.replacen("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1);
            let clash = |r: &rusqlite::Result<()>| matches!(r, Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation);
            let waiting = waiting_index(sql);
            let mut made = tx.execute_batch(&create);
            if clash(&made) {
                tx.execute_batch("SAVEPOINT settle")?;
                set_aside_clashes(&tx, &catalog, sql)?;
                made = tx.execute_batch(&create);
                if clash(&made) {
                    // Setting rows aside only helps if the index can then be made.
                    tx.execute_batch("ROLLBACK TO settle")?;
                }
                tx.execute_batch("RELEASE settle")?;
            }
            if clash(&made) {
                // Rows the rep changed hold the same key twice (no pulled row to give it up): the
                // rest of the load is restored and this index waits, tried again at every sync,
                // rather than every sync failing here. The key is still checked on writes, through
                // a plain index on the same key meanwhile.
                tracing::error!(index = %sql, "rows with local changes share a unique key; the index waits");
                if let Some((create_waiting, _)) = &waiting {
                    tx.execute_batch(create_waiting)?;
                }
                unmade.push(sql);
                continue;
            }
            made?;
            if let Some((_, drop_waiting)) = &waiting {
                tx.execute_batch(drop_waiting)?;
            }
        }
        // Only a unique index that waits from an earlier end: nothing else to rebuild.
        let load = !rest.is_empty();
        for sql in rest {
            // A migration since the drop may have made it again (with a new definition).
            let sql = sql.replacen("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1);
            tx.execute_batch(&sql.replacen("CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS ", 1))?;
        }
        if load {
            crate::store::fill_search(&tx, "INSERT INTO leads_fts (leads_fts) VALUES ('rebuild')", [])?;
            // Statistics from a sample of each index, as `PRAGMA optimize` takes them: a full ANALYZE
            // of a million leads took 1.2 s of the first sync's end.
            tx.execute_batch(
                "DELETE FROM lead_tags;
                 INSERT OR IGNORE INTO lead_tags (tag, lead_id) SELECT j.value, l.id FROM leads l, json_each(l.tags) j WHERE l.tags <> '[]';
                 PRAGMA analysis_limit = 1000; ANALYZE; PRAGMA analysis_limit = 0;",
            )?;
        }
        tx.execute("DELETE FROM local_settings WHERE key = 'bulk_load'", [])?;
        if !unmade.is_empty() {
            let json = serde_json::to_string(&unmade).map_err(|e| Error::Migration(e.to_string()))?;
            tx.execute("INSERT INTO local_settings (key, value) VALUES ('bulk_load', ?1)", [json])?;
        }
        tx.commit()?;
        // The rebuild has landed; an old connection is slower, not wrong.
        if load {
            if let Err(e) = self.reconnect() {
                tracing::warn!(error = %e, "could not reopen the database after rebuilding its indexes");
            }
        }
        Ok(())
    }
}

/// For a unique index that has to wait: (create, drop) of a plain index on the same key, so
/// duplicate checks stay lookups.
fn waiting_index(unique_sql: &str) -> Option<(String, String)> {
    let (name, _) = crate::catalog::unique_index_name_and_table(unique_sql)?;
    // The definition after the index's name (as written: perhaps quoted): "ON table (...) WHERE ...".
    let token = unique_sql.split_whitespace().nth(3)?;
    let at = unique_sql.find(" INDEX ")? + " INDEX ".len();
    let rest = unique_sql[at..].trim_start().strip_prefix(token)?;
    let waiting = format!("{name}_waiting");
    Some((format!("CREATE INDEX IF NOT EXISTS \"{waiting}\" {rest}"), format!("DROP INDEX IF EXISTS \"{waiting}\"")))
}

/// A unique index could not be made again after a bulk load: a local edit during the load took a
/// key a pulled row also has. Each row of a clash whose key is the server's (no pending change to
/// the key's columns) gives up the key's columns locally and is fetched again after the pull, which
/// settles the clash as for any pulled row (the rep's pending insert or key edit becomes a rejected
/// change with the reason). Rows whose pending change set the key keep it.
fn set_aside_clashes(conn: &Connection, catalog: &crate::catalog::Catalog, sql: &str) -> Result<()> {
    let found = crate::catalog::unique_index_name_and_table(sql).and_then(|(name, on)| {
        let t = catalog.table(&on).ok()?;
        Some((t, t.unique_keys.iter().find(|k| k.name == name)?.clone()))
    });
    let Some((t, key)) = found else {
        return Err(Error::Migration(format!("cannot settle the rows that clash on an index: {sql}")));
    };
    let key_columns = t.key_columns(&key);
    let keys = key.exprs.join(", ");
    let filter = key.filter.as_deref().map(|f| format!("AND ({f})")).unwrap_or_default();
    let clashing: Vec<String> = conn
        .prepare(&format!(
            "SELECT id FROM \"{0}\" WHERE ({keys}) IN (SELECT {keys} FROM \"{0}\" WHERE true {filter} GROUP BY {keys} HAVING count(*) > 1) {filter}",
            t.name
        ))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let blank: Vec<String> = t.blankable(&key).iter().map(|c| format!("\"{}\" = NULL", c.name)).collect();
    capture(conn, false)?;
    let mut set_aside = 0;
    for id in &clashing {
        // Still the server's key: no pending change, or one that kept none of the key's columns.
        let servers = crate::sync_apply::kept_columns(conn, t, id)?
            .is_none_or(|kept| !key_columns.iter().any(|c| kept.contains(&c.name)));
        if servers && !blank.is_empty() {
            conn.execute(&format!("UPDATE \"{}\" SET {} WHERE id = ?1", t.name, blank.join(", ")), [id])?;
            conn.execute("INSERT OR IGNORE INTO sync_refetch (table_name, row_id) VALUES (?1, ?2)", [&t.name, id])?;
            set_aside += 1;
        }
    }
    tracing::warn!(table = %t.name, rows = set_aside, index = %key.name, "pulled rows clash with local edits; fetching them again");
    capture(conn, true)
}
