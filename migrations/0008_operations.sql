-- Operations: archived libraries (data kept, chat stopped), chat filings that
-- are being retried (mirrored from the chat's object), mail the dead-letter
-- queue gave up on or an operator discarded, the service's recent errors as
-- structured events, and the record of scheduled archive exports.
ALTER TABLE `libraries` ADD `archived_at` integer;--> statement-breakpoint
ALTER TABLE `chat_sessions` ADD `filing_attempts` integer;--> statement-breakpoint
ALTER TABLE `chat_sessions` ADD `filing_failed_at` integer;--> statement-breakpoint
CREATE INDEX `chat_sessions_filing` ON `chat_sessions` (`filing_failed_at`) WHERE filing_attempts IS NOT NULL;--> statement-breakpoint
ALTER TABLE `mail_outbox` ADD `dead_lettered_at` integer;--> statement-breakpoint
ALTER TABLE `mail_outbox` ADD `discarded_at` integer;--> statement-breakpoint
CREATE INDEX `mail_outbox_status` ON `mail_outbox` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `ops_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event` text NOT NULL,
	`detail` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `archive_exports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`owner_id` text NOT NULL,
	`object_key` text,
	`bytes` integer,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `archive_exports_owner` ON `archive_exports` (`kind`,`owner_id`,`started_at`);
