-- What sync could not apply, kept for the rep to decide (SYNC.md "No lost edits").

-- A field both the rep and someone else changed: the server kept theirs; mine waits here.
CREATE TABLE sync_conflicts (
  id INTEGER PRIMARY KEY,
  table_name TEXT NOT NULL,
  row_id TEXT NOT NULL,
  column_name TEXT NOT NULL,
  base_value TEXT CHECK (base_value IS NULL OR json_valid(base_value)),
  mine TEXT CHECK (mine IS NULL OR json_valid(mine)),
  theirs TEXT CHECK (theirs IS NULL OR json_valid(theirs)),
  server_version INTEGER,
  detected_at TEXT NOT NULL,
  resolved_at TEXT,
  resolution TEXT CHECK (resolution IN ('mine', 'theirs'))
);
CREATE INDEX sync_conflicts_open ON sync_conflicts (resolved_at, table_name, row_id);

-- A change the server refused (row-level security, a constraint), with the database's reason.
CREATE TABLE sync_rejected (
  id INTEGER PRIMARY KEY,
  table_name TEXT NOT NULL,
  row_id TEXT NOT NULL,
  op TEXT NOT NULL,
  code TEXT,
  reason TEXT NOT NULL,
  change TEXT NOT NULL CHECK (json_valid(change)),
  rejected_at TEXT NOT NULL,
  resolved_at TEXT
);
CREATE INDEX sync_rejected_open ON sync_rejected (resolved_at);
