//! Whose data a database holds.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use outpost_core::Store;

/// A database holds one account: signing in as another is refused in words the rep knows — the
/// account's email and project, and the changes still waiting for it (it named two UUIDs).
#[test]
fn another_account_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("outpost.db")).unwrap();
    let (org, user) = ("01a218c5-b66e-77a3-b2c3-12df7514ba7a", "bc8251cb-6d7f-446d-924a-e025781d3408");
    store
        .conn()
        .execute_batch(&format!(
            "INSERT INTO organizations (id, name, created_at, updated_at) VALUES ('{org}', 'Acme', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z');
             INSERT INTO profiles (id, organization_id, email, created_at, updated_at) VALUES ('{user}', '{org}', 'ana@acme.test', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z');"
        ))
        .unwrap();
    store.adopt_identity(org, user).unwrap();
    store.set_setting("supabase_url", "https://acme.supabase.co").unwrap();
    let e = store
        .adopt_identity("01a218c5-0000-7000-8000-000000000001", "01a218c5-0000-7000-8000-000000000002")
        .unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, outpost_core::Error::AnotherAccount(_)), "{e:?}");
    assert!(text.contains("ana@acme.test at https://acme.supabase.co") && text.contains("--db"), "{text}");
}
