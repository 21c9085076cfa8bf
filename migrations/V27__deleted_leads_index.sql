-- The app's "Recently deleted" screen lists deleted leads newest first, leaving out those an undone
-- import took back (a million of them must not bury the one deleted by mistake, nor be read past).
-- By import, then time: the screen reads the deleted leads without an import and those of each
-- import not undone, newest first, and never visits an undone import's leads. Partial: deleted only.
CREATE INDEX leads_deleted_at ON leads (import_id, deleted_at) WHERE deleted_at IS NOT NULL;
