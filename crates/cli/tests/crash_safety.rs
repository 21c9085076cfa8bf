//! SYNC.md guarantee 5: `kill -9` of `outpost sync` at many instants of a large sync, then a clean
//! sync, loses and duplicates nothing. The kill instants come from a fixed seed; they choose *when*
//! to crash, they synchronise nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use outpost_core::Store;
use standin::Standin;

fn outpost(db: &Path, token_file: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_outpost"));
    c.arg("--db").arg(db).args(args).env("OUTPOST_TOKEN_FILE", token_file).env("OUTPOST_PASSWORD", "pw-kill-9");
    c.stdout(Stdio::null()).stderr(Stdio::piped());
    c
}

#[test]
fn g5_kill_9_during_sync_at_many_instants_loses_and_duplicates_nothing() {
    let s = Standin::start().unwrap();
    let org = s.create_organization("Crashy").unwrap();
    s.create_user("k@crashy.test", "pw-kill-9", org, "sales_rep").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (db, tokens) = (dir.path().join("outpost.db"), dir.path().join("tokens.json"));
    let out =
        outpost(&db, &tokens, &["login", "--url", &s.url, "--anon-key", s.anon_key(), "--email", "k@crashy.test"])
            .output()
            .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // 3,000 local leads to push, 3,000 server leads to pull.
    {
        let mut store = Store::open(&db).unwrap();
        store
            .write(|tx| {
                for i in 0..3000 {
                    let v = serde_json::json!({"first_name": format!("Local{i}"), "email": format!("local{i}@crashy.test")});
                    tx.insert("leads", v.as_object().unwrap().clone())?;
                }
                Ok(())
            })
            .unwrap();
    }
    s.sql(&format!(
        "INSERT INTO leads (id, organization_id, first_name) SELECT gen_random_uuid(), '{org}', 'Server' || g FROM generate_series(1, 3000) g"
    ))
    .unwrap();

    let mut rng: u64 = 0x5eed;
    let mut killed = 0;
    let mut rounds = 0;
    // 25 rounds, more while fewer than 10 were killed mid-sync (a fast machine finishes some first).
    for round in 0..60 {
        if round >= 25 && killed >= 10 {
            break;
        }
        rounds += 1;
        rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let delay = Duration::from_millis((rng >> 33) % 900);
        // Every round has work in both directions, so a kill lands mid-sync rather than after a
        // sync that had nothing left to do.
        s.sql(&format!(
            "INSERT INTO leads (id, organization_id, first_name) SELECT gen_random_uuid(), '{org}', 'Round{round}-' || g FROM generate_series(1, 400) g"
        ))
        .unwrap();
        {
            // The rep keeps working between crashes.
            let mut store = Store::open(&db).unwrap();
            store
                .write(|tx| {
                    for i in 0..400 {
                        let v = serde_json::json!({"first_name": format!("Between{round}-{i}")});
                        tx.insert("leads", v.as_object().unwrap().clone())?;
                    }
                    Ok(())
                })
                .unwrap();
        }
        let mut child = outpost(&db, &tokens, &["sync"]).spawn().unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        child.wait().unwrap();
    }
    assert!(killed >= 10, "only {killed} syncs were interrupted; the test proves little");

    for _ in 0..2 {
        let out = outpost(&db, &tokens, &["sync"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let store = Store::open(&db).unwrap();
    assert_eq!(store.pending_count().unwrap(), 0);
    assert!(store.open_rejections().unwrap().is_empty(), "{:?}", store.open_rejections().unwrap());
    let mut local: Vec<String> = store
        .all_rows("leads")
        .unwrap()
        .iter()
        .map(|r| format!("{}|{}", r["id"].as_str().unwrap(), r["first_name"].as_str().unwrap()))
        .collect();
    local.sort();
    let mut server =
        s.sql(&format!("SELECT id || '|' || first_name FROM leads WHERE organization_id = '{org}'")).unwrap();
    server.sort();
    assert_eq!(
        server.len(),
        6_000 + 800 * rounds,
        "3,000 + 3,000 at the start, {rounds} rounds of 400 + 400 between crashes, each once"
    );
    assert_eq!(local, server);
}
