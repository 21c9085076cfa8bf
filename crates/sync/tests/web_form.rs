//! The public web form (anon key) and the laptops: a new address arrives as a lead, the same address
//! sent again as a message on that lead that "My day" lists until the rep handles it.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn a_web_form_sent_twice_is_one_lead_and_a_message_to_answer() {
    let (s, org) = team(1);
    s.sql(&format!("UPDATE organizations SET settings = '{{\"web_form_enabled\": true}}' WHERE id = '{org}'")).unwrap();
    let form = |message: &str| {
        json!({"organization_id": org, "first_name": "Wendy", "email": "Wendy@Example.com", "message": message,
               "source": "web_form"})
    };
    let http = reqwest::Client::new();
    for message in ["I'd like a demo", "Still waiting for that demo"] {
        let r = http
            .post(format!("{}/rest/v1/leads", s.url))
            .header("apikey", s.anon_key())
            .bearer_auth(s.anon_key())
            .json(&form(message))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    }

    let mut ana = rep(&s, 0).await;
    let r = ana.sync().await;
    assert_eq!(r.rejected, 0, "{r:?}");
    let wendy: Vec<String> = ana.leads().into_iter().filter(|l| l.contains("Wendy")).collect();
    assert_eq!(wendy.len(), 1, "one lead: {wendy:?}");
    let waiting = ana.store.inbound_needing_action().unwrap();
    let said: Vec<_> = waiting.iter().map(|m| (m.content.as_str(), m.lead_name.as_deref())).collect();
    assert_eq!(said, [("Still waiting for that demo", Some("Wendy"))]);

    // Handled on the laptop: the server hears it with the next sync.
    ana.store.settle_inbound(&waiting[0].id, true).unwrap();
    let r = ana.sync().await;
    assert_eq!(r.rejected, 0, "{r:?}");
    let server = s.sql("SELECT requires_action::text || '|' || action_taken FROM conversations").unwrap();
    assert_eq!(server, vec!["false|handled"]);
}
