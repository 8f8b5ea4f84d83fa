-- Coverage per librarian for a cooperative, added up per local month as well
-- as per day (stat_group_presence_people), so hours monitored over a long
-- range read whole months from month rows and only the days at its ends from
-- day rows. `local_month` is the month's first local day (days since
-- 1970-01-01 in the group's zone). Kept in the same batches as the day rows.
CREATE TABLE `stat_group_presence_months` (
	`group_id` text NOT NULL,
	`local_month` integer NOT NULL,
	`librarian_id` text NOT NULL,
	`library_id` text NOT NULL,
	`queue_id` text NOT NULL,
	`queue_ms` integer DEFAULT 0 NOT NULL,
	`person_ms` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`group_id`, `local_month`, `librarian_id`, `library_id`, `queue_id`)
) WITHOUT ROWID;
--> statement-breakpoint
-- The months of the day rows counted before this table existed.
INSERT INTO `stat_group_presence_months` (`group_id`, `local_month`, `librarian_id`, `library_id`, `queue_id`, `queue_ms`, `person_ms`)
	SELECT `group_id`, cast(julianday(date(`local_day` * 86400, 'unixepoch', 'start of month')) - 2440587.5 as integer), `librarian_id`, `library_id`, `queue_id`, sum(`queue_ms`), sum(`person_ms`)
	FROM `stat_group_presence_people` GROUP BY 1, 2, 3, 4, 5;
