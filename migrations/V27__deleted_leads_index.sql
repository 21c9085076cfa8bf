-- The app's "Recently deleted" screen lists deleted leads newest first: without an index that
-- read and sorted every lead (a million of them on a big laptop). Partial: only deleted leads.
CREATE INDEX leads_deleted_at ON leads (deleted_at) WHERE deleted_at IS NOT NULL;
