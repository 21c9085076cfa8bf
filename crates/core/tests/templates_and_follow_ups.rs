#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::{Activity, ActivityType, Error, Lead};
use serde_json::json;

#[test]
fn a_draft_fills_every_variable_the_editor_offers_however_spaced() {
    let mut db = open();
    let lead = add_lead(
        &mut db.store,
        json!({"first_name": "Ann", "last_name": "Lee", "company": "{{email}} Ltd",
               "address": {"city": "San Francisco", "country": "US"},
               "custom_fields": {"Industry Vertical": "SaaS"}}),
    );
    let body = "Hi {{first_name }}, {{ name}} — how is {{city}}, {{ COUNTRY }}? {{industry vertical}} at {{company}}. \
                {{ frist_name }} {{}}";
    let t = db.store.save_template(None, "Intro", "For {{  first_name  }}", body).unwrap();
    let d = db.store.draft_email(&t.id, &lead.id).unwrap();
    assert_eq!(d.subject, "For Ann");
    // A company holding braces is not read again as a variable; {{COUNTRY}} is the country,
    // however cased; the typo is missing.
    assert_eq!(d.body, "Hi Ann, Ann Lee — how is San Francisco, US? SaaS at {{email}} Ltd.  {{}}");
    assert_eq!(d.missing, ["frist_name"]);
}

#[test]
fn a_stray_brace_is_text_and_internal_columns_are_never_filled() {
    let mut db = open();
    let lead = add_lead(
        &mut db.store,
        json!({"first_name": "Ann", "notes": "owes us money", "source": "demo",
               "custom_fields": {"source": "Trade show"}}),
    );
    let t = db
        .store
        .save_template(None, "T", "", "Type {{ to open, {{first_name}}; {{{first_name}}} {{a}b}} {{notes}} {{source}}")
        .unwrap();
    assert_eq!(t.variables, ["first_name", "notes", "source"]);
    let d = db.store.draft_email(&t.id, &lead.id).unwrap();
    assert_eq!(d.body, "Type {{ to open, Ann; {Ann} {{a}b}}  Trade show");
    assert_eq!(d.missing, ["notes"]);
}

#[test]
fn the_editor_offers_exactly_what_the_store_fills() {
    use outpost_core::templates::{ADDRESS_PARTS, FIELDS};
    let ts = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../ui/src/lib/templates.ts")).unwrap();
    for name in FIELDS.iter().chain(ADDRESS_PARTS.iter()).chain(["name"].iter()) {
        assert!(ts.contains(&format!("'{name}'")), "the editor does not know {{{{{name}}}}}");
    }
    for offered in ts.split("name: '").skip(1).filter_map(|s| s.split('\'').next()) {
        assert!(
            FIELDS.contains(&offered) || ADDRESS_PARTS.contains(&offered),
            "the store does not fill {{{{{offered}}}}}"
        );
    }
}

#[test]
fn template_names_are_one_each_and_a_deleted_template_comes_back() {
    let mut db = open();
    let intro = db.store.save_template(None, "Intro", "", "").unwrap();
    let err = db.store.save_template(None, " intro ", "", "").unwrap_err();
    assert!(err.to_string().contains("a template named “Intro” already exists"), "{err}");
    // Saving a template under its own name (edited text) is no clash.
    db.store.save_template(Some(&intro.id), "INTRO", "Hi", "").unwrap();
    db.store.delete_template(&intro.id).unwrap();
    assert!(db.store.email_templates().unwrap().is_empty());
    // Its name is free while it is deleted; the Undo then finds it taken and brings it back as
    // "INTRO (2)".
    let other = db.store.save_template(None, "Intro", "", "").unwrap();
    let back = db.store.restore_template(&intro.id).unwrap();
    assert_eq!((back.name.as_str(), back.subject.as_deref()), ("INTRO (2)", Some("Hi")));
    assert_eq!(db.store.email_templates().unwrap().len(), 2);
    // Two of one name (pulled from two teammates): each is still editable under its own name.
    db.store.conn().execute("UPDATE email_templates SET name = 'Intro' WHERE id = ?1", [&back.id]).unwrap();
    db.store.save_template(Some(&back.id), "intro", "Edited", "").unwrap();
    assert!(db.store.save_template(Some(&other.id), "Intro", "Edited too", "").is_ok());
    // Letters beyond ASCII fold too.
    db.store.save_template(None, "Été", "", "").unwrap();
    assert!(db.store.save_template(None, "été", "", "").is_err());
}

#[test]
fn an_email_to_a_lead_not_to_be_contacted_is_not_logged_a_call_is() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Zoë", "email": "zoe@x.example", "do_not_contact": true}));
    let err = db.store.log_email(&lead.id, "Hello", "Hi Zoë").unwrap_err();
    assert!(matches!(err, Error::DoNotContact { .. }), "{err}");
    let call = row(json!({"lead_id": lead.id, "type": "call", "subject": "She called us"}));
    db.store.log_activity(call).unwrap();
    let now: Lead = db.store.find(&lead.id).unwrap();
    assert_eq!(now.emails_sent_count, 0);
    assert!(db.store.lead_timeline(&lead.id).unwrap().iter().all(|e| e.title.as_deref() != Some("Hello")));
}

#[test]
fn a_follow_up_done_stays_on_the_timeline_and_its_undo_puts_it_back() {
    let mut db = open();
    let lead = add_lead(
        &mut db.store,
        json!({"first_name": "Olga", "next_follow_up_at": "2099-03-01T09:00:00Z", "follow_up_reason": "Chase the contract"}),
    );
    let done: Activity = db.store.follow_up_done(&lead.id).unwrap();
    assert_eq!(done.r#type, ActivityType::FollowUp);
    assert_eq!(done.subject.as_deref(), Some("Chase the contract"));
    assert_eq!(done.scheduled_at.as_deref(), Some("2099-03-01T09:00:00.000000Z"));
    assert!(done.completed_at.is_some());
    let cleared: Lead = db.store.find(&lead.id).unwrap();
    assert_eq!((cleared.next_follow_up_at, cleared.follow_up_reason), (None, None));
    assert!(db.store.follow_up_done(&lead.id).is_err(), "nothing left to mark done");

    let back = db.store.follow_up_undone(&done.id).unwrap();
    assert_eq!(back.next_follow_up_at.as_deref(), Some("2099-03-01T09:00:00.000000Z"));
    assert_eq!(back.follow_up_reason.as_deref(), Some("Chase the contract"));
    assert!(db.store.lead_timeline(&lead.id).unwrap().iter().all(|e| e.id != done.id), "the record of it goes");
    assert!(db.store.follow_up_undone(&done.id).is_err(), "once");
}

#[test]
fn an_overdue_follow_up_done_by_mistake_comes_back_overdue_a_newer_one_stays() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Olga"}));
    // Set while it was ahead; overdue now (written as a sync would bring it).
    db.store
        .conn()
        .execute(
            "UPDATE leads SET next_follow_up_at = '2020-01-01T09:00:00.000000Z', follow_up_reason = 'Chase' WHERE id = ?1",
            [&lead.id],
        )
        .unwrap();
    let done = db.store.follow_up_done(&lead.id).unwrap();
    let back = db.store.follow_up_undone(&done.id).unwrap();
    assert_eq!(back.next_follow_up_at.as_deref(), Some("2020-01-01T09:00:00.000000Z"), "a past day is put back");

    let done = db.store.follow_up_done(&lead.id).unwrap();
    let mut next = serde_json::Map::new();
    next.insert("next_follow_up_at".into(), json!("2099-05-05T09:00:00Z"));
    db.store.edit::<Lead>(&lead.id, next).unwrap();
    let err = db.store.follow_up_undone(&done.id).unwrap_err();
    assert!(err.to_string().contains("newer follow-up"), "{err}");
    let kept: Lead = db.store.find(&lead.id).unwrap();
    assert_eq!(kept.next_follow_up_at.as_deref(), Some("2099-05-05T09:00:00.000000Z"), "set since: it stays");
    assert!(db.store.lead_timeline(&lead.id).unwrap().iter().any(|e| e.id == done.id), "and so does the record");
}

#[test]
fn a_follow_up_is_not_put_back_on_a_lead_deleted_or_merged_since() {
    let mut db = open();
    let with = |db: &mut TestDb, name: &str| {
        add_lead(&mut db.store, json!({"first_name": name, "next_follow_up_at": "2099-03-01T09:00:00Z"}))
    };
    let gone = with(&mut db, "Gone");
    let done = db.store.follow_up_done(&gone.id).unwrap();
    db.store.remove::<Lead>(&gone.id).unwrap();
    assert!(db.store.follow_up_undone(&done.id).is_err());
    db.store.write(|tx| tx.restore("leads", &gone.id)).unwrap();
    assert!(db.store.lead_timeline(&gone.id).unwrap().iter().any(|e| e.id == done.id), "its record is still there");

    let (kept, merged) = (with(&mut db, "Kept"), with(&mut db, "Merged"));
    let done = db.store.follow_up_done(&merged.id).unwrap();
    db.store.merge_leads(&kept.id, &merged.id, &[]).unwrap();
    assert!(db.store.follow_up_undone(&done.id).is_err(), "Merged's follow-up is not Kept's");
    let k: Lead = db.store.find(&kept.id).unwrap();
    assert_eq!(k.next_follow_up_at.as_deref(), Some("2099-03-01T09:00:00.000000Z"), "Kept's own is untouched");
}

#[test]
fn a_deleted_lead_does_not_count_in_its_campaign() {
    let mut db = open();
    let ann = add_lead(&mut db.store, json!({"first_name": "Ann"}));
    let bo = add_lead(&mut db.store, json!({"first_name": "Bo"}));
    let c = db.store.create_campaign("Spring", Some("email")).unwrap();
    db.store.add_to_campaign(&c.id, &[ann.id.clone(), bo.id.clone()]).unwrap();
    assert_eq!(db.store.campaigns().unwrap()[0].leads, 2);
    db.store.remove::<Lead>(&ann.id).unwrap();
    assert_eq!(db.store.campaigns().unwrap()[0].leads, 1);
    let err = db.store.create_campaign("spring", None).unwrap_err();
    assert!(err.to_string().contains("a campaign named “Spring” already exists"), "{err}");
}

#[test]
fn lists_and_campaigns_are_renamed_deleted_and_brought_back() {
    use outpost_core::lists::Group;
    let mut db = open();
    let ann = add_lead(&mut db.store, json!({"first_name": "Ann"}));
    let list = db.store.create_list("Q3 targets", None).unwrap();
    let other = db.store.create_list("Webinar", None).unwrap();
    db.store.assign_to_list(Some(&list.id), std::slice::from_ref(&ann.id)).unwrap();
    let c = db.store.create_campaign("Spring", Some("email")).unwrap();
    db.store.add_to_campaign(&c.id, std::slice::from_ref(&ann.id)).unwrap();
    let m = db.store.memberships(&ann.id).unwrap();
    assert_eq!(m.list.map(|l| l.name), Some("Q3 targets".into()));
    assert_eq!(
        m.campaigns.iter().map(|c| (c.campaign.name.as_str(), c.status.as_deref())).collect::<Vec<_>>(),
        [("Spring", Some("pending"))]
    );

    db.store.rename_group(Group::List, &list.id, "  Q4 targets ").unwrap();
    assert!(db.store.rename_group(Group::List, &list.id, "webinar").unwrap_err().to_string().contains("“Webinar”"));
    assert!(db.store.rename_group(Group::Campaign, &c.id, " ").is_err());
    db.store.rename_group(Group::Campaign, &c.id, "Spring push").unwrap();
    let lists = db.store.lead_lists().unwrap();
    assert_eq!(
        lists.iter().map(|l| (l.list.name.as_str(), l.leads)).collect::<Vec<_>>(),
        [("Q4 targets", 1), ("Webinar", 0)]
    );

    db.store.delete_group(Group::List, &list.id).unwrap();
    db.store.delete_group(Group::Campaign, &c.id).unwrap();
    let m = db.store.memberships(&ann.id).unwrap();
    assert_eq!((m.list, m.campaigns.len()), (None, 0), "in no list and no campaign while they are deleted");
    // A saved view of either shows no one meanwhile.
    let of_list = outpost_core::LeadQuery { list_id: Some(list.id.clone()), ..Default::default() };
    let of_campaign = outpost_core::LeadQuery { campaign_id: Some(c.id.clone()), ..Default::default() };
    assert_eq!((db.store.count_leads(&of_list).unwrap(), db.store.count_leads(&of_campaign).unwrap()), (0, 0));
    assert!(db.store.list_leads(&of_campaign, 10, None).unwrap().leads.is_empty());
    assert_eq!(db.store.lead_lists().unwrap().len(), 1);
    // A list made meanwhile with the name: it comes back whole, as "Q4 targets (2)".
    db.store.create_list("Q4 Targets", None).unwrap();
    assert_eq!(db.store.restore_group(Group::List, &list.id).unwrap(), "Q4 targets (2)");
    assert_eq!(db.store.restore_group(Group::Campaign, &c.id).unwrap(), "Spring push");
    let m = db.store.memberships(&ann.id).unwrap();
    assert_eq!((m.list.map(|l| l.name), m.campaigns.len()), (Some("Q4 targets (2)".into()), 1));
    assert_eq!(db.store.campaigns().unwrap()[0].leads, 1);
    assert_eq!((db.store.count_leads(&of_list).unwrap(), db.store.count_leads(&of_campaign).unwrap()), (1, 1));
    let _ = other;
}

#[test]
fn a_list_brought_back_under_another_name_reaches_the_server_before_the_list_that_took_its_name() {
    use outpost_core::lists::Group;
    let mut db = open();
    let old = db.store.create_list("Q4", None).unwrap();
    mark_synced(&db.store, "lead_lists", &old.id, 1);
    // Offline: deleted, a new "Q4" made, then the delete's Undo.
    db.store.delete_group(Group::List, &old.id).unwrap();
    let new = db.store.create_list("Q4", None).unwrap();
    assert_eq!(db.store.restore_group(Group::List, &old.id).unwrap(), "Q4 (2)");
    let order: Vec<(String, String)> = db
        .store
        .pending(10)
        .unwrap()
        .into_iter()
        .filter(|p| p.table == "lead_lists")
        .map(|p| (p.row_id, p.op))
        .collect();
    // The old list, renamed and live (its delete and restore cancel out), first; then the new one.
    assert_eq!(order, [(old.id.clone(), "update".to_string()), (new.id.clone(), "insert".to_string())]);
    // Brought back twice (the Undo clicked again): nothing renamed.
    assert_eq!(db.store.restore_group(Group::List, &old.id).unwrap(), "Q4 (2)");
}

#[test]
fn a_reply_counts_as_one_and_may_come_from_a_lead_not_to_be_contacted() {
    let mut db = open();
    let lead =
        add_lead(&mut db.store, json!({"first_name": "Ann", "email": "ann@reply.test", "email_status": "no_reply"}));
    db.store.log_email(&lead.id, "Intro", "Hello").unwrap();
    let reply = db.store.log_reply(&lead.id, "Re: Intro", "Tell me more", None).unwrap();
    assert_eq!(reply.r#type, ActivityType::Email);
    let now: Lead = db.store.find(&lead.id).unwrap();
    assert_eq!((now.emails_sent_count, now.reply_count), (1, 1), "the reply is not an email sent");
    assert_eq!(now.email_status.as_deref(), Some("replied"));
    assert!(now.last_reply_at.is_some() && now.last_contacted_at.is_some());
    let kinds: Vec<Option<String>> = db.store.lead_timeline(&lead.id).unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [Some("email_inbound".to_string()), Some("email".to_string())]);

    // Opted out: what the rep sends is refused, what the lead sends is still recorded.
    db.store
        .write(|tx| tx.update("leads", &lead.id, row(json!({"do_not_contact": true, "email_status": "unsubscribed"}))))
        .unwrap();
    assert!(matches!(db.store.log_email(&lead.id, "Again", "…"), Err(Error::DoNotContact { .. })));
    let bare = db.store.log_reply(&lead.id, " ", "Please stop", None).unwrap();
    assert_eq!(bare.subject, None, "a blank subject is none");
    let now: Lead = db.store.find(&lead.id).unwrap();
    assert_eq!((now.emails_sent_count, now.reply_count), (1, 2));
    assert_eq!(now.email_status.as_deref(), Some("unsubscribed"), "a reply is not a new consent");
}
