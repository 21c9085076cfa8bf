-- Indexes that serve lookups by a lead's owner, team, list, import or follow-up date leave out the
-- leads without one: a lookup by value (or a date range) never wants those, and a big import of
-- unassigned leads then neither builds nor keeps a million identical NULL entries.
DROP INDEX IF EXISTS leads_assigned_to_idx;
DROP INDEX IF EXISTS leads_team_id_idx;
DROP INDEX IF EXISTS leads_list_id_idx;
DROP INDEX IF EXISTS leads_import_id_idx;
DROP INDEX IF EXISTS leads_next_follow_up_at_idx;
CREATE INDEX leads_assigned_to_idx ON leads (assigned_to) WHERE assigned_to IS NOT NULL;
CREATE INDEX leads_team_id_idx ON leads (team_id) WHERE team_id IS NOT NULL;
CREATE INDEX leads_list_id_idx ON leads (list_id) WHERE list_id IS NOT NULL;
CREATE INDEX leads_import_id_idx ON leads (import_id) WHERE import_id IS NOT NULL;
CREATE INDEX leads_next_follow_up_at_idx ON leads (next_follow_up_at) WHERE next_follow_up_at IS NOT NULL;
