-- The event loop as its users meet it: urgency, recall, closing outcomes, "me too" reporters,
-- the "解决了吗？" follow-up, structured timeline details, reply templates.
ALTER TABLE events ADD COLUMN urgency TEXT NOT NULL DEFAULT 'normal'
    CHECK (urgency IN ('normal','urgent','critical'));
-- The level that dispatched, while the dispatch stands (it may recall it).
ALTER TABLE events ADD COLUMN dispatched_from TEXT;
-- How a handled event ended: solved, referred (to whom), cannot_fix, duplicate (of which).
ALTER TABLE events ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN outcome_ref TEXT NOT NULL DEFAULT '';
-- When the reporter is asked whether it stayed solved; the question is open until answered.
ALTER TABLE events ADD COLUMN follow_up_at INTEGER;
ALTER TABLE events ADD COLUMN follow_up_open INTEGER NOT NULL DEFAULT 0;
-- Everyone who reported it: the first reporter and those who joined.
ALTER TABLE events ADD COLUMN reporters INTEGER NOT NULL DEFAULT 1;
CREATE INDEX events_follow_up ON events(follow_up_at);

-- Structured facts of a step (the department it went to, hours asked, scores given), as JSON.
ALTER TABLE event_steps ADD COLUMN detail TEXT NOT NULL DEFAULT '';

-- Residents who joined a nearby open report instead of making another one.
CREATE TABLE event_reporters (
    event_id INTEGER NOT NULL REFERENCES events(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    at INTEGER NOT NULL,
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX event_reporters_user ON event_reporters(user_id);

-- Answers the command room and departments use often, per board or per category.
CREATE TABLE reply_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    board TEXT NOT NULL,
    category_code TEXT,
    text_zh TEXT NOT NULL,
    text_en TEXT NOT NULL
);
