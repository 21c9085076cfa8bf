//! Converting between the API's JSON values and SQLite values, by column kind.

use rusqlite::types::{ToSqlOutput, Value as Sql, ValueRef};
use serde_json::{Map, Number, Value};

use crate::catalog::{Column, Kind, Table};
use crate::error::{Error, Result};
use crate::time;

pub type Row = Map<String, Value>;

/// [`to_sql`] for a value the caller gives away: text moves instead of being copied.
pub fn into_sql(table: &Table, column: &Column, value: Value) -> Result<Sql> {
    match (&column.kind, value) {
        (Kind::Text, Value::String(s)) => Ok(Sql::Text(s)),
        (_, value) => to_sql(table, column, &value),
    }
}

/// [`to_sql`] without copying text: a text value is bound as it is in `value`.
pub fn to_sql_ref<'a>(table: &Table, column: &Column, value: &'a Value) -> Result<ToSqlOutput<'a>> {
    match (&column.kind, value) {
        (Kind::Text, Value::String(s)) => Ok(ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes()))),
        _ => to_sql(table, column, value).map(ToSqlOutput::Owned),
    }
}

/// [`to_sql`] for a value the server sent. A timestamp the local form cannot hold — PostgreSQL's
/// `infinity` and `-infinity`, a date BC, a year past 9999 — is kept as the server wrote it: the row
/// is the server's (its type checked it), and refusing it would stop every later pull on every
/// laptop. `infinity` sorts after every date and `-infinity` before, as they should. A JSON value is
/// stored as the server has it (a string stays a string, unlike a rep's text that holds JSON), or as
/// its text when nested deeper than the store takes (see `json_from_text`).
pub fn server_sql(table: &Table, column: &Column, value: &Value) -> Result<Sql> {
    match (&column.kind, value) {
        (Kind::Timestamp, Value::String(s)) => Ok(Sql::Text(time::normalize(s).unwrap_or_else(|| s.clone()))),
        (Kind::Json, v) if !v.is_null() => Ok(Sql::Text(if json_depth(v) > MAX_JSON_DEPTH {
            Value::String(v.to_string()).to_string()
        } else {
            v.to_string()
        })),
        _ => to_sql(table, column, value),
    }
}

/// [`server_sql`] without copying text.
pub fn server_sql_ref<'a>(table: &Table, column: &Column, value: &'a Value) -> Result<ToSqlOutput<'a>> {
    match column.kind {
        Kind::Timestamp | Kind::Json => server_sql(table, column, value).map(ToSqlOutput::Owned),
        _ => to_sql_ref(table, column, value),
    }
}

/// A JSON value the server sent as its text (see sync_pull and sync_push), parsed on its own within
/// serde_json's depth limit (128 levels, so no thread's stack can overflow; jsonb nests thousands
/// deep). One nested deeper stays text — the rep sees the JSON as a string — instead of making the
/// page or answer it came in unreadable, for good.
pub fn json_from_text(text: String) -> Value {
    match serde_json::from_str::<Value>(&text) {
        Ok(v) if json_depth(&v) <= MAX_JSON_DEPTH => v,
        _ => {
            tracing::warn!(levels = MAX_JSON_DEPTH, "a JSON value from the server nested too deep is kept as text");
            Value::String(text)
        }
    }
}

/// How deep a JSON value the store takes may nest. serde_json reads at most 128 levels, and a value
/// travels a few levels down inside a push batch or an answer to one: with this margin, every batch
/// the store records and every answer about its values stays readable.
pub const MAX_JSON_DEPTH: usize = 64;

/// How many arrays and objects deep `v` nests (serde_json's parser made it at most 128 deep).
pub fn json_depth(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(json_depth).max().unwrap_or(0),
        Value::Object(o) => 1 + o.values().map(json_depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// One API value for `column` as it is stored.
pub fn to_sql(table: &Table, column: &Column, value: &Value) -> Result<Sql> {
    let bad = |reason: String| Error::invalid(&table.name, &column.name, reason);
    if value.is_null() {
        return Ok(Sql::Null);
    }
    Ok(match column.kind {
        Kind::Text => match value {
            Value::String(s) => Sql::Text(s.clone()),
            Value::Number(n) => Sql::Text(n.to_string()),
            other => return Err(bad(format!("expected text, got {other}"))),
        },
        Kind::Timestamp => {
            let text = value.as_str().ok_or_else(|| bad(format!("expected a date/time, got {value}")))?;
            match time::normalize(text) {
                Some(t) => Sql::Text(t),
                None => {
                    return Err(bad(format!(
                        "'{text}' is not a date/time (use e.g. 2027-01-15 or 2027-01-15T09:00:00Z)"
                    )))
                }
            }
        }
        Kind::Integer => match value {
            Value::Number(n) if n.is_i64() => Sql::Integer(n.as_i64().unwrap_or_default()),
            Value::String(s) => {
                Sql::Integer(s.trim().parse().map_err(|_| bad(format!("'{s}' is not a whole number")))?)
            }
            other => return Err(bad(format!("{other} is not a whole number"))),
        },
        Kind::Real => match value {
            Value::Number(n) => Sql::Real(n.as_f64().unwrap_or_default()),
            Value::String(s) => Sql::Real(s.trim().parse().map_err(|_| bad(format!("'{s}' is not a number")))?),
            other => return Err(bad(format!("{other} is not a number"))),
        },
        Kind::Bool => Sql::Integer(i64::from(to_bool(value).ok_or_else(|| bad(format!("{value} is not yes/no")))?)),
        Kind::Json => match value {
            // Text that is itself JSON (from a command line or a form) is taken as that JSON.
            Value::String(s) => match serde_json::from_str::<Value>(s) {
                Ok(v @ (Value::Array(_) | Value::Object(_))) if json_depth(&v) <= MAX_JSON_DEPTH => {
                    Sql::Text(v.to_string())
                }
                _ => Sql::Text(value.to_string()),
            },
            other if json_depth(other) > MAX_JSON_DEPTH => {
                return Err(bad(format!("is nested more than {MAX_JSON_DEPTH} levels deep")))
            }
            other => Sql::Text(other.to_string()),
        },
    })
}

fn to_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        Value::String(s) => match s.trim().to_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => Some(true),
            "false" | "no" | "n" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A stored value as the API shows it.
pub fn from_sql(column: &Column, value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) if column.kind == Kind::Bool => Value::Bool(i != 0),
        ValueRef::Integer(i) => Value::Number(i.into()),
        ValueRef::Real(f) => Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null),
        ValueRef::Text(t) | ValueRef::Blob(t) => {
            let s = String::from_utf8_lossy(t);
            if column.kind == Kind::Json {
                serde_json::from_str(&s).unwrap_or_else(|_| Value::String(s.into_owned()))
            } else {
                Value::String(s.into_owned())
            }
        }
    }
}

/// Reads every column of a result row selected as `SELECT <all columns in table order>`.
pub fn row_from_sql(table: &Table, r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let mut out = Map::with_capacity(table.columns.len());
    for (i, c) in table.columns.iter().enumerate() {
        out.insert(c.name.clone(), from_sql(c, r.get_ref(i)?));
    }
    Ok(out)
}

pub fn select_list(table: &Table) -> String {
    table.columns.iter().map(|c| format!("\"{}\"", c.name)).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn nested(levels: usize) -> Value {
        (0..levels).fold(json!(1), |v, _| json!([v]))
    }

    #[test]
    fn json_the_store_takes_nests_at_most_max_json_depth_levels() {
        assert_eq!(json_depth(&nested(MAX_JSON_DEPTH)), MAX_JSON_DEPTH);
        let text = nested(100).to_string();
        assert_eq!(json_from_text(text.clone()), Value::String(text.clone()), "kept as text");
        assert_eq!(json_from_text(nested(3).to_string()), nested(3));

        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut store = crate::Store::open(dir.path().join("t.db")).unwrap_or_else(|e| panic!("{e}"));
        let lead = |levels: usize| {
            json!({"first_name": "Deep", "custom_fields": {"a": nested(levels - 1)}})
                .as_object()
                .cloned()
                .unwrap_or_default()
        };
        assert!(store.write(|tx| tx.insert("leads", lead(MAX_JSON_DEPTH))).is_ok());
        let refused = match store.write(|tx| tx.insert("leads", lead(MAX_JSON_DEPTH + 1))) {
            Ok(_) => panic!("a value nested too deep was taken"),
            Err(e) => e.to_string(),
        };
        assert!(refused.contains("custom_fields") && refused.contains("levels deep"), "{refused}");
    }
}
