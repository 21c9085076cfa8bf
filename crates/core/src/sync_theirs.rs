//! A conflict's "theirs" kept current. A conflict is recorded with the server's value of the
//! moment; a teammate may change that value again before the rep settles it. "Keep mine" then
//! wrote the rep's value over a newer one the card never showed, unseen by anyone. Each pulled row
//! with an open conflict is compared with it: a value that moved on is recorded again (a new
//! card, so a choice made on the old one is refused as settled since), and one that is now the
//! rep's own value too settles the conflict.

use rusqlite::Connection;
use serde_json::Value;

use crate::error::Result;
use crate::sync_local::{record_conflict, Conflict};
use crate::time;

/// Whether any conflict is open (a page's rows are compared only then).
pub(crate) fn any_open(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM sync_conflicts WHERE resolved_at IS NULL)", [], |r| r.get(0))?)
}

struct Open {
    id: i64,
    column: String,
    base: Value,
    mine: Value,
    theirs: Value,
}

/// `value(column)`: the pulled row's value of a column (None: not in the row).
pub(crate) fn refresh<'v>(
    conn: &Connection,
    table: &str,
    row_id: &str,
    value: impl Fn(&str) -> Option<&'v Value>,
    now: &str,
) -> Result<()> {
    let parse = |v: Option<String>| v.and_then(|v| serde_json::from_str(&v).ok()).unwrap_or(Value::Null);
    let open: Vec<Open> = conn
        .prepare_cached(
            "SELECT id, column_name, base_value, mine, theirs FROM sync_conflicts
             WHERE resolved_at IS NULL AND table_name = ?1 AND row_id = ?2",
        )?
        .query_map([table, row_id], |r| {
            Ok(Open {
                id: r.get(0)?,
                column: r.get(1)?,
                base: parse(r.get(2)?),
                mine: parse(r.get(3)?),
                theirs: parse(r.get(4)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let version = value("version").and_then(Value::as_i64);
    for c in open {
        let Some(pulled) = value(&c.column) else { continue };
        if same(&c.column, pulled, &c.theirs) {
            continue;
        }
        if same(&c.column, pulled, &c.mine) {
            conn.prepare_cached("UPDATE sync_conflicts SET resolved_at = ?1, resolution = 'theirs' WHERE id = ?2")?
                .execute((now, c.id))?;
            continue;
        }
        let conflict = Conflict { column: c.column, base: c.base, mine: c.mine, theirs: pulled.clone() };
        record_conflict(conn, table, row_id, &conflict, version, now)?;
    }
    Ok(())
}

/// The same value as the conflict holds, in the server's words or the store's: a time in any
/// offset, 12.5 and 12.50; a deletion is one whatever its time.
fn same(column: &str, a: &Value, b: &Value) -> bool {
    if column == "deleted_at" {
        return a.is_null() == b.is_null();
    }
    match (a, b) {
        (Value::String(x), Value::String(y)) if x != y => {
            time::normalize(x).is_some_and(|x| time::normalize(y).is_some_and(|y| x == y))
        }
        // A decimal kept as text here ("1234.50": the deal value) and sent as a number by the server.
        (Value::String(t), Value::Number(n)) | (Value::Number(n), Value::String(t)) => {
            t.trim().parse::<f64>().ok().is_some_and(|t| n.as_f64() == Some(t))
        }
        _ => crate::records::same_value(a, b),
    }
}
