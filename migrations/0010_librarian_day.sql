-- The librarian's day: scripts at three levels, descriptive-code settings,
-- weekly hours for scripts, ratings and surveys, coverage-aware roll-over and
-- a patron's anonymous browser id for earlier chats. docs/privacy.md says
-- what the privacy scrub does with each new column; statistics may read
-- canned_messages.use_count, chat_sessions.rating and survey_answers.

-- Scripts ("canned messages") now belong to a library, a cooperative (group)
-- or one librarian (personal), with a category and a usage count. The table is
-- rebuilt because a group's scripts have no library (library_id was NOT NULL);
-- every existing row is a library script and keeps its id.
CREATE TABLE `__new_canned_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`scope` text DEFAULT 'library' NOT NULL,
	`library_id` text,
	`group_id` text,
	`owner_id` text,
	`category` text DEFAULT '' NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`use_count` integer DEFAULT 0 NOT NULL,
	`last_used_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`library_id`) REFERENCES `libraries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_id`) REFERENCES `librarians`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_canned_messages` (`id`, `scope`, `library_id`, `title`, `body`, `position`, `created_at`, `updated_at`)
	SELECT `id`, 'library', `library_id`, `title`, `body`, `position`, `created_at`, `updated_at` FROM `canned_messages`;
--> statement-breakpoint
DROP TABLE `canned_messages`;
--> statement-breakpoint
ALTER TABLE `__new_canned_messages` RENAME TO `canned_messages`;
--> statement-breakpoint
CREATE INDEX `canned_messages_library_position` ON `canned_messages` (`library_id`,`position`);
--> statement-breakpoint
CREATE INDEX `canned_messages_group_position` ON `canned_messages` (`group_id`,`position`);
--> statement-breakpoint
CREATE INDEX `canned_messages_owner_position` ON `canned_messages` (`owner_id`,`position`);
--> statement-breakpoint

-- Descriptive codes at the end of a chat: 'off', 'optional' or 'required'.
ALTER TABLE `libraries` ADD `descriptive_codes_mode` text DEFAULT 'optional' NOT NULL;
--> statement-breakpoint
-- Opening hours per weekday (JSON: seven lines, Monday first, or []): {{hoursToday}} in scripts.
ALTER TABLE `libraries` ADD `hours_by_weekday` text DEFAULT '[]' NOT NULL;
--> statement-breakpoint

-- A cooperative may send a rolling-over request to the library scheduled now before the whole group.
ALTER TABLE `groups` ADD `rollover_prefers_scheduled` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint

-- What the patron is asked after a chat (JSON, src/shared/survey.ts); null: a rating and a comment.
ALTER TABLE `forms` ADD `survey` text;
--> statement-breakpoint

-- A random id the patron's browser keeps (until they clear it) and sends with a new chat,
-- so librarians see that patron's earlier chats without an e-mail address. Scrubbed with retention.
ALTER TABLE `chat_sessions` ADD `patron_browser_id` text;
--> statement-breakpoint
ALTER TABLE `chat_sessions` ADD `rated_at` integer;
--> statement-breakpoint
CREATE INDEX `chat_sessions_browser` ON `chat_sessions` (`library_id`,`patron_browser_id`) WHERE patron_browser_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `chat_sessions_rated` ON `chat_sessions` (`library_id`,`rated_at`) WHERE rated_at IS NOT NULL;
--> statement-breakpoint

-- The answers to a form's survey questions, one row per question answered.
-- A number for scale and choice questions is kept past retention; free text
-- (answer_text of a text question) is removed by the privacy scrub.
CREATE TABLE `survey_answers` (
	`session_id` text NOT NULL,
	`question_id` text NOT NULL,
	`library_id` text NOT NULL,
	`form_id` text,
	`question` text NOT NULL,
	`kind` text NOT NULL,
	`answer_number` integer,
	`answer_text` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`session_id`, `question_id`)
);
--> statement-breakpoint
CREATE INDEX `survey_answers_library_created` ON `survey_answers` (`library_id`,`created_at`);
--> statement-breakpoint

-- One-use links in transcript mails that let the patron rate the chat later. Only the digest is stored.
CREATE TABLE `rating_links` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`library_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE INDEX `rating_links_session` ON `rating_links` (`session_id`);
