CREATE TABLE `device_assets` (
	`device_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`purchase_date` text,
	`asset_tag` text,
	`notes` text,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `device_assets_tenant` ON `device_assets` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `device_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`device_id` text NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`subject` text NOT NULL,
	`source` text,
	`from_value` text,
	`to_value` text
);
--> statement-breakpoint
CREATE INDEX `device_changes_tenant_device` ON `device_changes` (`tenant_id`,`device_id`,`id`);--> statement-breakpoint
CREATE INDEX `device_changes_tenant` ON `device_changes` (`tenant_id`,`id`);--> statement-breakpoint
CREATE TABLE `device_inventory` (
	`device_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`hash` text NOT NULL,
	`collected_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`os` text NOT NULL,
	`hardware` text NOT NULL,
	`manufacturer` text,
	`model` text,
	`serial` text,
	`chassis` text,
	`cpu_model` text,
	`cpu_cores` integer,
	`ram_bytes` integer,
	`disk_bytes` integer,
	`os_name` text,
	`os_version` text,
	`os_version_key` text,
	`firmware_date` text,
	`software_count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `device_inventory_tenant` ON `device_inventory` (`tenant_id`);--> statement-breakpoint
CREATE INDEX `device_inventory_tenant_serial` ON `device_inventory` (`tenant_id`,`serial`);--> statement-breakpoint
CREATE TABLE `device_software` (
	`tenant_id` text NOT NULL,
	`device_id` text NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`name_norm` text NOT NULL,
	`version` text NOT NULL,
	`version_key` text NOT NULL,
	`publisher` text,
	`installed_at` integer,
	`size_bytes` integer,
	`source` text NOT NULL,
	`arch` text,
	`first_seen_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `device_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `device_software_tenant_name` ON `device_software` (`tenant_id`,`name_norm`,`version_key`,`device_id`);--> statement-breakpoint
CREATE TABLE `device_warranties` (
	`tenant_id` text NOT NULL,
	`device_id` text NOT NULL,
	`source` text NOT NULL,
	`vendor` text NOT NULL,
	`start` text,
	`end` text NOT NULL,
	`description` text,
	`fetched_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	PRIMARY KEY(`device_id`, `source`)
);
--> statement-breakpoint
CREATE INDEX `device_warranties_tenant_end` ON `device_warranties` (`tenant_id`,`end`);--> statement-breakpoint
CREATE TABLE `licences` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`client_id` text,
	`product` text NOT NULL,
	`vendor` text,
	`seats` integer NOT NULL,
	`key_enc` text,
	`key_hint` text,
	`expires` text,
	`match` text NOT NULL,
	`notes` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `licences_tenant` ON `licences` (`tenant_id`,`product`);--> statement-breakpoint
CREATE TABLE `saved_searches` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`query` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `saved_searches_tenant` ON `saved_searches` (`tenant_id`,`name`);--> statement-breakpoint
CREATE TABLE `warranty_providers` (
	`tenant_id` text NOT NULL,
	`vendor` text NOT NULL,
	`credentials_enc` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`last_run_at` integer,
	`last_error` text,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `vendor`)
);
--> statement-breakpoint
ALTER TABLE `tenants` ADD `replace_after_years` integer DEFAULT 5 NOT NULL;