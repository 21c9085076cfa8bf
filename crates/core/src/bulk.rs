//! Loading many rows into one table inside a single transaction: per-row maintenance of secondary
//! indexes, lead search, tags and change capture is suspended while rows go in, then done once for
//! the loaded rows before the transaction commits. Everything, including the dropped indexes, is
//! part of the transaction: a crash or a cancel rolls it all back.

use crate::error::Result;
use crate::rows::Tx;

/// What `begin_bulk` set aside, to be restored by `finish_bulk`.
pub struct Bulk {
    table: String,
    restore: Vec<String>,
}

/// Indexes a bulk load keeps while it writes: one it looks rows up by (an import's rows without an
/// email are matched by their LinkedIn profile, V19; dropped, each lookup read the whole table),
/// and one no loaded row enters (deleted leads only, V27; rebuilt, it cost a read of the table).
const KEPT_INDEXES: [&str; 2] = ["leads_linkedin_profile", "leads_deleted_at"];

impl Tx<'_> {
    /// Unique indexes stay (they enforce rules and serve duplicate checks), as do `KEPT_INDEXES`;
    /// the rest are rebuilt.
    pub fn begin_bulk(&mut self, table: &str) -> Result<Bulk> {
        self.catalog().table(table)?;
        let saved: Vec<(String, String, String)> = self
            .conn()
            .prepare(&format!(
                "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ?1 AND sql IS NOT NULL
                 AND ((type = 'index' AND sql NOT LIKE 'CREATE UNIQUE%' AND name NOT IN ({}))
                   OR (type = 'trigger' AND name NOT LIKE 'capture\\_%' ESCAPE '\\'))",
                KEPT_INDEXES.iter().map(|i| format!("'{i}'")).collect::<Vec<_>>().join(", ")
            ))?
            .query_map([table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (kind, name, _) in &saved {
            self.conn().execute_batch(&format!("DROP {} \"{name}\";", kind.to_uppercase()))?;
        }
        self.conn().execute_batch("UPDATE sync_capture SET capture = 0 WHERE id = 1;")?;
        Ok(Bulk { table: table.to_string(), restore: saved.into_iter().map(|(_, _, sql)| sql).collect() })
    }

    /// Restores what `begin_bulk` set aside and catches up on the rows whose `marker_column` is
    /// `marker` (e.g. leads.import_id): outbox entries, and for leads their search and tag entries.
    /// `step` hears each of the three steps (outbox, indexes, search) as it finishes and can stop
    /// the load by returning false (an Interrupted error: the caller's transaction rolls back).
    pub fn finish_bulk(
        &mut self,
        bulk: Bulk,
        marker_column: &str,
        marker: &str,
        step: &mut dyn FnMut(usize) -> bool,
    ) -> Result<()> {
        let mut done =
            |n: usize| if step(n) { Ok(()) } else { Err(crate::Error::Io(std::io::ErrorKind::Interrupted.into())) };
        let t = self.catalog().table(&bulk.table)?.name.clone();
        let c = self.catalog().table(&t)?.column(marker_column).map(|c| c.name.clone()).unwrap_or_default();
        self.conn().execute_batch("UPDATE sync_capture SET capture = 1 WHERE id = 1;")?;
        let next: i64 = self.conn().query_row("SELECT next_seq FROM sync_capture WHERE id = 1", [], |r| r.get(0))?;
        self.conn().execute(
            &format!(
                "INSERT INTO outbox (seq, edit_seq, table_name, row_id, op, base_version, created_at)
                 SELECT n, n, '{t}', id, 'insert', NULL, ?2
                 FROM (SELECT ?1 + row_number() OVER (ORDER BY rowid) - 1 AS n, id FROM \"{t}\" WHERE \"{c}\" = ?3)
                 WHERE true -- (so SQLite parses ON CONFLICT as the upsert, not a join constraint)
                 ON CONFLICT (table_name, row_id) DO NOTHING"
            ),
            (next, self.now(), marker),
        )?;
        // Past every number given, including those of rows skipped as already in the outbox.
        self.conn().execute(
            "UPDATE sync_capture SET next_seq = max(next_seq, (SELECT coalesce(max(seq), 0) + 1 FROM outbox)) WHERE id = 1",
            [],
        )?;
        done(1)?;
        crate::store::index_build_cache(self.conn())?;
        for sql in &bulk.restore {
            self.conn().execute_batch(sql)?;
        }
        done(2)?;
        if t == "leads" {
            crate::store::fill_search(
                self.conn(),
                &format!(
                    "INSERT INTO leads_fts (rowid, first_name, last_name, email, company, notes, job_title)
                     SELECT rowid, first_name, last_name, email, company, notes, job_title FROM leads WHERE \"{c}\" = ?1"
                ),
                [marker],
            )?;
            self.conn().execute(
                &format!(
                    "INSERT OR IGNORE INTO lead_tags (tag, lead_id)
                     SELECT j.value, l.id FROM leads l, json_each(l.tags) j WHERE l.\"{c}\" = ?1 AND l.tags <> '[]'"
                ),
                [marker],
            )?;
        }
        done(3)
    }
}

impl crate::Store {
    /// Runs a long load into one transaction with a page cache of `mib` MiB, big enough to keep the
    /// indexes being filled (e.g. a million emails) in memory instead of spilling them to the WAL and
    /// reading them back row by row; memory-mapped reads are off meanwhile, so resident memory stays
    /// bounded by that cache. The usual settings come back afterwards.
    pub fn with_load_cache<T>(&mut self, mib: i64, f: impl FnOnce(&mut crate::Store) -> T) -> T {
        self.set_load_cache(Some(mib));
        let out = f(self);
        self.set_load_cache(None);
        out
    }

    /// The page cache of [`Store::with_load_cache`] for a load spread over many transactions (a
    /// first sync, page by page); None goes back to the everyday settings.
    pub fn set_load_cache(&mut self, mib: Option<i64>) {
        let (cache_kib, mmap, temp) = match mib {
            Some(mib) => (mib * 1024, 0, "FILE"),
            None => (crate::store::CACHE_KIB, crate::store::MMAP_BYTES, "MEMORY"),
        };
        let sql = format!("PRAGMA cache_size = -{cache_kib}; PRAGMA mmap_size = {mmap}; PRAGMA temp_store = {temp};");
        if let Err(e) = self.conn().execute_batch(&sql) {
            tracing::warn!(error = %e, "could not change the page cache");
        }
    }
}
