-- Answering consults by email: every reply read from the reply mailbox (accepted or refused, with the reason), and
-- where the reader is in that mailbox.
CREATE TABLE "consult_email_replies" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "consult_email_replies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" integer,
	"message_key" text NOT NULL,
	"consult_id" bigint,
	"from_address" text DEFAULT '' NOT NULL,
	"person_id" integer,
	"outcome" text NOT NULL,
	"reason" text,
	"text" text DEFAULT '' NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consult_email_replies_outcome" CHECK ("outcome" IN ('accepted', 'rejected'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "consult_email_replies_message" ON "consult_email_replies" USING btree ("message_key");--> statement-breakpoint
CREATE INDEX "consult_email_replies_received" ON "consult_email_replies" USING btree ("received_at");--> statement-breakpoint
CREATE TABLE "mailbox_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"uid_validity" text NOT NULL,
	"last_uid" bigint NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
