//! `outpost import` and `outpost imports`: thin over outpost-import.

use std::io::IsTerminal;

use anyhow::{anyhow, Context};
use outpost_core::Store;
use outpost_import::{DateOrder, ImportOptions, OnDuplicate, ReadOptions};
use serde_json::json;

use crate::args::{DateOrderArg, Duplicates, ImportArgs, ImportsCommand};
use crate::output;

pub fn run(store: &mut Store, a: ImportArgs, json: bool) -> anyhow::Result<()> {
    let encoding = match &a.encoding {
        Some(label) => Some(
            encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| anyhow!("unknown encoding '{label}'"))?,
        ),
        None => None,
    };
    let delimiter = match a.delimiter.as_deref() {
        None => None,
        Some("tab" | "\\t") => Some(b'\t'),
        Some(d) if d.len() == 1 => Some(d.as_bytes()[0]),
        Some(d) => return Err(anyhow!("--delimiter takes one character or 'tab', got '{d}'")),
    };
    let overrides = a
        .map
        .iter()
        .map(|m| {
            m.rsplit_once('=')
                .map(|(c, f)| (c.to_string(), f.trim().to_string()))
                .ok_or_else(|| anyhow!("--map takes COLUMN=FIELD, got '{m}'"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let opts = ImportOptions {
        read: ReadOptions { encoding, delimiter, skip_records: None },
        overrides,
        on_duplicate: match a.on_duplicate {
            Duplicates::Skip => OnDuplicate::Skip,
            Duplicates::Update => OnDuplicate::Update,
            Duplicates::Create => OnDuplicate::Create,
        },
        region: a.region.clone(),
        date_order: match a.date_order {
            DateOrderArg::Mdy => DateOrder::Mdy,
            DateOrderArg::Dmy => DateOrder::Dmy,
            DateOrderArg::Ymd => DateOrder::Ymd,
        },
        dry_run: a.dry_run,
        list_name: a.list.clone(),
        ..ImportOptions::default()
    };
    let bar = (!json && std::io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::new(100);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}% {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let report = outpost_import::import(store, &a.file, &opts, &mut |p| {
        if let Some(b) = &bar {
            b.set_position(p.percent() as u64);
            b.set_message(format!("{} rows · {}", p.rows, p.stage.label()));
        }
        true
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if let Some(path) = &a.errors {
        let f = std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
        report.write_failed_rows(f).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if json {
        out!("{}", serde_json::to_string(&report)?);
        return Ok(());
    }
    out!(
        "{}{}: {} rows — {} created, {} updated, {} skipped as duplicates, {} left out ({}, delimiter '{}')",
        if report.dry_run { "Dry run of " } else { "Imported " },
        a.file.display(),
        report.rows,
        report.created,
        report.updated,
        report.skipped,
        report.failed,
        report.encoding,
        report.delimiter.escape_default()
    );
    for m in &report.mapping {
        out!("  {:<32} → {:?} ({:.0}%)", m.header, m.target, m.confidence * 100.0);
    }
    for p in report.problems.iter().take(20) {
        out!(
            "  row {}: {} {} — {}",
            p.row,
            p.column,
            if p.value.is_empty() { String::new() } else { format!("'{}'", p.value) },
            p.reason
        );
    }
    if report.problems.len() > 20 {
        out!("  … and {} more (write them all with --errors FILE)", report.problems.len() - 20);
    }
    if let Some(id) = &report.import_id {
        out!("Undo with: outpost imports undo {id}");
    }
    Ok(())
}

pub fn history(store: &mut Store, cmd: ImportsCommand, json: bool) -> anyhow::Result<()> {
    match cmd {
        ImportsCommand::List => {
            let rows = outpost_import::history(store)?;
            if json {
                out!("{}", serde_json::to_string(&rows)?);
            } else if rows.is_empty() {
                out!("No imports yet.");
            } else {
                for r in rows {
                    out!(
                        "{} {} {} — {} rows, {} created, {} updated, {} skipped, {} errors ({})",
                        r.id,
                        r.file_name,
                        r.status,
                        r.rows,
                        r.created,
                        r.updated,
                        r.skipped,
                        r.errors,
                        r.created_at
                    );
                }
            }
            Ok(())
        }
        ImportsCommand::Undo { id } => {
            let u = outpost_import::undo(store, &id)?;
            let kept = match u.kept {
                0 => String::new(),
                n => format!("; {n} changed since the import keep those changes"),
            };
            output::done(
                json,
                &format!("Undid import {id}: {} leads removed, {} restored{kept}", u.removed, u.restored),
                json!({"removed": u.removed, "restored": u.restored, "kept": u.kept}),
            )
        }
    }
}
