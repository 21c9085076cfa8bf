//! `outpost conflicts` and `outpost rejected`: what sync could not settle, in words, with the lead's
//! name, and the rep's choices. The entries are written as sync records them (the sync itself is
//! tested against the real server in crates/sync).
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::Cli;

fn sql(cli: &Cli, sql: &str) {
    rusqlite::Connection::open(&cli.db).unwrap().execute_batch(sql).unwrap();
}

#[test]
fn conflicts_and_rejected_changes_are_listed_in_words_and_settled() {
    let cli = Cli::new();
    let lee = cli.json(&["leads", "add", "--first-name", "Lee", "--last-name", "Park", "--notes", "base"]);
    let id = lee["id"].as_str().unwrap();
    sql(
        &cli,
        &format!(
            "INSERT INTO sync_conflicts (table_name, row_id, column_name, base_value, mine, theirs, detected_at) VALUES
               ('leads', '{id}', 'notes', '\"base\"', '\"mine\"', '\"theirs\"', '2026-01-01T00:00:00.000000Z'),
               ('leads', '{id}', 'deleted_at', 'null', 'null', '\"2026-01-01T00:00:00Z\"', '2026-01-01T00:00:00.000000Z');
             INSERT INTO sync_rejected (table_name, row_id, op, code, reason, change, rejected_at) VALUES
               ('leads', '{id}', 'insert', '23505', 'duplicate key value violates unique constraint \"leads_org_email_key\"',
                '{{\"op\": \"insert\", \"row\": {{}}}}', '2026-01-01T00:00:00.000000Z'),
               ('leads', '01a218c4-0000-7000-8000-00000000beef', 'insert', '23505', 'duplicate key value violates unique constraint \"leads_org_email_key\"',
                '{{\"op\": \"insert\", \"row\": {{\"first_name\": \"Dup\", \"last_name\": \"FromB\"}}}}', '2026-01-01T00:00:00.000000Z'),
               ('leads', '01a218c4-0000-7000-8000-00000000cafe', 'update', 'P0002', 'row not found or not permitted',
                '{{\"op\": \"update\", \"fields\": {{\"notes\": {{\"new\": \"Line 1\\nLine 2\", \"base\": null}}}}}}', '2026-01-01T00:00:00.000000Z');"
        ),
    );
    let list = cli.ok(&["conflicts", "list"]);
    assert!(list.contains(&format!("#1 Lee Park (lead {id})")), "{list}");
    assert!(list.contains("notes: yours \"mine\" | theirs \"theirs\" (before both: \"base\")"), "{list}");
    assert!(list.contains("deleted by someone else while you edited it: --keep mine brings it back"), "{list}");
    let rejected = cli.ok(&["rejected", "list"]);
    assert!(rejected.contains(&format!("#1 Lee Park (lead {id})")), "{rejected}");
    assert!(
        rejected.contains(
            "new record refused: another lead on the server already has this email: `retry` adds your details to it"
        ),
        "{rejected}"
    );
    // A refused new lead is no longer on this computer: it is named from the change that was sent,
    // and what it said is shown.
    assert!(rejected.contains("#2 Dup FromB (lead 01a218c4-0000-7000-8000-00000000beef)"), "{rejected}");
    assert!(rejected.contains("    your change: first_name = Dup; last_name = FromB"), "{rejected}");
    // An edit of a lead gone from this computer (moved out of reach): its words are still here.
    assert!(rejected.contains("    your change: notes = Line 1↵Line 2"), "{rejected}");
    let status = cli.ok(&["status"]);
    assert!(
        status.contains("Conflicts: 2 (outpost conflicts list)")
            && status.contains("Rejected: 3 (outpost rejected list)"),
        "{status}"
    );

    cli.ok(&["conflicts", "resolve", "1", "--keep", "theirs"]);
    let again = cli.fails(&["conflicts", "resolve", "1", "--keep", "mine"], 3);
    assert!(again.contains("no open conflict #1 (resolved already"), "{again}");
    cli.ok(&["rejected", "discard", "1"]);
    let again = cli.fails(&["rejected", "retry", "1"], 3);
    assert!(again.contains("no open rejected change #1"), "{again}");
    cli.ok(&["rejected", "discard", "2"]);
    cli.ok(&["rejected", "discard", "3"]);
    assert!(cli.ok(&["rejected", "list"]).contains("No rejected changes."));
    // Editing the field again settles its conflict: the inbox no longer offers it.
    sql(
        &cli,
        &format!(
            "INSERT INTO sync_conflicts (table_name, row_id, column_name, base_value, mine, theirs, detected_at) VALUES
               ('leads', '{id}', 'company', 'null', '\"A\"', '\"B\"', '2026-01-01T00:00:00.000000Z')"
        ),
    );
    cli.ok(&["leads", "edit", id, "--company", "C"]);
    let list = cli.ok(&["conflicts", "list"]);
    assert!(!list.contains("company:") && list.contains("deleted by someone else"), "{list}");
    // Many at once: --all, the same way.
    sql(
        &cli,
        &format!(
            "INSERT INTO sync_conflicts (table_name, row_id, column_name, base_value, mine, theirs, detected_at) VALUES
               ('leads', '{id}', 'job_title', 'null', '\"CTO\"', '\"CEO\"', '2026-01-01T00:00:00.000000Z')"
        ),
    );
    assert_eq!(
        cli.ok(&["conflicts", "resolve", "--all", "--keep", "mine"]).trim(),
        "2 conflicts resolved; the next sync sends your values"
    );
    assert!(cli.ok(&["conflicts", "list"]).contains("No conflicts."));
    assert_eq!(cli.json(&["leads", "show", id])["job_title"], "CTO");
    assert_eq!(cli.ok(&["conflicts", "resolve", "--all", "--keep", "theirs"]).trim(), "0 conflicts resolved");
    cli.fails(&["conflicts", "resolve", "--keep", "mine"], 2);
    // Keeping mine on a lead deleted here since says what to do first.
    sql(
        &cli,
        &format!(
            "INSERT INTO sync_conflicts (table_name, row_id, column_name, base_value, mine, theirs, detected_at) VALUES
               ('leads', '{id}', 'job_title', 'null', '\"COO\"', '\"CFO\"', '2026-01-01T00:00:00.000000Z')"
        ),
    );
    cli.ok(&["leads", "delete", id]);
    let n = cli.json(&["conflicts", "list"])[0]["id"].as_i64().unwrap().to_string();
    let e = cli.fails(&["conflicts", "resolve", &n, "--keep", "mine"], 4);
    assert!(e.contains("was deleted here since the conflict: restore it first"), "{e}");
    // All at once: the one that can be settled is, the other is said to be left open, and why.
    let kim = cli.json(&["leads", "add", "--first-name", "Kim"]);
    let kim = kim["id"].as_str().unwrap();
    sql(
        &cli,
        &format!(
            "INSERT INTO sync_conflicts (table_name, row_id, column_name, base_value, mine, theirs, detected_at) VALUES
               ('leads', '{kim}', 'job_title', 'null', '\"VP\"', '\"SVP\"', '2026-01-01T00:00:00.000000Z')"
        ),
    );
    let out = cli.run(&["conflicts", "resolve", "--all", "--keep", "mine"]);
    assert_eq!(out.status.code(), Some(4), "some were left open");
    let all = String::from_utf8(out.stdout).unwrap();
    assert!(
        all.starts_with("1 conflict resolved; the next sync sends your values; 1 left open (this lead was deleted"),
        "{all}"
    );
    cli.fails(&["conflicts", "resolve", "3", "--all", "--keep", "mine"], 2);
}
