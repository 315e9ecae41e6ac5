CREATE TABLE `device_patches` (
	`tenant_id` text NOT NULL,
	`device_id` text NOT NULL,
	`key` text NOT NULL,
	`source` text NOT NULL,
	`name` text NOT NULL,
	`title` text NOT NULL,
	`installed_version` text,
	`available_version` text,
	`classification` text NOT NULL,
	`severity` text NOT NULL,
	`cves` text NOT NULL,
	`advisory` text,
	`reboot_required` integer NOT NULL,
	`size_bytes` integer,
	`released_at` integer,
	`first_seen_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `device_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `device_patches_key` ON `device_patches` (`tenant_id`,`key`);--> statement-breakpoint
CREATE TABLE `package_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`package_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`version` text NOT NULL,
	`status` text NOT NULL,
	`r2_key` text,
	`upload_id` text,
	`uploaded_bytes` integer DEFAULT 0 NOT NULL,
	`file_name` text,
	`declared_size` integer,
	`size` integer,
	`sha256` text,
	`repo_name` text,
	`silent_args` text NOT NULL,
	`uninstall_args` text NOT NULL,
	`detection` text NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`manifest` text,
	`manifest_sig` text,
	`error` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`ready_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `package_versions_version` ON `package_versions` (`package_id`,`version`);--> statement-breakpoint
CREATE INDEX `package_versions_tenant` ON `package_versions` (`tenant_id`,`package_id`);--> statement-breakpoint
CREATE TABLE `packages` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`vendor` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`installer` text NOT NULL,
	`platform` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `packages_tenant` ON `packages` (`tenant_id`,`name`);--> statement-breakpoint
CREATE TABLE `patch_approvals` (
	`tenant_id` text NOT NULL,
	`key` text NOT NULL,
	`decision` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`decided_by` text NOT NULL,
	`decided_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `patch_compliance_daily` (
	`tenant_id` text NOT NULL,
	`client_id` text NOT NULL,
	`day` text NOT NULL,
	`devices` integer NOT NULL,
	`scanned` integer NOT NULL,
	`fully_patched` integer NOT NULL,
	`missing_critical` integer NOT NULL,
	`missing_total` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `client_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `patch_policies` (
	`tenant_id` text NOT NULL,
	`client_id` text NOT NULL,
	`policy` text NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `client_id`)
);
--> statement-breakpoint
CREATE TABLE `patch_scans` (
	`device_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`scanned_at` integer NOT NULL,
	`sources` text NOT NULL,
	`errors` text NOT NULL,
	`reboot_pending` integer NOT NULL,
	`missing` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `patch_scans_tenant` ON `patch_scans` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `patch_schedules` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`target` text NOT NULL,
	`cron` text NOT NULL,
	`timezone` text NOT NULL,
	`window_only` integer NOT NULL,
	`ttl_hours` integer NOT NULL,
	`reboot` text NOT NULL,
	`notice_minutes` integer NOT NULL,
	`max_deferrals` integer NOT NULL,
	`enabled` integer NOT NULL,
	`next_run_at` integer,
	`last_run_at` integer,
	`last_job_id` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `patch_schedules_tenant` ON `patch_schedules` (`tenant_id`);--> statement-breakpoint
CREATE INDEX `patch_schedules_due` ON `patch_schedules` (`enabled`,`next_run_at`);--> statement-breakpoint
ALTER TABLE `job_targets` ADD `ring` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `job_targets` ADD `step` text;--> statement-breakpoint
ALTER TABLE `job_targets` ADD `progress` integer;--> statement-breakpoint
ALTER TABLE `jobs` ADD `kind` text DEFAULT 'command' NOT NULL;--> statement-breakpoint
ALTER TABLE `jobs` ADD `start_at` integer;--> statement-breakpoint
ALTER TABLE `jobs` ADD `window_only` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `jobs` ADD `rings` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `ring` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `jobs` ADD `gate` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `gate_at` integer;--> statement-breakpoint
ALTER TABLE `jobs` ADD `canary_rate` integer;--> statement-breakpoint
ALTER TABLE `jobs` ADD `package_version_id` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `patch_schedule_id` text;--> statement-breakpoint
CREATE INDEX `jobs_tenant_kind` ON `jobs` (`tenant_id`,`kind`,`id`);