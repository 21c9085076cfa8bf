//! End to end against the Supabase stand-in (real PostgreSQL + PostgREST): the rep configures the
//! project (a service_role key is refused), signs in and sees the team's leads arrive; works while
//! the server is unreachable; the app syncs by itself when it comes back; a field a colleague
//! changed meanwhile lands in the conflicts inbox and "keep mine" reaches the server. Screenshots of
//! the sync indicator and the inbox land in $CARGO_TARGET_TMPDIR/screenshots.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod support;

use std::path::{Path, PathBuf};

use standin::Standin;
use support::{wait_for, App, Driver};

fn screenshots() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots")
}

const TEAM_LEADS: usize = 20_000;

fn server(s: &Standin, sql: &str) -> String {
    s.sql(sql).unwrap().into_iter().next().unwrap_or_default()
}

fn state(d: &Driver) -> String {
    d.attr(&d.testid("sync-indicator"), "data-state").unwrap_or_default()
}

fn wait_state(d: &Driver, want: &str) {
    wait_for(30, &format!("sync state {want}"), || (state(d) == want).then_some(()));
}

fn edit_company(app: &App, id: &str, company: &str) {
    let d = &app.driver;
    d.click(&d.testid("nav-leads"));
    d.click(&d.find(&format!("[data-testid='lead-row'][data-id='{id}']")));
    d.find(&format!("[data-testid='lead-detail'][data-id='{id}']"));
    let field = d.testid("detail-company");
    d.clear(&field);
    d.type_text(&field, &format!("{company}\u{E007}"));
    wait_for(10, "the edit in the database", || {
        (app.sql(&format!("SELECT company FROM leads WHERE id = '{id}'")) == [company]).then_some(())
    });
}

#[test]
fn a_rep_signs_in_works_offline_and_settles_a_conflict() {
    let mut s = Standin::start().unwrap();
    let org = s.create_organization("Acme").unwrap();
    s.create_user("ana@acme.test", "pw-ana", org, "sales_rep").unwrap();
    // The team's account: 20,000 leads (enough for the first sync to show its progress bar), then
    // two a colleague added last.
    s.sql(&format!(
        "INSERT INTO leads (id, organization_id, first_name, last_name, company)
         SELECT gen_random_uuid(), '{org}', 'Lead', 'No ' || n, 'Company ' || (n % 97) FROM generate_series(1, {TEAM_LEADS}) n"
    ))
    .unwrap();
    s.sql("ANALYZE leads").unwrap();
    let (grace, alan) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    s.sql(&format!(
        "INSERT INTO leads (id, organization_id, first_name, last_name, company) VALUES
         ('{grace}', '{org}', 'Grace', 'Hopper', 'Navy'), ('{alan}', '{org}', 'Alan', 'Turing', 'Bletchley')"
    ))
    .unwrap();
    let tokens = tempfile::tempdir().unwrap();
    let token_file = tokens.path().join("tokens.json");
    let app = App::start_with(
        Path::new(env!("CARGO_BIN_EXE_outpost-desktop")),
        None,
        &[("OUTPOST_TOKEN_FILE", token_file.to_str().unwrap())],
    );
    let d = &app.driver;
    wait_state(d, "local_only");

    // Settings: a service_role key is refused, the anon key accepted.
    d.click(&d.testid("nav-settings"));
    d.type_text(&d.testid("settings-url"), &s.url);
    let key = d.testid("settings-anon-key");
    d.type_text(&key, s.service_role_key());
    d.click(&d.testid("save-settings"));
    wait_for(10, "the service_role key refused", || {
        d.all("[data-testid='settings-error']").first().map(|e| d.text(e)).filter(|t| t.contains("service_role"))
    });
    d.clear(&key);
    d.type_text(&key, s.anon_key());
    let interval = d.testid("settings-interval");
    d.clear(&interval);
    // An hour: every sync below is the app reacting (sign-in, the network back, a decision), not a timer.
    d.type_text(&interval, "3600");
    d.click(&d.testid("save-settings"));
    wait_state(d, "signed_out");
    // Checked with the project, and said so plainly (an unreachable one is "saved — not checked").
    let toast =
        "return [...document.querySelectorAll(\"[data-testid='toast-item']\")].map(t => t.textContent).join(' | ')";
    let said = wait_for(10, "the saved toast", || {
        d.script(toast, serde_json::json!([]))
            .as_str()
            .filter(|t| t.contains("Sync settings saved"))
            .map(str::to_string)
    });
    assert!(!said.contains("could not be reached"), "{said}");

    // Sign in: the team's leads arrive.
    d.type_text(&d.testid("signin-email"), "ana@acme.test");
    d.type_text(&d.testid("signin-password"), "pw-ana");
    d.click(&d.testid("sign-in"));
    // The first sync shows how far it has come out of how many rows.
    let expected: usize = wait_for(20, "the first sync's progress bar", || {
        // (Read as found: the bar goes when the sync ends.)
        d.all("[data-testid='sync-progress']").pop().and_then(|bar| d.attr(&bar, "max")?.parse().ok())
    });
    assert!(expected > TEAM_LEADS, "expected {expected} rows");
    d.screenshot(&screenshots().join("14-first-sync-progress.png"));
    wait_for(20, "signed in", || {
        d.all("[data-testid='signed-in-as']").first().map(|e| d.text(e)).filter(|t| t.contains("ana@acme.test"))
    });
    assert!(
        std::fs::read_to_string(&token_file).unwrap().contains("refresh_token"),
        "tokens kept outside the database"
    );
    assert!(app.sql("SELECT count(*) FROM local_settings WHERE value LIKE '%refresh%'") == ["0"]);
    wait_for(120, "the first sync", || (state(d) == "idle").then_some(()));
    assert_eq!(app.sql("SELECT count(*) FROM leads"), [(TEAM_LEADS + 2).to_string()]);
    d.click(&d.testid("nav-leads"));
    d.find(&format!("[data-testid='lead-row'][data-id='{grace}']"));
    d.find(&format!("[data-testid='lead-row'][data-id='{alan}']"));
    d.screenshot(&screenshots().join("15-signed-in-and-synced.png"));

    // A colleague's change arrives while the list is open: the row shows it (a short pull's
    // "pulling" passed between two status events, and the list kept the old value).
    s.sql(&format!("UPDATE leads SET company = 'Harvard Mark I' WHERE id = '{grace}'")).unwrap();
    d.click(&d.testid("sync-now"));
    wait_for(30, "the open list to show the colleague's change", || {
        let row = d.find(&format!("[data-testid='lead-row'][data-id='{grace}']"));
        d.text(&row).contains("Harvard Mark I").then_some(())
    });

    // The server goes away; the rep keeps working.
    s.go_offline();
    d.click(&d.testid("sync-now"));
    wait_state(d, "offline");
    wait_for(20, "the indicator to show offline", || {
        (d.attr(&d.testid("sync-indicator"), "data-online").as_deref() == Some("false")).then_some(())
    });
    edit_company(&app, &grace.to_string(), "US Navy Reserve");
    edit_company(&app, &alan.to_string(), "GCHQ");
    // Meanwhile a colleague changes Alan's company on the server.
    s.sql(&format!("UPDATE leads SET company = 'Bletchley Park' WHERE id = '{alan}'")).unwrap();
    wait_for(10, "two changes waiting", || (d.text(&d.testid("sync-pending")).trim() == "2").then_some(()));
    d.screenshot(&screenshots().join("16-offline-with-changes-waiting.png"));

    // Back online: the app notices and syncs without being asked.
    s.come_back().unwrap();
    wait_for(60, "the offline edit on the server", || {
        (server(&s, &format!("SELECT company FROM leads WHERE id = '{grace}'")) == "US Navy Reserve").then_some(())
    });
    wait_state(d, "idle");
    wait_for(10, "one conflict", || (d.text(&d.testid("sync-conflicts")).trim() == "1").then_some(()));
    assert_eq!(server(&s, &format!("SELECT company FROM leads WHERE id = '{alan}'")), "Bletchley Park");

    // The inbox: mine vs theirs; keep mine.
    d.click(&d.testid("nav-conflicts"));
    let item = d.find("[data-testid='conflict-item'][data-column='company']");
    let text = d.text(&item);
    assert!(text.contains("GCHQ") && text.contains("Bletchley Park"), "{text}");
    // The sync's conflict, as it was: the panel, still focused on the field the rep saved, did not
    // take the pulled value for an edit of theirs (a second conflict, based on their own value).
    assert!(text.contains("Before either change: Bletchley Keep mine"), "{text}");
    assert!(d.all("[data-testid='toast'] .message").iter().all(|m| !d.text(m).contains("changed meanwhile")));
    d.screenshot(&screenshots().join("17-conflicts-inbox.png"));
    d.click(&d.find("[data-testid='conflict-item'][data-column='company'] [data-testid='keep-mine']"));
    wait_for(30, "my value on the server", || {
        (server(&s, &format!("SELECT company FROM leads WHERE id = '{alan}'")) == "GCHQ").then_some(())
    });
    d.testid("conflicts-empty");
    wait_for(10, "nothing waiting", || (d.text(&d.testid("sync-pending")).trim() == "0").then_some(()));

    // A change the server refuses (an admin made Ana a viewer meanwhile): it waits in the inbox with
    // the database's reason; once she may write again, "retry" sends it.
    s.sql("UPDATE profiles SET role = 'viewer' WHERE email = 'ana@acme.test'").unwrap();
    edit_company(&app, &grace.to_string(), "Navy Yard");
    d.click(&d.testid("sync-now"));
    wait_for(30, "one rejected change", || (d.text(&d.testid("sync-rejected")).trim() == "1").then_some(()));
    d.click(&d.testid("nav-conflicts"));
    d.testid("screen-conflicts");
    // (The screen as it was while waiting is kept: this wait timed out twice in CI's full runs and
    // never alone.)
    let mut polls = 0;
    let reason = wait_for(40, "the rejection in the inbox", || {
        let found = d.all("[data-testid='rejection-item'] [data-testid='rejection-reason']").into_iter().next();
        polls += 1;
        if found.is_none() && polls % 100 == 0 {
            d.screenshot(&screenshots().join("18-waiting-for-the-rejection.png"));
        }
        found
    });
    let reason = d.text(&reason);
    assert!(reason.contains("not permitted"), "{reason}");
    wait_for(20, "the row back to the server's copy", || {
        (app.sql(&format!("SELECT company FROM leads WHERE id = '{grace}'")) == ["US Navy Reserve"]).then_some(())
    });
    // The same sync brought her new role: the app says it can only read, and takes no import.
    let view_only = wait_for(20, "the view-only notice", || d.all("[data-testid='view-only']").pop());
    assert!(d.text(&view_only).contains("viewer"), "{}", d.text(&view_only));
    assert_eq!(d.attr(&d.testid("import-csv"), "disabled").as_deref(), Some("true"));
    d.screenshot(&screenshots().join("18-rejected-change.png"));
    s.sql("UPDATE profiles SET role = 'sales_rep' WHERE email = 'ana@acme.test'").unwrap();
    d.click(&d.testid("sync-now"));
    wait_for(30, "the notice gone with her sales role", || d.all("[data-testid='view-only']").is_empty().then_some(()));
    d.click(&d.find("[data-testid='rejection-item'] [data-testid='retry-rejection']"));
    wait_for(30, "the retried change on the server", || {
        (server(&s, &format!("SELECT company FROM leads WHERE id = '{grace}'")) == "Navy Yard").then_some(())
    });
    d.testid("conflicts-empty");

    // Sign out: the tokens are gone, the data stays.
    d.click(&d.testid("nav-settings"));
    d.click(&d.testid("sign-out"));
    wait_state(d, "signed_out");
    assert!(std::fs::metadata(&token_file).is_err(), "tokens forgotten");
    assert_eq!(app.sql("SELECT count(*) FROM leads"), [(TEAM_LEADS + 2).to_string()]);
}
