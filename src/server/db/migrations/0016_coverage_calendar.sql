-- 24/7 coverage calendar: absences of people (holiday, sick leave, training…) and public holidays of the
-- organization, optionally for one community, which may cancel the shifts of that day. Duty honours both.
CREATE TABLE "absences" (
	"id" serial PRIMARY KEY NOT NULL,
	"org_id" integer NOT NULL REFERENCES "organizations"("id"),
	"person_id" integer NOT NULL REFERENCES "people"("id") ON DELETE cascade,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"reason" text DEFAULT 'other' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" integer REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "absences_period" CHECK ("ends_at" > "starts_at"),
	CONSTRAINT "absences_reason" CHECK ("reason" in ('holiday', 'sick', 'training', 'other'))
);
--> statement-breakpoint
CREATE INDEX "absences_person" ON "absences" ("person_id", "ends_at");
--> statement-breakpoint
CREATE INDEX "absences_org_period" ON "absences" ("org_id", "ends_at", "starts_at");
--> statement-breakpoint
CREATE TABLE "holidays" (
	"id" serial PRIMARY KEY NOT NULL,
	"org_id" integer NOT NULL REFERENCES "organizations"("id"),
	"date" date NOT NULL,
	"name" text NOT NULL,
	"community_id" integer REFERENCES "communities"("id") ON DELETE cascade,
	"cancels_shifts" boolean DEFAULT true NOT NULL,
	"created_by" integer REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "holidays_org_date_scope" ON "holidays" ("org_id", "date", (coalesce("community_id", 0)));
