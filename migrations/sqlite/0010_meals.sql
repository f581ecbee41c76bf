-- Meal recipients (issue 11): a person's weekly meals, diets, priority,
-- door notes and holds, the plan kept as JSON (a domain type) with the
-- fields generation filters on copied out. Each generated day is one row of
-- meal_days with what was booked (type, count, diets), so a day is booked
-- once and the kitchen's lists read what the day's request stands for.
CREATE TABLE meal_recipients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    plan TEXT NOT NULL,
    priority INTEGER NOT NULL,
    active INTEGER NOT NULL,
    starts_on TEXT NOT NULL
);
CREATE INDEX meal_recipients_organisation ON meal_recipients (organisation_id);

CREATE TABLE meal_days (
    recipient_id INTEGER NOT NULL REFERENCES meal_recipients (id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    request_id INTEGER REFERENCES requests (id) ON DELETE SET NULL,
    meal_type TEXT NOT NULL,
    meals INTEGER NOT NULL,
    diets TEXT NOT NULL,
    priority INTEGER NOT NULL,
    PRIMARY KEY (recipient_id, date)
);
CREATE INDEX meal_days_date ON meal_days (date);
CREATE INDEX meal_days_request ON meal_days (request_id);
