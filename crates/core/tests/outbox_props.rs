//! Property: whatever sequence of edits a rep makes to a row the server has, the outbox holds one
//! entry whose fields are exactly the columns that differ from the server's copy (or were touched),
//! each with the server's value as its base.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use outpost_core::Lead;
use proptest::prelude::*;
use serde_json::{json, Value};

fn edit() -> impl Strategy<Value = (&'static str, Value)> {
    prop_oneof![
        prop::sample::select(vec!["Ana", "Bo", "Cy"]).prop_map(|v| ("first_name", json!(v))),
        prop::option::of(prop::sample::select(vec!["Acme", "Zeta"])).prop_map(|v| ("company", json!(v))),
        prop::sample::select(vec!["new", "contacted", "qualified"]).prop_map(|v| ("status", json!(v))),
        (0i64..3).prop_map(|v| ("current_score", json!(v * 50))),
        prop::sample::subsequence(vec!["a", "b"], 0..=2).prop_map(|v| ("tags", json!(v))),
        any::<bool>().prop_map(|v| ("do_not_contact", json!(v))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, rng_seed: proptest::test_runner::RngSeed::Fixed(7), ..ProptestConfig::default() })]
    #[test]
    fn outbox_base_values_are_the_server_copy(edits in prop::collection::vec(edit(), 1..12)) {
        let mut db = open();
        let lead = add_lead(&mut db.store, json!({"first_name": "Ana", "company": "Acme"}));
        mark_synced(&db.store, "leads", &lead.id, 4);
        let server = db.store.get("leads", &lead.id).unwrap().unwrap();
        let mut touched = std::collections::BTreeSet::new();
        for (col, value) in edits {
            // Refused edits (do-not-contact rules) must leave no trace; accepted ones are tracked.
            let before = db.store.get("leads", &lead.id).unwrap().unwrap();
            if db.store.edit::<Lead>(&lead.id, row(json!({ col: value }))).is_ok() && before[col] != db.store.get("leads", &lead.id).unwrap().unwrap()[col] {
                touched.insert(col.to_string());
            }
        }
        let now = db.store.get("leads", &lead.id).unwrap().unwrap();
        match outbox_entry(&db.store, "leads", &lead.id) {
            None => prop_assert!(touched.is_empty()),
            Some((op, base_version, fields)) => {
                prop_assert_eq!(op, "update");
                prop_assert_eq!(base_version, Some(4));
                let names: std::collections::BTreeSet<String> = fields.iter().map(|(c, _)| c.clone()).collect();
                prop_assert_eq!(&names, &touched);
                for (col, base) in fields {
                    let server_value = match &server[&col] {
                        Value::Bool(b) => json!(i64::from(*b)),
                        Value::Array(_) | Value::Object(_) => json!(server[&col].to_string()),
                        v => v.clone(),
                    };
                    prop_assert_eq!(base, server_value, "{}", col);
                }
                for (col, v) in now.iter() {
                    if v != &server[col] && !matches!(col.as_str(), "updated_at") {
                        prop_assert!(touched.contains(col), "{} changed but is not in the outbox", col);
                    }
                }
            }
        }
        prop_assert!(outbox_len(&db.store) <= 1);
    }
}
