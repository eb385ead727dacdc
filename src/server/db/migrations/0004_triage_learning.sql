CREATE TABLE "triage_corrections" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "triage_corrections_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" integer NOT NULL,
	"message_id" bigint NOT NULL,
	"person_id" integer,
	"field" text NOT NULL,
	"previous" jsonb,
	"value" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "triage_models" (
	"id" serial PRIMARY KEY NOT NULL,
	"org_id" integer NOT NULL,
	"model_id" text NOT NULL,
	"trained_at" timestamp with time zone DEFAULT now() NOT NULL,
	"examples" integer NOT NULL,
	"last_correction_id" bigint NOT NULL,
	"result" jsonb NOT NULL,
	"files" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
ALTER TABLE "triage_corrections" ADD CONSTRAINT "triage_corrections_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "triage_corrections" ADD CONSTRAINT "triage_corrections_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "triage_corrections_org" ON "triage_corrections" USING btree ("org_id","id");--> statement-breakpoint
CREATE INDEX "triage_corrections_message" ON "triage_corrections" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "triage_models_org" ON "triage_models" USING btree ("org_id","id");