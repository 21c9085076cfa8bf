//! The official supabase-js client (npm, pinned in tests/conformance/package.json) against the
//! stand-in: the best proof that it speaks the real protocol.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Command;

use standin::Standin;

#[test]
fn supabase_js_signs_up_signs_in_and_a_web_form_inserts_with_the_anon_key() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("tests/conformance");
    assert!(
        dir.join("node_modules/@supabase/supabase-js").is_dir(),
        "supabase-js is not installed: run scripts/test (it runs npm ci in {})",
        dir.display()
    );
    let s = Standin::start().unwrap();
    let org = s.create_organization("Web Co").unwrap();
    s.sql(&format!("UPDATE organizations SET settings = '{{\"web_form_enabled\": true}}' WHERE id = '{org}'")).unwrap();
    s.create_user("rep@web.test", "rep-password", org, "sales_rep").unwrap();
    let out = Command::new("node")
        .arg("web-form.mjs")
        .current_dir(&dir)
        .env("URL", &s.url)
        .env("ANON_KEY", s.anon_key())
        .env("MEMBER_EMAIL", "rep@web.test")
        .env("MEMBER_PASSWORD", "rep-password")
        .env("ORG_ID", org.to_string())
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{text}");
    assert!(text.contains("OK supabase-js conformance"), "{text}");
    let rows = s.sql("SELECT first_name, source, status FROM leads WHERE email = 'wendy@example.com'").unwrap();
    assert_eq!(rows, vec!["Wendy|web_form|new"]);
    let kept = s.sql("SELECT content FROM conversations WHERE platform = 'web_form'").unwrap();
    assert_eq!(kept, vec!["Still waiting for a call"], "the second send is kept on the lead");
}
