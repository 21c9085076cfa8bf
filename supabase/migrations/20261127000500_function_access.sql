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
