-- Posts in the approval queue: the outcome of the latest approval request, its timeline (requested, decided,
-- reminded, escalated), the post's scheduled time passing while it waited (late), and the text before an
-- approver edited it.
ALTER TABLE "posts" ADD COLUMN "submitted_at" timestamp with time zone;--> statement-breakpoint
-- pending | approved | rejected | cancelled; null: never sent for approval.
ALTER TABLE "posts" ADD COLUMN "approval_status" text;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "approval_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "approval_decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "approval_reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "approval_escalated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "late_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "original_text" text;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_approval_status" CHECK ("approval_status" in ('pending', 'approved', 'rejected', 'cancelled'));--> statement-breakpoint
CREATE INDEX "posts_waiting_approval" ON "posts" USING btree ("approval_due_at") WHERE status = 'pending_approval';
