-- The counts of the inbox views are read from this index alone: at a million messages, a manager's counts
-- went from a bitmap heap scan of ~9,000 pages (~450 ms) to an index-only scan (~5 ms).
CREATE INDEX "cases_active_counts" ON "cases" USING btree ("org_id","community_id","status","assignee_id","team_id","channel","first_responded_at","first_response_due_at") WHERE status in ('new', 'open', 'waiting_customer', 'waiting_internal');
