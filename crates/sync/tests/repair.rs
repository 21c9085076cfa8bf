//! What sync does when the simple path does not hold: a pulled row taking a local row's email, an
//! edit made while its push was in flight, a rejected change, a delete racing an edit, and full
//! replacement pulls (purged tombstones, a new server epoch, new synced columns).
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::sync_local::{Keep, Outcome, Pulled};
use outpost_sync::engine::change_json;
use serde_json::{json, Value};

fn emails(l: &Laptop) -> Vec<String> {
    let mut v: Vec<String> = l
        .store
        .all_rows("leads")
        .unwrap()
        .iter()
        .map(|r| format!("{}|{}", r["id"].as_str().unwrap(), r["email"].as_str().unwrap_or("<null>")))
        .collect();
    v.sort();
    v
}

fn server_emails(s: &standin::Standin, org: uuid::Uuid) -> Vec<String> {
    let mut v = s
        .sql(&format!("SELECT id || '|' || coalesce(email, '<null>') FROM leads WHERE organization_id = '{org}'"))
        .unwrap();
    v.sort();
    v
}

#[tokio::test]
async fn an_email_moved_between_leads_in_one_server_transaction_applies() {
    let (s, org) = team(2);
    let (mut ana, mut bo) = (rep(&s, 0).await, rep(&s, 1).await);
    // B is created first, so its id sorts first and its row comes first in the page.
    let b = ana.add(json!({"first_name": "B", "email": "b@acme.com"}));
    let a = ana.add(json!({"first_name": "A", "email": "x@acme.com"}));
    ana.sync().await;
    bo.sync().await;
    s.sql(&format!(
        "BEGIN; UPDATE leads SET email = 'y@acme.com' WHERE id = '{}'; UPDATE leads SET email = 'x@acme.com' WHERE id = '{}'; COMMIT;",
        a.id, b.id
    ))
    .unwrap();
    let r = bo.sync().await;
    assert_eq!(r.repaired, 1, "{r:?}");
    assert_eq!(emails(&bo), server_emails(&s, org));
    assert_eq!(bo.store.pending_count().unwrap(), 0);
    assert!(bo.store.open_rejections().unwrap().is_empty());
}

/// One push by hand, with a local edit of `id` made after it left and before its answer is recorded.
async fn push_editing_meanwhile(l: &mut Laptop, id: &str, edit: Value) {
    let batch = l.store.pending(500).unwrap();
    let sent: Vec<Value> = batch.iter().map(change_json).collect();
    let client_id = l.store.client_id().unwrap();
    let token = l.engine.session().await.unwrap().access_token;
    let resp =
        l.engine.client().rpc("sync_push", &token, &json!({"client_id": client_id, "changes": sent})).await.unwrap();
    l.edit(id, edit);
    let outcomes: Vec<Outcome> = serde_json::from_value(resp["results"].clone()).unwrap();
    assert!(outcomes.iter().all(|o| o.status == "applied"), "{outcomes:?}");
    l.store.acknowledge(&outcomes, &sent).unwrap();
}

#[tokio::test]
async fn an_edit_made_while_its_push_was_in_flight_is_pushed_next_without_a_conflict() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let lead = ana.add(json!({"first_name": "Lee", "company": "Acme"}));
    ana.sync().await;
    ana.edit(&lead.id, json!({"company": "Acme Inc", "notes": "first"}));
    // The push leaves; while it is on the wire the rep edits the same row again.
    push_editing_meanwhile(&mut ana, &lead.id, json!({"notes": "second"})).await;
    let r = ana.sync().await;
    assert_eq!((r.applied, r.conflicts), (1, 0), "{r:?}");
    assert!(ana.store.open_conflicts().unwrap().is_empty());
    let row = s.sql(&format!("SELECT company || '|' || notes FROM leads WHERE id = '{}'", lead.id)).unwrap();
    assert_eq!(row, vec!["Acme Inc|second"]);
    assert_eq!(ana.leads(), server_leads(&s, org));
}

#[tokio::test]
async fn a_new_lead_edited_while_its_insert_was_in_flight_is_pushed_as_an_update() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let lead = ana.add(json!({"first_name": "Lee", "notes": "first"}));
    push_editing_meanwhile(&mut ana, &lead.id, json!({"notes": "second"})).await;
    let r = ana.sync().await;
    assert_eq!((r.applied, r.conflicts, r.rejected), (1, 0, 0), "{r:?}");
    assert_eq!(s.sql(&format!("SELECT notes FROM leads WHERE id = '{}'", lead.id)).unwrap(), vec!["second"]);
    assert_eq!(ana.leads(), server_leads(&s, org));
}

#[tokio::test]
async fn a_rejected_edit_waits_in_the_list_and_the_row_shows_the_servers_copy() {
    let (s, org) = team(1);
    let vic_id = s.create_user("viewer@acme.test", "pw-viewer", org, "sales_rep").unwrap();
    let mut ana = rep(&s, 0).await;
    let lead = ana.add(json!({"first_name": "Lee", "company": "Acme"}));
    ana.sync().await;
    let mut vic = laptop(&s, "viewer@acme.test", "pw-viewer").await;
    vic.sync().await;
    vic.edit(&lead.id, json!({"company": "Viewer was here"}));
    // An admin makes Vic a viewer before his edit is sent.
    s.sql(&format!("UPDATE profiles SET role = 'viewer' WHERE id = '{vic_id}'")).unwrap();
    let r = vic.sync().await;
    assert_eq!(r.rejected, 1, "{r:?}");
    let rejected = vic.store.open_rejections().unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!(vic.leads(), server_leads(&s, org), "the row reverted to the server's copy");
    assert_eq!(vic.store.pending_count().unwrap(), 0);
}

/// Two reps of one team whose laptops both have the lead "Lee".
async fn two_reps_with_a_lead() -> (standin::Standin, uuid::Uuid, Laptop, Laptop, outpost_core::Lead) {
    let (s, org) = team(2);
    let (mut ana, mut bo) = (rep(&s, 0).await, rep(&s, 1).await);
    let lead = ana.add(json!({"first_name": "Lee"}));
    ana.sync().await;
    bo.sync().await;
    (s, org, ana, bo, lead)
}

#[tokio::test]
async fn a_delete_racing_a_colleagues_edit_is_a_conflict_not_a_silent_loss() {
    let (s, org, mut ana, mut bo, lead) = two_reps_with_a_lead().await;
    ana.store.remove::<outpost_core::Lead>(&lead.id).unwrap();
    bo.edit(&lead.id, json!({"notes": "important: signed today"}));
    bo.sync().await;
    let r = ana.sync().await;
    assert_eq!(r.conflicts, 1, "{r:?}");
    let c = &ana.store.open_conflicts().unwrap()[0];
    assert_eq!(c.column, "deleted_at");
    assert_eq!(ana.leads(), server_leads(&s, org), "the lead is back until Ana decides");
    assert!(ana.leads()[0].ends_with("|important: signed today|false"));
    // Ana still wants it gone.
    ana.store.resolve_conflict(c.id, Keep::Mine).unwrap();
    ana.sync().await;
    bo.sync().await;
    assert!(server_leads(&s, org)[0].ends_with("|true"));
    assert_eq!(bo.leads(), server_leads(&s, org));
}

/// The mirror case: an edit of a lead a colleague deleted meanwhile. Before, the server put the edit
/// on the deleted row, answered "applied", and the lead then left the editor's laptop with the edit
/// on it, unseen. Now the deletion is a conflict: keep mine brings the lead back with the edit.
#[tokio::test]
async fn an_edit_racing_a_colleagues_delete_is_a_conflict_not_a_silent_loss() {
    let (s, org, mut ana, mut bo, lead) = two_reps_with_a_lead().await;
    ana.store.remove::<outpost_core::Lead>(&lead.id).unwrap();
    ana.sync().await;
    bo.edit(&lead.id, json!({"notes": "budget approved: call back Tuesday"}));
    let r = bo.sync().await;
    assert_eq!(r.conflicts, 1, "{r:?}");
    let c = &bo.store.open_conflicts().unwrap()[0];
    assert_eq!((c.column.as_str(), &c.mine), ("deleted_at", &Value::Null));
    assert!(c.theirs.is_string(), "{c:?}");
    assert_eq!(bo.leads(), server_leads(&s, org), "deleted on Bo's laptop too, until he decides");
    // Bo wants it back: the lead returns, with his edit, for everyone.
    bo.store.resolve_conflict(c.id, Keep::Mine).unwrap();
    bo.sync().await;
    ana.sync().await;
    assert!(
        server_leads(&s, org)[0].ends_with("|budget approved: call back Tuesday|false"),
        "{:?}",
        server_leads(&s, org)
    );
    assert_eq!(ana.leads(), server_leads(&s, org));
    assert_eq!(bo.leads(), server_leads(&s, org));
    assert!(bo.store.open_conflicts().unwrap().is_empty());
}

#[tokio::test]
async fn deletions_whose_tombstones_were_purged_still_reach_a_laptop_that_was_away() {
    let (s, org) = team(2);
    let (mut ana, mut bo) = (rep(&s, 0).await, rep(&s, 1).await);
    let gone = ana.add(json!({"first_name": "Gone"}));
    ana.add(json!({"first_name": "Kept"}));
    ana.sync().await;
    bo.sync().await;
    s.sql(&format!("DELETE FROM leads WHERE id = '{}'", gone.id)).unwrap();
    s.sql("UPDATE sync_settings SET value = '0' WHERE key = 'tombstone_retention_days'").unwrap();
    assert_eq!(s.sql("SELECT sync_purge_tombstones()").unwrap(), vec!["1"]);
    let r = bo.sync().await;
    assert_eq!(r.deleted, 1, "{r:?}");
    assert_eq!(bo.leads(), server_leads(&s, org));
    let r = bo.sync().await;
    let nothing = outpost_sync::Report { edit_stamp: r.edit_stamp, ..Default::default() };
    assert_eq!(r, nothing, "the replacement happens once");
}

#[tokio::test]
async fn a_server_restored_from_a_backup_is_pulled_again_and_local_pending_work_survives() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let gone = ana.add(json!({"first_name": "Gone"}));
    ana.sync().await;
    // The restore: the row never existed, the epoch is new, and its tombstone is nowhere.
    s.sql(&format!(
        "DELETE FROM leads WHERE id = '{}'; DELETE FROM sync_tombstones; UPDATE sync_settings SET value = gen_random_uuid()::text WHERE key = 'epoch';",
        gone.id
    ))
    .unwrap();
    let offline = ana.add(json!({"first_name": "Made offline"}));
    ana.sync().await;
    assert_eq!(ana.leads(), server_leads(&s, org));
    assert_eq!(ana.leads().len(), 1);
    assert!(ana.leads()[0].starts_with(&offline.id));
}

#[tokio::test]
async fn a_new_synced_column_makes_the_next_sync_pull_everything_again() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    ana.add(json!({"first_name": "Lee"}));
    ana.sync().await;
    // A row the server no longer has, and a catalog that changed since the last pull.
    let stray = ana.store.get("leads", &ana.leads()[0][..36]).unwrap().unwrap();
    let mut stray = stray.clone();
    stray.insert("id".into(), json!(uuid::Uuid::now_v7().to_string()));
    ana.store.apply_pulled(&[Pulled::Upsert { table: "leads".into(), row: stray }], None).unwrap();
    ana.store.set_setting("synced_catalog", "an older build's tables").unwrap();
    let r = ana.sync().await;
    assert_eq!((r.pulled, r.deleted), (3, 1), "{r:?}");
    assert_eq!(ana.leads(), server_leads(&s, org));
}

#[tokio::test]
async fn a_push_batch_cut_short_by_the_statement_timeout_goes_again_in_smaller_batches() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    // A server that needs 20 ms per new lead: 450 of them in one batch exceed the 8 s that Supabase
    // gives an API statement; batches of 250 do not.
    s.sql(
        "CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.02); RETURN NEW; END $$;
         CREATE TRIGGER slow_insert BEFORE INSERT ON leads FOR EACH ROW EXECUTE FUNCTION slow_insert();",
    )
    .unwrap();
    let values: Vec<serde_json::Map<String, Value>> =
        (0..450).map(|i| obj(json!({"first_name": format!("Slow{i}")}))).collect();
    ana.store
        .write(|tx| {
            for v in values {
                tx.insert("leads", v)?;
            }
            Ok(())
        })
        .unwrap();
    let r = ana.sync().await;
    assert_eq!((r.applied, r.rejected), (450, 0), "{r:?}");
    assert_eq!(s.sql(&format!("SELECT count(*) FROM leads WHERE organization_id = '{org}'")).unwrap(), vec!["450"]);
    assert_eq!(ana.leads(), server_leads(&s, org));
}

/// PostgreSQL's timestamps reach further than the local form (RFC 3339, years 0000–9999): one lead
/// that a web form or another tool wrote with an `infinity` follow-up (or a date BC, or past 9999)
/// stopped every pull on every laptop. Such a value is kept as the server wrote it; `infinity`
/// sorts after every date and `-infinity` before (a date BC or past 9999 keeps its text, and its
/// place among ordinary dates is not kept); the row can be edited and syncs on, and a conflict
/// whose server side is such a value is recorded like any other.
#[tokio::test]
async fn timestamps_beyond_the_local_form_are_pulled_as_the_server_wrote_them() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let odd = [
        ("Forever", "infinity", "infinity"),
        ("Never", "-infinity", "-infinity"),
        ("Caesar", "0044-03-15 BC", "0044-03-15T00:00:00+00:00 BC"),
        ("Future", "10000-01-01", "10000-01-01T00:00:00+00:00"),
        ("Soon", "2030-01-02", "2030-01-02T00:00:00.000000Z"),
    ];
    for (name, value, _) in odd {
        s.sql(&format!(
            "INSERT INTO leads (id, organization_id, first_name, next_follow_up_at) VALUES (gen_random_uuid(), '{org}', '{name}', '{value}')"
        ))
        .unwrap();
    }
    ana.sync().await;
    let by_follow_up: Vec<(String, String)> = ana
        .store
        .conn()
        .prepare("SELECT first_name, next_follow_up_at FROM leads ORDER BY next_follow_up_at")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (name, _, local) in odd {
        assert!(by_follow_up.contains(&(name.to_string(), local.to_string())), "{name}: {by_follow_up:?}");
    }
    assert_eq!(by_follow_up.first().map(|(n, _)| n.as_str()), Some("Never"));
    assert_eq!(by_follow_up.last().map(|(n, _)| n.as_str()), Some("Forever"));

    let forever = ana.store.all_rows("leads").unwrap().into_iter().find(|r| r["first_name"] == "Forever").unwrap();
    let id = forever["id"].as_str().unwrap().to_string();
    ana.edit(&id, json!({"first_name": "Forever Young"}));
    let r = ana.sync().await;
    assert_eq!((r.applied, r.rejected), (1, 0), "{r:?}");
    let server =
        s.sql(&format!("SELECT first_name || ' ' || next_follow_up_at::text FROM leads WHERE id = '{id}'")).unwrap();
    assert_eq!(server, vec!["Forever Young infinity".to_string()]);
    assert_eq!(ana.leads(), server_leads(&s, org));

    // The rep moves a follow-up that someone meanwhile set to infinity on the server: a conflict
    // whose server side is such a value is recorded like any other, not a push that fails for good.
    let soon = ana.store.all_rows("leads").unwrap().into_iter().find(|r| r["first_name"] == "Soon").unwrap();
    let soon = soon["id"].as_str().unwrap().to_string();
    s.sql(&format!("UPDATE leads SET next_follow_up_at = 'infinity' WHERE id = '{soon}'")).unwrap();
    ana.edit(&soon, json!({"next_follow_up_at": "2031-05-06T09:00:00Z"}));
    let r = ana.sync().await;
    assert_eq!(r.conflicts, 1, "{r:?}");
    let conflicts = ana.store.open_conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    let shown = ana.store.get("leads", &soon).unwrap().unwrap();
    assert_eq!(shown["next_follow_up_at"], json!("infinity"), "the row shows the server's value until the rep decides");
}

/// jsonb takes values nested thousands of levels deep; serde_json's parser stops at 128 (and an
/// unlimited parse could overflow a thread's stack: 20,000 levels did on 2 MB). One lead whose
/// custom fields another tool wrote that deep made every page holding it unreadable, on every
/// laptop, for good. JSON columns now come as their text and are parsed one by one: that value is
/// kept as text, and every other arrives whole.
#[tokio::test]
async fn json_nested_deeper_than_the_parser_goes_does_not_stop_the_pull() {
    let (s, org) = team(1);
    let mut ana = rep(&s, 0).await;
    let deep = deep_json(10_000);
    let insert = |name: &str, set: &str| {
        s.sql(&format!(
            "INSERT INTO leads (id, organization_id, first_name) VALUES (gen_random_uuid(), '{org}', '{name}');
             UPDATE leads SET {set} WHERE first_name = '{name}'"
        ))
        .unwrap();
    };
    insert("Deep", &format!("custom_fields = '{deep}'"));
    insert(
        "Plain",
        r#"custom_fields = '{"size": "50-100", "n": [1, 2.5, null]}', tags = ARRAY['vip', 'q"uote'], address = '{"city": "Lyon"}'"#,
    );
    ana.sync().await;
    let rows = ana.store.all_rows("leads").unwrap();
    let find = |name: &str| rows.iter().find(|r| r["first_name"] == name).unwrap().clone();
    let plain = find("Plain");
    assert_eq!(plain["custom_fields"], json!({"size": "50-100", "n": [1, 2.5, null]}));
    assert_eq!(plain["tags"], json!(["vip", "q\"uote"]));
    assert_eq!(plain["address"], json!({"city": "Lyon"}));
    let kept = find("Deep")["custom_fields"].clone();
    assert_eq!(kept.as_str().map(str::len), Some(deep.len()), "kept as its text");
    let again = ana.sync().await;
    assert_eq!((again.pushed, again.rejected), (0, 0), "{again:?}");
}

/// The same in a push's answer: the rep changes custom fields that someone meanwhile set, on the
/// server, to JSON nested deeper than the parser goes. The conflict's server side comes as its text,
/// so the answer stays readable (it would otherwise be sent again for ever) and the conflict is
/// recorded with that text.
#[tokio::test]
async fn a_conflict_with_deeply_nested_json_on_the_server_is_recorded() {
    let (s, mut ana, lead) = synced_lead("Nested").await;
    let deep = deep_json(5_000);
    s.sql(&format!("UPDATE leads SET custom_fields = '{deep}' WHERE id = '{}'", lead.id)).unwrap();
    ana.edit(&lead.id, json!({"custom_fields": {"b": 2}}));
    let r = ana.sync().await;
    assert_eq!(r.conflicts, 1, "{r:?}");
    let conflicts = ana.store.open_conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].column, "custom_fields");
    let again = ana.sync().await;
    assert_eq!((again.pushed, again.rejected), (0, 0), "{again:?}");
    // A shallow object of theirs still arrives as an object.
    s.sql(&format!("UPDATE leads SET custom_fields = '{{\"c\": [3]}}' WHERE id = '{}'", lead.id)).unwrap();
    ana.edit(&lead.id, json!({"custom_fields": {"d": 4}}));
    assert!(ana.store.open_conflicts().unwrap().is_empty(), "editing the field again settled its conflict");
    let r = ana.sync().await;
    assert_eq!(r.conflicts, 1, "{r:?}");
    let theirs = ana.store.get("leads", &lead.id).unwrap().unwrap()["custom_fields"].clone();
    assert_eq!(theirs, json!({"c": [3]}));
}

/// And when a row is fetched again by id (after a rejection or a clash): `sync_fetch` answers in a
/// page's shape, JSON columns as their text, so the refetch at the end of a sync cannot fail on such
/// a row at every sync.
#[tokio::test]
async fn a_row_fetched_again_with_deeply_nested_json_is_applied() {
    let (s, mut ana, lead) = synced_lead("Again").await;
    let deep = deep_json(5_000);
    // The server's copy changes without a trace the pull would see (as a clash's set-aside leaves a
    // row stale); the laptop is told to fetch it again.
    s.sql(&format!(
        "ALTER TABLE leads DISABLE TRIGGER zz_sync_row_meta; UPDATE leads SET custom_fields = '{deep}', notes = 'fetched' WHERE id = '{0}';
         ALTER TABLE leads ENABLE TRIGGER zz_sync_row_meta",
        lead.id
    ))
    .unwrap();
    ana.store.conn().execute("INSERT INTO sync_refetch (table_name, row_id) VALUES ('leads', ?1)", [&lead.id]).unwrap();
    let r = ana.sync().await;
    assert_eq!(r.repaired, 1, "{r:?}");
    let row = ana.store.get("leads", &lead.id).unwrap().unwrap();
    assert_eq!(row["notes"], json!("fetched"));
    assert_eq!(row["custom_fields"].as_str().map(str::len), Some(deep.len()), "kept as its text");
}

/// `{"a": [[…1…]]}`, `levels` arrays deep.
fn deep_json(levels: usize) -> String {
    format!("{{\"a\": {}1{}}}", "[".repeat(levels), "]".repeat(levels))
}

/// A team of one whose rep has a lead with custom fields, synced.
async fn synced_lead(name: &str) -> (standin::Standin, Laptop, outpost_core::Lead) {
    let (s, _org) = team(1);
    let mut ana = rep(&s, 0).await;
    let lead = ana.add(json!({"first_name": name, "custom_fields": {"a": 1}}));
    ana.sync().await;
    (s, ana, lead)
}

/// Signing in reads the user's profile and organization through `sync_fetch` too: an
/// organization whose settings another tool nested that deep does not keep its members out.
#[tokio::test]
async fn signing_in_reads_an_organization_with_deeply_nested_settings() {
    let (s, org) = team(1);
    s.sql(&format!("UPDATE organizations SET settings = '{}' WHERE id = '{org}'", deep_json(5_000))).unwrap();
    let ana = rep(&s, 0).await;
    let kept = ana.store.get("organizations", &org.to_string()).unwrap().unwrap()["settings"].clone();
    assert_eq!(kept.as_str().map(str::len), Some(deep_json(5_000).len()), "kept as its text");
}
