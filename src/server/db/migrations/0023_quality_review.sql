-- Quality review: leaders draw reproducible samples of the replies people sent, score each against a scorecard
-- (standard criteria plus the community's guidelines), and the author sees and acknowledges the feedback.
CREATE TABLE "qa_samples" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "qa_samples_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" integer NOT NULL REFERENCES "organizations"("id"),
	"community_id" integer NOT NULL REFERENCES "communities"("id") ON DELETE cascade,
	-- Only this person's replies; null: everyone's in the community.
	"person_id" integer REFERENCES "people"("id"),
	"period_from" timestamp with time zone NOT NULL,
	"period_to" timestamp with time zone NOT NULL,
	-- The size asked for; items may be fewer when fewer replies qualify.
	"size" integer NOT NULL,
	-- The seed of the draw: the same seed over the same replies draws the same sample.
	"seed" bigint NOT NULL,
	-- The drawn reply message ids, in draw order.
	"items" bigint[] DEFAULT '{}' NOT NULL,
	"created_by" integer NOT NULL REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "qa_samples_period" CHECK ("period_to" > "period_from"),
	CONSTRAINT "qa_samples_size" CHECK ("size" BETWEEN 1 AND 200)
);
--> statement-breakpoint
CREATE INDEX "qa_samples_org" ON "qa_samples" ("org_id", "community_id", "id");
--> statement-breakpoint
CREATE TABLE "qa_reviews" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "qa_reviews_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" integer NOT NULL REFERENCES "organizations"("id"),
	-- The reviewed reply (an outbound message written by a person) and its case.
	"message_id" bigint NOT NULL REFERENCES "messages"("id"),
	"case_id" bigint NOT NULL REFERENCES "cases"("id"),
	"community_id" integer NOT NULL REFERENCES "communities"("id") ON DELETE cascade,
	"author_id" integer NOT NULL REFERENCES "people"("id"),
	"reviewer_id" integer NOT NULL REFERENCES "people"("id"),
	"sample_id" bigint REFERENCES "qa_samples"("id") ON DELETE set null,
	-- The scorecard: [{id, label, rating: pass|partial|fail|na, comment?}], in scorecard order.
	"scores" jsonb NOT NULL,
	-- Computed from the ratings: 100 × mean points of the rated criteria (pass 1, partial 0.5, fail 0).
	"overall_score" integer NOT NULL,
	"feedback" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_by_author_at" timestamp with time zone,
	CONSTRAINT "qa_reviews_overall" CHECK ("overall_score" BETWEEN 0 AND 100)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "qa_reviews_message_reviewer" ON "qa_reviews" ("message_id", "reviewer_id");
--> statement-breakpoint
CREATE INDEX "qa_reviews_community" ON "qa_reviews" ("org_id", "community_id", "created_at");
--> statement-breakpoint
CREATE INDEX "qa_reviews_author" ON "qa_reviews" ("org_id", "author_id", "created_at");
