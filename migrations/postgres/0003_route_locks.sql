-- A locked route is kept as it is by the next solves of its date.
ALTER TABLE routes ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;
