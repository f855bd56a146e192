-- 发展党员: applicants on their way to membership through the 25 steps of the national work
-- rules. `last_step` moves by one guarded UPDATE (WHERE last_step = step - 1), and each step is
-- unique per applicant, so two secretaries recording the same step cannot both succeed.
CREATE TABLE applicants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id INTEGER NOT NULL REFERENCES party_branches(id),
    -- The branch's org path, for scope filters.
    unit_path TEXT NOT NULL,
    name TEXT NOT NULL,
    gender TEXT NOT NULL DEFAULT '',
    birth_date TEXT NOT NULL,
    last_step INTEGER NOT NULL DEFAULT 0 CHECK (last_step BETWEEN 0 AND 25),
    last_on TEXT,
    -- applicant, activist, candidate, probationary, full (domain::party::development::standing).
    standing TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX applicants_path ON applicants(unit_path);

CREATE TABLE applicant_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    applicant_id INTEGER NOT NULL REFERENCES applicants(id),
    step INTEGER NOT NULL CHECK (step BETWEEN 1 AND 25),
    on_day TEXT NOT NULL,
    document TEXT NOT NULL DEFAULT '',
    -- Member ids of the two sponsors (step 9), comma-separated.
    sponsors TEXT NOT NULL DEFAULT '',
    -- A branch assembly's vote (steps 15 and 23): entitled/present/yes.
    votes TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER REFERENCES users(id),
    at INTEGER NOT NULL,
    UNIQUE (applicant_id, step)
);
