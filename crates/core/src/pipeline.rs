//! What the pipeline board and the dashboard show: live leads per status with their predicted
//! value, and a lead's timeline.

use serde::Serialize;

use crate::error::Result;
use chrono::Datelike;

use crate::records::LeadStatus;
use crate::Store;

/// Columns by role, first present wins (see `lead_timeline`).
const KIND: [&str; 7] = ["type", "message_type", "insight_type", "event_type", "email_type", "category", "direction"];
const AT: [&str; 8] = [
    "occurred_at",
    "sent_at",
    "started_at",
    "start_time",
    "completed_at",
    "scheduled_at",
    "scheduled_for",
    "created_at",
];
const TITLE: [&str; 7] = ["subject", "title", "email_subject", "event_name", "outcome", "score", "file_name"];
const BODY: [&str; 9] = [
    "description",
    "content",
    "summary",
    "notes",
    "email_body",
    "reasoning",
    "explanation",
    "transcript",
    "ai_summary",
];

/// One thing that happened with a lead, from any table that records such things.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TimelineEntry {
    /// The table it comes from (activities, emails, call_logs, …).
    pub source: String,
    pub id: String,
    pub kind: Option<String>,
    pub at: Option<String>,
    pub title: Option<String>,
    pub body: Option<String>,
    /// When it is due (a task's, an appointment's time), if it has such a time.
    pub due: Option<String>,
    /// When it was done (a task ticked off), if it can be.
    pub done_at: Option<String>,
    /// An activity this rep logged: they may delete it (`Store::delete_activity`).
    pub deletable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WeekCount {
    /// The Monday the week starts on (YYYY-MM-DD).
    pub week: String,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub count: i64,
}

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
        status_summary(self.conn())
    }

    /// Everything that happened with a lead — what is still to do first (soonest due first), then
    /// the rest newest first: activities, conversations, emails, calls,
    /// appointments, scores, insights, journey events, follow-ups and documents — every synced table
    /// with a `lead_id`, read through the same columns-by-role choice, so a new such table shows up
    /// without code. At most 300 entries.
    pub fn lead_timeline(&self, lead_id: &str) -> Result<Vec<TimelineEntry>> {
        let parts: Vec<String> = self
            .catalog()
            .tables()
            .into_iter()
            .filter(|t| t.column("lead_id").is_some() && t.name != "campaign_leads" && t.name != "leads")
            .map(|t| {
                let pick = |names: &[&str]| {
                    let found: Vec<String> = names
                        .iter()
                        .filter(|n| t.column(n).is_some())
                        .map(|n| format!("CAST(\"{n}\" AS TEXT)"))
                        .collect();
                    match found.len() {
                        0 => "NULL".to_string(),
                        1 => found[0].clone(),
                        _ => format!("coalesce({})", found.join(", ")),
                    }
                };
                // Open: a task not done (as My day counts them); a meeting's or call's time alone
                // does not make it one, nor an appointment never marked done.
                let open = match t.column("completed_at") {
                    Some(_) => format!("completed_at IS NULL AND {} = 'task'", pick(&KIND)),
                    None => "0".into(),
                };
                // An activity the lead started (a reply, their call) is its own kind: "email_inbound".
                // (Messages and call logs say their direction in their kind already.)
                let kind = match (t.name.as_str(), pick(&KIND)) {
                    ("activities", kind) => format!(
                        "CASE WHEN json_extract(metadata, '$.direction') = 'inbound' THEN {kind} || '_inbound' ELSE {kind} END"
                    ),
                    (_, kind) => kind,
                };
                let deletable = if t.name == "activities" { "(user_id IS NULL OR user_id = ?2)" } else { "0" };
                format!(
                    "SELECT '{}' AS source, id, {kind} AS kind, {} AS at, {} AS title, {} AS body, {} AS due, \
                     {} AS done_at, {deletable} AS deletable, {open} AS open FROM \"{}\" WHERE lead_id = ?1 AND deleted_at IS NULL",
                    t.name,
                    pick(&AT),
                    pick(&TITLE),
                    pick(&BODY),
                    pick(&["scheduled_at"]),
                    pick(&["completed_at"]),
                    t.name
                )
            })
            .collect();
        // What is still to do comes first, soonest due first (overdue at the top, undated last);
        // then what happened, newest first. A task sorted by its due day among the history put one due
        // tomorrow above everything and one due yesterday below older notes.
        let sql = format!(
            "SELECT * FROM ({}) ORDER BY open DESC, CASE WHEN open THEN due IS NULL END, CASE WHEN open THEN due END, \
             at DESC, id DESC LIMIT 300",
            parts.join(" UNION ALL ")
        );
        // (A viewer deletes nothing.)
        let may_write = crate::rows::view_only(self.conn(), &self.identity().user_id)?.is_none();
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([lead_id, self.identity().user_id.as_str()], |r| {
            Ok(TimelineEntry {
                source: r.get(0)?,
                id: r.get(1)?,
                kind: r.get(2)?,
                at: r.get(3)?,
                title: r.get(4)?,
                body: r.get(5)?,
                due: r.get(6)?,
                done_at: r.get(7)?,
                deletable: may_write && r.get::<_, bool>(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Activities logged per week for the last `weeks` weeks, oldest first, including empty weeks.
    /// Weeks start on Monday where the laptop is (a call at 09:00 on a Sydney Monday is Sunday in
    /// UTC); a call logged later as of a day without a time (exactly noon or midnight UTC, see the
    /// UI's pastDayToRfc3339) counts on that day. What a lead started (a reply logged) is not the rep's
    /// work; an activity of a lead deleted since still is (the call was made).
    pub fn activities_per_week(&self, weeks: u32) -> Result<Vec<WeekCount>> {
        let this_monday = {
            let today = chrono::Local::now().date_naive();
            today - chrono::Days::new(u64::from(today.weekday().num_days_from_monday()))
        };
        let first = this_monday - chrono::Days::new(7 * u64::from(weeks.max(1) - 1));
        // From the day before it in UTC terms: no zone's Monday starts earlier; weeks before the
        // first found that way are not asked for below.
        let from = (first - chrono::Days::new(1)).format("%Y-%m-%d").to_string();
        let mut stmt = self.conn().prepare_cached(
            "SELECT CASE WHEN type = 'call' AND substr(t, 11) IN ('T12:00:00.000000Z', 'T00:00:00.000000Z')
                         THEN date(t, '-6 days', 'weekday 1') ELSE date(t, 'localtime', '-6 days', 'weekday 1') END AS w,
                    count(*)
             FROM (SELECT coalesce(completed_at, created_at) AS t, type FROM activities
                   WHERE deleted_at IS NULL AND coalesce(completed_at, created_at) >= ?1
                     AND json_extract(metadata, '$.direction') IS NOT 'inbound')
             GROUP BY w",
        )?;
        let found: Vec<(String, i64)> =
            stmt.query_map([from], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok((0..weeks.max(1))
            .map(|i| {
                let week = (first + chrono::Days::new(7 * u64::from(i))).format("%Y-%m-%d").to_string();
                let count = found.iter().find(|(w, _)| *w == week).map_or(0, |f| f.1);
                WeekCount { week, count }
            })
            .collect())
    }
}

/// Leads and their predicted value by status: read from the index of status and value alone
/// (V28), never the table's whole rows (public for the test of its plan).
pub const STATUS_SUMMARY: &str = "SELECT status, count(*), total(CAST(predicted_value AS REAL)) FROM leads
     WHERE deleted_at IS NULL GROUP BY status";

pub(crate) fn status_summary(conn: &rusqlite::Connection) -> Result<Vec<StatusCount>> {
    let mut stmt = conn.prepare_cached(STATUS_SUMMARY)?;
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
