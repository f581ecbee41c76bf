-- Lifecycle (issue 9): when and why a request was cancelled (by its
-- association, with its outbound, or for the outbound's no-show), whether the
-- association keeps a way back whatever happens to its outbound, and when a
-- will-call rider called.
ALTER TABLE requests ADD COLUMN cancelled_at TEXT;
ALTER TABLE requests ADD COLUMN cancel_cause TEXT;
ALTER TABLE requests ADD COLUMN keep_return INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN called_at TEXT;
CREATE INDEX requests_outbound ON requests (outbound_id);
