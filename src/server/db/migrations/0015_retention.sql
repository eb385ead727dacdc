-- Cases whose content was anonymized by the organization's retention policy (the skeleton stays for reports).
ALTER TABLE "cases" ADD COLUMN "anonymized_at" timestamp with time zone;--> statement-breakpoint
-- The retention pass finds expired cases without reading the active ones.
CREATE INDEX "cases_retention" ON "cases" USING btree ((coalesce("closed_at", "resolved_at"))) WHERE anonymized_at is null and status in ('resolved', 'closed');
