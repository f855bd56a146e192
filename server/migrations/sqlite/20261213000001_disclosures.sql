-- 三务公开 and notices: what a unit put up (a village's three monthly disclosures, one per kind
-- and month; notices any number), a financial disclosure's table with its checked totals, the
-- photos and PDF attached (stored through the checked photo path), and residents' questions
-- with the cadres' answers.
CREATE TABLE disclosures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
    unit_path TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('party', 'village', 'finance', 'notice')),
    period TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    income_fen INTEGER,
    expense_fen INTEGER,
    published_by INTEGER REFERENCES users(id),
    published_at INTEGER NOT NULL,
    published_day TEXT NOT NULL
);
CREATE UNIQUE INDEX disclosures_monthly ON disclosures(org_unit_id, kind, period) WHERE kind <> 'notice';
CREATE INDEX disclosures_path ON disclosures(unit_path, published_at);

CREATE TABLE disclosure_lines (
    disclosure_id INTEGER NOT NULL REFERENCES disclosures(id),
    pos INTEGER NOT NULL,
    item TEXT NOT NULL,
    income_fen INTEGER NOT NULL CHECK (income_fen >= 0),
    expense_fen INTEGER NOT NULL CHECK (expense_fen >= 0),
    PRIMARY KEY (disclosure_id, pos)
);

CREATE TABLE disclosure_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    disclosure_id INTEGER NOT NULL REFERENCES disclosures(id),
    kind TEXT NOT NULL CHECK (kind IN ('photo', 'pdf')),
    file TEXT NOT NULL UNIQUE,
    bytes INTEGER NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX disclosure_files_disclosure ON disclosure_files(disclosure_id);

CREATE TABLE disclosure_questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    disclosure_id INTEGER NOT NULL REFERENCES disclosures(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    text TEXT NOT NULL,
    asked_at INTEGER NOT NULL,
    answer TEXT,
    answered_by INTEGER REFERENCES users(id),
    answered_at INTEGER
);
CREATE INDEX disclosure_questions_disclosure ON disclosure_questions(disclosure_id, asked_at);

-- Unanswered questions per person and disclosure, raised by one conditional upsert (never past
-- the limit), lowered when one is answered.
CREATE TABLE disclosure_askers (
    disclosure_id INTEGER NOT NULL REFERENCES disclosures(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    open INTEGER NOT NULL CHECK (open >= 0),
    PRIMARY KEY (disclosure_id, user_id)
);
