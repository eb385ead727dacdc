-- Scheduled reports: a leader or manager sends the PDF of a report (communities, team, last week or month) to
-- recipients weekly or monthly; each due slot is delivered once (report_deliveries, unique per slot).
CREATE TABLE "report_schedules" (
	"id" serial PRIMARY KEY NOT NULL,
	"org_id" integer NOT NULL REFERENCES "organizations"("id"),
	"name" text NOT NULL,
	-- The person who last saved it: the report is sent while they may still report on its communities.
	"owner_id" integer NOT NULL REFERENCES "people"("id"),
	"communities" integer[],
	"team_id" integer REFERENCES "teams"("id") ON DELETE SET NULL,
	"period" text NOT NULL,
	"business_hours" boolean DEFAULT false NOT NULL,
	"frequency" text NOT NULL,
	"weekday" integer,
	"month_day" integer,
	"local_time" text NOT NULL,
	"timezone" text NOT NULL,
	"recipients" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"next_due_at" timestamp with time zone NOT NULL,
	"last_sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_schedules_period" CHECK ("period" IN ('last_week', 'last_month')),
	CONSTRAINT "report_schedules_frequency" CHECK (("frequency" = 'weekly' AND "weekday" BETWEEN 1 AND 7) OR ("frequency" = 'monthly' AND "month_day" BETWEEN 1 AND 28))
);
--> statement-breakpoint
CREATE INDEX "report_schedules_due" ON "report_schedules" ("next_due_at") WHERE "active";
--> statement-breakpoint
CREATE TABLE "report_deliveries" (
	"id" serial PRIMARY KEY NOT NULL,
	"org_id" integer NOT NULL REFERENCES "organizations"("id"),
	"schedule_id" integer NOT NULL REFERENCES "report_schedules"("id") ON DELETE CASCADE,
	"kind" text NOT NULL,
	"slot" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'sending' NOT NULL,
	"recipients" text[] DEFAULT '{}' NOT NULL,
	"error" text,
	"requested_by" integer REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "report_deliveries_kind" CHECK ("kind" IN ('scheduled', 'manual')),
	CONSTRAINT "report_deliveries_status" CHECK ("status" IN ('sending', 'sent', 'failed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "report_deliveries_slot" ON "report_deliveries" ("schedule_id", "slot") WHERE "kind" = 'scheduled';
--> statement-breakpoint
CREATE INDEX "report_deliveries_schedule" ON "report_deliveries" ("schedule_id", "created_at");
