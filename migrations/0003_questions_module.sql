-- The Ask a Librarian module (issue 5): refused look-ups are kept for audit,
-- and the lists the module shows (Mine, by librarian) get their indexes.

-- Every refused attempt to see or change a question of another library.
CREATE TABLE `access_denials` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`librarian_id` text NOT NULL,
	`library_id` text NOT NULL,
	`resource` text NOT NULL,
	`resource_id` text NOT NULL,
	`action` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `access_denials_librarian` ON `access_denials` (`librarian_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `questions_assigned` ON `questions` (`assigned_to`,`status`);--> statement-breakpoint
CREATE INDEX `questions_library_created` ON `questions` (`library_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `chat_sessions_librarian` ON `chat_sessions` (`librarian_id`);
