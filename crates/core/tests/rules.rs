#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::{Error, Lead};
use serde_json::json;

#[test]
fn email_is_unique_per_organization_case_insensitively() {
    let mut db = open();
    let ana = add_lead(&mut db.store, json!({"email": "Ana@Acme.com"}));
    let e = db.store.write(|tx| tx.insert("leads", row(json!({"email": "ana@ACME.com"})))).unwrap_err();
    match e {
        Error::DuplicateEmail { existing_id, .. } => assert_eq!(existing_id, ana.id),
        other => panic!("{other}"),
    }
    let bo = add_lead(&mut db.store, json!({"email": "bo@acme.com"}));
    assert!(matches!(
        db.store.edit::<Lead>(&bo.id, row(json!({"email": "ANA@acme.com"}))),
        Err(Error::DuplicateEmail { .. })
    ));
    // A deleted lead's address is free again; restoring it then would duplicate, so it is refused.
    db.store.remove::<Lead>(&ana.id).unwrap();
    let again = add_lead(&mut db.store, json!({"email": "ana@acme.com"}));
    assert!(matches!(db.store.write(|tx| tx.restore("leads", &ana.id)), Err(Error::DuplicateEmail { .. })));
    // Many leads without email are fine.
    add_lead(&mut db.store, json!({"first_name": "No mail 1"}));
    add_lead(&mut db.store, json!({"first_name": "No mail 2"}));
    assert!(again.email.is_some());
}

/// An address typed in decomposed form (e + combining accent, as macOS can send it), or with
/// capitals beyond ASCII, is the same address as the one an import keeps: stored composed and
/// those letters lowered, so the duplicate check and the unique index see it.
#[test]
fn an_email_is_kept_in_one_unicode_form() {
    let mut db = open();
    let decomposed = "jose\u{301}@acme.com";
    let jose = add_lead(&mut db.store, json!({"email": decomposed}));
    assert_eq!(jose.email.as_deref(), Some("jos\u{e9}@acme.com"));
    let e = db.store.write(|tx| tx.insert("leads", row(json!({"email": "jos\u{e9}@acme.com"})))).unwrap_err();
    assert!(matches!(e, Error::DuplicateEmail { .. }), "{e}");
    let bo = add_lead(&mut db.store, json!({"email": "bo@acme.com"}));
    let e = db.store.edit::<Lead>(&bo.id, row(json!({"email": decomposed}))).unwrap_err();
    assert!(matches!(e, Error::DuplicateEmail { .. }), "{e}");
    // Capitals beyond ASCII are the same address too, as on the server (which refused the second
    // when it came by sync).
    let e = db.store.write(|tx| tx.insert("leads", row(json!({"email": "JOS\u{c9}@acme.com"})))).unwrap_err();
    assert!(matches!(e, Error::DuplicateEmail { .. }), "{e}");
    // One stored as typed (before the store kept one form, or pulled from the server) is found
    // in its one form all the same, through V16's index.
    let org = db.store.identity().organization_id.clone();
    db.store
        .conn()
        .execute(
            "INSERT INTO leads (id, organization_id, email, created_at, updated_at)
             VALUES ('01a21964-0000-7000-8000-0000000000e1', ?1, '\u{c9}LODIE@x.fr', ?2, ?2)",
            (org, "2026-01-01T00:00:00.000000Z"),
        )
        .unwrap();
    let e = db.store.write(|tx| tx.insert("leads", row(json!({"email": "\u{e9}lodie@X.fr"})))).unwrap_err();
    assert!(matches!(e, Error::DuplicateEmail { ref existing_id, .. } if existing_id.ends_with("e1")), "{e}");
    let plan = query_plan(
        &db.store,
        "SELECT id, email FROM leads WHERE email GLOB '*[^ -~]*'
         AND deleted_at IS NULL AND organization_id = 'o' AND id <> 'x'",
    )
    .join("; ");
    assert!(plan.contains("leads_email_beyond_ascii"), "{plan}");
    let zoe = add_lead(&mut db.store, json!({"email": "Zo\u{cb}@Acme.com"}));
    assert_eq!(zoe.email.as_deref(), Some("zo\u{eb}@acme.com"), "lower case throughout, not half");
}

#[test]
fn malformed_email_is_refused() {
    let mut db = open();
    for bad in [
        "bob@",
        "bob",
        "@acme.com",
        "bob@acme",
        "bo b@acme.com",
        "a@@b.com",
        "a@b.com;c@d.com",
        "a@b.com,c@d.com",
        "mailto:a@b.com",
        "bob\u{200b}@acme.com",
        "bo\u{ad}b@acme.com",
    ] {
        let e = db.store.write(|tx| tx.insert("leads", row(json!({"email": bad})))).unwrap_err();
        assert!(e.to_string().contains("is not an email address"), "{bad}: {e}");
    }
    // As a mail program writes an address with its name: the address in the brackets.
    for (pasted, kept) in [("<a@b.com>", "a@b.com"), ("Bob <bob@acme.com>", "bob@acme.com")] {
        let id = db.store.write(|tx| tx.insert("leads", row(json!({"email": pasted})))).unwrap();
        assert_eq!(db.store.get("leads", &id).unwrap().unwrap()["email"], kept);
    }
}

#[test]
fn a_phone_is_digits_as_people_write_them() {
    let mut db = open();
    for ok in [
        "+1 (415) 555-0132",
        "020 7946 0958",
        "+44.20.7946.0958",
        "415-555-0132 ext. 12",
        "5550132 x3",
        "+33 1 23/45/67/89",
    ] {
        db.store.write(|tx| tx.insert("leads", row(json!({"phone": ok})))).unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    for bad in ["abc", "call me", "555", "+1 415 CALL NOW"] {
        let e = db.store.write(|tx| tx.insert("leads", row(json!({"phone": bad})))).unwrap_err();
        assert!(e.to_string().contains("is not a phone number"), "{bad}: {e}");
    }
    // Digits, but too few: said as such (not "digits, with …", which they are).
    let e = db.store.write(|tx| tx.insert("leads", row(json!({"phone": "12"})))).unwrap_err();
    assert!(e.to_string().contains("'12' is not a phone number (a phone number has 5 digits or more)"), "{e}");
}

#[test]
fn a_deal_value_is_not_negative() {
    let mut db = open();
    for bad in [json!("-2000000"), json!(-5)] {
        let e = db
            .store
            .write(|tx| tx.insert("leads", row(json!({"first_name": "Neg", "predicted_value": bad}))))
            .unwrap_err();
        assert!(e.to_string().contains("a deal value cannot be negative"), "{e}");
    }
    db.store.write(|tx| tx.insert("leads", row(json!({"first_name": "Pos", "predicted_value": "2000000"})))).unwrap();
}

#[test]
fn do_not_contact_cannot_return_to_outreach() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Ana", "status": "contacted"}));
    let _: Lead = db.store.edit(&lead.id, row(json!({"do_not_contact": true, "status": "closed_lost"}))).unwrap();
    for patch in [json!({"do_not_contact": false}), json!({"status": "contacted"}), json!({"status": "new"})] {
        let e = db.store.edit::<Lead>(&lead.id, row(patch.clone())).unwrap_err();
        assert!(matches!(e, Error::DoNotContact { .. }), "{patch}: {e}");
    }
    let _: Lead =
        db.store.edit(&lead.id, row(json!({"status": "unqualified", "notes": "asked to be left alone"}))).unwrap();
    let campaign = db.store.write(|tx| tx.insert("campaigns", row(json!({"name": "Spring"})))).unwrap();
    let e = db
        .store
        .write(|tx| tx.insert("campaign_leads", row(json!({"campaign_id": campaign, "lead_id": lead.id}))))
        .unwrap_err();
    assert!(matches!(e, Error::DoNotContact { .. }), "{e}");
    let e = db
        .store
        .write(|tx| tx.insert("emails", row(json!({"lead_id": lead.id, "subject": "Hi", "status": "queued"}))))
        .unwrap_err();
    assert!(matches!(e, Error::DoNotContact { .. }), "{e}");
}

#[test]
fn client_conversion_needs_a_won_lead() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"company": "Acme", "status": "negotiation"}));
    let client = json!({"lead_id": lead.id, "name": "Acme"});
    let e = db.store.write(|tx| tx.insert("clients", row(client.clone()))).unwrap_err();
    assert!(matches!(e, Error::ClientNeedsWonLead { ref status, .. } if status == "negotiation"), "{e}");
    let _: Lead = db.store.edit(&lead.id, row(json!({"status": "closed_won"}))).unwrap();
    db.store.write(|tx| tx.insert("clients", row(client))).unwrap();
}

#[test]
fn follow_up_cannot_be_in_the_past() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Ana"}));
    let e = db.store.edit::<Lead>(&lead.id, row(json!({"next_follow_up_at": "2020-01-01T09:00:00Z"}))).unwrap_err();
    assert!(matches!(e, Error::FollowUpInPast { .. }), "{e}");
    let soon = outpost_core::time::format(chrono::Utc::now() + chrono::Duration::hours(1));
    let ok: Lead = db.store.edit(&lead.id, row(json!({"next_follow_up_at": soon}))).unwrap();
    assert_eq!(ok.next_follow_up_at, Some(soon));
    // A day is stored as 09:00 UTC of it (the app's date picker): today is a rep's own today
    // whatever the hour, and yesterday (UTC) is still today west of UTC; the day before is not.
    let day = |days: i64| format!("{}T09:00:00Z", (chrono::Utc::now() + chrono::Duration::days(days)).date_naive());
    for ok in [day(0), day(-1)] {
        db.store.edit::<Lead>(&lead.id, row(json!({"next_follow_up_at": ok}))).unwrap();
    }
    let e = db.store.edit::<Lead>(&lead.id, row(json!({"next_follow_up_at": day(-2)}))).unwrap_err();
    assert!(matches!(e, Error::FollowUpInPast { .. }), "{e}");
}

#[test]
fn a_web_address_is_one_people_could_open() {
    let mut db = open();
    for ok in ["acme.com", "www.acme.com/about", "https://acme.com", "HTTP://acme.co.uk:8080/x?y=1", "  ", "münchen.de"]
    {
        db.store
            .write(|tx| tx.insert("leads", row(json!({"first_name": "Web", "website": ok, "linkedin_url": ok}))))
            .unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    for bad in ["hello", "htp:/bad", "ftp://acme.com", "acme .com", "https://", ".com"] {
        let e = db.store.write(|tx| tx.insert("leads", row(json!({"first_name": "Web", "website": bad})))).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("leads.website: '{bad}' is not a web address (like acme.com or https://acme.com)")
        );
    }
    let e =
        db.store.write(|tx| tx.insert("leads", row(json!({"first_name": "In", "linkedin_url": "me"})))).unwrap_err();
    assert!(e.to_string().starts_with("leads.linkedin_url: 'me' is not a web address"), "{e}");
    // A lead an import brought with junk there is still edited (only a changed address is checked).
    let junk = db
        .store
        .write(|tx| tx.as_import(|tx| tx.insert("leads", row(json!({"first_name": "Imp", "website": "n/a"})))))
        .unwrap();
    db.store.write(|tx| tx.update("leads", &junk, row(json!({"notes": "called", "website": "n/a"})))).unwrap();
    // Written again as another system had it (a refused import, tried again): the junk is kept aside.
    let mut again = row(json!({"website": "n/a", "linkedin_url": "linkedin.com/in/x", "custom_fields": {"a": 1}}));
    outpost_core::rules::set_aside_bad_web_addresses(&mut again, false);
    assert_eq!(json!(again), json!({"linkedin_url": "linkedin.com/in/x", "custom_fields": {"a": 1, "website": "n/a"}}));
    let mut patch = row(json!({"website": "n/a"}));
    outpost_core::rules::set_aside_bad_web_addresses(&mut patch, false);
    assert_eq!(json!(patch), json!({}), "a patch does not replace the lead's custom fields");
}

/// A lead nobody can name or reach is refused when made, or when an edit would leave it so; an
/// edit of another field of such a lead (one made before this rule) still works.
#[test]
fn a_lead_needs_a_name_an_email_a_phone_or_a_company() {
    let mut db = open();
    for empty in [json!({}), json!({"first_name": "  ", "status": "new", "notes": "hi"})] {
        let e = db.store.write(|tx| tx.insert("leads", row(empty.clone()))).unwrap_err();
        assert!(matches!(e, Error::EmptyLead), "{empty}: {e}");
        assert_eq!(e.to_string(), "a lead needs a name, an email, a phone or a company");
    }
    let lead = add_lead(&mut db.store, json!({"company": "Acme"}));
    let e = db.store.edit::<Lead>(&lead.id, row(json!({"company": null}))).unwrap_err();
    assert!(matches!(e, Error::EmptyLead), "{e}");
    let _: Lead = db.store.edit(&lead.id, row(json!({"company": null, "phone": "+14155550132"}))).unwrap();
    db.store.conn().execute("UPDATE leads SET phone = NULL WHERE id = ?1", [&lead.id]).unwrap();
    let _: Lead = db.store.edit(&lead.id, row(json!({"status": "contacted"}))).unwrap();
}
