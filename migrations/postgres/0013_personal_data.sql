-- Personal data (issue 13): each audit line keeps the role its user acted in
-- (the "why" of a read; none for the system and for older lines), and the
-- lines about one record are found by an index.
ALTER TABLE audit_log ADD COLUMN role TEXT;
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
-- When a person was anonymised, so the retention job passes them by.
ALTER TABLE people ADD COLUMN anonymised_at TEXT;
-- When a person was first recorded: the retention period counts from there
-- for people never served. Rows before this migration count from today.
ALTER TABLE people ADD COLUMN created_on TEXT;
UPDATE people SET created_on = to_char(current_date, 'YYYY-MM-DD');
