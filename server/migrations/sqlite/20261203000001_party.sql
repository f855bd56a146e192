-- Branch life (三会一课, 主题党日): meetings planned by the branch secretary, members' check-ins
-- with the code shown in the room (valid only in the meeting's window), absences with a reason,
-- and the requirements each branch must meet per period.
-- Requirements are versioned like score rules: a change applies from a later period's first day.
CREATE TABLE meeting_requirements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('assembly','committee','group','lecture','theme_day')),
    cadence TEXT NOT NULL CHECK (cadence IN ('month','quarter')),
    -- 0 retires the requirement from effective_from on.
    min_count INTEGER NOT NULL CHECK (min_count >= 0),
    effective_from TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    UNIQUE (kind, effective_from)
);
-- The national rules: 支委会 and 党小组会 monthly, 支部党员大会 and 党课 quarterly, 主题党日 monthly.
INSERT INTO meeting_requirements (kind, cadence, min_count, effective_from, created_at) VALUES
    ('committee', 'month', 1, '2026-01-01', 0),
    ('group', 'month', 1, '2026-01-01', 0),
    ('assembly', 'quarter', 1, '2026-01-01', 0),
    ('lecture', 'quarter', 1, '2026-01-01', 0),
    ('theme_day', 'month', 1, '2026-01-01', 0);

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id INTEGER NOT NULL REFERENCES party_branches(id),
    -- The branch's org path, for scope filters.
    unit_path TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('assembly','committee','group','lecture','theme_day')),
    topic TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    -- Six digits shown in the room; unique among meetings whose window is open.
    code TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('planned','closed')),
    minutes TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    closed_at INTEGER
);
CREATE INDEX meetings_branch ON meetings(branch_id, starts_at);
CREATE INDEX meetings_path ON meetings(unit_path, starts_at);
CREATE INDEX meetings_code ON meetings(code, ends_at);

CREATE TABLE meeting_attendance (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    member_id INTEGER NOT NULL REFERENCES party_members(id),
    mode TEXT NOT NULL CHECK (mode IN ('present','remote','absent')),
    reason TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL,
    recorded_by INTEGER REFERENCES users(id),
    -- The activity that earned the points (none for an absence).
    activity_id INTEGER REFERENCES activities(id),
    -- One attendance per member and meeting: checking in twice changes nothing.
    UNIQUE (meeting_id, member_id)
);
CREATE INDEX meeting_attendance_member ON meeting_attendance(member_id);

-- Photos of a meeting (the room, the board), stored as event photos are: re-encoded, with sizes.
CREATE TABLE meeting_photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    file TEXT NOT NULL UNIQUE,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    uploaded_by INTEGER REFERENCES users(id),
    at INTEGER NOT NULL
);
CREATE INDEX meeting_photos_meeting ON meeting_photos(meeting_id);
