-- Users never hard-delete rows. The app soft-deletes (deleted_at, pushed as an update), so a deletion syncs,
-- meets a teammate's edit as a conflict and can be undone. A DELETE through the API skipped all of that and
-- cascaded: one `DELETE /rest/v1/leads?organization_id=eq.…` by any rep (or a stolen token) took the team's
-- activities, emails, calls, scores and insights with it, and each laptop then removed its own copy at the
-- next pull. Hard deletes stay with the operator (service_role, the tables' owner).
do $$
declare
    p record;
begin
    for p in select pol.tablename, pol.policyname from pg_catalog.pg_policies pol
              where pol.schemaname = 'public' and pol.cmd = 'DELETE'
    loop
        execute format('drop policy %I on public.%I', p.policyname, p.tablename);
    end loop;
end
$$;
revoke delete on all tables in schema public from anon, authenticated;
-- Tables later migrations make, too (the bootstrap's default privileges grant all).
alter default privileges in schema public revoke delete on tables from anon, authenticated;
