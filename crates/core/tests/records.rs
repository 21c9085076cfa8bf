#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::{
    Activity, ActivityType, Campaign, CampaignLead, Error, Lead, LeadList, LeadStatus, Organization, Profile, Store,
};
use serde_json::json;

#[test]
fn open_creates_wal_database_with_foreign_keys_and_reopens_same_identity() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/dir/outpost.db");
    let identity = {
        let store = Store::open(&path).unwrap();
        let mode: String = store.conn().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        let fk: i64 = store.conn().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!((mode.as_str(), fk), ("wal", 1));
        store.identity().clone()
    };
    let store = Store::open(&path).unwrap();
    assert_eq!(store.identity(), &identity);
    let org: Organization = store.find(&identity.organization_id).unwrap();
    let me: Profile = store.find(&identity.user_id).unwrap();
    assert_eq!(me.organization_id.as_deref(), Some(org.id.as_str()));
}

/// A lead a rep adds is theirs unless they say otherwise (`--owner me` listed nothing they added).
#[test]
fn a_lead_added_by_hand_is_the_reps_own() {
    let mut db = open();
    let me = db.store.identity().user_id.clone();
    let mine = add_lead(&mut db.store, json!({"first_name": "Mine"}));
    assert_eq!(mine.assigned_to.as_deref(), Some(me.as_str()));
    let pool = add_lead(&mut db.store, json!({"first_name": "Pool", "assigned_to": null}));
    assert_eq!(pool.assigned_to, None);
}

#[test]
fn garbage_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not-a-db.db");
    std::fs::write(&path, vec![0x42u8; 4096]).unwrap();
    let err = Store::open(&path).err().unwrap();
    assert!(err.to_string().contains("not-a-db.db"), "{err}");
}

#[test]
fn lead_round_trip_with_generated_ids_and_timestamps() {
    let mut db = open();
    let lead = db
        .store
        .create(&Lead {
            first_name: Some("Ana".into()),
            last_name: Some("Lima".into()),
            email: Some("ana@acme.com".into()),
            tags: vec!["vip".into(), "q4".into()],
            address: Some(json!({"city": "Lisbon"})),
            custom_fields: row(json!({"Favourite colour": "teal"})),
            predicted_value: Some("12500.50".into()),
            ..Lead::default()
        })
        .unwrap();
    assert_eq!(uuid::Uuid::parse_str(&lead.id).unwrap().get_version_num(), 7);
    assert_eq!(lead.organization_id, db.store.identity().organization_id);
    assert_eq!(lead.created_by.as_deref(), Some(db.store.identity().user_id.as_str()));
    assert_eq!(lead.status, LeadStatus::New);
    assert_eq!(lead.tags, vec!["vip", "q4"]);
    assert_eq!(lead.predicted_value.as_deref(), Some("12500.50"), "decimals stay exact text");
    let created = lead.created_at.clone().unwrap();
    assert_eq!(created.len(), 27, "RFC 3339 with microseconds: {created}");
    assert_eq!(lead.updated_at.as_deref(), Some(created.as_str()));

    let edited: Lead = db
        .store
        .edit(&lead.id, row(json!({"status": "contacted", "next_follow_up_at": "2099-01-02T10:00:00+02:00"})))
        .unwrap();
    assert_eq!(edited.status, LeadStatus::Contacted);
    assert_eq!(edited.next_follow_up_at.as_deref(), Some("2099-01-02T08:00:00.000000Z"));
    assert!(edited.updated_at.unwrap() >= created);
    assert_eq!(edited.created_at.unwrap(), created);
    // Tags match without regard to case: one of each, trimmed, as first written.
    let tagged: Lead = db.store.edit(&lead.id, row(json!({"tags": ["VIP", " vip ", "", "q4", "Q4 "]}))).unwrap();
    assert_eq!(tagged.tags, vec!["VIP", "q4"]);
    // A lead with only a phone is named by it.
    let phoned = Lead { phone: Some("+12125550199".into()), ..Lead::default() };
    assert_eq!(phoned.display_name(), "+12125550199");
}

#[test]
fn soft_delete_hides_and_restore_brings_back() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"email": "bo@acme.com"}));
    db.store.remove::<Lead>(&lead.id).unwrap();
    let gone: Lead = db.store.find(&lead.id).unwrap();
    assert!(gone.deleted_at.is_some());
    assert!(matches!(db.store.edit::<Lead>(&lead.id, row(json!({"company": "X"}))), Err(Error::NotFound { .. })));
    assert!(matches!(db.store.remove::<Lead>(&lead.id), Err(Error::NotFound { .. })));
    let back = db.store.write(|tx| tx.restore("leads", &lead.id)).unwrap();
    assert!(back["deleted_at"].is_null());
}

#[test]
fn all_typed_records_work() {
    let mut db = open();
    let list = db.store.create(&LeadList { name: "Q4 webinar".into(), ..LeadList::default() }).unwrap();
    let lead = add_lead(&mut db.store, json!({"first_name": "Ana", "list_id": list.id}));
    let campaign = db.store.create(&Campaign { name: "Spring".into(), ..Campaign::default() }).unwrap();
    assert_eq!(campaign.status.as_deref(), Some("draft"));
    let cl = db
        .store
        .create(&CampaignLead { campaign_id: campaign.id.clone(), lead_id: lead.id.clone(), ..CampaignLead::default() })
        .unwrap();
    assert_eq!(cl.status.as_deref(), Some("pending"));
    let dup = db.store.create(&CampaignLead {
        campaign_id: campaign.id.clone(),
        lead_id: lead.id.clone(),
        ..CampaignLead::default()
    });
    assert!(matches!(dup, Err(Error::Constraint { .. })), "{dup:?}");
    let note = db
        .store
        .create(&Activity {
            lead_id: lead.id.clone(),
            r#type: ActivityType::Note,
            description: Some("Called, left voicemail".into()),
            ..Activity::default()
        })
        .unwrap();
    assert_eq!(note.user_id.as_deref(), Some(db.store.identity().user_id.as_str()));
    let me: Profile =
        db.store.edit(&db.store.identity().user_id.clone(), row(json!({"full_name": "Ana Rep"}))).unwrap();
    assert_eq!(me.full_name.as_deref(), Some("Ana Rep"));
}

#[test]
fn bad_writes_get_clear_errors() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Ana"}));
    let e = db.store.edit::<Lead>(&lead.id, row(json!({"favourite": "x"}))).unwrap_err();
    assert_eq!(e.to_string(), "leads has no column 'favourite'");
    let e = db.store.edit::<Lead>(&lead.id, row(json!({"status": "won"}))).unwrap_err();
    assert!(matches!(e, Error::Constraint { .. }) && e.to_string().contains("status"), "{e}");
    let e = db.store.edit::<Lead>(&lead.id, row(json!({"current_score": "lots"}))).unwrap_err();
    assert_eq!(e.to_string(), "leads.current_score: 'lots' is not a whole number");
    let e = db.store.edit::<Lead>(&lead.id, row(json!({"last_contacted_at": "yesterday"}))).unwrap_err();
    assert!(e.to_string().starts_with("leads.last_contacted_at: 'yesterday' is not a date/time"), "{e}");
    let e = db.store.edit::<Lead>(&lead.id, row(json!({"tags": "[1, 2]"}))).unwrap_err();
    assert_eq!(e.to_string(), "leads.tags: must be a list of text, like [\"vip\", \"2027\"]");
    let e = db.store.edit::<Lead>(&lead.id, row(json!({"version": 9}))).unwrap_err();
    assert!(matches!(e, Error::ReadOnly(_)), "{e}");
    // Tied to an import by hand, a lead would go with that import's undo: only an import sets it.
    let import = "0193a000-0000-7000-8000-00000000beef";
    let e = db.store.edit::<Lead>(&lead.id, row(json!({"import_id": import}))).unwrap_err();
    assert!(matches!(e, Error::ReadOnly(_)), "{e}");
    let e = db.store.write(|tx| tx.insert("leads", row(json!({"first_name": "X", "import_id": import})))).unwrap_err();
    assert!(matches!(e, Error::ReadOnly(_)), "{e}");
    let e = db.store.write(|tx| tx.insert("organizations", row(json!({"name": "Evil"})))).unwrap_err();
    assert!(matches!(e, Error::ReadOnly(_)), "{e}");
    let e = db.store.write(|tx| tx.insert("activities", row(json!({"type": "note"})))).unwrap_err();
    assert_eq!(e.to_string(), "activities.lead_id: is required");
    let e = db
        .store
        .write(|tx| {
            tx.insert("activities", row(json!({"type": "note", "lead_id": "0193a000-0000-7000-8000-00000000dead"})))
        })
        .unwrap_err();
    assert_eq!(e.to_string(), "activities.lead_id: no lead 0193a000-0000-7000-8000-00000000dead");
    let e = db.store.edit::<Profile>(&db.store.identity().user_id.clone(), row(json!({"role": "admin"}))).unwrap_err();
    assert!(matches!(e, Error::ReadOnly(_)), "{e}");
    let e = db.store.write(|tx| tx.insert("nope", row(json!({})))).unwrap_err();
    assert_eq!(e.to_string(), "unknown table 'nope'");
}

#[test]
fn generic_tables_work_through_the_same_path() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Ana"}));
    let id = db
        .store
        .write(|tx| tx.insert("appointments", row(json!({"lead_id": lead.id, "start_time": "2099-03-01T09:00:00Z", "end_time": "2099-03-01T09:30:00Z"}))))
        .unwrap();
    let appt = db.store.get("appointments", &id).unwrap().unwrap();
    assert_eq!(appt["start_time"], json!("2099-03-01T09:00:00.000000Z"));
    assert_eq!(outbox_entry(&db.store, "appointments", &id).unwrap().0, "insert");
}

/// A NUL pasted into a value never reaches the database (PostgreSQL would refuse the row's sync
/// for good): taken out of text, tags and object keys, on adding and on editing.
#[test]
fn nuls_are_taken_out_of_every_value() {
    let mut db = open();
    let lead = add_lead(
        &mut db.store,
        json!({"first_name": "A\0na", "tags": ["v\0ip"], "custom_fields": {"ti\0er": "go\0ld"}}),
    );
    assert_eq!((lead.first_name.as_deref(), lead.tags.clone()), (Some("Ana"), vec!["vip".to_string()]));
    assert_eq!(serde_json::to_value(&lead.custom_fields).unwrap(), json!({"tier": "gold"}));
    let edited: Lead = db.store.edit(&lead.id, row(json!({"notes": "call\0 back"}))).unwrap();
    assert_eq!(edited.notes.as_deref(), Some("call back"));
    let nuls: i64 = db
        .store
        .conn()
        .query_row(
            "SELECT count(*) FROM leads WHERE instr(first_name || notes || tags || custom_fields, char(0)) > 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(nuls, 0);
}

/// An address pasted with its name from a mail program is the address; a follow-up cleared takes
/// its reason with it.
#[test]
fn a_pasted_named_address_and_a_cleared_follow_up() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Ana", "email": "Ana Lima <Ana@Acme.com> "}));
    assert_eq!(lead.email.as_deref(), Some("Ana@Acme.com"));
    let edited: Lead = db
        .store
        .edit(&lead.id, row(json!({"next_follow_up_at": "2099-01-02T09:00:00Z", "follow_up_reason": "Call back"})))
        .unwrap();
    assert_eq!(edited.follow_up_reason.as_deref(), Some("Call back"));
    let cleared: Lead = db.store.edit(&lead.id, row(json!({"next_follow_up_at": null}))).unwrap();
    assert_eq!((cleared.next_follow_up_at, cleared.follow_up_reason), (None, None));
    let deal: Lead = db.store.edit(&lead.id, row(json!({"predicted_value": "12."}))).unwrap();
    assert_eq!(deal.predicted_value.as_deref(), Some("12"));
    let e = db.store.edit::<Lead>(&lead.id, row(json!({"email": "Ana <not an address>"}))).unwrap_err();
    assert!(e.to_string().contains("not an email address"), "{e}");
}

/// A screen that read a lead's custom fields earlier sets one key: a key added since (a teammate's,
/// pulled meanwhile) stays; null removes a key; an address left empty is null.
#[test]
fn an_object_field_edit_keeps_keys_added_since() {
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Obi", "custom_fields": {"tier": "gold"}}));
    db.store
        .conn()
        .execute(
            "UPDATE leads SET custom_fields = json_set(custom_fields, '$.region', 'EMEA') WHERE id = ?1",
            [&lead.id],
        )
        .unwrap();
    let keys = |v: serde_json::Value| v.as_object().unwrap().clone();
    let edited: Lead = db.store.edit_object(&lead.id, "custom_fields", &keys(json!({"tier": "platinum"}))).unwrap();
    assert_eq!(serde_json::to_value(&edited.custom_fields).unwrap(), json!({"tier": "platinum", "region": "EMEA"}));
    let edited: Lead = db.store.edit_object(&lead.id, "custom_fields", &keys(json!({"tier": null}))).unwrap();
    assert_eq!(serde_json::to_value(&edited.custom_fields).unwrap(), json!({"region": "EMEA"}));
    let edited: Lead = db.store.edit_object(&lead.id, "address", &keys(json!({"city": "York"}))).unwrap();
    assert_eq!(edited.address, Some(json!({"city": "York"})));
    let edited: Lead = db.store.edit_object(&lead.id, "address", &keys(json!({"city": null}))).unwrap();
    assert_eq!(edited.address, None);
    let e = db.store.edit_object::<Lead>(&lead.id, "tags", &keys(json!({"x": 1}))).unwrap_err();
    assert!(e.to_string().contains("is not an object"), "{e}");
    let e = db.store.edit_object::<Lead>(&lead.id, "notes", &keys(json!({"x": 1}))).unwrap_err();
    assert!(e.to_string().contains("is not an object field"), "{e}");
}

/// The rep typed over a field a sync changed meanwhile: the row keeps the teammate's value and the
/// rep's waits as a conflict to keep or drop; an edit of a field nobody changed goes through (a
/// number as a screen may send it, 50.0 for 50, is the same value).
#[test]
fn an_edit_over_a_value_changed_meanwhile_becomes_a_conflict() {
    use outpost_core::sync_local::Keep;
    let mut db = open();
    let lead = add_lead(&mut db.store, json!({"first_name": "Cy", "notes": "old", "current_score": 50}));
    let fields = |v: serde_json::Value| v.as_object().unwrap().clone();
    let _: Lead = db
        .store
        .edit_expecting(&lead.id, fields(json!({"current_score": 75})), &fields(json!({"current_score": 50.0})))
        .unwrap();
    db.store.conn().execute("UPDATE leads SET notes = 'theirs' WHERE id = ?1", [&lead.id]).unwrap();
    let e = db
        .store
        .edit_expecting::<Lead>(&lead.id, fields(json!({"notes": "mine"})), &fields(json!({"notes": "old"})))
        .unwrap_err();
    assert!(matches!(&e, Error::ChangedMeanwhile { column, .. } if column == "notes"), "{e}");
    assert_eq!(e.code(), "changed_meanwhile");
    let now: Lead = db.store.find(&lead.id).unwrap();
    assert_eq!(now.notes.as_deref(), Some("theirs"));
    let open = db.store.open_conflicts().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(
        (open[0].mine.clone(), open[0].theirs.clone(), open[0].base.clone()),
        (json!("mine"), json!("theirs"), json!("old"))
    );
    db.store.resolve_conflict(open[0].id, Keep::Mine).unwrap();
    assert_eq!(db.store.find::<Lead>(&lead.id).unwrap().notes.as_deref(), Some("mine"));
    // The same value as the sync brought is no conflict; a value the rules refuse is said as such.
    db.store
        .conn()
        .execute("UPDATE leads SET status = 'contacted', current_score = 60 WHERE id = ?1", [&lead.id])
        .unwrap();
    let same: Lead = db
        .store
        .edit_expecting(&lead.id, fields(json!({"status": "contacted"})), &fields(json!({"status": "new"})))
        .unwrap();
    assert_eq!(same.status, LeadStatus::Contacted);
    let e = db
        .store
        .edit_expecting::<Lead>(&lead.id, fields(json!({"current_score": 150})), &fields(json!({"current_score": 75})))
        .unwrap_err();
    assert!(!matches!(e, Error::ChangedMeanwhile { .. }), "{e}");
    assert_eq!(db.store.open_conflicts().unwrap().len(), 0);
}
