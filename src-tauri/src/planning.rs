//! Commands for organising work around leads: saved views, tasks, lists, campaigns, email templates
//! and the dashboard's weekly activity. Thin, like the lead commands.

use outpost_core::drafts::{ActivityDraft, TemplateDraft};
use outpost_core::inbound::InboundItem;
use outpost_core::lists::{CampaignSummary, Group, ListSummary, Memberships};
use outpost_core::pipeline::WeekCount;
use outpost_core::tasks::{DueFollowUps, DueTask, MyDayCounts};
use outpost_core::templates::Draft;
use outpost_core::views::SavedView;
use outpost_core::{Activity, Campaign, EmailTemplate, Lead, LeadList, LeadQuery};
use tauri::State;

use crate::commands::{Db, Fields};
use crate::error::CmdResult;

#[tauri::command]
#[specta::specta]
pub async fn saved_views(db: State<'_, Db>) -> CmdResult<Vec<SavedView>> {
    db.reading(|s| s.saved_views())
}

#[tauri::command]
#[specta::specta]
pub async fn save_view(db: State<'_, Db>, name: String, query: LeadQuery) -> CmdResult<SavedView> {
    db.with(|s| s.save_view(&name, &query))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_view(db: State<'_, Db>, id: String) -> CmdResult<()> {
    db.with(|s| s.delete_view(&id))
}

/// Open tasks due at or before `until` (RFC 3339).
#[tauri::command]
#[specta::specta]
pub async fn due_tasks(db: State<'_, Db>, until: String) -> CmdResult<Vec<DueTask>> {
    db.reading(|s| s.due_tasks(&until))
}

/// My day's follow-ups: overdue (before `day_start`) and today's, up to 500 each, with totals.
#[tauri::command]
#[specta::specta]
pub async fn due_follow_ups(db: State<'_, Db>, day_start: String, day_end: String) -> CmdResult<DueFollowUps> {
    db.reading(|s| s.due_follow_ups(&day_start, &day_end, 500))
}

/// How much of My day is due by `day_end` (RFC 3339, the end of the rep's today): the
/// navigation's count.
#[tauri::command]
#[specta::specta]
pub async fn my_day_counts(db: State<'_, Db>, day_end: String) -> CmdResult<MyDayCounts> {
    db.reading(|s| s.my_day_counts(&day_end))
}

#[tauri::command]
#[specta::specta]
pub async fn complete_task(db: State<'_, Db>, id: String) -> CmdResult<Activity> {
    db.with(|s| s.complete_task(&id))
}

/// The Undo of ticking a task off.
#[tauri::command]
#[specta::specta]
pub async fn reopen_task(db: State<'_, Db>, id: String) -> CmdResult<Activity> {
    db.with(|s| s.reopen_task(&id))
}

/// Messages from leads that need the rep's action (My day).
#[tauri::command]
#[specta::specta]
pub async fn inbound_messages(db: State<'_, Db>) -> CmdResult<Vec<InboundItem>> {
    db.reading(|s| s.inbound_needing_action())
}

/// Marks a message handled, or (an undo) back to needing action.
#[tauri::command]
#[specta::specta]
pub async fn settle_inbound(db: State<'_, Db>, id: String, handled: bool) -> CmdResult<()> {
    db.with(|s| s.settle_inbound(&id, handled))
}

#[tauri::command]
#[specta::specta]
pub async fn lead_lists(db: State<'_, Db>) -> CmdResult<Vec<ListSummary>> {
    db.reading(|s| s.lead_lists())
}

#[tauri::command]
#[specta::specta]
pub async fn create_list(db: State<'_, Db>, name: String, description: Option<String>) -> CmdResult<LeadList> {
    db.with(|s| s.create_list(&name, description.as_deref()))
}

/// Puts the leads in the list (or in none with `list_id` null); returns each lead that moved with
/// the list it was in, for the Undo.
#[tauri::command]
#[specta::specta]
pub async fn assign_to_list(
    db: State<'_, Db>,
    list_id: Option<String>,
    lead_ids: Vec<String>,
) -> CmdResult<Vec<outpost_core::lists::Previous>> {
    db.with(|s| s.assign_to_list(list_id.as_deref(), &lead_ids))
}

/// Adds the tag to the leads (or takes it off with `add` false); returns the leads it changed,
/// for the Undo.
#[tauri::command]
#[specta::specta]
pub async fn tag_leads(
    db: State<'_, Db>,
    lead_ids: Vec<String>,
    tag: String,
    add: bool,
) -> CmdResult<Vec<outpost_core::tagging::TagChange>> {
    db.with(|s| s.tag_leads(&lead_ids, &tag, add))
}

/// Gives the leads `status` (with `only_from`: only those whose status is that one now, as an
/// Undo does); a lead the store's rules refuse is counted, the others change.
#[tauri::command]
#[specta::specta]
pub async fn set_status(
    db: State<'_, Db>,
    lead_ids: Vec<String>,
    status: String,
    only_from: Option<String>,
) -> CmdResult<outpost_core::statuses::StatusChanges> {
    db.with(|s| s.set_status(&lead_ids, &status, only_from.as_deref()))
}

/// The Undo of a list or owner change that gave the leads `given`: each still there gets back the
/// value it had; those changed since stay, refusals are counted.
#[tauri::command]
#[specta::specta]
pub async fn put_back_leads(
    db: State<'_, Db>,
    what: outpost_core::lists::LeadReference,
    given: Option<String>,
    previous: Vec<outpost_core::lists::Previous>,
) -> CmdResult<outpost_core::lists::PutBack> {
    db.with(|s| s.put_back(what, given.as_deref(), &previous))
}

/// The organization's members (the one signed in here first): who leads can belong to.
#[tauri::command]
#[specta::specta]
pub async fn team_members(db: State<'_, Db>) -> CmdResult<Vec<outpost_core::team::Member>> {
    db.reading(|s| s.team_members())
}

/// Gives the leads to `owner` (null: to no one); returns each lead changed with the owner it had.
#[tauri::command]
#[specta::specta]
pub async fn assign_leads(
    db: State<'_, Db>,
    lead_ids: Vec<String>,
    owner: Option<String>,
) -> CmdResult<Vec<outpost_core::lists::Previous>> {
    db.with(|s| s.assign_leads(&lead_ids, owner.as_deref()))
}

#[tauri::command]
#[specta::specta]
pub async fn campaigns(db: State<'_, Db>) -> CmdResult<Vec<CampaignSummary>> {
    db.reading(|s| s.campaigns())
}

#[tauri::command]
#[specta::specta]
pub async fn create_campaign(db: State<'_, Db>, name: String, channel: Option<String>) -> CmdResult<Campaign> {
    db.with(|s| s.create_campaign(&name, channel.as_deref()))
}

/// Adds the leads to the campaign (those already in it are skipped, do-not-contact ones left out).
#[tauri::command]
#[specta::specta]
pub async fn add_to_campaign(
    db: State<'_, Db>,
    campaign_id: String,
    lead_ids: Vec<String>,
) -> CmdResult<outpost_core::lists::CampaignAdds> {
    db.with(|s| s.add_to_campaign(&campaign_id, &lead_ids))
}

/// Takes the leads out of the campaign (the Undo of adding them); returns how many.
#[tauri::command]
#[specta::specta]
pub async fn remove_from_campaign(db: State<'_, Db>, campaign_id: String, lead_ids: Vec<String>) -> CmdResult<u32> {
    db.with(|s| s.remove_from_campaign(&campaign_id, &lead_ids).map(|n| n as u32))
}

#[tauri::command]
#[specta::specta]
pub async fn email_templates(db: State<'_, Db>) -> CmdResult<Vec<EmailTemplate>> {
    db.reading(|s| s.email_templates())
}

/// Creates a template (no `id`) or changes one; `{{field}}` variables are read from the text.
#[tauri::command]
#[specta::specta]
pub async fn save_template(
    db: State<'_, Db>,
    id: Option<String>,
    name: String,
    subject: String,
    content: String,
) -> CmdResult<EmailTemplate> {
    db.with(|s| s.save_template(id.as_deref(), &name, &subject, &content))
}

#[tauri::command]
#[specta::specta]
pub async fn draft_email(db: State<'_, Db>, template_id: String, lead_id: String) -> CmdResult<Draft> {
    db.reading(|s| s.draft_email(&template_id, &lead_id))
}

/// Deletes a template (soft: `restore_template` is the Undo).
#[tauri::command]
#[specta::specta]
pub async fn delete_template(db: State<'_, Db>, id: String) -> CmdResult<()> {
    db.with(|s| s.delete_template(&id))
}

#[tauri::command]
#[specta::specta]
pub async fn restore_template(db: State<'_, Db>, id: String) -> CmdResult<EmailTemplate> {
    db.with(|s| s.restore_template(&id))
}

/// The lead's follow-up done: cleared, and kept on its timeline (the activity is the Undo's handle).
#[tauri::command]
#[specta::specta]
pub async fn follow_up_done(db: State<'_, Db>, lead_id: String) -> CmdResult<Activity> {
    db.with(|s| s.follow_up_done(&lead_id))
}

/// The Undo of `follow_up_done`: the lead with its follow-up back.
#[tauri::command]
#[specta::specta]
pub async fn follow_up_undone(db: State<'_, Db>, activity_id: String) -> CmdResult<Lead> {
    db.with(|s| s.follow_up_undone(&activity_id))
}

/// Renames a list or a campaign.
#[tauri::command]
#[specta::specta]
pub async fn rename_group(db: State<'_, Db>, group: Group, id: String, name: String) -> CmdResult<()> {
    db.with(|s| s.rename_group(group, &id, &name))
}

/// Deletes a list or a campaign (soft: `restore_group` is the Undo).
#[tauri::command]
#[specta::specta]
pub async fn delete_group(db: State<'_, Db>, group: Group, id: String) -> CmdResult<()> {
    db.with(|s| s.delete_group(group, &id))
}

/// Brings a deleted list or campaign back; its name (another if its own was taken since).
#[tauri::command]
#[specta::specta]
pub async fn restore_group(db: State<'_, Db>, group: Group, id: String) -> CmdResult<String> {
    db.with(|s| s.restore_group(group, &id))
}

/// The list and campaigns a lead is in (its panel).
#[tauri::command]
#[specta::specta]
pub async fn memberships(db: State<'_, Db>, lead_id: String) -> CmdResult<Memberships> {
    db.reading(|s| s.memberships(&lead_id))
}

/// Records an email sent to the lead on its timeline.
#[tauri::command]
#[specta::specta]
pub async fn log_email(db: State<'_, Db>, lead_id: String, subject: String, body: String) -> CmdResult<Activity> {
    db.with(|s| s.log_email(&lead_id, &subject, &body))
}

/// Records an email the lead sent (a reply) on its timeline, as of when it came (none: now).
#[tauri::command]
#[specta::specta]
pub async fn log_reply(
    db: State<'_, Db>,
    lead_id: String,
    subject: String,
    body: String,
    received_at: Option<String>,
) -> CmdResult<Activity> {
    db.with(|s| s.log_reply(&lead_id, &subject, &body, received_at.as_deref()))
}

/// Deletes an activity the rep logged, taking back what it did to its lead (`restore_activity` is
/// the Undo).
#[tauri::command]
#[specta::specta]
pub async fn delete_activity(db: State<'_, Db>, id: String) -> CmdResult<Activity> {
    db.with(|s| s.delete_activity(&id))
}

#[tauri::command]
#[specta::specta]
pub async fn restore_activity(db: State<'_, Db>, id: String) -> CmdResult<Activity> {
    db.with(|s| s.restore_activity(&id))
}

/// The unlogged text of every live lead's activity forms, as kept.
#[tauri::command]
#[specta::specta]
pub async fn activity_drafts(db: State<'_, Db>) -> CmdResult<Vec<ActivityDraft>> {
    db.reading(|s| s.activity_drafts())
}

/// Keeps what the rep typed in a lead's activity forms (null forgets it); `patient` as the window
/// closes (see `Db::drafting`).
#[tauri::command]
#[specta::specta]
pub async fn keep_activity_draft(
    db: State<'_, Db>,
    lead_id: String,
    draft: Option<Fields>,
    patient: bool,
) -> CmdResult<()> {
    let draft = draft.map(|f| serde_json::Value::Object(f.0));
    db.drafting(patient, |s| s.keep_activity_draft(&lead_id, draft.as_ref()))
}

/// The unsaved edits of live templates and of a new one, as kept.
#[tauri::command]
#[specta::specta]
pub async fn template_drafts(db: State<'_, Db>) -> CmdResult<Vec<TemplateDraft>> {
    db.reading(|s| s.template_drafts())
}

/// Keeps a template's unsaved edits (`template_id` null: a new template; `draft` null forgets them).
#[tauri::command]
#[specta::specta]
pub async fn keep_template_draft(
    db: State<'_, Db>,
    template_id: Option<String>,
    draft: Option<Fields>,
    patient: bool,
) -> CmdResult<()> {
    let draft = draft.map(|f| serde_json::Value::Object(f.0));
    db.drafting(patient, |s| s.keep_template_draft(template_id.as_deref(), draft.as_ref()))
}

#[tauri::command]
#[specta::specta]
pub async fn activities_per_week(db: State<'_, Db>, weeks: u32) -> CmdResult<Vec<WeekCount>> {
    db.reading(|s| s.activities_per_week(weeks.clamp(1, 104)))
}

/// The lead an import's "create anyway" took this one for, to offer merging them.
#[tauri::command]
#[specta::specta]
pub async fn duplicate_of(db: State<'_, Db>, id: String) -> CmdResult<Option<outpost_core::merge::DuplicateOf>> {
    db.reading(|s| s.duplicate_of(&id))
}

/// What merging one lead into another would do: each field with how it merges, and the records
/// that would move.
#[tauri::command]
#[specta::specta]
pub async fn merge_plan(db: State<'_, Db>, keep: String, other: String) -> CmdResult<outpost_core::merge::MergePlan> {
    db.reading(|s| s.merge_plan(&keep, &other))
}

/// Merges `other` into `keep`, taking the other's value for the fields in `take`; the merge's
/// number for its Undo.
#[tauri::command]
#[specta::specta]
pub async fn merge_leads(
    db: State<'_, Db>,
    keep: String,
    other: String,
    take: Vec<String>,
) -> CmdResult<outpost_core::merge::MergeDone> {
    db.with(|s| s.merge_leads(&keep, &other, &take))
}

/// A merge's Undo, by the number `merge_leads` gave (the store kept what the merge did).
#[tauri::command]
#[specta::specta]
pub async fn unmerge_leads(db: State<'_, Db>, id: f64) -> CmdResult<outpost_core::merge::Unmerged> {
    db.with(|s| s.unmerge_leads(id as i64))
}
