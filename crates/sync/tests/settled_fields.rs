//! Two reps who both emailed a lead while apart, and each logged a reply: its counts of emails sent
//! and replies keep both sides' and its last contact is the later one — settled by the sync, not left in the rep's inbox as a
//! choice between two wrong numbers.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::Lead;
use serde_json::json;

/// Dana, added by Ana and synced to both Ana's and Bo's laptops.
async fn dana_on_two_laptops() -> (standin::Standin, Laptop, Laptop, Lead) {
    let (s, _org) = team(2);
    let mut ana = rep(&s, 0).await;
    let mut bo = rep(&s, 1).await;
    let lead = ana.add(json!({"first_name": "Dana", "email": "dana@settle.test"}));
    ana.sync().await;
    bo.sync().await;
    (s, ana, bo, lead)
}

#[tokio::test]
async fn counts_and_last_contact_both_reps_changed_settle_themselves() {
    let (s, mut ana, mut bo, lead) = dana_on_two_laptops().await;

    let email = |id: &str| obj(json!({"lead_id": id, "type": "email", "description": "follow-up"}));
    ana.store.log_activity(email(&lead.id)).unwrap();
    bo.store.log_activity(email(&lead.id)).unwrap();
    bo.store.log_activity(email(&lead.id)).unwrap();
    ana.store.log_reply(&lead.id, "Re: follow-up", "Thursday works", None).unwrap();
    bo.store.log_reply(&lead.id, "Re: follow-up", "Send the deck", None).unwrap();
    bo.edit(&lead.id, json!({"notes": "Bo's note"}));
    ana.edit(&lead.id, json!({"notes": "Ana's note"}));
    let bo_contacted = bo.store.find::<Lead>(&lead.id).unwrap().last_contacted_at.unwrap();

    assert_eq!(ana.sync().await.conflicts, 0);
    let r = bo.sync().await;
    assert_eq!(r.conflicts, 1, "only the notes are Bo's to settle: {r:?}");
    let open: Vec<String> = bo.store.open_conflicts().unwrap().into_iter().map(|c| c.column).collect();
    assert_eq!(open, ["notes"]);
    assert_eq!(bo.store.pending_count().unwrap(), 0, "the settled values went in the same sync");

    let on_server = format!(
        "SELECT emails_sent_count || ' ' || reply_count || ' ' || email_status || ' ' || (last_contacted_at = '{bo_contacted}')::text \
         FROM leads WHERE id = '{}'",
        lead.id
    );
    assert_eq!(s.sql(&on_server).unwrap(), vec!["3 2 replied true"]);
    ana.sync().await;
    for l in [&ana, &bo] {
        let now = l.store.find::<Lead>(&lead.id).unwrap();
        assert_eq!((now.emails_sent_count, now.reply_count), (3, 2));
        let at = chrono::DateTime::parse_from_rfc3339(now.last_contacted_at.as_deref().unwrap()).unwrap();
        assert_eq!(at, chrono::DateTime::parse_from_rfc3339(&bo_contacted).unwrap());
    }
}

#[tokio::test]
async fn each_rule_reads_only_values_it_can_and_other_fields_stay_conflicts() {
    let (s, _org) = team(0);
    let merge = |table: &str, column: &str, base: &str, mine: &str, theirs: &str| {
        let sql = format!(
            "SELECT coalesce(public.sync_merge_field('{table}', '{column}', '{base}'::jsonb, '{mine}'::jsonb, '{theirs}'::jsonb)::text, 'none')"
        );
        s.sql(&sql).unwrap().remove(0)
    };
    assert_eq!(merge("leads", "reply_count", "3", "5", "4"), "6");
    assert_eq!(merge("leads", "reply_count", "9", "0", "2"), "0", "never below 0");
    assert_eq!(merge("leads", "emails_sent_count", "null", "1", "2"), "none", "no base: what was added is unknown");
    let (early, late) = ("\"2026-11-27T10:00:00Z\"", "\"2026-11-27T11:30:00+02:00\"");
    assert_eq!(merge("leads", "last_contacted_at", "null", early, late), early, "11:30+02 is 09:30Z");
    // Cleared on one side (the only reply deleted), set on the other (a teammate's reply): it happened.
    assert_eq!(merge("leads", "last_reply_at", early, "null", late), late);
    assert_eq!(merge("leads", "last_contacted_at", early, late, "null"), late);
    assert_eq!(merge("leads", "email_status", "\"replied\"", "null", "\"bounced\""), "\"bounced\"");
    assert_eq!(merge("leads", "email_status", "\"no_reply\"", "\"replied\"", "null"), "\"replied\"");
    assert_eq!(merge("leads", "email_status", "null", "\"replied\"", "\"spam\""), "none", "a status it cannot weigh");
    assert_eq!(merge("leads", "email_status", "null", "\"replied\"", "\"bounced\""), "\"bounced\"");
    assert_eq!(merge("leads", "email_status", "null", "\"unsubscribed\"", "\"replied\""), "\"unsubscribed\"");
    assert_eq!(merge("leads", "notes", "\"a\"", "\"b\"", "\"c\""), "none");
    assert_eq!(merge("campaign_leads", "attempts", "3", "0", "4"), "none", "enrolled again starts over at 0");
}

#[tokio::test]
async fn a_laptop_whose_pull_kept_its_earlier_contact_time_ends_with_the_later_one() {
    let (_server, mut ana, mut bo, lead) = dana_on_two_laptops().await;

    let call = |id: &str| obj(json!({"lead_id": id, "type": "call", "description": "left a message"}));
    ana.store.log_activity(call(&lead.id)).unwrap();
    bo.store.log_activity(call(&lead.id)).unwrap();
    let later = bo.store.find::<Lead>(&lead.id).unwrap().last_contacted_at.unwrap();
    assert_eq!(bo.sync().await.conflicts, 0);
    // A new lead with an email makes Ana's sync pull first: her pending contact time is kept then.
    ana.add(json!({"first_name": "Eve", "email": "eve@settle.test"}));
    let r = ana.sync().await;
    assert_eq!(r.conflicts, 0, "{r:?}");
    let at = |l: &Laptop| {
        let v = l.store.find::<Lead>(&lead.id).unwrap().last_contacted_at.unwrap();
        chrono::DateTime::parse_from_rfc3339(&v).unwrap()
    };
    assert_eq!(at(&ana), chrono::DateTime::parse_from_rfc3339(&later).unwrap(), "Ana has Bo's later call");
    bo.sync().await;
    assert_eq!(at(&bo), at(&ana));
}
