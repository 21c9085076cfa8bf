-- What a signed-in user may write, column by column (SCHEMA.md's "on the laptop").
--
-- RLS decides which rows a user writes; these column privileges decide which columns. Without them the
-- counters the server maintains (a campaign's emails_sent/replies/meetings_booked, a list's total_contacts)
-- and the server's own rows (an AI insight's text, a follow-up's email) took whatever a user's request set,
-- although the laptop never sends them. A write that sets such a column is refused with 42501 (permission
-- denied), which sync reports as a rejected change. The server's own functions run as service_role or as
-- the tables' owner, which these grants do not touch.
--
-- A column added to one of these tables later is not writable by users until a migration grants it.

do $$
declare
    t record;
begin
    for t in
        select * from (values
            -- table,      may insert, columns users may not write
            ('campaigns',  true,       array['emails_sent', 'replies', 'meetings_booked']),
            ('lead_lists', true,       array['total_contacts'])
        ) v(tbl, may_insert, server_only)
    loop
        execute format('revoke insert, update on public.%I from authenticated', t.tbl);
        execute format('grant %s on public.%I to authenticated',
                       (select string_agg(format('%s (%s)', p.priv, cols.list), ', ')
                          from (select string_agg(format('%I', a.attname), ', ' order by a.attnum) as list
                                  from pg_attribute a
                                 where a.attrelid = format('public.%I', t.tbl)::regclass and a.attnum > 0
                                   and not a.attisdropped and a.attname <> all (t.server_only)) cols
                         cross join unnest(case when t.may_insert then array['insert', 'update'] else array['update'] end) p(priv)),
                       t.tbl);
    end loop;
end
$$;

-- Rows the server writes, of which a user changes only these columns.
revoke insert, update on public.ai_insights from authenticated;
grant update (acknowledged_by, acknowledged_at) on public.ai_insights to authenticated;

revoke insert, update on public.followups from authenticated;
grant update (status) on public.followups to authenticated;

-- A user's own profile: RLS (profiles_update_own) already keeps role, organization, team and deleted_at; the
-- email is the sign-in address (the server keeps it), which an import matches owners by.
revoke insert, update on public.profiles from authenticated;
grant update (full_name, avatar_url, phone, preferences, last_active_at) on public.profiles to authenticated;
