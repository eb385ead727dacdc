-- Training mode: backups practise on replays of past cases. Everything lives in these two tables and nowhere
-- else: no case, message, case event, outbox row or network post is ever written for training, so no inbox,
-- count, SLA clock, report, routing rule, detector, webhook, search or export can see it. A replay holds an
-- anonymized snapshot of the past case's thread taken when the session starts, never a live reference to it.
CREATE TABLE "training_sessions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "training_sessions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"community_id" integer NOT NULL,
	"topic" text,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "training_sessions_person" ON "training_sessions" USING btree ("org_id","person_id","created_at");--> statement-breakpoint
CREATE INDEX "training_sessions_community" ON "training_sessions" USING btree ("org_id","community_id","created_at");--> statement-breakpoint
CREATE TABLE "training_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "training_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"session_id" bigint NOT NULL,
	"position" integer NOT NULL,
	"source_case_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"account_id" integer,
	"language" text,
	"intent" text,
	"urgency" text DEFAULT 'normal' NOT NULL,
	"sentiment" text,
	"sensitive" text[] DEFAULT '{}' NOT NULL,
	"topics" text[] DEFAULT '{}' NOT NULL,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"contact" jsonb NOT NULL,
	"thread" jsonb NOT NULL,
	"reference_text" text NOT NULL,
	"opened_at" timestamp with time zone,
	"answer_text" text,
	"canned_reply_id" integer,
	"answered_at" timestamp with time zone,
	"seconds_to_answer" integer,
	"verdict" jsonb,
	"self_assessment" integer,
	"leader_score" integer,
	"leader_comment" text,
	"scored_by" integer,
	"scored_at" timestamp with time zone,
	CONSTRAINT "training_items_self_assessment" CHECK ("self_assessment" BETWEEN 1 AND 5),
	CONSTRAINT "training_items_leader_score" CHECK ("leader_score" BETWEEN 1 AND 5)
);
--> statement-breakpoint
ALTER TABLE "training_items" ADD CONSTRAINT "training_items_session_id_training_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."training_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_items" ADD CONSTRAINT "training_items_scored_by_people_id_fk" FOREIGN KEY ("scored_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "training_items_position" ON "training_items" USING btree ("session_id","position");--> statement-breakpoint
CREATE INDEX "training_items_source" ON "training_items" USING btree ("source_case_id");
