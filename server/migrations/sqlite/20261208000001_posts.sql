-- 设岗定责: a branch's posts with their duties, who holds them, and duties recorded as done.
-- A duty record is unique per post, member and day; it carries the pending ledger entry the
-- branch approves into points.
CREATE TABLE party_posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id INTEGER NOT NULL REFERENCES party_branches(id),
    unit_path TEXT NOT NULL,
    name TEXT NOT NULL,
    duties TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    UNIQUE (branch_id, name)
);

CREATE TABLE post_holders (
    post_id INTEGER NOT NULL REFERENCES party_posts(id),
    member_id INTEGER NOT NULL REFERENCES party_members(id),
    since INTEGER NOT NULL,
    PRIMARY KEY (post_id, member_id)
);
CREATE INDEX post_holders_member ON post_holders(member_id);

CREATE TABLE duty_records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id INTEGER NOT NULL REFERENCES party_posts(id),
    member_id INTEGER NOT NULL REFERENCES party_members(id),
    at INTEGER NOT NULL,
    day TEXT NOT NULL,
    note TEXT NOT NULL,
    entry_id INTEGER REFERENCES score_entries(id),
    UNIQUE (post_id, member_id, day)
);
