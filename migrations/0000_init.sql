CREATE TABLE `auth_sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`librarian_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`librarian_id`) REFERENCES `librarians`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `auth_sessions_librarian` ON `auth_sessions` (`librarian_id`);--> statement-breakpoint
CREATE TABLE `chat_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`library_id` text NOT NULL,
	`form_id` text,
	`queue_id` text NOT NULL,
	`status` text NOT NULL,
	`question` text NOT NULL,
	`patron_name` text,
	`patron_email` text,
	`patron_details` text DEFAULT '{}' NOT NULL,
	`transcript_opt_out` integer DEFAULT false NOT NULL,
	`patron_ip` text,
	`user_agent` text,
	`referrer` text,
	`librarian_id` text,
	`librarian_name` text,
	`answering_library_id` text,
	`resolution_code` text,
	`descriptive_codes` text DEFAULT '[]' NOT NULL,
	`end_note` text,
	`transcript` text,
	`rating` integer,
	`rating_comment` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`accepted_at` integer,
	`ended_at` integer,
	`scrubbed_at` integer,
	FOREIGN KEY (`library_id`) REFERENCES `libraries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `chat_sessions_library_created` ON `chat_sessions` (`library_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `descriptive_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`library_id` text NOT NULL,
	`code` text NOT NULL,
	`label` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`library_id`) REFERENCES `libraries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `descriptive_codes_library_code` ON `descriptive_codes` (`library_id`,`code`);--> statement-breakpoint
CREATE TABLE `forms` (
	`id` text PRIMARY KEY NOT NULL,
	`library_id` text,
	`group_id` text,
	`queue_id` text NOT NULL,
	`title` text NOT NULL,
	`intro` text,
	`fields` text DEFAULT '[]' NOT NULL,
	`chat_method` text DEFAULT 'chat' NOT NULL,
	`brand_color` text,
	`logo_url` text,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`library_id`) REFERENCES `libraries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `forms_library` ON `forms` (`library_id`);--> statement-breakpoint
CREATE TABLE `group_members` (
	`group_id` text NOT NULL,
	`library_id` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`group_id`, `library_id`),
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`library_id`) REFERENCES `libraries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `groups` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `librarians` (
	`id` text PRIMARY KEY NOT NULL,
	`library_id` text NOT NULL,
	`email` text NOT NULL,
	`display_name` text NOT NULL,
	`password_hash` text,
	`role` text DEFAULT 'librarian' NOT NULL,
	`disabled_at` integer,
	`failed_logins` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`library_id`) REFERENCES `libraries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `librarians_email` ON `librarians` (`email`);--> statement-breakpoint
CREATE INDEX `librarians_library` ON `librarians` (`library_id`);--> statement-breakpoint
CREATE TABLE `libraries` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`time_zone` text DEFAULT 'UTC' NOT NULL,
	`contact_email` text,
	`phone` text,
	`hours_text` text,
	`website_url` text,
	`unavailable_message` text,
	`fallback_links` text DEFAULT '[]' NOT NULL,
	`brand_color` text DEFAULT '#1d4ed8' NOT NULL,
	`rollover_seconds` integer DEFAULT 45 NOT NULL,
	`wait_limit_seconds` integer DEFAULT 300 NOT NULL,
	`retention_days` integer DEFAULT 30 NOT NULL,
	`ip_mode` text DEFAULT 'truncated' NOT NULL,
	`mail_sender_name` text,
	`transcript_template` text,
	`allowed_origins` text DEFAULT '[]' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `mail_outbox` (
	`event_key` text PRIMARY KEY NOT NULL,
	`library_id` text NOT NULL,
	`question_id` text,
	`to_address` text NOT NULL,
	`from_name` text,
	`reply_to` text,
	`subject` text NOT NULL,
	`text_body` text NOT NULL,
	`html_body` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`raw_message` text,
	`message_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE INDEX `mail_outbox_question` ON `mail_outbox` (`question_id`);--> statement-breakpoint
CREATE TABLE `question_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`question_id` text NOT NULL,
	`actor_id` text,
	`action` text NOT NULL,
	`detail` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `question_events_question` ON `question_events` (`question_id`);--> statement-breakpoint
CREATE TABLE `questions` (
	`id` text PRIMARY KEY NOT NULL,
	`library_id` text NOT NULL,
	`session_id` text,
	`source` text NOT NULL,
	`status` text NOT NULL,
	`assigned_to` text,
	`hidden` integer DEFAULT false NOT NULL,
	`exclude_from_stats` integer DEFAULT false NOT NULL,
	`question` text NOT NULL,
	`patron_name` text,
	`patron_email` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`library_id`) REFERENCES `libraries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `questions_session` ON `questions` (`session_id`);--> statement-breakpoint
CREATE INDEX `questions_library_status` ON `questions` (`library_id`,`status`,`created_at`);