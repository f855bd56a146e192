-- 志愿服务: a unit's volunteer teams, their activities with a sign-up limit (`signed` decided
-- by one conditional update, never above the limit; the check is a last guard), volunteers'
-- sign-ups and check-ins, and the hours ledger credited when an activity closes (one line per
-- volunteer and activity).
CREATE TABLE volunteer_teams (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
    unit_path TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (org_unit_id, name)
);
CREATE INDEX volunteer_teams_path ON volunteer_teams(unit_path);

CREATE TABLE volunteer_activities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id INTEGER NOT NULL REFERENCES volunteer_teams(id),
    unit_path TEXT NOT NULL,
    title TEXT NOT NULL,
    place TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    sign_up_limit INTEGER NOT NULL,
    signed INTEGER NOT NULL DEFAULT 0,
    checked INTEGER NOT NULL DEFAULT 0,
    code TEXT NOT NULL,
    state TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    closed_at INTEGER,
    CHECK (signed >= 0 AND signed <= sign_up_limit)
);
CREATE INDEX volunteer_activities_team ON volunteer_activities(team_id, starts_at);
CREATE INDEX volunteer_activities_path ON volunteer_activities(unit_path, starts_at);

CREATE TABLE volunteer_signups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id INTEGER NOT NULL REFERENCES volunteer_activities(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    state TEXT NOT NULL,
    signed_at INTEGER NOT NULL,
    checked_in_at INTEGER,
    UNIQUE (activity_id, user_id)
);
CREATE INDEX volunteer_signups_user ON volunteer_signups(user_id);

CREATE TABLE volunteer_hours (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id),
    team_id INTEGER NOT NULL REFERENCES volunteer_teams(id),
    activity_id INTEGER NOT NULL REFERENCES volunteer_activities(id),
    tenths INTEGER NOT NULL,
    at INTEGER NOT NULL,
    UNIQUE (user_id, activity_id)
);
CREATE INDEX volunteer_hours_team ON volunteer_hours(team_id, at);
CREATE INDEX volunteer_hours_at ON volunteer_hours(at);
