CREATE TABLE `business_calendars` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`timezone` text NOT NULL,
	`hours` text NOT NULL,
	`holidays` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sla_policies` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`client_id` text,
	`calendar_id` text,
	`targets` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sla_policies_tenant` ON `sla_policies` (`tenant_id`,`client_id`);--> statement-breakpoint
CREATE TABLE `ticket_alerts` (
	`tenant_id` text NOT NULL,
	`ticket_id` text NOT NULL,
	`alert_id` text NOT NULL,
	`linked_at` integer NOT NULL,
	PRIMARY KEY(`ticket_id`, `alert_id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_alerts_alert` ON `ticket_alerts` (`alert_id`);--> statement-breakpoint
CREATE TABLE `ticket_attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`ticket_id` text NOT NULL,
	`comment_id` text,
	`filename` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`r2_key` text NOT NULL,
	`uploaded_by` text,
	`internal` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ticket_attachments_ticket` ON `ticket_attachments` (`ticket_id`,`id`);--> statement-breakpoint
CREATE TABLE `ticket_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`ticket_id` text NOT NULL,
	`author_id` text,
	`author_kind` text NOT NULL,
	`body` text NOT NULL,
	`internal` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ticket_comments_ticket` ON `ticket_comments` (`ticket_id`,`id`);--> statement-breakpoint
CREATE TABLE `ticket_counters` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`next` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ticket_events` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`ticket_id` text NOT NULL,
	`at` integer NOT NULL,
	`actor_id` text,
	`kind` text NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `ticket_events_ticket` ON `ticket_events` (`ticket_id`,`at`);--> statement-breakpoint
CREATE TABLE `ticket_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`enabled` integer NOT NULL,
	`position` integer NOT NULL,
	`match` text NOT NULL,
	`title_template` text NOT NULL,
	`body_template` text NOT NULL,
	`priority_map` text NOT NULL,
	`assignment` text NOT NULL,
	`rr_cursor` integer DEFAULT 0 NOT NULL,
	`dedup_minutes` integer NOT NULL,
	`close_on_resolve` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ticket_rules_tenant` ON `ticket_rules` (`tenant_id`,`position`);--> statement-breakpoint
CREATE TABLE `ticket_time_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`ticket_id` text NOT NULL,
	`user_id` text NOT NULL,
	`minutes` integer NOT NULL,
	`billable` integer NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`worked_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ticket_time_ticket` ON `ticket_time_entries` (`ticket_id`,`worked_at`);--> statement-breakpoint
CREATE INDEX `ticket_time_tenant_user` ON `ticket_time_entries` (`tenant_id`,`user_id`,`worked_at`);--> statement-breakpoint
CREATE TABLE `tickets` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`number` integer NOT NULL,
	`client_id` text NOT NULL,
	`site_id` text,
	`device_id` text,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`priority` text NOT NULL,
	`status` text NOT NULL,
	`assignee_id` text,
	`source` text NOT NULL,
	`requester_id` text,
	`rule_id` text,
	`dedup_key` text,
	`last_alert_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`first_response_at` integer,
	`resolved_at` integer,
	`closed_at` integer,
	`sla_policy_id` text,
	`first_response_due_at` integer,
	`resolution_due_at` integer,
	`first_response_breached_at` integer,
	`resolution_breached_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_tenant_number` ON `tickets` (`tenant_id`,`number`);--> statement-breakpoint
CREATE INDEX `tickets_tenant_status` ON `tickets` (`tenant_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_tenant_client` ON `tickets` (`tenant_id`,`client_id`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_tenant_assignee` ON `tickets` (`tenant_id`,`assignee_id`,`status`);--> statement-breakpoint
CREATE INDEX `tickets_tenant_dedup` ON `tickets` (`tenant_id`,`dedup_key`,`status`);--> statement-breakpoint
CREATE TABLE `chat_user_links` (
	`tenant_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`external_user_id` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`integration_id`, `external_user_id`)
);
--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`event` text NOT NULL,
	`event_id` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` integer,
	`last_status_code` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE INDEX `deliveries_integration` ON `deliveries` (`tenant_id`,`integration_id`,`id`);--> statement-breakpoint
CREATE INDEX `deliveries_due` ON `deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `integrations` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`enabled` integer NOT NULL,
	`config_enc` text NOT NULL,
	`config_hint` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `integrations_tenant` ON `integrations` (`tenant_id`,`kind`);--> statement-breakpoint
CREATE TABLE `notification_policies` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`enabled` integer NOT NULL,
	`events` text NOT NULL,
	`severities` text NOT NULL,
	`client_ids` text,
	`time_of_day` text,
	`integration_ids` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `notification_policies_tenant` ON `notification_policies` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `replay_guard` (
	`key` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
