-- Functions the API exposes only to whom they are for. The bootstrap's default privileges let anon (the
-- public anon key, no sign-in) execute every function in public: sync_merge_json (quadratic in its arrays:
-- seconds of CPU per call, enough calls stall everyone's sync) and profile_protected_fields_unchanged (a
-- SECURITY DEFINER function that told anyone a user's role, organization and team) among them. Signed-in
-- users keep what their policies and sync_push call as them.
revoke all on function public.sync_merge_json(jsonb, jsonb, jsonb, boolean) from public, anon;
revoke all on function public.profile_protected_fields_unchanged(uuid, text, uuid, uuid, timestamptz) from public, anon;
revoke all on function public.current_organization_id() from public, anon;
revoke all on function public.current_user_role() from public, anon;
revoke all on function public.current_user_can_write() from public, anon;

-- Asked about any other user's profile it answers false: called through the API it no longer reads rows RLS
-- hides.
create or replace function public.profile_protected_fields_unchanged(p_id uuid, p_role text, p_organization_id uuid,
                                                                     p_team_id uuid, p_deleted_at timestamptz)
    returns boolean
    language sql stable security definer set search_path = public
as $$
    select exists (
        select 1 from public.profiles p
        where p.id = p_id
          and p.id = (select auth.uid())
          and p.role = p_role
          and p.organization_id is not distinct from p_organization_id
          and p.team_id is not distinct from p_team_id
          and p.deleted_at is not distinct from p_deleted_at)
$$;

-- The members of an organization the operator deleted (soft) lose access with it.
create or replace function public.current_organization_id() returns uuid
    language sql stable security definer set search_path = public
as $$
    select p.organization_id
      from public.profiles p
      join public.organizations o on o.id = p.organization_id and o.deleted_at is null
     where p.id = auth.uid() and p.deleted_at is null
$$;
