-- Public web forms (seed 000's contact form) insert leads with only the anon key. The organization
-- opts in with settings.web_form_enabled = true; such a lead arrives unassigned, new, from 'web_form'.

CREATE FUNCTION public.organization_accepts_web_forms(org uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT coalesce((SELECT (settings ->> 'web_form_enabled')::boolean FROM public.organizations
                   WHERE id = org AND deleted_at IS NULL), false)
$$;
REVOKE ALL ON FUNCTION public.organization_accepts_web_forms(uuid) FROM public;
GRANT EXECUTE ON FUNCTION public.organization_accepts_web_forms(uuid) TO anon, authenticated;

CREATE POLICY leads_web_form_insert ON public.leads FOR INSERT TO anon
  WITH CHECK (
    source = 'web_form' AND status = 'new' AND assigned_to IS NULL AND team_id IS NULL AND list_id IS NULL
    AND import_id IS NULL AND created_by IS NULL AND do_not_contact = false AND current_score = 0
    AND deleted_at IS NULL AND public.organization_accepts_web_forms(organization_id)
  );
