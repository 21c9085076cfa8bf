-- Finding a lead by its LinkedIn profile: a LinkedIn Connections export has no emails, so an
-- import recognises a lead it already has (or an earlier row of the file) by the profile's address,
-- compared without case, scheme, "www." or a trailing slash. The expression is
-- `rules::LINKEDIN_PROFILE` and must stay identical to it.
CREATE INDEX leads_linkedin_profile ON leads (
  organization_id,
  rtrim(replace(replace(replace(lower(linkedin_url), 'https://', ''), 'http://', ''), 'www.', ''), '/')
) WHERE linkedin_url IS NOT NULL AND deleted_at IS NULL;
