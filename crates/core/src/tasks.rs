//! Activities: logging one on a lead (a call or an email marks the lead contacted), and tasks
//! across all leads for "My day": open tasks due by a moment, completing one, and opening it
//! again (the Undo of a tick); a lead's follow-up marked done, and put back.

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::error::{Error, Result};
use crate::records::{Activity, ActivityType, Lead};
use crate::values::Row;
use crate::{time, Store};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DueTask {
    pub task: Activity,
    pub lead_name: String,
}

/// My day's follow-ups: the overdue ones (most overdue first) and today's, each at most the
/// limit asked for, with how many there are in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DueFollowUps {
    pub overdue: Vec<crate::query::LeadSummary>,
    pub overdue_total: u32,
    pub today: Vec<crate::query::LeadSummary>,
    pub today_total: u32,
}

/// How much of My day is due by the end of the rep's today, for the navigation's count: lead
/// follow-ups (overdue ones included), open tasks due by then or undated (My day lists those as
/// due too: its count and the badge's must agree), and messages from leads that need action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MyDayCounts {
    pub follow_ups: u32,
    pub tasks: u32,
    pub messages: u32,
}

impl Store {
    /// My day's counts at `day_end` (RFC 3339): the same rows its lists hold, counted whole
    /// (the lists stop at 500), so the count never disagrees with the screen.
    pub fn my_day_counts(&self, day_end: &str) -> Result<MyDayCounts> {
        let end = time::normalize(day_end).unwrap_or_else(|| day_end.to_string());
        let count = |sql: &str, args: &[&str]| -> Result<u32> {
            Ok(self.conn().prepare_cached(sql)?.query_row(rusqlite::params_from_iter(args), |r| r.get(0))?)
        };
        Ok(MyDayCounts {
            // The follow-up sort index's expression: a count of one range of that index.
            follow_ups: count(
                "SELECT count(*) FROM leads WHERE deleted_at IS NULL AND ifnull(next_follow_up_at, '9999') <= ?1",
                &[&end],
            )?,
            tasks: count(
                "SELECT count(*) FROM activities a JOIN leads l ON l.id = a.lead_id
                 WHERE a.type = 'task' AND a.completed_at IS NULL AND a.deleted_at IS NULL AND l.deleted_at IS NULL
                   AND (a.scheduled_at <= ?1 OR a.scheduled_at IS NULL)",
                &[&end],
            )?,
            messages: count(&format!("SELECT count(*) {}", crate::inbound::NEEDING_ACTION), &[])?,
        })
    }

    /// Live leads whose follow-up is before `day_start` (overdue) or from then through `day_end`
    /// (today), RFC 3339 both. Asked apart: a backlog of overdue ones must not push today's off a
    /// shared limit (5,000 overdue hid every follow-up due today).
    pub fn due_follow_ups(&self, day_start: &str, day_end: &str, limit: usize) -> Result<DueFollowUps> {
        let start = time::normalize(day_start).unwrap_or_else(|| day_start.to_string());
        let end = time::normalize(day_end).unwrap_or_else(|| day_end.to_string());
        // The follow-up sort index's expression, so SQLite walks that index.
        const DUE: &str = "ifnull(next_follow_up_at, '9999')";
        let part = |range: &str, args: &[&str]| -> Result<(Vec<crate::query::LeadSummary>, u32)> {
            let ids: Vec<String> = self
                .conn()
                .prepare_cached(&format!(
                    "SELECT id FROM leads WHERE deleted_at IS NULL AND {range} ORDER BY {DUE}, rowid LIMIT {limit}"
                ))?
                .query_map(rusqlite::params_from_iter(args), |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let total: u32 = self
                .conn()
                .prepare_cached(&format!("SELECT count(*) FROM leads WHERE deleted_at IS NULL AND {range}"))?
                .query_row(rusqlite::params_from_iter(args), |r| r.get(0))?;
            let leads = ids.iter().map(|id| Ok(self.find::<Lead>(id)?.into())).collect::<Result<_>>()?;
            Ok((leads, total))
        };
        let (overdue, overdue_total) = part(&format!("{DUE} < ?1"), &[&start])?;
        let (today, today_total) = part(&format!("{DUE} >= ?1 AND {DUE} <= ?2"), &[&start, &end])?;
        Ok(DueFollowUps { overdue, overdue_total, today, today_total })
    }

    /// Logs an activity on its lead. A call or an email logged is the rep reaching the lead: the
    /// lead's "last contacted" becomes now (the CSV export and the list read it), and an email
    /// counts in its emails sent — in the same transaction. An email from the lead (metadata
    /// `direction: inbound`, see [`Store::log_reply`]) counts as a reply instead.
    pub fn log_activity(&mut self, fields: Row) -> Result<Activity> {
        self.write(|tx| {
            let id = tx.insert("activities", fields)?;
            let activity: Activity = tx.find(&id)?;
            crate::activity_effects::logged(tx, &activity)?;
            // (Read again: a reply notes on itself what it changed.)
            tx.find(&id)
        })
    }

    /// Open tasks of live leads due at or before `until` (RFC 3339, the end of the rep's today),
    /// oldest first, then those without a date (a task to do some time must not be forgotten): at
    /// most 500 overdue ones, 500 of the day and 500 undated — a backlog of overdue tasks must not
    /// push today's off a shared limit (as it did My day's follow-ups).
    pub fn due_tasks(&self, until: &str) -> Result<Vec<DueTask>> {
        let until = time::normalize(until).unwrap_or_else(|| until.to_string());
        // Today begins at the start of `until`'s day (My day's days are dates, see dueState).
        let day_start = format!("{}T00:00:00.000000Z", until.get(..10).unwrap_or_default());
        let ids: Vec<(String, String)> = self
            .conn()
            .prepare_cached(
                "SELECT id, lead_id FROM (SELECT * FROM (SELECT a.id, a.lead_id, a.scheduled_at, 0 AS part FROM activities a
                   JOIN leads l ON l.id = a.lead_id
                   WHERE a.type = 'task' AND a.completed_at IS NULL AND a.deleted_at IS NULL AND l.deleted_at IS NULL
                     AND a.scheduled_at < ?2 ORDER BY a.scheduled_at, a.id LIMIT 500)
                 UNION ALL SELECT * FROM (SELECT a.id, a.lead_id, a.scheduled_at, 1 FROM activities a
                   JOIN leads l ON l.id = a.lead_id
                   WHERE a.type = 'task' AND a.completed_at IS NULL AND a.deleted_at IS NULL AND l.deleted_at IS NULL
                     AND a.scheduled_at >= ?2 AND a.scheduled_at <= ?1 ORDER BY a.scheduled_at, a.id LIMIT 500)
                 UNION ALL SELECT * FROM (SELECT a.id, a.lead_id, a.scheduled_at, 2 FROM activities a
                   JOIN leads l ON l.id = a.lead_id
                   WHERE a.type = 'task' AND a.completed_at IS NULL AND a.deleted_at IS NULL AND l.deleted_at IS NULL
                     AND a.scheduled_at IS NULL ORDER BY a.id LIMIT 500))
                 ORDER BY part, scheduled_at, id",
            )?
            .query_map([&until, &day_start], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter()
            .map(|(task, lead)| {
                Ok(DueTask { task: self.find::<Activity>(&task)?, lead_name: self.find::<Lead>(&lead)?.display_name() })
            })
            .collect()
    }

    /// The lead's follow-up done: cleared, and kept on its timeline as a follow-up activity with
    /// its day and reason, in one transaction (the reason typed once is not simply gone). The
    /// activity is the Undo's handle (`follow_up_undone`).
    pub fn follow_up_done(&mut self, lead_id: &str) -> Result<Activity> {
        self.write(|tx| {
            let lead: Lead = tx.find(lead_id)?;
            let Some(due) = lead.next_follow_up_at.clone().filter(|_| lead.deleted_at.is_none()) else {
                return Err(Error::AlreadyDone("this lead has no follow-up to mark done".into()));
            };
            let mut patch = Map::new();
            patch.insert("next_follow_up_at".into(), Value::Null);
            patch.insert("follow_up_reason".into(), Value::Null);
            tx.update("leads", lead_id, patch)?;
            // (Whose it was: a merge may move the record to another lead, whose follow-up it is not.)
            let done = json!({"lead_id": lead_id, "type": "follow_up", "subject": lead.follow_up_reason,
                              "scheduled_at": due, "completed_at": tx.now().to_string(),
                              "metadata": {"follow_up_of": lead_id}});
            let id = tx.insert("activities", done.as_object().cloned().unwrap_or_default())?;
            tx.find(&id)
        })
    }

    /// The Undo of `follow_up_done`: the lead has its follow-up back (its day, even one past by
    /// now, and its reason) and the record of it goes. Refused, the record kept, when that would
    /// lose or misplace something: the lead deleted or merged into another since, or given a
    /// newer follow-up.
    pub fn follow_up_undone(&mut self, activity_id: &str) -> Result<Lead> {
        self.write(|tx| {
            let done: Activity = tx.find(activity_id)?;
            if done.r#type != ActivityType::FollowUp || done.deleted_at.is_some() {
                return Err(Error::AlreadyDone("this follow-up was already put back".into()));
            }
            let owner = done.metadata.get("follow_up_of").and_then(Value::as_str).unwrap_or(&done.lead_id);
            let lead: Lead = tx.find(owner)?;
            let refused = if lead.deleted_at.is_some() || owner != done.lead_id {
                Some("the lead was deleted or merged since; its follow-up stays done, on its timeline")
            } else if lead.next_follow_up_at.is_some() {
                Some("the lead has a newer follow-up since; it stays")
            } else {
                None
            };
            if let Some(why) = refused {
                return Err(Error::AlreadyDone(why.into()));
            }
            let mut patch = Map::new();
            patch.insert("next_follow_up_at".into(), json!(done.scheduled_at));
            patch.insert("follow_up_reason".into(), json!(done.subject));
            // The lead's own day, back: not checked as if typed now (it may have passed).
            tx.carrying_values(|tx| tx.update("leads", &lead.id, patch))?;
            tx.delete("activities", activity_id)?;
            tx.find(&lead.id)
        })
    }

    pub fn complete_task(&mut self, id: &str) -> Result<Activity> {
        let mut patch = Map::new();
        patch.insert("completed_at".into(), json!(time::now()));
        self.edit::<Activity>(id, patch)
    }

    /// A task ticked off by mistake, open again.
    pub fn reopen_task(&mut self, id: &str) -> Result<Activity> {
        let mut patch = Map::new();
        patch.insert("completed_at".into(), serde_json::Value::Null);
        self.edit::<Activity>(id, patch)
    }
}
