-- Vehicle sharing (issue 9): who owns a vehicle, whether it is in the shared
-- pool, and spans of a vehicle's calendar reserved for one association or
-- kept for the municipality (organisation_id NULL).
ALTER TABLE vehicles ADD COLUMN owner_organisation_id INTEGER REFERENCES organisations (id);
ALTER TABLE vehicles ADD COLUMN pooled INTEGER NOT NULL DEFAULT 1;

CREATE TABLE vehicle_blocks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    vehicle_id INTEGER NOT NULL REFERENCES vehicles (id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    start_min INTEGER NOT NULL,
    end_min INTEGER NOT NULL,
    organisation_id INTEGER REFERENCES organisations (id),
    note TEXT
);
CREATE INDEX vehicle_blocks_date ON vehicle_blocks (date, vehicle_id);
