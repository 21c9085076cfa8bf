#!/usr/bin/env bash
# Import benchmark (BENCHMARKS.md): a generated N-row leads CSV imported by `outpost import`, compared
# in the same run with the sqlite3 CLI's .import of the same file, with and without the indexes a CRM
# needs. Usage: scripts/bench-import.sh [ROWS]   (default 1000000)
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
need_rust
need_build_tools
command -v sqlite3 >/dev/null || apt_install sqlite3
ROWS="${1:-1000000}"
WORK="$HOME/.cache/outpost/bench"
mkdir -p "$WORK"
CSV="$WORK/leads-$ROWS.csv"
[ -f "$CSV" ] || python3 "$ROOT/scripts/gen-leads-csv.py" "$ROWS" "$CSV"
echo "file: $CSV ($(du -m "$CSV" | cut -f1) MB, $ROWS rows)"
(cd "$ROOT" && cargo build --release --quiet -p outpost-cli)
BIN="$CARGO_TARGET_DIR/release/outpost"
t() { /usr/bin/time -f "%e s, peak RSS %M KB" "$@"; }

rm -f "$WORK/import.db"*
echo "== outpost import (mapping, validation, phone normalisation, dedupe, search index, outbox)"
t "$BIN" --db "$WORK/import.db" import "$CSV" | head -1

rm -f "$WORK/raw.db"*
echo "== sqlite3 .import, no indexes"
t sqlite3 "$WORK/raw.db" ".mode csv" ".import $CSV leads"

rm -f "$WORK/indexed.db"*
echo "== sqlite3 .import into a table with a primary key, unique email index and FTS5"
t sqlite3 "$WORK/indexed.db" \
  "CREATE TABLE leads (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT, phone TEXT, company TEXT, job_title TEXT, status TEXT, city TEXT);" \
  "CREATE UNIQUE INDEX leads_email ON leads (lower(email));" \
  "CREATE VIRTUAL TABLE leads_fts USING fts5 (first_name, last_name, email, company, content='leads', content_rowid='id');" \
  "CREATE TRIGGER leads_ai AFTER INSERT ON leads BEGIN INSERT INTO leads_fts (rowid, first_name, last_name, email, company) VALUES (new.id, new.first_name, new.last_name, new.email, new.company); END;" \
  "CREATE TEMP TABLE staging (first_name TEXT, last_name TEXT, email TEXT, phone TEXT, company TEXT, job_title TEXT, status TEXT, city TEXT);" \
  ".mode csv" ".import --skip 1 $CSV staging" \
  "INSERT INTO leads (first_name, last_name, email, phone, company, job_title, status, city) SELECT * FROM staging;"
rm -f "$WORK/import.db"* "$WORK/raw.db"* "$WORK/indexed.db"*
