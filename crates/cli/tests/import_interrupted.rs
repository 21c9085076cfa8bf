//! An import killed midway keeps nothing (one transaction) and is said at the next start: its
//! note beside the database, held while it ran, stays behind unlocked.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::io::Write;
use std::process::Stdio;

use common::Cli;
use outpost_import::under_way;

#[test]
fn an_import_killed_midway_is_said_and_keeps_nothing() {
    let cli = Cli::new();
    cli.ok(&["init"]);
    let dir = cli.db.parent().unwrap().to_path_buf();
    let csv = dir.join("big.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&csv).unwrap());
    writeln!(f, "First Name,Last Name,Email,Company").unwrap();
    for i in 0..300_000 {
        writeln!(f, "Ana{i},Reyes,ana{i}@acme.example,Acme {}", i % 97).unwrap();
    }
    drop(f);

    let mut child =
        cli.command(&["import", csv.to_str().unwrap()]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let note = |dir: &std::path::Path| {
        std::fs::read_dir(dir).unwrap().flatten().any(|e| e.file_name().to_string_lossy().starts_with("crm.db.import-"))
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !note(&dir) {
        assert!(child.try_wait().unwrap().is_none(), "the import ended before it could be killed");
        assert!(std::time::Instant::now() < deadline, "no note of the import under way");
        std::thread::yield_now();
    }
    assert!(under_way::interrupted(&cli.db).is_empty(), "an import running now is not one that did not finish");
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let cut = under_way::interrupted(&cli.db);
    assert_eq!(cut.len(), 1, "{cut:?}");
    assert_eq!(cut[0].file, csv.display().to_string());
    let listed = cli.ok(&["imports", "list"]);
    assert!(listed.contains("Did not finish: ") && listed.contains("big.csv"), "{listed}");
    let kept = cli.json(&["leads", "list"]);
    assert_eq!(kept["leads"].as_array().map(Vec::len), Some(0), "nothing kept: {kept}");

    under_way::dismiss(&cli.db, &cut[0].id).unwrap();
    assert!(under_way::interrupted(&cli.db).is_empty());
    assert!(under_way::dismiss(&cli.db, "../etc/passwd").is_err(), "only an import's note");
}
