CREATE TABLE `alert_events` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`alert_id` text NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`actor_id` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `alert_events_alert` ON `alert_events` (`alert_id`,`at`);--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`device_id` text NOT NULL,
	`client_id` text NOT NULL,
	`check_key` text NOT NULL,
	`check_name` text NOT NULL,
	`check_type` text NOT NULL,
	`severity` text NOT NULL,
	`status` text NOT NULL,
	`message` text NOT NULL,
	`value` real,
	`opened_at` integer NOT NULL,
	`acknowledged_at` integer,
	`acknowledged_by` text,
	`resolved_at` integer,
	`resolved_by` text,
	`flapping` integer DEFAULT false NOT NULL,
	`suppressed` integer DEFAULT false NOT NULL,
	`escalation_policy_id` text,
	`escalation_tier` integer DEFAULT 0 NOT NULL,
	`transitions` integer DEFAULT 1 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alerts_tenant_status` ON `alerts` (`tenant_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `alerts_tenant_device` ON `alerts` (`tenant_id`,`device_id`,`id`);--> statement-breakpoint
CREATE TABLE `check_set_assignments` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`check_set_id` text NOT NULL,
	`scope_type` text NOT NULL,
	`scope_id` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`check_set_id`) REFERENCES `check_sets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `csa_unique` ON `check_set_assignments` (`check_set_id`,`scope_type`,`scope_id`);--> statement-breakpoint
CREATE INDEX `csa_tenant_scope` ON `check_set_assignments` (`tenant_id`,`scope_type`,`scope_id`);--> statement-breakpoint
CREATE TABLE `check_sets` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`checks` text NOT NULL,
	`escalation_policy_id` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `check_sets_tenant` ON `check_sets` (`tenant_id`,`name`);--> statement-breakpoint
CREATE TABLE `device_checks` (
	`device_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`version` text NOT NULL,
	`checks` text NOT NULL,
	`compiled_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `escalation_policies` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`tiers` text NOT NULL,
	`repeat_every_minutes` integer,
	`is_default` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `escalation_policies_tenant` ON `escalation_policies` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `maintenance_windows` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`scope_type` text NOT NULL,
	`scope_id` text NOT NULL,
	`starts_at` integer,
	`ends_at` integer,
	`cron` text,
	`duration_minutes` integer,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `maintenance_windows_tenant` ON `maintenance_windows` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`alert_id` text,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer
);
--> statement-breakpoint
CREATE INDEX `notifications_user` ON `notifications` (`tenant_id`,`user_id`,`id`);