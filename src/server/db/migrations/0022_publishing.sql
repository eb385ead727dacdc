-- Publishing: campaigns, posts scheduled per community and account (published through the outbox, after the
-- same guideline checks and approval policy as replies), approvals of posts, and the publishing pause per
-- community (set by a leader or by a declared crisis).
CREATE TABLE "campaigns" (
	"id" serial PRIMARY KEY NOT NULL,
	"org_id" integer NOT NULL REFERENCES "organizations"("id"),
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"community_ids" integer[] DEFAULT '{}' NOT NULL,
	"starts_on" date,
	"ends_on" date,
	"owner_id" integer REFERENCES "people"("id"),
	"created_by" integer REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "campaigns_org" ON "campaigns" ("org_id", "id");
--> statement-breakpoint
CREATE TABLE "posts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" integer NOT NULL REFERENCES "organizations"("id"),
	"community_id" integer NOT NULL REFERENCES "communities"("id"),
	"account_id" integer NOT NULL REFERENCES "channel_accounts"("id"),
	"network" text NOT NULL,
	"text" text NOT NULL,
	"link" text,
	"scheduled_at" timestamp with time zone,
	"status" text DEFAULT 'draft' NOT NULL,
	"campaign_id" integer REFERENCES "campaigns"("id"),
	"created_by" integer NOT NULL REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"approval_required" integer DEFAULT 0 NOT NULL,
	"approval_mode" text DEFAULT 'any' NOT NULL,
	"approver_ids" integer[] DEFAULT '{}' NOT NULL,
	"approval_rule" text,
	"approval_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"approval_due_at" timestamp with time zone,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"review_note" text,
	"outbox_id" bigint REFERENCES "outbox"("id"),
	"external_id" text,
	"url" text,
	"published_at" timestamp with time zone,
	"last_error" text,
	CONSTRAINT "posts_status" CHECK ("status" IN ('draft', 'pending_approval', 'scheduled', 'paused', 'publishing', 'published', 'failed', 'cancelled'))
);
--> statement-breakpoint
CREATE INDEX "posts_calendar" ON "posts" ("org_id", "community_id", "scheduled_at");
--> statement-breakpoint
CREATE INDEX "posts_due" ON "posts" ("scheduled_at") WHERE status = 'scheduled';
--> statement-breakpoint
CREATE UNIQUE INDEX "posts_outbox" ON "posts" ("outbox_id") WHERE outbox_id IS NOT NULL;
--> statement-breakpoint
CREATE TABLE "post_approvals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"post_id" bigint NOT NULL REFERENCES "posts"("id"),
	"person_id" integer NOT NULL REFERENCES "people"("id"),
	"decision" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "post_approvals_once" UNIQUE ("post_id", "person_id")
);
--> statement-breakpoint
CREATE TABLE "publishing_pauses" (
	"community_id" integer PRIMARY KEY NOT NULL REFERENCES "communities"("id"),
	"org_id" integer NOT NULL REFERENCES "organizations"("id"),
	"reason" text NOT NULL,
	"paused_by" integer REFERENCES "people"("id"),
	"crisis_id" integer REFERENCES "crises"("id"),
	"since" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- A post goes out through the outbox without a message of a case.
ALTER TABLE "outbox" ALTER COLUMN "message_id" DROP NOT NULL;
