-- Ideas and incidents: a suggestion forwarded from cases to the innovation backlog, a recurring problem raised
-- from cases to quality. Votes of an idea are the distinct customers of its linked cases (computed, never stored);
-- a status change of either flows back to every linked case (timeline event, notification to the assignee).
CREATE TABLE "ideas" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ideas_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" integer NOT NULL,
	"community_id" integer,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"topic" text,
	"status" text DEFAULT 'new' NOT NULL,
	"status_note" text DEFAULT '' NOT NULL,
	"owner_team_id" integer,
	"terms" text[] DEFAULT '{}' NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status_at" timestamp with time zone,
	"status_by" integer,
	"accepted_at" timestamp with time zone,
	CONSTRAINT "ideas_status" CHECK ("status" IN ('new', 'under_review', 'planned', 'accepted', 'declined', 'done'))
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "incidents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" integer NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"topic" text,
	"status" text DEFAULT 'open' NOT NULL,
	"status_note" text DEFAULT '' NOT NULL,
	"owner_team_id" integer,
	"terms" text[] DEFAULT '{}' NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status_at" timestamp with time zone,
	"status_by" integer,
	"fixed_at" timestamp with time zone,
	CONSTRAINT "incidents_status" CHECK ("status" IN ('open', 'investigating', 'fixed', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "idea_cases" (
	"idea_id" bigint NOT NULL,
	"case_id" bigint NOT NULL,
	"org_id" integer NOT NULL,
	"linked_by" integer,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idea_cases_pk" PRIMARY KEY("idea_id","case_id")
);
--> statement-breakpoint
CREATE TABLE "incident_cases" (
	"incident_id" bigint NOT NULL,
	"case_id" bigint NOT NULL,
	"org_id" integer NOT NULL,
	"linked_by" integer,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incident_cases_pk" PRIMARY KEY("incident_id","case_id")
);
--> statement-breakpoint
ALTER TABLE "ideas" ADD CONSTRAINT "ideas_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ideas" ADD CONSTRAINT "ideas_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ideas" ADD CONSTRAINT "ideas_owner_team_id_teams_id_fk" FOREIGN KEY ("owner_team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ideas" ADD CONSTRAINT "ideas_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ideas" ADD CONSTRAINT "ideas_status_by_people_id_fk" FOREIGN KEY ("status_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_owner_team_id_teams_id_fk" FOREIGN KEY ("owner_team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_status_by_people_id_fk" FOREIGN KEY ("status_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_cases" ADD CONSTRAINT "idea_cases_idea_id_ideas_id_fk" FOREIGN KEY ("idea_id") REFERENCES "public"."ideas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_cases" ADD CONSTRAINT "idea_cases_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_cases" ADD CONSTRAINT "idea_cases_linked_by_people_id_fk" FOREIGN KEY ("linked_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_cases" ADD CONSTRAINT "incident_cases_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_cases" ADD CONSTRAINT "incident_cases_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_cases" ADD CONSTRAINT "incident_cases_linked_by_people_id_fk" FOREIGN KEY ("linked_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ideas_org_status" ON "ideas" USING btree ("org_id","status");--> statement-breakpoint
CREATE INDEX "ideas_org_created" ON "ideas" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "ideas_terms" ON "ideas" USING gin ("terms");--> statement-breakpoint
CREATE INDEX "incidents_org_status" ON "incidents" USING btree ("org_id","status");--> statement-breakpoint
CREATE INDEX "incidents_org_created" ON "incidents" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "incidents_terms" ON "incidents" USING gin ("terms");--> statement-breakpoint
CREATE INDEX "idea_cases_case" ON "idea_cases" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "idea_cases_org_linked" ON "idea_cases" USING btree ("org_id","linked_at");--> statement-breakpoint
CREATE INDEX "incident_cases_case" ON "incident_cases" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "incident_cases_org_linked" ON "incident_cases" USING btree ("org_id","linked_at");
