ALTER TABLE "timer_runs" ADD COLUMN "planned_start" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "timer_runs" ADD COLUMN "over_under_ms" bigint;