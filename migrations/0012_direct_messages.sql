-- Direct messages between librarians of one library or cooperative (any two,
-- not only people monitoring the same queue). The privacy scrub deletes them
-- after TIMING.directMessagesKeepMs (docs/privacy.md).
CREATE TABLE `direct_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`from_librarian_id` text NOT NULL,
	`to_librarian_id` text NOT NULL,
	`body` text NOT NULL,
	`client_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer,
	FOREIGN KEY (`from_librarian_id`) REFERENCES `librarians`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_librarian_id`) REFERENCES `librarians`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `direct_messages_client` ON `direct_messages` (`from_librarian_id`,`client_id`);
--> statement-breakpoint
CREATE INDEX `direct_messages_to_unread` ON `direct_messages` (`to_librarian_id`,`read_at`);
--> statement-breakpoint
CREATE INDEX `direct_messages_pair` ON `direct_messages` (`from_librarian_id`,`to_librarian_id`,`id`);
--> statement-breakpoint
CREATE INDEX `direct_messages_created` ON `direct_messages` (`created_at`);
--> statement-breakpoint
CREATE INDEX `direct_messages_from_created` ON `direct_messages` (`from_librarian_id`,`created_at`);
