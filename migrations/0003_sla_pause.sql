ALTER TABLE `tickets` ADD `sla_paused_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_paused_minutes` integer DEFAULT 0 NOT NULL;