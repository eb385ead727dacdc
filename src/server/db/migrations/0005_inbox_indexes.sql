DROP INDEX "cases_inbox";--> statement-breakpoint
DROP INDEX "cases_assignee";--> statement-breakpoint
DROP INDEX "cases_team";--> statement-breakpoint
CREATE INDEX "cases_active_updated" ON "cases" USING btree ("org_id","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE status in ('new', 'open', 'waiting_customer', 'waiting_internal');--> statement-breakpoint
CREATE INDEX "cases_active_assignee" ON "cases" USING btree ("assignee_id","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE status in ('new', 'open', 'waiting_customer', 'waiting_internal');--> statement-breakpoint
CREATE INDEX "cases_active_team" ON "cases" USING btree ("team_id","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE status in ('new', 'open', 'waiting_customer', 'waiting_internal');