-- Advocates: customers who speak well of the brand or help other customers, ranked per community from their
-- messages (computed, never stored; docs/advocates.md). Stored here: what people did about them (thanked,
-- highlighted, excluded from the ranking, asked to share the official sources during a crisis) and each
-- contact's current state in a community (highlighted, excluded).
CREATE TABLE "advocate_status" (
	"org_id" integer NOT NULL,
	"community_id" integer NOT NULL,
	"contact_id" bigint NOT NULL,
	"highlighted_at" timestamp with time zone,
	"highlighted_by" integer,
	"excluded_at" timestamp with time zone,
	"excluded_by" integer,
	"exclude_reason" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "advocate_status_pk" PRIMARY KEY("community_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "advocate_actions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "advocate_actions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" integer NOT NULL,
	"community_id" integer NOT NULL,
	"contact_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"person_id" integer,
	"crisis_id" integer,
	"case_id" bigint,
	"message_id" bigint,
	"approval_id" bigint,
	"outcome" text DEFAULT 'recorded' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "advocate_actions_kind" CHECK ("kind" IN ('thanked', 'highlighted', 'unhighlighted', 'excluded', 'included', 'asked_to_share')),
	CONSTRAINT "advocate_actions_outcome" CHECK ("outcome" IN ('recorded', 'queued', 'awaiting_approval', 'task'))
);
--> statement-breakpoint
ALTER TABLE "advocate_status" ADD CONSTRAINT "advocate_status_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advocate_status" ADD CONSTRAINT "advocate_status_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advocate_status" ADD CONSTRAINT "advocate_status_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advocate_status" ADD CONSTRAINT "advocate_status_highlighted_by_people_id_fk" FOREIGN KEY ("highlighted_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advocate_status" ADD CONSTRAINT "advocate_status_excluded_by_people_id_fk" FOREIGN KEY ("excluded_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advocate_actions" ADD CONSTRAINT "advocate_actions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advocate_actions" ADD CONSTRAINT "advocate_actions_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advocate_actions" ADD CONSTRAINT "advocate_actions_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advocate_actions" ADD CONSTRAINT "advocate_actions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advocate_actions" ADD CONSTRAINT "advocate_actions_crisis_id_crises_id_fk" FOREIGN KEY ("crisis_id") REFERENCES "public"."crises"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "advocate_actions_contact" ON "advocate_actions" USING btree ("contact_id","id");--> statement-breakpoint
CREATE INDEX "advocate_actions_org_created" ON "advocate_actions" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "advocate_actions_crisis" ON "advocate_actions" USING btree ("crisis_id") WHERE "crisis_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "advocate_status_contact" ON "advocate_status" USING btree ("contact_id");--> statement-breakpoint
-- The ranking reads a period of inbound messages with their case and triage from the index alone (no heap
-- visit), the cases of a community with their customer from the index alone, and the contacts merged into others
-- (few) to follow them. Not in schema.ts: drizzle has no INCLUDE, and the contacts table declares no indexes there.
CREATE INDEX "messages_in_org_created" ON "messages" USING btree ("org_id","created_at") INCLUDE ("case_id","contact_id","sentiment","intent") WHERE "direction" = 'in';--> statement-breakpoint
CREATE INDEX "cases_community_contact" ON "cases" USING btree ("community_id","id") INCLUDE ("contact_id");--> statement-breakpoint
CREATE INDEX "contacts_merged" ON "contacts" USING btree ("merged_into") WHERE "merged_into" IS NOT NULL;
