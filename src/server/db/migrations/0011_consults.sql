-- Consults: the expertise directory, questions from a case to an expert or a team, and their answers.
CREATE TABLE "expertise" (
	"id" serial PRIMARY KEY NOT NULL,
	"org_id" integer NOT NULL,
	"person_id" integer,
	"team_id" integer,
	"title" text NOT NULL,
	"topics" text[] DEFAULT '{}' NOT NULL,
	"languages" text[] DEFAULT '{}' NOT NULL,
	"availability" text DEFAULT '' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "expertise_one_target" CHECK (("person_id" IS NULL) <> ("team_id" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "expertise" ADD CONSTRAINT "expertise_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expertise" ADD CONSTRAINT "expertise_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "expertise_org" ON "expertise" USING btree ("org_id","id");--> statement-breakpoint
CREATE TABLE "consults" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "consults_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" integer NOT NULL,
	"case_id" bigint NOT NULL,
	"asker_id" integer NOT NULL,
	"expertise_id" integer,
	"expert_person_id" integer,
	"expert_team_id" integer,
	"team_id" integer,
	"question" text NOT NULL,
	"excerpt" text DEFAULT '' NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"answer" text,
	"answered_by" integer,
	"answered_at" timestamp with time zone,
	"note_message_id" bigint,
	"reminded_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consults_one_target" CHECK (("expert_person_id" IS NULL) <> ("expert_team_id" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "consults" ADD CONSTRAINT "consults_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consults" ADD CONSTRAINT "consults_asker_id_people_id_fk" FOREIGN KEY ("asker_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consults" ADD CONSTRAINT "consults_expert_person_id_people_id_fk" FOREIGN KEY ("expert_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consults" ADD CONSTRAINT "consults_expert_team_id_teams_id_fk" FOREIGN KEY ("expert_team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consults_case" ON "consults" USING btree ("case_id","id");--> statement-breakpoint
CREATE INDEX "consults_expert_person" ON "consults" USING btree ("expert_person_id","id");--> statement-breakpoint
CREATE INDEX "consults_expert_team" ON "consults" USING btree ("expert_team_id","id");--> statement-breakpoint
CREATE INDEX "consults_open_due" ON "consults" USING btree ("due_at") WHERE "status" = 'open';--> statement-breakpoint
CREATE INDEX "consults_org_created" ON "consults" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_events_org_actor" ON "audit_events" USING btree ("org_id","actor_person_id","id");--> statement-breakpoint
CREATE INDEX "audit_events_org_action" ON "audit_events" USING btree ("org_id","action","id");
