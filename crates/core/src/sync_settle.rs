//! Fields a rep and a teammate both changed that settle themselves, instead of asking the rep to
//! pick one: a count of things done keeps both sides' additions (two reps who each sent an email
//! make two, not a choice between "4" and "4"), the time of the latest contact is the later one, and
//! what someone learnt about an address holds (unsubscribed over bounced over replied over no reply). The merged value is written as a new
//! local edit over the server's, which the next push sends like any other.

use chrono::DateTime;
use serde_json::Value;

use crate::sync_local::Conflict;

enum Rule {
    /// Each side adds to it: the server's value plus what this side added to the base.
    Count,
    /// The later time.
    Latest,
    /// What was learnt of an email: the weightier news, from whichever side learnt it.
    EmailNews,
}

fn rule(table: &str, column: &str) -> Option<Rule> {
    match (table, column) {
        ("leads", "emails_sent_count" | "reply_count") | ("campaign_leads", "attempts") => Some(Rule::Count),
        ("leads", "last_contacted_at" | "last_reply_at")
        | ("clients", "last_interaction_at")
        | ("campaign_leads", "last_attempt_at") => Some(Rule::Latest),
        ("leads", "email_status") => Some(Rule::EmailNews),
        _ => None,
    }
}

/// The value `c` settles to by its column's rule; None leaves it to the rep (no rule, or values the
/// rule cannot read, such as a time cleared on one side).
pub(crate) fn settled(table: &str, c: &Conflict) -> Option<Value> {
    match rule(table, &c.column)? {
        Rule::Count => {
            let (theirs, mine) = (c.theirs.as_i64()?, c.mine.as_i64()?);
            let base = if c.base.is_null() { 0 } else { c.base.as_i64()? };
            Some(Value::from(theirs.saturating_add(mine.saturating_sub(base)).max(0)))
        }
        Rule::Latest => {
            let at = |v: &Value| v.as_str().and_then(|s| DateTime::parse_from_rfc3339(s).ok());
            let (theirs, mine) = (at(&c.theirs)?, at(&c.mine)?);
            Some(if mine > theirs { c.mine.clone() } else { c.theirs.clone() })
        }
        Rule::EmailNews => {
            let weight = |v: &Value| {
                ["no_reply", "replied", "bounced", "unsubscribed"].iter().position(|s| v.as_str() == Some(s))
            };
            let (theirs, mine) = (weight(&c.theirs)?, weight(&c.mine)?);
            Some(if mine > theirs { c.mine.clone() } else { c.theirs.clone() })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn conflict(column: &str, base: Value, mine: Value, theirs: Value) -> Conflict {
        Conflict { column: column.into(), base, mine, theirs }
    }

    #[test]
    fn counts_keep_both_sides_additions() {
        assert_eq!(settled("leads", &conflict("emails_sent_count", json!(3), json!(5), json!(4))), Some(json!(6)));
        assert_eq!(settled("leads", &conflict("reply_count", json!(2), json!(1), json!(4))), Some(json!(3)));
        assert_eq!(
            settled("leads", &conflict("reply_count", json!(9), json!(0), json!(2))),
            Some(json!(0)),
            "never below 0"
        );
        assert_eq!(settled("leads", &conflict("reply_count", json!(1), json!("x"), json!(2))), None);
    }

    #[test]
    fn a_time_of_contact_is_the_later_whatever_its_offset() {
        let c = conflict(
            "last_contacted_at",
            Value::Null,
            json!("2026-11-27T10:00:00.000Z"),
            json!("2026-11-27T11:30:00+02:00"),
        );
        assert_eq!(settled("leads", &c), Some(json!("2026-11-27T10:00:00.000Z")));
        let c = conflict(
            "last_reply_at",
            Value::Null,
            json!("2026-11-27T10:00:00.000Z"),
            json!("2026-11-27T12:30:00+02:00"),
        );
        assert_eq!(settled("leads", &c), Some(json!("2026-11-27T12:30:00+02:00")));
        let cleared =
            conflict("last_reply_at", json!("2026-11-01T00:00:00Z"), Value::Null, json!("2026-11-27T12:30:00Z"));
        assert_eq!(settled("leads", &cleared), None);
    }

    #[test]
    fn the_weightier_news_of_an_address_holds_and_other_fields_are_the_reps() {
        let c = |mine: Value, theirs: &str| conflict("email_status", Value::Null, mine, json!(theirs));
        assert_eq!(settled("leads", &c(json!("replied"), "bounced")), Some(json!("bounced")));
        assert_eq!(settled("leads", &c(json!("unsubscribed"), "replied")), Some(json!("unsubscribed")));
        assert_eq!(settled("leads", &c(json!("replied"), "no_reply")), Some(json!("replied")));
        assert_eq!(settled("leads", &c(Value::Null, "no_reply")), None, "cleared on one side: the rep's call");
        assert_eq!(settled("leads", &conflict("notes", json!("a"), json!("b"), json!("c"))), None);
        assert_eq!(settled("activities", &conflict("emails_sent_count", json!(1), json!(2), json!(3))), None);
    }
}
