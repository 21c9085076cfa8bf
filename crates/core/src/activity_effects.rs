//! What a call or an email logged on a lead does to it — last contacted, emails sent, replies, the
//! email status — in the activity's own transaction; taken back when the activity is deleted, and
//! done again when that is undone.

use rusqlite::OptionalExtension;
use serde_json::{json, Map, Value};

use crate::error::{Error, Result};
use crate::records::{Activity, ActivityType, Lead};
use crate::rules::is_inbound;
use crate::{time, Store, Tx};

impl Store {
    /// Deletes an activity the rep logged (soft: `restore_activity` is the Undo), taking back what
    /// it did to its lead. A teammate's stays: it is their record of their work.
    pub fn delete_activity(&mut self, id: &str) -> Result<Activity> {
        self.write(|tx| {
            let activity: Activity = tx.find(id)?;
            refuse_a_teammates(tx, &activity)?;
            tx.delete("activities", id)?;
            off_lead(tx, &activity)?;
            tx.find(id)
        })
    }

    /// The Undo of `delete_activity`: the activity is back, and counts on its lead again as of
    /// when it happened.
    pub fn restore_activity(&mut self, id: &str) -> Result<Activity> {
        self.write(|tx| {
            let activity: Activity = tx.find(id)?;
            if activity.deleted_at.is_none() {
                return Ok(activity);
            }
            refuse_a_teammates(tx, &activity)?;
            let lead: Lead = tx.find(&activity.lead_id)?;
            if lead.deleted_at.is_some() {
                return Err(Error::AlreadyDone(format!(
                    "{} was deleted (or merged into another lead) since: this activity stays deleted",
                    lead.display_name()
                )));
            }
            tx.restore("activities", id)?;
            on_lead(tx, &activity, &happened(tx, &activity))?;
            tx.find(id)
        })
    }
}

fn refuse_a_teammates(tx: &Tx<'_>, activity: &Activity) -> Result<()> {
    match activity.user_id.as_deref() {
        Some(who) if who != tx.identity().user_id => {
            Err(Error::invalid("activities", "user_id", "a teammate logged this: only they can delete it"))
        }
        _ => Ok(()),
    }
}

/// When the call or email happened: when it was done (a reply logged a day late says when it
/// came), else when it was logged.
fn happened(tx: &Tx<'_>, activity: &Activity) -> String {
    activity.completed_at.clone().or_else(|| activity.created_at.clone()).unwrap_or_else(|| tx.now().to_string())
}

/// A call or an email just logged counts on its lead — one that says it is still to come is
/// refused (a time zone slip would make it the lead's last contact for days).
pub(crate) fn logged(tx: &mut Tx<'_>, activity: &Activity) -> Result<()> {
    let at = happened(tx, activity);
    let soon = time::parse(tx.now()).map(|now| time::format(now + chrono::Duration::seconds(60)));
    if matches!(activity.r#type, ActivityType::Call | ActivityType::Email) && soon.is_some_and(|soon| at > soon) {
        return Err(Error::invalid(
            "activities",
            "completed_at",
            format!("{} is still to come: log it once it happened", at.get(..10).unwrap_or(&at)),
        ));
    }
    on_lead(tx, activity, &at)
}

/// The lead's email status before a reply made it "replied" (kept in the reply's metadata).
const STATUS_BEFORE: &str = "email_status_before";
/// When that reply made it so (the reply that did it last holds the status to go back to).
const STATUS_SET_AT: &str = "email_status_set_at";

fn is_reply(activity: &Activity) -> bool {
    activity.r#type == ActivityType::Email && is_inbound(&activity.metadata)
}

/// A call or an email made at `at` counts on its lead: a reply as a reply (the email status keeps
/// weightier news: a reply is not a new consent after an unsubscribe), the rep's own as a contact.
pub(crate) fn on_lead(tx: &mut Tx<'_>, activity: &Activity, at: &str) -> Result<()> {
    if !matches!(activity.r#type, ActivityType::Call | ActivityType::Email) {
        return Ok(());
    }
    let lead: Lead = tx.find(&activity.lead_id)?;
    let later = |old: &Option<String>| old.as_deref().is_none_or(|t| t < at);
    let mut patch = Map::new();
    if is_reply(activity) {
        patch.insert("reply_count".into(), json!(lead.reply_count.saturating_add(1)));
        if later(&lead.last_reply_at) {
            patch.insert("last_reply_at".into(), json!(at));
        }
        if matches!(lead.email_status.as_deref(), None | Some("no_reply")) {
            patch.insert("email_status".into(), json!("replied"));
            // What deleting the reply puts back (a reply logged on the wrong lead).
            let mut metadata = activity.metadata.clone();
            metadata.insert(STATUS_BEFORE.into(), json!(lead.email_status));
            metadata.insert(STATUS_SET_AT.into(), json!(tx.now()));
            let mut noted = Map::new();
            noted.insert("metadata".into(), Value::Object(metadata));
            tx.update("activities", &activity.id, noted)?;
        }
    } else {
        if later(&lead.last_contacted_at) {
            patch.insert("last_contacted_at".into(), json!(at));
        }
        if activity.r#type == ActivityType::Email {
            patch.insert("emails_sent_count".into(), json!(lead.emails_sent_count.saturating_add(1)));
        }
    }
    if !patch.is_empty() {
        tx.update("leads", &lead.id, patch)?;
    }
    Ok(())
}

/// `on_lead` taken back for a deleted activity: its count goes, and a time it set is the latest
/// of the lead's other such activities (none: empty). Once no reply is left, a "replied" a reply
/// set goes back to the status it found (`status_before_replies`).
fn off_lead(tx: &mut Tx<'_>, activity: &Activity) -> Result<()> {
    if !matches!(activity.r#type, ActivityType::Call | ActivityType::Email) {
        return Ok(());
    }
    let lead: Lead = tx.find(&activity.lead_id)?;
    // (Before a reply could say when it came, the lead took the logging's time.)
    let set_by_it = |at: &Option<String>| at.is_some() && (*at == activity.completed_at || *at == activity.created_at);
    let mut patch = Map::new();
    if is_reply(activity) {
        let replies = lead.reply_count.saturating_sub(1).max(0);
        patch.insert("reply_count".into(), json!(replies));
        if set_by_it(&lead.last_reply_at) {
            patch.insert("last_reply_at".into(), latest(tx, &lead.id, true)?);
        }
        if replies == 0 && lead.email_status.as_deref() == Some("replied") {
            if let Some(status) = status_before_replies(tx, &lead, activity)? {
                patch.insert("email_status".into(), status);
            }
        }
    } else {
        if set_by_it(&lead.last_contacted_at) {
            patch.insert("last_contacted_at".into(), latest(tx, &lead.id, false)?);
        }
        if activity.r#type == ActivityType::Email {
            patch.insert("emails_sent_count".into(), json!(lead.emails_sent_count.saturating_sub(1).max(0)));
        }
    }
    if !patch.is_empty() {
        tx.update("leads", &lead.id, patch)?;
    }
    Ok(())
}

/// The lead's email status before a reply last made it "replied", as that reply noted it — among
/// the replies still there when `deleted` was logged (replies may be deleted in any order: the one
/// that set it, deleted since or not, holds it). None: no reply there set it (it was "replied"
/// already — set by hand, by an import, or by a reply logged before replies kept notes): it stays.
fn status_before_replies(tx: &Tx<'_>, lead: &Lead, deleted: &Activity) -> Result<Option<Value>> {
    let noted: Option<Option<String>> = tx
        .conn()
        .query_row(
            "SELECT json_extract(metadata, '$.email_status_before') FROM activities
             WHERE lead_id = ?1 AND type = 'email' AND json_extract(metadata, '$.direction') = 'inbound'
               AND json_type(metadata, '$.email_status_before') IS NOT NULL
               AND (deleted_at IS NULL OR deleted_at >= ?2)
             ORDER BY json_extract(metadata, '$.email_status_set_at') DESC, created_at DESC LIMIT 1",
            (&lead.id, deleted.created_at.as_deref().unwrap_or_default()),
            |r| r.get(0),
        )
        .optional()?;
    // (Only these two become "replied".)
    Ok(noted.map(|status| match status.as_deref() {
        Some("no_reply") => json!("no_reply"),
        _ => Value::Null,
    }))
}

/// When the lead's latest live reply (or call or email of the rep's) happened.
fn latest(tx: &Tx<'_>, lead_id: &str, replies: bool) -> Result<Value> {
    let at: Option<String> = tx.conn().query_row(
        "SELECT max(coalesce(completed_at, created_at)) FROM activities
         WHERE lead_id = ?1 AND deleted_at IS NULL
           AND CASE WHEN type = 'email' AND json_extract(metadata, '$.direction') = 'inbound' THEN ?2
                    ELSE type IN ('call', 'email') AND NOT ?2 END",
        (lead_id, replies),
        |r| r.get(0),
    )?;
    Ok(at.map_or(Value::Null, Value::String))
}
