//! End to end: CSV files dropped on the real app's window (the native drop event, emitted as the
//! window would) go through the import wizard — detected encoding and delimiter, preview, mapping
//! override, dry run with the rows left out saved as CSV, import, Cancel, undo — and the import
//! history; a file nobody dropped is not read. Screenshots of each wizard step land in $CARGO_TARGET_TMPDIR/screenshots.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod support;

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;
use support::{wait_for, App, Driver};

fn screenshots() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots")
}

fn one(app: &App, sql: &str) -> String {
    app.sql(sql).into_iter().next().unwrap_or_default()
}

fn live_leads(app: &App) -> String {
    one(app, "SELECT count(*) FROM leads WHERE deleted_at IS NULL")
}

fn value(d: &Driver, testid: &str) -> String {
    d.testid(testid);
    let v = d.script("return document.querySelector(`[data-testid='${arguments[0]}']`).value", json!([testid]));
    v.as_str().unwrap_or_default().to_string()
}

/// The window's drop event, as Tauri emits it when files land on the window (DESKTOP.md).
fn drop_files(d: &Driver, paths: &[&Path]) {
    let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    d.find("html[data-drop-ready='true']");
    let r = d.script_async(
        "const done = arguments[arguments.length - 1];
         window.__TAURI__.event.emitTo('main', 'tauri://drag-drop', {paths: arguments[0], position: {x: 10, y: 10}})
           .then(() => done('ok'), e => done('error: ' + String(e)));",
        json!([paths]),
    );
    assert_eq!(r, json!("ok"));
}

/// Waits for the wizard to show `file`, then goes on to its last step (the check and Start).
fn to_last_step(d: &Driver, file: &str) {
    wait_for(10, file, || text_of(d, "import-file-name").contains(file).then_some(()));
    for _ in 0..3 {
        next_step(d);
    }
}

fn click_testid(d: &Driver, id: &str) {
    d.click(&d.testid(id));
}

/// Next is disabled until the file's preview is read (a few hundred thousand rows take a moment):
/// a click before that does nothing, and the steps after it would land one short.
fn next_step(d: &Driver) {
    let next = wait_for(30, "Next enabled", || {
        let b = d.testid("wizard-next");
        d.attr(&b, "disabled").is_none().then_some(b)
    });
    d.click(&next);
}

/// The wizard's ×, on a step past the first: it asks for a second click (the choices made would be
/// dropped, as a second Escape does), and closes on it.
fn close_with_x(d: &Driver) {
    click_testid(d, "import-wizard-close");
    wait_for(10, "the second-click hint", || {
        d.text(&d.find("body")).contains("Click × again to close the import").then_some(())
    });
    click_testid(d, "import-wizard-close");
    let gone = "return document.querySelector(\"[data-testid='import-wizard']\") === null";
    wait_for(10, "the wizard to close", || (d.script(gone, json!([])) == json!(true)).then_some(()));
}

fn text_of(d: &Driver, id: &str) -> String {
    d.text(&d.testid(id)).trim().to_string()
}

#[test]
fn a_rep_drops_csv_files_imports_them_through_the_wizard_and_undoes_it() {
    let app = App::start(Path::new(env!("CARGO_BIN_EXE_outpost-desktop")));
    let d = &app.driver;
    d.testid("welcome");

    // An Excel export from Germany: Windows-1252, semicolons; one bad email, one repeated email.
    let trade_fair = app.dir.path().join("messe-kontakte.csv");
    let text = "Vorname;Nachname;E-Mail;Firma;Lieblingsfarbe\n\
                José;Müller;jose@messe.de;Müller GmbH;grün\n\
                Ana;Lima;ana@lima.br;Lima SA;blau\n\
                Bad;Row;not-an-email;X;rot\n\
                José;Again;jose@messe.de;Dup GmbH;gelb\n";
    std::fs::write(&trade_fair, encoding_rs::WINDOWS_1252.encode(text).0).unwrap();
    let hubspot = app.dir.path().join("hubspot.csv");
    std::fs::write(&hubspot, "First Name,Last Name,Email,Company Name\nKim,Ode,kim@ode.io,Ode\n").unwrap();

    // The page asking for a file the rep did not hand over (as a page gone wrong could) is refused.
    let asked = d.script_async(
        "const done = arguments[arguments.length - 1];
         window.__TAURI__.core.invoke('import_preview', {shape: {path: arguments[0], encoding: null, delimiter: null}})
           .then(() => done('read'), e => done(e.message));",
        json!([hubspot.display().to_string()]),
    );
    assert_eq!(asked, json!("hubspot.csv: Outpost imports only files dropped on its window or chosen with Import CSV"));

    drop_files(d, &[&trade_fair, &hubspot]);
    d.testid("import-wizard");
    assert!(text_of(d, "import-file-name").contains("messe-kontakte.csv"));
    assert!(text_of(d, "import-queue").contains('2'), "{}", text_of(d, "import-queue"));
    wait_for(10, "the detected encoding", || (value(d, "import-encoding") == "windows-1252").then_some(()));
    assert_eq!(value(d, "import-delimiter"), ";");
    let rows = d.all("[data-testid='import-preview-row']");
    assert_eq!(rows.len(), 4);
    assert!(d.text(&rows[0]).contains("José"), "{}", d.text(&rows[0]));
    d.screenshot(&screenshots().join("09-import-file.png"));

    // Columns: the email column is recognised; the favourite colour is left out.
    next_step(d);
    let email = d.find("[data-testid='mapping-row'][data-header='E-Mail'] [data-testid='mapping-select']");
    assert_eq!(
        d.script("return arguments[0].value", json!([{"element-6066-11e4-a52e-4f735466cecf": email.0}])),
        json!("email")
    );
    // The German headers set by hand (the synonyms know them now: the same targets); the favourite
    // colour is left out.
    for (header, field) in
        [("Vorname", "first_name"), ("Nachname", "last_name"), ("Firma", "company"), ("Lieblingsfarbe", "ignore")]
    {
        d.click(&d.find(&format!(
            "[data-testid='mapping-row'][data-header='{header}'] [data-testid='mapping-select'] option[value='{field}']"
        )));
    }
    d.screenshot(&screenshots().join("10-import-columns.png"));

    // Options (duplicates: skip, the default), then the dry run.
    next_step(d);
    d.testid("import-duplicates");
    next_step(d);
    click_testid(d, "import-dry-run");
    d.testid("dry-run-summary");
    let problems = d.all("[data-testid='problem-row']");
    let texts: Vec<String> = problems.iter().map(|p| d.text(p)).collect();
    assert_eq!(problems.len(), 2, "{texts:?}");
    assert!(texts[0].contains("not-an-email") && texts[0].contains("not an email address"), "{texts:?}");
    assert!(texts[1].contains("duplicate of row 1"), "{texts:?}");
    assert_eq!(live_leads(&app), "0", "a dry run writes nothing");
    click_testid(d, "download-errors");
    let saved = wait_for(10, "the rows left out saved as CSV", || left_out_files(&app).pop());
    let left_out = std::fs::read_to_string(saved).unwrap();
    assert!(left_out.contains("Import error") && left_out.contains("not-an-email"), "{left_out}");
    d.screenshot(&screenshots().join("11-import-dry-run.png"));

    // The import itself.
    click_testid(d, "import-start");
    d.testid("import-summary");
    assert_eq!(
        ["summary-created", "summary-skipped", "summary-failed"].map(|id| text_of(d, id)),
        ["2".to_string(), "1".into(), "1".into()]
    );
    assert_eq!(live_leads(&app), "2");
    assert_eq!(
        app.sql("SELECT first_name || ' ' || last_name || ', ' || company FROM leads WHERE email = 'jose@messe.de'"),
        ["José Müller, Müller GmbH"]
    );
    assert_eq!(one(&app, "SELECT count(*) FROM leads WHERE custom_fields LIKE '%Lieblingsfarbe%'"), "0");
    d.screenshot(&screenshots().join("12-import-summary.png"));

    // Undo from the summary.
    click_testid(d, "undo-import");
    wait_for(10, "the undo", || text_of(d, "undo-result").contains('2').then_some(()));
    assert_eq!(live_leads(&app), "0");

    // Closing the window now would drop the file still waiting: asked first, and kept open.
    d.request_close();
    let asked = d.testid("close-blocked");
    assert!(d.text(&asked).contains("Closing now drops 1 file waiting in the import"), "{}", d.text(&asked));
    click_testid(d, "keep-open");
    wait_for(10, "the question to go", || {
        (d.script("return document.querySelector(\"[data-testid='close-blocked']\") === null", json!([]))
            == json!(true))
        .then_some(())
    });

    // The second dropped file.
    click_testid(d, "wizard-next-file");
    to_last_step(d, "hubspot.csv");
    click_testid(d, "import-dry-run");
    d.testid("dry-run-summary");
    click_testid(d, "import-start");
    wait_for(20, "the second import", || (text_of(d, "summary-created") == "1").then_some(()));
    click_testid(d, "wizard-close");
    assert_eq!(one(&app, "SELECT company FROM leads WHERE deleted_at IS NULL"), "Ode");

    // A file whose every row would be left out: the check says so, and there is nothing to start.
    let bad = app.dir.path().join("all-bad.csv");
    std::fs::write(&bad, "Email,Company\nnot-an-email,A\nalso bad,B\n").unwrap();
    drop_files(d, &[&bad]);
    to_last_step(d, "all-bad.csv");
    click_testid(d, "import-dry-run");
    wait_for(10, "its check", || (text_of(d, "dry-run-failed") == "2").then_some(()));
    let start = "return document.querySelector(\"[data-testid='import-start']\").disabled";
    assert_eq!(d.script(start, json!([])), json!(true), "nothing to import");
    close_with_x(d);

    // A big file, cancelled while it loads: nothing is kept.
    let big = app.dir.path().join("big.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
    writeln!(f, "First Name,Last Name,Email,Company").unwrap();
    for i in 0..300_000 {
        writeln!(f, "First{i},Last{i},person{i}@big.example,Company {}", i % 977).unwrap();
    }
    f.flush().unwrap();
    drop(f);
    drop_files(d, &[&big]);
    to_last_step(d, "big.csv");
    click_testid(d, "import-start");
    d.testid("import-progress");
    click_testid(d, "import-cancel");
    wait_for(60, "the cancelled import", || {
        d.text(&d.testid("import-wizard")).to_lowercase().contains("cancelled").then_some(())
    });
    assert_eq!(live_leads(&app), "1", "the cancelled import kept nothing");
    // Focus is on the footer again (Start import), not lost to the page.
    let focused = "return document.activeElement && document.activeElement.dataset.testid";
    assert_eq!(d.script(focused, json!([])), json!("import-start"));
    close_with_x(d);

    // History: the undone import and the kept one; undo the kept one from there. The rep worked on
    // its lead since: the question says so and the undo keeps it.
    let kim = one(&app, "SELECT id FROM leads WHERE email = 'kim@ode.io'");
    let edited = d.script_async(
        "const [id, done] = arguments;
         window.__TAURI__.core.invoke('update_lead', {id, fields: {status: 'qualified'}})
           .then(() => done('ok'), e => done('error: ' + JSON.stringify(e)));",
        json!([kim]),
    );
    assert_eq!(edited, json!("ok"));
    click_testid(d, "nav-imports");
    d.testid("screen-imports");
    wait_for(10, "two imports in the history", || {
        (d.all("[data-testid='import-history-item']").len() == 2).then_some(())
    });
    let reverted = d.find("[data-testid='import-history-item'][data-status='reverted']");
    d.screenshot(&screenshots().join("13-import-history.png"));

    // The undone fair import's details, long after its wizard closed: how the file was read, what
    // it found, where each column went; its rows left out saved again.
    let details = d.script(
        "return arguments[0].querySelector(\"[data-testid='history-details']\")",
        json!([{"element-6066-11e4-a52e-4f735466cecf": reverted.0}]),
    );
    let details = details.as_object().and_then(|o| o.values().next()).and_then(|v| v.as_str()).unwrap().to_string();
    d.click(&support::El(details));
    wait_for(10, "the import's details", || text_of(d, "import-details-read").contains("windows-1252").then_some(()));
    assert!(text_of(d, "import-details-read").contains("semicolon-separated"), "{}", text_of(d, "import-details-read"));
    assert_eq!(["details-created", "details-failed"].map(|id| text_of(d, id)), ["2".to_string(), "1".into()]);
    let rows: Vec<String> =
        d.all("[data-testid='import-details'] [data-testid='problem-row']").iter().map(|r| d.text(r)).collect();
    assert!(rows.iter().any(|r| r.contains("not-an-email")), "{rows:?}");
    let columns = d.script(
        "return [...document.querySelectorAll(\"[data-testid='import-details-columns'] tbody tr\")]
           .map(r => [...r.cells].map(c => c.textContent.trim()).join(' → '))",
        json!([]),
    );
    assert!(columns.to_string().contains("Lieblingsfarbe → Not imported"), "{columns}");
    assert!(columns.to_string().contains("E-Mail → Email"), "{columns}");
    let before: Vec<PathBuf> = left_out_files(&app);
    d.click(&d.find("[data-testid='import-details'] [data-testid='download-errors']"));
    let saved = wait_for(10, "the rows left out saved again", || {
        left_out_files(&app).into_iter().find(|p| !before.contains(p))
    });
    let again = std::fs::read_to_string(saved).unwrap();
    assert!(
        again.contains("Import error") && again.contains("not-an-email") && !again.contains("ana@lima.br"),
        "{again}"
    );
    d.screenshot(&screenshots().join("13b-import-details.png"));
    let kept = d.find("[data-testid='import-history-item'][data-status='completed']");
    let undo = d.script(
        "return arguments[0].querySelector(\"[data-testid='history-undo']\")",
        json!([{"element-6066-11e4-a52e-4f735466cecf": kept.0}]),
    );
    let undo = undo.as_object().and_then(|o| o.values().next()).and_then(|v| v.as_str()).unwrap().to_string();
    d.click(&support::El(undo));
    wait_for(10, "the question naming the lead worked on since", || {
        text_of(d, "undo-question").contains("lead it created stays (worked on since)").then_some(())
    });
    click_testid(d, "confirm-undo");
    wait_for(10, "both imports reverted", || {
        (d.all("[data-testid='import-history-item'][data-status='reverted']").len() == 2).then_some(())
    });
    assert_eq!(live_leads(&app), "1", "the lead worked on since stays");

    // Next month's file from the same fair: the column the rep left out last time is left out again,
    // marked so; one click goes back to the automatic matches.
    let december = app.dir.path().join("messe-dezember.csv");
    std::fs::write(&december, "Vorname;Nachname;E-Mail;Firma;Lieblingsfarbe\nEva;Berg;eva@berg.de;Berg AG;rot\n")
        .unwrap();
    drop_files(d, &[&december]);
    wait_for(10, "the December file", || text_of(d, "import-file-name").contains("messe-dezember.csv").then_some(()));
    next_step(d);
    let select_of = |header: &str| {
        let select =
            d.find(&format!("[data-testid='mapping-row'][data-header='{header}'] [data-testid='mapping-select']"));
        d.script("return arguments[0].value", json!([{"element-6066-11e4-a52e-4f735466cecf": select.0}]))
    };
    let remembered = wait_for(10, "the remembered columns", || d.all("[data-testid='mapping-remembered']").pop());
    assert!(d.text(&remembered).starts_with("1 column is set as you chose"), "{}", d.text(&remembered));
    let targets = ["Vorname", "Nachname", "Firma", "Lieblingsfarbe"].map(select_of);
    assert_eq!(targets, [json!("first_name"), json!("last_name"), json!("company"), json!("ignore")]);
    let badge = |header: &str| {
        d.text(
            &d.find(&format!("[data-testid='mapping-row'][data-header='{header}'] [data-testid='mapping-confidence']")),
        )
    };
    assert_eq!(badge("Lieblingsfarbe"), "as last time");
    assert_ne!(badge("Firma"), "as last time", "the same as the automatic match: nothing remembered to say");
    click_testid(d, "mapping-forget");
    wait_for(10, "the automatic match back", || (select_of("Lieblingsfarbe") == json!("custom")).then_some(()));
    assert_eq!(select_of("E-Mail"), json!("email"));
    assert!(d.all("[data-testid='mapping-remembered']").is_empty());
    // Imported so: the next file from the fair starts from the automatic matches too.
    next_step(d);
    next_step(d);
    click_testid(d, "import-start");
    wait_for(20, "the December import", || (text_of(d, "summary-created") == "1").then_some(()));
    click_testid(d, "wizard-close");
    let kept = one(&app, "SELECT value FROM local_settings WHERE key = 'import_column_choices'");
    assert!(kept.contains(r#"["lieblingsfarbe","custom"]"#), "the reset is remembered: {kept}");
    let january = app.dir.path().join("messe-januar.csv");
    std::fs::write(&january, "Vorname;Nachname;E-Mail;Firma;Lieblingsfarbe\nJan;Ott;jan@ott.de;Ott KG;blau\n").unwrap();
    drop_files(d, &[&january]);
    wait_for(10, "the January file", || text_of(d, "import-file-name").contains("messe-januar.csv").then_some(()));
    next_step(d);
    wait_for(10, "the automatic match", || (select_of("Lieblingsfarbe") == json!("custom")).then_some(()));
    assert!(d.all("[data-testid='mapping-remembered']").is_empty());
}

/// The fair file's rows-left-out CSVs saved so far (under automation they go to the home folder).
fn left_out_files(app: &App) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(app.dir.path()) else { return Vec::new() };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "csv")
                && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("messe-kontakte-rows-left-out"))
        })
        .collect()
}

/// A one-lead file dropped on a fresh app and taken through the wizard up to "Import".
fn one_lead_ready_to_import(app: &App) {
    let d = &app.driver;
    d.testid("welcome");
    let file = app.dir.path().join("leads.csv");
    std::fs::write(&file, "First Name,Email\nAda,ada@engines.example\n").unwrap();
    drop_files(d, &[&file]);
    wait_for(10, "the file", || text_of(d, "import-file-name").contains("leads.csv").then_some(()));
    for _ in 0..3 {
        next_step(d);
    }
}

/// An import started while another process holds the database (a first sync's indexing, a CLI
/// import) says it waits, and its Cancel works while it waits: nothing is kept.
#[test]
fn an_import_waiting_for_another_writer_says_so_and_can_be_cancelled() {
    let app = App::start(Path::new(env!("CARGO_BIN_EXE_outpost-desktop")));
    let d = &app.driver;
    one_lead_ready_to_import(&app);

    let other = rusqlite::Connection::open(&app.db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE; UPDATE local_settings SET value = value;").unwrap();
    click_testid(d, "import-start");
    wait_for(30, "the import saying it waits", || {
        d.text(&d.testid("import-stage")).contains("Waiting for a sync").then_some(())
    });
    click_testid(d, "import-cancel");
    wait_for(30, "the cancelled import", || {
        d.text(&d.testid("import-wizard")).to_lowercase().contains("cancelled").then_some(())
    });
    other.execute_batch("COMMIT").unwrap();
    assert_eq!(live_leads(&app), "0");
    assert_eq!(one(&app, "SELECT count(*) FROM imports"), "0", "no import record either");
}

/// Closing the window while an undo runs (here: waiting for another connection's write) asks
/// first; kept open, the undo finishes.
#[test]
fn closing_during_an_undo_asks_first() {
    let app = App::start(Path::new(env!("CARGO_BIN_EXE_outpost-desktop")));
    let d = &app.driver;
    one_lead_ready_to_import(&app);
    click_testid(d, "import-start");
    d.testid("import-summary");
    assert_eq!(live_leads(&app), "1");

    let other = rusqlite::Connection::open(&app.db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE; UPDATE local_settings SET value = value;").unwrap();
    click_testid(d, "undo-import");
    // The wizard's buttons are disabled once the undo is asked for (it then waits for `other`).
    wait_for(20, "the undo under way", || {
        d.all("[data-testid='wizard-close']").iter().any(|b| d.attr(b, "disabled").is_some()).then_some(())
    });
    d.request_close();
    d.testid("close-blocked");
    assert!(text_of(d, "close-blocked").contains("being undone"), "{}", text_of(d, "close-blocked"));
    // The undo ends while the question shows: the question says nothing is lost now.
    other.execute_batch("COMMIT").unwrap();
    wait_for(20, "the question updated", || {
        text_of(d, "close-blocked").contains("Everything is saved now").then_some(())
    });
    assert!(d.all("[data-testid='quit-anyway']").is_empty());
    d.testid("close-now");
    click_testid(d, "keep-open");
    wait_for(20, "the undo", || text_of(d, "undo-result").contains('1').then_some(()));
    assert_eq!(live_leads(&app), "0");
}

/// A list of addresses with no header row, dates written day/month/year: the file step says both,
/// the first row is a lead (it was taken for column names and lost), and 03/02/2024 beside a
/// 25/12/2023 is 3 February.
#[test]
fn a_file_without_a_header_row_and_european_dates_imports_every_row_as_written() {
    let app = App::start(Path::new(env!("CARGO_BIN_EXE_outpost-desktop")));
    let d = &app.driver;
    d.testid("welcome");
    let file = app.dir.path().join("eu.csv");
    std::fs::write(&file, "ana@acme.example;03/02/2031\nbo@zeta.example;25/12/2031\n").unwrap();
    drop_files(d, &[&file]);
    wait_for(10, "the file step's notes", || {
        let hint = text_of(d, "import-file-hint");
        (hint.contains("no header row") && hint.contains("day / month / year")).then_some(())
    });
    // Column 2 is a follow-up date here (the wizard maps by header; there is none).
    next_step(d);
    d.click(&d.find(
        "[data-testid='mapping-row'][data-header='Column 2'] [data-testid='mapping-select'] option[value='next_follow_up_at']",
    ));
    for _ in 0..2 {
        next_step(d);
    }
    click_testid(d, "import-start");
    d.testid("import-summary");
    assert_eq!(live_leads(&app), "2", "the first row too");
    let day = |email: &str| one(&app, &format!("SELECT next_follow_up_at FROM leads WHERE email = '{email}'"));
    assert_eq!(day("ana@acme.example"), "2031-02-03T09:00:00.000000Z");
    assert_eq!(day("bo@zeta.example"), "2031-12-25T09:00:00.000000Z");
}

/// An import the last run did not finish (the app killed midway leaves its note behind, as the
/// CLI's test shows): said once at the start, and on the import history until dismissed.
#[test]
fn an_import_that_did_not_finish_is_said_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("outpost.db");
    let note = dir.path().join("outpost.db.import-4242-1");
    std::fs::write(&note, r#"{"id":"","file":"/home/ana/Downloads/q4-leads.csv","started_at":"2026-11-28T13:05:00Z"}"#)
        .unwrap();
    let app = App::start_on(Path::new(env!("CARGO_BIN_EXE_outpost-desktop")), Some(&db));
    let d = &app.driver;
    d.click(&d.toast_action("The import of q4-leads.csv did not finish"));
    let said = d.text(&d.testid("import-interrupted"));
    assert!(said.contains("q4-leads.csv") && said.contains("nothing of it was kept"), "{said}");
    d.click(&d.testid("dismiss-interrupted"));
    wait_for(10, "dismissed", || d.all("[data-testid='import-interrupted']").is_empty().then_some(()));
    assert!(!note.exists());
}
