//! Drives the real app: Xvfb (a private X display), WebKitWebDriver (the WebDriver server for
//! WebKitGTK, which launches the app binary) inside a private D-Bus session, and a small W3C WebDriver
//! client over HTTP. Every process runs in its own process group and is killed with it on drop.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Polls `f` until it returns Some, or panics with `what` after `secs`.
pub fn wait_for<T>(secs: u64, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out after {secs} s waiting for {what}");
        std::thread::yield_now();
        std::thread::park_timeout(Duration::from_millis(50));
    }
}

struct Group(Child);

impl Drop for Group {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-s", "KILL", "--", &format!("-{}", self.0.id())]).status();
        let _ = self.0.wait();
    }
}

fn spawn(mut cmd: Command) -> Group {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0).stdin(Stdio::null());
    Group(cmd.spawn().unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}")))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub struct App {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub driver: Driver,
    /// The process group of the WebDriver server, the app and its WebKit processes.
    pub group: u32,
    _webdriver: Group,
    _xvfb: Xvfb,
}

/// The document portal the app's D-Bus session starts mounts a FUSE file system in the app's
/// cache folder; killed with the session, it left the mount behind (dozens piled up under /tmp,
/// and a folder that cannot be removed). Unmounted with the app.
fn unmount_portal(home: &Path) {
    let doc = home.join("cache").join("doc");
    let _ = Command::new("fusermount").arg("-u").arg("-z").arg(&doc).stderr(Stdio::null()).status();
}

impl Drop for App {
    fn drop(&mut self) {
        unmount_portal(self.dir.path());
    }
}

impl Drop for Alone {
    fn drop(&mut self) {
        unmount_portal(&self.home);
    }
}

impl App {
    /// Starts the app binary on a fresh database and a fresh X display.
    pub fn start(binary: &Path) -> App {
        App::start_on(binary, None)
    }

    /// Starts the app binary on `db` (default: a fresh one) and a fresh X display.
    pub fn start_on(binary: &Path, db: Option<&Path>) -> App {
        App::start_with(binary, db, &[])
    }

    /// As `start_on`, with extra environment variables for the app.
    pub fn start_with(binary: &Path, db: Option<&Path>, env: &[(&str, &str)]) -> App {
        let dir = tempfile::tempdir().unwrap();
        let (xvfb, display) = start_xvfb();
        let port = free_port();
        let db = db.map_or_else(|| dir.path().join("outpost.db"), Path::to_path_buf);
        let mut cmd = Command::new("dbus-run-session");
        cmd.args(["--", "WebKitWebDriver", &format!("--port={port}"), "--host=127.0.0.1"])
            .env("DISPLAY", &display)
            .env("TAURI_WEBVIEW_AUTOMATION", "true")
            .env("NO_AT_BRIDGE", "1")
            .env("OUTPOST_DB", &db)
            .env("OUTPOST_OPENED_LINKS", dir.path().join("opened-links.txt"))
            .env("HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("XDG_CACHE_HOME", dir.path().join("cache"))
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let webdriver = spawn(cmd);
        let group = webdriver.0.id();
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::blocking::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
        wait_for(30, "WebKitWebDriver to listen", || http.get(format!("{base}/status")).send().ok());
        let caps = json!({"capabilities": {"alwaysMatch": {"webkitgtk:browserOptions": {
            "binary": binary.display().to_string(), "args": []}}}});
        let resp: Value = http.post(format!("{base}/session")).json(&caps).send().unwrap().json().unwrap();
        let session = resp["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {resp}")).to_string();
        let driver = Driver { http, url: format!("{base}/session/{session}") };
        App { dir, db, driver, group, _webdriver: webdriver, _xvfb: xvfb }
    }

    /// What the app would have opened in the rep's programs (mail app, browser, file manager), in
    /// order: under automation it writes them down instead.
    pub fn opened_links(&self) -> Vec<String> {
        let text = std::fs::read_to_string(self.dir.path().join("opened-links.txt")).unwrap_or_default();
        text.lines().map(str::to_string).collect()
    }

    /// Resident memory (KiB) of the app and its WebKit processes, by command name.
    pub fn rss_kib(&self) -> Vec<(String, u64)> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
            // pid (comm) state ppid pgrp ...
            let Some(close) = stat.rfind(')') else { continue };
            let fields: Vec<&str> = stat[close + 2..].split_whitespace().collect();
            if fields.get(2).and_then(|g| g.parse::<u32>().ok()) != Some(self.group) {
                continue;
            }
            let comm = stat[stat.find('(').unwrap_or(0) + 1..close].to_string();
            if !(comm.starts_with("outpost") || comm.starts_with("WebKit")) || comm.starts_with("WebKitWebDriver") {
                continue;
            }
            let status = std::fs::read_to_string(entry.path().join("status")).unwrap_or_default();
            let kib = status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
                .unwrap_or(0);
            out.push((comm, kib));
        }
        out
    }

    /// A read-only look at the app's database file.
    pub fn sql(&self, sql: &str) -> Vec<String> {
        let conn = rusqlite::Connection::open_with_flags(&self.db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let mut stmt = conn.prepare(sql).unwrap();
        let text = |v: rusqlite::types::ValueRef<'_>| match v {
            rusqlite::types::ValueRef::Integer(i) => i.to_string(),
            rusqlite::types::ValueRef::Real(f) => f.to_string(),
            rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                String::from_utf8_lossy(t).into()
            }
            rusqlite::types::ValueRef::Null => String::new(),
        };
        stmt.query_map([], |r| Ok(text(r.get_ref(0)?))).unwrap().map(Result::unwrap).collect()
    }
}

/// The app started alone (no WebDriver session), for what happens before its page: a window it
/// shows by itself, found by its title on the display.
pub struct Alone {
    display: String,
    home: PathBuf,
    _app: Group,
    _xvfb: Xvfb,
}

impl Alone {
    pub fn start(binary: &Path, db: &Path, home: &Path) -> Alone {
        let (xvfb, display) = start_xvfb();
        let mut cmd = Command::new("dbus-run-session");
        cmd.arg("--")
            .arg(binary)
            .env("DISPLAY", &display)
            .env("NO_AT_BRIDGE", "1")
            .env("OUTPOST_DB", db)
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        Alone { display, home: home.to_path_buf(), _app: spawn(cmd), _xvfb: xvfb }
    }

    /// The display's windows that show, by title.
    pub fn shown_windows(&self) -> Vec<String> {
        let out = Command::new("xwininfo").args(["-root", "-tree"]).env("DISPLAY", &self.display).output().unwrap();
        let tree = String::from_utf8_lossy(&out.stdout).to_string();
        tree.lines()
            .filter_map(|l| {
                let id = l.split_whitespace().next()?.strip_prefix("0x")?;
                let title = l.split('"').nth(1)?.to_string();
                let info = Command::new("xwininfo")
                    .args(["-id", &format!("0x{id}")])
                    .env("DISPLAY", &self.display)
                    .output()
                    .ok()?;
                String::from_utf8_lossy(&info.stdout).contains("IsViewable").then_some(title)
            })
            .collect()
    }
}

/// A private X display, killed with its process group on drop; its lock file and socket (which a
/// killed Xvfb leaves behind: hundreds piled up in /tmp over many runs) go with it.
struct Xvfb {
    group: Option<Group>,
    display: usize,
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        drop(self.group.take());
        let (lock, socket) = x_files(self.display);
        let _ = std::fs::remove_file(lock);
        let _ = std::fs::remove_file(socket);
    }
}

fn x_files(display: usize) -> (PathBuf, PathBuf) {
    (PathBuf::from(format!("/tmp/.X{display}-lock")), PathBuf::from(format!("/tmp/.X11-unix/X{display}")))
}

/// A display is taken while the Xvfb that wrote its lock file lives; a lock left by a killed one is
/// removed with its socket.
fn display_taken(display: usize) -> bool {
    let (lock, socket) = x_files(display);
    let pid = std::fs::read_to_string(&lock).ok().and_then(|p| p.trim().parse::<u32>().ok());
    match pid {
        Some(pid) if Path::new(&format!("/proc/{pid}")).exists() => true,
        // An X server answering on the socket is alive whatever /proc shows.
        Some(_) if std::os::unix::net::UnixStream::connect(&socket).is_ok() => true,
        Some(_) => {
            let _ = std::fs::remove_file(&lock);
            let _ = std::fs::remove_file(&socket);
            false
        }
        // A lock being written right now, or a socket without one: leave it alone.
        None => lock.exists() || socket.exists(),
    }
}

/// Tests of one binary run in parallel: a display is picked and started by one thread at a time,
/// and only a socket made by our own Xvfb counts (two threads once chose the same display; the
/// loser's Xvfb exited, it saw the winner's socket, and its app died with the winner's display).
static XVFB_START: std::sync::Mutex<usize> = std::sync::Mutex::new(0);

fn start_xvfb() -> (Xvfb, String) {
    let mut tried = XVFB_START.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    for _ in 0..50 {
        *tried += 1;
        let display = 90 + (std::process::id() as usize + *tried) % 400;
        let (_, socket) = x_files(display);
        if display_taken(display) {
            continue;
        }
        let mut cmd = Command::new("Xvfb");
        cmd.args([
            format!(":{display}"),
            "-screen".into(),
            "0".into(),
            "1280x820x24".into(),
            "-nolisten".into(),
            "tcp".into(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        let mut x = spawn(cmd);
        let up = wait_for(20, "Xvfb", || {
            if matches!(x.0.try_wait(), Ok(Some(_))) {
                Some(false)
            } else if socket.exists() {
                Some(true)
            } else {
                None
            }
        });
        if up {
            return (Xvfb { group: Some(x), display }, format!(":{display}"));
        }
    }
    panic!("no free X display");
}

pub struct Driver {
    http: reqwest::blocking::Client,
    url: String,
}

/// A WebDriver element reference.
#[derive(Clone, Debug)]
pub struct El(pub String);

impl Driver {
    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{path}", self.url);
        let req = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).json(&body),
        };
        let v: Value = req.send().unwrap().json().unwrap();
        v["value"].clone()
    }

    fn try_call(&self, path: &str, body: Value) -> Result<Value, String> {
        let v = self.call("POST", path, body);
        match v.get("error") {
            Some(e) => Err(format!("{e}: {}", v["message"])),
            None => Ok(v),
        }
    }

    /// All elements matching a CSS selector.
    pub fn all(&self, css: &str) -> Vec<El> {
        self.elements("/elements", css)
    }

    /// The elements inside `el` matching a CSS selector.
    pub fn all_in(&self, el: &El, css: &str) -> Vec<El> {
        self.elements(&format!("/element/{}/elements", el.0), css)
    }

    fn elements(&self, path: &str, css: &str) -> Vec<El> {
        let v = self.call("POST", path, json!({"using": "css selector", "value": css}));
        v.as_array()
            .map(|a| a.iter().filter_map(|e| e.as_object()?.values().next()?.as_str().map(|s| El(s.into()))).collect())
            .unwrap_or_default()
    }

    /// Waits for the first element matching `css`.
    pub fn find(&self, css: &str) -> El {
        wait_for(20, css, || self.all(css).into_iter().next())
    }

    pub fn testid(&self, id: &str) -> El {
        self.find(&format!("[data-testid='{id}']"))
    }

    /// The action button (Undo, Show in folder) of the toast whose text holds `text`, once shown.
    pub fn toast_action(&self, text: &str) -> El {
        wait_for(10, &format!("the toast “{text}” with its action"), || {
            self.all("[data-testid='toast-item']")
                .into_iter()
                .find(|t| self.text(t).contains(text))
                .and_then(|t| self.all_in(&t, "[data-testid='toast-action']").into_iter().next())
        })
    }

    /// Closes every toast (with its × button): a stack of them covers the window's bottom centre,
    /// and the pointer a test leaves on one keeps them all from timing out.
    pub fn dismiss_toasts(&self) {
        wait_for(20, "the toasts closed", || {
            let close = self.all("[data-testid='toast-item'] button[aria-label='Dismiss']");
            let Some(first) = close.first() else { return Some(()) };
            let _ = self.try_call(&format!("/element/{}/click", first.0), json!({}));
            None
        });
    }

    /// Clicks `el` once it can take the click as a person's would: enabled (a control the page
    /// has off while its last step is on the way ignores a click) and at rest (content arriving
    /// above it moves it between press and release, and the click lands beside it).
    pub fn click(&self, el: &El) {
        self.settled(el);
        let path = format!("/element/{}/click", el.0);
        wait_for(10, "a clickable element", || match self.try_call(&path, json!({})) {
            Ok(_) => Some(()),
            Err(e) if e.contains("stale element") => panic!("the element to click left the page: {e}"),
            Err(_) => None,
        });
    }

    /// Waits until `el` is enabled and has not moved over two animation frames.
    fn settled(&self, el: &El) {
        wait_for(10, "an enabled element at rest", || {
            let state = self.at_rest(el);
            assert!(state.is_some(), "the element to click or type in left the page");
            state.filter(|ready| *ready)
        });
    }

    /// Whether `el` is enabled and has not moved over two animation frames; None once it left the
    /// page.
    fn at_rest(&self, el: &El) -> Option<bool> {
        let v = self.script_async(
            "const [el, done] = arguments;
             const off = () => el.disabled || !!el.closest('fieldset[disabled], select[disabled]');
             const at = () => JSON.stringify(el.getBoundingClientRect());
             const before = at();
             // (A frame or 100 ms, whichever first: a window not painting still answers.)
             const frame = (f) => { let ran = false; const go = () => { if (!ran) { ran = true; f(); } };
                                    requestAnimationFrame(go); setTimeout(go, 100); };
             frame(() => frame(() => done(!el.isConnected ? 'gone' : !off() && at() === before)));",
            json!([{"element-6066-11e4-a52e-4f735466cecf": el.0}]),
        );
        let stale = v.get("error").and_then(Value::as_str).is_some_and(|e| e.contains("stale"));
        (v != json!("gone") && !stale).then_some(v == json!(true))
    }

    /// Clicks what `css` finds, found again if the page draws it anew meanwhile (a list's rows
    /// after a reload the last step set off).
    pub fn click_css(&self, css: &str) {
        wait_for(10, &format!("{css} to take a click"), || {
            let el = self.find(css);
            if self.at_rest(&el) != Some(true) {
                return None;
            }
            self.try_call(&format!("/element/{}/click", el.0), json!({})).ok()
        });
    }

    /// Asks the window to close, as its close button does.
    pub fn request_close(&self) {
        let closed = self.script_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI__.window.getCurrentWindow().close().then(() => done('ok'), e => done('error: ' + String(e)));",
            json!([]),
        );
        assert_eq!(closed, json!("ok"));
    }

    /// Clicks once and ignores the answer: for a click that ends the app (the session goes with it).
    pub fn click_last(&self, el: &El) {
        let _ = self.http.post(format!("{}/element/{}/click", self.url, el.0)).json(&json!({})).send();
    }

    pub fn clear(&self, el: &El) {
        self.call("POST", &format!("/element/{}/clear", el.0), json!({}));
    }

    /// Types into `el` once it takes typing (a field the page has off ignores it).
    pub fn type_text(&self, el: &El, text: &str) {
        self.settled(el);
        let path = format!("/element/{}/value", el.0);
        if let Err(e) = self.try_call(&path, json!({"text": text})) {
            panic!("typing “{text}” was refused: {e}");
        }
    }

    pub fn text(&self, el: &El) -> String {
        self.call("GET", &format!("/element/{}/text", el.0), Value::Null).as_str().unwrap_or_default().to_string()
    }

    pub fn attr(&self, el: &El, name: &str) -> Option<String> {
        self.call("GET", &format!("/element/{}/attribute/{name}", el.0), Value::Null).as_str().map(str::to_string)
    }

    pub fn script(&self, js: &str, args: Value) -> Value {
        self.call("POST", "/execute/sync", json!({"script": js, "args": args}))
    }

    pub fn script_async(&self, js: &str, args: Value) -> Value {
        self.call("POST", "/execute/async", json!({"script": js, "args": args}))
    }

    /// Presses and drags the pointer from the centre of `from` to the centre of `to`.
    pub fn drag(&self, from: &El, to: &El) {
        let el = |e: &El| json!({"element-6066-11e4-a52e-4f735466cecf": e.0});
        let actions = json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
        "actions": [
            {"type": "pointerMove", "duration": 0, "origin": el(from), "x": 0, "y": 0},
            {"type": "pointerDown", "button": 0},
            {"type": "pointerMove", "duration": 150, "origin": el(from), "x": 30, "y": 10},
            {"type": "pointerMove", "duration": 300, "origin": el(to), "x": 0, "y": 0},
            {"type": "pointerUp", "button": 0}
        ]}]});
        let v = self.call("POST", "/actions", actions);
        assert!(v.get("error").is_none(), "pointer actions refused: {v}");
        self.call("DELETE", "/actions", Value::Null);
    }

    pub fn screenshot(&self, path: &Path) {
        use base64::Engine;
        // WebKit can hand back the last frame it composited, from before the latest DOM changes:
        // wait for two animation frames so the page as asserted is the page captured.
        self.script_async(
            "const done = arguments[arguments.length - 1];
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            json!([]),
        );
        let v = self.call("GET", "/screenshot", Value::Null);
        let png = base64::engine::general_purpose::STANDARD.decode(v.as_str().unwrap_or_default()).unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }
}
