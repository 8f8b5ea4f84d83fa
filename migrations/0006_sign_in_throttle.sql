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
