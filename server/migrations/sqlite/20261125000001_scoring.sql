-- Points as a ledger (积分台账): versioned rules and one row per point-earning occurrence.
-- A rule change is a new version from a later period's first day; entries keep the amount and the
-- version they were written under, so closed periods never change.
CREATE TABLE score_rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL,
    subject TEXT NOT NULL CHECK (subject IN ('member','grid_worker','household')),
    source TEXT NOT NULL,
    points INTEGER NOT NULL,
    cap INTEGER,
    needs_approval INTEGER NOT NULL DEFAULT 0,
    effective_from TEXT NOT NULL,
    retired INTEGER NOT NULL DEFAULT 0,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    UNIQUE (code, effective_from)
);

CREATE TABLE score_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    -- The subject's org path when earned, for rankings within a unit.
    unit_path TEXT NOT NULL,
    rule_id INTEGER NOT NULL REFERENCES score_rules(id),
    rule_code TEXT NOT NULL,
    -- What earned it: event:123, visit:45, meeting:7, rating:9, manual:<id>.
    source TEXT NOT NULL,
    amount INTEGER NOT NULL,
    period TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending','approved','rejected')),
    reason TEXT NOT NULL DEFAULT '',
    proposed_by INTEGER REFERENCES users(id),
    approved_by INTEGER REFERENCES users(id),
    at INTEGER NOT NULL,
    -- One occurrence earns once under one rule.
    UNIQUE (rule_code, subject, subject_id, source)
);
CREATE INDEX score_entries_period ON score_entries(period, subject, status);
CREATE INDEX score_entries_subject ON score_entries(subject, subject_id, period);
CREATE INDEX score_entries_unit ON score_entries(unit_path, period);
