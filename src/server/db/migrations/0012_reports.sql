-- Reports read cases and messages by period: when a case was created and resolved, when a message was written.
CREATE INDEX IF NOT EXISTS "cases_org_created" ON "cases" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_org_resolved" ON "cases" USING btree ("org_id","resolved_at") WHERE resolved_at is not null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "messages_org_created" ON "messages" USING btree ("org_id","created_at");
