DROP INDEX "cases_active_updated";--> statement-breakpoint
DROP INDEX "cases_active_assignee";--> statement-breakpoint
DROP INDEX "cases_active_team";--> statement-breakpoint
CREATE INDEX "cases_active_updated2" ON "cases" USING btree ("org_id","updated_at","id") WHERE status in ('new', 'open', 'waiting_customer', 'waiting_internal');--> statement-breakpoint
CREATE INDEX "cases_active_assignee2" ON "cases" USING btree ("assignee_id","updated_at","id") WHERE status in ('new', 'open', 'waiting_customer', 'waiting_internal');--> statement-breakpoint
CREATE INDEX "cases_active_team2" ON "cases" USING btree ("team_id","updated_at","id") WHERE status in ('new', 'open', 'waiting_customer', 'waiting_internal');