//! What the pipeline board and the dashboard show: live leads per status with their predicted
//! value, and a lead's timeline.

use serde::Serialize;

use crate::error::Result;
use crate::records::{from_row, Activity, LeadStatus};
use crate::values::{row_from_sql, select_list};
use crate::Store;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StatusCount {
    pub status: LeadStatus,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub count: i64,
    /// Sum of the leads' predicted values (0 when none is set).
    pub value: f64,
}

impl Store {
    /// Every status in pipeline order, with zero counts included so the board has all columns.
    pub fn status_summary(&self) -> Result<Vec<StatusCount>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT status, count(*), total(CAST(predicted_value AS REAL)) FROM leads
             WHERE deleted_at IS NULL GROUP BY status",
        )?;
        let found: Vec<(String, i64, f64)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(LeadStatus::ALL
            .into_iter()
            .map(|status| {
                let hit = found.iter().find(|(s, _, _)| s == status.as_str());
                StatusCount { status, count: hit.map_or(0, |h| h.1), value: hit.map_or(0.0, |h| h.2) }
            })
            .collect())
    }

    /// A lead's activities, newest first (by when they happened or are due, else when logged).
    pub fn lead_timeline(&self, lead_id: &str) -> Result<Vec<Activity>> {
        let t = self.catalog().table("activities")?;
        let sql = format!(
            "SELECT {} FROM activities WHERE lead_id = ?1 AND deleted_at IS NULL
             ORDER BY coalesce(completed_at, scheduled_at, created_at) DESC, id DESC",
            select_list(t)
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([lead_id], |r| row_from_sql(t, r))?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(from_row).collect()
    }
}
