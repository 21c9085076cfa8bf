//! How a row's cells become a lead: opt-outs, notes and our own export's columns, phones, emails,
//! names, statuses, ragged rows, header-less files, and undo after a later import.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

use outpost_core::LeadQuery;
use outpost_import::{import, orphaned_by_undo, undo, DateOrder, Error, ImportOptions, Undone};
use serde_json::json;

#[test]
fn any_opt_out_column_saying_yes_makes_the_lead_do_not_contact() {
    let mut f = fixture();
    let r = f.import(
        "Email,Email Opt Out,Unsubscribed,Do Not Email\n\
         a@x.io,no,TRUE,\n\
         b@x.io,yes,no,no\n\
         c@x.io,false,,\n\
         d@x.io,,,Yes\n",
    );
    assert_eq!((r.created, r.failed), (4, 0), "{r:#?}");
    let dnc: Vec<bool> = ["a@x.io", "b@x.io", "c@x.io", "d@x.io"].iter().map(|e| f.lead(e).do_not_contact).collect();
    assert_eq!(dnc, [true, true, false, true]);
    assert!(f.lead("a@x.io").custom_fields.get("Unsubscribed").is_none(), "the column is the opt-out, not custom");

    // A later file that says "no" does not make an opted-out lead contactable again, nor is the row
    // refused for trying.
    let opts = update();
    let r = f.import_with("Email,do_not_contact,Company\na@x.io,no,Acme\n", &opts);
    assert_eq!((r.updated, r.failed), (1, 0), "{r:#?}");
    assert!(f.lead("a@x.io").do_not_contact);
    assert_eq!(f.lead("a@x.io").company.as_deref(), Some("Acme"));
}

#[test]
fn our_own_export_imports_back_onto_the_same_lead_columns() {
    let mut f = fixture();
    let lead = json!({
        "first_name": "Ada", "last_name": "Lovelace", "email": "ada@engine.io", "phone": "+442079460958",
        "company": "Analytical Engines", "job_title": "CTO", "website": "https://engine.io",
        "linkedin_url": "https://linkedin.com/in/ada", "status": "proposal", "source": "referral",
        "tags": ["vip", "math"], "do_not_contact": true, "next_follow_up_at": "2031-05-01T09:00:00.000000Z",
        "notes": "Prefers mornings, line one\nline two",
    });
    let id = f.store.write(|tx| tx.insert("leads", lead.as_object().unwrap().clone())).unwrap();
    let mut csv = Vec::new();
    f.store.export_leads_csv(&LeadQuery::default(), &mut csv).unwrap();

    let mut g = fixture();
    let r = g.import(std::str::from_utf8(&csv).unwrap());
    assert_eq!((r.created, r.failed), (1, 0), "{r:#?}");
    for m in &r.mapping {
        let kept = ["id", "assigned_to", "created_at", "updated_at"].contains(&m.header.as_str());
        // (`updated_at` is ignored: Target::Ignore, not a field.)
        assert_eq!(
            matches!(m.target, outpost_import::mapping::Target::Field(_)),
            !kept || m.header == "id" || m.header == "created_at",
            "{m:?}"
        );
    }
    let back = g.lead("ada@engine.io");
    assert_eq!((back.first_name.as_deref(), back.last_name.as_deref()), (Some("Ada"), Some("Lovelace")));
    assert_eq!(back.phone.as_deref(), Some("+442079460958"));
    assert_eq!(back.company.as_deref(), Some("Analytical Engines"));
    assert_eq!(back.job_title.as_deref(), Some("CTO"));
    assert_eq!(back.website.as_deref(), Some("https://engine.io"));
    assert_eq!(back.linkedin_url.as_deref(), Some("https://linkedin.com/in/ada"));
    assert_eq!(back.status.as_str(), "proposal");
    assert_eq!(back.source.as_deref(), Some("referral"));
    assert_eq!(back.tags, ["vip", "math"]);
    assert!(back.do_not_contact, "the export's do_not_contact=yes survives the round trip");
    assert_eq!(back.next_follow_up_at.as_deref(), Some("2031-05-01T09:00:00.000000Z"));
    assert_eq!(back.notes.as_deref(), Some("Prefers mornings, line one\nline two"));
    // What the importer must not set is kept where the rep can see it.
    assert_eq!(back.custom_fields["external_id"], json!(id));
    assert!(back.custom_fields.contains_key("original_created_at"), "{:?}", back.custom_fields);
    assert!(!back.custom_fields.contains_key("updated_at"), "another database's edit time is not kept");
    assert_ne!(back.id, id);
}

#[test]
fn notes_can_be_mapped_and_a_past_follow_up_is_imported_overdue() {
    let mut f = fixture();
    let opts = ImportOptions { overrides: vec![("Comment".into(), "notes".into())], ..ImportOptions::default() };
    let r = f.import_with("Email,Comment,Next Follow Up\na@x.io,call after 3pm,01/02/2020\n", &opts);
    assert_eq!((r.created, r.failed), (1, 0), "{r:#?}");
    let a = f.lead("a@x.io");
    assert_eq!(a.notes.as_deref(), Some("call after 3pm"));
    assert_eq!(a.next_follow_up_at.as_deref(), Some("2020-01-02T09:00:00.000000Z"));
    assert!(a.custom_fields.is_empty(), "{:?}", a.custom_fields);
    // A rep's own edit may still not set one in the past.
    let e = f
        .store
        .edit::<outpost_core::Lead>(
            &a.id,
            serde_json::json!({"next_follow_up_at": "2020-01-03"}).as_object().unwrap().clone(),
        )
        .unwrap_err();
    assert!(matches!(e, outpost_core::Error::FollowUpInPast { .. }), "{e}");
}

#[test]
fn numbers_with_a_country_code_ignore_the_region_and_extensions_are_kept() {
    let mut f = fixture();
    let r = f.import(
        "Email,Phone,Mobile\n\
         fr@x.io,+33 1 23 45 67 89,\n\
         ext@x.io,(415) 555-0100 ext. 12,\n\
         mob@x.io,,(415) 555-0132\n\
         both@x.io,(415) 555-0177,(415) 555-0132\n",
    );
    assert_eq!((r.created, r.failed), (4, 0), "{r:#?}");
    assert_eq!(f.lead("fr@x.io").phone.as_deref(), Some("+33123456789"));
    let ext = f.lead("ext@x.io");
    assert_eq!((ext.phone.as_deref(), &ext.custom_fields["phone_extension"]), (Some("+14155550100"), &json!("12")));
    assert_eq!(f.lead("mob@x.io").phone.as_deref(), Some("+14155550132"));
    let both = f.lead("both@x.io");
    assert_eq!((both.phone.as_deref(), &both.custom_fields["Mobile"]), (Some("+14155550177"), &json!("+14155550132")));
}

/// An update import's new number does not keep the old one's extension; the same number written
/// another way, or a new one with its own extension, does as it should. Undone after the lead's
/// custom fields changed again, the old number comes back with its extension, the later edit stays.
#[test]
fn a_new_number_leaves_the_old_ones_extension_behind() {
    let mut f = fixture();
    f.import("Email,Phone,Team\nbob@x.io,+1 (212) 555-0101 x 42,Ops\ncy@x.io,(415) 555-0100 ext. 12,\n");
    let r = f.import_with("Email,Phone\nbob@x.io,+1 212 555 9999\ncy@x.io,415-555-0100\n", &update());
    assert_eq!((r.updated, r.failed), (1, 0), "{:?}", r.problems);
    let bob = f.lead("bob@x.io");
    assert_eq!(bob.phone.as_deref(), Some("+12125559999"));
    assert_eq!(bob.custom_fields.get("phone_extension"), None, "{:?}", bob.custom_fields);
    assert_eq!(bob.custom_fields["Team"], json!("Ops"), "the other custom fields stay");
    assert_eq!(f.lead("cy@x.io").custom_fields["phone_extension"], json!("12"), "the same number keeps it");

    let mut custom = bob.custom_fields.clone();
    custom.insert("Team".into(), json!("Sales"));
    let patch = json!({ "custom_fields": custom }).as_object().unwrap().clone();
    f.store.edit::<outpost_core::Lead>(&bob.id, patch).unwrap();
    undo(&mut f.store, r.import_id.as_deref().unwrap()).unwrap();
    let bob = f.lead("bob@x.io");
    assert_eq!(bob.phone.as_deref(), Some("+12125550101"));
    assert_eq!((&bob.custom_fields["phone_extension"], &bob.custom_fields["Team"]), (&json!("42"), &json!("Sales")));

    f.import_with("Email,Phone\nbob@x.io,+1 212 555 7777 ext 9\n", &update());
    assert_eq!(f.lead("bob@x.io").custom_fields["phone_extension"], json!("9"));
}

/// Apollo's "Company Name for Emails" is the company when Company is empty (CSV-HEADERS.md), and a
/// custom field either way; an update import does not put it over a lead's own company.
#[test]
fn an_email_company_name_fills_an_empty_company() {
    let mut f = fixture();
    let r = f.import("Email,Company,Company Name for Emails\na@x.io,,Tencent\nb@x.io,Tencent Holdings Ltd,Tencent\n");
    assert_eq!((r.created, r.failed), (2, 0), "{:?}", r.problems);
    let a = f.lead("a@x.io");
    assert_eq!((a.company.as_deref(), &a.custom_fields["company_alt"]), (Some("Tencent"), &json!("Tencent")));
    let b = f.lead("b@x.io");
    assert_eq!(
        (b.company.as_deref(), &b.custom_fields["company_alt"]),
        (Some("Tencent Holdings Ltd"), &json!("Tencent"))
    );
    f.import_with("Email,Company Name for Emails,Title\nb@x.io,Tencent,CEO\n", &update());
    let b = f.lead("b@x.io");
    assert_eq!((b.company.as_deref(), b.job_title.as_deref()), (Some("Tencent Holdings Ltd"), Some("CEO")));
}

/// A number without its country code is read in the row's country when the file has one (a list
/// across Europe imported with the default region US kept every such number as text).
#[test]
fn a_rows_country_says_how_to_read_its_number() {
    let mut f = fixture();
    let r = f.import(
        "Email,Phone,Country\n\
         de@x.io,030 1234567,Germany\n\
         gb@x.io,020 7946 0958,United Kingdom\n\
         uk@x.io,020 7946 0958,U.K.\n\
         fr@x.io,01 23 45 67 89,FRA\n\
         es@x.io,912 34 56 78,España\n\
         us@x.io,(415) 555-0132,France\n\
         zip@x.io,(415) 555-0133,94107\n\
         na@x.io,(415) 555-0134,N/A\n\
         kr@x.io,02-312-3456,\"Korea, Republic of\"\n\
         bln@x.io,030 7654321,\"Berlin, Germany\"\n\
         at@x.io,01 234567,Österreich\n\
         bad@x.io,12,fr\n\
         amb@x.io,(415) 555-0135,Germany\n\
         dover@x.io,(302) 555-0136,\"Dover, DE\"\n",
    );
    assert_eq!((r.created, r.failed), (14, 0), "{r:#?}");
    let phone = |e: &str| f.lead(e).phone;
    assert_eq!(phone("de@x.io").as_deref(), Some("+49301234567"));
    assert_eq!(phone("gb@x.io").as_deref(), Some("+442079460958"));
    assert_eq!(phone("uk@x.io").as_deref(), Some("+442079460958"));
    assert_eq!(phone("fr@x.io").as_deref(), Some("+33123456789"));
    assert_eq!(phone("es@x.io").as_deref(), Some("+34912345678"));
    // Not a number of the row's country: read in the import's region.
    assert_eq!(phone("us@x.io").as_deref(), Some("+14155550132"));
    assert_eq!(phone("zip@x.io").as_deref(), Some("+14155550133"));
    assert_eq!(phone("na@x.io").as_deref(), Some("+14155550134"), "N/A is no country (not Namibia)");
    assert_eq!(phone("at@x.io").as_deref(), Some("+431234567"));
    assert_eq!(phone("kr@x.io").as_deref(), Some("+8223123456"));
    assert_eq!(phone("bln@x.io").as_deref(), Some("+49307654321"));
    // Valid in both the row's country and the import's region: read in the row's, and noted.
    assert_eq!(phone("amb@x.io").as_deref(), Some("+494155550135"));
    let both = r.problems.iter().find(|p| p.row == 13).unwrap();
    assert!(both.kept && both.reason.contains("read in US it would be +14155550135"), "{both:#?}");
    assert_eq!(phone("dover@x.io").as_deref(), Some("+13025550136"), "'Dover, DE' is Delaware");
    let note = r.problems.iter().find(|p| p.row == 12).unwrap();
    assert!(note.kept && note.reason.contains("region FR (the row's country) or US"), "{note:#?}");
}

/// Salesforce's contact export names its address columns "Mailing …": the country reads the phone.
#[test]
fn a_mailing_country_is_the_rows_country() {
    let mut f = fixture();
    let r = f.import("Email,Phone,Mailing City,Mailing Country\nde@x.io,030 1234567,Berlin,Germany\n");
    assert_eq!((r.created, r.kept_values), (1, 0), "{r:#?}");
    let de = f.lead("de@x.io");
    assert_eq!(de.phone.as_deref(), Some("+49301234567"));
    assert_eq!(de.address.unwrap()["city"], json!("Berlin"));
}

#[test]
fn a_wrong_region_fails_the_import_up_front_and_uk_means_gb() {
    let mut f = fixture();
    let text = "Email,Phone\nuk@x.io,020 7946 0958\n";
    let uk = ImportOptions { region: "UK".into(), ..ImportOptions::default() };
    let r = f.import_with(text, &uk);
    assert_eq!((r.created, r.failed), (1, 0), "{r:#?}");
    assert_eq!(f.lead("uk@x.io").phone.as_deref(), Some("+442079460958"));
    // A country's name, as a Country column may have it.
    let germany = ImportOptions { region: "Germany".into(), ..ImportOptions::default() };
    let r = f.import_with("Email,Phone\nde@x.io,030 1234567\n", &germany);
    assert_eq!((r.created, r.kept_values), (1, 0), "{r:#?}");
    assert_eq!(f.lead("de@x.io").phone.as_deref(), Some("+49301234567"));

    let mut g = fixture();
    let path = g.file("in.csv", "Email,Phone\nzz@x.io,555 0100\nno-phone@x.io,\n");
    let bad = ImportOptions { region: "XX".into(), ..ImportOptions::default() };
    let e = import(&mut g.store, &path, &bad, &mut |_| true).unwrap_err();
    assert!(matches!(e, Error::UnknownRegion { .. }) && e.to_string().contains("--region 'XX'"), "{e}");
    assert_eq!(g.store.count_leads(&LeadQuery::default()).unwrap(), 0, "nothing is imported");
}

#[test]
fn emails_are_unwrapped_placeholders_are_empty_and_garbage_is_refused() {
    let mut f = fixture();
    let r = f.import(
        "First Name,Email\n\
         Cat,mailto:c@x.com\n\
         Dan,<d@x.com>\n\
         Eve,Eve Ek <e@x.com>\n\
         Eve again,e@x.com\u{200b}\n\
         Nan,N/A\n\
         Dash,-\n\
         John,john@@x.com\n\
         Two,\"a@x.com,b@x.com\"\n",
    );
    let problems: Vec<(u64, &str)> = r.problems.iter().map(|p| (p.row, p.reason.as_str())).collect();
    assert_eq!((r.created, r.skipped, r.failed), (5, 1, 2), "{problems:?}");
    for e in ["c@x.com", "d@x.com", "e@x.com"] {
        f.lead(e);
    }
    assert!(problems.iter().any(|(row, why)| *row == 4 && why.contains("duplicate of row 3")), "{problems:?}");
    assert!(problems.iter().any(|(row, why)| *row == 7 && why.contains("more than one @")), "{problems:?}");
    assert!(problems.iter().any(|(row, why)| *row == 8 && why.contains("more than one address")), "{problems:?}");
    let no_email: Vec<Option<String>> =
        f.leads().into_iter().filter(|l| l.email.is_none()).map(|l| l.first_name).collect();
    assert_eq!(no_email, [Some("Nan".to_string()), Some("Dash".to_string())]);
}

#[test]
fn a_second_email_column_stands_in_for_an_empty_first() {
    let mut f = fixture();
    let r = f.import("Email Address,E-mail,First Name\n,only@x.io,Ann\nmain@x.io,alt@x.io,Bo\n");
    assert_eq!((r.created, r.failed), (2, 0), "{r:#?}");
    assert_eq!(f.lead("only@x.io").first_name.as_deref(), Some("Ann"));
    let bo = f.lead("main@x.io");
    assert_eq!(bo.custom_fields["E-mail"], "alt@x.io");
}

#[test]
fn vendor_statuses_and_stages_import() {
    let mut f = fixture();
    let r = f.import(
        "Email,Lead Status\n\
         a@x.io,Open - Not Contacted\n\
         b@x.io,Working - Contacted\n\
         c@x.io,Closed - Converted\n\
         d@x.io,Closed - Not Converted\n\
         e@x.io,Contact Made\n\
         g@x.io,Demo Scheduled\n\
         h@x.io,Proposal Made\n\
         i@x.io,Negotiations Started\n\
         j@x.io,Lead In\n\
         k@x.io,Prospect\n\
         l@x.io,Replied\n\
         m@x.io,Interested\n\
         n@x.io,Meeting booked\n\
         o@x.io,Dead\n",
    );
    assert_eq!((r.created, r.failed, r.kept_values), (14, 0, 0), "{:#?}", r.problems);
    let statuses: Vec<String> = f.leads().iter().map(|l| l.status.as_str().to_string()).collect();
    assert_eq!(
        statuses,
        [
            "new",
            "contacted",
            "closed_won",
            "closed_lost",
            "contacted",
            "qualified",
            "proposal",
            "negotiation",
            "new",
            "new",
            "contacted",
            "qualified",
            "qualified",
            "closed_lost"
        ]
    );
}

#[test]
fn full_names_split_into_first_and_last() {
    let mut f = fixture();
    f.import("Full Name,Email\n\"Smith, John\",j@x.io\nDr. Mary Ann van der Berg Jr.,m@x.io\n");
    let j = f.lead("j@x.io");
    assert_eq!((j.first_name.as_deref(), j.last_name.as_deref()), (Some("John"), Some("Smith")));
    let m = f.lead("m@x.io");
    assert_eq!((m.first_name.as_deref(), m.last_name.as_deref()), (Some("Mary Ann"), Some("van der Berg")));
    assert_eq!((&m.custom_fields["name_prefix"], &m.custom_fields["name_suffix"]), (&json!("Dr."), &json!("Jr.")));
}

/// A Name column beside First/Last Name columns fills only what they left empty; a name that
/// disagrees with them is kept whole, wherever the columns stand.
#[test]
fn a_name_column_beside_first_and_last_names_loses_nothing() {
    let mut f = fixture();
    f.import(
        "Name,First Name,Last Name,Email\n\
         Acme Corporation,Bob,Ray,a@x.io\n\
         Robert Smith,Bob,,b@x.io\n\
         Cy Day,Cy,Day,c@x.io\n",
    );
    let a = f.lead("a@x.io");
    assert_eq!((a.first_name.as_deref(), a.last_name.as_deref()), (Some("Bob"), Some("Ray")));
    assert_eq!(a.custom_fields["Name"], json!("Acme Corporation"));
    let b = f.lead("b@x.io");
    assert_eq!((b.first_name.as_deref(), b.last_name.as_deref()), (Some("Bob"), Some("Smith")));
    assert_eq!(b.custom_fields["Name"], json!("Robert Smith"), "Robert is not lost");
    assert!(f.lead("c@x.io").custom_fields.is_empty(), "a name that agrees is not kept twice");
}

/// Two columns for one field (a --map onto a field a column already fills, or two of them): the
/// column the rep pointed there wins over the guessed one, and no value is dropped — each other
/// one is kept under its column's name.
#[test]
fn two_columns_for_one_field_keep_both_values() {
    let mut f = fixture();
    let opts = ImportOptions {
        overrides: vec![
            ("Org".into(), "company".into()),
            ("Comments".into(), "company".into()),
            ("Mail".into(), "email".into()),
        ],
        ..ImportOptions::default()
    };
    let r =
        f.import_with("Email,Company,Org,Comments,Mail\nold@x.io,Co1,Co2,hello,new@x.io\n,Co3,,Co4,c@x.io\n", &opts);
    assert_eq!((r.created, r.failed), (2, 0), "{r:#?}");
    let a = f.lead("new@x.io");
    assert_eq!(a.company.as_deref(), Some("Co2"), "the column the rep chose, first of the two");
    assert_eq!(
        (&a.custom_fields["Company"], &a.custom_fields["Comments"], &a.custom_fields["Email"]),
        (&json!("Co1"), &json!("hello"), &json!("old@x.io"))
    );
    let c = f.lead("c@x.io");
    assert_eq!((c.company.as_deref(), &c.custom_fields["Company"]), (Some("Co4"), &json!("Co3")));
    // Two Tags columns: the lead has both's tags.
    f.import("Email,Tags,Labels\nd@x.io,vip;2027,\"partner, vip\"\n");
    let opts = ImportOptions { overrides: vec![("Labels".into(), "tags".into())], ..ImportOptions::default() };
    f.import_with("Email,Tags,Labels\ne@x.io,vip;2027,\"partner, vip\"\n", &opts);
    assert_eq!(f.lead("e@x.io").tags, ["vip", "2027", "partner"]);
}

/// Web addresses are checked as the app checks them; one that is none is kept as text, said.
/// A follow-up day written "2025-04-03" is 09:00 UTC like every other way of writing a day.
#[test]
fn web_addresses_are_checked_and_a_follow_up_day_is_a_day() {
    let mut f = fixture();
    let r = f.import(
        "Email,Website,LinkedIn URL,Next Follow Up\n\
         a@x.io,javascript:alert(1),N/A,2027-04-03\n\
         b@x.io,acme.com,https://linkedin.com/in/bo,04/03/2027\n",
    );
    assert_eq!((r.created, r.failed), (2, 0), "{r:#?}");
    let a = f.lead("a@x.io");
    assert_eq!((a.website.as_deref(), a.linkedin_url.as_deref()), (None, None));
    assert_eq!(a.custom_fields["Website"], json!("javascript:alert(1)"));
    assert!(r.problems.iter().any(|p| p.kept && p.column == "Website" && p.reason.starts_with("not a web address")));
    let b = f.lead("b@x.io");
    assert_eq!(b.website.as_deref(), Some("acme.com"));
    assert_eq!(a.next_follow_up_at, b.next_follow_up_at);
    assert_eq!(a.next_follow_up_at.as_deref(), Some("2027-04-03T09:00:00.000000Z"));
}

/// A header over rows that often run wider (an unquoted comma in "Acme, Inc") is still the header:
/// the first wide row was taken for it, and the real one and the rows above went without a word.
/// Lines above a header (a report's title) are skipped and said.
#[test]
fn column_names_stay_the_header_over_wider_rows_and_lines_above_are_said() {
    let mut f = fixture();
    let r = f
        .import("Name,Company,Job Title\nBob Ray,Beta,CEO\nAnn Lee,Acme, Inc,Email Manager\nCy Day,Gamma, LLC,Sales\n");
    assert_eq!((r.rows, r.created, r.lines_above_header), (3, 3, 0), "{r:#?}");
    assert_eq!(r.headers, ["Name", "Company", "Job Title"]);
    let r = f.import("Leads report\nGenerated by Bob\n\nFirst Name,Last Name,Email\nA,B,a@x.io\nC,D,c@x.io\n");
    assert_eq!((r.rows, r.created, r.lines_above_header), (2, 2, 2), "{r:#?}");
}

/// Real exports whose column names fooled the guess: Google Contacts' "E-mail 1 - Type" (Work)
/// taken for the email turned every row away; Outlook's "Title" (Mrs.) took the job title from
/// "Job Title"; Mailchimp's unsubscribed export and Pipedrive's marketing status opt leads out.
#[test]
fn real_exports_columns_that_describe_a_value_are_not_taken_for_it() {
    let mut f = fixture();
    let r = f.import(
        "Name,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value\n\
         Ann Lee,* Work,ann@x.io,Mobile,+1 415 555 0100\n",
    );
    assert_eq!((r.created, r.failed), (1, 0), "{r:#?}");
    let ann = f.lead("ann@x.io");
    assert_eq!((ann.phone.as_deref(), &ann.custom_fields["E-mail 1 - Type"]), (Some("+14155550100"), &json!("* Work")));
    f.import("Title,First Name,Job Title,E-mail Address\nMrs.,Bea,VP Engineering,bea@x.io\n");
    let bea = f.lead("bea@x.io");
    assert_eq!((bea.job_title.as_deref(), &bea.custom_fields["Title"]), (Some("VP Engineering"), &json!("Mrs.")));
    f.import(
        "Email Address,UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_REASON\n\
         cy@x.io,2024-03-01 10:12:00,Spring news,Too many emails\n",
    );
    let cy = f.lead("cy@x.io");
    assert!(cy.do_not_contact);
    assert_eq!((cy.job_title.as_deref(), &cy.custom_fields["UNSUB_REASON"]), (None, &json!("Too many emails")));
    f.import("Person - Name,Person - Email,Person - Marketing status\nDi Fox,di@x.io,Unsubscribed\nEd Go,ed@x.io,Subscribed\n");
    assert_eq!((f.lead("di@x.io").do_not_contact, f.lead("ed@x.io").do_not_contact), (true, false));
}

/// A list named with stray spaces is the list of that name; a blank name makes no list.
#[test]
fn list_names_are_trimmed_and_a_blank_one_is_no_list() {
    let mut f = fixture();
    let with = |name: &str| ImportOptions { list_name: Some(name.into()), ..ImportOptions::default() };
    f.import_with("Email\na@x.io\n", &with("Q1 leads"));
    f.import_with("Email\nb@x.io\n", &with(" q1 LEADS  "));
    f.import_with("Email\nc@x.io\n", &with("  "));
    // Any letter's case, as the store takes names (SQLite's lower() folds ASCII only).
    f.import_with("Email\nd@x.io\n", &with("Ärzte Köln"));
    f.import_with("Email\ne@x.io\n", &with("ÄRZTE KÖLN"));
    let lists = f.store.lead_lists().unwrap();
    assert_eq!(
        lists.iter().map(|l| (l.list.name.as_str(), l.leads)).collect::<Vec<_>>(),
        [("Ärzte Köln", 2), ("Q1 leads", 2)],
        "in the alphabet's order, Ä among the A's"
    );
}

/// A LinkedIn Connections export has no emails: a profile seen before — earlier in the file, or a
/// lead already here, however its address is written — is the same lead (re-importing the export
/// duplicated every connection).
#[test]
fn linkedin_connections_without_emails_are_recognised_by_their_profile() {
    let mut f = fixture();
    let file = "Notes:\n\"When exporting your connection data, some emails are missing.\"\n\n\
        First Name,Last Name,URL,Email Address,Company,Position,Connected On\n\
        Ann,Lee,https://www.linkedin.com/in/annlee,,Acme,CEO,01 Mar 2024\n\
        Ann,Lee,https://www.linkedin.com/in/annlee/,,Acme,CEO,01 Mar 2024\n\
        Bo,Ray,https://www.linkedin.com/in/bo,,Beta,CTO,02 Mar 2024\n";
    let r = f.import(file);
    assert_eq!((r.created, r.skipped), (2, 1), "{r:#?}");
    assert!(
        r.problems
            .iter()
            .any(|p| p.reason == "duplicate of row 1 (same LinkedIn profile); skipped" && p.column == "URL"),
        "named by the file's column: {r:#?}"
    );
    // The same through a bulk load (a big file), which drops and rebuilds most indexes meanwhile.
    let bulk = ImportOptions { bulk_bytes: 0, ..ImportOptions::default() };
    let r = f.import_with(file, &bulk);
    assert_eq!((r.created, r.skipped), (0, 3), "{r:#?}");
    let r = f.import_with(
        "First Name,Last Name,URL,Company,Position,Connected On\nBo,Ray,HTTP://LinkedIn.com/in/BO?trk=abc,Beta Inc,CTO,02 Mar 2024\n",
        &update(),
    );
    assert_eq!((r.created, r.updated), (0, 1), "{r:#?}");
    assert_eq!(f.live_leads(), 2);
    // A company page or a bare address many rows share is not a person: no row is taken for another.
    let r = f.import(
        "First Name,URL,Connected On\nCy,https://www.linkedin.com/company/acme,01 Mar 2024\n\
         Di,https://www.linkedin.com/company/acme,01 Mar 2024\nEd,linkedin.com,01 Mar 2024\nFi,linkedin.com,01 Mar 2024\n",
    );
    assert_eq!((r.created, r.skipped), (4, 0), "{r:#?}");
}

#[test]
fn cells_past_the_header_are_kept() {
    let mut f = fixture();
    let r = f.import(
        "Email,Company\nz@x.io,Zed\ny@x.io,Why\na@x.io,Acme,EXTRA,,MORE\nx@x.io,Ex\nbad@,Zeta,LEFT,OUT\nw@x.io,Dub\n",
    );
    assert_eq!((r.created, r.failed), (5, 1), "{r:#?}");
    let a = f.lead("a@x.io");
    assert_eq!((&a.custom_fields["Column 3"], &a.custom_fields["Column 5"]), (&json!("EXTRA"), &json!("MORE")));
    assert_eq!(a.custom_fields.len(), 2, "{:?}", a.custom_fields);
    let said: Vec<_> =
        r.problems.iter().filter(|p| p.kept).map(|p| (p.row, p.column.as_str(), p.value.as_str())).collect();
    assert_eq!(said, [(3, "Column 3", "EXTRA, MORE")], "the row past its header is noted");
    assert!(r.problems.iter().any(|p| p.reason.contains("the row has 5 cells, the header 2")), "{r:#?}");
    let mut out = Vec::new();
    r.write_failed_rows(&mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(out.starts_with("\u{feff}Email,Company,Column 3,Column 4,Import error\n"), "{out}");
    assert_eq!(f.lead("x@x.io").custom_fields.len(), 0);
    assert!(out.contains("bad@,Zeta,LEFT,OUT,"), "the rows to fix keep their extra cells: {out}");
}

/// A list of addresses with no header row: its first row is a lead (it was taken for column names and
/// lost), its columns are named Column 1 … and mapped by what that row holds. A first row of plain
/// words is not told from column names: refused, with what to do.
#[test]
fn a_file_without_a_header_row_imports_its_first_row_too() {
    let mut f = fixture();
    let path = f.file("noheader.csv", "ann@gmail.com,Ann,Acme,415 555 0100\nbo@zeta.io,Bo,Zeta,415 555 0101\n");
    let r = import(&mut f.store, &path, &ImportOptions::default(), &mut |_| true).unwrap();
    assert!(r.no_header_row);
    assert_eq!((r.rows, r.created, r.failed), (2, 2, 0), "{r:#?}");
    assert_eq!(r.headers, ["Column 1", "Column 2", "Column 3", "Column 4"]);
    let ann = f.lead("ann@gmail.com");
    assert_eq!(ann.phone.as_deref(), Some("+14155550100"));
    assert_eq!(ann.custom_fields.get("Column 2"), Some(&json!("Ann")));
    // Named by the rep (the wizard, or --map), the columns fill their fields.
    let path = f.file("emails.csv", "john@acme.com\nmary@acme.com\nli@acme.com\n");
    let r = import(&mut f.store, &path, &ImportOptions::default(), &mut |_| true).unwrap();
    assert_eq!((r.rows, r.created), (3, 3), "john is a lead, not a column name: {r:#?}");
    let opts = ImportOptions { overrides: vec![("Column 2".into(), "first_name".into())], ..ImportOptions::default() };
    let path = f.file("named.csv", "cy@x.io,Cy\n");
    import(&mut f.store, &path, &opts, &mut |_| true).unwrap();
    assert_eq!(f.lead("cy@x.io").first_name.as_deref(), Some("Cy"));

    // Its rows left out, fixed, import back: the file written has a header of the fields.
    let path = f.file("some-bad.csv", "dee@x.io,Dee,415 555 0102\nbad@,Eve,415 555 0103\n");
    let r = import(&mut f.store, &path, &ImportOptions::default(), &mut |_| true).unwrap();
    assert_eq!((r.created, r.failed), (1, 1), "{r:#?}");
    let mut out = Vec::new();
    r.write_failed_rows(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("\u{feff}email,Column 2,phone,Import error\n"), "{text}");
    let fixed = f.file("fixed.csv", text.trim_start_matches('\u{feff}').replace("bad@", "eve@x.io").as_bytes());
    let r = import(&mut f.store, &fixed, &ImportOptions::default(), &mut |_| true).unwrap();
    assert_eq!((r.created, r.failed, r.no_header_row), (1, 0, false), "{r:#?}");
    assert_eq!(f.lead("eve@x.io").phone.as_deref(), Some("+14155550103"));

    let path = f.file("words.csv", "Ann,Acme,CTO\nBo,Zeta,CEO\n");
    let e = import(&mut f.store, &path, &ImportOptions::default(), &mut |_| true).unwrap_err();
    assert!(matches!(e, Error::NoHeader { .. }), "{e}");
    let msg = e.to_string();
    assert!(msg.contains("does not look like a header") && msg.contains("--map"), "{msg}");
    assert_eq!(f.store.count_leads(&LeadQuery::default()).unwrap(), 8);
}

#[test]
fn undoing_an_import_keeps_a_lead_a_later_import_updated_until_that_one_is_undone() {
    let mut f = fixture();
    let a = f.import("Email,Company\nada@x.io,Acme\nbob@x.io,Bobco\n");
    let b = f.import_with("Email,Company\nada@x.io,Acme Updated\n", &update());
    assert_eq!(b.updated, 1);
    let u = undo(&mut f.store, a.import_id.as_deref().unwrap()).unwrap();
    assert_eq!(u, Undone { removed: 1, restored: 0, kept: 1, opt_outs_kept: 0 });
    assert_eq!(f.lead("ada@x.io").company.as_deref(), Some("Acme Updated"), "B's values are not lost");
    // Then the later one is undone too: it takes the lead with it, as nothing holds it any more —
    // and the question before it says so (QA: it said "it created no leads", and the lead was
    // counted as removed and as restored).
    let b_id = b.import_id.as_deref().unwrap();
    assert_eq!(orphaned_by_undo(&f.store, b_id).unwrap(), 1);
    let u = undo(&mut f.store, b_id).unwrap();
    assert_eq!((u.removed, u.restored), (1, 0), "{u:?}");
    assert_eq!(f.store.count_leads(&LeadQuery::default()).unwrap(), 0);

    // Once the later import is undone too, nothing else holds the lead: undoing the first removes it.
    let mut g = fixture();
    let a = g.import("Email,Company\nada@x.io,Acme\n");
    let b = g.import_with("Email,Company\nada@x.io,Acme Updated\n", &update());
    assert_eq!(orphaned_by_undo(&g.store, b.import_id.as_deref().unwrap()).unwrap(), 0, "A still holds it");
    undo(&mut g.store, b.import_id.as_deref().unwrap()).unwrap();
    let u = undo(&mut g.store, a.import_id.as_deref().unwrap()).unwrap();
    assert_eq!(u, Undone { removed: 1, restored: 0, kept: 0, opt_outs_kept: 0 });
    assert_eq!(g.store.count_leads(&LeadQuery::default()).unwrap(), 0);
}

#[test]
fn a_later_import_that_changed_nothing_does_not_keep_the_lead() {
    let mut f = fixture();
    let a = f.import("Email,Company\nada@x.io,Acme\n");
    f.import_with("Email,Company\nada@x.io,Acme\n", &update());
    let u = undo(&mut f.store, a.import_id.as_deref().unwrap()).unwrap();
    assert_eq!(u, Undone { removed: 1, restored: 0, kept: 0, opt_outs_kept: 0 });
}

/// A stray quote closed only rows later (by a quoted value further down) merged those rows into one
/// lead: the merged row is left out with the reason, and the failed-rows file holds it to fix.
#[test]
fn rows_merged_by_a_stray_quote_are_left_out_not_imported_as_one() {
    let mut f = fixture();
    let r = f.import(
        "Email,Name,Company\na1@x.com,A1,C1\na2@x.com,\"A2,C2\na3@x.com,A3,C3\na4@x.com,A4,C4\na5@x.com,A5,\"C5\"\na6@x.com,A6,C6\n",
    );
    assert_eq!((r.created, r.failed), (2, 1), "{:?}", r.problems);
    assert_eq!(r.problems[0].column, "Name");
    assert!(r.problems[0].reason.contains("quote"), "{}", r.problems[0].reason);
    let mut failed = Vec::new();
    r.write_failed_rows(&mut failed).unwrap();
    assert!(String::from_utf8(failed).unwrap().contains("a3@x.com,A3,C3"), "the merged rows, to fix");
}

/// A Salesforce report ends with totals and a copyright under a blank line: not leads.
#[test]
fn a_report_footer_is_not_imported_and_is_counted() {
    let mut f = fixture();
    let r = f.import(
        "Email,First Name\nana@x.com,Ana\nbo@x.com,Bo\n\n\"Grand Totals (2 records)\"\n\n\"Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved.\"\n\"Generated By: Ana Smith  11/24/2025 3:02 PM\"\n",
    );
    assert_eq!((r.rows, r.created, r.failed, r.footer_rows), (2, 2, 0, 3), "{:?}", r.problems);
}

/// Rows of nothing but delimiters (Excel writes them for empty rows it once formatted) are blank
/// lines: not rows, not rows left out — anywhere in the file, and the row numbers stay the file's.
#[test]
fn rows_of_only_delimiters_are_skipped_like_blank_lines() {
    let mut f = fixture();
    let r = f.import(&format!(
        "Email,First Name,Last Name\r\na1@x.com,A,One\r\n, ,\r\nbad,B,Two\r\n{}",
        ",,\r\n".repeat(30)
    ));
    assert_eq!((r.rows, r.created, r.failed, r.empty_rows), (2, 1, 1, 31), "{:?}", r.problems);
    assert_eq!(r.problems[0].row, 3, "the bad row keeps its number");
    let r = f.import("Email;Vorname\nb1@x.com;B\n;\n");
    assert_eq!((r.rows, r.created, r.failed, r.empty_rows), (1, 1, 0, 1), "{:?}", r.problems);
}

/// A European file's dates are read day/month/year because its own dates say so (a 25/12/2023);
/// 03/02/2024 beside it is then 3 February, not 2 March. A US file, or one whose dates read either
/// way, stays month/day/year; a chosen order is kept.
#[test]
fn the_date_order_is_the_one_the_files_dates_say() {
    let mut f = fixture();
    let r = f.import("Email;Erstellt am;Next Follow Up\na@x.io;03/02/2024;\nb@x.io;25/12/2023;01/02/2031\n");
    assert_eq!((r.created, r.failed, r.date_order), (2, 0, DateOrder::Dmy), "{:#?}", r.problems);
    assert!(r.problems.is_empty(), "{:#?}", r.problems);
    assert_eq!(f.lead("b@x.io").next_follow_up_at.as_deref(), Some("2031-02-01T09:00:00.000000Z"));
    let r = f.import("Email,Next Follow Up\nc@x.io,12/25/2031\nd@x.io,03/02/2031\n");
    assert_eq!(r.date_order, DateOrder::Mdy);
    assert_eq!(f.lead("d@x.io").next_follow_up_at.as_deref(), Some("2031-03-02T09:00:00.000000Z"));
    assert!(!r.dates_unclear, "the 25 says month/day");
    // Dates with dots, and a semicolon file, are day/month/year where every date reads either way
    // (their countries' custom); a comma file's are month/day/year, said as unclear.
    let r = f.import("Email;Erstellt am\nf@x.io;03.02.2024\ng@x.io;04.05.2024\n");
    assert_eq!((r.date_order, r.dates_unclear), (DateOrder::Dmy, false));
    assert_eq!(f.lead("g@x.io").custom_fields["original_created_at"], json!("2024-05-04"));
    let r = f.import("Email;Next Follow Up\nh@x.io;03/02/2031\n");
    assert_eq!((r.date_order, r.dates_unclear), (DateOrder::Dmy, false));
    let r = f.import("Email,Next Follow Up\ni@x.io,03/02/2031\n");
    assert_eq!((r.date_order, r.dates_unclear), (DateOrder::Mdy, true));
    // A plain ISO day stays a day (it was midnight UTC: the day before in the Americas).
    let r = f.import("Email,Create Date\nj@x.io,2024-02-03\n");
    assert!(!r.dates_unclear);
    assert_eq!(f.lead("j@x.io").custom_fields["original_created_at"], json!("2024-02-03"));
    let chosen = ImportOptions { date_order: DateOrder::Mdy, ..ImportOptions::default() };
    let r = f.import_with("Email,Next Follow Up\ne@x.io,25/12/2031\n", &chosen);
    assert_eq!(r.date_order, DateOrder::Mdy);
    assert!(r.problems.iter().any(|p| p.reason.contains("choose that date order")), "{:#?}", r.problems);
}
