-- Complete retention: past a library's retention period the privacy scrub
-- removes every copy of a patron's personal data (docs/privacy.md has the
-- decision for each table and column), erases each chat's Durable Object and
-- retries an erase that failed or was refused, and shares each run fairly
-- between libraries.

-- Chat objects still to erase: the batch that scrubs a chat's D1 rows writes a
-- row when the chat's object could not be erased (unreachable, or refusing
-- because its chat has not ended and been filed yet); every later run tries it
-- again, and the row goes once the object has deleted its storage.
CREATE TABLE `scrub_pending_objects` (
	`session_id` text PRIMARY KEY NOT NULL,
	`library_id` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_attempt_at` integer
);
--> statement-breakpoint
CREATE INDEX `scrub_pending_objects_library` ON `scrub_pending_objects` (`library_id`,`last_attempt_at`);
--> statement-breakpoint
-- A question's history rows lose their free text (answers, notes, the address
-- an answer went to) with the chat, or on their own once older than the period
-- (a note added after the chat was scrubbed). Marked so each row is done once.
ALTER TABLE `question_events` ADD `scrubbed_at` integer;
--> statement-breakpoint
CREATE INDEX `question_events_unscrubbed` ON `question_events` (`created_at`) WHERE `scrubbed_at` IS NULL;
--> statement-breakpoint
-- What each run did, per library and in total (counts only).
ALTER TABLE `scrub_changes` ADD `events_scrubbed` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE `scrub_changes` ADD `feedback_scrubbed` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE `scrub_changes` ADD `objects_erased` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE `scrub_changes` ADD `objects_pending` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE `scrub_runs` ADD `events_scrubbed` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE `scrub_runs` ADD `feedback_scrubbed` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE `scrub_runs` ADD `objects_erased` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE `scrub_runs` ADD `objects_pending` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- Libraries the run had no budget left for (they go first on a later run).
ALTER TABLE `scrub_runs` ADD `libraries_deferred` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- Chats scrubbed under the earlier, narrower rules kept their conversation,
-- end note, rating comment, notes and answers, and their objects only forgot
-- the patron's name: they are scrubbed again under the rules above (the scrub
-- is idempotent and works from what each row holds).
UPDATE `chat_sessions` SET `scrubbed_at` = NULL WHERE `scrubbed_at` IS NOT NULL;
