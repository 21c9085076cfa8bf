//! The one write path: every insert, update and delete of a synced table goes through [`Tx`], inside
//! one transaction, so validation, the seed rules and change capture can't be bypassed.

use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde_json::Value;

use crate::catalog::{Catalog, Table};
use crate::error::{Error, Result};
use crate::store::Identity;
use crate::values::{row_from_sql, to_sql, Row};
use crate::{ids, rules, time};

pub struct Tx<'a> {
    tx: Transaction<'a>,
    catalog: &'a Catalog,
    identity: &'a Identity,
    now: String,
    /// (table, id) of parents already found live in this transaction: an import names the same
    /// list, import and user on every row.
    verified: std::collections::HashSet<(String, String)>,
    /// Inside `as_import`: the rows are another system's history, not a rep's new entry.
    importing: bool,
    /// Inside `carrying_values`: values a lead already held, moved to another (a merge).
    carrying: bool,
    /// The member's role was found to allow writes (asked once per transaction).
    may_write: bool,
}

impl<'a> Tx<'a> {
    pub(crate) fn new(tx: Transaction<'a>, catalog: &'a Catalog, identity: &'a Identity) -> Tx<'a> {
        Tx {
            tx,
            catalog,
            identity,
            now: time::now(),
            verified: Default::default(),
            importing: false,
            carrying: false,
            may_write: false,
        }
    }

    pub(crate) fn commit(self) -> Result<()> {
        self.tx.commit().map_err(|e| constraint("transaction", e))
    }

    /// The server takes no writes from a viewer or from a member the organization removed: refused
    /// here, before they would queue up as rejections at the next sync.
    pub(crate) fn check_role(&mut self) -> Result<()> {
        if self.may_write {
            return Ok(());
        }
        match view_only(&self.tx, &self.identity.user_id)? {
            Some(why) => Err(Error::ViewOnly(why)),
            None => {
                self.may_write = true;
                Ok(())
            }
        }
    }

    /// Foreign keys are checked at commit (so pulls can arrive in any order); a rep's write gets a
    /// precise error up front instead.
    pub(crate) fn check_reference(&mut self, t: &Table, column: &str, value: &Sql) -> Result<()> {
        let (Some(parent), Sql::Text(id)) = (t.column(column).and_then(|c| c.references.as_deref()), value) else {
            return Ok(());
        };
        let key = (parent.to_string(), id.clone());
        if self.verified.contains(&key) {
            return Ok(());
        }
        self.check_parent(t, column, parent, id)?;
        self.verified.insert(key);
        Ok(())
    }

    pub(crate) fn check_parent(&self, t: &Table, column: &str, parent: &str, id: &str) -> Result<()> {
        let sql = format!("SELECT 1 FROM \"{parent}\" WHERE id = ?1 AND deleted_at IS NULL");
        if self.tx.prepare_cached(&sql)?.exists([id])? {
            Ok(())
        } else {
            Err(Error::invalid(&t.name, column, format!("no {} {id}", crate::error::thing(parent))))
        }
    }

    /// Fills in the row's organization and creator/user as this workspace's, refusing another
    /// organization or another maker.
    pub(crate) fn fill_owner(&self, t: &Table, values: &mut Row) -> Result<()> {
        if t.has_tenant() {
            match values.get("organization_id") {
                None | Some(Value::Null) => {
                    values.insert("organization_id".into(), self.identity.organization_id.clone().into());
                }
                Some(v) if v.as_str() == Some(self.identity.organization_id.as_str()) => {}
                Some(v) => {
                    return Err(Error::invalid(
                        &t.name,
                        "organization_id",
                        format!("{v} is not this workspace's organization"),
                    ))
                }
            }
        }
        for who in ["created_by", "user_id"] {
            if t.column(who).is_some() && values.get(who).is_none_or(Value::is_null) {
                values.insert(who.into(), self.identity.user_id.clone().into());
            }
        }
        // A teammate may own a row (user_id, assigned_to); its maker is whoever makes it here.
        match values.get("created_by") {
            Some(v) if v.as_str() != Some(self.identity.user_id.as_str()) => {
                Err(Error::invalid(&t.name, "created_by", format!("{v} is not you: a row is made by whoever makes it")))
            }
            _ => Ok(()),
        }
    }

    pub fn conn(&self) -> &Connection {
        &self.tx
    }

    pub fn identity(&self) -> &Identity {
        self.identity
    }

    pub fn catalog(&self) -> &'a Catalog {
        self.catalog
    }

    /// The transaction's timestamp: every row written in it gets the same one.
    pub fn now(&self) -> &str {
        &self.now
    }

    pub fn get(&self, table: &str, id: &str) -> Result<Option<Row>> {
        get(&self.tx, self.catalog.table(table)?, id)
    }

    /// Inserts a row and returns its id. Missing `id`, `organization_id`, `created_by` and `user_id`
    /// are filled in; timestamps are the store's.
    pub fn insert(&mut self, table: &str, mut values: Row) -> Result<String> {
        let t = self.catalog.table(table)?;
        if !t.writable || t.writable_columns.is_some() {
            return Err(Error::read_only(table, None));
        }
        self.check_role()?;
        let id = match values.remove("id") {
            None | Some(Value::Null) => ids::new_id(),
            Some(Value::String(s)) => {
                ids::normalize(&s).ok_or_else(|| Error::invalid(table, "id", format!("'{s}' is not a UUID")))?
            }
            Some(other) => return Err(Error::invalid(table, "id", format!("{other} is not a UUID"))),
        };
        self.fill_owner(t, &mut values)?;
        // A lead a rep adds by hand is theirs (as a CRM's "owner" defaults to its creator) unless
        // they say otherwise; an import's leads stay unassigned, a pool to hand out.
        if t.name == "leads" && !values.contains_key("assigned_to") {
            values.insert("assigned_to".into(), self.identity.user_id.clone().into());
        }
        values.retain(|_, v| !v.is_null());
        rules::normalize(t, &mut values);
        let mut cols = vec!["id".to_string(), "created_at".into(), "updated_at".into()];
        let mut args = vec![Sql::Text(id.clone()), Sql::Text(self.now.clone()), Sql::Text(self.now.clone())];
        for (name, value) in &values {
            let c = t.column(name).ok_or_else(|| unknown(table, name))?;
            // Both checked by fill_owner.
            if !matches!(name.as_str(), "organization_id" | "created_by") && !t.rep_may_write(name)
                || (set_by_imports_only(t, name) && !self.importing)
            {
                return Err(Error::read_only(table, Some(name)));
            }
            let v = to_sql(t, c, value)?;
            if name != "organization_id" {
                self.check_reference(t, name, &v)?;
            }
            cols.push(name.clone());
            args.push(v);
        }
        if let Some(missing) = t.columns.iter().find(|c| c.not_null && !c.has_default && !cols.contains(&c.name)) {
            return Err(Error::invalid(table, &missing.name, "is required"));
        }
        rules::check(self, t, &id, None, &values)?;
        let sql = format!(
            "INSERT INTO \"{table}\" ({}) VALUES ({})",
            cols.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "),
            vec!["?"; cols.len()].join(", ")
        );
        self.tx.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(args)).map_err(|e| constraint(table, e))?;
        Ok(id)
    }

    /// Changes the given columns of a live row; returns the row as stored.
    pub fn update(&mut self, table: &str, id: &str, patch: Row) -> Result<Row> {
        let t = self.catalog.table(table)?;
        self.update_before_after(table, id, patch)?;
        self.live(t, id)
    }

    /// [`Tx::update`] that returns the row as it was before and the changed columns as stored (the
    /// store normalises values), e.g. to undo the change later, instead of reading the row again.
    pub fn update_before_after(&mut self, table: &str, id: &str, mut patch: Row) -> Result<(Row, Row)> {
        let t = self.catalog.table(table)?;
        self.check_role()?;
        rules::normalize(t, &mut patch);
        let old = self.live(t, id)?;
        let mut sets = Vec::with_capacity(patch.len() + 1);
        let mut args = Vec::with_capacity(patch.len() + 2);
        for (name, value) in &patch {
            let c = t.column(name).ok_or_else(|| unknown(table, name))?;
            if !t.rep_may_write(name) || (set_by_imports_only(t, name) && !self.importing) {
                return Err(Error::read_only(table, Some(name)));
            }
            if value.is_null() && c.not_null {
                return Err(Error::invalid(table, name, "cannot be empty"));
            }
            let v = to_sql(t, c, value)?;
            self.check_reference(t, name, &v)?;
            sets.push(format!("\"{name}\" = ?"));
            args.push(v);
        }
        if sets.is_empty() {
            return Ok((old, Row::new()));
        }
        rules::check(self, t, id, Some(&old), &patch)?;
        sets.push("updated_at = ?".into());
        args.push(Sql::Text(self.now.clone()));
        args.push(Sql::Text(id.to_string()));
        let columns: Vec<&crate::catalog::Column> = patch.keys().filter_map(|k| t.column(k)).collect();
        let returning = columns.iter().map(|c| format!("\"{}\"", c.name)).collect::<Vec<_>>().join(", ");
        let sql = format!("UPDATE \"{table}\" SET {} WHERE id = ? RETURNING {returning}", sets.join(", "));
        let new = self
            .tx
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(args), |r| {
                let mut new = Row::new();
                for (i, c) in columns.iter().enumerate() {
                    new.insert(c.name.clone(), crate::values::from_sql(c, r.get_ref(i)?));
                }
                Ok(new)
            })
            .map_err(|e| constraint(table, e))?;
        let opted_out = |row: &Row| row.get("do_not_contact") == Some(&Value::Bool(true));
        if t.name == "leads" && opted_out(&new) && !opted_out(&old) {
            self.end_outreach(id)?;
        }
        Ok((old, new))
    }

    /// A person not to be contacted leaves the campaigns they are still going through: memberships
    /// pending or in progress end (soft-deleted, so it syncs); finished ones stay as history.
    /// Returns the ended memberships.
    pub fn end_outreach(&mut self, lead_id: &str) -> Result<Vec<String>> {
        let ids: Vec<String> = self
            .tx
            .prepare_cached(
                "SELECT id FROM campaign_leads WHERE lead_id = ?1 AND deleted_at IS NULL
                 AND status IN ('pending', 'in_progress') ORDER BY rowid",
            )?
            .query_map([lead_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in &ids {
            self.delete("campaign_leads", id)?;
        }
        Ok(ids)
    }

    /// Soft delete: the row stays, with `deleted_at` set, so the deletion syncs and can be undone.
    pub fn delete(&mut self, table: &str, id: &str) -> Result<()> {
        let t = self.catalog.table(table)?;
        if !t.writable || t.writable_columns.is_some() {
            return Err(Error::read_only(table, None));
        }
        self.check_role()?;
        self.live(t, id)?;
        self.tx
            .prepare_cached(&format!("UPDATE \"{table}\" SET deleted_at = ?1, updated_at = ?1 WHERE id = ?2"))?
            .execute((&self.now, id))?;
        Ok(())
    }

    /// Soft-deletes every live row whose `column` is `value` (e.g. the leads of one import);
    /// returns how many. The same as `delete` on each, without reading each row first. In
    /// statements of 10,000 rows: SQLite keeps what one statement changes in memory until it ends
    /// (a million leads in one statement peaked at 1.1 GB).
    pub fn delete_where(&mut self, table: &str, column: &str, value: &str) -> Result<usize> {
        self.delete_where_unless(table, column, value, "0")
    }

    /// [`Tx::delete_where`], except the rows for which `keep` holds: an SQL condition on the row
    /// (the table's columns; `"{table}".id` in a subquery), written by our code, never from input.
    pub fn delete_where_unless(&mut self, table: &str, column: &str, value: &str, keep: &str) -> Result<usize> {
        let column = self.bulk_column(table, column)?;
        let sql = format!(
            "UPDATE \"{table}\" SET deleted_at = ?3, updated_at = ?3 WHERE rowid IN
             (SELECT rowid FROM \"{table}\" WHERE \"{column}\" = ?1 AND rowid > ?2 AND deleted_at IS NULL AND NOT ({keep})
              ORDER BY rowid LIMIT 10000)
             RETURNING rowid"
        );
        self.in_steps(&sql, value)
    }

    /// Deletes outright the rows whose `column` is `value` (unless `keep` holds) that never left this
    /// computer: made here (version 0), queued as an insert that no push has read (`outbox.sent`,
    /// V20: one read may be on its way, or applied with its answer lost). The capture trigger forgets their
    /// outbox entries with them, so the server never hears of them — an import undone before a
    /// sync does not upload the file it takes back. Returns how many went.
    pub fn forget_unsent_where(&mut self, table: &str, column: &str, value: &str, keep: &str) -> Result<usize> {
        let column = self.bulk_column(table, column)?;
        let sql = format!(
            "DELETE FROM \"{table}\" WHERE rowid IN
             (SELECT \"{table}\".rowid FROM \"{table}\" JOIN outbox o ON o.table_name = '{table}'
                AND o.row_id = \"{table}\".id AND o.op = 'insert' AND o.sent = 0
              WHERE \"{table}\".\"{column}\" = ?1 AND \"{table}\".rowid > ?2
                AND \"{table}\".version = 0 AND \"{table}\".deleted_at IS NULL AND NOT ({keep})
              ORDER BY \"{table}\".rowid LIMIT 10000)
             RETURNING rowid"
        );
        self.in_steps(&sql, value)
    }

    /// The column a statement over many rows of `table` selects them by, once the rep may write
    /// the whole table.
    fn bulk_column(&mut self, table: &str, column: &str) -> Result<String> {
        let t = self.catalog.table(table)?;
        if !t.writable || t.writable_columns.is_some() {
            return Err(Error::read_only(table, None));
        }
        self.check_role()?;
        Ok(t.column(column).ok_or_else(|| unknown(table, column))?.name.clone())
    }

    /// Runs `sql` (?1 the value, ?2 the rowid to start after, ?3 the transaction's time if it uses one; 10,000 rows
    /// at a time, returning their rowids) until it changes nothing: SQLite keeps what one statement
    /// changes in memory until it ends. Each statement starts after the rows the last one changed,
    /// so none reads them again. Returns how many rows changed.
    fn in_steps(&mut self, sql: &str, value: &str) -> Result<usize> {
        let (mut total, mut after) = (0, i64::MIN);
        loop {
            let mut stmt = self.tx.prepare_cached(sql)?;
            // ?3, the time, only where the statement uses it (SQLite counts the parameters).
            let rowid = |r: &rusqlite::Row<'_>| r.get::<_, i64>(0);
            let changed: Vec<i64> = if stmt.parameter_count() == 3 {
                stmt.query_map((value, after, &self.now), rowid)?.collect::<rusqlite::Result<_>>()?
            } else {
                stmt.query_map((value, after), rowid)?.collect::<rusqlite::Result<_>>()?
            };
            match changed.iter().max() {
                None => return Ok(total),
                Some(last) => (total, after) = (total + changed.len(), *last),
            }
        }
    }

    /// Runs `f` as an import or its undo: the leads it changes are not recorded as someone's work
    /// (`lead_work`, which an undo reads to keep leads worked on since). The mark lasts as long as
    /// `f`, inside this transaction (a rollback takes it back too).
    pub fn as_import<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        let before: Option<String> =
            self.tx.query_row("SELECT origin FROM sync_capture WHERE id = 1", [], |r| r.get(0))?;
        self.tx.execute_batch("UPDATE sync_capture SET origin = 'import' WHERE id = 1;")?;
        let was = std::mem::replace(&mut self.importing, true);
        let out = f(self);
        self.importing = was;
        let reset = self.tx.execute("UPDATE sync_capture SET origin = ?1 WHERE id = 1", [before]);
        let out = out?;
        reset?;
        Ok(out)
    }

    /// Whether the writes are an import's (see `as_import`).
    pub fn importing(&self) -> bool {
        self.importing
    }

    /// Runs `f` writing values rows already held (a merge moves one lead's onto another): the
    /// checks made of a value as it is typed (a follow-up not in the past, a web address's form, a
    /// phone's digits, a lead that can be named) are not made again of a stored one. The rules
    /// that protect people (do-not-contact, one email per lead) still hold.
    pub fn carrying_values<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        let was = std::mem::replace(&mut self.carrying, true);
        let out = f(self);
        self.carrying = was;
        out
    }

    /// Whether the writes carry values back and forth between leads (a merge and its Undo).
    pub(crate) fn carrying(&self) -> bool {
        self.carrying
    }

    /// Whether the values written were not typed now: an import's, or carried (`carrying_values`).
    pub fn carried(&self) -> bool {
        self.importing || self.carrying
    }

    /// Undoes a soft delete.
    pub fn restore(&mut self, table: &str, id: &str) -> Result<Row> {
        let t = self.catalog.table(table)?;
        if !t.writable || t.writable_columns.is_some() {
            return Err(Error::read_only(table, None));
        }
        self.check_role()?;
        let row = get(&self.tx, t, id)?.ok_or_else(|| not_found(table, id))?;
        if row.get("deleted_at").is_some_and(|v| !v.is_null()) {
            // Checked again as if new: its email (unique among live leads), and a campaign
            // membership's lead (one not to be contacted goes back in no campaign).
            let mut values = row.clone();
            values.retain(|k, _| k == "email" || (t.name == "campaign_leads" && k == "lead_id"));
            rules::check(self, t, id, Some(&row), &values)?;
            self.tx.execute(
                &format!("UPDATE \"{table}\" SET deleted_at = NULL, updated_at = ?1 WHERE id = ?2"),
                (&self.now, id),
            )?;
        }
        self.live(t, id)
    }

    fn live(&self, t: &Table, id: &str) -> Result<Row> {
        match get(&self.tx, t, id)? {
            Some(row) if row.get("deleted_at").is_none_or(Value::is_null) => Ok(row),
            _ => Err(not_found(&t.name, id)),
        }
    }
}

pub(crate) fn get(conn: &Connection, t: &Table, id: &str) -> Result<Option<Row>> {
    Ok(conn.prepare_cached(&t.select_by_id)?.query_row([id], |r| row_from_sql(t, r)).optional()?)
}

fn unknown(table: &str, column: &str) -> Error {
    Error::UnknownColumn { table: table.to_string(), column: column.to_string() }
}

fn not_found(table: &str, id: &str) -> Error {
    Error::NotFound { table: table.to_string(), id: id.to_string() }
}

/// Constraint failures become an error naming the table and the rule in words, not a bare SQLite
/// code or message.
pub(crate) fn constraint(table: &str, e: rusqlite::Error) -> Error {
    match &e {
        rusqlite::Error::SqliteFailure(f, Some(msg)) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            Error::Constraint { table: table.to_string(), reason: in_words(msg) }
        }
        _ => e.into(),
    }
}

/// "CHECK constraint failed: current_score BETWEEN 0 AND 100" → "current_score must be between 0
/// and 100"; other rules are quoted as the schema states them.
fn in_words(msg: &str) -> String {
    if let Some(rule) = msg.strip_prefix("CHECK constraint failed: ") {
        let words: Vec<&str> = rule.split_whitespace().collect();
        return match words.as_slice() {
            [col, "BETWEEN", low, "AND", high] => format!("{col} must be between {low} and {high}"),
            [col, op @ (">=" | ">" | "<=" | "<"), limit] => format!("{col} must be {op} {limit}"),
            _ => rule_in_words(rule).unwrap_or_else(|| format!("a value breaks the rule {rule}")),
        };
    }
    if msg.starts_with("FOREIGN KEY constraint failed") {
        return "it refers to a row that does not exist".into();
    }
    if let Some(cols) = msg.strip_prefix("UNIQUE constraint failed: ") {
        return format!("another row already has this {cols}");
    }
    msg.to_string()
}

/// The schema's other CHECK forms (crates/core's migrations): a list of values, a JSON shape, a
/// number or a date kept as text, an id.
fn rule_in_words(rule: &str) -> Option<String> {
    let col: String = rule
        .trim_start_matches(|c: char| !c.is_ascii_alphabetic())
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    // json_valid(tags) AND json_type(tags) = 'array': the column is the function's argument.
    let col = match col.as_str() {
        "json_valid" | "length" => rule.split(['(', ')']).nth(1)?.trim().to_string(),
        _ => col,
    };
    if let Some(list) = rule.split_once(" IN (").and_then(|(_, l)| l.split_once(')')).map(|(l, _)| l) {
        let values: Vec<&str> = list.split(',').map(|v| v.trim().trim_matches('\'')).collect();
        return Some(format!("{col} must be one of {}", values.join(", ")));
    }
    if rule.contains("json_type(") {
        let shape = if rule.contains("'object'") {
            "an object, like {\"key\": \"value\"}"
        } else {
            "a list, like [\"a\", \"b\"]"
        };
        return Some(format!("{col} must be {shape}"));
    }
    if rule.starts_with("length(") {
        return Some(format!("{col} must be an id like 0193a6f0-5b1e-7c3d-9a2b-4c5d6e7f8a9b"));
    }
    if rule.contains("GLOB '*[0-9]*'") {
        let range =
            rule.split_once("AS REAL) BETWEEN ").map(|(_, r)| r.trim_end_matches(')').replace(" AND ", " and "));
        return Some(match range {
            Some(r) => format!("{col} must be a number between {r}"),
            None => format!("{col} must be a number, like 12500.50"),
        });
    }
    if rule.contains("GLOB '[0-9][0-9][0-9][0-9]-") {
        let like = if rule.contains("T[0-9]") {
            "a date and time, like 2027-01-15T09:00:00Z"
        } else {
            "a date, like 2027-01-15"
        };
        return Some(format!("{col} must be {like}"));
    }
    None
}

/// Why the member may only read, if so: a viewer, a profile the organization removed, or a member no
/// longer in this database's organization on the server. Without a profile (a database that never
/// signed in) everything is the rep's.
pub(crate) fn view_only(conn: &Connection, user_id: &str) -> Result<Option<String>> {
    let profile: Option<(String, bool, bool)> = conn
        .prepare_cached(
            "SELECT role, deleted_at IS NOT NULL,
                    organization_id IS NOT (SELECT value FROM local_settings WHERE key = 'organization_id')
             FROM profiles WHERE id = ?1",
        )?
        .query_row([user_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    Ok(match profile {
        Some((_, true, _)) => Some(
            "your profile was removed from this organization: its CRM can be read here but no longer changed".into(),
        ),
        Some((_, false, true)) => Some(
            "you are no longer a member of this organization on the server: nothing here can be changed (an admin \
             can add you again; moved to another organization, sign in again in a new database)"
                .into(),
        ),
        Some((role, false, false)) if role == "viewer" => Some(
            "your role in this organization is viewer: you can read its CRM but not change it (an admin can give \
             you a sales role)"
                .into(),
        ),
        _ => None,
    })
}

/// A lead's import is the import that made it (its batch sets it, or a retry of its refused insert
/// under `as_import`): a lead tied to an import by hand would go with that import's undo.
fn set_by_imports_only(t: &Table, column: &str) -> bool {
    t.name == "leads" && column == "import_id"
}

#[cfg(test)]
mod words {
    #[test]
    fn constraint_messages_read_as_rules() {
        for (sqlite, said) in [
            ("CHECK constraint failed: current_score BETWEEN 0 AND 100", "current_score must be between 0 and 100"),
            ("CHECK constraint failed: reply_count >= 0", "reply_count must be >= 0"),
            ("CHECK constraint failed: json_valid(tags) AND json_type(tags) = 'array'", "tags must be a list, like [\"a\", \"b\"]"),
            (
                "CHECK constraint failed: json_valid(metadata) AND json_type(metadata) = 'object'",
                "metadata must be an object, like {\"key\": \"value\"}",
            ),
            (
                "CHECK constraint failed: engagement_level IN ('unknown', 'low', 'medium')",
                "engagement_level must be one of unknown, low, medium",
            ),
            (
                "CHECK constraint failed: email_status IS NULL OR email_status IN ('replied', 'bounced')",
                "email_status must be one of replied, bounced",
            ),
            (
                "CHECK constraint failed: predicted_value IS NULL OR (predicted_value GLOB '*[0-9]*' AND predicted_value NOT GLOB '*[^0-9.-]*')",
                "predicted_value must be a number, like 12500.50",
            ),
            (
                "CHECK constraint failed: score_confidence IS NULL OR (score_confidence GLOB '*[0-9]*' AND CAST(score_confidence AS REAL) BETWEEN 0 AND 1)",
                "score_confidence must be a number between 0 and 1",
            ),
            ("CHECK constraint failed: length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'", "id must be an id like 0193a6f0-5b1e-7c3d-9a2b-4c5d6e7f8a9b"),
            ("CHECK constraint failed: start_date IS NULL OR (start_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')", "start_date must be a date, like 2027-01-15"),
            ("CHECK constraint failed: a = b OR c = d", "a value breaks the rule a = b OR c = d"),
            ("FOREIGN KEY constraint failed", "it refers to a row that does not exist"),
            ("UNIQUE constraint failed: leads.email", "another row already has this leads.email"),
        ] {
            assert_eq!(super::in_words(sqlite), said);
        }
    }
}
