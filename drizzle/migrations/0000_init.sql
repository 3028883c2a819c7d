CREATE TABLE "daily_stats" (
	"date" date NOT NULL,
	"scope" text NOT NULL,
	"subject" text NOT NULL,
	"sessions" integer DEFAULT 0 NOT NULL,
	"active_ms" bigint DEFAULT 0 NOT NULL,
	"paused_ms" bigint DEFAULT 0 NOT NULL,
	"timer_runs" integer DEFAULT 0 NOT NULL,
	"overtime_ms" bigint DEFAULT 0 NOT NULL,
	"rack_sessions" integer DEFAULT 0 NOT NULL,
	"scans" integer DEFAULT 0 NOT NULL,
	"items" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "daily_stats_pkey" PRIMARY KEY("scope","subject","date")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"aggregate_type" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"type" text NOT NULL,
	"version" integer,
	"actor_id" text,
	"actor_role" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "floors" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rack_items" (
	"rack_id" text NOT NULL,
	"item_code" text NOT NULL,
	"expected_qty" integer NOT NULL,
	CONSTRAINT "rack_items_pkey" PRIMARY KEY("rack_id","item_code")
);
--> statement-breakpoint
CREATE TABLE "rack_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"rack_id" text NOT NULL,
	"floor_id" text NOT NULL,
	"user_id" text NOT NULL,
	"fencing_token" bigint NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_heartbeat_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	"paused_ms" bigint DEFAULT 0 NOT NULL,
	"total_items" integer DEFAULT 0 NOT NULL,
	"verified_items" integer DEFAULT 0 NOT NULL,
	"damage_items" integer DEFAULT 0 NOT NULL,
	"summary" jsonb,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "racks" (
	"id" text PRIMARY KEY NOT NULL,
	"floor_id" text NOT NULL,
	"name" text NOT NULL,
	"item_estimate" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'available' NOT NULL,
	"holder_id" text,
	"version" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "room_actions" (
	"id" text PRIMARY KEY NOT NULL,
	"room_id" text NOT NULL,
	"version" integer,
	"command" text NOT NULL,
	"timer_id" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actor_id" text,
	"actor_role" text NOT NULL,
	"outcome" text DEFAULT 'applied' NOT NULL,
	"reject_code" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rooms" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"name" text NOT NULL,
	"warn_ms" bigint NOT NULL,
	"danger_ms" bigint NOT NULL,
	"active_timer_id" text,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "scan_records" (
	"rack_session_id" text NOT NULL,
	"client_record_id" text NOT NULL,
	"rack_id" text NOT NULL,
	"user_id" text NOT NULL,
	"item_code" text NOT NULL,
	"verified_qty" integer DEFAULT 0 NOT NULL,
	"damage_qty" integer DEFAULT 0 NOT NULL,
	"serial_numbers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"client_created_at" timestamp with time zone NOT NULL,
	"client_updated_at" timestamp with time zone NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scan_records_pkey" PRIMARY KEY("rack_session_id","client_record_id")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"label" text,
	"status" text NOT NULL,
	"start_time" timestamp with time zone NOT NULL,
	"end_time" timestamp with time zone,
	"duration_ms" bigint,
	"elapsed_ms" bigint DEFAULT 0 NOT NULL,
	"paused_ms" bigint DEFAULT 0 NOT NULL,
	"pause_segments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "timer_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"room_id" text NOT NULL,
	"timer_id" text NOT NULL,
	"label" text NOT NULL,
	"mode" text NOT NULL,
	"planned_ms" bigint NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"status" text NOT NULL,
	"end_reason" text,
	"elapsed_ms" bigint DEFAULT 0 NOT NULL,
	"paused_ms" bigint DEFAULT 0 NOT NULL,
	"overtime_ms" bigint DEFAULT 0 NOT NULL,
	"started_by" text,
	"started_by_role" text NOT NULL,
	"ended_by" text,
	"ended_by_role" text,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "timers" (
	"room_id" text NOT NULL,
	"id" text NOT NULL,
	"label" text NOT NULL,
	"mode" text NOT NULL,
	"duration_ms" bigint NOT NULL,
	"target_time" timestamp with time zone,
	"trigger" text NOT NULL,
	"start_at" timestamp with time zone,
	"warn_ms" bigint,
	"danger_ms" bigint,
	"position" integer NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "timers_pkey" PRIMARY KEY("room_id","id")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "events_aggregate_occurred_idx" ON "events" USING btree ("aggregate_type","aggregate_id","occurred_at");--> statement-breakpoint
CREATE INDEX "events_type_occurred_idx" ON "events" USING btree ("type","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "rack_sessions_rack_token_key" ON "rack_sessions" USING btree ("rack_id","fencing_token");--> statement-breakpoint
CREATE INDEX "rack_sessions_user_started_idx" ON "rack_sessions" USING btree ("user_id","started_at");--> statement-breakpoint
CREATE INDEX "rack_sessions_open_idx" ON "rack_sessions" USING btree ("floor_id","started_at") WHERE "rack_sessions"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "racks_floor_status_idx" ON "racks" USING btree ("floor_id","status");--> statement-breakpoint
CREATE INDEX "room_actions_room_at_idx" ON "room_actions" USING btree ("room_id","at");--> statement-breakpoint
CREATE INDEX "rooms_owner_created_idx" ON "rooms" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "scan_records_session_item_idx" ON "scan_records" USING btree ("rack_session_id","item_code");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_user_start_key" ON "sessions" USING btree ("user_id","start_time");--> statement-breakpoint
CREATE UNIQUE INDEX "timer_runs_room_timer_started_key" ON "timer_runs" USING btree ("room_id","timer_id","started_at");--> statement-breakpoint
CREATE INDEX "timer_runs_room_started_idx" ON "timer_runs" USING btree ("room_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email");