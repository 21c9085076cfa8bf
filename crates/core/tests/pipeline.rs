#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::{demo, Lead, LeadQuery, LeadStatus};
use serde_json::json;

#[test]
fn the_board_has_every_status_with_counts_and_value() {
    let mut db = open();
    add_lead(&mut db.store, json!({"first_name": "A", "status": "qualified", "predicted_value": "1500.5"}));
    add_lead(&mut db.store, json!({"first_name": "B", "status": "qualified", "predicted_value": "500"}));
    let gone = add_lead(&mut db.store, json!({"first_name": "C", "status": "proposal"}));
    db.store.remove::<outpost_core::Lead>(&gone.id).unwrap();
    let summary = db.store.status_summary().unwrap();
    assert_eq!(summary.len(), LeadStatus::ALL.len());
    let q = summary.iter().find(|s| s.status == LeadStatus::Qualified).unwrap();
    assert_eq!((q.count, q.value), (2, 2000.5));
    assert_eq!(
        summary.iter().find(|s| s.status == LeadStatus::Proposal).unwrap().count,
        0,
        "deleted leads don't count"
    );
}

#[test]
fn the_timeline_is_newest_first() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "A"}));
    for (subject, at) in [("old call", "2026-01-01T10:00:00Z"), ("new call", "2026-03-01T10:00:00Z")] {
        let v = row(json!({"lead_id": lead.id, "type": "call", "subject": subject, "completed_at": at}));
        db.store.write(|tx| tx.insert("activities", v)).unwrap();
    }
    let email = row(json!({"lead_id": lead.id, "to_address": "a@x.example", "subject": "proposal sent",
                            "sent_at": "2026-02-01T10:00:00Z"}));
    db.store.write(|tx| tx.insert("emails", email)).unwrap();
    let entries: Vec<(String, String)> = db
        .store
        .lead_timeline(&lead.id)
        .unwrap()
        .into_iter()
        .map(|e| (e.source, e.title.unwrap_or_default()))
        .collect();
    let expected = [("activities", "new call"), ("emails", "proposal sent"), ("activities", "old call")];
    assert_eq!(entries, expected.map(|(a, b)| (a.to_string(), b.to_string())));
}

#[test]
fn demo_data_is_ordinary_valid_local_work() {
    let mut db = open();
    assert_eq!(demo::seed(&mut db.store, 250).unwrap(), 250);
    assert_eq!(db.store.count_leads(&LeadQuery::default()).unwrap(), 250);
    assert_eq!(outbox_len(&db.store), 500, "250 leads and their 250 notes wait to be pushed");
    let statuses = db.store.status_summary().unwrap().iter().filter(|s| s.count > 0).count();
    assert!(statuses >= 5, "spread over the pipeline: {statuses}");
    // What "Remove demo data" takes: the loader's leads, never a rep's own tagged "demo" (a demo
    // booked), even one from a source they named demo.
    let rita = add_lead(
        &mut db.store,
        json!({"first_name": "Rita", "email": "rita@realco.com", "tags": ["demo"], "source": "demo"}),
    );
    let ids = demo::lead_ids(&db.store).unwrap();
    assert_eq!(ids.len(), 250);
    assert!(!ids.contains(&rita.id));
    // A demo lead whose "demo" tag was taken off is still one (its address is made up).
    db.store.edit::<outpost_core::Lead>(&ids[0], row(json!({"tags": ["vip"]}))).unwrap();
    assert_eq!(demo::lead_ids(&db.store).unwrap().len(), 250);
}

#[test]
fn saved_views_tasks_lists_campaigns_and_templates() {
    use outpost_core::{EmailTemplate, SortField};
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Ana", "company": "Acme", "email": "ana@acme.example"}));

    let q = LeadQuery { statuses: vec!["new".into()], sort: SortField::Name, ..Default::default() };
    let v = db.store.save_view("New by name", &q).unwrap();
    db.store.save_view("new BY name", &LeadQuery::default()).unwrap();
    let views = db.store.saved_views().unwrap();
    assert_eq!((views.len(), &views[0].id, &views[0].query), (1, &v.id, &LeadQuery::default()), "same name replaces");
    db.store.delete_view(&v.id).unwrap();
    assert!(db.store.saved_views().unwrap().is_empty());

    let due = row(
        json!({"lead_id": lead.id, "type": "task", "subject": "call back", "scheduled_at": "2099-01-01T09:00:00Z"}),
    );
    let task: String = db.store.write(|tx| tx.insert("activities", due)).unwrap();
    assert!(db.store.due_tasks("2098-12-31T00:00:00Z").unwrap().is_empty());
    let tasks = db.store.due_tasks("2099-01-02T00:00:00Z").unwrap();
    assert_eq!((tasks.len(), tasks[0].lead_name.as_str()), (1, "Ana"));
    db.store.complete_task(&task).unwrap();
    assert!(db.store.due_tasks("2099-01-02T00:00:00Z").unwrap().is_empty());
    // Ticked by mistake: open again, and back on the day's list.
    db.store.reopen_task(&task).unwrap();
    assert_eq!(db.store.due_tasks("2099-01-02T00:00:00Z").unwrap().len(), 1);
    db.store.complete_task(&task).unwrap();
    // A task without a date is there too, after the dated ones: to do some time, not never.
    let undated = row(json!({"lead_id": lead.id, "type": "task", "subject": "send pricing"}));
    let undated: String = db.store.write(|tx| tx.insert("activities", undated)).unwrap();
    let tasks = db.store.due_tasks("2000-01-01T00:00:00Z").unwrap();
    assert_eq!(tasks.iter().map(|t| t.task.id.as_str()).collect::<Vec<_>>(), [undated.as_str()]);
    let timeline = db.store.lead_timeline(&lead.id).unwrap();
    let entry = timeline.iter().find(|e| e.id == undated).unwrap();
    assert_eq!((entry.due.as_deref(), entry.done_at.as_deref()), (None, None));
    let done = timeline.iter().find(|e| e.id == task).unwrap();
    assert_eq!(done.due.as_deref(), Some("2099-01-01T09:00:00.000000Z"));
    assert!(done.done_at.is_some(), "a ticked-off task says so on the timeline");
    db.store.complete_task(&undated).unwrap();

    let list = db.store.create_list("Q4 webinar", None).unwrap();
    assert_eq!(db.store.assign_to_list(Some(&list.id), std::slice::from_ref(&lead.id)).unwrap().len(), 1);
    assert_eq!(db.store.lead_lists().unwrap()[0].leads, 1);
    let c = db.store.create_campaign("Winter push", Some("email")).unwrap();
    let ids = [lead.id.clone(), lead.id.clone()];
    assert_eq!(db.store.add_to_campaign(&c.id, &ids).unwrap().added.len(), 1, "a lead joins a campaign once");
    assert_eq!(db.store.campaigns().unwrap()[0].leads, 1);
    // Taken out (the Undo of adding), then added again: its enrolment comes back.
    assert_eq!(db.store.remove_from_campaign(&c.id, &ids).unwrap(), 1);
    assert_eq!(db.store.campaigns().unwrap()[0].leads, 0);
    assert_eq!(db.store.add_to_campaign(&c.id, &ids).unwrap().added, [lead.id.as_str()]);
    assert_eq!(db.store.campaigns().unwrap()[0].leads, 1);
    // Taken out again and marked do-not-contact meanwhile: left out, said so.
    db.store.remove_from_campaign(&c.id, &ids).unwrap();
    let mut quiet = serde_json::Map::new();
    quiet.insert("do_not_contact".into(), serde_json::Value::Bool(true));
    db.store.edit::<Lead>(&lead.id, quiet).unwrap();
    let adds = db.store.add_to_campaign(&c.id, &ids).unwrap();
    assert!(adds.added.is_empty());
    assert_eq!(adds.do_not_contact, [lead.id.as_str(), lead.id.as_str()]);
    assert_eq!(db.store.campaigns().unwrap()[0].leads, 0);

    let t: EmailTemplate =
        db.store.save_template(None, "Intro", "Hello {{first_name}}", "How is {{company}}? {{job_title}}").unwrap();
    assert_eq!(t.variables, ["first_name", "company", "job_title"]);
    let d = db.store.draft_email(&t.id, &lead.id).unwrap();
    assert_eq!((d.subject.as_str(), d.body.as_str()), ("Hello Ana", "How is Acme? "));
    assert_eq!(
        (d.to.as_deref(), d.missing.as_slice()),
        (Some("ana@acme.example"), ["job_title".to_string()].as_slice())
    );
    // Ana is not to be contacted since: the email is not logged; to Bo it is.
    assert!(db.store.log_email(&lead.id, &d.subject, &d.body).is_err());
    let bo = add_lead(&mut db.store, json!({"first_name": "Bo"}));
    db.store.log_email(&bo.id, &d.subject, &d.body).unwrap();
    // Bo's answer is Bo's work, not the rep's.
    db.store.log_reply(&bo.id, "", "Sounds good", None).unwrap();
    let weeks = db.store.activities_per_week(4).unwrap();
    assert_eq!((weeks.len(), weeks[3].count), (4, 3), "this week: the two completed tasks and the email");
}

#[test]
fn a_reader_counts_beside_the_store() {
    let mut db = open();
    let reader = db.store.reader().unwrap();
    assert_eq!(reader.count_leads(&LeadQuery::default()).unwrap(), 0);
    add_lead(&mut db.store, json!({"first_name": "A", "status": "qualified"}));
    assert_eq!(reader.count_leads(&LeadQuery::default()).unwrap(), 1, "sees what the store committed");
    let q = reader.status_summary().unwrap();
    assert_eq!(q.iter().find(|s| s.status == LeadStatus::Qualified).unwrap().count, 1);
    assert_eq!(reader.status_summary().unwrap(), db.store.status_summary().unwrap());
}

#[test]
fn inbound_messages_needing_action_are_listed_until_handled() {
    let mut db = open();
    let pat: Lead = db.store.create(&Lead { first_name: Some("Pat".into()), ..Lead::default() }).unwrap();
    let gone: Lead = db.store.create(&Lead { first_name: Some("Gone".into()), ..Lead::default() }).unwrap();
    let message = |lead: &str, content: &str, needs: bool| {
        row(json!({"lead_id": lead, "direction": "inbound", "channel": "other", "platform": "web_form",
                   "content": content, "requires_action": needs, "occurred_at": "2026-11-27T09:00:00Z"}))
    };
    let id = db.store.write(|tx| tx.insert("conversations", message(&pat.id, "Call me back", true))).unwrap();
    db.store.write(|tx| tx.insert("conversations", message(&pat.id, "Thanks!", false))).unwrap();
    db.store.write(|tx| tx.insert("conversations", message(&gone.id, "Hello?", true))).unwrap();
    db.store.remove::<Lead>(&gone.id).unwrap();

    let items = db.store.inbound_needing_action().unwrap();
    let said: Vec<_> = items.iter().map(|i| (i.content.as_str(), i.lead_name.as_deref())).collect();
    assert_eq!(said, [("Call me back", Some("Pat"))], "a deleted lead's message is not listed");
    db.store.settle_inbound(&id, true).unwrap();
    assert!(db.store.inbound_needing_action().unwrap().is_empty());
    let pending: i64 =
        db.store.conn().query_row("SELECT count(*) FROM outbox WHERE row_id = ?1", [&id], |r| r.get(0)).unwrap();
    assert_eq!(pending, 1, "handled syncs like any edit");
    db.store.settle_inbound(&id, false).unwrap();
    assert_eq!(db.store.inbound_needing_action().unwrap().len(), 1, "undone");
}

/// A lead's timeline: what is still to do first, soonest due first and undated last; then what
/// happened, newest first (a task due tomorrow sat above everything, one due yesterday below older
/// notes, as each sorted by its due day among the history).
#[test]
fn the_timeline_puts_what_is_to_do_first_then_the_history() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Ana"}));
    let mut add = |v: serde_json::Value| -> String { db.store.write(|tx| tx.insert("activities", row(v))).unwrap() };
    let done =
        add(json!({"lead_id": lead.id, "type": "task", "subject": "intro", "scheduled_at": "2099-01-01T09:00:00Z"}));
    let note = add(json!({"lead_id": lead.id, "type": "note", "description": "met at the fair"}));
    let undated = add(json!({"lead_id": lead.id, "type": "task", "subject": "send pricing"}));
    let overdue =
        add(json!({"lead_id": lead.id, "type": "task", "subject": "deck", "scheduled_at": "2001-01-01T09:00:00Z"}));
    let later =
        add(json!({"lead_id": lead.id, "type": "task", "subject": "renewal", "scheduled_at": "2098-01-01T09:00:00Z"}));
    db.store.complete_task(&done).unwrap();
    let order: Vec<String> = db.store.lead_timeline(&lead.id).unwrap().into_iter().map(|e| e.id).collect();
    assert_eq!(order, [overdue, later, undated, done, note], "the task done last is the newest history");
}

#[test]
fn a_call_or_an_email_logged_marks_the_lead_contacted_and_a_note_does_not() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Cher", "last_contacted_at": "2020-01-01T09:00:00Z"}));
    mark_synced(&db.store, "leads", &lead.id, 1);
    let log = |db: &mut TestDb, kind: &str| {
        db.store.log_activity(row(json!({"lead_id": lead.id, "type": kind, "description": "…"}))).unwrap()
    };
    log(&mut db, "note");
    let after_note: outpost_core::Lead = db.store.find(&lead.id).unwrap();
    assert_eq!(after_note.last_contacted_at.as_deref(), Some("2020-01-01T09:00:00.000000Z"));
    log(&mut db, "call");
    let after_call: outpost_core::Lead = db.store.find(&lead.id).unwrap();
    assert!(after_call.last_contacted_at.as_deref() > Some("2026-01-01"), "{:?}", after_call.last_contacted_at);
    assert_eq!(after_call.emails_sent_count, 0);
    log(&mut db, "email");
    db.store.log_email(&lead.id, "Hello", "From the template").unwrap();
    let after_emails: outpost_core::Lead = db.store.find(&lead.id).unwrap();
    assert_eq!(after_emails.emails_sent_count, 2);
    // Both go to sync as the rep's edits of the lead.
    let (op, _, columns) = outbox_entry(&db.store, "leads", &lead.id).expect("queued");
    let columns: Vec<&str> = columns.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(op, "update");
    assert!(columns.contains(&"emails_sent_count") && columns.contains(&"last_contacted_at"), "{columns:?}");
}

/// Weeks start on the laptop's Monday: a call at 00:30 on an Auckland Monday (Sunday 11:30 in
/// UTC) is that week's, and a call logged as of Sunday without a time (noon UTC of it, as the app
/// stores a day) stays Sunday's. Run again in a process of its own with TZ set, since the C
/// library reads the zone once per process.
#[test]
fn activity_weeks_start_on_the_laptops_monday() {
    use chrono::{Datelike, Local, TimeZone};
    if std::env::var("OUTPOST_TEST_IN_AUCKLAND").is_err() {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "activity_weeks_start_on_the_laptops_monday", "--nocapture", "--test-threads=1"])
            .env("OUTPOST_TEST_IN_AUCKLAND", "1")
            .env("TZ", "Pacific/Auckland")
            .output()
            .unwrap();
        let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success() && said.contains("1 passed"), "{said}");
        return;
    }
    let offset = Local::now().offset().local_minus_utc() / 3600;
    assert!(offset == 12 || offset == 13, "the zone took: +{offset}");
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Ana"}));
    let today = Local::now().date_naive();
    // Last week's: this week's 00:30 may still be to come.
    let this_monday = today - chrono::Days::new(u64::from(today.weekday().num_days_from_monday()));
    let monday = this_monday - chrono::Days::new(7);
    let sunday = monday - chrono::Days::new(1);
    let early = Local.from_local_datetime(&monday.and_hms_opt(0, 30, 0).unwrap()).unwrap().with_timezone(&chrono::Utc);
    assert_ne!(early.date_naive(), monday, "in UTC it is still Sunday");
    let call =
        |at: String| json!({"lead_id": lead.id, "type": "call", "completed_at": at}).as_object().unwrap().clone();
    db.store.log_activity(call(outpost_core::time::format(early))).unwrap();
    db.store.log_activity(call(format!("{sunday}T12:00:00.000000Z"))).unwrap();
    let weeks = db.store.activities_per_week(3).unwrap();
    let counts: Vec<(String, i64)> = weeks.into_iter().map(|w| (w.week, w.count)).collect();
    let week_before = (monday - chrono::Days::new(7)).to_string();
    assert_eq!(counts, [(week_before, 1), (monday.to_string(), 1), (this_monday.to_string(), 0)]);
}

/// My day asks for overdue and today's follow-ups apart: a backlog of overdue ones past the limit
/// leaves today's whole, and each part says how many there are in all.
#[test]
fn todays_follow_ups_are_not_pushed_off_by_overdue_ones() {
    let mut db = open();
    for (name, due) in [
        ("Old1", "2099-01-01T09:00:00Z"),
        ("Old2", "2099-01-02T09:00:00Z"),
        ("Old3", "2099-01-03T09:00:00Z"),
        ("Now1", "2099-01-05T08:00:00Z"),
        ("Now2", "2099-01-05T17:00:00Z"),
        ("Later", "2099-01-06T09:00:00Z"),
    ] {
        add_lead(&mut db.store, json!({"first_name": name, "next_follow_up_at": due}));
    }
    add_lead(&mut db.store, json!({"first_name": "None"}));
    let gone = add_lead(&mut db.store, json!({"first_name": "Gone", "next_follow_up_at": "2099-01-05T09:00:00Z"}));
    db.store.remove::<Lead>(&gone.id).unwrap();
    let due = db.store.due_follow_ups("2099-01-05T00:00:00Z", "2099-01-05T23:59:59Z", 2).unwrap();
    let names = |l: &[outpost_core::query::LeadSummary]| {
        l.iter().map(|l| l.first_name.clone().unwrap_or_default()).collect::<Vec<_>>()
    };
    assert_eq!((names(&due.overdue), due.overdue_total), (vec!["Old1".to_string(), "Old2".into()], 3));
    assert_eq!((names(&due.today), due.today_total), (vec!["Now1".to_string(), "Now2".into()], 2));
}

/// My day's tasks: a backlog past the limit of overdue ones leaves today's and the undated ones on
/// the list (a shared limit of 500, oldest first, had cut them).
#[test]
fn todays_tasks_are_not_pushed_off_by_overdue_ones() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Ana"}));
    let task = |subject: String, at: Option<&str>| {
        let mut t = json!({"lead_id": lead.id, "type": "task", "subject": subject});
        if let Some(at) = at {
            t["scheduled_at"] = json!(at);
        }
        row(t)
    };
    db.store
        .write(|tx| {
            for i in 0..501 {
                tx.insert("activities", task(format!("old {i}"), Some("2099-01-01T09:00:00Z")))?;
            }
            tx.insert("activities", task("today".into(), Some("2099-02-01T09:00:00Z")))?;
            tx.insert("activities", task("later".into(), Some("2099-02-02T09:00:00Z")))?;
            tx.insert("activities", task("some time".into(), None))
        })
        .unwrap();
    let due = db.store.due_tasks("2099-02-01T23:59:59.999Z").unwrap();
    let subjects: Vec<String> = due.iter().map(|t| t.task.subject.clone().unwrap_or_default()).collect();
    assert_eq!(subjects.len(), 502);
    assert_eq!(&subjects[500..], ["today", "some time"]);
}

/// My day's count in the navigation: the follow-ups, tasks and messages its lists hold, counted
/// past the lists' limit of 500, without deleted leads', done or later work.
#[test]
fn my_day_counts_what_its_lists_hold() {
    let mut db = open();
    let end = "2099-01-05T23:59:59.999Z";
    for (name, due) in
        [("Old", "2099-01-01T09:00:00Z"), ("Now", "2099-01-05T17:00:00Z"), ("Later", "2099-01-06T09:00:00Z")]
    {
        add_lead(&mut db.store, json!({"first_name": name, "next_follow_up_at": due}));
    }
    let ana = add_lead(&mut db.store, json!({"first_name": "Ana"}));
    let gone = add_lead(&mut db.store, json!({"first_name": "Gone", "next_follow_up_at": "2099-01-05T09:00:00Z"}));
    let task = |lead: &str, subject: String, at: Option<&str>| {
        row(json!({"lead_id": lead, "type": "task", "subject": subject, "scheduled_at": at}))
    };
    let done = db
        .store
        .write(|tx| {
            for i in 0..501 {
                tx.insert("activities", task(&ana.id, format!("old {i}"), Some("2099-01-01T09:00:00Z")))?;
            }
            tx.insert("activities", task(&ana.id, "tomorrow".into(), Some("2099-01-06T09:00:00Z")))?;
            tx.insert("activities", task(&ana.id, "some time".into(), None))?;
            tx.insert("activities", task(&gone.id, "of a deleted lead".into(), Some("2099-01-05T09:00:00Z")))?;
            tx.insert(
                "conversations",
                row(json!({"lead_id": ana.id, "direction": "inbound", "channel": "other",
                "content": "Call me", "requires_action": true, "occurred_at": "2099-01-05T08:00:00Z"})),
            )?;
            tx.insert("activities", task(&ana.id, "done".into(), Some("2099-01-05T09:00:00Z")))
        })
        .unwrap();
    db.store.complete_task(&done).unwrap();
    db.store.remove::<Lead>(&gone.id).unwrap();

    let counts = db.store.my_day_counts(end).unwrap();
    // (The undated task is due "some time": My day lists it, so it counts.)
    assert_eq!((counts.follow_ups, counts.tasks, counts.messages), (2, 502, 1));
    let lists = db.store.due_follow_ups("2099-01-05T00:00:00Z", end, 500).unwrap();
    assert_eq!(counts.follow_ups, lists.overdue_total + lists.today_total, "the same follow-ups as the lists");
    assert_eq!(counts.messages as usize, db.store.inbound_needing_action().unwrap().len());
}

/// The pipeline's and the dashboard's figures come from an index of status and value, not a scan
/// of every whole row (2–3 s at a million leads on every visit).
#[test]
fn status_figures_read_an_index_not_the_rows() {
    let db = open();
    let plan = query_plan(&db.store, outpost_core::pipeline::STATUS_SUMMARY);
    // (The table is opened for a deferred seek that no column read makes: the plan says INDEX.)
    assert!(plan.len() == 1 && plan[0].ends_with("INDEX leads_status_value"), "{plan:?}");
}
