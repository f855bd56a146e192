-- Work that earns points besides events: households visited (走访), branch life attended
-- (三会一课、主题党日), records entered (信息采集). Recorded by cadres and grid workers; each row is
-- one occurrence in the scoring ledger (source activity:<id>).
-- Subjects everywhere in scoring: member = party_members.id, grid_worker = grid_staff.id,
-- household = households.id.
CREATE TABLE activities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('visit','branch_life','data_entry')),
    subject TEXT NOT NULL CHECK (subject IN ('member','grid_worker')),
    subject_id INTEGER NOT NULL,
    unit_path TEXT NOT NULL,
    at INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER REFERENCES users(id)
);
CREATE INDEX activities_at ON activities(at);
CREATE INDEX activities_subject ON activities(subject, subject_id);
