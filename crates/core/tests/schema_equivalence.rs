//! The two copies of the schema — migrations/ (SQLite) and supabase/migrations/ (PostgreSQL) — must
//! stay column-for-column equivalent. PostgreSQL's side is read from a real cluster with Supabase's
//! bootstrap and our migrations applied; SQLite's from a freshly migrated database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use outpost_core::catalog::Kind;
use outpost_core::Store;

/// Tables that exist only on the laptop.
const LOCAL_ONLY: [&str; 18] = [
    "template_drafts",
    "activity_drafts",
    "synced_tables",
    "local_settings",
    "sync_capture",
    "outbox",
    "outbox_fields",
    "lead_tags",
    "saved_views",
    "refinery_schema_history",
    "sync_conflicts",
    "sync_rejected",
    "import_changes",
    "import_reports",
    "lead_merges",
    "lead_work",
    "sync_refetch",
    "sync_replace",
];
/// Sync bookkeeping that exists only on the server (supabase/migrations/*_sync.sql).
const SERVER_ONLY_TABLES: [&str; 5] =
    ["sync_clients", "sync_results", "sync_settings", "sync_tables", "sync_tombstones"];
/// Columns that exist only on the server.
const SERVER_ONLY: [&str; 1] = ["_xid"];

#[derive(Debug, Clone, PartialEq)]
struct Col {
    name: String,
    ty: String,
    not_null: bool,
}

type Schema = BTreeMap<String, Vec<Col>>;

fn repo() -> PathBuf {
    PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../..")
}

fn sqlite_schema(store: &Store) -> Schema {
    let conn = store.conn();
    let mut stmt = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'leads_fts%'").unwrap();
    let tables: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    let mut out = Schema::new();
    for t in tables.into_iter().filter(|t| !LOCAL_ONLY.contains(&t.as_str())) {
        let mut stmt = conn
            .prepare(&format!("SELECT name, type, \"notnull\" FROM pragma_table_info('{t}') ORDER BY cid"))
            .unwrap();
        let cols = stmt
            .query_map([], |r| {
                Ok(Col { name: r.get(0)?, ty: r.get::<_, String>(1)?.to_uppercase(), not_null: r.get(2)? })
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        out.insert(t, cols);
    }
    out
}

/// The server's tables and its sync registry ("table|push_order" lines).
fn postgres_schema() -> (Schema, Vec<String>) {
    let pg = pgtest::Cluster::start().unwrap();
    pg.apply_file(&repo().join("supabase/bootstrap.sql")).unwrap();
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(repo().join("supabase/migrations")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(!files.is_empty());
    for f in &files {
        pg.apply_file(f).unwrap();
    }
    let rows = pg
        .query(
            "SELECT c.table_name, c.column_name, c.data_type, c.is_nullable FROM information_schema.columns c
             JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position",
        )
        .unwrap();
    let mut out = Schema::new();
    for line in rows {
        let f: Vec<&str> = line.split('|').collect();
        if SERVER_ONLY_TABLES.contains(&f[0]) {
            continue;
        }
        out.entry(f[0].to_string()).or_default().push(Col {
            name: f[1].into(),
            ty: f[2].into(),
            not_null: f[3] == "NO",
        });
    }
    let registry = pg.query("SELECT table_name, push_order FROM sync_tables ORDER BY push_order").unwrap();
    let no_rls = pg.query("SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND NOT relrowsecurity").unwrap();
    assert!(no_rls.is_empty(), "tables without row-level security: {no_rls:?}");
    (out, registry)
}

/// The SQLite type a PostgreSQL type is stored as (SCHEMA.md, "Rules for every synced table").
fn sqlite_type_for(pg: &str) -> Option<&'static str> {
    Some(match pg {
        "uuid"
        | "text"
        | "character varying"
        | "character"
        | "timestamp with time zone"
        | "date"
        | "jsonb"
        | "json"
        | "ARRAY"
        | "numeric"
        | "inet" => "TEXT",
        "integer" | "bigint" | "smallint" | "boolean" => "INTEGER",
        "real" | "double precision" => "REAL",
        _ => return None,
    })
}

/// Every difference between the two schemas; empty when they are equivalent.
fn differences(sqlite: &Schema, pg: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    for t in sqlite.keys().filter(|t| !pg.contains_key(*t)) {
        out.push(format!("table {t} is only in SQLite"));
    }
    for t in pg.keys().filter(|t| !sqlite.contains_key(*t)) {
        out.push(format!("table {t} is only in PostgreSQL"));
    }
    for (t, lite) in sqlite {
        let Some(pgcols) = pg.get(t) else { continue };
        let pgcols: Vec<&Col> = pgcols.iter().filter(|c| !SERVER_ONLY.contains(&c.name.as_str())).collect();
        for c in lite.iter().filter(|c| !pgcols.iter().any(|p| p.name == c.name)) {
            out.push(format!("{t}.{} is only in SQLite", c.name));
        }
        for p in pgcols.iter().filter(|p| !lite.iter().any(|c| c.name == p.name)) {
            out.push(format!("{t}.{} is only in PostgreSQL", p.name));
        }
        for (c, p) in lite.iter().zip(pgcols.iter()).filter(|(c, p)| c.name == p.name) {
            match sqlite_type_for(&p.ty) {
                Some(want) if want == c.ty => {}
                Some(want) => {
                    out.push(format!("{t}.{}: PostgreSQL {} needs SQLite {want}, found {}", c.name, p.ty, c.ty))
                }
                None => out.push(format!("{t}.{}: PostgreSQL type {} has no SQLite mapping", c.name, p.ty)),
            }
            if c.not_null != p.not_null {
                out.push(format!(
                    "{t}.{}: NOT NULL differs (SQLite {}, PostgreSQL {})",
                    c.name, c.not_null, p.not_null
                ));
            }
        }
        let order_l: Vec<&str> = lite.iter().map(|c| c.name.as_str()).collect();
        let order_p: Vec<&str> = pgcols.iter().map(|c| c.name.as_str()).collect();
        if order_l != order_p && out.is_empty() {
            out.push(format!("{t}: column order differs"));
        }
    }
    out
}

#[test]
fn sqlite_and_postgresql_schemas_are_equivalent() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("outpost.db")).unwrap();
    let lite = sqlite_schema(&store);
    let (pg, registry) = postgres_schema();
    let diffs = differences(&lite, &pg);
    assert!(diffs.is_empty(), "schemas differ:\n{}", diffs.join("\n"));
    assert!(lite.len() >= 23, "{} tables", lite.len());

    // Both sides sync the same tables in the same parent-before-child order.
    let local: Vec<String> = store.catalog().tables().iter().map(|t| format!("{}|{}", t.name, t.push_order)).collect();
    assert_eq!(registry, local);

    // The store's column kinds (which decide how values are converted) agree with PostgreSQL's types.
    for (t, cols) in &pg {
        let table = store.catalog().table(t).unwrap_or_else(|_| panic!("{t} is not in synced_tables"));
        for p in cols.iter().filter(|p| !SERVER_ONLY.contains(&p.name.as_str())) {
            let kind = table.column(&p.name).unwrap().kind;
            let want = match p.ty.as_str() {
                "boolean" => Kind::Bool,
                "jsonb" | "json" | "ARRAY" => Kind::Json,
                "timestamp with time zone" => Kind::Timestamp,
                "integer" | "bigint" | "smallint" => Kind::Integer,
                "real" | "double precision" => Kind::Real,
                _ => Kind::Text,
            };
            assert_eq!(kind, want, "{t}.{} ({})", p.name, p.ty);
        }
    }
}

#[test]
fn the_comparison_catches_drift() {
    let col = |n: &str, ty: &str| Col { name: n.into(), ty: ty.into(), not_null: false };
    let lite: Schema =
        [("leads".to_string(), vec![col("id", "TEXT"), col("score", "INTEGER"), col("tags", "TEXT")])].into();
    let pg: Schema = [(
        "leads".to_string(),
        vec![col("id", "uuid"), col("score", "integer"), col("tags", "ARRAY"), col("_xid", "xid8")],
    )]
    .into();
    assert!(differences(&lite, &pg).is_empty());

    let mut missing = pg.clone();
    missing.get_mut("leads").unwrap().remove(2);
    assert_eq!(differences(&lite, &missing), vec!["leads.tags is only in SQLite"]);

    let mut extra = pg.clone();
    extra.insert("forecasts".into(), vec![col("id", "uuid")]);
    assert_eq!(differences(&lite, &extra), vec!["table forecasts is only in PostgreSQL"]);

    let mut wrong = pg.clone();
    wrong.get_mut("leads").unwrap()[1].ty = "numeric".into();
    assert_eq!(differences(&lite, &wrong), vec!["leads.score: PostgreSQL numeric needs SQLite TEXT, found INTEGER"]);

    let mut nullable = pg;
    nullable.get_mut("leads").unwrap()[0].not_null = true;
    assert_eq!(differences(&lite, &nullable), vec!["leads.id: NOT NULL differs (SQLite false, PostgreSQL true)"]);
}
