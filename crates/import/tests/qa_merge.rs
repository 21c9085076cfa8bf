//! The release QA pass's second round: updates that add to a lead instead of replacing what it has,
//! no-op updates, optional values kept as text instead of costing the lead, two-digit years,
//! spreadsheets' text markers, our export's round trip, duplicates created, a file imported twice.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

use outpost_core::{Lead, LeadQuery};
use outpost_import::{undo, ImportOptions, OnDuplicate};
use serde_json::{json, Value};

#[test]
fn an_update_adds_to_custom_fields_tags_and_notes_and_undo_puts_them_back() {
    let mut f = fixture();
    f.add(json!({
        "email": "a@x.io", "custom_fields": {"favorite": "blue", "budget": "10k"},
        "notes": "important history", "tags": ["vip"],
    }));
    let before = f.lead("a@x.io");
    let r = f.import_with(
        "Email,First Name,Status,Tags,Notes,Region,budget\na@x.io,Ann,contacted,cold; VIP,call back,EMEA,20k\n",
        &update(),
    );
    assert_eq!((r.updated, r.failed), (1, 0), "{r:#?}");
    let a = f.lead("a@x.io");
    assert_eq!(Value::Object(a.custom_fields), json!({"favorite": "blue", "budget": "20k", "Region": "EMEA"}));
    assert_eq!(a.tags, ["vip", "cold"]);
    assert_eq!(a.notes.as_deref(), Some("important history\n\ncall back"));

    // Notes the lead holds already are not appended again.
    let again = f.import_with("Email,Notes\na@x.io,call back\n", &update());
    assert_eq!((again.updated, again.unchanged), (0, 1), "{again:#?}");
    assert_eq!(f.lead("a@x.io").notes.as_deref(), Some("important history\n\ncall back"));

    undo(&mut f.store, r.import_id.as_deref().unwrap()).unwrap();
    let back = f.lead("a@x.io");
    assert_eq!(back.custom_fields, before.custom_fields);
    assert_eq!((back.tags, back.notes, back.first_name), (before.tags, before.notes, before.first_name));
}

/// The rep changed the merged fields again after the import: undo takes back only the import's part
/// (its custom field, its tag, its paragraph) and keeps the rep's.
#[test]
fn undo_after_later_edits_takes_back_only_what_the_import_merged_in() {
    let mut f = fixture();
    let id = f.add(json!({
        "email": "a@x.io", "custom_fields": {"favorite": "blue"}, "notes": "history", "tags": ["vip"],
    }));
    let r = f.import_with("Email,Tags,Notes,Region\na@x.io,cold,call back,EMEA\n", &update());
    assert_eq!(r.updated, 1, "{r:#?}");
    let a = f.lead("a@x.io");
    let mut custom = a.custom_fields.clone();
    custom.insert("favorite".into(), json!("green"));
    let patch = json!({
        "custom_fields": custom, "tags": ["vip", "cold", "hot"], "notes": "history\n\ncall back\n\nmet in May",
    });
    f.store.edit::<Lead>(&id, patch.as_object().cloned().unwrap()).unwrap();
    let undone = undo(&mut f.store, r.import_id.as_deref().unwrap()).unwrap();
    assert_eq!(undone.kept, 1, "{undone:?}");
    let back = f.lead("a@x.io");
    assert_eq!(Value::Object(back.custom_fields), json!({"favorite": "green"}), "Region goes, the rep's edit stays");
    assert_eq!(back.tags, ["vip", "hot"]);
    assert_eq!(back.notes.as_deref(), Some("history\n\nmet in May"));
}

/// A note is "already there" only as a whole paragraph: "VIP" is not in "VIP customer".
#[test]
fn a_note_inside_a_longer_one_is_still_added() {
    let mut f = fixture();
    f.add(json!({"email": "a@x.io", "notes": "VIP customer"}));
    f.import_with("Email,Notes\na@x.io,VIP\n", &update());
    assert_eq!(f.lead("a@x.io").notes.as_deref(), Some("VIP customer\n\nVIP"));
}

#[test]
fn an_update_that_would_change_nothing_writes_nothing() {
    let mut f = fixture();
    let text: String = std::iter::once("Email,Company,Tags,Notes\n".to_string())
        .chain((0..10).map(|i| format!("p{i}@x.io,Co {i},a; b,note {i}\n")))
        .collect();
    f.import(&text);
    let stamp = f.lead("p3@x.io").updated_at;
    let outbox = f.count(
        "SELECT (SELECT count(*) FROM outbox WHERE table_name = 'leads') + (SELECT count(*) FROM outbox_fields)",
    );
    let r = f.import_with(&text, &update());
    assert_eq!((r.updated, r.skipped, r.unchanged, r.failed), (0, 10, 10, 0), "{r:#?}");
    assert_eq!(f.lead("p3@x.io").updated_at, stamp);
    assert_eq!(
        f.count(
            "SELECT (SELECT count(*) FROM outbox WHERE table_name = 'leads') + (SELECT count(*) FROM outbox_fields)"
        ),
        outbox,
        "nothing queued for sync"
    );
    assert_eq!(f.count("SELECT count(*) FROM import_changes WHERE action = 'updated'"), 0);
}

#[test]
fn an_optional_value_that_cannot_be_used_is_kept_as_text_and_the_lead_imported() {
    let mut f = fixture();
    let r = f.import(
        "Email,First Name,Phone,Next Follow Up,Email Opt Out,Created Date,Lead Status\n\
         a@x.io,Ann,555-1234,,,,\n\
         b@x.io,Bo,020 7946 0958,2027-02-30,,,\n\
         c@x.io,Cy,,46000,2023-04-01,,\n\
         d@x.io,Di,,01/02/2020,,13/45/2020,bogus\n\
         bad@,Eve,,,,,\n\
         ,,555-1234,,,,\n",
    );
    assert_eq!((r.rows, r.created, r.failed), (6, 4, 2), "{r:#?}");
    assert_eq!(r.failed_rows.iter().map(|f| f.0).collect::<Vec<_>>(), [5, 6]);
    let kept: Vec<(u64, &str)> = r.problems.iter().filter(|p| p.kept).map(|p| (p.row, p.column.as_str())).collect();
    assert_eq!(
        kept,
        [
            (1, "Phone"),
            (2, "Phone"),
            (2, "Next Follow Up"),
            (3, "Next Follow Up"),
            (4, "Created Date"),
            (4, "Lead Status")
        ]
    );
    assert!(r.problems.iter().filter(|p| p.kept).all(|p| p.reason.contains("kept as text")), "{:#?}", r.problems);
    assert_eq!(f.lead("a@x.io").custom_fields["Phone"], "555-1234");
    assert_eq!(f.lead("b@x.io").custom_fields["Next Follow Up"], "2027-02-30");
    let c = f.lead("c@x.io");
    // A date in an opt-out column is when the lead opted out (Mailchimp's UNSUB_TIME).
    assert_eq!((c.custom_fields.get("Email Opt Out"), c.do_not_contact), (None, true));
    let d = f.lead("d@x.io");
    assert_eq!(d.custom_fields["Lead Status"], "bogus");
    // An overdue follow-up is the rep's work to catch up on: imported as a date, not as text.
    assert_eq!(d.next_follow_up_at.as_deref(), Some("2020-01-02T09:00:00.000000Z"));
    assert!(r.problems.iter().any(|p| p.row == 5 && !p.kept && p.reason.starts_with("not an email")));
    // A row with nothing else to make a lead from is still left out, for the phone.
    assert!(r.problems.iter().any(|p| p.row == 6 && !p.kept && p.column == "Phone"), "{:#?}", r.problems);
}

#[test]
fn a_valid_second_email_stands_in_for_a_bad_first() {
    let mut f = fixture();
    let r = f.import("Email,Secondary Email,First Name\nbob@,bob@x.io,Bob\nann@,,Ann\n");
    assert_eq!((r.created, r.failed), (1, 1), "{r:#?}");
    let bob = f.lead("bob@x.io");
    assert_eq!(bob.custom_fields["Email"], "bob@");
    assert!(r.problems.iter().any(|p| p.row == 1 && p.kept && p.column == "Email"), "{:#?}", r.problems);
    assert!(r.problems.iter().any(|p| p.row == 2 && !p.kept && p.column == "Email"), "{:#?}", r.problems);
}

#[test]
fn two_digit_years_are_this_century_up_to_68() {
    let mut f = fixture();
    let r = f.import("Email,Next Follow Up,Created Date\na@x.io,4/3/27,12/31/99\n");
    assert_eq!((r.created, r.failed), (1, 0), "{r:#?}");
    let a = f.lead("a@x.io");
    assert_eq!(a.next_follow_up_at.as_deref(), Some("2027-04-03T09:00:00.000000Z"), "a day as the app stores one");
    assert_eq!(a.custom_fields["original_created_at"], "1999-12-31");
}

#[test]
fn a_spreadsheets_text_marker_is_not_part_of_the_value() {
    let mut f = fixture();
    let r = f.import("Email,Company,Notes,Title\na@x.io,'+Plus Corp,'=cmd|' /C calc'!A0,'tis me\n");
    assert_eq!((r.created, r.failed), (1, 0), "{r:#?}");
    let a = f.lead("a@x.io");
    assert_eq!(a.company.as_deref(), Some("+Plus Corp"));
    assert_eq!(a.notes.as_deref(), Some("=cmd|' /C calc'!A0"));
    assert_eq!(a.job_title.as_deref(), Some("'tis me"));
}

#[test]
fn our_export_imports_back_whole() {
    let mut f = fixture();
    f.add(json!({
        "email": "ada@engine.io", "first_name": "Ada", "company": "+Plus Corp", "company_size": "51-200",
        "company_industry": "Computing", "stage": "discovery", "follow_up_reason": "Send the proposal",
        "next_follow_up_at": "2031-05-01T09:00:00.000000Z", "current_score": 42, "status": "qualified",
        "address": {"street": "1 Main St", "city": "London", "state": "LDN", "postal_code": "N1 9GU", "country": "GB"},
        "custom_fields": {"budget": "10k", "seats": 12}, "tags": ["a,b", "vip"],
    }));
    let mut csv = Vec::new();
    f.store.export_leads_csv(&LeadQuery::default(), &mut csv).unwrap();
    // Back into the same database with update: nothing is news, nothing is written.
    let same = f.import_with(std::str::from_utf8(&csv).unwrap(), &update());
    assert_eq!((same.updated, same.unchanged), (0, 1), "{same:#?}");
    let mut g = fixture();
    let r = g.import(std::str::from_utf8(&csv).unwrap());
    assert_eq!((r.created, r.failed), (1, 0), "{r:#?}");
    let (a, b) = (f.lead("ada@engine.io"), g.lead("ada@engine.io"));
    assert_eq!(b.company.as_deref(), Some("+Plus Corp"));
    assert_eq!((b.company_size, b.company_industry), (a.company_size, a.company_industry));
    assert_eq!((b.stage, b.follow_up_reason, b.status), (a.stage, a.follow_up_reason, a.status));
    assert_eq!((b.current_score, b.address), (42, a.address));
    assert_eq!((&b.custom_fields["budget"], &b.custom_fields["seats"]), (&json!("10k"), &json!(12)));
    assert_eq!(b.tags, ["a,b", "vip"], "a tag with a comma stays whole");
    // A tag holding the separators themselves (a lone "a,b" was read back as two tags).
    for tags in [json!(["a,b"]), json!(["x;y", "z"]), json!(["plain", "tags"])] {
        let mut h = fixture();
        h.add(json!({"email": "t@x.io", "tags": tags}));
        let mut csv = Vec::new();
        h.store.export_leads_csv(&LeadQuery::default(), &mut csv).unwrap();
        let mut k = fixture();
        assert_eq!(k.import(std::str::from_utf8(&csv).unwrap()).created, 1);
        assert_eq!(json!(k.lead("t@x.io").tags), tags);
    }
    assert!(!b.custom_fields.contains_key("updated_at"));

    let r = g.import("Email,custom_fields,current_score\nz@x.io,not json,150\n");
    assert_eq!((r.created, r.failed), (1, 0), "{r:#?}");
    let z = g.lead("z@x.io");
    assert_eq!(
        (&z.custom_fields["custom_fields"], &z.custom_fields["current_score"]),
        (&json!("not json"), &json!("150"))
    );
    assert_eq!(z.current_score, 0);
    assert_eq!(r.problems.iter().filter(|p| p.kept).count(), 2, "{:#?}", r.problems);
}

#[test]
fn a_duplicate_created_anyway_says_its_email_went_to_custom_fields() {
    let mut f = fixture();
    f.import("Email,First Name\na@x.io,Ann\n");
    let opts = ImportOptions { on_duplicate: OnDuplicate::Create, ..ImportOptions::default() };
    let r = f.import_with("Email,First Name\nA@x.io,Anne\n", &opts);
    assert_eq!((r.created, r.failed), (1, 0), "{r:#?}");
    assert!(
        r.problems.iter().any(|p| p.row == 1 && p.column == "Email" && p.reason.contains("created without its email")),
        "{:#?}",
        r.problems
    );
    let id: String = f.store.conn().query_row("SELECT id FROM leads WHERE email IS NULL", [], |r| r.get(0)).unwrap();
    let dup: Lead = outpost_core::records::from_row(f.store.get("leads", &id).unwrap().unwrap()).unwrap();
    assert_eq!(dup.custom_fields["duplicate_email"], "A@x.io");
    assert!(dup.tags.contains(&"possible-duplicate".to_string()));
}

#[test]
fn the_same_file_again_is_flagged_with_the_earlier_import() {
    let mut f = fixture();
    let text = "First Name,Company\nAnn,Acme\nBo,Zeta\n";
    let one = f.import(text);
    assert_eq!(one.same_file_as, None);
    let two = f.import(text);
    assert_eq!((two.created, two.same_file_as.as_deref()), (2, one.import_id.as_deref()));
    undo(&mut f.store, two.import_id.as_deref().unwrap()).unwrap();
    undo(&mut f.store, one.import_id.as_deref().unwrap()).unwrap();
    assert_eq!(f.import(text).same_file_as, None, "an undone import does not count");
}

/// Every row keeps a value as text (an old export's past follow-up dates): all are counted, the
/// first thousand listed — a million listed would not fit the import's memory.
#[test]
fn values_kept_as_text_are_counted_and_the_first_thousand_listed() {
    let mut f = fixture();
    let text: String =
        std::iter::once("Email,Phone\n".to_string()).chain((0..1_005).map(|i| format!("p{i}@x.io,555-01\n"))).collect();
    let r = f.import(&text);
    assert_eq!((r.created, r.failed, r.kept_values), (1_005, 0, 1_005), "{:?}", &r.problems[..2]);
    assert_eq!(r.problems.iter().filter(|p| p.kept).count(), outpost_import::KEPT_LISTED);
}

/// The custom fields our export wrote as JSON fill only what the row's own columns left unset.
#[test]
fn exported_custom_fields_do_not_replace_the_rows_own_values() {
    let mut f = fixture();
    let r = f.import(
        "email,Phone,custom_fields\na@x.io,555-01,\"{\"\"Phone\"\": \"\"old\"\", \"\"budget\"\": \"\"10k\"\"}\"\n",
    );
    assert_eq!(r.created, 1, "{:#?}", r.problems);
    let a = f.lead("a@x.io");
    assert_eq!(a.custom_fields.get("Phone"), Some(&json!("555-01")), "the value kept as text stays");
    assert_eq!(a.custom_fields.get("budget"), Some(&json!("10k")));
}

/// A do-not-contact lead may not move along the pipeline: an update import still brings the rest of
/// its row (the whole row was lost before, and missing from the failed-rows file), and says the
/// status was not changed.
#[test]
fn an_update_of_a_do_not_contact_lead_keeps_all_but_the_status() {
    let mut f = fixture();
    f.add(json!({"email": "a@x.io", "do_not_contact": true, "status": "contacted"}));
    let r = f.import_with("Email,Company,Status\na@x.io,Acme,new\n", &update());
    assert_eq!((r.updated, r.failed, r.kept_values), (1, 0, 1), "{:#?}", r.problems);
    assert!(r.problems.iter().any(|p| p.kept && p.column == "status" && p.reason.contains("do-not-contact")));
    let a = f.lead("a@x.io");
    assert_eq!((a.company.as_deref(), a.status.as_str()), (Some("Acme"), "contacted"));
}

/// An update the store refuses leaves its row out and writes it, as read, to the failed rows — with
/// the rows left out before it, in file order (the updated rows' cells were not kept, so the file
/// held only the header).
#[test]
fn a_refused_update_is_in_the_failed_rows_file() {
    let mut f = fixture();
    f.add(json!({"email": "a@x.io"}));
    f.store
        .conn()
        .execute_batch(
            "CREATE TEMP TRIGGER refuse BEFORE UPDATE OF company ON leads WHEN NEW.company = 'Refuse'
             BEGIN SELECT RAISE(ABORT, 'refused by a rule'); END;",
        )
        .unwrap();
    let r = f.import_with("Email,Company\na@x.io,Refuse\nbad@,Other\n", &update());
    assert_eq!((r.updated, r.failed), (0, 2), "{:#?}", r.problems);
    let mut out = Vec::new();
    r.write_failed_rows(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[1].starts_with("a@x.io,Refuse,") && lines[1].contains("refused by a rule"), "{text}");
    assert!(lines[2].starts_with("bad@,Other,"), "{text}");
}

/// A new lead the store refuses is left out and written, as read, to the failed rows, in file order
/// among the rows left out while reading (the file held only the header for it).
#[test]
fn a_refused_new_lead_is_in_the_failed_rows_file() {
    let mut f = fixture();
    f.store
        .conn()
        .execute_batch(
            "CREATE TEMP TRIGGER refuse BEFORE INSERT ON leads WHEN NEW.company = 'Refuse'
             BEGIN SELECT RAISE(ABORT, 'refused by a rule'); END;",
        )
        .unwrap();
    let r = f.import("Email,Company\nbad@,=HYPERLINK(\"x\")\n\"a@x.io\",\"Refuse\"\nb@x.io,Fine\n");
    assert_eq!((r.created, r.failed), (1, 2), "{:#?}", r.problems);
    let mut out = Vec::new();
    r.write_failed_rows(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    // A cell a spreadsheet would compute is written as text (as an export writes it).
    assert!(lines[1].starts_with("bad@,\"'=HYPERLINK(\"\"x\"\")\","), "{text}");
    assert!(lines[2].starts_with("a@x.io,Refuse,") && lines[2].contains("refused by a rule"), "{text}");
}

/// Two update imports undone oldest first: the second's undo puts back what was there before both,
/// not the first import's value (already undone), for a plain field and a merged one alike.
#[test]
fn undoing_update_imports_out_of_order_puts_back_the_value_before_both() {
    let mut f = fixture();
    f.add(json!({"email": "a@x.io", "company": "Original", "custom_fields": {"Region": "EU"}}));
    let u1 = f.import_with("Email,Company,Size\na@x.io,First,10\n", &update());
    let u2 = f.import_with("Email,Company,Size\na@x.io,Second,20\n", &update());
    assert_eq!((u1.updated, u2.updated), (1, 1));
    undo(&mut f.store, u1.import_id.as_deref().unwrap()).unwrap();
    let a = f.lead("a@x.io");
    assert_eq!(a.company.as_deref(), Some("Second"), "the later import's value stays while it is not undone");
    undo(&mut f.store, u2.import_id.as_deref().unwrap()).unwrap();
    let a = f.lead("a@x.io");
    assert_eq!(a.company.as_deref(), Some("Original"));
    assert_eq!(a.custom_fields, json!({"Region": "EU"}).as_object().unwrap().clone());
}

/// The rep's loop: export, fix in a spreadsheet, import back. The export's id column names each
/// lead, so leads without an email are not created again; an update import applies the fixes —
/// an email corrected included (found by id, the file's email is news) — and skip says why.
#[test]
fn an_export_imported_back_matches_its_leads_by_id() {
    let mut f = fixture();
    let no_email = f.add(json!({"first_name": "Wang", "company": "Testco"}));
    let typo = f.add(json!({"first_name": "Ana", "email": "ana@exmaple.com"}));
    let mut csv = Vec::new();
    f.store.export_leads_csv(&outpost_core::LeadQuery::default(), &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let r = f.import(&csv);
    assert_eq!((r.created, r.skipped), (0, 2), "{:#?}", r.problems);
    assert!(r.problems.iter().any(|p| p.reason.contains("the file's id is its id")), "{:#?}", r.problems);
    let fixed = csv.replace("ana@exmaple.com", "ana@example.com").replace("Testco", "Testco GmbH");
    let r = f.import_with(&fixed, &update());
    assert_eq!((r.created, r.updated), (0, 2), "{:#?}", r.problems);
    assert_eq!(f.live_leads(), 2);
    let wang = f.leads().into_iter().find(|l| l.id == no_email).unwrap();
    assert_eq!(wang.company.as_deref(), Some("Testco GmbH"));
    assert!(!wang.custom_fields.contains_key("external_id"), "{:?}", wang.custom_fields);
    let ana = f.leads().into_iter().find(|l| l.id == typo).unwrap();
    assert_eq!(ana.email.as_deref(), Some("ana@example.com"));
    // An id a spreadsheet wrote in capitals is the same lead (and not kept as its own external id).
    let upper = fixed.replace(&no_email, &no_email.to_uppercase()).replace("Testco GmbH", "Testco AG");
    let r = f.import_with(&upper, &update());
    assert_eq!((r.created, r.updated), (0, 1), "{:#?}", r.problems);
    let wang = f.leads().into_iter().find(|l| l.id == no_email).unwrap();
    assert!(!wang.custom_fields.contains_key("external_id"), "{:?}", wang.custom_fields);
    // A lead deleted here is not created again from the file, nor silently revived.
    f.store.remove::<outpost_core::Lead>(&no_email).unwrap();
    let r = f.import_with(&upper, &update());
    assert_eq!((r.created, r.updated, r.skipped), (0, 0, 2), "{:#?}", r.problems);
    assert!(r.problems.iter().any(|p| p.reason.contains("was deleted here")), "{:#?}", r.problems);
    assert_eq!(f.live_leads(), 1);
}

/// An export imported into another database brings every field a rep or a sync gave the lead —
/// engagement, email status, contact dates and counts, predicted value and probabilities, the
/// message and the AI summary (they had no column: QA).
#[test]
fn an_export_brings_every_field_into_another_database() {
    let mut from = fixture();
    let fields = json!({
        "first_name": "José", "email": "jose@example.com", "message": "Saw the demo",
        "engagement_level": "high", "email_status": "replied",
        "last_contacted_at": "2026-11-20T10:00:00.000000Z", "last_reply_at": "2026-11-21T08:30:00.000000Z",
        "reply_count": 3, "emails_sent_count": 7, "predicted_value": "1234.50",
        "score_confidence": "0.8", "conversion_probability": "0.25", "ai_context_summary": "Warm; budget Q1",
    });
    from.add(fields.clone());
    let mut csv = Vec::new();
    from.store.export_leads_csv(&outpost_core::LeadQuery::default(), &mut csv).unwrap();
    let mut to = fixture();
    let r = to.import(&String::from_utf8(csv).unwrap());
    assert_eq!((r.created, r.kept_values), (1, 0), "{:#?}", r.problems);
    let lead = to.store.get("leads", &to.lead("jose@example.com").id).unwrap().unwrap();
    for (k, v) in fields.as_object().unwrap() {
        assert_eq!(&lead[k], v, "{k}");
    }
}

/// A phone the rep typed in their own format is the number an import writes in E.164: re-importing
/// an unchanged export leaves the lead alone (it rewrote the phone and counted the lead as updated).
#[test]
fn the_same_number_written_another_way_is_not_an_update() {
    let mut f = fixture();
    let id = f.add(json!({"first_name": "Pat", "email": "pat@x.io", "phone": "(415) 555-0132"}));
    let mut csv = Vec::new();
    f.store.export_leads_csv(&outpost_core::LeadQuery::default(), &mut csv).unwrap();
    let r = f.import_with(&String::from_utf8(csv).unwrap(), &update());
    assert_eq!((r.updated, r.unchanged), (0, 1), "{:#?}", r.problems);
    assert_eq!(f.leads().into_iter().find(|l| l.id == id).unwrap().phone.as_deref(), Some("(415) 555-0132"));
    // Another number is news.
    let r = f.import_with("Email,Phone\npat@x.io,(415) 555-0199\n", &update());
    assert_eq!(r.updated, 1, "{:#?}", r.problems);
    assert_eq!(f.lead("pat@x.io").phone.as_deref(), Some("+14155550199"));
}

/// Two rows of an update file for one lead update it once: counted once, the later row's values on
/// top, and the later row says so (it counted "2 updated" for one lead).
#[test]
fn two_rows_for_one_lead_update_it_once() {
    let mut f = fixture();
    f.add(json!({"email": "a@x.io", "company": "Old"}));
    let r = f.import_with("E-mail,Company,Job Title\na@x.io,Acme,CTO\nA@X.io,Acme Inc,\n", &update());
    assert_eq!((r.updated, r.merged, r.failed, r.kept_values), (1, 1, 0, 1), "{:#?}", r.problems);
    assert_eq!(r.created + r.updated + r.merged + r.skipped + r.failed, r.rows);
    let note = r.problems.iter().find(|p| p.kept).unwrap();
    assert_eq!((note.row, note.column.as_str()), (2, "E-mail"), "{note:#?}");
    assert!(note.reason.contains("earlier row"), "{note:#?}");
    let a = f.lead("a@x.io");
    assert_eq!((a.company.as_deref(), a.job_title.as_deref()), (Some("Acme Inc"), Some("CTO")));
    undo(&mut f.store, r.import_id.as_deref().unwrap()).unwrap();
    let back = f.lead("a@x.io");
    assert_eq!((back.company.as_deref(), back.job_title), (Some("Old"), None));

    // A new lead three times: created once, the two later rows merged into it (one was "1 created,
    // 1 updated" without a note), even when a row brings nothing new.
    let r = f.import_with("Email,Company,Unsubscribed\nn@x.io,N1,yes\nn@x.io,N2,no\nn@x.io,N2,\n", &update());
    assert_eq!((r.created, r.updated, r.merged, r.skipped), (1, 0, 2, 0), "{:#?}", r.problems);
    assert_eq!(r.problems.iter().filter(|p| p.reason.contains("earlier row")).count(), 2, "{:#?}", r.problems);
    // Each note names the lead by its email (QA: the value column showed "—").
    assert!(
        r.problems.iter().filter(|p| p.reason.contains("earlier row")).all(|p| p.value == "n@x.io"),
        "{:#?}",
        r.problems
    );
    let n = f.lead("n@x.io");
    assert_eq!((n.company.as_deref(), n.do_not_contact), (Some("N2"), true));
    let listed = outpost_import::history(&f.store).unwrap().remove(0);
    assert_eq!((listed.rows, listed.created, listed.merged), (3, 1, 2), "{listed:?}");
    undo(&mut f.store, r.import_id.as_deref().unwrap()).unwrap();
    assert!(f.leads().iter().all(|l| l.email.as_deref() != Some("n@x.io")), "undo removes the lead it made");
}

/// The rows left out are written separated as the file was: a semicolon file (Excel where the
/// decimal mark is a comma) gets a semicolon file back, which that Excel opens in columns.
#[test]
fn failed_rows_of_a_semicolon_file_are_semicolon_separated() {
    let mut f = fixture();
    let r = f.import("Email;Company;Notes\nbad@;Acme, Inc;one\nok@x.io;Fine;two\n");
    assert_eq!((r.created, r.failed), (1, 1), "{:#?}", r.problems);
    let mut out = Vec::new();
    r.write_failed_rows(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "Email;Company;Notes;Import error", "{text}");
    assert!(lines[1].starts_with("bad@;Acme, Inc;one;"), "{text}");
    // Fixed and imported back: the reasons column is not kept on the lead.
    let fixed = text.trim_start_matches('\u{feff}').replace("bad@;", "good@x.io;");
    let again = f.import(&fixed);
    assert_eq!(again.created, 1, "{:#?}", again.problems);
    assert!(!f.lead("good@x.io").custom_fields.contains_key("Import error"));
    // A tab-separated file gets commas back: a tab .csv opens as one column in any spreadsheet.
    let r = f.import("Email\tCompany\nbad@\tAcme\n");
    let mut out = Vec::new();
    r.write_failed_rows(&mut out).unwrap();
    assert!(String::from_utf8(out).unwrap().contains("Email,Company,Import error"));
}

/// A file's "no" never clears a lead's do-not-contact (only a rep does, on the lead): the rest of
/// the row lands and the "no" is noted (it was dropped without a word). A new lead's "no" is kept.
#[test]
fn an_import_never_clears_do_not_contact_and_says_so() {
    let mut f = fixture();
    f.add(json!({"email": "a@x.io", "do_not_contact": true}));
    let r = f.import_with("Email,Company,Unsubscribed\na@x.io,Acme,no\nb@x.io,Beta,no\n", &update());
    assert_eq!((r.created, r.updated, r.failed, r.kept_values), (1, 1, 0, 1), "{:#?}", r.problems);
    let note = r.problems.iter().find(|p| p.kept).unwrap();
    assert_eq!((note.row, note.column.as_str()), (1, "Unsubscribed"), "{note:#?}");
    assert!(note.reason.contains("do-not-contact not cleared"), "{note:#?}");
    let a = f.lead("a@x.io");
    assert_eq!((a.do_not_contact, a.company.as_deref()), (true, Some("Acme")));
    assert!(!f.lead("b@x.io").do_not_contact);
}

/// An update fills in where a lead came from when it has none (the file's source was dropped on
/// every update), and never replaces one it has.
#[test]
fn an_update_fills_an_empty_source_only() {
    let mut f = fixture();
    f.add(json!({"email": "a@x.io"}));
    f.add(json!({"email": "b@x.io", "source": "Referral"}));
    let r = f.import_with("Email,Lead Source\na@x.io,Webinar\nb@x.io,Webinar\n", &update());
    assert_eq!((r.updated, r.unchanged), (1, 1), "{:#?}", r.problems);
    assert_eq!(f.lead("a@x.io").source.as_deref(), Some("Webinar"));
    assert_eq!(f.lead("b@x.io").source.as_deref(), Some("Referral"));
    // A file without a source column says nothing about it.
    let r = f.import_with("Email,Company\na@x.io,Acme\n", &update());
    assert_eq!(r.updated, 1);
    assert_eq!(f.lead("a@x.io").source.as_deref(), Some("Webinar"));
}

/// An owner column naming a teammate (by email or full name, as HubSpot's "Contact owner" and
/// Salesforce's "Lead Owner" export them) assigns the lead to them; a name not found stays as text.
#[test]
fn an_owner_column_assigns_leads_to_teammates() {
    let mut f = fixture();
    let org = f.store.identity().organization_id.clone();
    let alice = "01a21964-0000-7000-8000-00000000a11c";
    f.store
        .conn()
        .execute(
            "INSERT INTO profiles (id, organization_id, email, full_name, created_at, updated_at)
             VALUES (?1, ?2, 'alice@acme.test', 'Alice Smith', ?3, ?3)",
            (alice, org, "2026-01-01T00:00:00.000000Z"),
        )
        .unwrap();
    let r = f.import("Email,Contact owner\na@x.io,Alice Smith\nb@x.io,ALICE@acme.test \nc@x.io,Bob Gone\n");
    assert_eq!((r.created, r.failed), (3, 0), "{:#?}", r.problems);
    assert_eq!(f.lead("a@x.io").assigned_to.as_deref(), Some(alice));
    assert_eq!(f.lead("b@x.io").assigned_to.as_deref(), Some(alice));
    assert!(!f.lead("a@x.io").custom_fields.contains_key("owner"));
    let c = f.lead("c@x.io");
    assert_eq!((c.assigned_to, &c.custom_fields["owner"]), (None, &json!("Bob Gone")));
    let said: Vec<(u64, &str, &str)> =
        r.problems.iter().map(|p| (p.row, p.column.as_str(), p.value.as_str())).collect();
    assert_eq!(said, [(3, "Contact owner", "Bob Gone")], "the name not found is said: {:#?}", r.problems);
    assert!(r.problems[0].kept && r.problems[0].reason.starts_with("no teammate has this name or email"));
    // An update assigns only a lead without an owner: one the team assigned stays theirs.
    let me = f.store.identity().user_id.clone();
    f.add(json!({"email": "d@x.io", "assigned_to": null}));
    let mine = f.add(json!({"email": "e@x.io"}));
    let r = f.import_with("Email,Lead Owner\nd@x.io,alice@acme.test\ne@x.io,alice@acme.test\n", &update());
    assert_eq!((r.updated, r.unchanged), (1, 1), "{:#?}", r.problems);
    assert_eq!(f.lead("d@x.io").assigned_to.as_deref(), Some(alice));
    assert_eq!(f.lead("e@x.io").assigned_to.as_deref(), Some(me.as_str()), "{mine}");
}

/// Notes of several paragraphs come back from an export unchanged (they were appended to
/// themselves at every re-import: a paragraph-by-paragraph check never matched the whole note);
/// a text starting with the spreadsheet's text marker keeps it.
#[test]
fn notes_of_several_paragraphs_and_a_leading_marker_survive_the_round_trip() {
    let mut f = fixture();
    f.add(json!({"email": "cy@acme.com", "notes": "para1\n\npara2", "company": "'=literal", "job_title": "''=two"}));
    let mut csv = Vec::new();
    f.store.export_leads_csv(&LeadQuery::default(), &mut csv).unwrap();
    let text = String::from_utf8(csv).unwrap();
    let r = f.import_with(&text, &update());
    assert_eq!((r.updated, r.unchanged), (0, 1), "{:#?}", r.problems);
    let cy = f.lead("cy@acme.com");
    assert_eq!((cy.notes.as_deref(), cy.company.as_deref()), (Some("para1\n\npara2"), Some("'=literal")));
    assert_eq!(cy.job_title.as_deref(), Some("''=two"));
    // Into another database, as exported.
    let mut g = fixture();
    assert_eq!(g.import(&text).created, 1);
    assert_eq!(g.lead("cy@acme.com").company.as_deref(), Some("'=literal"));
    // A later note of one paragraph that is part of the notes is not news either; a new one is.
    let r = f.import_with("Email,Notes\ncy@acme.com,para2\ncy@acme.com,para3\n", &update());
    assert_eq!((r.updated, r.unchanged), (1, 1), "{:#?}", r.problems);
    assert_eq!(f.lead("cy@acme.com").notes.as_deref(), Some("para1\n\npara2\n\npara3"));
}

/// The rows left out of a failed-rows file, imported again, make a file with one reasons column
/// (it had two "Import error" columns, and importing that one stopped: "appears twice").
#[test]
fn a_failed_rows_file_of_a_failed_rows_file_has_one_reasons_column() {
    let mut f = fixture();
    let r = f.import("Name,Email\nA,bad1\nB,bad2\n");
    let mut first = Vec::new();
    r.write_failed_rows(&mut first).unwrap();
    let first = String::from_utf8(first).unwrap().replace("bad1", "a@x.io");
    let again = f.import(first.trim_start_matches('\u{feff}'));
    assert_eq!((again.created, again.failed), (1, 1), "{:#?}", again.problems);
    let mut second = Vec::new();
    again.write_failed_rows(&mut second).unwrap();
    let second = String::from_utf8(second).unwrap();
    assert!(second.trim_start_matches('\u{feff}').starts_with("Name,Email,Import error\n"), "{second}");
    assert_eq!(second.lines().nth(1).unwrap().matches("not an email").count(), 1, "{second}");
    let third = f.import(second.trim_start_matches('\u{feff}'));
    assert_eq!(third.failed, 1, "{:#?}", third.problems);
}

/// Our export's assigned_to names someone of this organization: the lead is theirs again (it was
/// kept as a custom field holding the id); a placeholder country is no address.
#[test]
fn an_exported_assignee_of_this_organization_is_assigned_again() {
    let mut f = fixture();
    let me = f.store.identity().user_id.clone();
    let stranger = "01a21964-0000-7000-8000-0000000000ff";
    let r = f.import(&format!("Email,assigned_to,Country\na@x.io,{me},N/A\nb@x.io,{stranger},\n"));
    assert_eq!(r.created, 2, "{:#?}", r.problems);
    let a = f.lead("a@x.io");
    assert_eq!((a.assigned_to.as_deref(), a.custom_fields.contains_key("assigned_to")), (Some(me.as_str()), false));
    assert!(a.address.is_none_or(|ad| ad.get("country").is_none()), "N/A is not a country");
    let b = f.lead("b@x.io");
    assert_eq!((b.assigned_to, &b.custom_fields["assigned_to"]), (None, &json!(stranger)));
}

/// An address beyond ASCII stored as typed (before the store kept one form, or pulled from the
/// server as a web form wrote it) is the lead an update import of the same address fills in, in
/// any case (it became a second lead, which the server then refused).
#[test]
fn a_stored_address_beyond_ascii_is_found_in_any_case() {
    let mut f = fixture();
    let org = f.store.identity().organization_id.clone();
    f.store
        .conn()
        .execute(
            "INSERT INTO leads (id, organization_id, email, created_at, updated_at)
             VALUES ('01a21964-0000-7000-8000-0000000000e1', ?1, '\u{c9}LODIE@x.fr', ?2, ?2)",
            (org, "2026-01-01T00:00:00.000000Z"),
        )
        .unwrap();
    let r = f.import_with("Email,Company\n\u{e9}lodie@x.fr,Acme\n", &update());
    assert_eq!((r.created, r.updated), (0, 1), "{:#?}", r.problems);
    let company: String = f
        .store
        .conn()
        .query_row("SELECT company FROM leads WHERE id = '01a21964-0000-7000-8000-0000000000e1'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(company, "Acme");
}

/// A lead that came from HubSpot keeps its Record ID and Create Date as external_id and
/// original_created_at. Exported and imported into another database, those stay as they were and
/// the exporting database's own id and creation time are kept beside them, not over them; imported
/// back into the same database, the id still names the lead (and adds nothing to it).
#[test]
fn an_exported_lead_keeps_its_first_crm_s_id_and_create_date() {
    let mut f = fixture();
    let r = f.import("Record ID,Email,Create Date\n90210,kim@x.io,2023-04-05\n");
    assert_eq!(r.created, 1, "{r:#?}");
    let kim = f.lead("kim@x.io");
    assert_eq!(kim.custom_fields["external_id"], json!("90210"));
    let created_there = kim.custom_fields["original_created_at"].clone();
    let mut csv = Vec::new();
    f.store.export_leads_csv(&outpost_core::LeadQuery::default(), &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();

    let mut g = fixture();
    let r = g.import(&csv);
    assert_eq!((r.created, r.failed), (1, 0), "{r:#?}");
    let moved = g.lead("kim@x.io");
    assert_eq!(moved.custom_fields["external_id"], json!("90210"), "{:?}", moved.custom_fields);
    assert_eq!(moved.custom_fields["original_created_at"], created_there);
    assert_eq!(moved.custom_fields["outpost_id"], json!(kim.id));
    assert!(moved.custom_fields.contains_key("outpost_created_at"), "{:?}", moved.custom_fields);

    let r = f.import_with(&csv.replace("kim@x.io", "kim@y.io"), &update());
    assert_eq!((r.created, r.updated), (0, 1), "{:#?}", r.problems);
    let kim_now = f.leads().into_iter().find(|l| l.id == kim.id).unwrap();
    assert_eq!(kim_now.email.as_deref(), Some("kim@y.io"));
    assert_eq!(kim_now.custom_fields, kim.custom_fields, "nothing about the lead itself was added");
}

/// Two columns the rep points at one custom-kept field (the wizard sends a choice for every column:
/// two ID columns, two create dates): the first keeps the field, the second its own column's
/// name — neither is lost.
#[test]
fn a_second_id_or_create_date_column_is_kept_under_its_name() {
    let mut f = fixture();
    let both = |a: &str, b: &str, field: &str| [(a.to_string(), field.to_string()), (b.to_string(), field.to_string())];
    let overrides =
        [both("Record ID", "Contact ID", "external_id"), both("Create Date", "Created Date", "created_at")].concat();
    let opts = ImportOptions { overrides, ..ImportOptions::default() };
    let r = f.import_with(
        "Email,Record ID,Contact ID,Create Date,Created Date\nlee@x.io,1,2,2023-01-02,2023-03-04\n",
        &opts,
    );
    assert_eq!(r.created, 1, "{r:#?}");
    let c = f.lead("lee@x.io").custom_fields;
    assert_eq!(c.get("external_id"), Some(&json!("1")), "{c:?}");
    assert_eq!(c.get("Contact ID"), Some(&json!("2")), "{c:?}");
    assert_eq!(c.get("original_created_at"), Some(&json!("2023-01-02")), "{c:?}");
    assert_eq!(c.get("Created Date"), Some(&json!("2023-03-04")), "{c:?}");
}

/// The rows-left-out file is opened in a spreadsheet: a column name the file had (and a reason
/// quoting one) that a spreadsheet would compute is written as text, and reads back as it was.
#[test]
fn failed_rows_file_writes_formula_headers_and_reasons_as_text() {
    let mut f = fixture();
    let evil = "@SUM(1+1)*cmd|' /C calc'!A0 Email";
    let opts = ImportOptions { overrides: vec![(evil.into(), "email".into())], ..ImportOptions::default() };
    let r =
        f.import_with(&format!("First Name,\"{evil}\",=HYPERLINK(\"x\")\nAnn,not-an-email,y\nBo,bo@x.io,z\n"), &opts);
    assert_eq!((r.created, r.failed), (1, 1), "{:#?}", r.problems);
    let mut out = Vec::new();
    r.write_failed_rows(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut rows =
        csv::ReaderBuilder::new().has_headers(false).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    for record in rows.records() {
        for cell in record.unwrap().iter() {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "a cell a spreadsheet computes: {cell:?} in {text}");
        }
    }
    // Fixed and imported back, the columns keep their names.
    let again = f.import_with(&text.replace("not-an-email", "ann@x.io"), &opts);
    assert_eq!(again.created, 1, "{:#?}", again.problems);
    assert_eq!(f.lead("ann@x.io").custom_fields.get("=HYPERLINK(\"x\")"), Some(&json!("y")));
}
