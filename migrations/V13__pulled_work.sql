-- A change that comes from the server to a lead an import made (a teammate's, or this rep's on
-- another computer) is work too: undoing the import keeps the lead, as it keeps one edited here.
-- A sync marks its page writes with origin 'pull' (recorded when the server's version moved: a
-- row put back to the server's copy after a refused change did not) and a conflict's server value
-- with 'theirs'. Only live imported leads are recorded (the only ones an undo asks about), and only
-- when a value changed (a pulled copy of this laptop's own change brings back the same values).
DROP TRIGGER lead_work_update;

CREATE TRIGGER lead_work_update AFTER UPDATE OF
  organization_id, assigned_to, team_id, list_id, import_id, first_name, last_name, email, phone,
  company, job_title, website, linkedin_url, company_size, company_industry, address, status,
  stage, source, current_score, score_confidence, predicted_value, conversion_probability,
  engagement_level, email_status, do_not_contact, last_contacted_at, last_reply_at,
  next_follow_up_at, follow_up_reason, reply_count, emails_sent_count, notes, message, tags,
  custom_fields, ai_context_summary, created_by, deleted_at
ON leads
WHEN (SELECT CASE origin
        WHEN 'pull' THEN NEW.import_id IS NOT NULL AND NEW.deleted_at IS NULL AND NEW.version IS NOT OLD.version
        WHEN 'theirs' THEN NEW.import_id IS NOT NULL AND NEW.deleted_at IS NULL
        ELSE capture = 1 AND origin IS NULL END
      FROM sync_capture WHERE id = 1) AND (
  OLD.organization_id IS NOT NEW.organization_id OR OLD.assigned_to IS NOT NEW.assigned_to OR
  OLD.team_id IS NOT NEW.team_id OR OLD.list_id IS NOT NEW.list_id OR
  OLD.import_id IS NOT NEW.import_id OR OLD.first_name IS NOT NEW.first_name OR
  OLD.last_name IS NOT NEW.last_name OR OLD.email IS NOT NEW.email OR OLD.phone IS NOT NEW.phone OR
  OLD.company IS NOT NEW.company OR OLD.job_title IS NOT NEW.job_title OR
  OLD.website IS NOT NEW.website OR OLD.linkedin_url IS NOT NEW.linkedin_url OR
  OLD.company_size IS NOT NEW.company_size OR OLD.company_industry IS NOT NEW.company_industry OR
  OLD.address IS NOT NEW.address OR OLD.status IS NOT NEW.status OR OLD.stage IS NOT NEW.stage OR
  OLD.source IS NOT NEW.source OR OLD.current_score IS NOT NEW.current_score OR
  OLD.score_confidence IS NOT NEW.score_confidence OR
  OLD.predicted_value IS NOT NEW.predicted_value OR
  OLD.conversion_probability IS NOT NEW.conversion_probability OR
  OLD.engagement_level IS NOT NEW.engagement_level OR OLD.email_status IS NOT NEW.email_status OR
  OLD.do_not_contact IS NOT NEW.do_not_contact OR
  OLD.last_contacted_at IS NOT NEW.last_contacted_at OR
  OLD.last_reply_at IS NOT NEW.last_reply_at OR
  OLD.next_follow_up_at IS NOT NEW.next_follow_up_at OR
  OLD.follow_up_reason IS NOT NEW.follow_up_reason OR OLD.reply_count IS NOT NEW.reply_count OR
  OLD.emails_sent_count IS NOT NEW.emails_sent_count OR OLD.notes IS NOT NEW.notes OR
  OLD.message IS NOT NEW.message OR OLD.tags IS NOT NEW.tags OR
  OLD.custom_fields IS NOT NEW.custom_fields OR
  OLD.ai_context_summary IS NOT NEW.ai_context_summary OR OLD.created_by IS NOT NEW.created_by OR
  OLD.deleted_at IS NOT NEW.deleted_at)
BEGIN
  INSERT INTO lead_work (lead_id, at) VALUES (NEW.id, NEW.updated_at)
  ON CONFLICT (lead_id) DO UPDATE SET at = excluded.at;
END;
