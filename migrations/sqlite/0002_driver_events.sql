-- Drivers' events kept by the stop's identity (date, request, pickup or
-- dropoff), which survives re-publishing, and once per device event id;
-- drivers' personal sign-in links and optional PINs.

CREATE TABLE stop_events_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    date TEXT NOT NULL,
    request_id INTEGER NOT NULL REFERENCES requests (id),
    role TEXT NOT NULL CHECK (role IN ('pickup', 'dropoff')),
    -- The row reported on; the event outlives its revision.
    stop_id INTEGER REFERENCES stops (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    -- The device's time, and the server's when it arrived.
    at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    note TEXT,
    kg REAL,
    -- The device's idempotency key: a resend finds the stored event.
    client_id TEXT UNIQUE,
    user_id INTEGER REFERENCES users (id)
);

INSERT INTO stop_events_new (id, date, request_id, role, stop_id, kind, at, received_at, note, user_id)
SELECT e.id, p.date, s.request_id, s.role, e.stop_id, e.kind, e.at, e.at, e.note, e.user_id
FROM stop_events e
JOIN stops s ON s.id = e.stop_id
JOIN routes r ON r.id = s.route_id
JOIN plans p ON p.id = r.plan_id;

DROP TABLE stop_events;
ALTER TABLE stop_events_new RENAME TO stop_events;
CREATE INDEX stop_events_key ON stop_events (date, request_id, role);
-- A key's rows across revisions, and a request's promised pickup.
CREATE INDEX stops_request ON stops (request_id, role);

CREATE TABLE driver_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    failed_pins INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX driver_links_user ON driver_links (user_id);

ALTER TABLE users ADD COLUMN pin_hash TEXT;
