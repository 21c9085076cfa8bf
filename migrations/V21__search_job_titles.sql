-- Search finds a lead by their job title too ("cto", "head of sales"): a rep prospecting looks for
-- the people who decide. The external-content index is built again with the column; its triggers
-- name every indexed column, so they are made again with it.
DROP TRIGGER leads_fts_insert;
DROP TRIGGER leads_fts_delete;
DROP TRIGGER leads_fts_update;
DROP TABLE leads_fts;

CREATE VIRTUAL TABLE leads_fts USING fts5 (
  first_name, last_name, email, company, notes, job_title,
  content = 'leads', content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);

CREATE TRIGGER leads_fts_insert AFTER INSERT ON leads BEGIN
  INSERT INTO leads_fts (rowid, first_name, last_name, email, company, notes, job_title)
  VALUES (NEW.rowid, NEW.first_name, NEW.last_name, NEW.email, NEW.company, NEW.notes, NEW.job_title);
END;

CREATE TRIGGER leads_fts_delete AFTER DELETE ON leads BEGIN
  INSERT INTO leads_fts (leads_fts, rowid, first_name, last_name, email, company, notes, job_title)
  VALUES ('delete', OLD.rowid, OLD.first_name, OLD.last_name, OLD.email, OLD.company, OLD.notes, OLD.job_title);
END;

-- Rewritten only when the indexed text changes (V6: a pulled row rewrites every column).
CREATE TRIGGER leads_fts_update AFTER UPDATE OF first_name, last_name, email, company, notes, job_title ON leads
WHEN OLD.first_name IS NOT NEW.first_name OR OLD.last_name IS NOT NEW.last_name OR OLD.email IS NOT NEW.email
  OR OLD.company IS NOT NEW.company OR OLD.notes IS NOT NEW.notes OR OLD.job_title IS NOT NEW.job_title
BEGIN
  INSERT INTO leads_fts (leads_fts, rowid, first_name, last_name, email, company, notes, job_title)
  VALUES ('delete', OLD.rowid, OLD.first_name, OLD.last_name, OLD.email, OLD.company, OLD.notes, OLD.job_title);
  INSERT INTO leads_fts (rowid, first_name, last_name, email, company, notes, job_title)
  VALUES (NEW.rowid, NEW.first_name, NEW.last_name, NEW.email, NEW.company, NEW.notes, NEW.job_title);
END;

-- With a big write buffer, as every load fills it (store::fill_search): fewer segments to merge.
INSERT INTO leads_fts (leads_fts, rank) VALUES ('hashsize', 67108864);
INSERT INTO leads_fts (leads_fts) VALUES ('rebuild');
INSERT INTO leads_fts (leads_fts, rank) VALUES ('hashsize', 1048576);
