//! The lead list: filters, sort orders and keyset paging that stay fast at a million leads. Each
//! sort order has a partial index (V2__local.sql) over exactly the expression used here.

use rusqlite::types::Value as Sql;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::records::{from_row, Lead};
use crate::values::{from_sql, row_from_sql, select_list};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortField {
    #[default]
    UpdatedAt,
    CreatedAt,
    Name,
    Company,
    Score,
    FollowUp,
}

impl SortField {
    fn expr(self) -> &'static str {
        match self {
            SortField::UpdatedAt => "updated_at",
            SortField::CreatedAt => "created_at",
            SortField::Name => "(ifnull(last_name, '') || ' ' || ifnull(first_name, '')) COLLATE NOCASE",
            SortField::Company => "ifnull(company, '') COLLATE NOCASE",
            SortField::Score => "current_score",
            SortField::FollowUp => "ifnull(next_follow_up_at, '9999')",
        }
    }
}

/// Who a lead is assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Owner {
    Unassigned,
    User(String),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeadQuery {
    /// Any of these statuses; empty = all.
    pub statuses: Vec<String>,
    pub owner: Option<Owner>,
    pub list_id: Option<String>,
    pub tag: Option<String>,
    /// Full-text: every word must match the start of a word in name, email, company or notes.
    pub text: Option<String>,
    pub sort: SortField,
    pub descending: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Page {
    pub leads: Vec<Lead>,
    /// Pass back to get the next page; None on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Cursor {
    sort: SortField,
    desc: bool,
    key: Value,
    id: String,
}

/// Turns what a rep types into an FTS5 query: each word a quoted prefix, so punctuation in the input
/// can never be FTS syntax. None when there is nothing to search for.
pub fn fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split_whitespace()
        .map(|w| w.replace('"', ""))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

fn where_clause(q: &LeadQuery, args: &mut Vec<Sql>) -> Result<Vec<String>> {
    let mut conds = vec!["deleted_at IS NULL".to_string()];
    if !q.statuses.is_empty() {
        conds.push(format!("status IN ({})", vec!["?"; q.statuses.len()].join(", ")));
        args.extend(q.statuses.iter().cloned().map(Sql::Text));
    }
    match &q.owner {
        Some(Owner::Unassigned) => conds.push("assigned_to IS NULL".into()),
        Some(Owner::User(id)) => {
            conds.push("assigned_to = ?".into());
            args.push(Sql::Text(id.clone()));
        }
        None => {}
    }
    if let Some(list) = &q.list_id {
        conds.push("list_id = ?".into());
        args.push(Sql::Text(list.clone()));
    }
    if let Some(tag) = &q.tag {
        conds.push("id IN (SELECT lead_id FROM lead_tags WHERE tag = ?)".into());
        args.push(Sql::Text(tag.clone()));
    }
    if let Some(text) = q.text.as_deref() {
        match fts_query(text) {
            Some(m) => {
                conds.push("rowid IN (SELECT rowid FROM leads_fts WHERE leads_fts MATCH ?)".into());
                args.push(Sql::Text(m));
            }
            None if !text.trim().is_empty() => conds.push("0".into()),
            None => {}
        }
    }
    Ok(conds)
}

/// One page of leads in the query's order, after `cursor` (from the previous page).
pub fn list_leads(
    conn: &Connection,
    catalog: &Catalog,
    q: &LeadQuery,
    limit: usize,
    cursor: Option<&str>,
) -> Result<Page> {
    let table = catalog.table("leads")?;
    let mut args = Vec::new();
    let mut conds = where_clause(q, &mut args)?;
    let expr = q.sort.expr();
    let (cmp, dir) = if q.descending { ("<", "DESC") } else { (">", "ASC") };
    if let Some(c) = cursor {
        let c: Cursor = serde_json::from_str(c).map_err(|_| Error::InvalidCursor)?;
        if c.sort != q.sort || c.desc != q.descending {
            return Err(Error::InvalidCursor);
        }
        conds.push(format!("({expr}, id) {cmp} (?, ?)"));
        args.push(match c.key {
            Value::Number(n) => Sql::Integer(n.as_i64().ok_or(Error::InvalidCursor)?),
            Value::String(s) => Sql::Text(s),
            _ => return Err(Error::InvalidCursor),
        });
        args.push(Sql::Text(c.id));
    }
    let limit = limit.clamp(1, 10_000);
    let sql = format!(
        "SELECT {}, {expr} FROM leads WHERE {} ORDER BY {expr} {dir}, id {dir} LIMIT {}",
        select_list(table),
        conds.join(" AND "),
        limit + 1
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let n = table.columns.len();
    let key_col = crate::catalog::Column {
        name: String::new(),
        kind: crate::catalog::Kind::Text,
        not_null: false,
        has_default: false,
        references: None,
    };
    let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
    let mut leads = Vec::with_capacity(limit);
    let mut last_key = Value::Null;
    let mut more = false;
    while let Some(r) = rows.next()? {
        if leads.len() == limit {
            more = true;
            break;
        }
        last_key = from_sql(&key_col, r.get_ref(n)?);
        leads.push(from_row::<Lead>(row_from_sql(table, r)?)?);
    }
    let next_cursor = match leads.last() {
        Some(last) if more => Some(
            serde_json::to_string(&Cursor { sort: q.sort, desc: q.descending, key: last_key, id: last.id.clone() })
                .map_err(|_| Error::InvalidCursor)?,
        ),
        _ => None,
    };
    Ok(Page { leads, next_cursor })
}

/// How many live leads match (for "1,234 leads" in the UI; not needed for paging).
pub fn count_leads(conn: &Connection, q: &LeadQuery) -> Result<i64> {
    let mut args = Vec::new();
    let conds = where_clause(q, &mut args)?;
    let sql = format!("SELECT count(*) FROM leads WHERE {}", conds.join(" AND "));
    Ok(conn.prepare_cached(&sql)?.query_row(rusqlite::params_from_iter(args), |r| r.get(0))?)
}

/// Best matches first (bm25), for the search box and `outpost leads search`.
pub fn search_leads(conn: &Connection, catalog: &Catalog, text: &str, limit: usize) -> Result<Vec<Lead>> {
    let Some(m) = fts_query(text) else {
        return Ok(Vec::new());
    };
    let table = catalog.table("leads")?;
    let cols = table.columns.iter().map(|c| format!("l.\"{}\"", c.name)).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT {cols} FROM leads_fts f JOIN leads l ON l.rowid = f.rowid
         WHERE leads_fts MATCH ?1 AND l.deleted_at IS NULL ORDER BY f.rank LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map((m, limit as i64), |r| row_from_sql(table, r))?;
    rows.map(|r| from_row::<Lead>(r?)).collect()
}
