//! The conflicts inbox: fields both the rep and someone else changed (keep mine, keep theirs, or
//! type a third value), and changes the server refused (retry or discard). Every decision is a
//! local write that the next sync sends; the sync starts at once.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tauri::State;

use crate::commands::Db;
use crate::error::{CmdResult, CommandError};
use crate::syncing::SyncHub;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ConflictItem {
    #[specta(type = f64)]
    pub id: i64,
    pub table: String,
    pub row_id: String,
    /// The row's name as the rep knows it ("Ada Lovelace"), if it still exists.
    pub label: Option<String>,
    pub column: String,
    #[specta(type = specta_typescript::Unknown)]
    pub base: Value,
    #[specta(type = specta_typescript::Unknown)]
    pub mine: Value,
    #[specta(type = specta_typescript::Unknown)]
    pub theirs: Value,
    /// When sync found the clash.
    pub detected_at: String,
    /// When the server's copy was last changed (theirs).
    pub theirs_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct RejectionItem {
    #[specta(type = f64)]
    pub id: i64,
    pub table: String,
    pub row_id: String,
    pub label: Option<String>,
    /// "insert", "update" or "delete".
    pub op: String,
    /// The database's error code (e.g. 23505 unique violation, 42501 row-level security).
    pub code: Option<String>,
    pub reason: String,
    pub rejected_at: String,
    /// What the rep's change said, field by field (column, value): shown when the record is gone.
    #[specta(type = Vec<(String, specta_typescript::Unknown)>)]
    pub changed: Vec<(String, Value)>,
    /// The record its name opens: its own while here, else the one holding its key; null: none.
    pub opens: Option<String>,
}

/// A field's value as JSON (text, number, boolean, null).
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(transparent)]
pub struct AnyValue(#[specta(type = specta_typescript::Unknown)] pub Value);

#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    Mine,
    Theirs,
    /// `value` replaces both.
    Edit,
}

#[tauri::command]
#[specta::specta]
pub async fn conflicts(db: State<'_, Db>) -> CmdResult<Vec<ConflictItem>> {
    db.reading(|s| {
        s.open_conflicts()?
            .into_iter()
            .map(|c| {
                // One read gives the name and when their copy last changed.
                let row = s.get(&c.table, &c.row_id)?;
                let theirs_at =
                    row.as_ref().and_then(|r| r.get("updated_at")).and_then(Value::as_str).map(str::to_string);
                Ok(ConflictItem {
                    label: row.as_ref().and_then(outpost_core::sync_local::label_of),
                    id: c.id,
                    table: c.table,
                    row_id: c.row_id,
                    column: c.column,
                    base: c.base,
                    mine: c.mine,
                    theirs: c.theirs,
                    detected_at: c.detected_at,
                    theirs_at,
                })
            })
            .collect()
    })
}

#[tauri::command]
#[specta::specta]
pub async fn resolve_conflict(
    db: State<'_, Db>,
    hub: State<'_, Arc<SyncHub>>,
    id: f64,
    choice: Choice,
    value: Option<AnyValue>,
) -> CmdResult<()> {
    let id = id as i64;
    db.with(|s| match choice {
        Choice::Mine => s.resolve_conflict(id, outpost_core::sync_local::Keep::Mine),
        Choice::Theirs => s.resolve_conflict(id, outpost_core::sync_local::Keep::Theirs),
        Choice::Edit => match value {
            Some(v) => s.resolve_conflict_with(id, v.0),
            // An empty field is sent as null; no value at all is a mistake, not "clear it".
            None => Err(outpost_core::Error::Invalid {
                table: "sync_conflicts".into(),
                column: "value".into(),
                reason: "give the value to keep".into(),
            }),
        },
    })?;
    hub.sync_now();
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn rejections(db: State<'_, Db>) -> CmdResult<Vec<RejectionItem>> {
    db.reading(|s| {
        s.open_rejections()?
            .into_iter()
            .map(|r| {
                Ok(RejectionItem {
                    label: r.label,
                    id: r.id,
                    table: r.table,
                    row_id: r.row_id,
                    op: r.op,
                    code: r.code,
                    reason: r.reason,
                    rejected_at: r.rejected_at,
                    changed: r.changed,
                    opens: r.opens,
                })
            })
            .collect()
    })
}

#[tauri::command]
#[specta::specta]
pub async fn settle_rejection(db: State<'_, Db>, hub: State<'_, Arc<SyncHub>>, id: f64, retry: bool) -> CmdResult<()> {
    let id = id as i64;
    if id < 1 {
        return Err(CommandError::new("invalid", "no such rejected change"));
    }
    db.with(|s| if retry { s.retry_rejection(id) } else { s.discard_rejection(id) })?;
    if retry {
        hub.sync_now();
    }
    Ok(())
}
