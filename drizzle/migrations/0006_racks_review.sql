-- Racks at warehouse grade (issue 15): blind counts, review thresholds, imported stock details,
-- and audits with their review history (decisions and recounts), each landed exactly once.
ALTER TABLE "floors" ADD COLUMN IF NOT EXISTS "blind" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "floors" ADD COLUMN IF NOT EXISTS "review" jsonb;
--> statement-breakpoint
ALTER TABLE "racks" ADD COLUMN IF NOT EXISTS "blind" boolean;
--> statement-breakpoint
ALTER TABLE "rack_items" ADD COLUMN IF NOT EXISTS "description" text;
--> statement-breakpoint
ALTER TABLE "rack_items" ADD COLUMN IF NOT EXISTS "serials" jsonb;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "rack_audits" (
	"audit_id" text PRIMARY KEY NOT NULL,
	"rack_id" text NOT NULL,
	"floor_id" text NOT NULL,
	"status" text NOT NULL,
	"blind" boolean DEFAULT false NOT NULL,
	"counter_id" text NOT NULL,
	"expected_changed" boolean DEFAULT false NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone NOT NULL,
	"posted_at" timestamp with time zone,
	"items" jsonb NOT NULL,
	"version" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "rack_audits_floor_completed_idx" ON "rack_audits" USING btree ("floor_id","completed_at");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "rack_audit_history" (
	"audit_id" text NOT NULL,
	"seq" integer NOT NULL,
	"rack_id" text NOT NULL,
	"type" text NOT NULL,
	"item_code" text,
	"decision" text,
	"qty" integer,
	"reason" text,
	"assignee" text,
	"session_id" text,
	"fencing_token" bigint,
	"by" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "rack_audit_history_pkey" PRIMARY KEY("audit_id","seq")
);
