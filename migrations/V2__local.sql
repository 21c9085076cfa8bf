-- Local-only tables: never mirrored to Supabase. Change capture triggers on the synced tables are
-- generated from the schema by outpost-core when the database is opened (see capture.rs), so adding
-- a column is only a migration.

-- Which tables sync, in push order (parents before children), and what the laptop may write.
-- writable_columns: NULL = every column, otherwise a JSON array of the columns a rep may change.
-- server_columns: columns only the server maintains; never captured, never pushed.
CREATE TABLE synced_tables (
  table_name TEXT PRIMARY KEY NOT NULL,
  push_order INTEGER NOT NULL UNIQUE,
  writable INTEGER NOT NULL CHECK (writable IN (0, 1)),
  writable_columns TEXT CHECK (writable_columns IS NULL OR json_valid(writable_columns)),
  server_columns TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(server_columns))
);

INSERT INTO synced_tables (table_name, push_order, writable, writable_columns, server_columns) VALUES
  ('organizations',        10, 0, '[]', '[]'),
  ('profiles',             20, 1, '["full_name","avatar_url","phone","preferences","last_active_at"]', '[]'),
  ('teams',                30, 0, '[]', '[]'),
  ('lead_lists',           40, 1, NULL, '["total_contacts"]'),
  ('imports',              50, 1, NULL, '[]'),
  ('products',             60, 0, '[]', '[]'),
  ('campaigns',            70, 1, NULL, '["emails_sent","replies","meetings_booked"]'),
  ('email_templates',      80, 1, NULL, '[]'),
  ('leads',                90, 1, NULL, '[]'),
  ('campaign_leads',      100, 1, NULL, '[]'),
  ('activities',          110, 1, NULL, '[]'),
  ('conversations',       120, 1, NULL, '[]'),
  ('emails',              130, 1, NULL, '[]'),
  ('call_logs',           140, 1, NULL, '[]'),
  ('appointments',        150, 1, NULL, '[]'),
  ('lead_scores',         160, 0, '[]', '[]'),
  ('ai_insights',         170, 1, '["acknowledged_by","acknowledged_at"]', '[]'),
  ('journey_events',      180, 1, NULL, '[]'),
  ('followups',           190, 1, '["status"]', '[]'),
  ('clients',             200, 1, NULL, '[]'),
  ('documents',           210, 1, NULL, '[]'),
  ('forecasts',           220, 0, '[]', '[]'),
  ('performance_metrics', 230, 0, '[]', '[]');

-- Key/value facts about this database: the local organization and user, the sync client id.
CREATE TABLE local_settings (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);

-- One row. capture = 0 while the sync engine applies pulled rows (inside its transaction, so a crash
-- can never leave capture switched off); next_seq numbers outbox entries per client.
CREATE TABLE sync_capture (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  capture INTEGER NOT NULL DEFAULT 1 CHECK (capture IN (0, 1)),
  next_seq INTEGER NOT NULL DEFAULT 1
);
INSERT INTO sync_capture (id, capture, next_seq) VALUES (1, 1, 1);

-- One entry per changed row, coalesced until pushed. seq is renewed on every further edit, so a
-- push retried after the row changed again is never mistaken for the earlier, already-applied one.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE,
  table_name TEXT NOT NULL REFERENCES synced_tables (table_name),
  row_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
  base_version INTEGER,
  created_at TEXT NOT NULL,
  UNIQUE (table_name, row_id)
);

-- The columns an update entry changed, with their value before the first local edit (the base of
-- the server's three-way merge). New values are read from the row when pushing.
CREATE TABLE outbox_fields (
  outbox_id INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
  column_name TEXT NOT NULL,
  base_value ANY,
  PRIMARY KEY (outbox_id, column_name)
) WITHOUT ROWID;

-- Full-text search over leads. External content keyed by the leads rowid.
CREATE VIRTUAL TABLE leads_fts USING fts5 (
  first_name, last_name, email, company, notes,
  content = 'leads', content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);

CREATE TRIGGER leads_fts_insert AFTER INSERT ON leads BEGIN
  INSERT INTO leads_fts (rowid, first_name, last_name, email, company, notes)
  VALUES (NEW.rowid, NEW.first_name, NEW.last_name, NEW.email, NEW.company, NEW.notes);
END;

CREATE TRIGGER leads_fts_delete AFTER DELETE ON leads BEGIN
  INSERT INTO leads_fts (leads_fts, rowid, first_name, last_name, email, company, notes)
  VALUES ('delete', OLD.rowid, OLD.first_name, OLD.last_name, OLD.email, OLD.company, OLD.notes);
END;

CREATE TRIGGER leads_fts_update AFTER UPDATE OF first_name, last_name, email, company, notes ON leads BEGIN
  INSERT INTO leads_fts (leads_fts, rowid, first_name, last_name, email, company, notes)
  VALUES ('delete', OLD.rowid, OLD.first_name, OLD.last_name, OLD.email, OLD.company, OLD.notes);
  INSERT INTO leads_fts (rowid, first_name, last_name, email, company, notes)
  VALUES (NEW.rowid, NEW.first_name, NEW.last_name, NEW.email, NEW.company, NEW.notes);
END;

-- Sort orders of the lead list; partial so deleted leads cost nothing. Each index is what one
-- ListSort in query.rs orders by, expression for expression.
CREATE INDEX leads_sort_updated ON leads (updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_sort_created ON leads (created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_sort_name ON leads ((ifnull(last_name, '') || ' ' || ifnull(first_name, '')) COLLATE NOCASE, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_sort_company ON leads (ifnull(company, '') COLLATE NOCASE, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_sort_score ON leads (current_score, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_sort_follow_up ON leads (ifnull(next_follow_up_at, '9999'), id) WHERE deleted_at IS NULL;
CREATE INDEX leads_by_status ON leads (status, updated_at, id) WHERE deleted_at IS NULL;

-- Tags live in a JSON array on the lead; this table indexes them for the tag filter.
CREATE TABLE lead_tags (
  tag TEXT NOT NULL COLLATE NOCASE,
  lead_id TEXT NOT NULL,
  PRIMARY KEY (tag, lead_id)
) WITHOUT ROWID;
CREATE INDEX lead_tags_by_lead ON lead_tags (lead_id);

CREATE TRIGGER lead_tags_insert AFTER INSERT ON leads WHEN NEW.tags <> '[]' BEGIN
  INSERT OR IGNORE INTO lead_tags (tag, lead_id) SELECT value, NEW.id FROM json_each(NEW.tags);
END;

CREATE TRIGGER lead_tags_update AFTER UPDATE OF tags ON leads BEGIN
  DELETE FROM lead_tags WHERE lead_id = OLD.id;
  INSERT OR IGNORE INTO lead_tags (tag, lead_id) SELECT value, NEW.id FROM json_each(NEW.tags);
END;

CREATE TRIGGER lead_tags_delete AFTER DELETE ON leads BEGIN
  DELETE FROM lead_tags WHERE lead_id = OLD.id;
END;

-- Saved views of the lead list (filters + sort as JSON), local to this laptop.
CREATE TABLE saved_views (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  query TEXT NOT NULL CHECK (json_valid(query)),
  created_at TEXT NOT NULL
);
