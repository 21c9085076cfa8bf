-- Names and companies sort without regard to accents as well as case: NOCASE folds ASCII letters
-- only, so "Ärzt", "Émile" and "Østby" came after "Zeller". outpost_sort_key is the store's own
-- deterministic function (crates/core/src/sort_key.rs), registered on every connection it opens.
DROP INDEX IF EXISTS leads_sort_name;
DROP INDEX IF EXISTS leads_sort_company;
CREATE INDEX leads_sort_name ON leads (outpost_sort_key(ifnull(last_name, '') || ' ' || ifnull(first_name, ''))) WHERE deleted_at IS NULL;
CREATE INDEX leads_sort_company ON leads (outpost_sort_key(ifnull(company, ''))) WHERE deleted_at IS NULL;
