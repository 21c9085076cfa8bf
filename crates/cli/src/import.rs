//! `outpost import` and `outpost imports`: thin over outpost-import.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{anyhow, Context};
use outpost_core::Store;
use outpost_import::mapping::Target;
use outpost_import::{DateOrder, ImportOptions, OnDuplicate, ReadOptions};
use serde_json::json;

use crate::args::{DateOrderArg, Duplicates, ImportArgs, ImportsCommand};
use crate::output::{self, count, Usage};

/// `import -`: the file comes down a pipe (`curl … | outpost import -`). It is read into a file
/// named stdin.csv first: the reader looks at a file's start and size before reading it through.
fn piped_in() -> anyhow::Result<(tempfile::TempDir, std::path::PathBuf)> {
    if std::io::stdin().is_terminal() {
        return Err(Usage(
            "`outpost import -` reads the file from a pipe (`… | outpost import -`); give a file's path to import one"
                .into(),
        )
        .into());
    }
    let dir = tempfile::tempdir().context("cannot make a folder to hold the piped file")?;
    let path = dir.path().join("stdin.csv");
    let mut file = std::fs::File::create(&path).context("cannot make a file to hold the piped file")?;
    std::io::copy(&mut std::io::stdin().lock(), &mut file).context("cannot read the piped file")?;
    Ok((dir, path))
}

pub fn run(store: &mut Store, mut a: ImportArgs, json: bool) -> anyhow::Result<()> {
    let piped = if a.file.as_os_str() == "-" {
        let (dir, path) = piped_in()?;
        a.file = path;
        Some(dir)
    } else {
        None
    };
    let encoding = match &a.encoding {
        Some(label) => Some(encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
            Usage(format!("--encoding: unknown encoding '{label}' (e.g. utf-8, windows-1252, utf-16le)"))
        })?),
        None => None,
    };
    let delimiter = match a.delimiter.as_deref() {
        None => None,
        Some("tab" | "\\t") => Some(b'\t'),
        Some(d) if d.len() == 1 => Some(d.as_bytes()[0]),
        Some(d) => return Err(Usage(format!("--delimiter takes one character or 'tab', got '{d}'")).into()),
    };
    // A mistyped option, like --encoding's, before the file is read.
    outpost_import::normalize::region(&a.region).map_err(Usage)?;
    let overrides = a
        .map
        .iter()
        .map(|m| {
            m.rsplit_once('=')
                .map(|(c, f)| (c.to_string(), f.trim().to_string()))
                .ok_or_else(|| anyhow!(Usage(format!("--map takes COLUMN=FIELD, got '{m}'"))))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let opts = ImportOptions {
        read: ReadOptions {
            encoding,
            delimiter,
            skip_records: None,
            shown_as: piped.is_some().then(|| "stdin".into()),
        },
        overrides,
        on_duplicate: match a.on_duplicate {
            Duplicates::Skip => OnDuplicate::Skip,
            Duplicates::Update => OnDuplicate::Update,
            Duplicates::Create => OnDuplicate::Create,
        },
        region: a.region.clone(),
        date_order: match a.date_order {
            DateOrderArg::Auto => DateOrder::Auto,
            DateOrderArg::Mdy => DateOrder::Mdy,
            DateOrderArg::Dmy => DateOrder::Dmy,
            DateOrderArg::Ymd => DateOrder::Ymd,
        },
        dry_run: a.dry_run,
        list_name: a.list.clone(),
        ..ImportOptions::default()
    };
    // Checked before importing: a failed-rows file that cannot be written must not be found out
    // after the import committed (a script would import again), nor overwrite the input. Opened to
    // append, which changes nothing in a file already there.
    if let Some(path) = &a.errors {
        let mut protected = crate::paths::database_files(store.path());
        protected.push((a.file.clone(), "the file being imported"));
        crate::paths::check_writable("--errors", path, &protected)?;
        let existed = path.exists();
        std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        // One made by the check goes again at once: an import stopped (Ctrl-C, a crash) or failed
        // leaves no empty failed-rows file to mislead.
        if !existed {
            let _ = std::fs::remove_file(path);
        }
    }
    let bar = (!json && std::io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::new(100);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}% {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    stop_on_ctrl_c();
    let imported = outpost_import::import(store, &a.file, &opts, &mut |p| {
        if let Some(b) = &bar {
            b.set_position(p.percent() as u64);
            b.set_message(format!("{} · {}", count(p.rows, "row"), p.stage.label()));
        }
        !stop_requested()
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let report = imported?;
    if stop_requested() {
        let undo = report.import_id.as_deref().map(|id| format!(" (`outpost imports undo {id}` takes it back)"));
        say!("The import had finished before Ctrl-C reached it: it is kept{}", undo.unwrap_or_default());
    }
    if let Some(path) = &a.errors {
        // Whole or not at all, through a link to its file, keeping its permissions (paths::write_file).
        crate::paths::write_file(path, |w| Ok(report.write_failed_rows(w)?)).with_context(|| {
            let done = report.import_id.as_deref().map(|id| format!(" (the import itself is done: {id})"));
            format!("cannot write {}{}", path.display(), done.unwrap_or_default())
        })?;
    }
    // Rows read and every one left out: the report says why, the exit status that nothing landed.
    let nothing = report.rows > 0 && report.failed == report.rows;
    let outcome = if nothing { Err(crate::output::Said(4).into()) } else { Ok(()) };
    if json {
        out!("{}", serde_json::to_string(&report)?);
        return outcome;
    }
    let how = Shown {
        file: if piped.is_some() { "stdin".into() } else { a.file.display().to_string() },
        nothing,
        date_order_chosen: !matches!(a.date_order, DateOrderArg::Auto),
        on_duplicate: Some(opts.on_duplicate),
        errors_written: a.errors.is_some(),
        undoable: true,
    };
    print(&report, &how);
    outcome
}

pub fn history(store: &mut Store, cmd: ImportsCommand, json: bool) -> anyhow::Result<()> {
    match cmd {
        ImportsCommand::List => {
            let rows = outpost_import::history(store)?;
            if !json {
                // An import this computer did not finish (killed midway) left no record: said here.
                for cut in outpost_import::under_way::interrupted(store.path()) {
                    out!(
                        "Did not finish: {} (started {}) — nothing of it was kept; import it again.",
                        cut.file,
                        cut.started_at
                    );
                }
            }
            if json {
                out!("{}", serde_json::to_string(&rows)?);
            } else if rows.is_empty() {
                out!("No imports yet.");
            } else {
                for r in rows {
                    let merged = match r.merged {
                        0 => String::new(),
                        n => format!(", {n} merged"),
                    };
                    out!(
                        "{} {} {} — {}, {} created, {} updated{merged}, {} skipped, {} ({})",
                        r.id,
                        r.file_name,
                        r.status,
                        count(r.rows.max(0) as u64, "row"),
                        r.created,
                        r.updated,
                        r.skipped,
                        count(r.errors.max(0) as u64, "error"),
                        r.created_at
                    );
                }
            }
            Ok(())
        }
        ImportsCommand::Show { id, errors } => show(store, &id, errors.as_deref(), json),
        ImportsCommand::Undo { id } => {
            // The first characters of the id do, as for leads.
            let id = store.resolve_id("imports", &id)?;
            let u = outpost_import::undo(store, &id)?;
            // "; 1 lead … keeps …" / "; 2 leads … keep …", or nothing for none.
            let leads = |n: u64, what: &str, one: &str, many: &str, after: &str| match n {
                0 => String::new(),
                n => format!("; {} {what} {}{after}", count(n, "lead"), if n == 1 { one } else { many }),
            };
            let kept = leads(u.kept, "changed since the import", "keeps", "keep", " those changes");
            let opt_outs =
                leads(u.opt_outs_kept, "it opted out", "stays", "stay", " opted out (an opt-out is never cleared)");
            output::done(
                json,
                &format!(
                    "Undid import {id}: {} removed, {} restored{kept}{opt_outs}",
                    count(u.removed, "lead"),
                    u.restored
                ),
                json!({"removed": u.removed, "restored": u.restored, "kept": u.kept, "opt_outs_kept": u.opt_outs_kept}),
            )
        }
    }
}

/// A past import's report again (kept on the computer that ran it), and its rows left out to a
/// file with `--errors`.
fn show(store: &mut Store, id: &str, errors: Option<&std::path::Path>, json: bool) -> anyhow::Result<()> {
    let id = store.resolve_id("imports", id)?;
    let details = outpost_import::details::details(store, &id)?.ok_or_else(|| {
        anyhow!("import {id} ran on another computer (or before Outpost kept reports): its report is not here")
    })?;
    let report = &details.report;
    if let Some(path) = errors {
        crate::paths::check_writable("--errors", path, &crate::paths::database_files(store.path()))?;
        crate::paths::write_file(path, |w| Ok(report.write_failed_rows(w)?))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if json {
        out!("{}", serde_json::to_string(&details)?);
        return Ok(());
    }
    let status = outpost_import::history(store)?.into_iter().find(|r| r.id == id).map(|r| r.status);
    let how = Shown {
        file: report.file.clone(),
        nothing: report.rows > 0 && report.failed == report.rows,
        date_order_chosen: true,
        on_duplicate: None,
        errors_written: errors.is_some(),
        undoable: status.as_deref() != Some("reverted"),
    };
    print(report, &how);
    let duplicates = report.on_duplicate.map(|d| match d {
        OnDuplicate::Skip => "duplicates skipped",
        OnDuplicate::Update => "duplicates filled in (--on-duplicate update)",
        OnDuplicate::Create => "duplicates added anyway, tagged possible-duplicate (--on-duplicate create)",
    });
    if let (Some(duplicates), Some(region)) = (duplicates, &report.region) {
        out!("  {duplicates}; phones without a country code read as {region}");
    }
    if status.as_deref() == Some("reverted") {
        out!("This import was undone.");
    }
    if details.problems_total > report.problems.len() as u64 {
        out!("  (the report keeps the first {} of {} problems)", report.problems.len(), details.problems_total);
    }
    if details.rows_cut() {
        out!("  (the first {} of {} rows left out are kept for --errors)", report.failed_rows.len(), report.failed);
    }
    if let Some(path) = errors {
        say!("{} left out written to {}", count(report.failed_rows.len() as u64, "row"), path.display());
    }
    Ok(())
}

/// How an import's report is printed: after the import, or again by `outpost imports show`.
struct Shown {
    file: String,
    /// Every row read was left out.
    nothing: bool,
    /// The date order was given (`--date-order`), not read from the file's dates.
    date_order_chosen: bool,
    /// None when not known (a kept report): the note on a file imported before is left out.
    on_duplicate: Option<OnDuplicate>,
    /// The rows left out went to a file (`--errors`).
    errors_written: bool,
    /// Not undone yet: the undo command is said.
    undoable: bool,
}

fn print(report: &outpost_import::Report, how: &Shown) {
    let unchanged = match report.unchanged {
        0 => String::new(),
        n => format!(" ({n} already up to date)"),
    };
    let merged = match report.merged {
        0 => String::new(),
        n => format!(", {n} merged into a lead an earlier row made or updated"),
    };
    out!(
        "{}{}: {} — {} created, {} updated{merged}, {} skipped as duplicates{unchanged}, {} left out ({}, delimiter '{}')",
        match (how.nothing, report.dry_run) {
            (true, _) => "Nothing imported from ",
            (false, true) => "Dry run of ",
            (false, false) => "Imported ",
        },
        how.file,
        count(report.rows, "row"),
        report.created,
        report.updated,
        report.skipped,
        report.failed,
        report.encoding,
        report.delimiter.escape_default()
    );
    if !how.date_order_chosen && report.date_order != DateOrder::Mdy {
        out!("  Dates read as day/month/year, as the file's dates are written (--date-order to choose)");
    }
    if report.dates_unclear {
        out!("  Dates read as month/day/year: each could be read either way (--date-order dmy if they are day/month/year)");
    }
    if report.no_header_row {
        out!("  No header row: the first row is a lead (its columns are Column 1, Column 2 …)");
    }
    if report.lines_above_header > 0 {
        let lines = count(report.lines_above_header, "line");
        out!("  {lines} above the column names skipped (a title or notes, not leads)");
    }
    if report.empty_rows > 0 {
        out!("  {} of nothing but delimiters skipped (empty rows, not leads)", count(report.empty_rows, "line"));
    }
    if report.footer_rows > 0 {
        out!("  {} after the data read as a report's footer, not leads", count(report.footer_rows, "line"));
    }
    if let (Some(earlier), Some(on_duplicate)) =
        (report.same_file_as.as_ref().filter(|_| !how.nothing), how.on_duplicate)
    {
        // From the counts: how many rows came (or would come) in again as new leads, and why.
        let again = match (report.created, report.dry_run) {
            (0, true) => "nothing in it would be added twice".to_string(),
            (0, false) => "nothing in it was added twice".to_string(),
            (n, dry) => {
                let why = match on_duplicate {
                    OnDuplicate::Create => "--on-duplicate create".to_string(),
                    _ if n == 1 => "no email or LinkedIn profile to match it by, or its lead is gone since".to_string(),
                    _ => "no email or LinkedIn profile to match them by, or their leads are gone since".to_string(),
                };
                let rows = count(n, "row");
                match (dry, n) {
                    (true, _) => format!("{rows} would be added again as new leads ({why})"),
                    (false, 1) => format!("{rows} was added again as a new lead ({why}); undo with the command below if that was a mistake"),
                    (false, _) => format!("{rows} were added again as new leads ({why}); undo with the command below if that was a mistake"),
                }
            }
        };
        out!("  Note: this file was imported before (import {earlier}): {again}.");
    }
    for m in &report.mapping {
        let target = match &m.target {
            // What an import keeps beside a lead rather than setting on it (crates/import mapping.rs).
            Target::Field(f) if f == "created_at" => {
                format!("custom field original_created_at ({:.0}%)", m.confidence * 100.0)
            }
            Target::Field(f) => format!("{f} ({:.0}%)", m.confidence * 100.0),
            Target::Custom => "custom field".into(),
            Target::Ignore => "ignored".into(),
        };
        // A blank header is the column its values are kept under ("Column 2").
        let header = if m.header.trim().is_empty() { format!("Column {}", m.column + 1) } else { m.header.clone() };
        out!("  {header:<32} → {target}");
    }
    // Rows left out (and duplicates skipped) first: notes on leads imported anyway could be one per
    // row and must not hide them.
    let (notes, left_out): (Vec<_>, Vec<_>) = report.problems.iter().partition(|p| p.kept);
    let shown = |p: &outpost_import::RowProblem| {
        // A row-wide problem ("nothing to make a lead from") names no column or value.
        let what = match (p.column.is_empty(), p.value.is_empty()) {
            (true, _) => String::new(),
            (false, true) => format!("{} — ", p.column),
            (false, false) => format!("{} '{}' — ", p.column, p.value),
        };
        out!("  row {}: {what}{}", p.row, p.reason);
    };
    left_out.iter().take(20).for_each(|p| shown(p));
    if left_out.len() > 20 {
        // Duplicates skipped are listed too but are not rows left out: --errors holds only those.
        let hint = if report.failed > 0 && !how.errors_written {
            " (write the rows left out, with their reasons, with --errors FILE)"
        } else {
            ""
        };
        out!("  … and {} more{hint}", left_out.len() - 20);
    }
    if report.kept_values > 0 {
        out!(
            "  {} on leads imported anyway (values kept as text in custom fields, or left as they were), e.g.:",
            count(report.kept_values, "note")
        );
        notes.iter().take(5).for_each(|p| shown(p));
    }
    // An import that created and changed nothing has nothing to undo.
    let changed = report.created + report.updated + report.merged > 0;
    if let Some(id) = report.import_id.as_ref().filter(|_| changed && how.undoable) {
        out!("Undo with: outpost imports undo {id}");
    }
}

/// Set by Ctrl-C during an import: the import stops at its next progress report, and a wait for
/// another writer gives up (see main's wait).
static STOP: AtomicBool = AtomicBool::new(false);

pub(crate) fn stop_requested() -> bool {
    STOP.load(Ordering::Relaxed)
}

/// Ctrl-C asks the import to stop: said at once, and the import rolls back at its next progress
/// report (or its wait for another writer ends), keeping nothing of the file. A second Ctrl-C ends
/// the process there and then; the import's transaction was never committed, so SQLite drops it
/// all the same. (Past its last report the import commits: it says so then.)
fn stop_on_ctrl_c() {
    let (ready, listening) = std::sync::mpsc::channel();
    let listener = std::thread::Builder::new().name("ctrl-c".into()).spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_io().build() else { return };
        rt.block_on(async {
            // (Made, each listens at once: SIGINT on Unix, Ctrl-C on Windows.)
            #[cfg(unix)]
            let signals = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt());
            #[cfg(windows)]
            let signals = tokio::signal::windows::ctrl_c();
            let Ok(mut signals) = signals else { return };
            let _ = ready.send(());
            signals.recv().await;
            STOP.store(true, Ordering::Relaxed);
            eprintln!("Stopping the import (Ctrl-C again to quit at once; nothing of the file is kept either way)");
            signals.recv().await;
            std::process::exit(130);
        });
    });
    // Listening before the first row is written, so a Ctrl-C is never the default instant exit
    // for some and a rollback for others.
    if listener.is_ok() {
        let _ = listening.recv();
    }
}
