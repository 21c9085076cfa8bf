-- The search and tag indexes are rewritten only when their text actually changes: a pulled row or
-- a sync acknowledgement rewrites every column with mostly the same values, and re-indexing the
-- unchanged text dominated the cost of applying them.
DROP TRIGGER leads_fts_update;
CREATE TRIGGER leads_fts_update AFTER UPDATE OF first_name, last_name, email, company, notes ON leads
WHEN OLD.first_name IS NOT NEW.first_name OR OLD.last_name IS NOT NEW.last_name OR OLD.email IS NOT NEW.email
  OR OLD.company IS NOT NEW.company OR OLD.notes IS NOT NEW.notes
BEGIN
  INSERT INTO leads_fts (leads_fts, rowid, first_name, last_name, email, company, notes)
  VALUES ('delete', OLD.rowid, OLD.first_name, OLD.last_name, OLD.email, OLD.company, OLD.notes);
  INSERT INTO leads_fts (rowid, first_name, last_name, email, company, notes)
  VALUES (NEW.rowid, NEW.first_name, NEW.last_name, NEW.email, NEW.company, NEW.notes);
END;

DROP TRIGGER lead_tags_update;
CREATE TRIGGER lead_tags_update AFTER UPDATE OF tags ON leads WHEN OLD.tags IS NOT NEW.tags BEGIN
  DELETE FROM lead_tags WHERE lead_id = OLD.id;
  INSERT OR IGNORE INTO lead_tags (tag, lead_id) SELECT value, NEW.id FROM json_each(NEW.tags);
END;
