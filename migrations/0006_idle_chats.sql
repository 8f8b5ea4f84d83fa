-- Chats that go quiet end by themselves, so every chat is filed, mailed and
-- scrubbed in time: the library decides after how many minutes without a
-- message (an active chat, or one the patron left that nobody ended).
ALTER TABLE libraries ADD COLUMN idle_end_minutes INTEGER NOT NULL DEFAULT 30;
