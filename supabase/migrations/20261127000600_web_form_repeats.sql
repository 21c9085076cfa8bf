-- A web form sent again by someone who is already a lead. The unique email index answered 409 to such a
-- visitor: their message was lost, and anyone with the form's public key could tell whether an address is
-- among a team's leads (201 for a new one). Now the repeat is kept as an inbound conversation on the
-- existing lead (its message, and the details the form sent, which may differ from the lead's), marked as
-- needing action; the lead itself is not changed by an anonymous visitor.
--
-- So that a new address and a repeat look alike to the visitor, this trigger writes a new lead itself and
-- skips the visitor's insert in both cases: PostgREST answers 201 with no row count either way, and an id
-- the form chose that is already taken (which a skipped repeat would not have revealed) is replaced. The
-- email is stored trimmed (" pat@x.com" and "pat@x.com" are one address).
--
-- Only a submission the web-form policy (leads_web_form_insert) would take is treated so, its conditions
-- repeated here because a trigger's own insert is not subject to the visitor's policies; anything else
-- goes on to RLS, which refuses it as before. Two submissions of one new address at once wait for each
-- other (an advisory lock on the organization and address), so the second becomes the first's repeat.
--
-- sync_push's one-statement path takes public.anon_* triggers: their WHEN limits them to the anon role,
-- and sync_push runs as authenticated (and this trigger's own insert runs as its owner, so it does not
-- fire again).

create function public.anon_web_form_repeat() returns trigger
    language plpgsql security definer set search_path = public
as $$
declare
    v_lead uuid;
    v_per_minute integer;
begin
    if not coalesce(new.source = 'web_form' and new.status = 'new' and new.assigned_to is null
                    and new.team_id is null and new.list_id is null and new.import_id is null
                    and new.created_by is null and new.do_not_contact = false and new.current_score = 0
                    and new.deleted_at is null and public.organization_accepts_web_forms(new.organization_id),
                    false) then
        return new;
    end if;
    new.email := nullif(btrim(new.email, E' \t\r\n'), '');
    -- What a form sends is checked as the app checks a rep's input (a lead nobody can reach, or a
    -- megabyte of text, is spam); the answer says which rule, and is the same for any address.
    if new.email is null and nullif(btrim(new.phone), '') is null then
        raise exception using errcode = '23514', message = 'web form: an email address or a phone number is needed';
    end if;
    if new.email !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
        raise exception using errcode = '23514', message = format('web form: %L is not an email address', left(new.email, 100));
    end if;
    if length(new.message) > 10000 then
        raise exception using errcode = '23514', message = 'web form: the message is longer than 10,000 characters';
    end if;
    if greatest(length(new.first_name), length(new.last_name), length(new.company), length(new.job_title),
                length(new.website)) > 500 then
        raise exception using errcode = '23514', message = 'web form: a field is longer than 500 characters';
    end if;
    if length(new.phone) > 50 then
        raise exception using errcode = '23514', message = 'web form: the phone number is longer than 50 characters';
    end if;
    -- Counted after the checks (a refused submission writes nothing): 20261127000550's limits.
    -- (A setting that is not a whole number is ignored rather than break every submission.)
    select case when settings ->> 'web_form_per_minute' ~ '^[0-9]{1,6}$'
                then (settings ->> 'web_form_per_minute')::integer else 100 end into v_per_minute
      from public.organizations where id = new.organization_id;
    perform outpost_private.count_web_form(new.organization_id, '', interval '1 minute', v_per_minute);
    perform outpost_private.count_web_form(new.organization_id, lower(coalesce(new.email, btrim(new.phone))),
                                           interval '1 hour', 10);
    if new.email is not null then
        perform pg_advisory_xact_lock(hashtextextended(new.organization_id::text || '/' || lower(new.email), 0));
        select l.id into v_lead from public.leads l
         where l.organization_id = new.organization_id and l.deleted_at is null and l.email is not null
           and lower(l.email) = lower(new.email);
    end if;
    if v_lead is null then
        if new.id is null or exists (select 1 from public.leads l where l.id = new.id) then
            new.id := gen_random_uuid();
        end if;
        insert into public.leads select (new).*;
        return null;
    end if;
    insert into public.conversations (organization_id, lead_id, direction, channel, platform, subject, content,
                                      from_address, requires_action, metadata)
    values (new.organization_id, v_lead, 'inbound', 'other', 'web_form', 'Web form sent again',
            coalesce(nullif(btrim(new.message), ''), 'The web form was sent again from this address, without a message.'),
            new.email, true,
            jsonb_build_object('web_form', jsonb_strip_nulls(jsonb_build_object(
                'first_name', new.first_name, 'last_name', new.last_name, 'email', new.email,
                'phone', new.phone, 'company', new.company, 'job_title', new.job_title,
                'website', new.website))));
    return null;
end
$$;
revoke all on function public.anon_web_form_repeat() from public, anon, authenticated, service_role;

create trigger anon_web_form_repeat before insert on public.leads
    for each row when (current_user = 'anon') execute function public.anon_web_form_repeat();

-- anon reads no lead (it has no select policy); without the privilege as well, a form asking for the row
-- back (Prefer: return=representation) is refused alike for a new lead and a repeat.
revoke select on public.leads from anon;
