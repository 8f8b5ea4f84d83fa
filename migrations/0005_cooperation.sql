-- Cooperative reference (issue 6): routing settings per library, group
-- invitations, the coverage schedule, policy pages (with a full-text index)
-- and quality feedback between libraries.

-- How a library's requests overflow to its groups (src/queues/routing-policy.ts):
-- 'unstaffed_or_timeout' (default), 'unstaffed_only' or 'off'.
ALTER TABLE `libraries` ADD `overflow_mode` text DEFAULT 'unstaffed_or_timeout' NOT NULL;
--> statement-breakpoint
-- A group administrator invites a library; that library's administrator accepts.
CREATE TABLE `group_invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`library_id` text NOT NULL,
	`invited_by` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`accepted_at` integer,
	`accepted_by` text,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`library_id`) REFERENCES `libraries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `group_invitations_library` ON `group_invitations` (`library_id`, `accepted_at`);
--> statement-breakpoint
-- Weekly shifts of the cooperative queue, stored as zoned rules: local wall-clock
-- times in an IANA zone (see src/coverage/schedule.ts for why not UTC minutes).
CREATE TABLE `coverage_shifts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`group_id` text NOT NULL,
	`library_id` text NOT NULL,
	`time_zone` text NOT NULL,
	`weekday` integer NOT NULL,
	`start_minute` integer NOT NULL,
	`end_minute` integer NOT NULL,
	`ends_next_day` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`library_id`) REFERENCES `libraries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `coverage_shifts_group` ON `coverage_shifts` (`group_id`);
--> statement-breakpoint
-- One policy page per library, written for cooperative librarians.
CREATE TABLE `policy_pages` (
	`library_id` text PRIMARY KEY NOT NULL,
	`sections` text DEFAULT '{}' NOT NULL,
	`links` text DEFAULT '[]' NOT NULL,
	`quick_answers` text DEFAULT '[]' NOT NULL,
	`report_email` text,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	FOREIGN KEY (`library_id`) REFERENCES `libraries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- The group's own page (cooperative-wide rules), edited by its administrators.
CREATE TABLE `group_pages` (
	`group_id` text PRIMARY KEY NOT NULL,
	`body` text DEFAULT '' NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Full-text index of policy pages: one row per library section (plain text).
CREATE VIRTUAL TABLE `policy_search` USING fts5(library_id UNINDEXED, section UNINDEXED, title, body, tokenize = 'porter unicode61');
--> statement-breakpoint
-- Quality feedback from a patron's home library about a session a partner answered.
CREATE TABLE `coop_feedback` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`library_id` text NOT NULL,
	`answering_library_id` text NOT NULL,
	`answering_librarian_id` text NOT NULL,
	`author_id` text NOT NULL,
	`rating` text NOT NULL,
	`comment` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`library_id`) REFERENCES `libraries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `coop_feedback_session` ON `coop_feedback` (`session_id`);
--> statement-breakpoint
CREATE INDEX `coop_feedback_librarian` ON `coop_feedback` (`answering_librarian_id`, `created_at`);
