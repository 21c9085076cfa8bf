//! A list deleted, its name taken by a new list, then the delete undone — all before a sync: the
//! old list comes back as "Q4 (2)" and both reach the server (whose unique index on list names
//! would refuse the new one were the old still live there under its name), and a teammate.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::lists::Group;
use serde_json::json;

#[tokio::test]
async fn a_deleted_list_whose_name_was_taken_comes_back_renamed_on_every_laptop() {
    let (s, _org) = team(2);
    let mut ana = rep(&s, 0).await;
    let mut bo = rep(&s, 1).await;
    let old = ana.store.create_list("Q4", None).unwrap();
    let lead = ana.add(json!({"first_name": "Dana", "email": "dana@lists.test"}));
    ana.store.assign_to_list(Some(&old.id), std::slice::from_ref(&lead.id)).unwrap();
    assert_eq!(ana.sync().await.rejected, 0);

    ana.store.delete_group(Group::List, &old.id).unwrap();
    let new = ana.store.create_list("Q4", None).unwrap();
    assert_eq!(ana.store.restore_group(Group::List, &old.id).unwrap(), "Q4 (2)");
    let r = ana.sync().await;
    assert_eq!((r.rejected, r.conflicts), (0, 0), "{r:?}");
    assert!(ana.store.open_rejections().unwrap().is_empty());

    let on_server = "SELECT name || '/' || (deleted_at IS NULL)::text FROM lead_lists ORDER BY name";
    assert_eq!(s.sql(on_server).unwrap(), vec!["Q4/true", "Q4 (2)/true"]);
    let of_lead = format!("SELECT list_id::text FROM leads WHERE id = '{}'", lead.id);
    assert_eq!(s.sql(&of_lead).unwrap(), vec![old.id.clone()], "Dana is still in the old list");
    bo.sync().await;
    let names: Vec<String> = bo.store.lead_lists().unwrap().into_iter().map(|l| l.list.name).collect();
    assert_eq!(names, ["Q4", "Q4 (2)"]);
    let _ = new;
}
