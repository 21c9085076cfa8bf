//! The frontend's TypeScript view of the commands is generated from them, never written by hand:
//! this test fails when ui/src/lib/bindings.ts is stale. OUTPOST_UPDATE_BINDINGS=1 rewrites it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[test]
fn typescript_bindings_are_up_to_date() {
    let generated = outpost_desktop::typescript_bindings().unwrap();
    let path = std::path::Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../ui/src/lib/bindings.ts");
    if std::env::var_os("OUTPOST_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: run OUTPOST_UPDATE_BINDINGS=1 cargo test -p outpost-desktop --test bindings",
        path.display()
    );
}
