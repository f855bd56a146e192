-- 整改: the township or county asks a branch that missed a requirement in a period to make it
-- good by a deadline; one request per missed cell, so asking twice changes nothing.
CREATE TABLE rectifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id INTEGER NOT NULL REFERENCES party_branches(id),
    unit_path TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('assembly','committee','group','lecture','theme_day')),
    -- The compliance period the miss is in: 2026-11 or 2026-Q4.
    period TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    due_day TEXT NOT NULL,
    requested_by INTEGER REFERENCES users(id),
    requested_at INTEGER NOT NULL,
    done_at INTEGER,
    done_note TEXT NOT NULL DEFAULT '',
    done_by INTEGER REFERENCES users(id),
    UNIQUE (branch_id, kind, period)
);
CREATE INDEX rectifications_path ON rectifications(unit_path, due_day);
