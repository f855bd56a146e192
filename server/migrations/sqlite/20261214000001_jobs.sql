-- 务工信息: jobs posted by the county (its human resources bureau) or a township for the
-- county's residents; a resident's view counted once a day per job and their interest once per
-- job; and the demand picture's cells (day × township × trade × age band × sex), raised in the
-- same transaction as the view or interest they count. The cells hold no person.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_path TEXT NOT NULL,
    unit_path TEXT NOT NULL,
    title TEXT NOT NULL,
    employer TEXT NOT NULL,
    trade TEXT NOT NULL,
    place TEXT NOT NULL,
    wage_low INTEGER NOT NULL,
    wage_high INTEGER NOT NULL,
    headcount INTEGER NOT NULL,
    contact TEXT NOT NULL,
    detail TEXT NOT NULL,
    posted_by INTEGER REFERENCES users(id),
    posted_at INTEGER NOT NULL,
    until_at INTEGER NOT NULL,
    views INTEGER NOT NULL DEFAULT 0,
    interested INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_county ON jobs(county_path, until_at);

CREATE TABLE job_views (
    job_id INTEGER NOT NULL REFERENCES jobs(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    day TEXT NOT NULL,
    PRIMARY KEY (job_id, user_id, day)
);

CREATE TABLE job_interest (
    job_id INTEGER NOT NULL REFERENCES jobs(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    at INTEGER NOT NULL,
    PRIMARY KEY (job_id, user_id)
);

CREATE TABLE job_demand (
    county_path TEXT NOT NULL,
    day TEXT NOT NULL,
    township_id INTEGER NOT NULL,
    trade TEXT NOT NULL,
    band TEXT NOT NULL,
    sex TEXT NOT NULL,
    views INTEGER NOT NULL DEFAULT 0,
    interest INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (county_path, day, township_id, trade, band, sex)
);
