-- Food surplus (issue 11): the donors that give surplus food, the record
-- kept as JSON (a domain type) with the fields generation and the figures
-- filter on copied out; one donor per place. Each generated day is one row
-- of surplus_days, so a day's pickup is booked once.
CREATE TABLE donors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    place_id INTEGER NOT NULL UNIQUE REFERENCES places (id),
    receiving_place_id INTEGER NOT NULL REFERENCES places (id),
    record TEXT NOT NULL,
    active INTEGER NOT NULL
);

CREATE TABLE surplus_days (
    donor_id INTEGER NOT NULL REFERENCES donors (id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    request_id INTEGER REFERENCES requests (id) ON DELETE SET NULL,
    PRIMARY KEY (donor_id, date)
);
CREATE INDEX surplus_days_date ON surplus_days (date);
CREATE INDEX surplus_days_request ON surplus_days (request_id);
