-- Canned messages ("scripts"): short texts a library defines for its librarians
-- to drop into a chat. Library administrators keep the list; every librarian of
-- the library reads it in the chat monitor.
CREATE TABLE `canned_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`library_id` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`library_id`) REFERENCES `libraries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `canned_messages_library_position` ON `canned_messages` (`library_id`,`position`);
