-- A branch's housekeeping: the committee's elections (换届), members' dues (党费), membership
-- moving between branches (组织关系转接), leave before a meeting and members' bonus
-- declarations (加分申报) with photos.

-- Each election recorded; the latest is the term running.
CREATE TABLE branch_terms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id INTEGER NOT NULL REFERENCES party_branches(id),
    elected_on TEXT NOT NULL,
    years INTEGER NOT NULL CHECK (years IN (3, 5)),
    note TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER REFERENCES users(id),
    at INTEGER NOT NULL,
    UNIQUE (branch_id, elected_on)
);

-- A member's monthly dues and the month paid up to (its first day); moves with the member.
CREATE TABLE member_dues (
    member_id INTEGER PRIMARY KEY REFERENCES party_members(id),
    rate_fen INTEGER NOT NULL CHECK (rate_fen > 0),
    since TEXT NOT NULL,
    paid_to TEXT,
    updated_at INTEGER NOT NULL
);

CREATE TABLE dues_payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES party_members(id),
    branch_id INTEGER NOT NULL REFERENCES party_branches(id),
    months INTEGER NOT NULL CHECK (months > 0),
    amount_fen INTEGER NOT NULL,
    paid_to TEXT NOT NULL,
    at INTEGER NOT NULL,
    recorded_by INTEGER REFERENCES users(id)
);
CREATE INDEX dues_payments_member ON dues_payments(member_id, at);

CREATE TABLE member_transfers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES party_members(id),
    from_branch INTEGER NOT NULL REFERENCES party_branches(id),
    to_branch INTEGER NOT NULL REFERENCES party_branches(id),
    note TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('pending','accepted','refused','withdrawn')),
    reason TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    decided_by INTEGER REFERENCES users(id),
    decided_at INTEGER
);
-- One transfer under way per member.
CREATE UNIQUE INDEX member_transfers_pending ON member_transfers(member_id) WHERE state = 'pending';
CREATE INDEX member_transfers_to ON member_transfers(to_branch, state);
CREATE INDEX member_transfers_from ON member_transfers(from_branch, state);

-- Leave asked before the meeting: an absence with its reason, marked as asked in advance.
ALTER TABLE meeting_attendance ADD COLUMN on_leave INTEGER NOT NULL DEFAULT 0;

-- One declaration per member and day; its points wait as a pending ledger entry.
CREATE TABLE declarations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES party_members(id),
    branch_id INTEGER NOT NULL REFERENCES party_branches(id),
    day TEXT NOT NULL,
    note TEXT NOT NULL,
    entry_id INTEGER REFERENCES score_entries(id),
    at INTEGER NOT NULL,
    UNIQUE (member_id, day)
);
CREATE INDEX declarations_branch ON declarations(branch_id, at);

CREATE TABLE declaration_photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    declaration_id INTEGER NOT NULL REFERENCES declarations(id),
    file TEXT NOT NULL UNIQUE,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX declaration_photos_declaration ON declaration_photos(declaration_id);
