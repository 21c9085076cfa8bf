-- Leads someone worked on here (an edit by the rep, not by an import, its undo or a sync): undoing
-- an import keeps the leads it created that are listed here. Recorded locally, so an edit still
-- counts after it synced (the server's version and time then replace the local ones).
CREATE TABLE lead_work (
  lead_id TEXT PRIMARY KEY NOT NULL,
  at TEXT NOT NULL
) WITHOUT ROWID;

-- Set by an import or its undo for the length of its own transaction (Tx::as_import): their changes
-- are not the rep's work.
ALTER TABLE sync_capture ADD COLUMN origin TEXT;

-- Every column a person may change (not the id, timestamps or version: a sync's acknowledgement
-- sets the version); capture off means a sync or a bulk load is writing.
CREATE TRIGGER lead_work_update AFTER UPDATE OF
  organization_id, assigned_to, team_id, list_id, import_id, first_name, last_name, email, phone,
  company, job_title, website, linkedin_url, company_size, company_industry, address, status,
  stage, source, current_score, score_confidence, predicted_value, conversion_probability,
  engagement_level, email_status, do_not_contact, last_contacted_at, last_reply_at,
  next_follow_up_at, follow_up_reason, reply_count, emails_sent_count, notes, message, tags,
  custom_fields, ai_context_summary, created_by, deleted_at
ON leads
WHEN (SELECT capture = 1 AND origin IS NULL FROM sync_capture WHERE id = 1)
BEGIN
  INSERT INTO lead_work (lead_id, at) VALUES (NEW.id, NEW.updated_at)
  ON CONFLICT (lead_id) DO UPDATE SET at = excluded.at;
END;
