-- Who monitored which queue, when: one row per continuous stretch a librarian
-- was connected to a queue (reconnections within the grace period do not split
-- it). Written by the queue object when the stretch ends; statistics read it for
-- coverage and staffing. No personal data beyond the librarian's id.
CREATE TABLE monitoring_spans (
  id TEXT PRIMARY KEY,
  queue_id TEXT NOT NULL,
  librarian_id TEXT NOT NULL,
  library_id TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER NOT NULL
);
CREATE INDEX monitoring_spans_queue_started ON monitoring_spans (queue_id, started_at);
CREATE INDEX monitoring_spans_library_started ON monitoring_spans (library_id, started_at);
