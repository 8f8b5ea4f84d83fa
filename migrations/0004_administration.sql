-- Administration (issue 7): one-time account links (invitations and password
-- resets), the audit log of administrative changes, form logos, and the record
-- of each privacy scrub (counts only).
CREATE TABLE `account_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`librarian_id` text NOT NULL,
	`purpose` text NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`librarian_id`) REFERENCES `librarians`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `account_tokens_librarian` ON `account_tokens` (`librarian_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`library_id` text,
	`group_id` text,
	`actor_id` text,
	`actor_name` text,
	`action` text NOT NULL,
	`target_type` text NOT NULL,
	`target_id` text,
	`before` text,
	`after` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_library` ON `audit_log` (`library_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_log_group` ON `audit_log` (`group_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `form_logos` (
	`form_id` text PRIMARY KEY NOT NULL,
	`content_type` text NOT NULL,
	`data_base64` text NOT NULL,
	`byte_size` integer NOT NULL,
	`digest` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`form_id`) REFERENCES `forms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `scrub_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`scheduled_at` integer NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`libraries_checked` integer DEFAULT 0 NOT NULL,
	`sessions_scrubbed` integer DEFAULT 0 NOT NULL,
	`questions_scrubbed` integer DEFAULT 0 NOT NULL,
	`mails_scrubbed` integer DEFAULT 0 NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE TABLE `scrub_changes` (
	`run_id` integer NOT NULL,
	`library_id` text NOT NULL,
	`retention_days` integer NOT NULL,
	`cutoff` integer NOT NULL,
	`sessions_scrubbed` integer DEFAULT 0 NOT NULL,
	`questions_scrubbed` integer DEFAULT 0 NOT NULL,
	`mails_scrubbed` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`run_id`, `library_id`),
	FOREIGN KEY (`run_id`) REFERENCES `scrub_runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `scrub_changes_library` ON `scrub_changes` (`library_id`,`run_id`);--> statement-breakpoint
CREATE INDEX `chat_sessions_scrub` ON `chat_sessions` (`library_id`,`scrubbed_at`,`created_at`);
