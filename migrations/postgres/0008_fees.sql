-- Eligibility and fees (issue 9): what each rider is entitled to, one row per
-- person (none: nothing declared). Bands, not amounts. The fee rules live in
-- `settings` under 'fee_rules'; fees are computed from the published plans.
CREATE TABLE eligibility (
    person_id BIGINT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    isee_band TEXT NOT NULL CHECK (isee_band IN ('low', 'middle', 'high', 'unknown')),
    l104 TEXT NOT NULL CHECK (l104 IN ('none', 'art3_c1', 'art3_c3')),
    social_plan INTEGER NOT NULL,
    plan_reference TEXT
);
