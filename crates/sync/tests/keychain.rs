//! The production token store against a real Secret Service: a private D-Bus session with an
//! unlocked gnome-keyring (DESKTOP.md's recipe). The test re-runs itself inside that session.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use outpost_sync::{Keychain, Session, TokenStore};

#[test]
fn the_keychain_keeps_loads_and_forgets_a_session() {
    if std::env::var_os("OUTPOST_IN_KEYRING_SESSION").is_none() {
        let me = std::env::current_exe().unwrap();
        let script = format!(
            "printf test-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; \
             OUTPOST_IN_KEYRING_SESSION=1 exec '{}' --exact the_keychain_keeps_loads_and_forgets_a_session --nocapture",
            me.display()
        );
        let home = tempfile::tempdir().unwrap();
        let out = std::process::Command::new("dbus-run-session")
            .args(["--", "sh", "-c", &script])
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_RUNTIME_DIR", home.path())
            .output()
            .expect("dbus-run-session (Debian's dbus package; scripts/test installs it)");
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success() && text.contains("1 passed"), "{text}");
        return;
    }
    let store = Keychain::for_project("http://127.0.0.1:9/keychain-test").unwrap();
    store.clear().unwrap();
    assert_eq!(store.load().unwrap(), None);
    let s = Session {
        access_token: "a.b.c".into(),
        refresh_token: "r-123".into(),
        expires_at: 2_000_000_000,
        user_id: "u".into(),
        email: "k@x.test".into(),
    };
    store.save(&s).unwrap();
    assert_eq!(Keychain::for_project("http://127.0.0.1:9/keychain-test").unwrap().load().unwrap(), Some(s));
    store.clear().unwrap();
    assert_eq!(store.load().unwrap(), None);
}
