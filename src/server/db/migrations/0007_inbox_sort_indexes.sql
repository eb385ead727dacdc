-- The SLA and priority orders of the inbox sort by expressions: index those expressions over the active cases so
-- a page is read in order instead of sorting every active case. The expressions must stay identical to those
-- of src/domain/cases/inbox-order.ts (NEXT_DUE_SQL, PRIORITY_RANK_SQL).
CREATE INDEX cases_active_next_due ON cases (
  (coalesce(least(case when first_responded_at is null then first_response_due_at end, next_response_due_at, resolution_due_at),
    '9999-12-31T00:00:00Z'::timestamptz)),
  id
) WHERE status in ('new', 'open', 'waiting_customer', 'waiting_internal');
--> statement-breakpoint
CREATE INDEX cases_active_priority ON cases (
  (case priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end),
  updated_at DESC,
  id DESC
) WHERE status in ('new', 'open', 'waiting_customer', 'waiting_internal');
