-- Fields with one right answer when a rep and a teammate both changed them, merged by sync_push instead
-- of kept as a conflict (or, when both sides happened to write the same value, taken as one change):
-- a count of things done adds up both sides' additions (two reps who each emailed a lead once make 2,
-- not 1), the time of the latest contact is the later one, and what was learnt about an address holds
-- by weight (unsubscribed over bounced over replied over no reply). Applied only to an update (not an
-- insert meeting an existing id, whose bases are unknown) whose field the server moved on from its
-- base. NULL: no rule, or values the rule cannot read (a time cleared on one side); the field is then
-- merged as before. A count change sent again under a new client id (a restored backup whose waiting
-- changes the original laptop had pushed already) is added again: the server cannot tell it from a
-- second rep's.
create function public.sync_merge_field(p_table text, p_column text, base jsonb, mine jsonb, theirs jsonb)
    returns jsonb language sql stable set search_path = public, pg_temp
as $$
    select case
        when (p_table, p_column) in (('leads', 'emails_sent_count'), ('leads', 'reply_count'))
             and jsonb_typeof(base) = 'number' and jsonb_typeof(mine) = 'number' and jsonb_typeof(theirs) = 'number'
            then to_jsonb(greatest(0, theirs::numeric + mine::numeric - base::numeric)::bigint)
        when (p_table, p_column) in (('leads', 'last_contacted_at'), ('leads', 'last_reply_at'),
                                     ('clients', 'last_interaction_at'), ('campaign_leads', 'last_attempt_at'))
             and jsonb_typeof(mine) = 'string' and jsonb_typeof(theirs) = 'string'
            then case when (mine #>> '{}')::timestamptz > (theirs #>> '{}')::timestamptz then mine else theirs end
        when (p_table, p_column) = ('leads', 'email_status')
             and array_position(array['no_reply', 'replied', 'bounced', 'unsubscribed'], mine #>> '{}') is not null
             and array_position(array['no_reply', 'replied', 'bounced', 'unsubscribed'], theirs #>> '{}') is not null
            then case when array_position(array['no_reply', 'replied', 'bounced', 'unsubscribed'], mine #>> '{}')
                         > array_position(array['no_reply', 'replied', 'bounced', 'unsubscribed'], theirs #>> '{}')
                      then mine else theirs end
    end
$$;
revoke all on function public.sync_merge_field(text, text, jsonb, jsonb, jsonb) from public, anon;
grant execute on function public.sync_merge_field(text, text, jsonb, jsonb, jsonb) to authenticated;

-- sync_push's field merge asks it first, for every field the server moved on from its base. The
-- function's body is kept as it is but for that step (replaced in place rather than restated whole:
-- the rest of its ~550 lines stays where it was written and reviewed); a body that no longer holds
-- the step's text stops the migration.
do $migration$
declare
    v_def text := pg_get_functiondef('public.sync_push(jsonb)'::regprocedure);
    v_old text := $old$                    foreach k in array v_cols loop
                        if (v_cur -> k) = (v_new_n -> k) then$old$;
    v_new text := $new$                    foreach k in array v_cols loop
                        -- A field with a rule (sync_merge_field) settles by it. Written unless both sides
                        -- hold the result already: the write's new version is what brings the result to
                        -- a laptop whose pull kept its own value while it waited to be pushed.
                        v_merged := case when v_op = 'update' and (v_cur -> k) is distinct from (v_base_n -> k) then
                            public.sync_merge_field(v_table, k, v_base_n -> k, v_new_n -> k, v_cur -> k) end;
                        if v_merged is not null then
                            if v_merged is distinct from (v_cur -> k) or v_merged is distinct from (v_new_n -> k) then
                                v_new := jsonb_set(v_new, array[k], v_merged);
                                v_set := v_set || k;
                            end if;
                        elsif (v_cur -> k) = (v_new_n -> k) then$new$;
begin
    if position(v_old in v_def) = 0 then
        raise exception 'settled_fields: sync_push no longer has the field merge this migration changes';
    end if;
    execute replace(v_def, v_old, v_new);
end
$migration$;
