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
#[cfg_attr(feature = "specta", derive(specta::Type))]
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
    pub const ALL: [SortField; 6] = [
        SortField::UpdatedAt,
        SortField::CreatedAt,
        SortField::Name,
        SortField::Company,
        SortField::Score,
        SortField::FollowUp,
    ];

    /// The partial index (V2__local.sql) over exactly [`SortField::expr`].
    fn index(self) -> &'static str {
        match self {
            SortField::UpdatedAt => "leads_sort_updated",
            SortField::CreatedAt => "leads_sort_created",
            SortField::Name => "leads_sort_name",
            SortField::Company => "leads_sort_company",
            SortField::Score => "leads_sort_score",
            SortField::FollowUp => "leads_sort_follow_up",
        }
    }

    fn expr(self) -> &'static str {
        match self {
            SortField::UpdatedAt => "updated_at",
            SortField::CreatedAt => "created_at",
            // Without regard to case or accents (crate::sort_key).
            SortField::Name => "outpost_sort_key(ifnull(last_name, '') || ' ' || ifnull(first_name, ''))",
            SortField::Company => "outpost_sort_key(ifnull(company, ''))",
            SortField::Score => "current_score",
            SortField::FollowUp => "ifnull(next_follow_up_at, '9999')",
        }
    }
}

/// Who a lead is assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Owner {
    Unassigned,
    User(String),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct LeadQuery {
    /// Any of these statuses; empty = all.
    pub statuses: Vec<String>,
    pub owner: Option<Owner>,
    pub list_id: Option<String>,
    /// Only the leads enrolled in this campaign (a membership not taken out).
    pub campaign_id: Option<String>,
    pub tag: Option<String>,
    /// Full-text: every word must match the start of a word in name, email, company, job title or notes.
    pub text: Option<String>,
    pub sort: SortField,
    pub descending: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Page {
    pub leads: Vec<Lead>,
    /// Pass back to get the next page; None on the last page.
    pub next_cursor: Option<String>,
}

/// What a row of the lead list, a board card or a "My day" line shows: a fraction of a lead's fields,
/// so a page of them crosses to the UI quickly.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LeadSummary {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub company: Option<String>,
    pub job_title: Option<String>,
    pub status: crate::LeadStatus,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub current_score: i64,
    pub predicted_value: Option<String>,
    pub next_follow_up_at: Option<String>,
    pub follow_up_reason: Option<String>,
    pub tags: Vec<String>,
    pub list_id: Option<String>,
    pub updated_at: Option<String>,
    /// Not to be contacted: the list and My day mark it (a follow-up is no call to make).
    pub do_not_contact: bool,
}

impl From<Lead> for LeadSummary {
    fn from(l: Lead) -> LeadSummary {
        LeadSummary {
            id: l.id,
            first_name: l.first_name,
            last_name: l.last_name,
            email: l.email,
            company: l.company,
            job_title: l.job_title,
            status: l.status,
            current_score: l.current_score,
            predicted_value: l.predicted_value,
            next_follow_up_at: l.next_follow_up_at,
            follow_up_reason: l.follow_up_reason,
            tags: l.tags,
            list_id: l.list_id,
            updated_at: l.updated_at,
            do_not_contact: l.do_not_contact,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SummaryPage {
    pub leads: Vec<LeadSummary>,
    /// Pass back to get the next page; None on the last page.
    pub next_cursor: Option<String>,
}

impl From<Page> for SummaryPage {
    fn from(p: Page) -> SummaryPage {
        SummaryPage { leads: p.leads.into_iter().map(LeadSummary::from).collect(), next_cursor: p.next_cursor }
    }
}

#[derive(Serialize, Deserialize)]
struct Cursor {
    sort: SortField,
    desc: bool,
    key: Value,
    /// Ties are broken by rowid, which ends every sort index's entries.
    row: i64,
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

/// A phone's digits as SQL (before any extension, without the punctuation numbers are written
/// with), its last seven
/// digits as the index `leads_phone_tail` holds them (V15: the same expression, character for
/// character), and the digits without leading zeros (a trunk prefix: "07911 123456" is
/// "+44 7911 123456" in the UK).
pub const PHONE_DIGITS: &str = "replace(replace(replace(replace(replace(replace(replace(substr(lower(phone), 1, min(instr(lower(phone) || 'e', 'e'), instr(lower(phone) || 'x', 'x'), instr(lower(phone) || '#', '#')) - 1), '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', '')";

/// The leads whose phone is the number `digits` (see [`phone_digits`]): the same last seven digits,
/// and one number ends with the other (a number written without its country or area code).
fn phone_match() -> String {
    format!(
        "SELECT rowid FROM leads WHERE phone IS NOT NULL AND deleted_at IS NULL AND substr({PHONE_DIGITS}, -7) = ?
         AND (ltrim({PHONE_DIGITS}, '0') LIKE '%' || ? OR ? LIKE '%' || ltrim({PHONE_DIGITS}, '0'))"
    )
}

/// The digits of a search that is a phone number (digits and the punctuation numbers are written
/// with, seven digits or more — a local number "010-2233" included), without leading zeros; None
/// for any other text.
pub fn phone_digits(text: &str) -> Option<String> {
    // The number without its extension, as the index holds it.
    let text = crate::rules::without_extension(text.trim());
    let phone_like = text.chars().all(|c| c.is_ascii_digit() || "+-()./ ".contains(c));
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let number = digits.trim_start_matches('0');
    (phone_like && digits.len() >= 7 && !number.is_empty()).then(|| number.to_string())
}

/// The arguments of [`phone_match`]. The last seven digits as the index holds them: a number typed
/// with a leading zero among its seven ("010-2233") got it back.
fn phone_args(digits: &str) -> [Sql; 3] {
    let tail = format!("{:0>7}", &digits[digits.len().saturating_sub(7)..]);
    [Sql::Text(tail), Sql::Text(digits.into()), Sql::Text(digits.into())]
}

/// How a page is found. Walking the sort order's index and skipping non-matching rows is fastest
/// when many rows match; when few do, it is faster to fetch the matches and sort just those.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// Count queries: let SQLite pick.
    Any,
    /// Walk the sort index; filters are only checked (`+col` keeps SQLite from using their indexes).
    WalkSortIndex,
    /// Start from the selective filter (list, tag, text) and sort its matches.
    FromFilter,
}

/// Above this many matching rows of the list or tag filter, walking the sort index wins: at most
/// 100 × total / this rows are skipped to fill a page.
const FEW_MATCHES: i64 = 20_000;

fn choose_plan(conn: &Connection, q: &LeadQuery) -> Result<Plan> {
    // Counting stops at FEW_MATCHES + 1: the answer is "few" or "many", at bounded cost.
    let bounded = |inner: &str, arg: &str| -> Result<i64> {
        let sql = format!("SELECT count(*) FROM ({inner} LIMIT {})", FEW_MATCHES + 1);
        Ok(conn.prepare_cached(&sql)?.query_row([arg], |r| r.get(0))?)
    };
    // Text matches cluster in sort orders (search "patel", sort by name: every match sits in one
    // stretch of the index), so walking could read most of it; start from the matches instead.
    // Text with nothing to search for (only punctuation: `"`, `^`) matches nothing: walking an
    // index (INDEXED BY) under an always-false condition is a plan SQLite refuses to make.
    if q.text.as_deref().is_some_and(|t| !t.trim().is_empty()) {
        return Ok(Plan::FromFilter);
    }
    let mut fewest = i64::MAX;
    if let Some(list) = &q.list_id {
        fewest = fewest.min(bounded("SELECT 1 FROM leads WHERE list_id = ?1", list)?);
    }
    if let Some(tag) = &q.tag {
        fewest = fewest.min(bounded("SELECT 1 FROM lead_tags WHERE tag = ?1", tag)?);
    }
    if let Some(campaign) = &q.campaign_id {
        fewest = fewest
            .min(bounded("SELECT 1 FROM campaign_leads WHERE campaign_id = ?1 AND deleted_at IS NULL", campaign)?);
    }
    if fewest <= FEW_MATCHES {
        return Ok(Plan::FromFilter);
    }
    // A first sync sets the sort indexes aside while it loads (sync_bulk.rs): the list reads on,
    // slower, rather than fail with "no such index".
    let sort_index: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?1)")?
        .query_row([q.sort.index()], |r| r.get(0))?;
    Ok(if sort_index { Plan::WalkSortIndex } else { Plan::FromFilter })
}

fn where_clause(q: &LeadQuery, plan: Plan, args: &mut Vec<Sql>) -> Result<Vec<String>> {
    // Status and owner have a handful of values: their indexes never beat walking the sort order.
    let hint = if plan == Plan::Any { "" } else { "+" };
    let walk = plan == Plan::WalkSortIndex;
    let mut conds = vec!["deleted_at IS NULL".to_string()];
    if !q.statuses.is_empty() {
        conds.push(format!("{hint}status IN ({})", vec!["?"; q.statuses.len()].join(", ")));
        args.extend(q.statuses.iter().cloned().map(Sql::Text));
    }
    match &q.owner {
        Some(Owner::Unassigned) => conds.push(format!("{hint}assigned_to IS NULL")),
        Some(Owner::User(id)) => {
            conds.push(format!("{hint}assigned_to = ?"));
            args.push(Sql::Text(id.clone()));
        }
        None => {}
    }
    if let Some(list) = &q.list_id {
        // A deleted list holds no one (its leads keep the link, for its Undo); checked once, not
        // per row (the subquery does not depend on the row).
        conds.push(if walk { "+list_id = ?" } else { "list_id = ?" }.into());
        conds.push("EXISTS (SELECT 1 FROM lead_lists WHERE id = ? AND deleted_at IS NULL)".into());
        args.extend([Sql::Text(list.clone()), Sql::Text(list.clone())]);
    }
    if let Some(tag) = &q.tag {
        conds.push(if walk {
            "EXISTS (SELECT 1 FROM lead_tags t WHERE t.tag = ? AND t.lead_id = leads.id)".into()
        } else {
            "id IN (SELECT lead_id FROM lead_tags WHERE tag = ?)".into()
        });
        args.push(Sql::Text(tag.clone()));
    }
    if let Some(campaign) = &q.campaign_id {
        conds.push(if walk {
            "EXISTS (SELECT 1 FROM campaign_leads m WHERE m.campaign_id = ? AND m.lead_id = leads.id AND m.deleted_at IS NULL)"
                .into()
        } else {
            "id IN (SELECT lead_id FROM campaign_leads WHERE campaign_id = ? AND deleted_at IS NULL)".into()
        });
        conds.push("EXISTS (SELECT 1 FROM campaigns WHERE id = ? AND deleted_at IS NULL)".into());
        args.extend([Sql::Text(campaign.clone()), Sql::Text(campaign.clone())]);
    }
    if let Some(text) = q.text.as_deref() {
        match (fts_query(text), phone_digits(text)) {
            // A number finds the leads with that phone, as well as any text it matches.
            (Some(m), Some(digits)) => {
                conds.push(format!(
                    "rowid IN (SELECT rowid FROM leads_fts WHERE leads_fts MATCH ? UNION {})",
                    phone_match()
                ));
                args.push(Sql::Text(m));
                args.extend(phone_args(&digits));
            }
            (Some(m), None) => {
                conds.push("rowid IN (SELECT rowid FROM leads_fts WHERE leads_fts MATCH ?)".into());
                args.push(Sql::Text(m));
            }
            (None, _) if !text.trim().is_empty() => conds.push("0".into()),
            (None, _) => {}
        }
    }
    Ok(conds)
}

/// The SQL of one page (limit + 1 rows, to know whether there is a next page) and its arguments.
fn page_sql(
    table: &crate::catalog::Table,
    q: &LeadQuery,
    plan: Plan,
    limit: usize,
    cursor: Option<&str>,
) -> Result<(String, Vec<Sql>)> {
    let mut args = Vec::new();
    let mut conds = where_clause(q, plan, &mut args)?;
    let expr = q.sort.expr();
    let (cmp, dir) = if q.descending { ("<", "DESC") } else { (">", "ASC") };
    if let Some(c) = cursor {
        let c: Cursor = serde_json::from_str(c).map_err(|_| Error::InvalidCursor)?;
        if c.sort != q.sort || c.desc != q.descending {
            return Err(Error::InvalidCursor);
        }
        let key = match c.key {
            Value::Number(n) => Sql::Integer(n.as_i64().ok_or(Error::InvalidCursor)?),
            Value::String(s) => Sql::Text(s),
            _ => return Err(Error::InvalidCursor),
        };
        // Spelled out rather than as a row value: SQLite only seeks an expression index this way.
        // Numbered parameters continue after the filters' positional ones.
        let (k, i) = (args.len() + 1, args.len() + 2);
        conds.push(format!("{expr} {cmp}= ?{k} AND ({expr} {cmp} ?{k} OR rowid {cmp} ?{i})"));
        args.push(key);
        args.push(Sql::Integer(c.row));
    }
    let (cols, order, conds, n) =
        (select_list(table), format!("{expr} {dir}, rowid {dir}"), conds.join(" AND "), limit + 1);
    let sql = match plan {
        // Walking is only fast if SQLite walks the sort index; name it rather than hope.
        Plan::WalkSortIndex => {
            format!(
                "SELECT {cols}, {expr}, rowid FROM leads INDEXED BY {} WHERE {conds} ORDER BY {order} LIMIT {n}",
                q.sort.index()
            )
        }
        // Sort the matches' keys only, then read the page's rows: the sorter never holds whole rows.
        Plan::FromFilter | Plan::Any => format!(
            "SELECT {cols}, {expr}, rowid FROM leads WHERE rowid IN \
             (SELECT rowid FROM leads WHERE {conds} ORDER BY {order} LIMIT {n}) ORDER BY {order}"
        ),
    };
    Ok((sql, args))
}

/// One page of leads in the query's order, after `cursor` (from the previous page).
pub fn list_leads(
    conn: &Connection,
    catalog: &Catalog,
    q: &LeadQuery,
    limit: usize,
    cursor: Option<&str>,
) -> Result<Page> {
    list_planned(conn, catalog, q, choose_plan(conn, q)?, limit, cursor)
}

fn list_planned(
    conn: &Connection,
    catalog: &Catalog,
    q: &LeadQuery,
    plan: Plan,
    limit: usize,
    cursor: Option<&str>,
) -> Result<Page> {
    let table = catalog.table("leads")?;
    let limit = limit.clamp(1, 10_000);
    let (sql, args) = page_sql(table, q, plan, limit, cursor)?;
    let mut stmt = conn.prepare_cached(&sql)?;
    let n = table.columns.len();
    let key_col = crate::catalog::Column {
        name: String::new(),
        kind: crate::catalog::Kind::Text,
        not_null: false,
        has_default: false,
        default: None,
        references: None,
    };
    let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
    let mut leads = Vec::with_capacity(limit);
    let (mut last_key, mut last_row) = (Value::Null, 0);
    let mut more = false;
    while let Some(r) = rows.next()? {
        if leads.len() == limit {
            more = true;
            break;
        }
        last_key = from_sql(&key_col, r.get_ref(n)?);
        last_row = r.get(n + 1)?;
        leads.push(from_row::<Lead>(row_from_sql(table, r)?)?);
    }
    let next_cursor = match leads.last() {
        Some(_) if more => Some(
            serde_json::to_string(&Cursor { sort: q.sort, desc: q.descending, key: last_key, row: last_row })
                .map_err(|_| Error::InvalidCursor)?,
        ),
        _ => None,
    };
    Ok(Page { leads, next_cursor })
}

/// How many live leads match (for "1,234 leads" in the UI; not needed for paging).
pub fn count_leads(conn: &Connection, q: &LeadQuery) -> Result<i64> {
    let mut args = Vec::new();
    let conds = where_clause(q, Plan::Any, &mut args)?;
    let sql = format!("SELECT count(*) FROM leads WHERE {}", conds.join(" AND "));
    Ok(conn.prepare_cached(&sql)?.query_row(rusqlite::params_from_iter(args), |r| r.get(0))?)
}

/// How many of the newest matches the search box ranks. Ranking every match of a common word costs
/// time in proportion to the matches; a rep who types "smith" at a million leads refines the query
/// rather than reading page 400, so the newest this-many are ranked and the rest are not shown.
pub const SEARCH_RANK_WINDOW: usize = 2_000;

/// Best matches first (bm25) among the newest [`SEARCH_RANK_WINDOW`] matches, for the search box
/// and `outpost leads search`. The lead list's `text` filter is exact and complete.
pub fn search_leads(conn: &Connection, catalog: &Catalog, text: &str, limit: usize) -> Result<Vec<Lead>> {
    let Some(m) = fts_query(text) else {
        return Ok(Vec::new());
    };
    let table = catalog.table("leads")?;
    let cols = table.columns.iter().map(|c| format!("l.\"{}\"", c.name)).collect::<Vec<_>>().join(", ");
    // A number: the leads with that phone first (newest first), then what the text matches.
    let mut found = Vec::new();
    if let Some(digits) = phone_digits(text) {
        let sql = format!(
            "SELECT {cols} FROM leads l WHERE l.rowid IN ({}) ORDER BY l.rowid DESC LIMIT {limit}",
            phone_match()
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(phone_args(&digits)), |r| row_from_sql(table, r))?;
        for r in rows {
            found.push(from_row::<Lead>(r?)?);
        }
    }
    let sql = format!(
        "SELECT {cols} FROM (SELECT rowid AS r, rank AS k FROM leads_fts WHERE leads_fts MATCH ?1
         ORDER BY rowid DESC LIMIT {SEARCH_RANK_WINDOW}) m JOIN leads l ON l.rowid = m.r
         WHERE l.deleted_at IS NULL ORDER BY m.k LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map((m, limit as i64), |r| row_from_sql(table, r))?;
    for r in rows {
        if found.len() == limit {
            break;
        }
        let lead = from_row::<Lead>(r?)?;
        if !found.iter().any(|f| f.id == lead.id) {
            found.push(lead);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(conn: &Connection, sql: &str, args: Vec<Sql>) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap_or_else(|e| panic!("{e}: {sql}"));
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(3))
            .unwrap_or_else(|e| panic!("{e}"));
        rows.map(|r| r.unwrap_or_default()).collect::<Vec<_>>().join("; ")
    }

    const COMPANIES: [&str; 3] = ["Acme", "acme", "Zeta"];

    #[test]
    fn both_plans_return_the_same_pages() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut store = crate::Store::open(dir.path().join("t.db")).unwrap_or_else(|e| panic!("{e}"));
        let list = store
            .write(|tx| {
                let list = tx.insert("lead_lists", serde_json::json!({"name": "L"}).as_object().cloned().unwrap_or_default())?;
                let campaign =
                    tx.insert("campaigns", serde_json::json!({"name": "C"}).as_object().cloned().unwrap_or_default())?;
                for i in 0..300 {
                    let v = serde_json::json!({
                        "first_name": format!("F{}", i % 17), "last_name": if i % 5 == 0 { None } else { Some(format!("L{}", i % 11)) },
                        "company": COMPANIES[i % 3], "current_score": (i * 7) % 100,
                        "tags": if i % 3 == 0 { vec!["vip"] } else { vec![] },
                        "list_id": if i % 4 == 0 { Some(list.clone()) } else { None },
                        "status": if i % 2 == 0 { "new" } else { "contacted" },
                    });
                    let lead = tx.insert("leads", v.as_object().cloned().unwrap_or_default())?;
                    if i % 6 == 0 {
                        let m = serde_json::json!({"campaign_id": campaign, "lead_id": lead});
                        let m = tx.insert("campaign_leads", m.as_object().cloned().unwrap_or_default())?;
                        // Taken out again: not in the campaign.
                        if i % 12 == 0 {
                            tx.delete("campaign_leads", &m)?;
                        }
                    }
                }
                Ok((list, campaign))
            })
            .unwrap_or_else(|e| panic!("{e}"));
        let (list, campaign) = list;
        let pages = |q: &LeadQuery, plan: Plan| {
            let mut ids = Vec::new();
            let mut cursor: Option<String> = None;
            loop {
                let page = list_planned(store.conn(), store.catalog(), q, plan, 13, cursor.as_deref())
                    .unwrap_or_else(|e| panic!("{e}"));
                ids.extend(page.leads.into_iter().map(|l| l.id));
                match page.next_cursor {
                    Some(c) => cursor = Some(c),
                    None => return ids,
                }
            }
        };
        for sort in SortField::ALL {
            for descending in [false, true] {
                let q = LeadQuery {
                    sort,
                    descending,
                    tag: Some("vip".into()),
                    list_id: Some(list.clone()),
                    statuses: vec!["new".into()],
                    ..LeadQuery::default()
                };
                let walk = pages(&q, Plan::WalkSortIndex);
                assert_eq!(walk.len(), 25, "{q:?}");
                assert_eq!(walk, pages(&q, Plan::FromFilter), "{q:?}");
                let text = LeadQuery { text: Some("f3".into()), tag: None, ..q.clone() };
                let walk = pages(&text, Plan::WalkSortIndex);
                assert!(!walk.is_empty());
                assert_eq!(walk, pages(&text, Plan::FromFilter), "{text:?}");
                // i % 6 == 0 enrolled, i % 12 == 0 taken out: 25 of 300, of them the new ones all.
                let enrolled =
                    LeadQuery { campaign_id: Some(campaign.clone()), sort, descending, ..LeadQuery::default() };
                let walk = pages(&enrolled, Plan::WalkSortIndex);
                assert_eq!(walk.len(), 25, "{enrolled:?}");
                assert_eq!(walk, pages(&enrolled, Plan::FromFilter), "{enrolled:?}");
                assert_eq!(store.count_leads(&enrolled).unwrap_or_else(|e| panic!("{e}")), 25);
            }
        }
    }

    #[test]
    fn text_of_punctuation_alone_finds_nothing_instead_of_failing() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut store = crate::Store::open(dir.path().join("t.db")).unwrap_or_else(|e| panic!("{e}"));
        let ann = serde_json::json!({"first_name": "Ann"}).as_object().cloned().unwrap_or_default();
        store.write(|tx| tx.insert("leads", ann)).unwrap_or_else(|e| panic!("{e}"));
        for text in ["\"", "^", "(", "-", "* :"] {
            let q = LeadQuery { text: Some(text.into()), ..LeadQuery::default() };
            let page = store.list_leads(&q, 50, None).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert!(page.leads.is_empty(), "{text}");
            assert_eq!(store.count_leads(&q).unwrap_or_else(|e| panic!("{text}: {e}")), 0, "{text}");
            assert!(store.search_leads(text, 10).unwrap_or_else(|e| panic!("{text}: {e}")).is_empty());
        }
        let ann = LeadQuery { text: Some("\"ann\" (".into()), ..LeadQuery::default() };
        assert_eq!(store.list_leads(&ann, 50, None).unwrap_or_else(|e| panic!("{e}")).leads.len(), 1);
    }

    #[test]
    fn every_sort_order_reads_its_index_without_sorting() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store = crate::Store::open(dir.path().join("t.db")).unwrap_or_else(|e| panic!("{e}"));
        let table = store.catalog().table("leads").unwrap_or_else(|e| panic!("{e}"));
        for sort in SortField::ALL {
            for descending in [false, true] {
                let q = LeadQuery { sort, descending, ..LeadQuery::default() };
                let cursor =
                    serde_json::to_string(&Cursor { sort, desc: descending, key: Value::String("m".into()), row: 7 })
                        .ok();
                let filtered = LeadQuery { statuses: vec!["new".into()], owner: Some(Owner::Unassigned), ..q.clone() };
                for (q, c) in [(&q, None), (&q, cursor.as_deref()), (&filtered, cursor.as_deref())] {
                    let (sql, args) = page_sql(table, q, Plan::WalkSortIndex, 100, c).unwrap_or_else(|e| panic!("{e}"));
                    let p = plan(store.conn(), &sql, args);
                    assert!(
                        p.contains("USING INDEX leads_sort_") && !p.contains("TEMP B-TREE"),
                        "{sort:?} desc={descending}: {p}"
                    );
                    if c.is_some() {
                        assert!(p.starts_with("SEARCH"), "a cursor must seek, not scan: {p}");
                    }
                }
            }
        }
        let dup = plan(
            store.conn(),
            crate::rules::DUPLICATE_EMAIL,
            vec![Sql::Text("o".into()), Sql::Text("e".into()), Sql::Text("i".into())],
        );
        assert!(dup.contains("USING INDEX leads_org_email_key"), "{dup}");
    }
}
