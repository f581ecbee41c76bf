-- The instance that runs a solve, so others can tell whether it still lives
-- (its lock, see store::liveness). NULL on rows from before: heartbeat only.
ALTER TABLE solves ADD COLUMN instance_id INTEGER;
