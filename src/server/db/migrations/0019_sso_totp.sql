-- How people of an organization sign in: an OpenID Connect provider (optional) and whether leaders and approvers
-- must use a second factor. One row per organization; the client secret is encrypted with the keyring.
CREATE TABLE "sign_in_settings" (
	"org_id" integer PRIMARY KEY NOT NULL,
	"totp_required" boolean DEFAULT false NOT NULL,
	"oidc_enabled" boolean DEFAULT false NOT NULL,
	"oidc_name" text DEFAULT '' NOT NULL,
	"oidc_issuer" text,
	"oidc_client_id" text,
	"oidc_client_secret" bytea,
	"oidc_scopes" text DEFAULT 'openid email profile' NOT NULL,
	"oidc_role_rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"oidc_community_rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"oidc_default_role" text,
	"oidc_auto_provision" boolean DEFAULT false NOT NULL,
	"oidc_allowed_domains" text[] DEFAULT '{}' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" integer
);
--> statement-breakpoint
ALTER TABLE "sign_in_settings" ADD CONSTRAINT "sign_in_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_in_settings" ADD CONSTRAINT "sign_in_settings_updated_by_people_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- A person known to the identity provider (issuer + subject), and their authenticator app (secret encrypted,
-- recovery codes hashed, the last accepted time step so a code is never accepted twice).
ALTER TABLE "people" ADD COLUMN "oidc_issuer" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "oidc_subject" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "totp_secret" bytea;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "totp_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "totp_last_step" bigint;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "totp_recovery_codes" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "people_oidc_identity" ON "people" USING btree ("oidc_issuer","oidc_subject") WHERE oidc_subject is not null;--> statement-breakpoint
-- How a session was opened (password, password+totp, oidc) and whether it may only enrol a second factor.
ALTER TABLE "sessions" ADD COLUMN "method" text DEFAULT 'password' NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "stage" text DEFAULT 'full' NOT NULL;--> statement-breakpoint
-- Sign-ins under way: an OpenID Connect round trip (state, nonce, PKCE verifier) or a password accepted that
-- waits for its second factor. Keyed by the SHA-256 of a cookie; short-lived, used once.
CREATE TABLE "sign_in_flows" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"org_id" integer NOT NULL,
	"person_id" integer,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sign_in_flows" ADD CONSTRAINT "sign_in_flows_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sign_in_flows_expires" ON "sign_in_flows" USING btree ("expires_at");
