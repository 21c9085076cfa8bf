//! `outpost sync --watch`: a line per cycle with its time and what it sent and received, JSON lines
//! with --json; Ctrl-C (SIGINT) ends it cleanly. `outpost status` after a failed sync, and for a
//! viewer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use standin::Standin;

/// A rep of a fresh stand-in organization with an empty database and a token file: commands for
/// `outpost` on that database, and the `login` arguments.
struct Rep {
    s: Standin,
    email: &'static str,
    dir: tempfile::TempDir,
}

impl Rep {
    fn new(email: &'static str) -> Rep {
        Rep::with_role(email, "sales_rep")
    }

    fn with_role(email: &'static str, role: &str) -> Rep {
        let s = Standin::start().unwrap();
        let org = s.create_organization("Org").unwrap();
        s.create_user(email, "pw-rep", org, role).unwrap();
        Rep { s, email, dir: tempfile::tempdir().unwrap() }
    }

    fn outpost(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_outpost"));
        c.arg("--db").arg(self.dir.path().join("outpost.db")).args(args);
        c.env("OUTPOST_TOKEN_FILE", self.dir.path().join("tokens.json")).env("OUTPOST_PASSWORD", "pw-rep");
        c
    }

    fn login(&self) -> [&str; 7] {
        ["login", "--url", &self.s.url, "--anon-key", self.s.anon_key(), "--email", self.email]
    }
}

#[test]
fn watch_prints_each_cycle_and_stops_on_ctrl_c() {
    let rep = Rep::new("w@watch.test");
    let outpost = |args: &[&str]| rep.outpost(args);
    let login = outpost(&rep.login()).output().unwrap();
    assert!(login.status.success(), "{}", String::from_utf8_lossy(&login.stderr));
    assert!(outpost(&["leads", "add", "--first-name", "Wanda"]).output().unwrap().status.success());

    let mut watch = outpost(&["sync", "--watch", "--interval", "3600"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(watch.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    // "17:40:02 synced: 1 change sent, 1 row received; 0 changes waiting, 0 conflicts, 0 rejected"
    let (time, rest) = first.split_once(' ').unwrap();
    assert!(chrono::NaiveTime::parse_from_str(time, "%H:%M:%S").is_ok(), "{first}");
    assert!(
        rest.starts_with("synced: 1 change sent, ") && rest.ends_with("; 0 changes waiting, 0 conflicts, 0 rejected"),
        "{first}"
    );
    assert!(Command::new("kill").args(["-INT", &watch.id().to_string()]).status().unwrap().success());
    assert!(watch.wait().unwrap().success(), "Ctrl-C ends it cleanly");
}

/// A sync that failed is in `outpost status` (when, and why in words) until one works: a rep coming
/// back to the terminal sees that nothing was sent, not just an old "Last sync" time.
#[test]
fn status_tells_the_last_failed_sync_until_one_works() {
    let rep = Rep::new("f@fail.test");
    let outpost = |args: &[&str]| {
        let out = rep.outpost(args).output().unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (out.status.success(), text(&out.stdout), text(&out.stderr))
    };
    let login = rep.login();
    assert!(outpost(&login).0);
    assert!(outpost(&["sync"]).0);
    assert!(outpost(&["logout"]).0);
    let (ok, _, err) = outpost(&["sync"]);
    assert!(!ok && err.contains("not signed in"), "{err}");
    let (_, status, _) = outpost(&["status"]);
    let line = status.lines().find(|l| l.starts_with("Last try: ")).unwrap_or_else(|| panic!("{status}"));
    assert!(line.contains(" failed: not signed in: run `outpost login`"), "{status}");
    let (_, json, _) = outpost(&["--json", "status"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["last_error"]["code"], "signed_out", "{v}");

    assert!(outpost(&login).0);
    assert!(outpost(&["sync"]).0);
    let (_, status, _) = outpost(&["status"]);
    assert!(!status.contains("Last try"), "{status}");
}

/// A viewer's laptop reads the team's CRM and says why it changes nothing, instead of queueing
/// edits (or a whole import) that the server would refuse at every sync.
#[test]
fn a_viewer_is_told_why_nothing_can_change() {
    let rep = Rep::with_role("vi@roles.test", "viewer");
    let outpost = |args: &[&str]| rep.outpost(args).output().unwrap();
    assert!(outpost(&rep.login()).status.success());
    assert!(outpost(&["sync"]).status.success());

    let add = outpost(&["--json", "leads", "add", "--first-name", "Vic"]);
    assert_eq!(add.status.code(), Some(4));
    let said: serde_json::Value = serde_json::from_slice(&add.stdout).unwrap();
    assert_eq!(said["error"]["code"], "view_only", "{said}");
    assert!(said["error"]["message"].as_str().unwrap().starts_with("your role in this organization is viewer"));

    let csv = rep.dir.path().join("leads.csv");
    std::fs::write(&csv, "Email,First Name\na@x.test,A\n").unwrap();
    let import = outpost(&["--json", "import", csv.to_str().unwrap()]);
    assert_eq!(import.status.code(), Some(4), "{}", String::from_utf8_lossy(&import.stderr));
    let said: serde_json::Value = serde_json::from_slice(&import.stdout).unwrap();
    assert_eq!(said["error"]["code"], "view_only", "{said}");

    let status = String::from_utf8_lossy(&outpost(&["status"]).stdout).to_string();
    assert!(status.contains("Signed in as: vi@roles.test (view only: your role"), "{status}");
    let pending = String::from_utf8_lossy(&outpost(&["--json", "status"]).stdout).to_string();
    let v: serde_json::Value = serde_json::from_str(&pending).unwrap();
    assert_eq!((v["pending"].as_u64(), v["view_only"].is_string()), (Some(0), true), "{v}");
}

/// A change the server refuses is not lost in a count: the sync's summary says where it waits.
#[test]
fn a_sync_with_a_refused_change_says_where_to_see_it() {
    let rep = Rep::new("r@refuse.test");
    let outpost = |args: &[&str]| rep.outpost(args).output().unwrap();
    assert!(outpost(&rep.login()).status.success());
    rep.s
        .sql("ALTER TABLE public.leads ADD CONSTRAINT no_refused CHECK (company IS DISTINCT FROM 'Refused') NOT VALID")
        .unwrap();
    assert!(outpost(&["leads", "add", "--first-name", "Ray", "--company", "Refused"]).status.success());
    let sync = outpost(&["sync"]);
    let said = String::from_utf8_lossy(&sync.stdout);
    assert_eq!(sync.status.code(), Some(4), "a script sees it too: {}", String::from_utf8_lossy(&sync.stderr));
    assert!(said.contains(", 1 rejected)") && said.contains("\nSee: outpost rejected list"), "{said}");
    let clean = outpost(&["sync"]);
    assert!(clean.status.success(), "nothing new was refused");
    assert!(!String::from_utf8_lossy(&clean.stdout).contains("See:"), "nothing new to see");
}

/// Two database files, two accounts, one project: the saved sign-in is the last one made. `status`
/// on the first file does not say it is signed in as the second account, and `sync` names the
/// account to sign in as (QA: "Signed in as: carol" on bob's database).
#[test]
fn status_and_sync_on_a_database_another_sign_in_replaced() {
    let rep = Rep::new("bob@two.test");
    let org = rep.s.create_organization("Rival").unwrap();
    rep.s.create_user("carol@rival.test", "pw-rep", org, "sales_rep").unwrap();
    let run = |db: &str, args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_outpost"))
            .arg("--db")
            .arg(rep.dir.path().join(db))
            .args(args)
            .env("OUTPOST_TOKEN_FILE", rep.dir.path().join("tokens.json"))
            .env("OUTPOST_PASSWORD", "pw-rep")
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert!(run("bob.db", &rep.login()).0);
    let carol = ["login", "--url", &rep.s.url, "--anon-key", rep.s.anon_key(), "--email", "carol@rival.test"];
    assert!(run("carol.db", &carol).0);
    let (_, status, _) = run("bob.db", &["status"]);
    assert!(
        status.contains("Signed in as: (nobody here: the saved sign-in is carol@rival.test's")
            && status.contains("`outpost login` as bob@two.test"),
        "{status}"
    );
    let (ok, _, err) = run("bob.db", &["sync"]);
    assert!(!ok && err.contains("sign in as bob@two.test again"), "{err}");
}
