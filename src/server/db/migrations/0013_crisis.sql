-- Crisis mode: alerts of the live detector with their evidence, playbooks prepared in advance, declared crises,
-- every change a crisis applied (with the value it replaced, so standing down restores it) and its timeline.
CREATE TABLE "crisis_alerts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" integer NOT NULL REFERENCES "organizations"("id"),
	"community_id" integer REFERENCES "communities"("id"),
	"kind" text NOT NULL,
	"score" real NOT NULL,
	"detected_at" timestamp with time zone NOT NULL,
	"evidence" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"crisis_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "crisis_alerts_org" ON "crisis_alerts" ("org_id", "id");
--> statement-breakpoint
CREATE TABLE "crisis_playbooks" (
	"id" serial PRIMARY KEY NOT NULL,
	"org_id" integer NOT NULL REFERENCES "organizations"("id"),
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"definition" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crisis_playbooks_slug" UNIQUE ("org_id", "slug")
);
--> statement-breakpoint
CREATE TABLE "crises" (
	"id" serial PRIMARY KEY NOT NULL,
	"org_id" integer NOT NULL REFERENCES "organizations"("id"),
	"title" text NOT NULL,
	"playbook_id" integer REFERENCES "crisis_playbooks"("id"),
	"playbook" jsonb NOT NULL,
	"alert_id" bigint REFERENCES "crisis_alerts"("id"),
	"community_ids" integer[] DEFAULT '{}' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"declared_by" integer REFERENCES "people"("id"),
	"declared_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stood_down_by" integer REFERENCES "people"("id"),
	"stood_down_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "crises_one_active" ON "crises" ("org_id") WHERE status = 'active';
--> statement-breakpoint
CREATE TABLE "crisis_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"crisis_id" integer NOT NULL REFERENCES "crises"("id"),
	"kind" text NOT NULL,
	"target" text NOT NULL,
	"previous" jsonb,
	"applied" jsonb,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reverted_at" timestamp with time zone,
	"revert_note" text
);
--> statement-breakpoint
CREATE INDEX "crisis_changes_crisis" ON "crisis_changes" ("crisis_id", "id");
--> statement-breakpoint
CREATE TABLE "crisis_timeline" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"crisis_id" integer NOT NULL REFERENCES "crises"("id"),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"person_id" integer REFERENCES "people"("id"),
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "crisis_timeline_crisis" ON "crisis_timeline" ("crisis_id", "id");
