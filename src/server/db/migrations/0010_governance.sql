-- Governance: the approval policy, autonomy levels and reply guidelines as one versioned document, and the
-- replies waiting for approval with every approver's decision.
CREATE TABLE "governance_policies" (
	"id" serial PRIMARY KEY NOT NULL,
	"org_id" integer NOT NULL REFERENCES "organizations"("id"),
	"version" integer NOT NULL,
	"policy" jsonb NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" integer REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "governance_policies_version" UNIQUE ("org_id", "version")
);
--> statement-breakpoint
CREATE TABLE "approval_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" integer NOT NULL REFERENCES "organizations"("id"),
	"case_id" bigint NOT NULL,
	"community_id" integer NOT NULL,
	"author_id" integer NOT NULL REFERENCES "people"("id"),
	"account_id" integer NOT NULL,
	"text" text NOT NULL,
	"original_text" text NOT NULL,
	"resolve" boolean DEFAULT false NOT NULL,
	"visibility" text DEFAULT 'public' NOT NULL,
	"override_reason" text,
	"policy_version" integer NOT NULL,
	"rule_id" text NOT NULL,
	"rule_name" text NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"required" integer NOT NULL,
	"mode" text NOT NULL,
	"approver_roles" text[] DEFAULT '{}' NOT NULL,
	"approver_ids" integer[] DEFAULT '{}' NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" integer REFERENCES "people"("id"),
	"note" text,
	"message_id" bigint
);
--> statement-breakpoint
CREATE INDEX "approval_requests_pending" ON "approval_requests" ("org_id", "due_at") WHERE status = 'pending';
--> statement-breakpoint
CREATE INDEX "approval_requests_org_created" ON "approval_requests" ("org_id", "created_at");
--> statement-breakpoint
CREATE INDEX "approval_requests_case" ON "approval_requests" ("case_id");
--> statement-breakpoint
CREATE TABLE "approval_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"request_id" bigint NOT NULL REFERENCES "approval_requests"("id"),
	"person_id" integer NOT NULL REFERENCES "people"("id"),
	"decision" text NOT NULL,
	"edited" boolean DEFAULT false NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "approval_decisions_once" UNIQUE ("request_id", "person_id")
);
