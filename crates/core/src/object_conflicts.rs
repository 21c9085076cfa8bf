//! A conflict on an object field (custom fields, an address) where both sides changed some keys
//! and only some of them the same: the server gives up on the whole field, but only the keys both
//! changed differently are the rep's to decide — the rest of their edit lands at once.

use serde_json::{Map, Value};

use crate::sync_local::Conflict;

/// For a conflict over objects with some keys changed only by the rep: the value to write now
/// (theirs with the rep's other keys) and the conflict narrowed to the keys changed on both sides
/// (mine and theirs each the written value with their side of those keys). `None` when no key of
/// the rep's could land apart (or the values are no objects).
pub(crate) fn narrow(c: &Conflict) -> Option<(Value, Conflict)> {
    let (Value::Object(mine), Value::Object(theirs)) = (&c.mine, &c.theirs) else { return None };
    let empty = Map::new();
    let base = match &c.base {
        Value::Object(b) => b,
        Value::Null => &empty,
        _ => return None,
    };
    let mut merged = theirs.clone();
    let mut both: Vec<&String> = Vec::new();
    let keys: std::collections::BTreeSet<&String> = base.keys().chain(mine.keys()).collect();
    for k in keys {
        let (b, m, t) = (base.get(k), mine.get(k), theirs.get(k));
        if m == b {
            continue;
        }
        if t == b || t == m {
            set(&mut merged, k, m);
        } else {
            both.push(k);
        }
    }
    if both.is_empty() || merged == *theirs {
        return None;
    }
    let mut narrowed_mine = merged.clone();
    for k in both {
        set(&mut narrowed_mine, k, mine.get(k));
    }
    let narrowed = Conflict {
        column: c.column.clone(),
        // "Before either change": as it was before both, what the inbox says it is.
        base: c.base.clone(),
        mine: Value::Object(narrowed_mine),
        theirs: Value::Object(merged.clone()),
    };
    Some((Value::Object(merged), narrowed))
}

fn set(o: &mut Map<String, Value>, k: &str, v: Option<&Value>) {
    match v {
        Some(v) => o.insert(k.to_string(), v.clone()),
        None => o.remove(k),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn conflict(base: Value, mine: Value, theirs: Value) -> Conflict {
        Conflict { column: "custom_fields".into(), base, mine, theirs }
    }

    #[test]
    fn only_the_keys_both_changed_differently_stay_in_conflict() {
        let c = conflict(
            json!({"size": "10", "gone": "x"}),
            json!({"size": "200", "seats": "5"}),
            json!({"size": "100", "gone": "x", "tier": "gold"}),
        );
        let Some((write, narrowed)) = narrow(&c) else { panic!("narrowed") };
        assert_eq!(write, json!({"size": "100", "tier": "gold", "seats": "5"}));
        assert_eq!(narrowed.mine, json!({"size": "200", "tier": "gold", "seats": "5"}));
        assert_eq!(narrowed.theirs, write);
        assert_eq!(narrowed.base, c.base);
    }

    #[test]
    fn nothing_to_land_apart_leaves_the_conflict_as_it_is() {
        // Only the clashing key changed; no base at all; values that are no objects.
        assert!(narrow(&conflict(json!({"size": "1"}), json!({"size": "2"}), json!({"size": "3"}))).is_none());
        assert!(narrow(&conflict(Value::Null, json!({"a": "1"}), json!({"a": "2"}))).is_none());
        assert!(narrow(&conflict(json!([]), json!(["a"]), json!(["b"]))).is_none());
        // No key changed on both sides (the server gave up for its own reasons): as it is.
        assert!(narrow(&conflict(json!({}), json!({"a": "1"}), json!({"b": "2"}))).is_none());
    }
}
