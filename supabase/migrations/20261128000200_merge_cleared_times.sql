-- A time or an email status cleared on one side and set on the other now settles to the one set,
-- instead of asking the rep: deleting a logged call or reply (on the wrong lead) clears the lead's
-- last contact or reply when it was the only one, while a teammate's call or reply meanwhile set it —
-- and that contact happened. (A rule still needs both sides readable otherwise; counts still need a
-- base.) Only the function changes: sync_push already asks it (20261128000100_settled_fields.sql).
create or replace function public.sync_merge_field(p_table text, p_column text, base jsonb, mine jsonb, theirs jsonb)
    returns jsonb language sql stable set search_path = public, pg_temp
as $$
    select case
        when (p_table, p_column) in (('leads', 'emails_sent_count'), ('leads', 'reply_count'))
             and jsonb_typeof(base) = 'number' and jsonb_typeof(mine) = 'number' and jsonb_typeof(theirs) = 'number'
            then to_jsonb(greatest(0, theirs::numeric + mine::numeric - base::numeric)::bigint)
        when (p_table, p_column) in (('leads', 'last_contacted_at'), ('leads', 'last_reply_at'),
                                     ('clients', 'last_interaction_at'), ('campaign_leads', 'last_attempt_at'))
             and jsonb_typeof(mine) in ('string', 'null') and jsonb_typeof(theirs) in ('string', 'null')
             and (jsonb_typeof(mine) = 'string' or jsonb_typeof(theirs) = 'string')
            then case when jsonb_typeof(theirs) = 'null' then mine
                      when jsonb_typeof(mine) = 'null' then theirs
                      when (mine #>> '{}')::timestamptz > (theirs #>> '{}')::timestamptz then mine
                      else theirs end
        when (p_table, p_column) = ('leads', 'email_status')
             and (jsonb_typeof(mine) = 'null'
                  or array_position(array['no_reply', 'replied', 'bounced', 'unsubscribed'], mine #>> '{}') is not null)
             and (jsonb_typeof(theirs) = 'null'
                  or array_position(array['no_reply', 'replied', 'bounced', 'unsubscribed'], theirs #>> '{}') is not null)
            then case when coalesce(array_position(array['no_reply', 'replied', 'bounced', 'unsubscribed'], mine #>> '{}'), 0)
                         > coalesce(array_position(array['no_reply', 'replied', 'bounced', 'unsubscribed'], theirs #>> '{}'), 0)
                      then mine else theirs end
    end
$$;
