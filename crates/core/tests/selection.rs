#![allow(clippy::unwrap_used, clippy::expect_used)]
//! What the lead list does to a selection beyond a status: a tag on or off, an export.
mod common;

use common::*;
use outpost_core::lists::LeadReference;
use outpost_core::Lead;
use serde_json::json;

fn tags(db: &TestDb, id: &str) -> Vec<String> {
    db.store.find::<Lead>(id).unwrap().tags
}

#[test]
fn a_tag_goes_on_only_where_missing_and_comes_off_where_it_went_on() {
    let mut db = open();
    let plain = add_lead(&mut db.store, json!({"first_name": "A"}));
    let tagged = add_lead(&mut db.store, json!({"first_name": "B", "tags": ["VIP", "q3"]}));
    let gone = add_lead(&mut db.store, json!({"first_name": "C"}));
    db.store.remove::<Lead>(&gone.id).unwrap();
    let ids = [plain.id.clone(), tagged.id.clone(), gone.id.clone()];
    for id in [&plain.id, &tagged.id] {
        mark_synced(&db.store, "leads", id, 1);
    }

    let leads = |changes: Vec<outpost_core::tagging::TagChange>| -> Vec<String> {
        changes.into_iter().map(|c| c.lead_id).collect()
    };
    let changed = leads(db.store.tag_leads(&ids, "  vip ", true).unwrap());
    assert_eq!(changed, [plain.id.as_str()], "the lead with VIP already, and the deleted one, are left alone");
    assert_eq!(tags(&db, &plain.id), ["vip"]);
    assert_eq!(tags(&db, &tagged.id), ["VIP", "q3"]);
    let (op, _, columns) = outbox_entry(&db.store, "leads", &plain.id).expect("the change waits for sync");
    assert_eq!((op.as_str(), columns.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>()), ("update", vec!["tags"]));
    assert!(outbox_entry(&db.store, "leads", &tagged.id).is_none(), "nothing to send for the lead left alone");

    // The Undo takes it off the leads it went on, and only those.
    assert_eq!(leads(db.store.tag_leads(&changed, "vip", false).unwrap()), [plain.id.as_str()]);
    assert!(tags(&db, &plain.id).is_empty());
    assert_eq!(tags(&db, &tagged.id), ["VIP", "q3"]);

    // Off, whatever its case, keeping the others in their order; the change names the tag as it
    // was written there, for the Undo to put back.
    let off = db.store.tag_leads(&ids, "Vip", false).unwrap();
    assert_eq!((off.len(), off[0].lead_id.as_str(), off[0].tag.as_str()), (1, tagged.id.as_str(), "VIP"));
    assert_eq!(tags(&db, &tagged.id), ["q3"]);

    let err = db.store.tag_leads(&ids, "   ", true).unwrap_err();
    assert!(err.to_string().contains("a tag needs"), "{err}");
    let err = db.store.tag_leads(&ids, "acme, west", true).unwrap_err();
    assert!(err.to_string().contains("cannot hold a comma"), "{err}");
    let unknown = leads(db.store.tag_leads(&[plain.id.clone(), "0190-not-there".into()], "x", true).unwrap());
    assert_eq!(unknown, [plain.id.as_str()], "an id that is not there (any more) is passed over");
}

#[test]
fn a_selection_exports_in_its_order_without_deleted_leads() {
    let mut db = open();
    let a = add_lead(&mut db.store, json!({"first_name": "Ada", "email": "ada@x.test"}));
    let b = add_lead(&mut db.store, json!({"first_name": "=cmd", "email": "b@x.test"}));
    let c = add_lead(&mut db.store, json!({"first_name": "Cy"}));
    db.store.remove::<Lead>(&c.id).unwrap();
    let mut out = Vec::new();
    let n = db.store.export_lead_ids_file(&[b.id.clone(), c.id.clone(), a.id.clone()], &mut out).unwrap();
    assert_eq!(n, 2);
    let text = String::from_utf8(out).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("the mark Excel needs");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("id,first_name,last_name,email"));
    assert!(lines[1].starts_with(&format!("{},'=cmd,", b.id)), "a formula stays text: {}", lines[1]);
    assert!(lines[2].starts_with(&format!("{},Ada,", a.id)));
}

#[test]
fn leads_go_to_a_member_and_back_with_the_owners_they_had() {
    let mut db = open();
    let members = db.store.team_members().unwrap();
    assert_eq!(members.len(), 1, "a laptop without a team has its one member");
    let me = members[0].clone();
    assert!(me.me && !me.name.is_empty());

    let mine = add_lead(&mut db.store, json!({"first_name": "A"}));
    let nobodys = add_lead(&mut db.store, json!({"first_name": "B", "assigned_to": null}));
    assert_eq!(mine.assigned_to.as_deref(), Some(me.id.as_str()), "a lead added by hand is its maker's");
    let ids = [mine.id.clone(), nobodys.id.clone()];

    let changed = db.store.assign_leads(&ids, None).unwrap();
    let was: Vec<_> = changed.iter().map(|c| (c.lead_id.clone(), c.value.clone())).collect();
    assert_eq!(was, [(mine.id.clone(), Some(me.id.clone()))], "the unassigned one is left alone");
    let owner = |db: &TestDb, id: &str| db.store.find::<Lead>(id).unwrap().assigned_to;
    assert_eq!(owner(&db, &mine.id), None);

    // The Undo gives each back the owner it had.
    for c in &changed {
        db.store.assign_leads(std::slice::from_ref(&c.lead_id), c.value.as_deref()).unwrap();
    }
    assert_eq!(owner(&db, &mine.id), Some(me.id.clone()));
    assert_eq!(owner(&db, &nobodys.id), None);

    // Someone who is not a member: refused, nothing changed.
    let err = db.store.assign_leads(&ids, Some("01a21cb9-fcbe-7139-87ca-d2c2edfdf4db")).unwrap_err();
    assert!(err.to_string().contains("assigned_to"), "{err}");
    assert_eq!(owner(&db, &nobodys.id), None);

    // A teammate (as a pull brings one) gets a lead; taken from them, then they leave the team:
    // the Undo cannot give it back, says why, and the lead stays where it is.
    let bo = "01a21cb9-fcbe-7139-87ca-d2c2edfd0b0b";
    add_teammate(&db.store, bo, "Bo");
    assert_eq!(db.store.team_members().unwrap().len(), 2);
    db.store.assign_leads(std::slice::from_ref(&nobodys.id), Some(bo)).unwrap();
    let taken = db.store.assign_leads(std::slice::from_ref(&nobodys.id), Some(&me.id)).unwrap();
    db.store
        .conn()
        .execute("UPDATE profiles SET deleted_at = '2026-11-27T01:00:00.000000Z' WHERE id = ?1", [bo])
        .unwrap();
    let back = db.store.put_back(LeadReference::Owner, Some(&me.id), &taken).unwrap();
    assert_eq!((back.back, back.refused), (0, 1));
    assert_eq!(back.first_refusal.as_deref(), Some("B: its owner is no longer in the team"));
    assert_eq!(owner(&db, &nobodys.id), Some(me.id.clone()));
}

#[test]
fn a_list_or_campaign_name_is_taken_once_in_any_case() {
    let mut db = open();
    db.store.create_list("Q4 Push", None).unwrap();
    let err = db.store.create_list(" q4 push ", None).unwrap_err();
    assert_eq!(err.to_string(), "lead_lists.name: a list named “Q4 Push” already exists");
    db.store.create_campaign("Spring", None).unwrap();
    let err = db.store.create_campaign("SPRING", Some("email")).unwrap_err();
    assert_eq!(err.to_string(), "campaigns.name: a campaign named “Spring” already exists");
    assert_eq!(db.store.campaigns().unwrap().len(), 1);
}

#[test]
fn a_list_or_campaign_name_is_at_most_120_characters() {
    use outpost_core::lists::Group;
    let mut db = open();
    let long = "é".repeat(121);
    let err = db.store.create_list(&long, None).unwrap_err();
    assert_eq!(err.to_string(), "lead_lists.name: a name is at most 120 characters (this one has 121)");
    let err = db.store.create_campaign(&long, None).unwrap_err();
    assert!(err.to_string().starts_with("campaigns.name: a name is at most 120"), "{err}");
    let list = db.store.create_list(&long[..240], None).unwrap();
    let err = db.store.rename_group(Group::List, &list.id, &format!("{long}!")).unwrap_err();
    assert!(err.to_string().contains("at most 120 characters (this one has 122)"), "{err}");
    assert_eq!(db.store.lead_lists().unwrap().len(), 1, "nothing else was made");
    // Brought back beside a list that took its 120-character name: still within the limit.
    let full = "L".repeat(120);
    let first = db.store.create_list(&full, None).unwrap();
    db.store.delete_group(Group::List, &first.id).unwrap();
    db.store.create_list(&full, None).unwrap();
    let back = db.store.restore_group(Group::List, &first.id).unwrap();
    assert_eq!((back.chars().count(), back.ends_with("L (2)")), (120, true), "{back}");
    db.store.rename_group(Group::List, &first.id, &back[..back.len() - 1]).unwrap();
}

#[test]
fn a_status_goes_to_every_lead_its_rules_allow_and_back() {
    use outpost_core::LeadStatus;
    let mut db = open();
    let a = add_lead(&mut db.store, json!({"first_name": "A"}));
    let b = add_lead(&mut db.store, json!({"first_name": "B", "status": "contacted"}));
    let quiet = add_lead(&mut db.store, json!({"first_name": "Q", "do_not_contact": true}));
    let ids = [a.id.clone(), b.id.clone(), quiet.id.clone()];
    let status = |db: &TestDb, id: &str| db.store.find::<Lead>(id).unwrap().status;

    for id in &ids {
        mark_synced(&db.store, "leads", id, 1);
    }
    let r = db.store.set_status(&ids, "contacted", None).unwrap();
    let (op, _, columns) = outbox_entry(&db.store, "leads", &a.id).expect("the change waits for sync");
    assert_eq!((op.as_str(), columns.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>()), ("update", vec!["status"]));
    assert!(outbox_entry(&db.store, "leads", &quiet.id).is_none(), "a refused lead sends nothing");
    let changed: Vec<_> = r.changed.iter().map(|c| (c.lead_id.as_str(), c.status)).collect();
    assert_eq!(changed, [(a.id.as_str(), LeadStatus::New)], "b had it already; the quiet one is refused");
    assert_eq!(r.refused, [quiet.id.as_str()]);
    let said = r.first_refusal.as_deref().unwrap_or_default();
    assert!(said.starts_with("Q is marked do-not-contact"), "{said}");
    assert_eq!(status(&db, &a.id), LeadStatus::Contacted);

    // The Undo: only a lead that still has the status it was given goes back.
    db.store.set_status(std::slice::from_ref(&b.id), "qualified", None).unwrap();
    let back = db.store.set_status(&[a.id.clone(), b.id.clone()], "new", Some("contacted")).unwrap();
    assert_eq!(back.changed.len(), 1);
    assert_eq!((status(&db, &a.id), status(&db, &b.id)), (LeadStatus::New, LeadStatus::Qualified));

    assert!(db.store.set_status(&ids, "won", None).unwrap_err().to_string().contains("not a lead status"));
}

#[test]
fn leads_move_between_lists_and_back() {
    let mut db = open();
    let q3 = db.store.create_list("Q3", None).unwrap();
    let q4 = db.store.create_list("Q4", None).unwrap();
    let a = add_lead(&mut db.store, json!({"first_name": "A", "list_id": q3.id}));
    let b = add_lead(&mut db.store, json!({"first_name": "B"}));
    let c = add_lead(&mut db.store, json!({"first_name": "C", "list_id": q4.id}));
    let ids = [a.id.clone(), b.id.clone(), c.id.clone()];
    let moved = db.store.assign_to_list(Some(&q4.id), &ids).unwrap();
    let was: Vec<_> = moved.iter().map(|m| (m.lead_id.as_str(), m.value.as_deref())).collect();
    assert_eq!(was, [(a.id.as_str(), Some(q3.id.as_str())), (b.id.as_str(), None)], "C was in Q4 already");
    // Meanwhile B went to Q3 by hand: the Undo leaves it there, puts A back in Q3.
    db.store.assign_to_list(Some(&q3.id), std::slice::from_ref(&b.id)).unwrap();
    let back = db.store.put_back(LeadReference::List, Some(&q4.id), &moved).unwrap();
    assert_eq!((back.back, back.moved_since, back.refused), (1, 1, 0));
    let list_of = |db: &TestDb, id: &str| db.store.find::<Lead>(id).unwrap().list_id;
    assert_eq!(
        (list_of(&db, &a.id), list_of(&db, &b.id), list_of(&db, &c.id)),
        (Some(q3.id.clone()), Some(q3.id.clone()), Some(q4.id.clone()))
    );

    // A list deleted since: that lead is refused, the others still go back.
    let q5 = db.store.create_list("Q5", None).unwrap();
    let moved = db.store.assign_to_list(Some(&q5.id), &ids).unwrap();
    db.store.remove::<outpost_core::LeadList>(&q3.id).unwrap();
    let back = db.store.put_back(LeadReference::List, Some(&q5.id), &moved).unwrap();
    assert_eq!((back.back, back.refused), (1, 2), "{back:?}");
    assert_eq!(back.first_refusal.as_deref(), Some("A: the list it was in is gone"));
    assert_eq!(list_of(&db, &c.id), Some(q4.id.clone()));
}
