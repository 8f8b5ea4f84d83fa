-- Files in chats: each library may turn them off for all its chats (on by
-- default). The files themselves are in R2 (the FILES binding), never in D1;
-- docs/privacy.md says how they go with the library's retention.
ALTER TABLE `libraries` ADD `files_allowed` integer DEFAULT true NOT NULL;
