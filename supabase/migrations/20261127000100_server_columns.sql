-- What a signed-in user may write, column by column (SCHEMA.md's "on the laptop").
--
-- RLS decides which rows a user writes; these column privileges decide which columns. Without them the
-- counters the server maintains (a campaign's emails_sent/replies/meetings_booked, a list's total_contacts)
-- and the server's own rows (an AI insight's text, a follow-up's email, the organization's subscription)
-- took whatever a user's request set, although the laptop never sends them. A write that sets such a
-- column is refused with 42501 (permission denied), which sync reports as a rejected change. The server's
-- own functions run as service_role or as the tables' owner, which these grants do not touch.
--
-- A column added to one of these tables later is not writable by users until a migration grants it.

-- The table's columns but `excluded`, quoted, in table order: for column grants.
create function public.columns_except(tbl regclass, excluded text[]) returns text
    language sql stable set search_path = public
as $$
    select string_agg(format('%I', a.attname), ', ' order by a.attnum)
      from pg_catalog.pg_attribute a
     where a.attrelid = tbl and a.attnum > 0 and not a.attisdropped and a.attname <> all (excluded)
$$;
revoke all on function public.columns_except(regclass, text[]) from public, anon, authenticated, service_role;

do $$
declare
    t record;
begin
    for t in
        select * from (values
            ('campaigns',  array['emails_sent', 'replies', 'meetings_booked']),
            ('lead_lists', array['total_contacts'])
        ) v(tbl, server_only)
    loop
        execute format('revoke insert, update on public.%1$I from authenticated; '
                       'grant insert (%2$s), update (%2$s) on public.%1$I to authenticated',
                       t.tbl, public.columns_except(format('public.%I', t.tbl)::regclass, t.server_only));
    end loop;
end
$$;

-- Rows the server writes, of which a user changes only these columns.
revoke insert, update on public.ai_insights from authenticated;
grant update (acknowledged_by, acknowledged_at) on public.ai_insights to authenticated;

revoke insert, update on public.followups from authenticated;
grant update (status) on public.followups to authenticated;

-- The organization's admins and managers edit its description; its plan and AI configuration are the
-- operator's. Organizations are made by the operator too.
revoke insert, update on public.organizations from authenticated;
grant update (name, domain, industry, size, settings) on public.organizations to authenticated;

-- A user's own profile: RLS (profiles_update_own) already keeps role, organization, team and deleted_at; the
-- email is the sign-in address (the server keeps it), which an import matches owners by.
revoke insert, update on public.profiles from authenticated;
grant update (full_name, avatar_url, phone, preferences, last_active_at) on public.profiles to authenticated;

-- The public web form (anon key, no sign-in) sends a contact's own details; the rest of a lead (tags, scores,
-- notes for the AI, dates) is the team's, and its defaults apply.
revoke insert on public.leads from anon;
grant insert (id, organization_id, first_name, last_name, email, phone, company, job_title, website, message, source)
    on public.leads to anon;
