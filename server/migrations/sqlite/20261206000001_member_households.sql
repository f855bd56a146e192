-- 党员联户: the member who serves each household (one per household; relinking replaces it),
-- and the member's visits (走访), at most one per member, household and local day: the unique
-- key makes a second record of the same visit a no-op, so its points are counted once.
CREATE TABLE member_households (
    household_id INTEGER PRIMARY KEY REFERENCES households(id),
    member_id INTEGER NOT NULL REFERENCES party_members(id),
    since INTEGER NOT NULL,
    assigned_by INTEGER REFERENCES users(id)
);
CREATE INDEX member_households_member ON member_households(member_id);

CREATE TABLE member_visits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES party_members(id),
    household_id INTEGER NOT NULL REFERENCES households(id),
    at INTEGER NOT NULL,
    day TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL,
    activity_id INTEGER REFERENCES activities(id),
    recorded_by INTEGER REFERENCES users(id),
    UNIQUE (member_id, household_id, day)
);
CREATE INDEX member_visits_household ON member_visits(household_id, at);
