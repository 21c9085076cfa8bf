//! The public web form (anon key) sent by someone who is already a lead.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

fn form(org: uuid::Uuid, email: &str, message: &str) -> Value {
    json!({"id": uuid::Uuid::now_v7(), "organization_id": org, "first_name": "Pat", "phone": "+14155550132",
           "email": email, "message": message, "source": "web_form"})
}

#[tokio::test]
async fn a_repeat_is_kept_on_the_lead_and_answered_like_a_new_one() {
    let (s, a, b) = two_orgs();
    for org in [a, b] {
        s.sql(&format!(
            "INSERT INTO leads (id, organization_id, first_name, email, company) \
             VALUES ('{}', '{org}', 'Patricia', 'Pat@Example.com', 'Acme')",
            uuid::Uuid::now_v7()
        ))
        .unwrap();
    }
    s.sql(&format!("UPDATE organizations SET settings = '{{\"web_form_enabled\": true}}' WHERE id = '{a}'")).unwrap();
    let api = Api::new(&s);
    let send = |body: Value, prefer: &'static str| {
        let r = api.rest(Method::POST, "/leads", None).header("Prefer", prefer).json(&body);
        async move {
            let r = r.send().await.unwrap();
            let range = r.headers().get("content-range").map(|v| v.to_str().unwrap().to_string());
            (r.status().as_u16(), range, r.text().await.unwrap())
        }
    };

    let first = form(a, "new@example.com", "Hello");
    let new = send(first.clone(), "return=minimal,count=exact").await;
    let repeat = send(form(a, " pat@example.COM ", "Call me back, please"), "return=minimal,count=exact").await;
    assert_eq!(new.0, 201, "{}", new.2);
    assert_eq!(repeat, new, "a repeat is answered as a new lead is, row count included");
    // An id the form chose that is taken would have told a new address (409) from a repeat (201).
    let mut taken = form(a, " spaced@example.com ", "");
    taken["id"] = first["id"].clone();
    assert_eq!(send(taken, "return=minimal").await.0, 201);
    let first_id = first["id"].as_str().unwrap();
    let stored = s.sql(&format!("SELECT email, id <> '{first_id}' FROM leads WHERE email LIKE '%spaced%'"));
    assert_eq!(stored.unwrap(), vec!["spaced@example.com|t"], "trimmed, under an id of its own");
    let mut again = form(a, "pat@example.com", "");
    again["id"] = first["id"].clone();
    assert_eq!(send(again, "return=minimal").await.0, 201);
    // Asking for the row back tells nothing either: refused before anything is written, either way.
    let new = send(form(a, "other@example.com", ""), "return=representation").await;
    let repeat = send(form(a, "pat@example.com", ""), "return=representation").await;
    assert_eq!((new.0, repeat.0), (401, 401), "{} / {}", new.2, repeat.2);

    let leads = s.sql(&format!("SELECT email FROM leads WHERE organization_id = '{a}' ORDER BY lower(email)")).unwrap();
    assert_eq!(leads, vec!["new@example.com", "Pat@Example.com", "spaced@example.com"]);
    let kept = s
        .sql(&format!(
            "SELECT l.first_name, c.direction, c.channel, c.platform, c.content, c.from_address, c.requires_action, \
                    c.metadata->'web_form'->>'phone', c.metadata->'web_form'->>'first_name' \
             FROM conversations c JOIN leads l ON l.id = c.lead_id \
             WHERE c.organization_id = '{a}' ORDER BY c.occurred_at, c.content"
        ))
        .unwrap();
    assert_eq!(
        kept,
        vec![
            "Patricia|inbound|other|web_form|Call me back, please|pat@example.COM|t|+14155550132|Pat",
            "Patricia|inbound|other|web_form|The web form was sent again from this address, without a message.\
             |pat@example.com|t|+14155550132|Pat",
        ],
        "the lead keeps its own details; the form's are beside it"
    );

    let r = send(form(a, "pat@example.com", "  "), "return=minimal").await;
    assert_eq!(r.0, 201);
    let said = s.sql(&format!(
        "SELECT content FROM conversations WHERE organization_id = '{a}' ORDER BY occurred_at DESC LIMIT 1"
    ));
    assert_eq!(said.unwrap(), vec!["The web form was sent again from this address, without a message."]);

    // An organization that takes no web forms still refuses, repeat or not, and records nothing.
    let r = send(form(b, "pat@example.com", "Hi"), "return=minimal").await;
    assert_eq!(r.0, 401, "{}", r.2);
    assert_eq!(s.sql(&format!("SELECT count(*) FROM conversations WHERE organization_id = '{b}'")).unwrap(), vec!["0"]);

    // A signed-in rep's duplicate is still a duplicate (the import and the app dedupe before sending).
    let token = api.sign_in("ana@a.test", "password-a").await["access_token"].as_str().unwrap().to_string();
    let r = api.rest(Method::POST, "/leads", Some(&token)).json(&lead(a, "pat@example.com")).send().await.unwrap();
    assert_eq!(r.status(), 409);
}

#[tokio::test]
async fn two_sends_of_a_new_address_at_once_make_one_lead() {
    let (s, a, _b) = two_orgs();
    s.sql(&format!("UPDATE organizations SET settings = '{{\"web_form_enabled\": true}}' WHERE id = '{a}'")).unwrap();
    let api = Api::new(&s);
    let post = |msg: &str| api.rest(Method::POST, "/leads", None).json(&form(a, "twice@example.com", msg)).send();
    let (one, two) = tokio::join!(post("first"), post("second"));
    assert_eq!((one.unwrap().status().as_u16(), two.unwrap().status().as_u16()), (201, 201));
    assert_eq!(s.sql("SELECT count(*) FROM leads WHERE email = 'twice@example.com'").unwrap(), vec!["1"]);
    assert_eq!(s.sql("SELECT count(*) FROM conversations").unwrap(), vec!["1"]);
}

#[tokio::test]
async fn a_form_without_a_way_to_reach_the_visitor_or_with_a_huge_message_is_refused() {
    let (s, a, _b) = two_orgs();
    s.sql(&format!("UPDATE organizations SET settings = '{{\"web_form_enabled\": true}}' WHERE id = '{a}'")).unwrap();
    let api = Api::new(&s);
    let send = |body: Value| {
        let r = api.rest(Method::POST, "/leads", None).json(&body);
        async move {
            let r = r.send().await.unwrap();
            (
                r.status().as_u16(),
                r.json::<Value>().await.unwrap_or(Value::Null)["message"].as_str().unwrap_or("").to_string(),
            )
        }
    };
    let base = json!({"organization_id": a, "first_name": "Spam", "source": "web_form"});
    let with = |extra: Value| {
        let mut b = base.clone();
        b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        b
    };
    let (status, said) = send(base.clone()).await;
    assert_eq!((status, said.as_str()), (400, "web form: an email address or a phone number is needed"));
    let (status, said) = send(with(json!({"email": "not-an-email"}))).await;
    assert_eq!(status, 400);
    assert!(said.contains("is not an email address"), "{said}");
    let (status, said) = send(with(json!({"email": "big@example.com", "message": "x".repeat(10_001)}))).await;
    assert_eq!((status, said.as_str()), (400, "web form: the message is longer than 10,000 characters"));
    assert_eq!(send(with(json!({"phone": "+14155550132"}))).await.0, 201, "a phone is enough");
    assert_eq!(send(with(json!({"email": "\tspaced@example.com\n"}))).await.0, 201, "trimmed of any white space");
    assert_eq!(s.sql(&format!("SELECT count(*) FROM leads WHERE organization_id = '{a}'")).unwrap(), vec!["2"]);
    assert_eq!(s.sql("SELECT count(*) FROM leads WHERE email = 'spaced@example.com'").unwrap(), vec!["1"]);
}

#[tokio::test]
async fn a_flooded_form_is_answered_429_and_writes_nothing() {
    let (s, a, _b) = two_orgs();
    s.sql(&format!(
        "UPDATE organizations SET settings = '{{\"web_form_enabled\": true, \"web_form_per_minute\": 3}}' WHERE id = '{a}'"
    ))
    .unwrap();
    s.sql(&format!(
        "INSERT INTO leads (organization_id, first_name, email) VALUES ('{a}', 'Known', 'known@example.com')"
    ))
    .unwrap();
    let api = Api::new(&s);
    let send = |email: &str| {
        let r = api.rest(Method::POST, "/leads", None).json(&form(a, email, "Hi"));
        async move {
            let r = r.send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let written = || {
        let leads = s.sql(&format!("SELECT count(*) FROM leads WHERE organization_id = '{a}'")).unwrap();
        let talks = s.sql(&format!("SELECT count(*) FROM conversations WHERE organization_id = '{a}'")).unwrap();
        (leads, talks)
    };
    // Each submission counts once, in the organization's minute and in its address's hour.
    assert_eq!(send("one@example.com").await.0, 201);
    let counted = s.sql(&format!(
        "SELECT sender || ':' || submissions FROM outpost_private.web_form_counts WHERE organization_id = '{a}' \
         ORDER BY sender"
    ));
    assert_eq!(counted.unwrap(), vec![":1", "one@example.com:1"]);

    // The organization's minute is full (this window and the next, so the test does not depend on the
    // clock): any address is refused, and nothing is written.
    let seed = |sender: &str, per: &str, n: u32| {
        s.sql(&format!(
            "INSERT INTO outpost_private.web_form_counts \
             SELECT '{a}', '{sender}', date_bin('{per}', now(), '2000-01-01') + k * interval '{per}', {n} \
             FROM generate_series(0, 1) k \
             ON CONFLICT (organization_id, sender, window_start) DO UPDATE SET submissions = {n}"
        ))
        .unwrap();
    };
    seed("", "1 minute", 3);
    let before = written();
    let (status, body) = send("two@example.com").await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["message"], "web form: too many submissions; try again later");
    assert_eq!(body["hint"], "at most 3 a minute");
    assert_eq!(written(), before);
    s.sql("DELETE FROM outpost_private.web_form_counts WHERE sender = ''").unwrap();

    // One address sent over and over: refused alike whether or not it is a lead (no oracle).
    seed("known@example.com", "1 hour", 10);
    seed("fresh@example.com", "1 hour", 10);
    let (known, fresh) = (send(" Known@Example.com").await, send("fresh@example.com").await);
    assert_eq!((known.0, fresh.0), (429, 429));
    assert_eq!(known.1["hint"], "at most 10 an hour");
    assert_eq!(known.1, fresh.1);
    assert_eq!(written(), before);
    assert_eq!(send("other@example.com").await.0, 201, "another address still gets through");
}
