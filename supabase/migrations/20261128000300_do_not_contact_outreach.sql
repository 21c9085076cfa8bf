-- A lead marked do-not-contact does not move into outreach (new, contacted, qualified, proposal,
-- negotiation, nurturing) — the rule the laptop's store enforces (rules.rs, OUTREACH_STATUSES). The
-- server only refused clearing the mark, so a teammate who had not yet pulled the mark could still
-- move the lead to "qualified", and every laptop then held an opted-out lead in outreach. Refused
-- with 42501, the operator (service_role, the tables' owner) excepted, as the mark's own guard.
-- Only a lead marked before this update: a rep's own move and opt-out, made one after the other
-- offline, arrive as one update and are what the rep's store allowed.
create trigger leads_guard_do_not_contact_outreach after update on public.leads
    for each row when (old.do_not_contact and new.status is distinct from old.status
                       and new.status in ('new', 'contacted', 'qualified', 'proposal', 'negotiation', 'nurturing'))
    execute function public.guard_refuse_users('%s.status: lead %s is marked do-not-contact, so it does not move into outreach');
