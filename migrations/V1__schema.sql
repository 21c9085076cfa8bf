-- Outpost canonical schema, SQLite side (refinery migration V1; refinery wraps it in a transaction).
--
-- Mirrors supabase/migrations/20261125000000_schema.sql column for column: same tables, same columns in the
-- same order, same NOT NULL-ness, same CHECK value lists. The server-only _xid column is absent; `version`
-- here is the last server version seen for the row (0 = never synced).
--
-- Type mapping (SCHEMA.md, "Rules for every synced table"); tables are STRICT:
--   uuid        -> TEXT, lowercase hyphenated (ids are checked)
--   timestamptz -> TEXT, RFC 3339 UTC with microseconds, e.g. 2026-11-23T09:15:02.123456Z (checked),
--                  so text order = time order. No default: the application always sets created_at/updated_at.
--   date        -> TEXT, YYYY-MM-DD (checked)
--   jsonb       -> TEXT holding JSON (json_valid; objects/arrays checked where PostgreSQL checks them)
--   text[]      -> TEXT holding a JSON array
--   numeric     -> TEXT holding the exact decimal string, never a float (checked: digits, one '.', leading '-')
--   boolean     -> INTEGER 0/1
--   inet        -> TEXT
-- Foreign keys have the same targets and ON DELETE actions as PostgreSQL and are DEFERRABLE INITIALLY
-- DEFERRED, so a pull can apply rows of several tables (and the profiles <-> teams cycle) in any order
-- inside one transaction. They are enforced only with PRAGMA foreign_keys = ON.


-- organizations: A tenant. The laptop only reads it (writes: admin/manager of the org).
CREATE TABLE organizations (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    name TEXT NOT NULL,
    domain TEXT,
    industry TEXT,
    size TEXT CHECK (size IN ('startup', 'small', 'medium', 'large', 'enterprise')),
    settings TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings) AND json_type(settings) = 'object'),
    ai_config TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(ai_config) AND json_type(ai_config) = 'object'),
    subscription_tier TEXT NOT NULL DEFAULT 'free',
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;

-- profiles: One row per Supabase auth user (id = auth.users.id; no FK so both sides match). Read by the
-- whole org; a user may update their own row except role/organization/team.
CREATE TABLE profiles (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT REFERENCES organizations(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    team_id TEXT REFERENCES teams(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    email TEXT NOT NULL,
    full_name TEXT,
    avatar_url TEXT,
    role TEXT NOT NULL DEFAULT 'sales_rep' CHECK (role IN ('admin', 'manager', 'sales_rep', 'marketing', 'viewer')),
    phone TEXT,
    preferences TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(preferences) AND json_type(preferences) = 'object'),
    last_active_at TEXT CHECK (last_active_at IS NULL OR (last_active_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX profiles_organization_id_idx ON profiles (organization_id);
CREATE INDEX profiles_team_id_idx ON profiles (team_id);

-- teams: Sales teams. Read-only on the laptop (writes: admin/manager).
CREATE TABLE teams (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    description TEXT,
    manager_id TEXT REFERENCES profiles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    settings TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings) AND json_type(settings) = 'object'),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX teams_organization_id_idx ON teams (organization_id);
CREATE INDEX teams_manager_id_idx ON teams (manager_id);

-- lead_lists: Named batches of leads (seed 003). Name unique per organization, case-insensitively.
CREATE TABLE lead_lists (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    description TEXT,
    source TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('csv_import', 'clay', 'instantly', 'smartlead', 'manual')),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived', 'processing')),
    total_contacts INTEGER NOT NULL DEFAULT 0 CHECK (total_contacts >= 0),
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    created_by TEXT REFERENCES profiles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE UNIQUE INDEX lead_lists_org_name_key ON lead_lists (organization_id, lower(name)) WHERE deleted_at IS NULL;
CREATE INDEX lead_lists_organization_id_status_idx ON lead_lists (organization_id, status);

-- imports: One CSV import run (seed 004 uploaded_csvs + 003 list import tracking).
CREATE TABLE imports (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    list_id TEXT REFERENCES lead_lists(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    file_name TEXT NOT NULL,
    file_size INTEGER CHECK (file_size >= 0),
    file_sha256 TEXT,
    encoding TEXT,
    delimiter TEXT,
    column_mapping TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(column_mapping) AND json_type(column_mapping) = 'object'),
    row_count INTEGER NOT NULL DEFAULT 0 CHECK (row_count >= 0),
    created_count INTEGER NOT NULL DEFAULT 0 CHECK (created_count >= 0),
    updated_count INTEGER NOT NULL DEFAULT 0 CHECK (updated_count >= 0),
    skipped_count INTEGER NOT NULL DEFAULT 0 CHECK (skipped_count >= 0),
    error_count INTEGER NOT NULL DEFAULT 0 CHECK (error_count >= 0),
    status TEXT NOT NULL DEFAULT 'processing' CHECK (status IN ('processing', 'completed', 'failed', 'reverted')),
    error_message TEXT,
    completed_at TEXT CHECK (completed_at IS NULL OR (completed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    created_by TEXT REFERENCES profiles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX imports_organization_id_created_at_idx ON imports (organization_id, created_at);
CREATE INDEX imports_list_id_idx ON imports (list_id);
CREATE INDEX imports_organization_id_file_sha256_idx ON imports (organization_id, file_sha256);

-- leads: People and companies being sold to (002 leads + 003 contacts + 004 leads + 000 contact_submissions
-- + 001 leads). Email unique per organization, case-insensitively.
CREATE TABLE leads (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    assigned_to TEXT REFERENCES profiles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    team_id TEXT REFERENCES teams(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    list_id TEXT REFERENCES lead_lists(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    import_id TEXT REFERENCES imports(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    first_name TEXT,
    last_name TEXT,
    email TEXT,
    phone TEXT,
    company TEXT,
    job_title TEXT,
    website TEXT,
    linkedin_url TEXT,
    company_size TEXT,
    company_industry TEXT,
    address TEXT CHECK (address IS NULL OR (json_valid(address) AND json_type(address) = 'object')),
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'contacted', 'qualified', 'proposal', 'negotiation', 'closed_won', 'closed_lost', 'nurturing', 'unqualified')),
    stage TEXT,
    source TEXT,
    current_score INTEGER NOT NULL DEFAULT 0 CHECK (current_score BETWEEN 0 AND 100),
    score_confidence TEXT CHECK (score_confidence IS NULL OR (score_confidence GLOB '*[0-9]*' AND score_confidence NOT GLOB '*[^0-9.-]*' AND score_confidence NOT GLOB '?*-*' AND score_confidence NOT GLOB '*.*.*' AND CAST(score_confidence AS REAL) BETWEEN 0 AND 1)),
    predicted_value TEXT CHECK (predicted_value IS NULL OR (predicted_value GLOB '*[0-9]*' AND predicted_value NOT GLOB '*[^0-9.-]*' AND predicted_value NOT GLOB '?*-*' AND predicted_value NOT GLOB '*.*.*')),
    conversion_probability TEXT CHECK (conversion_probability IS NULL OR (conversion_probability GLOB '*[0-9]*' AND conversion_probability NOT GLOB '*[^0-9.-]*' AND conversion_probability NOT GLOB '?*-*' AND conversion_probability NOT GLOB '*.*.*' AND CAST(conversion_probability AS REAL) BETWEEN 0 AND 1)),
    engagement_level TEXT NOT NULL DEFAULT 'unknown' CHECK (engagement_level IN ('unknown', 'low', 'medium', 'high', 'very_high')),
    email_status TEXT CHECK (email_status IN ('replied', 'no_reply', 'bounced', 'unsubscribed')),
    do_not_contact INTEGER NOT NULL DEFAULT 0 CHECK (do_not_contact IN (0, 1)),
    last_contacted_at TEXT CHECK (last_contacted_at IS NULL OR (last_contacted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    last_reply_at TEXT CHECK (last_reply_at IS NULL OR (last_reply_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    next_follow_up_at TEXT CHECK (next_follow_up_at IS NULL OR (next_follow_up_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    follow_up_reason TEXT,
    reply_count INTEGER NOT NULL DEFAULT 0 CHECK (reply_count >= 0),
    emails_sent_count INTEGER NOT NULL DEFAULT 0 CHECK (emails_sent_count >= 0),
    notes TEXT,
    message TEXT,
    tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
    custom_fields TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom_fields) AND json_type(custom_fields) = 'object'),
    ai_context_summary TEXT,
    created_by TEXT REFERENCES profiles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE UNIQUE INDEX leads_org_email_key ON leads (organization_id, lower(email)) WHERE email IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX leads_assigned_to_idx ON leads (assigned_to);
CREATE INDEX leads_list_id_idx ON leads (list_id);
CREATE INDEX leads_next_follow_up_at_idx ON leads (next_follow_up_at);
CREATE INDEX leads_import_id_idx ON leads (import_id);
CREATE INDEX leads_team_id_idx ON leads (team_id);

-- clients: Won leads that became paying clients (000 clients + 003 clients).
CREATE TABLE clients (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    lead_id TEXT REFERENCES leads(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    primary_contact_name TEXT,
    primary_contact_email TEXT,
    primary_contact_phone TEXT,
    website TEXT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'on_hold', 'churned')),
    conversion_date TEXT CHECK (conversion_date IS NULL OR (conversion_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')),
    monthly_recurring_revenue TEXT CHECK (monthly_recurring_revenue IS NULL OR (monthly_recurring_revenue GLOB '*[0-9]*' AND monthly_recurring_revenue NOT GLOB '*[^0-9.-]*' AND monthly_recurring_revenue NOT GLOB '?*-*' AND monthly_recurring_revenue NOT GLOB '*.*.*')),
    total_revenue TEXT CHECK (total_revenue IS NULL OR (total_revenue GLOB '*[0-9]*' AND total_revenue NOT GLOB '*[^0-9.-]*' AND total_revenue NOT GLOB '?*-*' AND total_revenue NOT GLOB '*.*.*')),
    account_manager TEXT REFERENCES profiles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    health_score INTEGER CHECK (health_score BETWEEN 1 AND 10),
    last_interaction_at TEXT CHECK (last_interaction_at IS NULL OR (last_interaction_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    next_review_date TEXT CHECK (next_review_date IS NULL OR (next_review_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')),
    notes TEXT,
    ai_context_summary TEXT,
    created_by TEXT REFERENCES profiles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX clients_lead_id_idx ON clients (lead_id);
CREATE INDEX clients_organization_id_status_idx ON clients (organization_id, status);
CREATE INDEX clients_account_manager_idx ON clients (account_manager);

-- campaigns: Outreach campaigns (004 + 003). Counters are maintained by the server.
CREATE TABLE campaigns (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    description TEXT,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'paused', 'completed', 'failed')),
    channel TEXT,
    platform TEXT,
    platform_campaign_id TEXT,
    assistant_id TEXT,
    phone_number_id TEXT,
    prompt TEXT,
    target_audience TEXT,
    start_date TEXT CHECK (start_date IS NULL OR (start_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    end_date TEXT CHECK (end_date IS NULL OR (end_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    emails_sent INTEGER NOT NULL DEFAULT 0 CHECK (emails_sent >= 0),
    replies INTEGER NOT NULL DEFAULT 0 CHECK (replies >= 0),
    meetings_booked INTEGER NOT NULL DEFAULT 0 CHECK (meetings_booked >= 0),
    settings TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings) AND json_type(settings) = 'object'),
    created_by TEXT REFERENCES profiles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX campaigns_organization_id_status_idx ON campaigns (organization_id, status);

-- campaign_leads: Leads enrolled in campaigns (004). One row per (campaign, lead), deleted or not.
CREATE TABLE campaign_leads (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    lead_id TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_progress', 'completed', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_attempt_at TEXT CHECK (last_attempt_at IS NULL OR (last_attempt_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE UNIQUE INDEX campaign_leads_campaign_lead_key ON campaign_leads (campaign_id, lead_id);
CREATE INDEX campaign_leads_lead_id_idx ON campaign_leads (lead_id);

-- activities: A rep's calls, emails, meetings, notes and tasks on a lead (002).
CREATE TABLE activities (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    lead_id TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    user_id TEXT REFERENCES profiles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    type TEXT NOT NULL CHECK (type IN ('call', 'email', 'meeting', 'demo', 'proposal', 'follow_up', 'note', 'task', 'social_interaction')),
    subject TEXT,
    description TEXT,
    outcome TEXT,
    scheduled_at TEXT CHECK (scheduled_at IS NULL OR (scheduled_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    completed_at TEXT CHECK (completed_at IS NULL OR (completed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    duration_minutes INTEGER CHECK (duration_minutes >= 0),
    sentiment_score TEXT CHECK (sentiment_score IS NULL OR (sentiment_score GLOB '*[0-9]*' AND sentiment_score NOT GLOB '*[^0-9.-]*' AND sentiment_score NOT GLOB '?*-*' AND sentiment_score NOT GLOB '*.*.*' AND CAST(sentiment_score AS REAL) BETWEEN -1 AND 1)),
    intent_detected TEXT,
    buying_signals TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(buying_signals) AND json_type(buying_signals) = 'array'),
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX activities_lead_id_created_at_idx ON activities (lead_id, created_at);
CREATE INDEX activities_user_id_scheduled_at_idx ON activities (user_id, scheduled_at);

-- conversations: Messages exchanged with a lead on any channel (002 conversations + 003 chat_history + 001
-- messages + 000 conversation_history).
CREATE TABLE conversations (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    lead_id TEXT REFERENCES leads(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    campaign_id TEXT REFERENCES campaigns(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    activity_id TEXT REFERENCES activities(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    user_id TEXT REFERENCES profiles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'phone', 'chat', 'whatsapp', 'slack', 'linkedin', 'meeting', 'other')),
    platform TEXT,
    message_type TEXT CHECK (message_type IN ('campaign', 'reply', 'manual', 'meeting', 'follow_up')),
    subject TEXT,
    content TEXT NOT NULL,
    from_address TEXT,
    to_address TEXT,
    thread_id TEXT,
    external_id TEXT,
    sequence_step INTEGER CHECK (sequence_step >= 0),
    sentiment TEXT CHECK (sentiment IN ('positive', 'neutral', 'negative')),
    intent TEXT,
    requires_action INTEGER NOT NULL DEFAULT 0 CHECK (requires_action IN (0, 1)),
    is_auto_reply INTEGER NOT NULL DEFAULT 0 CHECK (is_auto_reply IN (0, 1)),
    action_taken TEXT,
    occurred_at TEXT NOT NULL CHECK (occurred_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    analyzed_at TEXT CHECK (analyzed_at IS NULL OR (analyzed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    analysis TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(analysis) AND json_type(analysis) = 'object'),
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX conversations_lead_id_occurred_at_idx ON conversations (lead_id, occurred_at);
CREATE INDEX conversations_thread_id_idx ON conversations (thread_id);
CREATE INDEX conversations_campaign_id_idx ON conversations (campaign_id);
CREATE INDEX conversations_activity_id_idx ON conversations (activity_id);

-- email_templates: Reusable email templates (004).
CREATE TABLE email_templates (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    subject TEXT,
    content TEXT,
    category TEXT NOT NULL DEFAULT 'general' CHECK (category IN ('lead_followup', 'property_showing', 'market_update', 'general', 'custom')),
    variables TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(variables) AND json_type(variables) = 'array'),
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_by TEXT REFERENCES profiles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX email_templates_organization_id_category_idx ON email_templates (organization_id, category);

-- emails: Individual emails to leads (004). Reps draft and queue; the server sends.
CREATE TABLE emails (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    lead_id TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    campaign_id TEXT REFERENCES campaigns(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    template_id TEXT REFERENCES email_templates(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    to_address TEXT,
    subject TEXT,
    content TEXT,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'queued', 'sent', 'delivered', 'opened', 'clicked', 'bounced', 'failed')),
    scheduled_at TEXT CHECK (scheduled_at IS NULL OR (scheduled_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    sent_at TEXT CHECK (sent_at IS NULL OR (sent_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    delivered_at TEXT CHECK (delivered_at IS NULL OR (delivered_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    opened_at TEXT CHECK (opened_at IS NULL OR (opened_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    clicked_at TEXT CHECK (clicked_at IS NULL OR (clicked_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    error_message TEXT,
    external_id TEXT,
    created_by TEXT REFERENCES profiles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX emails_lead_id_created_at_idx ON emails (lead_id, created_at);
CREATE INDEX emails_organization_id_status_idx ON emails (organization_id, status);
CREATE INDEX emails_campaign_id_idx ON emails (campaign_id);
CREATE INDEX emails_template_id_idx ON emails (template_id);

-- call_logs: Phone calls (004 call_history + 001 call fields on leads).
CREATE TABLE call_logs (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    lead_id TEXT REFERENCES leads(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    campaign_id TEXT REFERENCES campaigns(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    user_id TEXT REFERENCES profiles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    external_call_id TEXT,
    direction TEXT NOT NULL DEFAULT 'outbound' CHECK (direction IN ('inbound', 'outbound')),
    status TEXT NOT NULL DEFAULT 'completed' CHECK (status IN ('initiated', 'in_progress', 'completed', 'failed')),
    from_number TEXT,
    to_number TEXT,
    started_at TEXT CHECK (started_at IS NULL OR (started_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    ended_at TEXT CHECK (ended_at IS NULL OR (ended_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    duration_seconds INTEGER CHECK (duration_seconds >= 0),
    recording_url TEXT,
    transcript TEXT,
    summary TEXT,
    sentiment TEXT CHECK (sentiment IN ('positive', 'neutral', 'negative')),
    outcome TEXT CHECK (outcome IN ('success', 'no_answer', 'voicemail', 'busy', 'failed')),
    appointment_booked INTEGER NOT NULL DEFAULT 0 CHECK (appointment_booked IN (0, 1)),
    flagged_for_review INTEGER NOT NULL DEFAULT 0 CHECK (flagged_for_review IN (0, 1)),
    notes TEXT,
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX call_logs_lead_id_created_at_idx ON call_logs (lead_id, created_at);
CREATE INDEX call_logs_campaign_id_idx ON call_logs (campaign_id);
CREATE INDEX call_logs_user_id_idx ON call_logs (user_id);
CREATE INDEX call_logs_external_call_id_idx ON call_logs (external_call_id);

-- appointments: Booked meetings with leads (001).
CREATE TABLE appointments (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    lead_id TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    user_id TEXT REFERENCES profiles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    title TEXT,
    start_time TEXT NOT NULL CHECK (start_time GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    end_time TEXT CHECK (end_time IS NULL OR (end_time GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'completed', 'cancelled', 'no_show')),
    location TEXT,
    notes TEXT,
    external_booking_id TEXT,
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT appointments_time_order_check CHECK (end_time IS NULL OR end_time >= start_time)
) STRICT;
CREATE INDEX appointments_lead_id_idx ON appointments (lead_id);
CREATE INDEX appointments_user_id_start_time_idx ON appointments (user_id, start_time);
CREATE INDEX appointments_organization_id_start_time_idx ON appointments (organization_id, start_time);

-- lead_scores: AI scoring history (002 + 000). Written by the server; read-only on the laptop.
CREATE TABLE lead_scores (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    lead_id TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    category TEXT CHECK (category IN ('hot', 'warm', 'cold', 'unqualified')),
    confidence TEXT CHECK (confidence IS NULL OR (confidence GLOB '*[0-9]*' AND confidence NOT GLOB '*[^0-9.-]*' AND confidence NOT GLOB '?*-*' AND confidence NOT GLOB '*.*.*' AND CAST(confidence AS REAL) BETWEEN 0 AND 1)),
    model_version TEXT,
    demographic_score INTEGER CHECK (demographic_score BETWEEN 0 AND 100),
    behavioral_score INTEGER CHECK (behavioral_score BETWEEN 0 AND 100),
    temporal_score INTEGER CHECK (temporal_score BETWEEN 0 AND 100),
    conversational_score INTEGER CHECK (conversational_score BETWEEN 0 AND 100),
    engagement_score INTEGER CHECK (engagement_score BETWEEN 0 AND 100),
    industry_fit_score INTEGER CHECK (industry_fit_score BETWEEN 0 AND 100),
    decision_maker_likelihood INTEGER CHECK (decision_maker_likelihood BETWEEN 0 AND 100),
    budget_indicator TEXT CHECK (budget_indicator IN ('high', 'medium', 'low', 'unknown')),
    urgency_indicator TEXT CHECK (urgency_indicator IN ('high', 'medium', 'low')),
    reasoning TEXT,
    explanation TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(explanation) AND json_type(explanation) = 'array'),
    recommendations TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(recommendations) AND json_type(recommendations) = 'array'),
    ai_analysis TEXT CHECK (ai_analysis IS NULL OR (json_valid(ai_analysis))),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX lead_scores_lead_id_created_at_idx ON lead_scores (lead_id, created_at);
CREATE INDEX lead_scores_organization_id_category_idx ON lead_scores (organization_id, category);

-- ai_insights: AI insights on leads (002).
CREATE TABLE ai_insights (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    lead_id TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    insight_type TEXT NOT NULL CHECK (insight_type IN ('buying_signal', 'churn_risk', 'optimal_contact_time', 'content_recommendation', 'next_best_action', 'competitive_threat')),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    confidence TEXT NOT NULL CHECK (confidence GLOB '*[0-9]*' AND confidence NOT GLOB '*[^0-9.-]*' AND confidence NOT GLOB '?*-*' AND confidence NOT GLOB '*.*.*' AND CAST(confidence AS REAL) BETWEEN 0 AND 1),
    priority TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data) AND json_type(data) = 'object'),
    expires_at TEXT CHECK (expires_at IS NULL OR (expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    acknowledged_by TEXT REFERENCES profiles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    acknowledged_at TEXT CHECK (acknowledged_at IS NULL OR (acknowledged_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX ai_insights_lead_id_priority_created_at_idx ON ai_insights (lead_id, priority, created_at);

-- journey_events: Events on a lead's journey (002).
CREATE TABLE journey_events (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    lead_id TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    user_id TEXT REFERENCES profiles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    event_type TEXT NOT NULL,
    event_name TEXT NOT NULL,
    description TEXT,
    properties TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(properties) AND json_type(properties) = 'object'),
    session_id TEXT,
    ip_address TEXT,
    user_agent TEXT,
    occurred_at TEXT NOT NULL CHECK (occurred_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX journey_events_lead_id_occurred_at_idx ON journey_events (lead_id, occurred_at);

-- followups: Automated follow-up email queue (000 followup_queue).
CREATE TABLE followups (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    lead_id TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    lead_score_id TEXT REFERENCES lead_scores(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    sequence_number INTEGER NOT NULL DEFAULT 1 CHECK (sequence_number >= 1),
    email_type TEXT NOT NULL CHECK (email_type IN ('welcome', 'value_prop', 'case_study', 'demo_invite', 'check_in', 'final')),
    scheduled_for TEXT NOT NULL CHECK (scheduled_for GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    sent_at TEXT CHECK (sent_at IS NULL OR (sent_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
    email_subject TEXT,
    email_body TEXT,
    error_message TEXT,
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX followups_status_scheduled_for_idx ON followups (status, scheduled_for);
CREATE INDEX followups_lead_id_idx ON followups (lead_id);
CREATE INDEX followups_lead_score_id_idx ON followups (lead_score_id);

-- products: Products and services the organization sells (003). Read-only on the laptop.
CREATE TABLE products (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    slug TEXT,
    description TEXT,
    short_description TEXT,
    price TEXT CHECK (price IS NULL OR (price GLOB '*[0-9]*' AND price NOT GLOB '*[^0-9.-]*' AND price NOT GLOB '?*-*' AND price NOT GLOB '*.*.*')),
    payment_schedule TEXT CHECK (payment_schedule IN ('one_time', 'monthly', 'quarterly', 'yearly')),
    ideal_client TEXT,
    bad_client TEXT,
    features TEXT,
    benefits TEXT,
    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE UNIQUE INDEX products_org_slug_key ON products (organization_id, slug) WHERE slug IS NOT NULL AND deleted_at IS NULL;

-- documents: Document metadata (003 documents + 004 property_files); file bytes stay in storage.
CREATE TABLE documents (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    lead_id TEXT REFERENCES leads(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    client_id TEXT REFERENCES clients(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    title TEXT NOT NULL,
    description TEXT,
    namespace TEXT NOT NULL DEFAULT 'documents' CHECK (namespace IN ('company_knowledge', 'client_documents', 'documents')),
    context TEXT,
    source TEXT,
    source_url TEXT,
    storage_path TEXT,
    file_name TEXT,
    mime_type TEXT,
    file_size INTEGER CHECK (file_size >= 0),
    content_text TEXT,
    ai_summary TEXT,
    tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
    created_by TEXT REFERENCES profiles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX documents_lead_id_idx ON documents (lead_id);
CREATE INDEX documents_client_id_idx ON documents (client_id);
CREATE INDEX documents_organization_id_namespace_idx ON documents (organization_id, namespace);

-- forecasts: Forecasts for dashboards (002). Read-only on the laptop.
CREATE TABLE forecasts (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    forecast_type TEXT NOT NULL CHECK (forecast_type IN ('revenue', 'lead_volume', 'conversion_rate', 'deal_velocity')),
    period_start TEXT NOT NULL CHECK (period_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    period_end TEXT NOT NULL CHECK (period_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    granularity TEXT NOT NULL DEFAULT 'monthly' CHECK (granularity IN ('daily', 'weekly', 'monthly')),
    predicted_value TEXT NOT NULL CHECK (predicted_value GLOB '*[0-9]*' AND predicted_value NOT GLOB '*[^0-9.-]*' AND predicted_value NOT GLOB '?*-*' AND predicted_value NOT GLOB '*.*.*'),
    confidence_lower TEXT CHECK (confidence_lower IS NULL OR (confidence_lower GLOB '*[0-9]*' AND confidence_lower NOT GLOB '*[^0-9.-]*' AND confidence_lower NOT GLOB '?*-*' AND confidence_lower NOT GLOB '*.*.*')),
    confidence_upper TEXT CHECK (confidence_upper IS NULL OR (confidence_upper GLOB '*[0-9]*' AND confidence_upper NOT GLOB '*[^0-9.-]*' AND confidence_upper NOT GLOB '?*-*' AND confidence_upper NOT GLOB '*.*.*')),
    model_version TEXT NOT NULL,
    key_drivers TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(key_drivers) AND json_type(key_drivers) = 'array'),
    scenarios TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(scenarios) AND json_type(scenarios) = 'object'),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT forecasts_period_check CHECK (period_end >= period_start)
) STRICT;
CREATE INDEX forecasts_organization_id_forecast_type_period_start_idx ON forecasts (organization_id, forecast_type, period_start);

-- performance_metrics: Per-user / per-team performance per period (002). Read-only on the laptop.
CREATE TABLE performance_metrics (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36 AND id NOT GLOB '*[^0-9a-f-]*'),
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    user_id TEXT REFERENCES profiles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    team_id TEXT REFERENCES teams(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    period_start TEXT NOT NULL CHECK (period_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    period_end TEXT NOT NULL CHECK (period_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    leads_created INTEGER NOT NULL DEFAULT 0 CHECK (leads_created >= 0),
    leads_qualified INTEGER NOT NULL DEFAULT 0 CHECK (leads_qualified >= 0),
    leads_converted INTEGER NOT NULL DEFAULT 0 CHECK (leads_converted >= 0),
    revenue_generated TEXT NOT NULL DEFAULT '0.00' CHECK (revenue_generated GLOB '*[0-9]*' AND revenue_generated NOT GLOB '*[^0-9.-]*' AND revenue_generated NOT GLOB '?*-*' AND revenue_generated NOT GLOB '*.*.*'),
    activities_completed INTEGER NOT NULL DEFAULT 0 CHECK (activities_completed >= 0),
    conversion_rate TEXT CHECK (conversion_rate IS NULL OR (conversion_rate GLOB '*[0-9]*' AND conversion_rate NOT GLOB '*[^0-9.-]*' AND conversion_rate NOT GLOB '?*-*' AND conversion_rate NOT GLOB '*.*.*' AND CAST(conversion_rate AS REAL) BETWEEN 0 AND 1)),
    average_deal_size TEXT CHECK (average_deal_size IS NULL OR (average_deal_size GLOB '*[0-9]*' AND average_deal_size NOT GLOB '*[^0-9.-]*' AND average_deal_size NOT GLOB '?*-*' AND average_deal_size NOT GLOB '*.*.*')),
    sales_velocity TEXT CHECK (sales_velocity IS NULL OR (sales_velocity GLOB '*[0-9]*' AND sales_velocity NOT GLOB '*[^0-9.-]*' AND sales_velocity NOT GLOB '?*-*' AND sales_velocity NOT GLOB '*.*.*')),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    deleted_at TEXT CHECK (deleted_at IS NULL OR (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
    version INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT performance_metrics_period_check CHECK (period_end >= period_start)
) STRICT;
CREATE INDEX performance_metrics_organization_id_period_start_idx ON performance_metrics (organization_id, period_start);
CREATE INDEX performance_metrics_user_id_period_start_idx ON performance_metrics (user_id, period_start);
CREATE INDEX performance_metrics_team_id_period_start_idx ON performance_metrics (team_id, period_start);
