-- A consumer claims an outbox row for a short lease before sending it, so two
-- deliveries of the same queue message (Queues deliver at least once) cannot
-- both send. A lease left by a consumer that died simply expires.
ALTER TABLE `mail_outbox` ADD `claimed_until` integer;
