//! Many new rows into one table (an import). The table and the values every row shares (its
//! organization, creator, import, list) are checked once; each row's own values are converted and
//! checked by the seed rules; rows are written ROWS_PER_STATEMENT at a time by one prepared
//! statement, which is what makes this fast: SQLite sets up a statement's CHECK constraints (their
//! IN lists become temporary tables) and cursors once per execution, not once per row.
//! Email uniqueness is left to the unique index instead of a lookup per row: the caller dedupes
//! first (the importer does, against the database and within the file), and a clash still fails.
//! CHECK constraints: SQLite evaluates every one of a table's on every inserted row (~5 µs a lead,
//! 45 columns), though most columns of a batch's rows are the store's own values, the shared ones
//! or left to their defaults. Those are checked once when the batch starts; then SQLite skips the
//! table's CHECKs while the batch lives and each written group is checked, by SQLite and with the
//! same expressions, for just the columns its rows set. A group that breaks one is taken back and
//! written row by row with the CHECKs on, so each refusal names its rule as before. (SQLite's
//! switch covers the connection: while a batch lives, other writes — the capture, search and tag
//! triggers' included — skip their CHECKs too; those triggers write values of their own.)

use std::collections::HashMap;

use rusqlite::types::Value as Sql;
use rusqlite::Connection;

use crate::catalog::Table;
use crate::error::{Error, Result};
use crate::rows::{constraint, Tx};
use crate::values::{into_sql, to_sql, Row};
use crate::{ids, rules};

const ROWS_PER_STATEMENT: usize = 32;

pub struct Batch<'t, 'a> {
    tx: &'t Tx<'a>,
    table: &'t Table,
    /// The shared values, by column position.
    shared: Vec<(usize, Sql)>,
    /// Column name → position, and whether a rep may write it (looked up for every value).
    positions: HashMap<String, (usize, bool)>,
    /// Positions of id, created_at and updated_at, which the store fills in.
    system: [usize; 3],
    now: Sql,
    /// Queued rows: the caller's tag and one value per column (NULL takes the column's default).
    queued: Vec<(u64, Vec<Sql>)>,
    /// Queued rows the database refused, with the reason.
    refused: Vec<(u64, Error)>,
    one_row: String,
    many_rows: String,
    /// SQLite skips this table's CHECKs while the batch lives (see the module's comment).
    deferred: bool,
    /// Caller-set columns with a CHECK: position, expression, and whether it must be checked even
    /// when the rows leave the column out (its default or NULL breaks it).
    checked: Vec<(usize, String, bool)>,
    /// The statement finding a group's rows that break a CHECK, by the columns it checks.
    verify: HashMap<Vec<usize>, String>,
}

impl<'a> Tx<'a> {
    /// Starts a batch of inserts into `table`; `shared` holds the values every row gets (as
    /// `Tx::insert` would fill them in: organization_id and created_by/user_id need not be given).
    pub fn batch(&mut self, table: &str, mut shared: Row) -> Result<Batch<'_, 'a>> {
        let t = self.catalog().table(table)?;
        if !t.writable || t.writable_columns.is_some() {
            return Err(Error::read_only(table, None));
        }
        self.check_role()?;
        self.fill_owner(t, &mut shared)?;
        let mut bound = Vec::new();
        for (name, value) in shared.iter().filter(|(_, v)| !v.is_null()) {
            let (i, c) = position(t, name)?;
            if !matches!(name.as_str(), "organization_id" | "created_by") && !t.rep_may_write(name) {
                return Err(Error::read_only(table, Some(name)));
            }
            let v = to_sql(t, c, value)?;
            if name != "organization_id" {
                self.check_reference(t, name, &v)?;
            }
            bound.push((i, v));
        }
        let names: Vec<String> = t.columns.iter().map(|c| format!("\"{}\"", c.name)).collect();
        // A column the row leaves out gets its default, as if it were not named.
        let slots: Vec<String> = t
            .columns
            .iter()
            .map(|c| c.default.as_ref().map_or_else(|| "?".to_string(), |d| format!("coalesce(?, {d})")))
            .collect();
        let tuple = format!("({})", slots.join(", "));
        let insert = format!("INSERT INTO \"{}\" ({}) VALUES ", t.name, names.join(", "));
        let positions =
            t.columns.iter().enumerate().map(|(i, c)| (c.name.clone(), (i, t.rep_may_write(&c.name)))).collect();
        let this: &Tx<'a> = self;
        let now = Sql::Text(this.now().to_string());
        let system = [position(t, "id")?.0, position(t, "created_at")?.0, position(t, "updated_at")?.0];
        let mut fixed = bound.clone();
        fixed.extend([(system[0], Sql::Text(ids::new_id())), (system[1], now.clone()), (system[2], now.clone())]);
        let checked = deferrable(this.conn(), t, &fixed)?;
        if checked.is_some() {
            crate::store::check_constraints(this.conn(), false)?;
        }
        Ok(Batch {
            tx: this,
            table: t,
            shared: bound,
            positions,
            system,
            now,
            queued: Vec::with_capacity(ROWS_PER_STATEMENT),
            refused: Vec::new(),
            one_row: format!("{insert}{tuple}"),
            many_rows: format!("{insert}{}", vec![tuple; ROWS_PER_STATEMENT].join(", ")),
            deferred: checked.is_some(),
            checked: checked.unwrap_or_default(),
            verify: HashMap::new(),
        })
    }
}

impl<'a> Batch<'_, 'a> {
    /// The transaction, for reads between inserts. Rows still queued are not visible: `flush` first.
    pub fn tx(&self) -> &Tx<'a> {
        self.tx
    }

    /// Checks one row (its own values; the shared ones are added) and queues it under `tag`.
    /// The inner result is the row's: its id, or why it was refused (nothing queued). The outer
    /// error is the database's (a write of the queue failed): the transaction must end. Refusals
    /// found when the queue is written come back from `finish` by tag. Unlike `Tx::insert`, a row
    /// cannot bring its own id or organization.
    pub fn insert(&mut self, values: Row, tag: u64) -> Result<std::result::Result<String, Error>> {
        let id = ids::new_id();
        let row = match self.check(values, &id) {
            Ok(row) => row,
            Err(e) if e.is_refusal() => return Ok(Err(e)),
            Err(e) => return Err(e),
        };
        self.queued.push((tag, row));
        if self.queued.len() == ROWS_PER_STATEMENT {
            self.flush()?;
        }
        Ok(Ok(id))
    }

    /// The row's values by column position, checked.
    fn check(&self, values: Row, id: &str) -> Result<Vec<Sql>> {
        let t = self.table;
        rules::check_batched(self.tx, t, id, &values)?;
        let mut row = vec![Sql::Null; t.columns.len()];
        for (name, value) in values.into_iter().filter(|(_, v)| !v.is_null()) {
            let Some(&(i, writable)) = self.positions.get(&name) else {
                return Err(Error::UnknownColumn { table: t.name.clone(), column: name });
            };
            if !writable {
                return Err(Error::read_only(&t.name, Some(&name)));
            }
            let c = &t.columns[i];
            let v = into_sql(t, c, value)?;
            if let (Some(parent), Sql::Text(key)) = (&c.references, &v) {
                self.tx.check_parent(t, &name, parent, key)?;
            }
            row[i] = v;
        }
        for (i, v) in &self.shared {
            if row[*i] != Sql::Null {
                return Err(Error::invalid(&t.name, &t.columns[*i].name, "is shared by the whole batch"));
            }
            row[*i] = v.clone();
        }
        let [id_at, created_at, updated_at] = self.system;
        row[id_at] = Sql::Text(id.to_string());
        row[created_at] = self.now.clone();
        row[updated_at] = self.now.clone();
        let missing = t.columns.iter().zip(&row).find(|(c, v)| c.not_null && c.default.is_none() && **v == Sql::Null);
        if let Some((c, _)) = missing {
            return Err(Error::invalid(&t.name, &c.name, "is required"));
        }
        Ok(row)
    }

    /// Writes the queued rows.
    pub fn flush(&mut self) -> Result<()> {
        let queued = std::mem::take(&mut self.queued);
        if queued.len() == ROWS_PER_STATEMENT {
            let all = queued.iter().flat_map(|(_, row)| row.iter());
            match self.tx.conn().prepare_cached(&self.many_rows)?.execute(rusqlite::params_from_iter(all)) {
                Ok(_) if self.kept_the_rules(&queued)? => return Ok(()),
                Ok(_) => return self.with_reasons(queued),
                // A failed statement takes back only its own rows: find the one(s) refused.
                Err(e) if is_constraint(&e) => {}
                Err(e) => return Err(e.into()),
            }
        }
        // A short group (the last, or one the caller must read back now) or one a unique key
        // refused: a statement per row, the CHECKs still checked per group (switching them on and
        // off makes SQLite prepare every statement again, so only a broken group does).
        let mut landed = Vec::with_capacity(queued.len());
        for (tag, row) in queued {
            if self.write_one(tag, &row)? {
                landed.push((tag, row));
            }
        }
        // A refused statement takes no rowid: the rows that landed are the table's last.
        if landed.is_empty() || self.kept_the_rules(&landed)? {
            return Ok(());
        }
        self.with_reasons(landed)
    }

    /// Whether the group just written keeps the CHECKs of the columns its rows set; if not, its
    /// rows are taken back (they are the table's last: rowids count up within a statement).
    fn kept_the_rules(&mut self, group: &[(u64, Vec<Sql>)]) -> Result<bool> {
        if !self.deferred {
            return Ok(true);
        }
        let set: Vec<usize> = self
            .checked
            .iter()
            .filter(|(i, _, always)| *always || group.iter().any(|(_, row)| row[*i] != Sql::Null))
            .map(|(i, _, _)| *i)
            .collect();
        if set.is_empty() {
            return Ok(true);
        }
        let last = self.tx.conn().last_insert_rowid();
        let first = last - group.len() as i64 + 1;
        let (t, checked) = (&self.table.name, &self.checked);
        let sql = self.verify.entry(set).or_insert_with_key(|set| {
            let broken: Vec<String> = checked
                .iter()
                .filter(|(i, _, _)| set.contains(i))
                .map(|(_, e, _)| format!("NOT ifnull(({e}), 1)"))
                .collect();
            format!("SELECT EXISTS (SELECT 1 FROM \"{t}\" WHERE rowid BETWEEN ?1 AND ?2 AND ({}))", broken.join(" OR "))
        });
        let broken: bool = self.tx.conn().prepare_cached(sql)?.query_row([first, last], |r| r.get(0))?;
        if broken {
            self.tx.conn().execute(&format!("DELETE FROM \"{t}\" WHERE rowid BETWEEN ?1 AND ?2"), [first, last])?;
        }
        Ok(!broken)
    }

    /// Writes `rows`, which broke a CHECK as a group and were taken back, one at a time with the
    /// CHECKs on: each refusal keeps SQLite's reason.
    fn with_reasons(&mut self, rows: Vec<(u64, Vec<Sql>)>) -> Result<()> {
        self.check_constraints(true)?;
        for (tag, row) in rows {
            self.write_one(tag, &row)?;
        }
        self.check_constraints(false)
    }

    /// Writes one row by itself; a refusal is kept with its reason. Whether it landed.
    fn write_one(&mut self, tag: u64, row: &[Sql]) -> Result<bool> {
        match self.tx.conn().prepare_cached(&self.one_row)?.execute(rusqlite::params_from_iter(row)) {
            Ok(_) => Ok(true),
            Err(e) if is_constraint(&e) => {
                self.refused.push((tag, constraint(&self.table.name, e)));
                Ok(false)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Turns SQLite's CHECKs on (`on`) or back off, if this batch defers them.
    fn check_constraints(&self, on: bool) -> Result<()> {
        if self.deferred {
            crate::store::check_constraints(self.tx.conn(), on)?;
        }
        Ok(())
    }

    /// Writes what is queued; returns the rows the database refused (by tag) with the reason.
    pub fn finish(mut self) -> Result<Vec<(u64, Error)>> {
        self.flush()?;
        self.check_constraints(true)?;
        self.deferred = false;
        Ok(std::mem::take(&mut self.refused))
    }
}

impl Drop for Batch<'_, '_> {
    /// A batch given up (an error, a cancelled import) leaves the connection checking again.
    fn drop(&mut self) {
        if let Err(e) = self.check_constraints(true) {
            tracing::warn!(error = %e, "could not turn CHECK constraints back on");
        }
    }
}

/// The caller-set columns' CHECKs if the batch can defer them: the table has no constraint over
/// several columns and the values fixed for the batch (`fixed`: shared, and samples of the
/// store's own id and timestamps) keep theirs. None: SQLite checks every row as usual.
fn deferrable(conn: &Connection, t: &Table, fixed: &[(usize, Sql)]) -> Result<Option<Vec<(usize, String, bool)>>> {
    if !t.checks.complete || !t.checks.table.is_empty() {
        return Ok(None);
    }
    let mut checked = Vec::new();
    for (i, c) in t.columns.iter().enumerate() {
        let Some(expr) = t.checks.columns.get(&c.name) else { continue };
        match fixed.iter().find(|(at, _)| *at == i) {
            Some((_, v)) => {
                if !keeps(conn, &c.name, expr, "?1", std::slice::from_ref(v))? {
                    return Ok(None);
                }
            }
            // A row that leaves the column out gets its default (or NULL).
            None => {
                let always = !keeps(conn, &c.name, expr, c.default.as_deref().unwrap_or("NULL"), &[])?;
                checked.push((i, expr.clone(), always));
            }
        }
    }
    Ok(Some(checked))
}

/// Whether `value` (SQL) keeps `column`'s CHECK, as SQLite judges it (NULL is no violation). An
/// expression that is not about its column alone counts as broken: it is then checked per row.
fn keeps(conn: &Connection, column: &str, expr: &str, value: &str, params: &[Sql]) -> Result<bool> {
    let sql = format!("SELECT NOT ifnull(({expr}), 1) FROM (SELECT {value} AS \"{column}\")");
    match conn.query_row(&sql, rusqlite::params_from_iter(params), |r| r.get::<_, bool>(0)) {
        Ok(broken) => Ok(!broken),
        Err(rusqlite::Error::SqliteFailure(_, _)) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

fn is_constraint(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation)
}

fn position<'t>(t: &'t Table, name: &str) -> Result<(usize, &'t crate::catalog::Column)> {
    t.columns
        .iter()
        .enumerate()
        .find(|(_, c)| c.name == name)
        .ok_or_else(|| Error::UnknownColumn { table: t.name.clone(), column: name.to_string() })
}
