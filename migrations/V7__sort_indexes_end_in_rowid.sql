-- The lead list's sort indexes break ties by rowid, which every index entry already ends with,
-- instead of repeating the 36-character id: a third smaller, faster to build after a bulk load and
-- to keep up on every write. (IF EXISTS: an interrupted first sync may have them dropped; its saved
-- definitions are restored only where missing.)
DROP INDEX IF EXISTS leads_sort_updated;
DROP INDEX IF EXISTS leads_sort_created;
DROP INDEX IF EXISTS leads_sort_name;
DROP INDEX IF EXISTS leads_sort_company;
DROP INDEX IF EXISTS leads_sort_score;
DROP INDEX IF EXISTS leads_sort_follow_up;
CREATE INDEX leads_sort_updated ON leads (updated_at) WHERE deleted_at IS NULL;
CREATE INDEX leads_sort_created ON leads (created_at) WHERE deleted_at IS NULL;
CREATE INDEX leads_sort_name ON leads ((ifnull(last_name, '') || ' ' || ifnull(first_name, '')) COLLATE NOCASE) WHERE deleted_at IS NULL;
CREATE INDEX leads_sort_company ON leads (ifnull(company, '') COLLATE NOCASE) WHERE deleted_at IS NULL;
CREATE INDEX leads_sort_score ON leads (current_score) WHERE deleted_at IS NULL;
CREATE INDEX leads_sort_follow_up ON leads (ifnull(next_follow_up_at, '9999')) WHERE deleted_at IS NULL;
