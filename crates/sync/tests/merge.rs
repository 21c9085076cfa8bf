//! Two leads merged on one laptop: the server and a teammate's laptop end with one lead holding
//! both leads' details and work, including work the teammate logged.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn a_merge_reaches_the_server_and_a_teammate_with_the_teammates_work_moved() {
    let (s, _org) = team(2);
    let mut ana = rep(&s, 0).await;
    let mut bo = rep(&s, 1).await;
    let keep = ana.add(json!({"first_name": "Dana", "email": "dana@merge.test", "company": "Lee Design"}));
    let dup = ana.add(json!({"first_name": "Dana", "last_name": "Lee", "email": "dana@work.test", "tags": ["hot"]}));
    let campaign = ana.store.write(|tx| tx.insert("campaigns", obj(json!({"name": "Spring"})))).unwrap();
    ana.store.add_to_campaign(&campaign, std::slice::from_ref(&dup.id)).unwrap();
    ana.sync().await;
    bo.sync().await;
    // Bo logs a call on the duplicate.
    let call = json!({"lead_id": dup.id, "type": "call", "description": "Left a voicemail"});
    bo.store.write(|tx| tx.insert("activities", obj(call))).unwrap();
    bo.sync().await;
    ana.sync().await;

    let m = ana.store.merge_leads(&keep.id, &dup.id, &[]).unwrap();
    assert!(m.moved > 0);
    let r = ana.sync().await;
    assert_eq!((r.rejected, r.conflicts), (0, 0), "{r:?} {:?}", ana.store.open_rejections().unwrap());
    let on_server = |sql: &str| s.sql(sql).unwrap();
    assert_eq!(
        on_server(&format!("SELECT last_name || '|' || array_to_string(tags, ',') || '|' || (custom_fields->>'Other email') FROM leads WHERE id = '{}'", keep.id)),
        ["Lee|hot|dana@work.test"]
    );
    assert_eq!(
        on_server(&format!("SELECT (deleted_at IS NOT NULL)::text FROM leads WHERE id = '{}'", dup.id)),
        ["true"]
    );
    assert_eq!(
        on_server(&format!("SELECT description FROM activities WHERE lead_id = '{}'", keep.id)),
        ["Left a voicemail"]
    );
    assert_eq!(
        on_server(&format!(
            "SELECT count(*)::text FROM campaign_leads WHERE lead_id = '{}' AND deleted_at IS NULL",
            keep.id
        )),
        ["1"]
    );
    bo.sync().await;
    let kept: outpost_core::Lead = bo.store.find(&keep.id).unwrap();
    assert_eq!(kept.last_name.as_deref(), Some("Lee"));
    assert!(bo.store.find::<outpost_core::Lead>(&dup.id).unwrap().deleted_at.is_some());

    // Undone on Ana's laptop: both leads again, everywhere.
    ana.store.unmerge_leads(m.id).unwrap();
    let r = ana.sync().await;
    assert_eq!((r.rejected, r.conflicts), (0, 0), "{r:?}");
    assert_eq!(
        on_server(&format!("SELECT description FROM activities WHERE lead_id = '{}'", dup.id)),
        ["Left a voicemail"]
    );
    assert_eq!(on_server(&format!("SELECT (deleted_at IS NULL)::text || '|' || coalesce(last_name, '') FROM leads WHERE id IN ('{}', '{}') ORDER BY email", keep.id, dup.id)), ["true|", "true|Lee"]);

    // Taking the other lead's email, then taking the merge back: the two leads swap the address
    // twice; the server's one-email-per-lead index sees no clash either way.
    let m = ana.store.merge_leads(&keep.id, &dup.id, &["email".to_string()]).unwrap();
    let r = ana.sync().await;
    assert_eq!((r.rejected, r.conflicts), (0, 0), "{r:?} {:?}", ana.store.open_rejections().unwrap());
    assert_eq!(on_server(&format!("SELECT email FROM leads WHERE id = '{}'", keep.id)), ["dana@work.test"]);
    ana.store.unmerge_leads(m.id).unwrap();
    let r = ana.sync().await;
    assert_eq!((r.rejected, r.conflicts), (0, 0), "{r:?} {:?}", ana.store.open_rejections().unwrap());
    assert_eq!(
        on_server(&format!(
            "SELECT email FROM leads WHERE id IN ('{}', '{}') AND deleted_at IS NULL ORDER BY email",
            keep.id, dup.id
        )),
        ["dana@merge.test", "dana@work.test"]
    );
    bo.sync().await;
    assert!(bo.store.open_rejections().unwrap().is_empty());

    // A twin who opted out, merged in and synced: the Undo keeps the opt-out on the lead (the
    // server refuses a user's clearing of one), and nothing is refused.
    let twin = ana.add(json!({"first_name": "Dana", "email": "dana@optout.test"}));
    ana.store.write(|tx| tx.update("leads", &twin.id, obj(json!({"do_not_contact": true})))).unwrap();
    ana.sync().await;
    let m = ana.store.merge_leads(&keep.id, &twin.id, &[]).unwrap();
    ana.sync().await;
    let u = ana.store.unmerge_leads(m.id).unwrap();
    assert!(u.changed_since.contains(&"do_not_contact".to_string()), "{u:?}");
    let r = ana.sync().await;
    assert_eq!((r.rejected, r.conflicts), (0, 0), "{r:?} {:?}", ana.store.open_rejections().unwrap());
    assert_eq!(on_server(&format!("SELECT do_not_contact::text FROM leads WHERE id = '{}'", keep.id)), ["true"]);
}
