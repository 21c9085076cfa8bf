-- Rows whose local copy must be fetched again from the server by id: a change of theirs was
-- rejected (the row reverts to the server's copy), or a pulled row clashed with a local pending one
-- on a unique key. Cleared when the fetch is applied.
CREATE TABLE sync_refetch (
  table_name TEXT NOT NULL,
  row_id TEXT NOT NULL,
  PRIMARY KEY (table_name, row_id)
) WITHOUT ROWID;

-- During a full replacement pull (new server epoch, tombstones purged past the cursor, a new synced
-- table or column): every local row the pull has not yet seen. What is left when the pull ends no
-- longer exists for this user and is removed (unless it has pending changes).
CREATE TABLE sync_replace (
  table_name TEXT NOT NULL,
  row_id TEXT NOT NULL,
  PRIMARY KEY (table_name, row_id)
) WITHOUT ROWID;
