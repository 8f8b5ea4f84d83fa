-- Statistics and planning (docs/statistics.md): what happened at the desk,
-- without anyone's personal data — times, codes, libraries, queues, librarians'
-- ids, the patron's site, ratings as numbers. None of these tables holds a name,
-- an address or a text, so the privacy scrub leaves them alone.

-- One row per filed chat, written in the filing batch (src/questions/file-session.ts)
-- and kept in step with later changes (a rating, recoded resolution or codes).
CREATE TABLE `stat_chats` (
	`session_id` text PRIMARY KEY NOT NULL,
	`library_id` text NOT NULL,
	`answering_library_id` text,
	`librarian_id` text,
	`form_id` text,
	`home_queue_id` text NOT NULL,
	`accepted_queue_id` text,
	`queue_ids` text DEFAULT '' NOT NULL,
	`queue_count` integer NOT NULL,
	`patron_origin` text,
	`source` text NOT NULL,
	`outcome` text NOT NULL,
	`resolution` text NOT NULL,
	`codes` text DEFAULT '[]' NOT NULL,
	`ended_automatically` integer NOT NULL,
	`left_out` integer NOT NULL,
	`created_at` integer NOT NULL,
	`accepted_at` integer,
	`ended_at` integer NOT NULL,
	`wait_ms` integer,
	`duration_ms` integer,
	`wait_bin` integer,
	`duration_bin` integer,
	`patron_messages` integer NOT NULL,
	`librarian_messages` integer NOT NULL,
	`rating` integer,
	`group_ids` text DEFAULT '' NOT NULL,
	`counted` integer DEFAULT 0 NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `stat_chats_library` ON `stat_chats` (`library_id`,`created_at`);
--> statement-breakpoint
CREATE INDEX `stat_chats_answering` ON `stat_chats` (`answering_library_id`,`created_at`);
--> statement-breakpoint
CREATE INDEX `stat_chats_librarian` ON `stat_chats` (`librarian_id`,`created_at`);
--> statement-breakpoint
CREATE INDEX `stat_chats_created` ON `stat_chats` (`created_at`);
--> statement-breakpoint
CREATE INDEX `stat_chats_origin` ON `stat_chats` (`patron_origin`,`created_at`) WHERE `patron_origin` IS NOT NULL;
--> statement-breakpoint
-- A chat's descriptive codes, one row each, for the codes filter and counts.
CREATE TABLE `stat_chat_codes` (
	`session_id` text NOT NULL,
	`code` text NOT NULL,
	PRIMARY KEY(`session_id`, `code`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `stat_chat_codes_code` ON `stat_chat_codes` (`code`,`session_id`);
--> statement-breakpoint
-- The time zone a cooperative's figures are counted in, chosen once (the zone most
-- of its members share) so the rollups below keep one meaning.
CREATE TABLE `stat_group_zones` (
	`group_id` text PRIMARY KEY NOT NULL,
	`time_zone` text NOT NULL,
	`chosen_at` integer NOT NULL
);
--> statement-breakpoint
-- Cooperative-wide rollups: the same measures as over stat_chats, added up per
-- local day (days since 1970-01-01 in the group's zone) and hour when a chat is
-- filed, so a statewide year answers from a few thousand rows. Each is kept
-- whole (slice '') and per value of the filters that cut across a cooperative
-- (src/stats/slices.ts: 'resolution:answered', 'code:genealogy', 'rating:5', …).
-- Codes, pairs and people are kept per day and per month (span 'day' / 'month',
-- a month's row at its first day): a range reads whole months from month rows
-- and only the days at its ends from day rows.
CREATE TABLE `stat_group_hours` (
	`group_id` text NOT NULL,
	`slice` text NOT NULL,
	`local_day` integer NOT NULL,
	`local_hour` integer NOT NULL,
	`left_out` integer NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`answered` integer DEFAULT 0 NOT NULL,
	`turned_away` integer DEFAULT 0 NOT NULL,
	`abandoned` integer DEFAULT 0 NOT NULL,
	`auto_ended` integer DEFAULT 0 NOT NULL,
	`partner_answered` integer DEFAULT 0 NOT NULL,
	`rolled_over` integer DEFAULT 0 NOT NULL,
	`wait_sum_ms` integer DEFAULT 0 NOT NULL,
	`wait_max_ms` integer DEFAULT 0 NOT NULL,
	`duration_sum_ms` integer DEFAULT 0 NOT NULL,
	`duration_max_ms` integer DEFAULT 0 NOT NULL,
	`r1` integer DEFAULT 0 NOT NULL,
	`r2` integer DEFAULT 0 NOT NULL,
	`r3` integer DEFAULT 0 NOT NULL,
	`r4` integer DEFAULT 0 NOT NULL,
	`r5` integer DEFAULT 0 NOT NULL,
	`w0` integer DEFAULT 0 NOT NULL,
	`w1` integer DEFAULT 0 NOT NULL,
	`w2` integer DEFAULT 0 NOT NULL,
	`w3` integer DEFAULT 0 NOT NULL,
	`w4` integer DEFAULT 0 NOT NULL,
	`w5` integer DEFAULT 0 NOT NULL,
	`w6` integer DEFAULT 0 NOT NULL,
	`w7` integer DEFAULT 0 NOT NULL,
	`w8` integer DEFAULT 0 NOT NULL,
	`w9` integer DEFAULT 0 NOT NULL,
	`w10` integer DEFAULT 0 NOT NULL,
	`d0` integer DEFAULT 0 NOT NULL,
	`d1` integer DEFAULT 0 NOT NULL,
	`d2` integer DEFAULT 0 NOT NULL,
	`d3` integer DEFAULT 0 NOT NULL,
	`d4` integer DEFAULT 0 NOT NULL,
	`d5` integer DEFAULT 0 NOT NULL,
	`d6` integer DEFAULT 0 NOT NULL,
	`d7` integer DEFAULT 0 NOT NULL,
	`d8` integer DEFAULT 0 NOT NULL,
	`d9` integer DEFAULT 0 NOT NULL,
	`d10` integer DEFAULT 0 NOT NULL,
	`d11` integer DEFAULT 0 NOT NULL,
	`d12` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`group_id`, `slice`, `local_day`, `local_hour`, `left_out`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `stat_group_codes` (
	`group_id` text NOT NULL,
	`slice` text NOT NULL,
	`span` text NOT NULL,
	`local_day` integer NOT NULL,
	`left_out` integer NOT NULL,
	`kind` text NOT NULL,
	`code` text NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`group_id`, `slice`, `span`, `local_day`, `left_out`, `kind`, `code`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Who answered whose patrons: the patron's library × the answering library ('' when nobody answered).
CREATE TABLE `stat_group_pairs` (
	`group_id` text NOT NULL,
	`slice` text NOT NULL,
	`span` text NOT NULL,
	`local_day` integer NOT NULL,
	`left_out` integer NOT NULL,
	`library_id` text NOT NULL,
	`answering_library_id` text NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`answered` integer DEFAULT 0 NOT NULL,
	`turned_away` integer DEFAULT 0 NOT NULL,
	`abandoned` integer DEFAULT 0 NOT NULL,
	`rolled_over` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`group_id`, `slice`, `span`, `local_day`, `left_out`, `library_id`, `answering_library_id`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Each librarian's answered chats (the librarian who ended the chat).
CREATE TABLE `stat_group_people` (
	`group_id` text NOT NULL,
	`slice` text NOT NULL,
	`span` text NOT NULL,
	`local_day` integer NOT NULL,
	`left_out` integer NOT NULL,
	`librarian_id` text NOT NULL,
	`library_id` text NOT NULL,
	`chats` integer DEFAULT 0 NOT NULL,
	`wait_sum_ms` integer DEFAULT 0 NOT NULL,
	`wait_min_ms` integer DEFAULT 0 NOT NULL,
	`wait_max_ms` integer DEFAULT 0 NOT NULL,
	`duration_sum_ms` integer DEFAULT 0 NOT NULL,
	`duration_max_ms` integer DEFAULT 0 NOT NULL,
	`r1` integer DEFAULT 0 NOT NULL,
	`r2` integer DEFAULT 0 NOT NULL,
	`r3` integer DEFAULT 0 NOT NULL,
	`r4` integer DEFAULT 0 NOT NULL,
	`r5` integer DEFAULT 0 NOT NULL,
	`w0` integer DEFAULT 0 NOT NULL,
	`w1` integer DEFAULT 0 NOT NULL,
	`w2` integer DEFAULT 0 NOT NULL,
	`w3` integer DEFAULT 0 NOT NULL,
	`w4` integer DEFAULT 0 NOT NULL,
	`w5` integer DEFAULT 0 NOT NULL,
	`w6` integer DEFAULT 0 NOT NULL,
	`w7` integer DEFAULT 0 NOT NULL,
	`w8` integer DEFAULT 0 NOT NULL,
	`w9` integer DEFAULT 0 NOT NULL,
	`w10` integer DEFAULT 0 NOT NULL,
	`d0` integer DEFAULT 0 NOT NULL,
	`d1` integer DEFAULT 0 NOT NULL,
	`d2` integer DEFAULT 0 NOT NULL,
	`d3` integer DEFAULT 0 NOT NULL,
	`d4` integer DEFAULT 0 NOT NULL,
	`d5` integer DEFAULT 0 NOT NULL,
	`d6` integer DEFAULT 0 NOT NULL,
	`d7` integer DEFAULT 0 NOT NULL,
	`d8` integer DEFAULT 0 NOT NULL,
	`d9` integer DEFAULT 0 NOT NULL,
	`d10` integer DEFAULT 0 NOT NULL,
	`d11` integer DEFAULT 0 NOT NULL,
	`d12` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`group_id`, `slice`, `span`, `local_day`, `left_out`, `librarian_id`, `library_id`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Coverage from presence (monitoring_spans, added up as new stretches arrive):
-- per librarian, queue and local hour of their library's zone — time on the queue,
-- and time newly covered for the person (a librarian on two queues at once counts once).
CREATE TABLE `stat_presence_hours` (
	`library_id` text NOT NULL,
	`local_day` integer NOT NULL,
	`local_hour` integer NOT NULL,
	`librarian_id` text NOT NULL,
	`queue_id` text NOT NULL,
	`queue_ms` integer DEFAULT 0 NOT NULL,
	`person_ms` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`library_id`, `local_day`, `local_hour`, `librarian_id`, `queue_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `stat_presence_hours_librarian` ON `stat_presence_hours` (`librarian_id`,`local_day`);
--> statement-breakpoint
-- The same for a cooperative, in its zone: every member's librarians, and time on the group's own queue.
CREATE TABLE `stat_group_presence_hours` (
	`group_id` text NOT NULL,
	`local_day` integer NOT NULL,
	`local_hour` integer NOT NULL,
	`person_ms` integer DEFAULT 0 NOT NULL,
	`group_queue_ms` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`group_id`, `local_day`, `local_hour`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `stat_group_presence_people` (
	`group_id` text NOT NULL,
	`local_day` integer NOT NULL,
	`librarian_id` text NOT NULL,
	`library_id` text NOT NULL,
	`queue_id` text NOT NULL,
	`queue_ms` integer DEFAULT 0 NOT NULL,
	`person_ms` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`group_id`, `local_day`, `librarian_id`, `library_id`, `queue_id`)
) WITHOUT ROWID;
--> statement-breakpoint
-- How far the presence rollups have read monitoring_spans (its rowid), and who is reading now.
CREATE TABLE `stat_cursors` (
	`name` text PRIMARY KEY NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`lease` text DEFAULT '' NOT NULL,
	`lease_until` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO `stat_cursors` (`name`, `position`, `lease`, `lease_until`) VALUES ('presence', 0, '', 0);
--> statement-breakpoint
-- A stretch's earlier stretches of the same librarian (for counting a person once).
CREATE INDEX `monitoring_spans_librarian_started` ON `monitoring_spans` (`librarian_id`,`started_at`);
