//! End to end: the real app binary under Xvfb, driven through WebKitWebDriver like a rep would —
//! create a lead, edit it, search, add a note, move it on the pipeline board — asserting on the
//! page and on the SQLite file. Screenshots of each main screen land in
//! $CARGO_TARGET_TMPDIR/screenshots.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod support;

use std::path::{Path, PathBuf};

use serde_json::json;
use support::{wait_for, Alone, App, Driver};

fn screenshots() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots")
}

/// The ids of the list's first two rows (read again if the list re-rendered meanwhile: a reload
/// after a bulk step replaces the rows under the reader).
fn first_two_rows(d: &support::Driver) -> Vec<String> {
    wait_for(10, "two rows in the list", || {
        let rows = d.all("[data-testid='lead-row']");
        rows.get(..2)?.iter().map(|r| d.attr(r, "data-id")).collect::<Option<Vec<_>>>()
    })
}

/// The value of the form field with this test id (null when there is none).
fn value(d: &support::Driver, testid: &str) -> serde_json::Value {
    d.script(&format!("return document.querySelector(\"[data-testid='{testid}']\")?.value ?? null"), json!([]))
}

/// Sets a form field's value as typing would (a date input's value cannot be typed reliably).
fn set_value(d: &support::Driver, testid: &str, value: &str) {
    d.script(
        "const [id, v] = arguments; const f = document.querySelector(`[data-testid='${id}']`);
         f.value = v; f.dispatchEvent(new Event('input', { bubbles: true }));",
        json!([testid, value]),
    );
}

/// Closes the window with its close button and waits for the app to end.
fn close_and_end(app: &App) {
    app.driver.request_close();
    wait_for(20, "the app to end", || app.rss_kib().iter().all(|(name, _)| !name.starts_with("outpost")).then_some(()));
}

fn one(app: &App, sql: &str) -> String {
    app.sql(sql).into_iter().next().unwrap_or_default()
}

/// Calls one of the app's commands from the page, as the UI does: its answer, or "error: …".
fn invoke(d: &support::Driver, cmd: &str, args: serde_json::Value) -> serde_json::Value {
    d.script_async(
        "const [cmd, args, done] = arguments;
         window.__TAURI__.core.invoke(cmd, args).then(done, e => done('error: ' + JSON.stringify(e)));",
        json!([cmd, args]),
    )
}

#[test]
fn a_rep_works_a_lead_from_creation_to_the_pipeline() {
    let app = App::start(Path::new(env!("CARGO_BIN_EXE_outpost-desktop")));
    let d = &app.driver;

    // First start: an empty database and an offer of demo data.
    d.testid("welcome");
    d.screenshot(&screenshots().join("01-welcome.png"));
    let log = std::fs::read_to_string(app.db.with_extension("log")).unwrap_or_default();
    assert!(log.contains("database open"), "the app keeps its log next to its database: {log:?}");

    // Create a lead.
    d.click(&d.testid("nav-leads"));
    d.click(&d.testid("new-lead"));
    d.type_text(&d.testid("field-first_name"), "Ada");
    d.type_text(&d.testid("field-last_name"), "Lovelace");
    d.type_text(&d.testid("field-email"), "ada@engines.example");
    d.type_text(&d.testid("field-company"), "Analytical");
    d.click(&d.testid("save-lead"));
    let id = wait_for(10, "the new lead in the database", || {
        app.sql("SELECT id FROM leads WHERE email = 'ada@engines.example'").into_iter().next()
    });
    let row = d.find(&format!("[data-testid='lead-row'][data-id='{id}']"));
    assert!(d.text(&row).contains("Ada"), "{}", d.text(&row));
    // "Assign to me" is on unless the rep unticks it.
    let me = one(&app, "SELECT value FROM local_settings WHERE key = 'user_id'");
    assert!(!me.is_empty());
    assert_eq!(one(&app, &format!("SELECT assigned_to FROM leads WHERE id = '{id}'")), me);
    // The same email again: said by the field, with the lead that has it one click away.
    d.click(&d.testid("close-detail"));
    d.click(&d.testid("new-lead"));
    d.type_text(&d.testid("field-first_name"), "Ada again");
    d.type_text(&d.testid("field-email"), "ADA@engines.example");
    d.click(&d.testid("save-lead"));
    let said = wait_for(10, "the duplicate said", || d.all("[data-testid='field-email-error']").into_iter().next());
    assert!(d.text(&said).contains("already exists") && !d.text(&said).contains("(id"), "{}", d.text(&said));
    d.click(&d.testid("open-existing"));
    d.find(&format!("[data-testid='lead-detail'][data-id='{id}']"));
    assert_eq!(one(&app, "SELECT count(*) FROM leads"), "1");
    let row = d.find(&format!("[data-testid='lead-row'][data-id='{id}']"));

    // Edit it inline in the detail panel.
    d.click(&row);
    d.find(&format!("[data-testid='lead-detail'][data-id='{id}']"));
    let company = d.testid("detail-company");
    d.clear(&company);
    d.type_text(&company, "Analytical Engines Ltd\u{E007}");
    wait_for(10, "the edit in the database", || {
        (one(&app, &format!("SELECT company FROM leads WHERE id = '{id}'")) == "Analytical Engines Ltd").then_some(())
    });
    // A deal value as people write one: what the pipeline adds up.
    d.type_text(&d.testid("detail-predicted_value"), "$12,500\u{E007}");
    wait_for(10, "the deal value", || {
        (one(&app, &format!("SELECT predicted_value FROM leads WHERE id = '{id}'")) == "12500").then_some(())
    });

    // Custom fields: a key added from the panel is saved alone, so one that reached the lead since
    // the panel read it (a teammate's, pulled) stays.
    let custom = |app: &App| one(app, &format!("SELECT custom_fields FROM leads WHERE id = '{id}'"));
    d.click(&d.testid("more-fields-toggle"));
    d.type_text(&d.testid("detail-custom_fields-new-key"), "tier");
    d.type_text(&d.testid("detail-custom_fields-new-value"), "gold");
    d.click(&d.testid("detail-custom_fields-add"));
    wait_for(10, "the custom field saved", || (custom(&app) == r#"{"tier":"gold"}"#).then_some(()));
    // (Saved is not yet shown: the boxes empty when the answer reaches the page.)
    d.find("[data-testid='custom-field'][data-key='tier']");
    let key = json!([{"element-6066-11e4-a52e-4f735466cecf": d.testid("detail-custom_fields-new-key").0}]);
    wait_for(10, "the new-key box emptied", || {
        (d.script("return arguments[0].value", key.clone()) == "").then_some(())
    });
    rusqlite::Connection::open(&app.db)
        .unwrap()
        .execute("UPDATE leads SET custom_fields = json_set(custom_fields, '$.region', 'EMEA') WHERE id = ?1", [&id])
        .unwrap();
    d.type_text(&d.testid("detail-custom_fields-new-key"), "source_event");
    d.type_text(&d.testid("detail-custom_fields-new-value"), "Expo");
    d.click(&d.testid("detail-custom_fields-add"));
    let kept = json!({"tier": "gold", "region": "EMEA", "source_event": "Expo"});
    wait_for(10, "both keys kept", || {
        (serde_json::from_str::<serde_json::Value>(&custom(&app)).ok() == Some(kept.clone())).then_some(())
    });
    d.click(&d.testid("more-fields-toggle"));

    // Typing over a value that changed meanwhile (a sync brought a teammate's): theirs stays, the
    // rep's waits as a conflict to keep or drop, and the field says so.
    let job = d.testid("detail-job_title");
    d.type_text(&job, "CTO");
    rusqlite::Connection::open(&app.db)
        .unwrap()
        .execute("UPDATE leads SET job_title = 'CEO' WHERE id = ?1", [&id])
        .unwrap();
    d.type_text(&job, "\u{E007}");
    let conflicts =
        "SELECT mine || '|' || theirs FROM sync_conflicts WHERE resolved_at IS NULL AND column_name = 'job_title'";
    wait_for(10, "the rep's value kept as a conflict", || (one(&app, conflicts) == r#""CTO"|"CEO""#).then_some(()));
    assert_eq!(one(&app, &format!("SELECT job_title FROM leads WHERE id = '{id}'")), "CEO");
    // Said under the field, which shows theirs: no error, nothing left unsaved for closing to ask
    // about (clearing it as told then wiped the teammate's value too).
    let said = d.text(&d.find("[id='detail-job_title-kept']"));
    assert!(said.contains("changed meanwhile") && said.contains("conflicts"), "{said}");
    wait_for(10, "theirs in the field", || {
        (d.script("return document.querySelector(\"[data-testid='detail-job_title']\").value", json!([])) == "CEO")
            .then_some(())
    });
    assert!(d.all("[data-testid='detail-job_title'][aria-invalid='true']").is_empty());
    // Edited again from theirs: saved, and said to replace the value that waited in Conflicts (it
    // settled the conflict without a word before).
    d.type_text(&job, " too\u{E007}");
    wait_for(10, "the edit over theirs", || {
        (one(&app, &format!("SELECT job_title FROM leads WHERE id = '{id}'")) == "CEO too").then_some(())
    });
    let said = d.text(&d.find("[id='detail-job_title-kept']"));
    assert!(said.contains("replaces the value of yours that waited in Conflicts"), "{said}");
    // A refused value is not dropped unseen when the panel closes (×): a toast keeps it in view.
    d.type_text(&d.testid("detail-website"), "not a site\u{E007}");
    d.find("[id='detail-website-error']");
    d.click(&d.testid("close-detail"));
    wait_for(10, "the refused value said", || {
        d.all("[data-testid='toast-item']")
            .into_iter()
            .find(|t| d.text(t).contains("Not saved — Website: “not a site”"))
    });
    d.click(&d.find(&format!("[data-testid='lead-row'][data-id='{id}']")));
    d.find(&format!("[data-testid='lead-detail'][data-id='{id}']"));
    // The email opens in the mail app (an empty website offers nothing to open).
    d.click(&d.testid("open-email"));
    wait_for(10, "the mail app asked for", || (app.opened_links() == ["mailto:ada@engines.example"]).then_some(()));
    assert!(d.all("[data-testid='open-website']").is_empty());

    // Add a note; it shows in the timeline and is stored as an activity.
    d.type_text(&d.testid("note-text"), "Wants a demo of the difference engine");
    d.click(&d.testid("add-note"));
    wait_for(10, "the note in the timeline", || {
        d.all("[data-testid='timeline-item']").iter().any(|t| d.text(t).contains("difference engine")).then_some(())
    });
    assert_eq!(one(&app, &format!("SELECT count(*) FROM activities WHERE lead_id = '{id}' AND type = 'note'")), "1");
    assert!(d.all("[data-testid='detail-contacted']").is_empty(), "a note is no contact");
    // A call logged: the lead was contacted, and the panel says so.
    d.click(&d.testid("tab-call"));
    d.type_text(&d.testid("call-outcome"), "Left a voicemail");
    d.click(&d.testid("add-call"));
    wait_for(10, "the panel saying the lead was contacted", || {
        d.all("[data-testid='detail-contacted']")
            .iter()
            .any(|e| d.text(e).contains("Last contacted just now"))
            .then_some(())
    });
    assert_eq!(one(&app, &format!("SELECT last_contacted_at IS NOT NULL FROM leads WHERE id = '{id}'")), "1");
    // A task without a date: on the timeline with "Mark done", which ticks it off.
    d.click(&d.testid("tab-task"));
    d.type_text(&d.testid("task-subject"), "Send revised pricing");
    d.click(&d.testid("add-task"));
    let done = wait_for(10, "the task's Mark done on the timeline", || {
        d.all("[data-testid='timeline-item'][data-type='task'] [data-testid='timeline-task-done']").into_iter().next()
    });
    d.click(&done);
    wait_for(10, "the task done", || {
        let sql = format!("SELECT completed_at IS NOT NULL FROM activities WHERE lead_id = '{id}' AND type = 'task'");
        (one(&app, &sql) == "1").then_some(())
    });
    d.find("[data-testid='task-done-mark']");
    // Ticked by mistake: the toast's Undo opens it again; then it is ticked off for good.
    let undo = d.toast_action("Done: Send revised pricing");
    d.click(&undo);
    let task_done = format!("SELECT completed_at IS NOT NULL FROM activities WHERE lead_id = '{id}' AND type = 'task'");
    wait_for(10, "the task open again", || (one(&app, &task_done) == "0").then_some(()));
    let done = wait_for(10, "Mark done again", || d.all("[data-testid='timeline-task-done']").into_iter().next());
    d.click(&done);
    wait_for(10, "the task done again", || (one(&app, &task_done) == "1").then_some(()));
    d.click(&d.testid("tab-note"));
    d.screenshot(&screenshots().join("02-lead-detail.png"));

    // Demo data, then search finds our lead among them.
    let loaded = invoke(d, "load_demo_data", json!({"count": 300}));
    assert_eq!(loaded, json!(300), "{loaded}");
    d.click(&d.testid("nav-dashboard"));
    d.click(&d.testid("nav-leads"));
    let search = d.testid("search");
    d.type_text(&search, "lovelace");
    wait_for(10, "one search result", || {
        let rows = d.all("[data-testid='lead-row']");
        (rows.len() == 1 && d.attr(&rows[0], "data-id").as_deref() == Some(id.as_str())).then_some(())
    });
    assert!(d.text(&d.testid("lead-count")).contains('1'));
    // Enter in the search box opens the first result.
    d.click(&d.testid("close-detail"));
    d.type_text(&search, "\u{E007}");
    d.find(&format!("[data-testid='lead-detail'][data-id='{id}']"));
    // A note is saved at a pause in typing, the field still being typed in (a laptop dying before
    // the rep left the field lost the whole note).
    // (Enter in the notes is a line break; WebDriver types no "\n" of its own.)
    d.type_text(&d.testid("detail-notes"), "Asked for pricing.\u{E007}");
    wait_for(10, "the note saved while typing", || {
        one(&app, &format!("SELECT notes FROM leads WHERE id = '{id}'")).ends_with("Asked for pricing.").then_some(())
    });
    let typing = d.script("return document.activeElement?.getAttribute('data-testid')", json!([]));
    assert_eq!(typing, json!("detail-notes"), "still typing");
    let field = d.script("return document.activeElement.value", json!([]));
    assert!(field.as_str().unwrap_or_default().ends_with("pricing.\n"), "the line break just typed stays: {field}");
    // Escape in a field saves what was typed, then closes the panel (it threw a long note away).
    d.type_text(&d.testid("detail-notes"), " Call after the board meeting.\u{E00C}");
    wait_for(10, "the note Escape saved", || {
        one(&app, &format!("SELECT notes FROM leads WHERE id = '{id}'")).contains("board meeting").then_some(())
    });
    wait_for(10, "the panel closed", || d.all("[data-testid='lead-detail']").is_empty().then_some(()));
    // ? lists the shortcuts (from a row, not a text field); Escape closes the list.
    d.type_text(&d.find(&format!("[data-testid='lead-row'][data-id='{id}']")), "?");
    d.type_text(&d.find("[data-testid='shortcuts'] button"), "\u{E00C}");
    wait_for(10, "the shortcuts list closed", || d.all("[data-testid='shortcuts']").is_empty().then_some(()));
    // Ctrl+K, a lead's name, Enter: the lead opens (the palette found commands only).
    d.type_text(&d.find(&format!("[data-testid='lead-row'][data-id='{id}']")), "\u{E009}k\u{E000}");
    d.type_text(&d.testid("palette-input"), "lovelace");
    wait_for(10, "the lead in the palette", || d.all(&format!("[id='palette-lead-{id}']")).into_iter().next());
    d.type_text(&d.testid("palette-input"), "\u{E007}");
    d.find(&format!("[data-testid='lead-detail'][data-id='{id}']"));
    d.clear(&search);
    d.type_text(&search, " ");
    wait_for(10, "the full list again", || (d.all("[data-testid='lead-row']").len() > 10).then_some(()));
    d.screenshot(&screenshots().join("03-leads.png"));

    // Export what the list shows (every lead, not just the rows loaded): a finished file only.
    d.click(&d.testid("export-csv"));
    let exported = wait_for(20, "the export's path", || {
        let messages = d.all("[data-testid='toast'] .message");
        messages.iter().find_map(|m| d.text(m).strip_prefix("Exported 301 leads to ").map(PathBuf::from))
    });
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(&exported)
        .unwrap_or_else(|e| panic!("{exported:?}: {e}"))
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 301, "every lead");
    assert!(rows.iter().any(|r| r.iter().any(|v| v == "ada@engines.example")));
    assert!(!exported.with_extension("csv.partial").exists());
    // The button was off while it ran: focus comes back to it (App's rescue), not left on the page.
    let focused = || d.script("return document.activeElement.dataset.testid ?? null", json!([]));
    wait_for(10, "focus back on Export", || (focused() == json!("export-csv")).then_some(()));
    d.click(&d.toast_action("Exported 301 leads"));
    let folder = exported.parent().unwrap().display().to_string();
    wait_for(10, "the folder shown", || (app.opened_links().last() == Some(&folder)).then_some(()));

    // Two leads set to one status at once, then put back with the toast's Undo.
    let picked: Vec<(String, String)> = d.all("[data-testid='lead-row']")[..2]
        .iter()
        .map(|r| {
            let lead = d.attr(r, "data-id").unwrap();
            let status = one(&app, &format!("SELECT status FROM leads WHERE id = '{lead}'"));
            (lead, status)
        })
        .collect();
    let new_status =
        ["nurturing", "unqualified", "proposal"].into_iter().find(|s| picked.iter().all(|(_, was)| was != s)).unwrap();
    for (lead, _) in &picked {
        d.click(&d.find(&format!("[data-testid='lead-row'][data-id='{lead}'] input[type='checkbox']")));
    }
    d.click(&d.find(&format!("[data-testid='bulk-status'] option[value='{new_status}']")));
    d.click(&d.testid("bulk-apply"));
    let statuses = |app: &App| -> Vec<String> {
        picked.iter().map(|(lead, _)| one(app, &format!("SELECT status FROM leads WHERE id = '{lead}'"))).collect()
    };
    wait_for(10, "the bulk change", || (statuses(&app) == [new_status, new_status]).then_some(()));
    let undo = d.toast_action("2 leads set to");
    d.click(&undo);
    let before: Vec<String> = picked.iter().map(|(_, was)| was.clone()).collect();
    wait_for(10, "the statuses back", || (statuses(&app) == before).then_some(()));

    // A tag on the first, then on both (the first has it already), off again with the Undo, which
    // leaves the first its tag; then the two exported as a file of their own.
    let has_tag = |app: &App| -> Vec<String> {
        let sql = |lead: &String| {
            format!(
                "SELECT EXISTS (SELECT 1 FROM leads l, json_each(l.tags) WHERE l.id = '{lead}' AND lower(value) = 'e2e-hot')"
            )
        };
        picked.iter().map(|(lead, _)| one(app, &sql(lead))).collect()
    };
    let tick =
        |lead: &String| d.click(&d.find(&format!("[data-testid='lead-row'][data-id='{lead}'] input[type='checkbox']")));
    let tag_toast = |text: &str| {
        wait_for(10, "the tag's toast", || {
            d.all("[data-testid='toast-item']").into_iter().find(|t| d.text(t).contains(text))
        })
    };
    tick(&picked[0].0);
    d.type_text(&d.testid("bulk-tag"), "e2e-hot\u{E007}");
    tag_toast("Tagged 1 lead “e2e-hot”");
    assert_eq!(has_tag(&app), ["1", "0"]);
    tick(&picked[1].0);
    d.type_text(&d.testid("bulk-tag"), "E2E-hot");
    d.click(&d.testid("bulk-tag-add"));
    let toast = tag_toast("Tagged 1 lead “E2E-hot” (1 other had it already)");
    // The button turned off while it ran, and stays off with the box emptied: focus is in the box.
    wait_for(10, "focus back in the tag box", || {
        (d.script("return document.activeElement.dataset.testid ?? null", json!([])) == json!("bulk-tag")).then_some(())
    });
    d.screenshot(&screenshots().join("03-bulk-tag.png"));
    assert_eq!(has_tag(&app), ["1", "1"]);
    d.click(&d.all_in(&toast, "[data-testid='toast-action']")[0]);
    wait_for(10, "the tag off where it went on, and only there", || (has_tag(&app) == ["1", "0"]).then_some(()));
    d.click(&d.testid("bulk-export"));
    let exported = wait_for(20, "the selection's file", || {
        let messages = d.all("[data-testid='toast'] .message");
        messages.iter().find_map(|m| d.text(m).strip_prefix("Exported 2 leads to ").map(PathBuf::from))
    });
    let ids: Vec<String> = csv::Reader::from_path(&exported)
        .unwrap_or_else(|e| panic!("{exported:?}: {e}"))
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    let mut want: Vec<String> = picked.iter().map(|(lead, _)| lead.clone()).collect();
    let mut got = ids.clone();
    want.sort();
    got.sort();
    assert_eq!(got, want, "the ticked leads and no others");

    // Whose they are: the two given to no one, then to the rep (the toast's Undo gives each back
    // the owner it had); the owner filter then lists them among the unassigned.
    let me = one(&app, "SELECT value FROM local_settings WHERE key = 'user_id'");
    let owners = |app: &App| -> Vec<String> {
        let sql = |lead: &String| format!("SELECT coalesce(assigned_to, '') FROM leads WHERE id = '{lead}'");
        picked.iter().map(|(lead, _)| one(app, &sql(lead))).collect()
    };
    d.click(&d.find("[data-testid='bulk-owner'] option[value='none']"));
    wait_for(10, "both unassigned", || (owners(&app) == ["", ""]).then_some(()));
    d.click(&d.find(&format!("[data-testid='bulk-owner'] option[value='{me}']")));
    let toast = tag_toast("2 leads given to Me");
    assert_eq!(owners(&app), [me.clone(), me.clone()]);
    d.click(&d.all_in(&toast, "[data-testid='toast-action']")[0]);
    wait_for(10, "each back to no one", || (owners(&app) == ["", ""]).then_some(()));
    d.click(&d.testid("bulk-clear"));
    // The bar went with the button: focus is back on the list.
    wait_for(10, "focus on a row", || (focused() == json!("lead-row")).then_some(()));
    d.click(&d.find("[data-testid='filter-owner'] option[value='unassigned']"));
    for (lead, _) in &picked {
        d.find(&format!("[data-testid='lead-row'][data-id='{lead}']"));
    }
    let unassigned = one(&app, "SELECT count(*) FROM leads WHERE deleted_at IS NULL AND assigned_to IS NULL");
    wait_for(10, "the unassigned leads counted", || {
        (d.text(&d.testid("lead-count")) == format!("{unassigned} leads")).then_some(())
    });
    d.click(&d.find("[data-testid='filter-owner'] option[value='']"));

    // Every lead the list matches, not just the rows loaded: selected, set to one status, put back.
    let all_statuses = |app: &App| app.sql("SELECT status FROM leads WHERE deleted_at IS NULL ORDER BY id");
    let originally = all_statuses(&app);
    d.click(&d.find("[role='columnheader'] input[aria-label='Select the loaded leads']"));
    d.click(&d.testid("select-all-matching"));
    wait_for(20, "every matching lead selected", || {
        (d.text(&d.testid("bulk-selected")) == "All 301 matching leads selected").then_some(())
    });
    d.click(&d.find("[data-testid='bulk-status'] option[value='nurturing']"));
    d.click(&d.testid("bulk-apply"));
    wait_for(60, "all 301 changed", || {
        (one(&app, "SELECT count(*) FROM leads WHERE deleted_at IS NULL AND status = 'nurturing'") == "301")
            .then_some(())
    });
    let undo = d.toast_action("301 leads set to");
    d.click(&undo);
    wait_for(60, "every status back, loaded rows or not", || (all_statuses(&app) == originally).then_some(()));

    // Delete… the first two rows (the change to all of them left every lead with the same last
    // update); the Undo puts exactly those back.
    for clear in d.all("[data-testid='bulk-clear']") {
        d.click(&clear);
    }
    let doomed = first_two_rows(d);
    // (The undo's reload may draw the rows anew under the clicks.)
    for lead in &doomed {
        d.click_css(&format!("[data-testid='lead-row'][data-id='{lead}'] input[type='checkbox']"));
    }
    d.click(&d.testid("bulk-delete"));
    d.click(&d.testid("bulk-delete-confirm"));
    let deleted = |app: &App| -> Vec<String> {
        let sql = |lead: &String| format!("SELECT deleted_at IS NOT NULL FROM leads WHERE id = '{lead}'");
        doomed.iter().map(|lead| one(app, &sql(lead))).collect()
    };
    wait_for(10, "both deleted", || (deleted(&app) == ["1", "1"]).then_some(()));
    let undo = d.toast_action("2 leads deleted");
    d.click(&undo);
    wait_for(10, "both back", || (deleted(&app) == ["0", "0"]).then_some(()));

    // Move it on the pipeline board by dragging its card.
    d.click(&d.testid("nav-pipeline"));
    let status_now = || one(&app, &format!("SELECT status FROM leads WHERE id = '{id}'"));
    let before = status_now();
    let drag_to_qualified = || {
        let card = d.find(&format!("[data-testid='kanban-card'][data-id='{id}']"));
        let target = d.find("[data-testid='kanban-column'][data-status='qualified']");
        d.drag(&card, &target);
        wait_for(10, "the status change in the database", || (status_now() == "qualified").then_some(()));
    };
    drag_to_qualified();
    // A slip of the mouse is taken back with the toast's Undo.
    d.click(&d.toast_action("moved to Qualified"));
    wait_for(10, "the status back", || (status_now() == before).then_some(()));
    d.dismiss_toasts();
    drag_to_qualified();
    d.find(&format!(
        "[data-testid='kanban-column'][data-status='qualified'] [data-testid='kanban-card'][data-id='{id}']"
    ));
    d.screenshot(&screenshots().join("04-pipeline.png"));
    // The arrow keys go from card to card (Tab alone went through every card).
    let column = d.all("[data-testid='kanban-column'][data-status='qualified'] [data-testid='kanban-card']");
    assert!(column.len() >= 2, "the demo data has qualified leads");
    let below = d.attr(&column[1], "data-id");
    d.type_text(&column[0], "\u{E015}");
    let focused = d.script("return document.activeElement.getAttribute('data-id')", json!([]));
    assert_eq!(focused.as_str().map(str::to_string), below, "ArrowDown moved to the card below");
    // One Tab stop on the board (the card last focused): Tab goes on rather than through every card.
    let stops = d.all("[data-testid='kanban-card'][tabindex='0']");
    assert_eq!(stops.iter().map(|c| d.attr(c, "data-id")).collect::<Vec<_>>(), std::slice::from_ref(&below));

    // A lead's message that needs an answer (a web form sent again) is on My day until handled.
    let org = one(&app, "SELECT value FROM local_settings WHERE key = 'organization_id'");
    let message = uuid::Uuid::now_v7();
    // (And a follow-up of Ada's gone overdue meanwhile, as a sync would bring it.)
    rusqlite::Connection::open(&app.db)
        .unwrap()
        .execute_batch(&format!(
        "UPDATE leads SET next_follow_up_at = '2026-01-05T09:00:00.000000Z', follow_up_reason = 'Chase the contract'
         WHERE id = '{id}'"
    ))
        .unwrap();
    rusqlite::Connection::open(&app.db).unwrap().execute_batch(&format!(
        "INSERT INTO conversations (id, organization_id, lead_id, direction, channel, platform, content, requires_action,
                                    occurred_at, created_at, updated_at)
         VALUES ('{message}', '{org}', '{id}', 'inbound', 'other', 'web_form', 'Please call me back', 1,
                 '2026-11-27T09:00:00.000000Z', '2026-11-27T09:00:00.000000Z', '2026-11-27T09:00:00.000000Z')"
    ))
    .unwrap();
    // My day's count beside its name: what is due by the end of today and the messages to answer,
    // as the database has them (read when the window is shown again, after any edit, at midnight).
    // (The end of the window's local today, as My day reckons it.)
    let end_of_today = d.script(
        "const n = new Date(), p = (x) => String(x).padStart(2, '0');
         return `${n.getFullYear()}-${p(n.getMonth() + 1)}-${p(n.getDate())}T23:59:59.999Z`",
        json!([]),
    );
    let end_of_today = end_of_today.as_str().unwrap().to_string();
    let due_now = |app: &App| {
        one(
            app,
            &format!(
                "SELECT (SELECT count(*) FROM leads WHERE deleted_at IS NULL AND next_follow_up_at <= '{end_of_today}')
                      + (SELECT count(*) FROM activities a JOIN leads l ON l.id = a.lead_id WHERE a.type = 'task'
                           AND a.completed_at IS NULL AND a.deleted_at IS NULL AND l.deleted_at IS NULL
                           AND (a.scheduled_at <= '{end_of_today}' OR a.scheduled_at IS NULL))
                      + (SELECT count(*) FROM conversations WHERE requires_action = 1 AND direction = 'inbound'
                           AND deleted_at IS NULL)"
            ),
        )
    };
    let nav_count = |d: &Driver| {
        let shown = d.script(
            "return document.querySelector(\"[data-testid='nav-myday-count']\")?.textContent.trim() ?? '0'",
            json!([]),
        );
        shown.as_str().unwrap_or_default().replace(',', "")
    };
    d.click(&d.testid("nav-myday"));
    d.testid("screen-myday");
    let expected = due_now(&app);
    wait_for(10, "My day's count", || (nav_count(d) == expected).then_some(()));
    let item = d.find(&format!("[data-testid='inbound-item'][data-id='{message}']"));
    assert!(d.text(&item).contains("Please call me back") && d.text(&item).contains("Ada"), "{}", d.text(&item));
    d.screenshot(&screenshots().join("05-my-day.png"));
    d.click(&d.find(&format!("[data-testid='inbound-item'][data-id='{message}'] [data-testid='inbound-done']")));
    wait_for(10, "the message handled", || {
        (one(&app, &format!("SELECT requires_action FROM conversations WHERE id = '{message}'")) == "0").then_some(())
    });
    let handled: i64 = expected.parse::<i64>().unwrap() - 1;
    wait_for(10, "My day's count less the message", || (nav_count(d) == handled.to_string()).then_some(()));
    // The overdue follow-up done: off the lead, kept on its timeline; the Undo puts it back, overdue.
    let follow_up = |app: &App| {
        one(app, &format!("SELECT next_follow_up_at || '|' || follow_up_reason FROM leads WHERE id = '{id}'"))
    };
    let row = d.find(&format!("[data-testid='myday-item'][data-id='{id}']"));
    let done = d.all_in(&row, "button").into_iter().find(|b| d.text(b) == "Done").unwrap();
    d.click(&done);
    wait_for(10, "the follow-up done", || (follow_up(&app).is_empty()).then_some(()));
    let kept =
        format!("SELECT subject FROM activities WHERE lead_id = '{id}' AND type = 'follow_up' AND deleted_at IS NULL");
    assert_eq!(one(&app, &kept), "Chase the contract");
    d.click(&d.toast_action("follow-up done"));
    wait_for(10, "the follow-up back", || {
        (follow_up(&app) == "2026-01-05T09:00:00.000000Z|Chase the contract").then_some(())
    });
    d.find(&format!("[data-testid='myday-item'][data-id='{id}']"));
    d.click(&d.testid("nav-dashboard"));
    d.testid("screen-dashboard");
    d.screenshot(&screenshots().join("06-dashboard.png"));
    d.click(&d.testid("nav-lists"));
    d.testid("screen-lists");
    d.screenshot(&screenshots().join("07-lists-and-campaigns.png"));
    // A list and a campaign (a name taken, in any case, is said so); two leads put in each from the
    // selection, and taken out again with the toasts' Undo.
    d.type_text(&d.testid("list-name"), "E2E Q4");
    d.click(&d.testid("create-list"));
    d.find("[data-testid='list-item']");
    d.type_text(&d.testid("list-name"), "e2e q4");
    d.click(&d.testid("create-list"));
    wait_for(10, "the name said taken", || {
        let messages = d.all("[data-testid='toast'] .message");
        messages.iter().any(|m| d.text(m) == "A list named “E2E Q4” already exists").then_some(())
    });
    d.type_text(&d.testid("campaign-name"), "E2E Spring");
    d.click(&d.testid("create-campaign"));
    d.find("[data-testid='campaign-item']");
    d.click(&d.testid("nav-leads"));
    let two = first_two_rows(d);
    let in_list = |app: &App| {
        let ids = two.iter().map(|i| format!("'{i}'")).collect::<Vec<_>>().join(",");
        let sql = format!(
            "SELECT count(*) FROM leads l JOIN lead_lists g ON g.id = l.list_id WHERE g.name = 'E2E Q4' AND l.id IN ({ids})"
        );
        one(app, &sql)
    };
    let in_campaign = |app: &App| {
        let sql = "SELECT count(*) FROM campaign_leads cl JOIN campaigns c ON c.id = cl.campaign_id
                   WHERE c.name = 'E2E Spring' AND cl.deleted_at IS NULL";
        one(app, sql)
    };
    // Ticked until both show ticked: a reload after the last step can replace a row under a click.
    let tick_two = || {
        wait_for(10, "both ticked", || {
            let mut all = true;
            for lead in &two {
                let boxes = d.all(&format!("[data-testid='lead-row'][data-id='{lead}'] input[type='checkbox']"));
                let b = boxes.first()?;
                let ticked =
                    d.script("return arguments[0].checked", json!([{"element-6066-11e4-a52e-4f735466cecf": b.0}]));
                if ticked != json!(true) {
                    all = false;
                    let _ = d.script("arguments[0].click()", json!([{"element-6066-11e4-a52e-4f735466cecf": b.0}]));
                }
            }
            (all && d.text(&d.testid("bulk-selected")).starts_with("2 leads selected")).then_some(())
        })
    };
    tick_two();
    d.click(&d.find("[data-testid='bulk-list'] option:nth-child(2)"));
    let undo = d.toast_action("2 leads put in E2E Q4");
    assert_eq!(in_list(&app), "2");
    d.click(&undo);
    wait_for(10, "out of the list again", || (in_list(&app) == "0").then_some(()));
    tick_two();
    d.click(&d.find("[data-testid='bulk-campaign'] option:nth-child(2)"));
    // (A demo lead marked do-not-contact is left out, and the toast says so.)
    let ids = two.iter().map(|i| format!("'{i}'")).collect::<Vec<_>>().join(",");
    let reachable = one(&app, &format!("SELECT count(*) FROM leads WHERE id IN ({ids}) AND do_not_contact = 0"));
    let undo = d.toast_action("added to E2E Spring");
    assert_eq!(in_campaign(&app), reachable);
    d.click(&undo);
    wait_for(10, "out of the campaign again", || (in_campaign(&app) == "0").then_some(()));

    // The two leads merged into the first (the other's value taken where the rep picks it), then
    // apart again with the Undo.
    tick_two();
    d.click(&d.testid("bulk-merge"));
    d.testid("merge-dialog");
    // Two different demo leads: at least their names differ, so one field is the rep's to pick.
    let row = wait_for(10, "the merge plan with a field to pick", || {
        d.all("[data-testid='merge-field'][data-how='choice']").into_iter().next()
    });
    let taken = d.attr(&row, "data-field").unwrap();
    d.click(&d.all_in(&row, "[data-testid='merge-take']")[0]);
    d.screenshot(&screenshots().join("07b-merge.png"));
    let live_of =
        |app: &App| one(app, &format!("SELECT count(*) FROM leads WHERE id IN ({ids}) AND deleted_at IS NULL"));
    let value =
        |f: &str, lead: &str| one(&app, &format!("SELECT CAST(\"{f}\" AS TEXT) FROM leads WHERE id = '{lead}'"));
    let before: Vec<String> = two.iter().map(|l| value(&taken, l)).collect();
    d.click(&d.testid("merge-confirm"));
    let undo = d.toast_action("Merged into");
    assert_eq!(live_of(&app), "1");
    let kept = one(&app, &format!("SELECT id FROM leads WHERE id IN ({ids}) AND deleted_at IS NULL"));
    let theirs = if kept == two[0] { &before[1] } else { &before[0] };
    assert_eq!(&value(&taken, &kept), theirs, "{taken} taken from the other lead");
    assert!(d.all("[data-testid='bulk-selected']").is_empty(), "the selection is cleared");
    d.click(&undo);
    wait_for(10, "both leads back", || (live_of(&app) == "2").then_some(()));

    // A template, and a drafted email to the lead with its variables filled in.
    d.click(&d.testid("nav-templates"));
    d.type_text(&d.testid("template-name"), "Intro");
    d.type_text(&d.testid("template-subject"), "Hello {{first_name}}");
    d.type_text(&d.testid("template-content"), "How are things at {{company}}?");
    d.click(&d.testid("save-template"));
    wait_for(10, "the template in the database", || {
        (one(&app, "SELECT count(*) FROM email_templates WHERE name = 'Intro'") == "1").then_some(())
    });
    d.screenshot(&screenshots().join("08-templates.png"));

    // The window may call the app's commands and nothing else: core plugins are not granted.
    let refused = d.script_async(
        "const done = arguments[arguments.length - 1];
         window.__TAURI__.core.invoke('plugin:event|emit', {event: 'x', payload: null})
           .then(() => done('allowed'), e => done('refused: ' + String(e)));",
        json!([]),
    );
    assert!(refused.as_str().unwrap_or_default().starts_with("refused"), "{refused}");

    // Every edit went through the store: each is a pending change for sync.
    assert_eq!(one(&app, &format!("SELECT op FROM outbox WHERE row_id = '{id}'")), "insert");

    // A deleted lead comes back with the toast's Undo, open again.
    wait_for(20, "earlier toasts with an action gone", || {
        d.all("[data-testid='toast-action']").is_empty().then_some(())
    });
    d.click(&d.testid("nav-leads"));
    d.click(&d.find(&format!("[data-testid='lead-row'][data-id='{id}']")));
    d.click(&d.testid("delete-lead"));
    d.click(&d.testid("confirm-delete"));
    wait_for(10, "the soft delete", || {
        (one(&app, &format!("SELECT deleted_at IS NOT NULL FROM leads WHERE id = '{id}'")) == "1").then_some(())
    });
    d.click(&d.toast_action("Lead deleted"));
    wait_for(10, "the restore", || {
        (one(&app, &format!("SELECT deleted_at IS NULL FROM leads WHERE id = '{id}'")) == "1").then_some(())
    });
    d.find(&format!("[data-testid='lead-detail'][data-id='{id}']"));
    d.find(&format!("[data-testid='lead-row'][data-id='{id}']"));

    // Past its toast, a deleted lead comes back from Recently deleted, and the toast opens it.
    d.click(&d.testid("delete-lead"));
    d.click(&d.testid("confirm-delete"));
    wait_for(10, "deleted again", || {
        (one(&app, &format!("SELECT deleted_at IS NOT NULL FROM leads WHERE id = '{id}'")) == "1").then_some(())
    });
    d.dismiss_toasts();
    d.click(&d.testid("nav-deleted"));
    let row = format!("[data-testid='deleted-lead'][data-id='{id}']");
    let restore = d.find(&format!("{row} [data-testid='restore']"));
    d.screenshot(&screenshots().join("09-recently-deleted.png"));
    d.click(&restore);
    wait_for(10, "restored from the screen", || {
        (one(&app, &format!("SELECT deleted_at IS NULL FROM leads WHERE id = '{id}'")) == "1").then_some(())
    });
    wait_for(10, "its row gone", || d.all(&row).is_empty().then_some(()));
    d.click(&d.toast_action(" restored"));
    d.find(&format!("[data-testid='lead-detail'][data-id='{id}']"));

    // Remove demo data (Settings): the loader's 300 leads go, a lead of the rep's tagged "demo" (a
    // demo booked) stays; the Undo brings them back.
    rusqlite::Connection::open(&app.db)
        .unwrap()
        .execute("UPDATE leads SET tags = '[\"demo\"]', source = 'demo', email = 'ada@engines.io' WHERE id = ?1", [&id])
        .unwrap();
    d.dismiss_toasts();
    d.click(&d.testid("nav-settings"));
    d.click(&d.testid("remove-demo"));
    d.click(&d.testid("remove-demo-confirm"));
    let live = |app: &App| one(app, "SELECT count(*) FROM leads WHERE deleted_at IS NULL");
    wait_for(60, "the demo leads gone", || (live(&app) == "1").then_some(()));
    assert_eq!(one(&app, &format!("SELECT deleted_at IS NULL FROM leads WHERE id = '{id}'")), "1");
    let undo = d.toast_action("300 demo leads deleted");
    d.click(&undo);
    wait_for(60, "the demo leads back", || (live(&app) == "301").then_some(()));

    // Past their Undo, the leads deleted in the last hour come back from Recently deleted whole
    // (thousands came back one click a lead).
    d.click(&d.testid("nav-settings"));
    d.click(&d.testid("remove-demo"));
    d.click(&d.testid("remove-demo-confirm"));
    wait_for(60, "the demo leads gone again", || (live(&app) == "1").then_some(()));
    d.dismiss_toasts();
    let deleted = one(&app, "SELECT count(*) FROM leads WHERE deleted_at IS NOT NULL");
    d.click(&d.testid("nav-deleted"));
    d.script(
        "const s = document.querySelector(\"[data-testid='deleted-period']\"); s.value = 'hour';
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        json!([]),
    );
    wait_for(10, "the period's count", || {
        d.all("[data-testid='deleted-total']")
            .into_iter()
            .find(|t| d.text(t) == format!("{deleted} deleted leads in the last hour"))
    });
    d.click(&d.testid("restore-all"));
    d.click(&d.testid("restore-all-confirm"));
    let all = (deleted.parse::<u32>().unwrap() + 1).to_string();
    wait_for(60, "every one of them back", || (live(&app) == all).then_some(()));
    wait_for(10, "said", || {
        d.all("[data-testid='toast-item']")
            .into_iter()
            .find(|t| d.text(t).contains(&format!("{deleted} leads restored")))
    });
    wait_for(10, "the screen empty", || d.all("[data-testid='deleted-lead']").is_empty().then_some(()));
}

/// A rep edits a lead while an import holds the database (here: another connection in the middle
/// of a write, for as long as the test likes — an import of millions of rows holds it for minutes):
/// the window says the change is queued, the lead list keeps answering, and the edit lands as soon
/// as the import commits instead of failing with "database is locked".
#[test]
fn an_edit_made_while_an_import_writes_waits_for_it_and_lands() {
    let app = App::start(Path::new(env!("CARGO_BIN_EXE_outpost-desktop")));
    let d = &app.driver;
    d.testid("welcome");
    assert_eq!(invoke(d, "load_demo_data", json!({"count": 50})), json!(50));
    let other = invoke(d, "create_lead", json!({"fields": {"first_name": "Zebulon", "last_name": "Quargle"}}));
    let other_id = other["id"].as_str().unwrap_or_else(|| panic!("{other}")).to_string();

    d.click(&d.testid("nav-dashboard"));
    d.click(&d.testid("nav-leads"));
    let row = wait_for(20, "a demo lead in the list", || {
        d.all("[data-testid='lead-row']").into_iter().find(|r| d.attr(r, "data-id").as_deref() != Some(&other_id))
    });
    let id = d.attr(&row, "data-id").unwrap();
    d.click(&row);
    d.find(&format!("[data-testid='lead-detail'][data-id='{id}']"));

    let import = rusqlite::Connection::open(&app.db).unwrap();
    import.execute_batch("BEGIN IMMEDIATE; UPDATE local_settings SET value = value;").unwrap();
    let company = d.testid("detail-company");
    d.clear(&company);
    d.type_text(&company, "Waited Ltd\u{E007}");
    wait_for(30, "the window saying the change waits for the import", || {
        d.text(&d.testid("toast")).contains("Saving as soon as").then_some(())
    });
    let search = d.testid("search");
    d.type_text(&search, "quargle");
    wait_for(10, "the lead list answering meanwhile", || {
        let rows = d.all("[data-testid='lead-row']");
        (rows.len() == 1 && d.attr(&rows[0], "data-id").as_deref() == Some(other_id.as_str())).then_some(())
    });
    assert_ne!(one(&app, &format!("SELECT company FROM leads WHERE id = '{id}'")), "Waited Ltd");

    // Closing the window now would lose the change: the window asks first.
    d.request_close();
    assert!(d.text(&d.testid("close-blocked")).contains("still being saved"), "{}", d.text(&d.testid("close-blocked")));
    d.click(&d.testid("keep-open"));
    wait_for(10, "the question gone", || d.all("[data-testid='close-blocked']").is_empty().then_some(()));

    import.execute_batch("COMMIT").unwrap();
    wait_for(30, "the edit in the database once the import committed", || {
        (one(&app, &format!("SELECT company FROM leads WHERE id = '{id}'")) == "Waited Ltd").then_some(())
    });
    let toasts = d.text(&d.testid("toast"));
    assert!(!toasts.contains("locked"), "no error: {toasts}");

    // Asked again, the rep quits anyway: the app ends, the waiting change is not written.
    import.execute_batch("BEGIN IMMEDIATE; UPDATE local_settings SET value = value;").unwrap();
    let company = d.testid("detail-company");
    d.clear(&company);
    d.type_text(&company, "Never Saved\u{E007}");
    wait_for(20, "the save under way", || {
        d.all("label[for='detail-company']").iter().any(|l| d.text(l).contains("saving")).then_some(())
    });
    d.request_close();
    d.testid("close-blocked");
    d.click_last(&d.testid("quit-anyway"));
    wait_for(20, "the app to end", || app.rss_kib().iter().all(|(name, _)| !name.starts_with("outpost")).then_some(()));
    import.execute_batch("COMMIT").unwrap();
    assert_eq!(one(&app, &format!("SELECT company FROM leads WHERE id = '{id}'")), "Waited Ltd");
}

/// Closing the window while typing in a lead's field keeps what was typed: the close saves the
/// field first, as leaving it would, then the app ends. (And a refused value, corrected, saves
/// without a false "Not saved".)
#[test]
fn closing_the_window_while_typing_keeps_what_was_typed() {
    let (app, id) = app_with_lead_open(json!({"first_name": "Ola", "company": "Before"}));
    let d = &app.driver;
    // A refused value corrected: saved as the store writes it, and no "Not saved" for the
    // refusal it replaced.
    let value = d.testid("detail-predicted_value");
    d.type_text(&value, "abc\u{E004}");
    d.testid("detail-predicted_value-error");
    // (Selected and typed over, as a rep does: clearing would save the empty field first.)
    d.script(
        "const f = document.querySelector(\"[data-testid='detail-predicted_value']\"); f.focus(); f.select();",
        json!([]),
    );
    d.type_text(&d.testid("detail-predicted_value"), "$5,000\u{E004}");
    wait_for(10, "the corrected value shown as stored", || {
        let shown =
            d.script("return document.querySelector(\"[data-testid='detail-predicted_value']\").value", json!([]));
        (shown == json!("5,000")).then_some(())
    });
    assert_eq!(one(&app, &format!("SELECT predicted_value FROM leads WHERE id = '{id}'")), "5000");
    let toasts: Vec<String> = d.all("[data-testid='toast-item']").iter().map(|t| d.text(t)).collect();
    assert!(!toasts.iter().any(|t| t.contains("Not saved")), "{toasts:?}");

    // A value the store refuses keeps the window open, shown (closing would drop it unseen).
    let website = d.testid("detail-website");
    d.type_text(&website, "javascript:alert(1)");
    d.request_close();
    wait_for(10, "the refusal said", || {
        d.all("[data-testid='toast-item']").iter().any(|t| d.text(t).contains("A value was not saved")).then_some(())
    });
    d.testid("detail-website-error");
    d.script("const f = document.querySelector(\"[data-testid='detail-website']\"); f.focus(); f.select();", json!([]));
    d.type_text(&d.testid("detail-website"), "ola.example\u{E004}");
    wait_for(10, "the corrected site saved", || {
        (one(&app, &format!("SELECT website FROM leads WHERE id = '{id}'")) == "ola.example").then_some(())
    });

    // A new lead typed and not created: closing asks first (it was dropped without a word).
    d.click(&d.testid("new-lead"));
    d.type_text(&d.testid("field-first_name"), "Nia");
    d.request_close();
    let asked = d.text(&d.testid("close-blocked"));
    assert!(asked.contains("A new lead is not created yet") && asked.contains("“Nia”"), "{asked}");
    d.click(&d.testid("keep-open"));
    wait_for(10, "the question gone", || d.all("[data-testid='close-blocked']").is_empty().then_some(()));
    assert_eq!(d.script("return document.querySelector(\"[data-testid='field-first_name']\").value", json!([])), "Nia");
    d.click(&d.testid("cancel-lead"));

    // A custom field typed in the new boxes, not added, is added as the window closes.
    if d.attr(&d.testid("more-fields"), "open").is_none() {
        d.click(&d.testid("more-fields-toggle"));
    }
    d.type_text(&d.testid("detail-custom_fields-new-key"), "Budget owner");
    d.type_text(&d.testid("detail-custom_fields-new-value"), "Jane CFO");
    let company = d.testid("detail-company");
    d.clear(&company);
    // Typed, not left: no blur, no Enter.
    d.type_text(&company, "Typed Then Closed");
    close_and_end(&app);
    assert_eq!(one(&app, &format!("SELECT company FROM leads WHERE id = '{id}'")), "Typed Then Closed");
    let custom = format!("SELECT json_extract(custom_fields, '$.\"Budget owner\"') FROM leads WHERE id = '{id}'");
    assert_eq!(one(&app, &custom), "Jane CFO");
}

/// Opening another lead with a custom field typed and not added, or an email drafted and not
/// logged: the field is added, the draft is there again on coming back.
#[test]
fn switching_leads_keeps_a_typed_custom_field_and_an_email_draft() {
    let app = App::start(Path::new(env!("CARGO_BIN_EXE_outpost-desktop")));
    let d = &app.driver;
    d.testid("welcome");
    let a = invoke(d, "create_lead", json!({"fields": {"first_name": "Ann", "email": "ann@a.test"}}))["id"]
        .as_str()
        .unwrap()
        .to_string();
    let b = invoke(d, "create_lead", json!({"fields": {"first_name": "Ben"}}))["id"].as_str().unwrap().to_string();
    let t = invoke(
        d,
        "save_template",
        json!({"id": null, "name": "Hi", "subject": "Hi {{first_name}}", "content": "Hello"}),
    );
    assert!(t["id"].is_string(), "{t}");
    d.click(&d.testid("nav-dashboard"));
    d.click(&d.testid("nav-leads"));
    let row = |id: &str| d.find(&format!("[data-testid='lead-row'][data-id='{id}']"));
    d.click(&row(&a));
    d.find(&format!("[data-testid='lead-detail'][data-id='{a}']"));
    if d.attr(&d.testid("more-fields"), "open").is_none() {
        d.click(&d.testid("more-fields-toggle"));
    }
    d.type_text(&d.testid("detail-custom_fields-new-key"), "Budget owner");
    d.type_text(&d.testid("detail-custom_fields-new-value"), "Jane CFO");
    d.click(&d.testid("email-tab"));
    d.click(&d.find("[data-testid='email-template'] option:nth-child(2)"));
    let body = wait_for(10, "the draft", || d.all("[data-testid='draft-body']").pop());
    d.type_text(&body, " — see you Tuesday");

    d.click(&row(&b));
    d.find(&format!("[data-testid='lead-detail'][data-id='{b}']"));
    wait_for(10, "the custom field added to Ann", || {
        one(&app, &format!("SELECT json_extract(custom_fields, '$.\"Budget owner\"') FROM leads WHERE id = '{a}'"))
            .eq("Jane CFO")
            .then_some(())
    });
    d.click(&row(&a));
    d.find(&format!("[data-testid='lead-detail'][data-id='{a}']"));
    let body = wait_for(10, "the draft again", || d.all("[data-testid='draft-body']").pop());
    let text = d.script("return arguments[0].value", json!([{"element-6066-11e4-a52e-4f735466cecf": body.0}]));
    assert_eq!(text, json!("Hello — see you Tuesday"));

    // Logged, the draft goes and focus waits on the template picker for the next one.
    d.click(&d.testid("log-email"));
    wait_for(10, "focus on the template picker", || {
        let focused = d.script("return document.activeElement.dataset.testid", json!([]));
        (focused == json!("email-template")).then_some(())
    });
    assert_eq!(one(&app, &format!("SELECT emails_sent_count FROM leads WHERE id = '{a}'")), "1");
    assert!(d.all("[data-testid='draft-body']").is_empty());
}

/// A lead who opted out writes back: the Email tab says an email to them is not logged, yet their
/// reply is — on the timeline as a reply, counted on the lead.
#[test]
fn a_reply_from_a_lead_not_to_be_contacted_is_logged() {
    let app = App::start(Path::new(env!("CARGO_BIN_EXE_outpost-desktop")));
    let d = &app.driver;
    d.testid("welcome");
    let fields = json!({"first_name": "Ann", "email": "ann@a.test", "do_not_contact": true});
    let a = invoke(d, "create_lead", json!({ "fields": fields }))["id"].as_str().unwrap().to_string();
    d.click(&d.testid("nav-dashboard"));
    d.click(&d.testid("nav-leads"));
    d.click(&d.find(&format!("[data-testid='lead-row'][data-id='{a}']")));
    d.find(&format!("[data-testid='lead-detail'][data-id='{a}']"));
    d.click(&d.testid("email-tab"));
    d.testid("email-dnc");
    let off = |el: &support::El| {
        d.script("return arguments[0].disabled", json!([{"element-6066-11e4-a52e-4f735466cecf": el.0}]))
    };
    assert_eq!(off(&d.testid("log-reply")), json!(true), "nothing typed yet");
    d.type_text(&d.testid("reply-subject"), "Re: your email");
    assert_eq!(off(&d.testid("log-reply")), json!(true), "a subject alone is not a reply");
    d.type_text(&d.testid("reply-body"), "Please take me off your list");
    d.click(&d.testid("log-reply"));
    let item = wait_for(10, "the reply on the timeline", || {
        d.all("[data-testid='timeline-item'][data-type='email_inbound']").pop()
    });
    let text = d.text(&item);
    assert!(text.contains("Reply") && text.contains("Please take me off your list"), "{text}");
    assert_eq!(
        one(&app, &format!("SELECT reply_count || '/' || emails_sent_count FROM leads WHERE id = '{a}'")),
        "1/0"
    );
    let typed = d.script(
        "return arguments[0].value",
        json!([{"element-6066-11e4-a52e-4f735466cecf": d.testid("reply-body").0}]),
    );
    assert_eq!(typed, json!(""), "the form is emptied once logged");
    let focused = d.script("return document.activeElement.dataset.testid", json!([]));
    assert_eq!(focused, json!("reply-body"), "ready for the next one");

    // Enter in the subject logs nothing (the rep may still be writing); Ctrl+Enter twice in a row
    // logs the reply once.
    d.type_text(&d.testid("reply-body"), "Stop it");
    d.type_text(&d.testid("reply-subject"), "Re: again\u{E007}");
    d.type_text(&d.testid("reply-body"), " now\u{E009}\u{E007}\u{E007}\u{E000}");
    wait_for(10, "the panel counting two replies", || {
        let line = "return document.querySelector(\"[data-testid='detail-contacted']\")?.textContent ?? ''";
        d.script(line, json!([])).as_str().is_some_and(|t| t.contains("2 replies")).then_some(())
    });
    assert_eq!(one(&app, &format!("SELECT reply_count FROM leads WHERE id = '{a}'")), "2");
    let logged = format!("SELECT count(*) || ' ' || max(description) FROM activities WHERE lead_id = '{a}'");
    assert_eq!(one(&app, &logged), "2 Stop it now", "logged once each, whole");

    // A reply that came days ago, logged now: on the timeline as of its day, not the lead's last.
    let last = one(&app, &format!("SELECT last_reply_at FROM leads WHERE id = '{a}'"));
    d.type_text(&d.testid("reply-body"), "An old one");
    set_value(d, "reply-day", "2026-11-02");
    d.click(&d.testid("log-reply"));
    wait_for(10, "the old reply logged", || {
        let day = format!("SELECT completed_at FROM activities WHERE lead_id = '{a}' AND description = 'An old one'");
        (one(&app, &day) == "2026-11-02T12:00:00.000000Z").then_some(())
    });
    // Its day alone on the timeline: no time of day was given.
    let when = "return [...document.querySelectorAll(\"[data-testid='timeline-item']\")]
        .find(e => e.textContent.includes('An old one'))?.querySelector('.when')?.textContent ?? ''";
    let when = wait_for(10, "the old reply on the timeline", || {
        d.script(when, json!([])).as_str().filter(|t| !t.is_empty()).map(str::to_string)
    });
    assert!(when.contains("2026") && !when.contains(':'), "{when}");
    let counts = format!("SELECT reply_count || ' ' || last_reply_at FROM leads WHERE id = '{a}'");
    assert_eq!(one(&app, &counts), format!("3 {last}"));
    let day = "return document.querySelector(\"[data-testid='reply-day']\").value";
    assert_eq!(d.script(day, json!([])), json!(""), "the day is cleared with the reply");

    // A day still to come is said by the field, and nothing is logged.
    d.type_text(&d.testid("reply-body"), "From the future");
    set_value(d, "reply-day", "2999-01-01");
    d.click(&d.testid("log-reply"));
    let said = wait_for(10, "the day's refusal by the field", || d.all("[data-testid='reply-day-error']").pop());
    assert!(d.text(&said).contains("still to come"), "{}", d.text(&said));
    assert_eq!(one(&app, &format!("SELECT reply_count FROM leads WHERE id = '{a}'")), "3");

    // A long reply pasted in is seen whole: the box grows with it (up to a limit).
    let height = || d.script("return document.querySelector(\"[data-testid='reply-body']\").clientHeight", json!([]));
    let before = height().as_f64().unwrap_or_default();
    set_value(d, "reply-body", &"A line of their answer\n".repeat(10));
    let grown = wait_for(10, "the reply box grown", || {
        let now = height().as_f64().unwrap_or_default();
        (now > before + 60.0).then_some(now)
    });
    assert!(grown <= 330.0, "{grown}");
}

/// An email logged on the wrong lead is deleted from its timeline: the lead's count and last
/// contact go with it, focus stays on the timeline, and the Undo brings both back.
#[test]
fn an_activity_logged_by_mistake_is_deleted_and_the_undo_brings_it_back() {
    let app = App::start(Path::new(env!("CARGO_BIN_EXE_outpost-desktop")));
    let d = &app.driver;
    d.testid("welcome");
    let ann = invoke(d, "create_lead", json!({"fields": {"first_name": "Ann", "email": "ann@a.test"}}))["id"]
        .as_str()
        .unwrap()
        .to_string();
    let email = invoke(d, "log_email", json!({"leadId": ann, "subject": "Pricing", "body": "Meant for Bo"}));
    let email = email["id"].as_str().unwrap_or_else(|| panic!("{email}")).to_string();
    let long = (1..=12).map(|i| format!("Point {i} of the call")).collect::<Vec<_>>().join("\n");
    let note = json!({"lead_id": ann, "kind": "note", "subject": null, "description": long,
                      "scheduled_at": null, "done_at": null});
    invoke(d, "add_activity", json!({ "activity": note }));
    invoke(d, "log_reply", json!({"leadId": ann, "subject": "", "body": "Thanks!"}));
    let counts = format!(
        "SELECT emails_sent_count || '/' || reply_count || '/' || coalesce(last_contacted_at, '-') FROM leads WHERE id = '{ann}'"
    );
    let logged = one(&app, &counts);
    assert!(logged.starts_with("1/1/2"), "{logged}");
    d.click(&d.testid("nav-dashboard"));
    d.click(&d.testid("nav-leads"));
    d.click(&d.find(&format!("[data-testid='lead-row'][data-id='{ann}']")));
    d.find(&format!("[data-testid='lead-detail'][data-id='{ann}']"));
    // A long note shows its first lines until opened.
    let more = wait_for(10, "the long note's Show more", || d.all("[data-testid='timeline-more']").pop());
    assert_eq!(d.attr(&more, "aria-expanded").as_deref(), Some("false"));
    d.click(&more);
    assert_eq!(d.attr(&d.testid("timeline-more"), "aria-expanded").as_deref(), Some("true"));
    let item =
        wait_for(10, "the email on the timeline", || d.all("[data-testid='timeline-item'][data-type='email']").pop());
    d.click(&d.all_in(&item, "[data-testid='timeline-delete']")[0]);
    wait_for(10, "the email gone from the timeline", || {
        d.all("[data-testid='timeline-item'][data-type='email']").is_empty().then_some(())
    });
    assert_eq!(one(&app, &counts), "0/1/-", "the reply stays; the email's count and contact go");
    let focused = d.script("return document.activeElement.dataset.testid", json!([]));
    assert_eq!(focused, json!("timeline-delete"), "focus on the next entry's Delete, not the page");

    d.click(&d.toast_action("Email on Ann deleted"));
    wait_for(10, "the email back on the timeline", || d.all("[data-testid='timeline-item'][data-type='email']").pop());
    assert_eq!(one(&app, &counts), logged);
    assert_eq!(one(&app, &format!("SELECT deleted_at IS NULL FROM activities WHERE id = '{email}'")), "1");
}

/// Text typed in a lead's activity forms and not logged survives closing the window: the app
/// started again has it back in the forms, on the tab it was typed in; logged, it is forgotten.
#[test]
fn activity_drafts_are_there_after_closing_and_starting_again() {
    let binary = Path::new(env!("CARGO_BIN_EXE_outpost-desktop"));
    let first = App::start(binary);
    let d = &first.driver;
    d.testid("welcome");
    let ann = invoke(d, "create_lead", json!({"fields": {"first_name": "Ann"}}))["id"].as_str().unwrap().to_string();
    let ben = invoke(d, "create_lead", json!({"fields": {"first_name": "Ben"}}))["id"].as_str().unwrap().to_string();
    d.click(&d.testid("nav-dashboard"));
    d.click(&d.testid("nav-leads"));
    let open = |d: &support::Driver, id: &str| {
        d.click(&d.find(&format!("[data-testid='lead-row'][data-id='{id}']")));
        d.find(&format!("[data-testid='lead-detail'][data-id='{id}']"));
    };
    open(d, &ann);
    // The tabs move with the arrow keys (a tab list: one Tab stop, arrows between them).
    let focused = || d.script("return document.activeElement.dataset.testid", json!([]));
    d.type_text(&d.testid("tab-note"), "\u{E014}");
    assert_eq!(focused(), json!("tab-task"));
    d.type_text(&d.testid("tab-task"), "\u{E011}");
    assert_eq!(focused(), json!("tab-note"));
    d.type_text(&d.testid("tab-note"), "\u{E012}");
    assert_eq!(focused(), json!("email-tab"), "left from the first wraps to the last");
    d.click(&d.testid("tab-note"));
    d.type_text(&d.testid("note-text"), "Voicemail again, try Friday");
    // Looked at the Call tab, typed nothing there: the Note tab says it holds text not logged.
    d.click(&d.testid("tab-call"));
    d.find("[data-testid='tab-note'] [data-testid='tab-unsaved']");
    open(d, &ben);
    d.click(&d.testid("tab-call"));
    d.type_text(&d.testid("call-subject"), "Intro call");
    // Typed, not paused: the close writes it.
    d.type_text(&d.testid("call-outcome"), "Wants pricing by Monday");
    close_and_end(&first);
    assert_eq!(one(&first, "SELECT count(*) FROM activity_drafts"), "2");
    assert_eq!(one(&first, "SELECT count(*) FROM activities"), "0", "nothing logged");

    let again = App::start_on(binary, Some(&first.db));
    let d = &again.driver;
    d.click(&d.testid("nav-leads"));
    open(d, &ben);
    wait_for(10, "Ben's call back in its form", || {
        (value(d, "call-outcome") == json!("Wants pricing by Monday")).then_some(())
    });
    assert_eq!(value(d, "call-subject"), json!("Intro call"));
    // Ann's panel opens on the tab typed in, not the one last looked at.
    open(d, &ann);
    wait_for(10, "Ann's note back", || (value(d, "note-text") == json!("Voicemail again, try Friday")).then_some(()));
    d.click(&d.testid("add-note"));
    wait_for(10, "the note on the timeline", || d.all("[data-testid='timeline-item'][data-type='note']").pop());
    wait_for(10, "Ann's draft forgotten once logged", || {
        (one(&again, "SELECT group_concat(lead_id) FROM activity_drafts") == ben).then_some(())
    });
}

/// A lead an import made although another had its email offers, in its panel, to merge with that
/// lead; merged, the panel shows the lead kept.
#[test]
fn a_possible_duplicate_is_merged_from_its_panel() {
    let app = App::start(Path::new(env!("CARGO_BIN_EXE_outpost-desktop")));
    let d = &app.driver;
    d.testid("welcome");
    let original = invoke(
        d,
        "create_lead",
        json!({"fields": {"first_name": "Dana", "last_name": "Lee", "email": "dana@lee.test"}}),
    );
    let original = original["id"].as_str().unwrap().to_string();
    let fields = json!({"first_name": "Dana", "company": "Lee Design", "tags": ["possible-duplicate"],
                        "custom_fields": {"duplicate_email": "dana@lee.test"}});
    let dup = invoke(d, "create_lead", json!({ "fields": fields }))["id"].as_str().unwrap().to_string();
    d.click(&d.testid("nav-dashboard"));
    d.click(&d.testid("nav-leads"));
    d.click(&d.find(&format!("[data-testid='lead-row'][data-id='{dup}']")));
    let notice = d.testid("detail-duplicate");
    assert!(d.text(&notice).contains("Possibly the same person as Dana Lee"), "{}", d.text(&notice));
    // A note begun on the lead merged away goes with it to the lead kept.
    d.type_text(&d.testid("note-text"), "Met at the fair");
    d.click(&d.testid("detail-merge"));
    d.testid("merge-dialog");
    wait_for(10, "the merge plan", || d.all("[data-testid='merge-field']").first().cloned());
    d.click(&d.testid("merge-confirm"));
    d.find(&format!("[data-testid='lead-detail'][data-id='{original}']"));
    assert_eq!(one(&app, &format!("SELECT deleted_at IS NOT NULL FROM leads WHERE id = '{dup}'")), "1");
    assert_eq!(
        one(&app, &format!("SELECT company || '|' || tags FROM leads WHERE id = '{original}'")),
        "Lee Design|[]"
    );
    assert!(d.all("[data-testid='detail-duplicate']").is_empty());
    wait_for(10, "the note begun, in the kept lead's form", || {
        (value(d, "note-text") == json!("Met at the fair")).then_some(())
    });
    let kept = "SELECT group_concat(lead_id) FROM activity_drafts";
    wait_for(10, "the draft kept under the lead kept", || (one(&app, kept) == original).then_some(()));
}

/// A list is renamed in place and deleted from the Lists screen; the toast's Undo brings it back
/// with its leads, and the lead's panel names its list.
#[test]
fn a_list_is_renamed_deleted_and_brought_back() {
    let app = App::start(Path::new(env!("CARGO_BIN_EXE_outpost-desktop")));
    let d = &app.driver;
    d.testid("welcome");
    let lead = invoke(d, "create_lead", json!({"fields": {"first_name": "Ann", "email": "ann@lists.test"}}));
    let lead = lead["id"].as_str().unwrap().to_string();
    let list = invoke(d, "create_list", json!({"name": "Q3 targets", "description": null}));
    let list = list["id"].as_str().unwrap().to_string();
    invoke(d, "assign_to_list", json!({"listId": list, "leadIds": [lead]}));
    d.click(&d.testid("nav-lists"));
    let item = format!("[data-testid='list-item'][data-id='{list}']");
    d.click(&d.find(&format!("{item} [data-testid='rename-list']")));
    // (Its old name is selected: typing replaces it. A WebDriver clear would leave the box, which saves.)
    d.type_text(&d.testid("rename-box"), "Q4 targets\u{E007}");
    let name = |app: &App| {
        one(app, &format!("SELECT name || '|' || (deleted_at IS NULL) FROM lead_lists WHERE id = '{list}'"))
    };
    wait_for(10, "the list renamed", || (name(&app) == "Q4 targets|1").then_some(()));
    // (Shown renamed once the lists are read again: the box stays until then.)
    wait_for(10, "the row renamed", || {
        let shown = d.all(&format!("{item} button.main")).first().and_then(|b| d.attr(b, "title"));
        (shown.as_deref() == Some("Show the leads of “Q4 targets”")).then_some(())
    });
    d.click(&d.find(&format!("{item} [data-testid='delete-list']")));
    wait_for(10, "the list deleted", || (name(&app) == "Q4 targets|0").then_some(()));
    wait_for(10, "the row gone", || d.all(&item).is_empty().then_some(()));
    d.click(&d.toast_action("List “Q4 targets” deleted — 1 lead now in no list"));
    d.find(&item);
    assert_eq!(name(&app), "Q4 targets|1");
    d.dismiss_toasts();
    d.screenshot(&screenshots().join("20-lists-renamed.png"));
    d.click(&d.testid("nav-leads"));
    d.click(&d.find(&format!("[data-testid='lead-row'][data-id='{lead}']")));
    let groups = d.testid("detail-groups");
    // (Read from its tooltip: WebKit's WebDriver reads no text from a box that clips its overflow.)
    assert_eq!(d.attr(&groups, "title").as_deref(), Some("List: Q4 targets"));
    d.screenshot(&screenshots().join("21-lead-in-list.png"));

    // The bulk bar's list menu by keyboard: looking through it with the arrows moves no one (WebKit
    // fires `change` on each arrow); Enter does.
    let webinar = invoke(d, "create_list", json!({"name": "Webinar", "description": null}));
    let webinar = webinar["id"].as_str().unwrap().to_string();
    d.click(&d.find(&format!("[data-testid='lead-row'][data-id='{lead}'] input[type='checkbox']")));
    let menu = d.testid("bulk-list");
    d.type_text(&menu, "\u{E015}\u{E015}");
    let list_of = |app: &App| one(app, &format!("SELECT list_id FROM leads WHERE id = '{lead}'"));
    // (The old menu ran the choice and showed its prompt again at once: its value was "".)
    let shown = d.script("return arguments[0].value", json!([{"element-6066-11e4-a52e-4f735466cecf": menu.0}]));
    assert_eq!(shown, json!(webinar), "the menu holds the choice, not run yet");
    assert_eq!(list_of(&app), list, "arrows alone moved the lead");
    d.type_text(&menu, "\u{E007}");
    wait_for(10, "the lead moved by Enter", || (list_of(&app) == webinar).then_some(()));
}

/// An email template being written survives closing the window: a new one and the edits to a
/// saved one are back after a restart; saving forgets them.
#[test]
fn template_edits_not_saved_are_there_after_closing_and_starting_again() {
    let binary = Path::new(env!("CARGO_BIN_EXE_outpost-desktop"));
    let first = App::start(binary);
    let d = &first.driver;
    d.testid("welcome");
    let intro = invoke(d, "save_template", json!({"id": null, "name": "Intro", "subject": "Hi", "content": "Hello"}));
    let intro = intro["id"].as_str().unwrap_or_else(|| panic!("{intro}")).to_string();
    let item = |d: &support::Driver| d.find(&format!("[data-testid='template-item'][data-id='{intro}']"));
    d.click(&d.testid("nav-templates"));
    d.click(&item(d));
    d.type_text(&d.testid("template-content"), " and welcome");
    d.click(&d.testid("new-template"));
    d.type_text(&d.testid("template-name"), "Follow-up");
    d.type_text(&d.testid("template-content"), "Just checking in");
    close_and_end(&first);
    assert_eq!(one(&first, "SELECT count(*) FROM template_drafts"), "2");
    assert_eq!(one(&first, "SELECT content FROM email_templates"), "Hello", "nothing saved");

    let again = App::start_on(binary, Some(&first.db));
    let d = &again.driver;
    d.click(&d.testid("nav-templates"));
    wait_for(10, "the new template back", || (value(d, "template-name") == json!("Follow-up")).then_some(()));
    assert_eq!(value(d, "template-content"), json!("Just checking in"));
    // The list marks the template holding edits not saved.
    d.find(&format!("[data-testid='template-item'][data-id='{intro}'] [data-testid='template-unsaved']"));
    d.click(&item(d));
    wait_for(10, "Intro's edits back", || (value(d, "template-content") == json!("Hello and welcome")).then_some(()));
    d.click(&d.testid("save-template"));
    wait_for(10, "Intro saved and its draft forgotten", || {
        let kept = one(&again, &format!("SELECT count(*) FROM template_drafts WHERE template_key = '{intro}'"));
        (one(&again, "SELECT content FROM email_templates") == "Hello and welcome" && kept == "0").then_some(())
    });
}

/// A note typed while another Outpost holds the database is kept once it lets go; closing meanwhile
/// asks, and "Keep Outpost open" keeps it open — what is typed after is kept too.
#[test]
fn keeping_the_window_open_while_a_draft_waits_keeps_it_open() {
    let app = App::start(Path::new(env!("CARGO_BIN_EXE_outpost-desktop")));
    let d = &app.driver;
    d.testid("welcome");
    let ann = invoke(d, "create_lead", json!({"fields": {"first_name": "Ann"}}))["id"].as_str().unwrap().to_string();
    d.click(&d.testid("nav-dashboard"));
    d.click(&d.testid("nav-leads"));
    d.click(&d.find(&format!("[data-testid='lead-row'][data-id='{ann}']")));
    d.find(&format!("[data-testid='lead-detail'][data-id='{ann}']"));

    let other = rusqlite::Connection::open(&app.db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE; UPDATE local_settings SET value = value;").unwrap();
    d.type_text(&d.testid("note-text"), "First part");
    d.request_close();
    let asked = wait_for(30, "the window asking", || d.all("[data-testid='close-blocked']").pop());
    assert!(d.text(&asked).contains("still being saved"), "{}", d.text(&asked));
    d.click(&d.testid("keep-open"));
    let focused = d.script("return document.activeElement.dataset.testid", json!([]));
    assert_eq!(focused, json!("note-text"), "back where the rep was typing");
    other.execute_batch("COMMIT").unwrap();
    let kept = format!("SELECT json_extract(draft, '$.note') FROM activity_drafts WHERE lead_id = '{ann}'");
    wait_for(20, "the draft written once the database is free", || (one(&app, &kept) == "First part").then_some(()));
    d.type_text(&d.testid("note-text"), ", then more");
    wait_for(20, "what was typed after, kept: the window stayed open", || {
        (one(&app, &kept) == "First part, then more").then_some(())
    });
}

/// A database the app cannot open (here: not an Outpost database) is said in a window and in the
/// log, and the app waits for the rep to read it; the file is left as it was. (It exited at once,
/// saying it only on stderr: a rep who opened it from the desktop saw nothing.)
#[test]
fn a_database_that_cannot_be_opened_is_said_in_a_window() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("outpost.db");
    let garbage: Vec<u8> = (0..65_536u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(&db, &garbage).unwrap();
    let app = Alone::start(Path::new(env!("CARGO_BIN_EXE_outpost-desktop")), &db, dir.path());
    let shown = wait_for(60, "the window saying why", || {
        let shown = app.shown_windows();
        shown.iter().any(|t| t == "Outpost cannot open its database").then_some(shown)
    });
    assert!(!shown.iter().any(|t| t == "Outpost"), "no empty main window beside it: {shown:?}");
    let log = std::fs::read_to_string(db.with_extension("log")).unwrap_or_default();
    assert!(log.contains("not an Outpost database"), "{log}");
    assert_eq!(std::fs::read(&db).unwrap(), garbage, "the file is left as it was");
}

/// A lead deleted by another Outpost on the same database (the command line) while its panel is
/// open: a save to it closes the panel saying the lead was deleted meanwhile, with Restore, and the
/// typed value is kept in view (it said only "No lead <id>" under the field).
#[test]
fn a_save_to_a_lead_deleted_elsewhere_says_so() {
    let (app, id) = app_with_lead_open(json!({"first_name": "Gil", "company": "Before"}));
    let d = &app.driver;
    // (Through the store, as the command line deletes.)
    outpost_core::Store::open(&app.db).unwrap().remove::<outpost_core::Lead>(&id).unwrap();
    d.type_text(&d.testid("detail-job_title"), "CTO\u{E007}");
    d.toast_action("“Gil” was deleted meanwhile");
    wait_for(10, "the panel closed", || d.all("[data-testid='lead-detail']").is_empty().then_some(()));
    let said =
        d.text(&d.all("[data-testid='toast-item']").into_iter().find(|t| d.text(t).contains("meanwhile")).unwrap());
    assert!(said.contains("Job title “CTO” not saved"), "the typed value in view: {said}");
}

/// The app on a fresh database with one lead made of `fields`, its panel open from the list; the
/// lead's id.
fn app_with_lead_open(fields: serde_json::Value) -> (App, String) {
    let app = App::start(Path::new(env!("CARGO_BIN_EXE_outpost-desktop")));
    let d = &app.driver;
    d.testid("welcome");
    let made = invoke(d, "create_lead", json!({ "fields": fields }));
    let id = made["id"].as_str().unwrap_or_else(|| panic!("{made}")).to_string();
    d.click(&d.testid("nav-dashboard"));
    d.click(&d.testid("nav-leads"));
    d.click(&d.find(&format!("[data-testid='lead-row'][data-id='{id}']")));
    d.find(&format!("[data-testid='lead-detail'][data-id='{id}']"));
    (app, id)
}
