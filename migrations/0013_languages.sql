-- Patrons in their own language: each form offers a set of languages with a
-- default, and may give its own texts (title, introduction, field labels and
-- help, the not-available message) per language; each chat keeps the
-- language its patron chose, for its mails. docs/privacy.md classifies the
-- new columns.
ALTER TABLE `forms` ADD `languages` text DEFAULT '["en"]' NOT NULL;
--> statement-breakpoint
ALTER TABLE `forms` ADD `default_language` text DEFAULT 'en' NOT NULL;
--> statement-breakpoint
ALTER TABLE `forms` ADD `translations` text DEFAULT '{}' NOT NULL;
--> statement-breakpoint
ALTER TABLE `chat_sessions` ADD `language` text DEFAULT 'en' NOT NULL;
