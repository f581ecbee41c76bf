-- One fleet or services apart (issue 11): the services a shift carries, as
-- a comma-separated list of request kinds; empty: all of them.
ALTER TABLE shifts ADD COLUMN serves TEXT NOT NULL DEFAULT '';
