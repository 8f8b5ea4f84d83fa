-- Sign-in throttling per network, per account address and per trusted browser
-- (src/auth/sign-in-throttle.ts), replacing the per-account lock-out. Keys are
-- digests; a row is kept only until forget_at.
CREATE TABLE `sign_in_throttle` (
	`key` text PRIMARY KEY NOT NULL,
	`attempts` integer NOT NULL,
	`blocked_until` integer NOT NULL,
	`forget_at` integer NOT NULL,
	`last_attempt` text
);
--> statement-breakpoint
CREATE INDEX `sign_in_throttle_forget` ON `sign_in_throttle` (`forget_at`);
--> statement-breakpoint
-- Every sign-in and failed sign-in (src/admin/audit.ts): the account (none when
-- the address typed has no account) and the network only as a /24 or /48.
CREATE TABLE `sign_in_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`library_id` text,
	`librarian_id` text,
	`outcome` text NOT NULL,
	`network` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sign_in_log_library` ON `sign_in_log` (`library_id`, `created_at`);
--> statement-breakpoint
CREATE INDEX `sign_in_log_created` ON `sign_in_log` (`created_at`);
