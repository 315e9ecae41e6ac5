CREATE TABLE `job_targets` (
	`job_id` text NOT NULL,
	`device_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`status` text NOT NULL,
	`command_id` text,
	`attempt` integer NOT NULL,
	`exit_code` integer,
	`duration_ms` integer,
	`error` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`job_id`, `device_id`)
);
--> statement-breakpoint
CREATE INDEX `job_targets_status` ON `job_targets` (`job_id`,`status`);--> statement-breakpoint
CREATE INDEX `job_targets_command` ON `job_targets` (`command_id`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`action` text NOT NULL,
	`action_label` text NOT NULL,
	`secrets_enc` text,
	`target` text NOT NULL,
	`concurrency` integer NOT NULL,
	`status` text NOT NULL,
	`total` integer NOT NULL,
	`requested_by` text NOT NULL,
	`approved_by` text,
	`approved_at` integer,
	`rejected_reason` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `jobs_tenant` ON `jobs` (`tenant_id`,`id`);--> statement-breakpoint
CREATE TABLE `script_versions` (
	`script_id` text NOT NULL,
	`version` integer NOT NULL,
	`tenant_id` text NOT NULL,
	`interpreter` text NOT NULL,
	`body` text NOT NULL,
	`params` text NOT NULL,
	`default_timeout_seconds` integer NOT NULL,
	`note` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`script_id`, `version`)
);
--> statement-breakpoint
CREATE INDEX `script_versions_tenant` ON `script_versions` (`tenant_id`,`script_id`);--> statement-breakpoint
CREATE TABLE `scripts` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`category` text NOT NULL,
	`platforms` text NOT NULL,
	`tags` text NOT NULL,
	`client_ids` text,
	`version` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `scripts_tenant` ON `scripts` (`tenant_id`,`name`);--> statement-breakpoint
ALTER TABLE `commands` ADD `job_id` text;--> statement-breakpoint
ALTER TABLE `commands` ADD `script_id` text;--> statement-breakpoint
ALTER TABLE `commands` ADD `script_version` integer;--> statement-breakpoint
ALTER TABLE `commands` ADD `label` text;--> statement-breakpoint
CREATE INDEX `commands_tenant_id` ON `commands` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `commands_job` ON `commands` (`job_id`);--> statement-breakpoint
ALTER TABLE `tenants` ADD `approval_threshold` integer DEFAULT 25 NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `history_retention_days` integer DEFAULT 90 NOT NULL;