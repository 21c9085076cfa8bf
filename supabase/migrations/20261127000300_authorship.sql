-- Who made a row is the user who sent it, not whoever the request names. Without this a rep could log an
-- activity "created by" their manager, hand a lead's authorship to a colleague, or acknowledge an AI
-- insight in someone else's name (the same-organization check only asks that the person is a member).
-- created_by is the sender's (or left empty) on insert and never changes after; acknowledged_by is the
-- sender's. Policies, not triggers: a policy's check costs sync_push's one-statement path nothing.
-- (user_id stays free: an appointment or a task may be a teammate's.)
do $$
declare
    t record;
    p record;
begin
    for t in select c.table_name from information_schema.columns c
              where c.table_schema = 'public' and c.column_name = 'created_by'
    loop
        for p in select pol.policyname, pol.with_check from pg_catalog.pg_policies pol
                  where pol.schemaname = 'public' and pol.tablename = t.table_name and pol.cmd = 'INSERT'
                    and 'authenticated' = any (pol.roles)
        loop
            execute format('alter policy %I on public.%I with check ((%s) and (created_by is null or created_by = (select auth.uid())))',
                           p.policyname, t.table_name, p.with_check);
        end loop;
        if has_table_privilege('authenticated', format('public.%I', t.table_name), 'UPDATE') then
            execute format('revoke update on public.%1$I from authenticated; grant update (%2$s) on public.%1$I to authenticated',
                           t.table_name, public.columns_except(format('public.%I', t.table_name)::regclass, array['created_by']));
        else
            execute format('revoke update (created_by) on public.%I from authenticated', t.table_name);
        end if;
    end loop;
end
$$;

alter policy ai_insights_update on public.ai_insights
    with check (organization_id = (select public.current_organization_id()) and (select public.current_user_can_write())
                and (acknowledged_by is null or acknowledged_by = (select auth.uid())));
