#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::path::Path;
use std::process::Command;

use common::Cli;
use serde_json::Value;

#[test]
fn a_rep_manages_leads_from_the_command_line() {
    let cli = Cli::new();
    assert!(cli.ok(&["init"]).contains("Database ready at"));
    assert!(cli.db.exists());

    let ana = cli.json(&[
        "leads",
        "add",
        "--first-name",
        "Ana",
        "--last-name",
        "Lima",
        "--email",
        "ana@acme.com",
        "--company",
        "Acme",
        "--tag",
        "vip",
    ]);
    let id = ana["id"].as_str().unwrap().to_string();
    cli.json(&[
        "leads",
        "add",
        "--first-name",
        "Bo",
        "--email",
        "bo@zeta.io",
        "--status",
        "contacted",
        "--set",
        "website=https://zeta.io",
    ]);

    let list = cli.json(&["leads", "list", "--sort", "name"]);
    let names: Vec<&str> =
        list["leads"].as_array().unwrap().iter().map(|l| l["first_name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Bo", "Ana"], "no last name sorts first");
    let vip = cli.json(&["leads", "list", "--tag", "vip"]);
    assert_eq!(vip["leads"].as_array().unwrap().len(), 1);

    let table = cli.ok(&["leads", "list"]);
    assert!(table.contains("ana@acme.com") && table.contains(&id), "{table}");

    let shown = cli.json(&["leads", "show", &id[..13]]);
    assert_eq!(shown["email"], "ana@acme.com");
    // Or its end: leads made in the same minute share their ids' first characters, not the last.
    let other = cli.json(&["leads", "add", "--first-name", "Same minute"]);
    let other = other["id"].as_str().unwrap();
    // (Unless the two were made on either side of a 65-second boundary of the id's clock.)
    if other[..8] == id[..8] {
        let e = cli.fails(&["leads", "show", &id[..8]], 2);
        assert!(e.contains("last 8 characters"), "{e}");
    }
    assert_eq!(cli.json(&["leads", "show", &id[id.len() - 8..]])["email"], "ana@acme.com");
    assert_eq!(cli.json(&["leads", "show", &other[28..]])["first_name"], "Same minute");
    cli.ok(&["leads", "delete", other]);

    let edited = cli.json(&["leads", "edit", &id, "--status", "qualified", "--company", ""]);
    assert_eq!(edited["status"], "qualified");
    assert_eq!(edited["company"], Value::Null, "an empty value clears the field");

    let found = cli.json(&["leads", "search", "lima"]);
    assert_eq!(found["leads"][0]["id"], id.as_str());

    let out = cli.db.with_file_name("leads.csv");
    let o = out.to_str().unwrap();
    cli.ok(&["export", "--format", "csv", "--status", "qualified", "-o", o]);
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with('\u{feff}'), "a file for spreadsheets: Excel needs the UTF-8 mark");
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.lines().nth(1).unwrap().contains("ana@acme.com"));
    assert!(!Path::new(&format!("{o}.partial")).exists());
    // Exporting again over it keeps its permissions; through a link, the link stays a link.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o600)).unwrap();
    let link = cli.db.with_file_name("latest.csv");
    std::os::unix::fs::symlink(&out, &link).unwrap();
    std::fs::write(&out, "old").unwrap();
    cli.ok(&["export", "--status", "qualified", "-o", link.to_str().unwrap()]);
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link was replaced");
    assert!(std::fs::read_to_string(&out).unwrap().contains("ana@acme.com"), "written through the link");
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);

    assert!(cli.ok(&["leads", "delete", &id]).contains("outpost leads restore"));
    assert_eq!(cli.json(&["leads", "list"])["leads"].as_array().unwrap().len(), 1);
    let e = cli.fails(&["leads", "show", &id], 3);
    assert!(e.contains("is deleted: `outpost leads restore"), "{e}");
    // The deleted ones are listed, most recent first, and part of an id brings one back.
    let deleted = cli.json(&["leads", "deleted"]);
    assert_eq!(deleted["leads"][0]["id"], id.as_str());
    let table = cli.ok(&["leads", "deleted"]);
    let day = deleted["leads"][0]["deleted_at"].as_str().unwrap()[..10].to_string();
    assert!(table.contains("deleted (UTC)") && table.contains(&day), "when it was deleted: {table}");
    assert_eq!(cli.json(&["leads", "restore", &id[id.len() - 8..]])["email"], "ana@acme.com");
    assert!(cli.ok(&["leads", "restore", &id]).starts_with("Not deleted:"), "a live lead is not restored");
    assert!(cli.ok(&["leads", "list"]).contains("2 matching leads"));
}

/// A lead a rep adds is theirs (`--owner me` listed nothing they added); said so, it stays in the
/// pool.
#[test]
fn leads_added_are_yours_unless_you_say_so() {
    let cli = Cli::new();
    cli.ok(&["leads", "add", "--first-name", "Mine"]);
    cli.ok(&["leads", "add", "--first-name", "Pool", "--set", "assigned_to="]);
    let names = |owner: &str| -> Vec<String> {
        let page = cli.json(&["leads", "list", "--owner", owner]);
        page["leads"].as_array().unwrap().iter().map(|l| l["first_name"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(names("me"), ["Mine"]);
    assert_eq!(names("unassigned"), ["Pool"]);
}

#[test]
fn mistakes_get_clear_messages_and_exit_codes() {
    let cli = Cli::new();
    cli.ok(&["leads", "add", "--email", "ana@acme.com"]);
    let e = cli.fails(&["leads", "add", "--email", "ANA@acme.com"], 4);
    assert!(e.contains("a lead with email ANA@acme.com already exists"), "{e}");
    let e = cli.fails(&["leads", "add", "--email", "bob@"], 4);
    assert!(e.contains("'bob@' is not an email address"), "{e}");
    // Sync's interval: only with --watch, and not a busy loop.
    cli.fails(&["sync", "--interval", "30"], 2);
    cli.fails(&["sync", "--watch", "--interval", "0"], 2);
    let e = cli.fails(&["login", "--url", "http://127.0.0.1:9", "--anon-key", "k", "--email", " "], 2);
    assert!(e.contains("give the account's email with --email"), "{e}");
    // Not an id at all: a usage mistake, said without the table's column name.
    let e = cli.fails(&["leads", "show", "Wendy"], 2);
    assert_eq!(e.trim(), "error: 'Wendy' is not a lead id (ids look like 01a21aa2-9aa5-7796-…)");
    let e = cli.fails(&["leads", "show", "01a"], 2);
    assert!(e.contains("too short"), "{e}");
    let e = cli.fails(&["leads", "show", "0193a000-0000-7000-8000-000000000000"], 3);
    assert!(e.contains("no lead 0193a000-0000-7000-8000-000000000000 (`outpost leads deleted`"), "{e}");
    let e = cli.fails(&["leads", "add", "--status", "frobbed", "--first-name", "X"], 4);
    assert!(e.contains("unknown status 'frobbed'"), "{e}");
    // As reps and other CRMs say it, as an import understands it.
    assert_eq!(cli.json(&["leads", "add", "--status", "Closed Won", "--first-name", "W"])["status"], "closed_won");
    let won = cli.json(&["leads", "list", "--status", "won"]);
    assert_eq!(won["leads"].as_array().unwrap().len(), 1);
    let e = cli.fails(&["leads", "add"], 4);
    assert!(e.contains("a lead needs at least a name"), "{e}");
    // A value given twice is a mistake, not a silent choice; a search has no pages to continue.
    cli.fails(&["leads", "add", "--first-name", "A", "--set", "first_name=B"], 2);
    let found = cli.json(&["leads", "search", "call back"]);
    assert!(found.get("next_cursor").is_none() && found["leads"].is_array(), "{found}");
    // Text may start with a dash.
    let dash = cli.json(&["leads", "add", "--first-name", "D", "--notes", "- call back Tuesday"]);
    assert_eq!(dash["notes"], "- call back Tuesday");
    // A table shows what a name holds without acting on the terminal, and long values cut short.
    let long = "L".repeat(500);
    cli.ok(&["leads", "add", "--first-name", "\u{1b}[31mRed\nLine", "--last-name", "\u{202e}evil", "--company", &long]);
    let table = cli.ok(&["leads", "list"]);
    assert!(!table.contains('\u{1b}') && table.contains("�[31mRed↵Line"), "{table}");
    assert!(!table.contains('\u{202e}') && table.contains("�evil"), "a direction override is shown, not obeyed");
    assert!(!table.contains(&long) && table.contains(&format!("{}…", "L".repeat(40))), "{table}");
    // Nor in any other line (what was added, an error): written as escapes, and JSON keeps the value.
    let added = cli.ok(&["leads", "add", "--first-name", "\u{1b}]0;pwned\u{7}X\u{9b}2J"]);
    assert!(added.contains("Added \\u001b]0;pwned\\u0007X\\u009b2J ("), "{added}");
    let out = cli.run(&["--json", "leads", "add", "--first-name", "Y\u{9b}2J\u{202e}"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{9b}') && !text.contains('\u{202e}'), "{text}");
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["first_name"], "Y\u{9b}2J\u{202e}");
    let e = cli.fails(&["leads", "show", "\u{1b}[2J"], 2);
    assert!(!e.contains('\u{1b}') && e.contains("\\u001b[2J"), "{e}");
    // Nor can an edit leave a lead with nothing to tell who it is.
    let x = cli.json(&["leads", "add", "--first-name", "X", "--email", "x@example.com"]);
    let x = x["id"].as_str().unwrap();
    let e = cli.fails(&["leads", "edit", x, "--first-name", "", "--email", ""], 4);
    assert!(e.contains("a lead needs at least a name"), "{e}");
    cli.ok(&["leads", "edit", x, "--first-name", ""]);
    cli.fails(&["leads", "edit", x], 2);
    let e = cli.fails(&["leads", "add", "--first-name", "X", "--follow-up", "2001-01-01"], 4);
    assert!(e.contains("is in the past"), "{e}");
    // Today is a day a follow-up can be set for, whatever the hour; a day is stored as the app does.
    let today = chrono::Utc::now().date_naive().to_string();
    let t = cli.json(&["leads", "add", "--first-name", "T", "--follow-up", &today]);
    assert_eq!(t["next_follow_up_at"], format!("{today}T09:00:00.000000Z"));
    let t = cli.json(&["leads", "add", "--first-name", "U", "--follow-up", "2099-1-5"]);
    assert_eq!(t["next_follow_up_at"], "2099-01-05T09:00:00.000000Z", "a day without its zeros");
    let e = cli.fails(&["leads", "list", "--cursor", "nonsense"], 4);
    assert!(e.contains("cursor"), "{e}");
    cli.fails(&["leads", "frobnicate"], 2);

    let out = cli.run(&["--json", "leads", "add", "--email", "ana@acme.com"]);
    assert_eq!(out.status.code(), Some(4));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "duplicate_email");
}

/// Output that cannot be written (a full disk) is a failure a script sees: it exited 0 before,
/// leaving it an empty file (and a lead added without its id).
#[test]
fn output_that_cannot_be_written_fails() {
    let cli = Cli::new();
    // A command that only reads refuses a database that is not there (a mistyped --db) and makes
    // nothing; one that writes says it made one.
    let e = cli.fails(&["leads", "list"], 3);
    assert!(e.contains("no database at") && e.contains("outpost init"), "{e}");
    assert!(!cli.db.exists());
    let made = cli.run(&["leads", "add", "--first-name", "Ana"]);
    assert!(String::from_utf8_lossy(&made.stderr).contains("there was no database at"), "{made:?}");
    let nowhere = cli.db.with_file_name("no-such-folder").join("leads.csv");
    let e = cli.fails(&["export", "-o", nowhere.to_str().unwrap()], 1);
    assert!(e.contains("there is no folder") && !e.contains(".partial"), "{e}");
    assert!(!String::from_utf8_lossy(&cli.run(&["leads", "list"]).stderr).contains("no database"));
    for args in
        [&["--json", "leads", "list"][..], &["leads", "list"], &["--json", "leads", "add", "--first-name", "Bo"]]
    {
        let out = Command::new(env!("CARGO_BIN_EXE_outpost"))
            .arg("--db")
            .arg(&cli.db)
            .args(args)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("writing the output"), "{args:?}");
    }
    // An error that cannot be said (stderr full) still exits with its code, not a panic's 101.
    let status = Command::new(env!("CARGO_BIN_EXE_outpost"))
        .arg("--db")
        .arg(&cli.db)
        .args(["leads", "show", "0193a000-0000-7000-8000-000000000000"])
        .stderr(std::fs::File::create("/dev/full").unwrap())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(3));
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let cli = Cli::new();
    std::fs::write(&cli.db, b"name,email\nAna,ana@acme.com\n").unwrap();
    let e = cli.fails(&["leads", "list"], 1);
    assert!(e.contains("crm.db"), "{e}");
    assert_eq!(std::fs::read(&cli.db).unwrap(), b"name,email\nAna,ana@acme.com\n");
    // Nor is another application's SQLite database: it stays without Outpost's tables.
    std::fs::remove_file(&cli.db).unwrap();
    rusqlite::Connection::open(&cli.db).unwrap().execute_batch("CREATE TABLE notes (body TEXT);").unwrap();
    let e = cli.fails(&["leads", "list"], 1);
    assert!(e.contains("another application's database"), "{e}");
    let tables: i64 = rusqlite::Connection::open(&cli.db)
        .unwrap()
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, 1);
}

#[test]
fn import_a_csv_write_its_errors_list_and_undo() {
    let cli = Cli::new();
    let dir = cli.db.parent().unwrap().to_path_buf();
    let file = dir.join("leads.csv");
    std::fs::write(&file, "First Name,Email,Phone\nAna,ana@acme.com,(415) 555-0132\nBo,bob@,\nCy,cy@zeta.io,\n")
        .unwrap();
    let errors = dir.join("errors.csv");
    let report =
        cli.json(&["import", file.to_str().unwrap(), "--list", "Webinar", "--errors", errors.to_str().unwrap()]);
    assert_eq!((report["created"].as_u64(), report["failed"].as_u64()), (Some(2), Some(1)));
    let failed = std::fs::read_to_string(&errors).unwrap();
    assert_eq!(failed.lines().count(), 2, "{failed}");
    assert!(failed.contains("Bo,bob@,") && failed.contains("not an email address"), "{failed}");
    let listed = cli.json(&["leads", "list", "--list", "Webinar"]);
    assert_eq!(listed["leads"].as_array().unwrap().len(), 2);
    let imports = cli.json(&["imports", "list"]);
    let id = imports[0]["id"].as_str().unwrap().to_string();
    assert_eq!(imports[0]["created"], 2);
    // Its report again, later: the same counts and problems, the rows left out written again.
    let again_errors = dir.join("errors-again.csv");
    let shown = cli.ok(&["imports", "show", &id[..8], "--errors", again_errors.to_str().unwrap()]);
    assert!(shown.contains("2 created") && shown.contains("row 2: Email 'bob@'"), "{shown}");
    assert!(shown.contains(&format!("Undo with: outpost imports undo {id}")), "{shown}");
    assert!(shown.contains("duplicates skipped; phones without a country code read as US"), "{shown}");
    assert_eq!(std::fs::read_to_string(&again_errors).unwrap(), failed);
    assert_eq!(cli.json(&["imports", "show", &id])["report"]["failed"], 1);
    cli.ok(&["imports", "undo", &id]);
    assert!(cli.json(&["leads", "list"])["leads"].as_array().unwrap().is_empty());
    let shown = cli.ok(&["imports", "show", &id]);
    assert!(shown.contains("This import was undone.") && !shown.contains("Undo with"), "{shown}");
    let again = cli.fails(&["imports", "undo", &id], 4);
    assert_eq!(again.trim(), "error: this import was already undone");
    let dry = cli.json(&["import", file.to_str().unwrap(), "--dry-run"]);
    assert_eq!(dry["created"], 2);
    assert!(cli.json(&["leads", "list"])["leads"].as_array().unwrap().is_empty());
    let e = cli.fails(&["import", dir.join("nope.csv").to_str().unwrap()], 3);
    assert!(e.contains("nope.csv"), "{e}");
    // `-` reads the file from a pipe, called "stdin" wherever the file is named.
    let out = cli.piped(
        &["import", "-", "--errors", errors.to_str().unwrap()],
        b"First Name,Email\nPia,pia@x.io\nQ,not-an-email\n",
    );
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{said}");
    assert!(said.starts_with("Imported stdin: 2 rows — 1 created"), "{said}");
    assert!(said.contains("row 2") && !said.contains("stdin.csv") && !said.contains("/tmp"), "{said}");
    assert!(std::fs::read_to_string(&errors).unwrap().contains("not-an-email"));
    assert_eq!(cli.json(&["imports", "list"])[0]["file_name"], "stdin");
    let empty = cli.piped(&["import", "-"], b"");
    assert_eq!(empty.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&empty.stderr).starts_with("error: stdin"), "{empty:?}");
    // A mistyped --region is a usage mistake, as a mistyped --encoding is.
    let e = cli.fails(&["import", file.to_str().unwrap(), "--region", "Narnia"], 2);
    assert!(e.contains("unknown --region 'Narnia'"), "{e}");
    cli.fails(&["import", file.to_str().unwrap(), "--encoding", "klingon"], 2);
    cli.fails(&["imports", "undo", "zzz"], 2);
    // A row-wide problem names no column: no stray blanks or colon before its reason.
    let notes_only = dir.join("notes.csv");
    std::fs::write(&notes_only, "First Name,Email,Notes\nDee,dee@x.io,\n,,just a note\n").unwrap();
    let text = cli.ok(&["import", notes_only.to_str().unwrap(), "--errors", errors.to_str().unwrap()]);
    assert!(text.contains("  row 2: no name, email, company or phone"), "{text}");
    let failed = std::fs::read_to_string(&errors).unwrap();
    assert!(failed.contains(",just a note,\"no name, email"), "{failed}");
    // An import that fails leaves a file already at the --errors path as it was (it was emptied,
    // then deleted), and no partial file beside it.
    let e = cli.fails(&["import", dir.join("nope.csv").to_str().unwrap(), "--errors", errors.to_str().unwrap()], 3);
    assert!(e.contains("nope.csv"), "{e}");
    assert_eq!(std::fs::read_to_string(&errors).unwrap(), failed);
    assert!(!dir.join("errors.csv.partial").exists());
    // Every row left out: the report, then exit 4 (a script must not take it for success).
    let all_bad = dir.join("all-bad.csv");
    std::fs::write(
        &all_bad,
        "First Name,Email
Ed,ed@
Fay,fay@@x.io
",
    )
    .unwrap();
    let out = cli.run(&["--json", "import", all_bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((report["created"].as_u64(), report["failed"].as_u64()), (Some(0), Some(2)));
    let out = cli.run(&["import", all_bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4));
    assert!(out.stderr.is_empty(), "the report is on stdout and nothing else is said");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.starts_with("Nothing imported from ") && !said.contains("imported before"), "{said}");
}

/// `outpost export | head`: a reader that stops early ends the program quietly and successfully,
/// like any Unix tool — not with a panic or an error message.
#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let cli = Cli::new();
    let file = cli.db.parent().unwrap().join("many.csv");
    let mut csv = String::from("First Name,Email\n");
    for i in 0..3000 {
        csv.push_str(&format!("Lead {i},lead{i}@acme.com\n"));
    }
    std::fs::write(&file, csv).unwrap();
    cli.ok(&["import", file.to_str().unwrap()]);
    // Both write far more than a pipe holds (64 KiB), so the writes after the first line fail.
    for args in [&["export"][..], &["--json", "leads", "list", "--limit", "500"][..]] {
        let mut child = cli.command(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        assert!(!first.is_empty(), "{args:?}");
        // The pipe's reading end is closed here.
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{args:?}: {:?}", out.status);
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}

#[test]
fn the_libraries_log_goes_to_stderr_at_the_level_outpost_log_sets() {
    let cli = Cli::new();
    cli.ok(&["init"]);
    let quiet = cli.run(&["leads", "list"]);
    assert!(quiet.status.success());
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("database open"), "warnings and errors only by default");
    let out = Command::new(env!("CARGO_BIN_EXE_outpost"))
        .env("OUTPOST_LOG", "debug")
        .arg("--db")
        .arg(&cli.db)
        .args(["--json", "leads", "list"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("database open") && stderr.contains("crm.db"), "{stderr}");
    serde_json::from_slice::<Value>(&out.stdout).expect("standard output stays the command's own JSON");
}

/// A command run while another process holds the database (the app importing a million rows) waits
/// for it and says so on stderr, then does its work; it does not fail with "database is locked".
#[test]
fn a_command_waits_for_another_process_writing_and_says_so() {
    let cli = Cli::new();
    let (child, told, other) = import_behind_a_writer(&cli, "First Name,Email\nAda,ada@engines.example\n");
    let line = next_line(&told);
    assert!(line.starts_with("waiting for another Outpost"), "{line}");
    other.execute_batch("COMMIT").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(cli.json(&["leads", "list"])["leads"][0]["email"], "ada@engines.example");
}

/// An import of `csv` started while another connection holds the write lock (which it keeps until
/// COMMIT): the child, its stderr lines as they come, and that connection.
fn import_behind_a_writer(
    cli: &Cli,
    csv: &str,
) -> (std::process::Child, std::sync::mpsc::Receiver<String>, rusqlite::Connection) {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    cli.ok(&["init"]);
    let file = cli.db.parent().unwrap().join("held.csv");
    std::fs::write(&file, csv).unwrap();
    let other = rusqlite::Connection::open(&cli.db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE; UPDATE local_settings SET value = value;").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_outpost"))
        .arg("--db")
        .arg(&cli.db)
        .args(["import", file.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let (tell, told) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        while stderr.read_line(&mut line).is_ok_and(|n| n > 0) {
            let _ = tell.send(std::mem::take(&mut line));
        }
    });
    (child, told, other)
}

fn next_line(told: &std::sync::mpsc::Receiver<String>) -> String {
    told.recv_timeout(std::time::Duration::from_secs(60)).expect("a line on stderr")
}

/// Mistakes around an import are caught before anything is imported, and every failure has a code a
/// script can act on.
#[test]
fn import_mistakes_are_caught_first_and_coded() {
    let cli = Cli::new();
    let dir = cli.db.parent().unwrap().to_path_buf();
    let file = dir.join("leads.csv");
    let text = "First Name,Email\nAna,ana@acme.com\nBo,bob@\n";
    std::fs::write(&file, text).unwrap();
    let path = file.to_str().unwrap();
    let no_imports = |cli: &Cli| assert_eq!(cli.json(&["imports", "list"]), serde_json::json!([]));

    // The failed-rows file would overwrite the file being imported.
    let e = cli.fails(&["import", path, "--errors", path], 2);
    assert!(e.contains("is the file being imported"), "{e}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    // Nor by another name for it, nor the database: they were emptied and replaced before.
    #[cfg(unix)]
    {
        let link = dir.join("link.csv");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let e = cli.fails(&["import", path, "--errors", link.to_str().unwrap()], 2);
        assert!(e.contains("is the file being imported"), "{e}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    }
    let db = cli.db.to_str().unwrap();
    let e = cli.fails(&["import", path, "--errors", db], 2);
    assert!(e.contains("is the Outpost database"), "{e}");
    let e = cli.fails(&["export", "-o", db], 2);
    assert!(e.contains("is the Outpost database"), "{e}");
    let e = cli.fails(&["export", "-o", dir.to_str().unwrap()], 2);
    assert!(e.contains("is a folder"), "{e}");
    // It cannot be written: found out before importing, not after the import committed.
    let e = cli.fails(&["import", path, "--errors", dir.join("no/such/dir.csv").to_str().unwrap()], 1);
    assert!(e.contains("cannot write"), "{e}");
    no_imports(&cli);
    // Malformed options are usage mistakes (2); a field that does not exist is an import the file
    // cannot have as asked (4); under --json both are objects, as the parser's own mistakes are.
    let usage = cli.run(&["--json", "import", path, "--map", "First Name"]);
    assert_eq!(usage.status.code(), Some(2));
    assert_eq!(serde_json::from_slice::<Value>(&usage.stdout).unwrap()["error"]["code"], "usage");
    let unknown = cli.run(&["--json", "import", path, "--map", "First Name=nickname"]);
    assert_eq!(unknown.status.code(), Some(4));
    assert_eq!(serde_json::from_slice::<Value>(&unknown.stdout).unwrap()["error"]["code"], "invalid_import");
    let parse = cli.run(&["--json", "leads", "list", "--limit", "0"]);
    assert_eq!(parse.status.code(), Some(2));
    assert_eq!(serde_json::from_slice::<Value>(&parse.stdout).unwrap()["error"]["code"], "usage");
    let missing = cli.run(&["--json", "import"]);
    let said = serde_json::from_slice::<Value>(&missing.stdout).unwrap()["error"]["message"].to_string();
    assert!(said.contains("<FILE>"), "names what is missing: {said}");
    no_imports(&cli);
    // A missing file is said once, as a thing not found, and makes no database where none was.
    let e = cli.fails(&["import", dir.join("nope.csv").to_str().unwrap()], 3);
    assert_eq!(e.matches("no such file").count(), 1, "{e}");
    let fresh = dir.join("fresh.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_outpost"))
        .args(["--db", fresh.to_str().unwrap(), "import", dir.join("nope.csv").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(!fresh.exists(), "no empty database made for a file that is not there");

    // Done right: the mapping reads as fields, the counts as English, and undo takes a short id.
    let out = cli.ok(&["import", path]);
    assert!(out.contains("2 rows — 1 created") && out.contains("→ email (100%)"), "{out}");
    assert!(!out.contains("Field("), "{out}");
    let id = cli.json(&["imports", "list"])[0]["id"].as_str().unwrap().to_string();
    let missing = cli.run(&["--json", "imports", "undo", "0193a000-0000-7000-8000-000000000000"]);
    assert_eq!(missing.status.code(), Some(3));
    assert_eq!(serde_json::from_slice::<Value>(&missing.stdout).unwrap()["error"]["code"], "not_found");
    let undone = cli.ok(&["imports", "undo", &id[..8]]);
    assert!(undone.contains("1 lead removed"), "{undone}");

    // export -o with --json answers in JSON.
    cli.ok(&["import", path, "--on-duplicate", "create"]);
    let out = dir.join("out.csv");
    let summary = cli.json(&["export", "-o", out.to_str().unwrap()]);
    assert_eq!((summary["exported"].as_u64(), summary["path"].as_str()), (Some(1), out.to_str()));
}

/// The same file again: the second import says it was imported before, and an update import of an
/// unchanged file says its duplicates were already up to date.
#[test]
fn importing_a_file_again_says_so() {
    let cli = Cli::new();
    let file = cli.db.parent().unwrap().join("leads.csv");
    std::fs::write(&file, "First Name,Email\nAna,ana@acme.com\nNoMail,\n").unwrap();
    let path = file.to_str().unwrap();
    let first = cli.json(&["import", path]);
    let again = cli.ok(&["import", path, "--on-duplicate", "update"]);
    assert!(again.contains(&format!("imported before (import {})", first["import_id"].as_str().unwrap())), "{again}");
    assert!(again.contains("1 skipped as duplicates (1 already up to date)"), "{again}");
    // The row without an email comes in again, and the note says how many and why.
    assert!(
        again.contains("1 row was added again as a new lead (no email or LinkedIn profile to match it by, or its lead is gone since)"),
        "{again}"
    );
    let dry = cli.ok(&["import", path, "--on-duplicate", "create", "--dry-run"]);
    assert!(dry.contains("2 rows would be added again as new leads (--on-duplicate create)"), "{dry}");
}

/// `leads show` ends with what happened with the lead: a web form sent again, a note…
#[test]
fn a_lead_is_shown_with_its_timeline() {
    let cli = Cli::new();
    let lead = cli.json(&["leads", "add", "--first-name", "Wendy", "--email", "wendy@example.com"]);
    let id = lead["id"].as_str().unwrap();
    let org = lead["organization_id"].as_str().unwrap();
    rusqlite::Connection::open(&cli.db)
        .unwrap()
        .execute(
            "INSERT INTO conversations (id, organization_id, lead_id, direction, channel, platform, subject, content,
                                        requires_action, occurred_at, created_at, updated_at)
             VALUES ('0193a000-0000-7000-8000-0000000000c1', ?1, ?2, 'inbound', 'other', 'web_form',
                     'Web form sent again', 'Still waiting for that demo', 1, '2026-11-27T09:00:00.000000Z',
                     '2026-11-27T09:00:00.000000Z', '2026-11-27T09:00:00.000000Z')",
            [org, id],
        )
        .unwrap();
    let shown = cli.ok(&["leads", "show", id]);
    assert!(shown.contains("Timeline (newest first):"), "{shown}");
    assert!(shown.contains("Web form sent again — Still waiting for that demo"), "{shown}");
    assert!(!cli.ok(&["--json", "leads", "show", id]).contains("Timeline"), "JSON is the lead alone");
}

/// Ctrl-C during an import: said at once, the import rolls back (nothing of the file is kept), and
/// the exit status is the usual one for an interrupt. The import is held behind another writer
/// (which it says) so the interrupt lands while it runs, without timing it; the wait ends with it.
#[test]
#[cfg(unix)]
fn ctrl_c_stops_an_import_and_keeps_nothing() {
    let cli = Cli::new();
    let csv = "First Name,Email\nAda,ada@x.example\nBo,bo@x.example\nCy,cy@x.example\n";
    let (mut child, told, other) = import_behind_a_writer(&cli, csv);
    assert!(next_line(&told).starts_with("waiting for another Outpost"));
    let sent = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(sent.success());
    assert!(next_line(&told).starts_with("Stopping the import (Ctrl-C again"));
    // The wait for the other writer ends at once: no COMMIT needed for the import to stop.
    let status = child.wait().unwrap();
    other.execute_batch("COMMIT").unwrap();
    let rest: String = std::iter::from_fn(|| told.recv_timeout(std::time::Duration::from_secs(10)).ok()).collect();
    assert_eq!(status.code(), Some(130), "{rest}");
    assert!(rest.contains("the import was cancelled; nothing was imported"), "{rest}");
    let count = |sql: &str| other.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!((count("SELECT count(*) FROM leads"), count("SELECT count(*) FROM imports")), (0, 0));
}

/// Signing out where no project was ever set up is already done; signing in without the project's
/// URL or key is a usage mistake (exit 2), not a failure (it exited 1 for both).
#[test]
fn logout_without_a_project_is_done_and_login_without_a_url_is_a_usage_mistake() {
    let cli = Cli::new();
    cli.ok(&["init"]);
    let out = cli.ok(&["logout"]);
    assert!(out.contains("Not signed in"), "{out}");
    let e = cli.fails(&["login", "--email", "rep@example.com"], 2);
    assert!(e.contains("--url"), "{e}");
}
