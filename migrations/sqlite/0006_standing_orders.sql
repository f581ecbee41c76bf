-- Standing orders (issue 9): a ride booked once for many days. The ride
-- template, the recurrence and the suspensions are JSON (domain types);
-- starts_on and ends_on are copied out so generation picks the orders of a
-- range by index. Each generated day is one row of standing_order_days, so
-- generating again never books a day twice nor overwrites a day edited or
-- cancelled since. The municipality's own closing days, one per date.
CREATE TABLE standing_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    ride TEXT NOT NULL,
    recurrence TEXT NOT NULL,
    suspensions TEXT NOT NULL,
    active INTEGER NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT
);
CREATE INDEX standing_orders_organisation ON standing_orders (organisation_id);

CREATE TABLE standing_order_days (
    standing_order_id INTEGER NOT NULL REFERENCES standing_orders (id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    -- The outbound request booked; its way back points to it. Kept when the
    -- request is deleted, so the day is not booked again.
    request_id INTEGER REFERENCES requests (id) ON DELETE SET NULL,
    PRIMARY KEY (standing_order_id, date)
);
CREATE INDEX standing_order_days_date ON standing_order_days (date);
CREATE INDEX standing_order_days_request ON standing_order_days (request_id);

CREATE TABLE closing_days (
    date TEXT PRIMARY KEY,
    label TEXT NOT NULL
);
