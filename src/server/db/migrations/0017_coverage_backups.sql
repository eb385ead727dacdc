-- Backups: who takes over a person's cases when they are off duty, in order of rank.
CREATE TABLE "person_backups" (
	"org_id" integer NOT NULL REFERENCES "organizations"("id"),
	"person_id" integer NOT NULL REFERENCES "people"("id") ON DELETE cascade,
	"backup_id" integer NOT NULL REFERENCES "people"("id") ON DELETE cascade,
	"rank" integer NOT NULL,
	"created_by" integer REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "person_backups_pk" PRIMARY KEY ("person_id", "backup_id"),
	CONSTRAINT "person_backups_not_self" CHECK ("person_id" <> "backup_id"),
	CONSTRAINT "person_backups_rank" CHECK ("rank" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "person_backups_person_rank" ON "person_backups" ("person_id", "rank");
--> statement-breakpoint
CREATE INDEX "person_backups_backup" ON "person_backups" ("backup_id");
--> statement-breakpoint
-- Per community: what happens to an off-duty person's open cases, the out-of-hours acknowledgement, paging.
CREATE TABLE "coverage_settings" (
	"community_id" integer PRIMARY KEY NOT NULL REFERENCES "communities"("id") ON DELETE cascade,
	"org_id" integer NOT NULL REFERENCES "organizations"("id"),
	"off_duty_policy" text DEFAULT 'stay' NOT NULL,
	"auto_ack_enabled" boolean DEFAULT false NOT NULL,
	-- { "<language>": { "text": "...", "link": "https://..." | null } }
	"auto_ack_texts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"paging_enabled" boolean DEFAULT false NOT NULL,
	"on_call_ids" integer[] DEFAULT '{}' NOT NULL,
	"pager_webhook_id" integer REFERENCES "webhooks"("id") ON DELETE set null,
	"updated_by" integer REFERENCES "people"("id"),
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coverage_settings_policy" CHECK ("off_duty_policy" in ('stay', 'backup', 'team'))
);
--> statement-breakpoint
-- Whether someone of a community is on duty, and since when: an out-of-hours period is (community, since).
CREATE TABLE "coverage_state" (
	"community_id" integer PRIMARY KEY NOT NULL REFERENCES "communities"("id") ON DELETE cascade,
	"org_id" integer NOT NULL,
	"covered" boolean NOT NULL,
	"since" timestamp with time zone NOT NULL
);
--> statement-breakpoint
-- The last inbound message the out-of-hours pass has looked at, per organization.
CREATE TABLE "coverage_cursor" (
	"org_id" integer PRIMARY KEY NOT NULL REFERENCES "organizations"("id"),
	"last_message_id" bigint NOT NULL
);
--> statement-breakpoint
-- Automatic acknowledgements and pages sent out of hours; the unique indexes make them happen once.
CREATE TABLE "coverage_actions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "coverage_actions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" integer NOT NULL REFERENCES "organizations"("id"),
	"community_id" integer NOT NULL REFERENCES "communities"("id") ON DELETE cascade,
	"case_id" bigint NOT NULL REFERENCES "cases"("id"),
	"conversation_id" bigint,
	"kind" text NOT NULL,
	-- The inbound message that caused it.
	"message_id" bigint NOT NULL,
	-- auto_ack: the acknowledgement (an outbound message) and the out-of-hours period it belongs to.
	"reply_message_id" bigint,
	"period_start" timestamp with time zone,
	"lang" text,
	-- page: who was paged and how.
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coverage_actions_kind" CHECK ("kind" in ('auto_ack', 'page'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "coverage_actions_ack_once" ON "coverage_actions" ("conversation_id", "period_start") WHERE kind = 'auto_ack';
--> statement-breakpoint
CREATE UNIQUE INDEX "coverage_actions_page_once" ON "coverage_actions" ("case_id") WHERE kind = 'page';
--> statement-breakpoint
CREATE INDEX "coverage_actions_org" ON "coverage_actions" ("org_id", "id");
