-- Rides as associations book them (issue 9): the rider's service animal, the
-- time the rider gave (pickup or appointment), companions, the way back's
-- rule, and the service's ride policy (one JSON record per key).
ALTER TABLE people ADD COLUMN service_animal INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN pickup_at INTEGER;
ALTER TABLE requests ADD COLUMN appointment INTEGER;
ALTER TABLE requests ADD COLUMN companions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN way_back TEXT;
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
