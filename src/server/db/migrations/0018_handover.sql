-- Handover briefs: at a shift change, what the outgoing shift hands to the next one (open cases by SLA risk,
-- waiting consults, promises made to customers, ongoing incidents, counts), per community and period.
CREATE TABLE "handover_briefs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "handover_briefs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" integer NOT NULL,
	"community_id" integer NOT NULL,
	"period_from" timestamp with time zone NOT NULL,
	"period_to" timestamp with time zone NOT NULL,
	"trigger" text DEFAULT 'schedule' NOT NULL,
	"content" jsonb NOT NULL,
	"generated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"item_edits" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"outgoing_ids" integer[] DEFAULT '{}' NOT NULL,
	"incoming_ids" integer[] DEFAULT '{}' NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"edited_by" integer,
	"edited_at" timestamp with time zone,
	"published_by" integer,
	"published_at" timestamp with time zone,
	"acknowledged_by" integer,
	"acknowledged_at" timestamp with time zone,
	CONSTRAINT "handover_briefs_period" CHECK ("period_to" > "period_from"),
	CONSTRAINT "handover_briefs_status" CHECK ("status" IN ('draft', 'published', 'acknowledged')),
	CONSTRAINT "handover_briefs_trigger" CHECK ("trigger" IN ('schedule', 'manual'))
);
--> statement-breakpoint
ALTER TABLE "handover_briefs" ADD CONSTRAINT "handover_briefs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_briefs" ADD CONSTRAINT "handover_briefs_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_briefs" ADD CONSTRAINT "handover_briefs_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_briefs" ADD CONSTRAINT "handover_briefs_edited_by_people_id_fk" FOREIGN KEY ("edited_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_briefs" ADD CONSTRAINT "handover_briefs_published_by_people_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_briefs" ADD CONSTRAINT "handover_briefs_acknowledged_by_people_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "handover_briefs_community_period" ON "handover_briefs" USING btree ("community_id","period_from","period_to");--> statement-breakpoint
CREATE INDEX "handover_briefs_community_to" ON "handover_briefs" USING btree ("org_id","community_id","period_to");--> statement-breakpoint
CREATE TABLE "handover_acknowledgements" (
	"brief_id" bigint NOT NULL,
	"person_id" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "handover_acknowledgements_brief_id_person_id_pk" PRIMARY KEY("brief_id","person_id")
);
--> statement-breakpoint
ALTER TABLE "handover_acknowledgements" ADD CONSTRAINT "handover_acknowledgements_brief_id_handover_briefs_id_fk" FOREIGN KEY ("brief_id") REFERENCES "public"."handover_briefs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_acknowledgements" ADD CONSTRAINT "handover_acknowledgements_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;
