//! The synced tables and their columns, read from the migrated database itself (schema is data):
//! `synced_tables` says which tables sync and what the laptop may write; `pragma table_info` and
//! the tables' CHECK constraints say each column's kind.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::values::select_list;

/// How a column's value is represented in JSON and stored in SQLite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// RFC 3339 UTC text; input with any offset is normalised.
    Timestamp,
    Integer,
    Real,
    /// INTEGER 0/1 in SQLite, true/false in JSON.
    Bool,
    /// JSON text in SQLite (`json_valid` CHECK), a JSON value in the API.
    Json,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
    pub not_null: bool,
    pub has_default: bool,
    /// The default's SQL expression, as declared.
    pub default: Option<String>,
    /// The table this column's foreign key points at (always its `id`).
    pub references: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub push_order: i64,
    pub writable: bool,
    /// None: every column; Some: only these.
    pub writable_columns: Option<Vec<String>>,
    pub server_columns: Vec<String>,
    pub columns: Vec<Column>,
    /// The table's unique indexes besides the primary key (e.g. one email per organization).
    pub unique_keys: Vec<UniqueKey>,
    /// `SELECT <every column> FROM <table> WHERE id = ?1`, made once: building it for every read
    /// of a row cost a third of a re-import's time.
    pub(crate) select_by_id: String,
    /// Its CHECK constraints, as declared.
    pub(crate) checks: crate::checks::Checks,
}

/// A unique index as SQL fragments over the table's unqualified column names, so a row's key can be
/// computed from bound values and matched against the table with the same text.
#[derive(Debug, Clone, PartialEq)]
pub struct UniqueKey {
    pub name: String,
    pub exprs: Vec<String>,
    /// The partial index's WHERE clause.
    pub filter: Option<String>,
}

/// Columns the store maintains itself; never written through the API.
pub const SYSTEM_COLUMNS: [&str; 5] = ["id", "created_at", "updated_at", "deleted_at", "version"];

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The columns of `key` a row can give up (set to NULL) to step out of the key: nullable and
    /// not the tenant. A key without any cannot be stepped out of (e.g. a list's name).
    pub(crate) fn blankable<'t>(&'t self, key: &UniqueKey) -> Vec<&'t Column> {
        self.key_columns(key).into_iter().filter(|c| !c.not_null && c.name != "organization_id").collect()
    }

    /// The columns the expressions of `key` mention.
    pub(crate) fn key_columns<'t>(&'t self, key: &UniqueKey) -> Vec<&'t Column> {
        self.columns.iter().filter(|c| key.exprs.iter().any(|e| mentions(e, &c.name))).collect()
    }

    pub fn has_tenant(&self) -> bool {
        self.column("organization_id").is_some()
    }

    /// May a rep write this column of an existing row through the store?
    pub fn rep_may_write(&self, column: &str) -> bool {
        // Who made a row is whoever made it (the store fills it in; the server refuses a change).
        if !self.writable || SYSTEM_COLUMNS.contains(&column) || matches!(column, "organization_id" | "created_by") {
            return false;
        }
        if self.server_columns.iter().any(|c| c == column) {
            return false;
        }
        match &self.writable_columns {
            None => true,
            Some(list) => list.iter().any(|c| c == column),
        }
    }

    /// Columns whose changes are captured and pushed.
    pub fn captured_columns(&self) -> impl Iterator<Item = &Column> {
        self.columns.iter().filter(|c| {
            !matches!(c.name.as_str(), "id" | "updated_at" | "version") && !self.server_columns.contains(&c.name)
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    tables: HashMap<String, Table>,
}

impl Catalog {
    pub fn load(conn: &Connection) -> Result<Catalog> {
        let mut stmt = conn.prepare(
            "SELECT s.table_name, s.push_order, s.writable, s.writable_columns, s.server_columns, m.sql
             FROM synced_tables s JOIN sqlite_master m ON m.type = 'table' AND m.name = s.table_name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut tables = HashMap::new();
        for row in rows {
            let (name, push_order, writable, writable_columns, server_columns, sql) = row?;
            let writable_columns = writable_columns.map(|s| parse_list(&name, &s)).transpose()?;
            let server_columns = parse_list(&name, &server_columns)?;
            let columns = read_columns(conn, &name, &sql)?;
            let unique_keys = read_unique_keys(conn, &name)?;
            let mut table = Table {
                name: name.clone(),
                push_order,
                writable,
                writable_columns,
                server_columns,
                columns,
                unique_keys,
                select_by_id: String::new(),
                checks: crate::checks::parse(&sql),
            };
            table.select_by_id = format!("SELECT {} FROM \"{name}\" WHERE id = ?1", select_list(&table));
            tables.insert(name, table);
        }
        Ok(Catalog { tables })
    }

    pub fn table(&self, name: &str) -> Result<&Table> {
        self.tables.get(name).ok_or_else(|| Error::UnknownTable(name.to_string()))
    }

    /// Tables in push order: parents before children.
    pub fn tables(&self) -> Vec<&Table> {
        let mut all: Vec<&Table> = self.tables.values().collect();
        all.sort_by_key(|t| t.push_order);
        all
    }
}

fn parse_list(table: &str, json: &str) -> Result<Vec<String>> {
    serde_json::from_str(json)
        .map_err(|e| Error::Migration(format!("synced_tables entry for {table} is not a JSON list: {e}")))
}

fn read_columns(conn: &Connection, table: &str, create_sql: &str) -> Result<Vec<Column>> {
    let checks: String = create_sql.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    let mut stmt =
        conn.prepare(&format!("SELECT name, type, \"notnull\", dflt_value FROM pragma_table_info('{table}')"))?;
    let cols = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?, r.get::<_, Option<String>>(3)?))
    })?;
    let mut fks = conn.prepare(&format!("SELECT \"from\", \"table\" FROM pragma_foreign_key_list('{table}')"))?;
    let fks: HashMap<String, String> =
        fks.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for col in cols {
        let (name, decl, not_null, default) = col?;
        let kind = column_kind(&name, &decl, &checks);
        let references = fks.get(&name).cloned();
        out.push(Column { name, kind, not_null, has_default: default.is_some(), default, references });
    }
    Ok(out)
}

fn read_unique_keys(conn: &Connection, table: &str) -> Result<Vec<UniqueKey>> {
    let mut stmt = conn.prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql LIKE 'CREATE UNIQUE INDEX%'",
    )?;
    let rows = stmt.query_map([table], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut found = rows.collect::<rusqlite::Result<Vec<(String, String)>>>()?;
    found.extend(set_aside_unique_indexes(conn, table)?);
    let mut keys = Vec::new();
    for (name, sql) in found {
        keys.push(
            parse_unique_index(&name, &sql)
                .ok_or_else(|| Error::Migration(format!("cannot read the definition of unique index {name}")))?,
        );
    }
    Ok(keys)
}

/// Unique indexes of `table` that a first sync's bulk load dropped until it ends (saved in
/// local_settings): the key still holds for the rows, and clash handling must know it.
fn set_aside_unique_indexes(conn: &Connection, table: &str) -> Result<Vec<(String, String)>> {
    // (A database made before local_settings existed has no bulk load either.)
    let saved = crate::store::setting_in(conn, "bulk_load").unwrap_or(None);
    let sqls: Vec<String> = saved.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default();
    Ok(sqls
        .into_iter()
        .filter_map(|sql| {
            let (name, on) = unique_index_name_and_table(&sql)?;
            (on == table).then_some((name, sql))
        })
        .collect())
}

/// `CREATE UNIQUE INDEX name ON table (...)` → (name, table), quotes removed.
pub(crate) fn unique_index_name_and_table(sql: &str) -> Option<(String, String)> {
    let words: Vec<&str> = sql.split_whitespace().take(6).collect();
    match words.as_slice() {
        ["CREATE", "UNIQUE", "INDEX", name, "ON", on, ..] => {
            let on = on.split('(').next().unwrap_or(on);
            Some((name.trim_matches('"').to_string(), on.trim_matches('"').to_string()))
        }
        _ => None,
    }
}

/// `CREATE UNIQUE INDEX n ON t (e1, e2) [WHERE cond]` → the expressions and the condition.
fn parse_unique_index(name: &str, sql: &str) -> Option<UniqueKey> {
    let open = sql.find('(')?;
    let (mut depth, mut start, mut exprs, mut close) = (0, open + 1, Vec::new(), None);
    for (i, ch) in sql.char_indices().skip(open) {
        match ch {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    exprs.push(sql[start..i].trim().to_string());
                    close = Some(i);
                    break;
                }
            }
            ',' if depth == 1 => {
                exprs.push(sql[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    let rest = sql[close? + 1..].trim();
    let filter = match rest.get(..5) {
        Some(w) if w.eq_ignore_ascii_case("where") => Some(rest[5..].trim().to_string()),
        _ if rest.is_empty() => None,
        _ => return None,
    };
    Some(UniqueKey { name: name.to_string(), exprs, filter })
}

fn column_kind(name: &str, decl: &str, checks: &str) -> Kind {
    let lower = name.to_lowercase();
    match decl.to_uppercase().as_str() {
        "INTEGER" if checks.contains(&format!("{lower}in(0,1)")) => Kind::Bool,
        "INTEGER" => Kind::Integer,
        "REAL" => Kind::Real,
        _ if checks.contains(&format!("json_valid({lower})")) => Kind::Json,
        _ if is_timestamp_name(&lower) => Kind::Timestamp,
        _ => Kind::Text,
    }
}

/// The schema's naming convention for timestamptz columns (checked against PostgreSQL by the schema
/// equivalence test).
pub fn is_timestamp_name(name: &str) -> bool {
    name.ends_with("_at")
        || name.ends_with("_time")
        || name.ends_with("_for")
        || matches!(name, "start_date" | "end_date")
}

/// Does the SQL expression `expr` mention the column `column` as a whole word?
pub(crate) fn mentions(expr: &str, column: &str) -> bool {
    expr.match_indices(column).any(|(i, _)| {
        let before = expr[..i].chars().next_back();
        let after = expr[i + column.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !word(before) && !word(after)
    })
}
