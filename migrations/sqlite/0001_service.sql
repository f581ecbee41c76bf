-- The service's records. Portable types only (INTEGER, REAL, TEXT), so one query
-- set runs on SQLite and PostgreSQL. Dates are 'YYYY-MM-DD', instants RFC 3339
-- UTC, times of day minutes after midnight, lists JSON text.

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('municipality', 'association'))
);

CREATE TABLE volunteers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    phone TEXT,
    available_start INTEGER NOT NULL,
    available_end INTEGER NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'dispatcher', 'member', 'driver')),
    organisation_id INTEGER REFERENCES organisations (id),
    volunteer_id INTEGER REFERENCES volunteers (id),
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE places (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER REFERENCES organisations (id),
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    kind TEXT NOT NULL
);

CREATE TABLE people (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    phone TEXT,
    home_place_id INTEGER NOT NULL REFERENCES places (id),
    mobility TEXT NOT NULL,
    assistance TEXT NOT NULL,
    driver_notes TEXT
);
CREATE INDEX people_organisation ON people (organisation_id);

CREATE TABLE vehicles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    depot_place_id INTEGER NOT NULL REFERENCES places (id),
    skills TEXT NOT NULL,
    layouts TEXT NOT NULL,
    available_start INTEGER NOT NULL,
    available_end INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE volunteer_vehicles (
    volunteer_id INTEGER NOT NULL REFERENCES volunteers (id) ON DELETE CASCADE,
    vehicle_id INTEGER NOT NULL REFERENCES vehicles (id) ON DELETE CASCADE,
    PRIMARY KEY (volunteer_id, vehicle_id)
);

CREATE TABLE shifts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    date TEXT NOT NULL,
    vehicle_id INTEGER NOT NULL REFERENCES vehicles (id),
    volunteer_id INTEGER REFERENCES volunteers (id),
    start_min INTEGER NOT NULL,
    end_min INTEGER NOT NULL
);
CREATE INDEX shifts_date ON shifts (date);

CREATE TABLE requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('ride', 'meal', 'collection')),
    person_id INTEGER REFERENCES people (id),
    from_place_id INTEGER NOT NULL REFERENCES places (id),
    to_place_id INTEGER NOT NULL REFERENCES places (id),
    window_at TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    window_end INTEGER NOT NULL,
    load TEXT NOT NULL,
    skills TEXT NOT NULL,
    service_minutes INTEGER,
    max_ride_minutes INTEGER,
    outbound_id INTEGER REFERENCES requests (id),
    after_minutes INTEGER,
    same_vehicle INTEGER NOT NULL DEFAULT 0,
    purpose TEXT,
    notes TEXT,
    status TEXT NOT NULL
);
CREATE INDEX requests_date ON requests (date);
CREATE INDEX requests_organisation ON requests (organisation_id);

CREATE TABLE solves (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    date TEXT NOT NULL,
    status TEXT NOT NULL,
    time_limit_s REAL NOT NULL,
    seed INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL,
    finished_at TEXT,
    elapsed_s REAL NOT NULL DEFAULT 0,
    iterations INTEGER NOT NULL DEFAULT 0,
    best_cost REAL,
    unassigned INTEGER,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    plan_id INTEGER,
    error TEXT,
    started_by INTEGER REFERENCES users (id)
);
CREATE INDEX solves_date ON solves (date);
-- At most one solve under way per date, whichever instance runs it.
CREATE UNIQUE INDEX solves_one_running ON solves (date) WHERE status = 'running';

CREATE TABLE plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    date TEXT NOT NULL,
    revision INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'superseded')),
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    published_at TEXT,
    published_by INTEGER REFERENCES users (id),
    figures TEXT NOT NULL,
    unassigned TEXT NOT NULL,
    UNIQUE (date, revision)
);

-- One row per date with plans: what concurrent publishes and edits lock.
CREATE TABLE plan_dates (
    date TEXT PRIMARY KEY
);

-- At most one revision of a date is what drivers follow.
CREATE UNIQUE INDEX plans_one_published ON plans (date) WHERE status = 'published';

CREATE TABLE routes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    shift_id INTEGER REFERENCES shifts (id) ON DELETE SET NULL,
    vehicle_id INTEGER NOT NULL REFERENCES vehicles (id),
    volunteer_id INTEGER REFERENCES volunteers (id),
    layout TEXT NOT NULL,
    start_min REAL NOT NULL,
    end_min REAL NOT NULL,
    distance_km REAL NOT NULL
);
CREATE INDEX routes_plan ON routes (plan_id);

CREATE TABLE stops (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    route_id INTEGER NOT NULL REFERENCES routes (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    request_id INTEGER NOT NULL REFERENCES requests (id),
    role TEXT NOT NULL,
    place_id INTEGER NOT NULL REFERENCES places (id),
    arrival_min REAL NOT NULL,
    start_min REAL NOT NULL,
    departure_min REAL NOT NULL
);
CREATE INDEX stops_route ON stops (route_id);

CREATE TABLE stop_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    stop_id INTEGER NOT NULL REFERENCES stops (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT,
    user_id INTEGER REFERENCES users (id)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user_id INTEGER,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    detail TEXT
);
