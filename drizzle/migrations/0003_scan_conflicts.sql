CREATE TABLE "scan_conflicts" (
	"rack_id" text NOT NULL,
	"conflict_id" text NOT NULL,
	"item_code" text NOT NULL,
	"rack_session_id" text NOT NULL,
	"user_id" text NOT NULL,
	"reason" text NOT NULL,
	"mine" jsonb NOT NULL,
	"theirs" jsonb NOT NULL,
	"status" text NOT NULL,
	"choice" text,
	"resolved_by" text,
	"resolved_at" timestamp with time zone,
	"resolved" jsonb,
	"detected_at" timestamp with time zone NOT NULL,
	CONSTRAINT "scan_conflicts_pkey" PRIMARY KEY("rack_id","conflict_id")
);
--> statement-breakpoint
CREATE INDEX "scan_conflicts_open_idx" ON "scan_conflicts" USING btree ("rack_id") WHERE "scan_conflicts"."status" = 'open';